# Fovea — common tasks. Everything builds in release mode (-O): gradient checks and lessons need
# the optimised engine, and one build serves both the tests and the programs.

SWIFT ?= swift
BUILD := $(SWIFT) build -c release
BIN := .build/release

.PHONY: build test gradcheck gallery bench clean

build:
	$(BUILD)

# The whole test suite. OpenBLAS and Fovea use one thread each, because Swift Testing already
# runs tests in parallel on every core.
test:
	FOVEA_NUM_THREADS=1 $(SWIFT) test -c release

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
