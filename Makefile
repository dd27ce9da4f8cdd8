# Fovea — common tasks. `make` (or `make help`) lists them.
#
# Everything builds in release mode (-O) with ONE configuration: the tests, the lessons, `fovea`
# and `fovea-bench` share the same compiled engine, so switching between `make test` and a lesson
# compiles nothing again. (The tests need no `@testable import`: what they look at inside a module
# is declared `package`.)

SWIFT ?= swift
BUILD := $(SWIFT) build -c release
BIN := .build/release

# Lesson number → page name (folder under runs/lessons/ and Figures/).
LESSONS := 01 02 03 04 05 06 07 08 09 10
PAGE_01 := 01-convolution
PAGE_02 := 02-pooling
PAGE_03 := 03-backpropagation
PAGE_04 := 04-cross-entropy
PAGE_05 := 05-gradient-descent
PAGE_06 := 06-going-deep
PAGE_07 := 07-lenet-cifar10
PAGE_08 := 08-resnet-cifar10
PAGE_09 := 09-imagenet
PAGE_10 := 10-where-the-time-goes

# The data root for `make figures`: a folder holding cifar-10-batches-bin/.
DATA ?= $(FOVEA_DATA)

.DEFAULT_GOAL := help
.PHONY: help build test check-no-rebuild gradcheck gallery bench figures clean lessons $(addprefix lesson-,$(LESSONS))

help: ## list the targets
	@echo "usage: make TARGET [ARGS=\"lesson options\"]"
	@echo
	@grep -E '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z0-9-]+):.*## (.*)/\1|\2/' | awk -F'|' '{printf "  %-18s %s\n", $$1, $$2}'
	@echo "  lesson-NN          one lesson ($(LESSONS)): prints the notebook, writes runs/lessons/NN-name/"
	@echo
	@echo "Lesson options go in ARGS, e.g. make lesson-03 ARGS=\"--quick --data ~/datasets\""
	@echo "(--quick, --seed N, --out DIR, --data DIR, --weights FILE)."

build: ## build fovea, fovea-bench and every lesson into .build/release/
	$(BUILD)

test: ## build everything with the tests, then run every test (what CI runs)
	$(BUILD) --build-tests
	@$(MAKE) --no-print-directory check-no-rebuild
	FOVEA_NUM_THREADS=1 $(SWIFT) test -c release --skip-build --disable-xctest

# The test build and the plain build must be one configuration: after `make test`, building the
# programs compiles nothing. Fails loudly if a flag sneaks in that splits them. (SwiftPM checks
# swift-argument-parser's two plugins on every build and prints "Compiling plugin" for them; that
# takes no time and is not a rebuild of Fovea.)
check-no-rebuild: ## check that the test build and the program build are the same (compiles nothing)
	@log=$$($(BUILD) 2>&1); status=$$?; \
	if [ $$status -ne 0 ]; then echo "$$log"; exit $$status; fi; \
	if echo "$$log" | grep "Compiling" | grep -qv "Compiling plugin"; then \
		echo "check-no-rebuild: building the programs after the test build recompiled modules:"; \
		echo "$$log" | grep "Compiling" | grep -v "Compiling plugin"; exit 1; \
	fi; echo "check-no-rebuild: the programs and the tests share one build (nothing recompiled)"

# Lesson options are checked before the build, so a typo costs no build time.
LESSON_OPTIONS_CHECK = set -- $(ARGS); while [ $$\# -gt 0 ]; do case "$$1" in \
	--quick|--help|-h|--seed=*|--out=*|--output=*|--data=*|--weights=*) ;; \
	--seed|--out|--output|--data|--weights) [ $$\# -ge 2 ] || { echo "make: lesson option $$1 needs a value"; exit 2; }; shift ;; \
	*) echo "make: unknown lesson option '$$1' (the options are --quick, --seed N, --out DIR, --data DIR, --weights FILE)"; exit 2 ;; \
	esac; shift; done

$(addprefix lesson-,$(LESSONS)): lesson-%:
	@$(LESSON_OPTIONS_CHECK)
	$(BUILD) --product lesson$*
	$(BIN)/lesson$* $(ARGS)

lessons: ## every lesson, one after another (ARGS apply to each; 07 and 08 need CIFAR-10, 09 ImageNet images)
	@$(LESSON_OPTIONS_CHECK)
	@for n in $(LESSONS); do $(MAKE) --no-print-directory lesson-$$n ARGS="$(ARGS)" || exit $$?; done

# Near misses: `make lesson-1`, `make lesson01`, `make lesson-6`.
lesson-% lesson%:
	@n=$$(echo "$*" | sed 's/^-//'); \
	if echo "$$n" | grep -qE '^[0-9]+$$' && [ -n "$$(echo ' $(LESSONS) ' | grep -o " 0*$$n ")" ]; then \
		echo "make: no target '$@'; did you mean 'make lesson-$$(printf %02d $$(expr "$$n" + 0))'?"; \
	else echo "make: no target '$@'; the lessons are $(addprefix lesson-,$(LESSONS)) (make help lists every target)"; fi; exit 2

figures: build ## re-render the committed pages and gallery under Figures/ (full runs, real CIFAR-10: DATA=DIR)
	@if [ -z "$(DATA)" ]; then echo "make figures needs the CIFAR-10 data: make figures DATA=DIR (a folder holding cifar-10-batches-bin/), or set FOVEA_DATA"; exit 2; fi
	@for n in $(LESSONS); do \
		case $$n in 01) page=$(PAGE_01);; 02) page=$(PAGE_02);; 03) page=$(PAGE_03);; 04) page=$(PAGE_04);; 05) page=$(PAGE_05);; \
			06) page=$(PAGE_06);; 07) page=$(PAGE_07);; 08) page=$(PAGE_08);; 09) page=$(PAGE_09);; 10) page=$(PAGE_10);; esac; \
		echo "== lesson$$n → Figures/$$page"; \
		$(BIN)/lesson$$n --data "$(DATA)" --out Figures/$$page > /dev/null || exit $$?; \
	done
	$(BIN)/fovea gallery --out Figures/gallery

gradcheck: build ## every op's gradient against finite differences, as a table
	$(BIN)/fovea gradcheck

gallery: build ## one figure of every kind, from real engine output, into runs/gallery
	$(BIN)/fovea gallery --out runs/gallery

bench: build ## machine-readable speed measurements (one JSON object per line)
	$(BIN)/fovea-bench

clean: ## remove the build folder
	rm -rf .build
