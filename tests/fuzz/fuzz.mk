# libFuzzer harnesses (tests/fuzz/README.md), included by the Makefile.
#
#   make fuzz                             lists the targets
#   make fuzz TARGET=name [SECONDS=N]     fuzzes one target for N s (default 300)
#   make fuzz-quick                       replays seeds and regressions, then
#                                         FUZZ_SECONDS (30) per target, one at a time;
#                                         `make test` runs the same as test-fuzz (below)
#                                         (with SAN=1 the replay only: the harnesses are
#                                         always sanitized, so a second run adds nothing)
#
# The harnesses and the project's libraries are built with clang and
# -fsanitize=fuzzer,address,undefined into build-fuzz/, by the same rules as
# build/ (a recursive make with BUILD, CC and the flags set; -DWB_VERIFY checks
# every translated function, vm/verify.c), so build/ and
# build-san/ are never touched.

FUZZ_BUILD   := build-fuzz
FUZZ_NAMES   := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(WARN) -O1 -g -D_GNU_SOURCE -fno-strict-aliasing -MMD -MP -DWB_VERIFY \
                -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LDFLAGS := -fsanitize=fuzzer $(FUZZ_SAN)
FUZZ_SECONDS ?= $(if $(filter 1,$(SAN)),0,30)
SECONDS      ?= 300

.PHONY: fuzz fuzz-quick fuzz-bins fuzz-build clean-fuzz

# Inside the recursive make (BUILD=build-fuzz): one binary per harness.
fuzz-bins: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
	@:
$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

# The interpreter at -O0: clang 14's optimisation passes with ASan, UBSan and
# coverage on run() (one function of ~1,000 handlers joined by computed
# gotos) took ~15 minutes of CPU once SIMD's handlers were added, 16 s at -O0
# (measured 2026-12-03); the harnesses check the same code, only slower.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) SAN=0 CC=clang \
	  CFLAGS='$(FUZZ_CFLAGS)' LDFLAGS='$(FUZZ_LDFLAGS)' CFLAGS_vm/interp.c=-O0 fuzz-bins

ifeq ($(TARGET),)
fuzz:
	@echo "fuzz targets (make fuzz TARGET=name SECONDS=N; see tests/fuzz/README.md):"
	@for n in $(FUZZ_NAMES); do \
	  printf '  %-14s %s\n' $$n "$$(sed -n '1s|^/\* *||p' tests/fuzz/fuzz_$$n.c)"; done
else
fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(TARGET) $(SECONDS)
endif

fuzz-quick: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_BUILD) all $(FUZZ_SECONDS)

# make test's fuzz-quick: after unit and conformance, two targets at a time,
# so that each has a core of its own for its FUZZ_SECONDS. One at a time
# beside them it shared a core with them, then ran alone for ~210 s with the
# other core idle (tests/README.md "CI time").
.PHONY: test-fuzz
test-fuzz: fuzz-build unit conformance
	@FUZZ_JOBS=2 tests/fuzz/run.sh $(FUZZ_BUILD) all $(FUZZ_SECONDS)

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)
