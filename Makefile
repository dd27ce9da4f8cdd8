# Fovea — common tasks. Everything builds in release mode (-O): gradient checks and lessons need
# the optimised engine, and one build serves both the tests and the programs.

SWIFT ?= swift
BUILD := $(SWIFT) build -c release
BIN := .build/release

LESSONS := 01 02 03 04 05

.PHONY: build test gradcheck gallery bench clean lessons $(addprefix lesson-,$(LESSONS))

build:
	$(BUILD)

# The whole test suite, in one optimised build that also makes the lessons (the lesson tests run
# them). Tests use @testable import, hence -enable-testing. Fovea uses one thread per test,
# because Swift Testing already runs tests in parallel on every core.
test:
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	FOVEA_NUM_THREADS=1 $(SWIFT) test -c release --skip-build

# One lesson, full run: `make lesson-01` prints the notebook and writes Figures/01-convolution/.
# Pass options with ARGS, e.g. `make lesson-01 ARGS="--quick --data ~/cifar-10-batches-bin"`.
$(addprefix lesson-,$(LESSONS)): lesson-%:
	$(SWIFT) build -c release --product lesson$*
	$(BIN)/lesson$* $(ARGS)

# Every lesson, one after another.
lessons: $(addprefix lesson-,$(LESSONS))

# Every op's gradient against finite differences, as a table.
gradcheck: build
	$(BIN)/fovea gradcheck

# One figure of every kind, drawn from real engine output, into Figures/gallery.
gallery: build
	$(BIN)/fovea gallery --output Figures/gallery

# Machine-readable speed measurements (one JSON object per line).
bench: build
	$(BIN)/fovea-bench

clean:
	rm -rf .build
