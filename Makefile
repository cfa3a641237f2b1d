# wasmbox build. `make` builds everything; `make test` runs every test;
# `make test SAN=1` does the same with ASan+UBSan in a separate build dir;
# `make test TSAN=1` runs the tests that share objects between threads under
# ThreadSanitizer (build-tsan/).

SAN ?= 0
TSAN ?= 0
# GCC, not clang: clang 14 builds of the interpreter (vm/interp.c) cost about
# +24% host instructions per wasm instruction (vm/README.md "Code format").
CC ?= gcc
ifeq ($(CC),cc)
CC := gcc
endif
BUILD ?= build$(if $(filter 1,$(SAN)),-san,)$(if $(filter 1,$(TSAN)),-tsan,)

WARN   := -std=c11 -Wall -Wextra -Werror
# -fno-math-errno: sqrt compiles to one instruction instead of a call into
# libm (nothing here reads errno after a math function), and with
# vm/interp_ops.h's wb_nearest nothing else needs libm, so --as-needed
# leaves it unloaded: ~380 KB less resident at every start (bench/README.md
# "Start-up"). A build that still calls libm (-O1 may not inline a
# function) links it as before.
MATH   := -fno-math-errno
# Each function in a section of its own, so that the link can place the
# functions a start runs together (STARTUP_LD below).
LAYOUT := -ffunction-sections
CFLAGS := $(WARN) -O2 -g -D_GNU_SOURCE -fno-strict-aliasing $(MATH) $(LAYOUT) -MMD -MP
# OpenSSL, libmicrohttpd and libyaml are not linked: wasmbox loads each on
# first use (net/openssl_lib.c, tools/mcp/lazy_libs.c), so a run that makes
# no request, serves no HTTP and reads no skill never maps them (start-up:
# bench/README.md). Test programs that call OpenSSL themselves (a TLS test
# server, the MCP library's tests) link it directly with OPENSSL_DIRECT:
# --exclude-libs keeps the forwarding definitions of our archives out of the
# dynamic symbol table, so libssl binds to libcrypto, not to them.
LDLIBS := -Wl,--as-needed -lcjson -lm -lpthread
# RELR: the binary's ~4,900 relative relocations (pointers in its tables)
# packed into 1 KB instead of 118 KB of .rela.dyn that the loader reads at
# every start (glibc >= 2.36 reads them; binutils >= 2.38 writes them):
# -17,000 instructions and ~100 KB less resident (bench/README.md "Start-up").
LDFLAGS += -Wl,-z,pack-relative-relocs
OPENSSL_DIRECT := -Wl,--exclude-libs,ALL -lssl -lcrypto
ifeq ($(SAN),1)
# WB_VERIFY: every translated function is checked by vm/verify.c.
CFLAGS  := $(WARN) -O1 -g -D_GNU_SOURCE -fno-strict-aliasing $(MATH) -MMD -MP -DWB_VERIFY \
           -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
# Sanitized processes start slowly: fewer (still thousands of) fuzz variants.
export FUZZ_PROCESS_RUNS ?= 1000
export FUZZ_INPROCESS_RUNS ?= 10000
endif
ifeq ($(TSAN),1)
CFLAGS  := $(WARN) -O1 -g -D_GNU_SOURCE -fno-strict-aliasing $(MATH) -MMD -MP -DWB_VERIFY \
           -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif

VM_SRC     := $(wildcard vm/*.c)
POLICY_SRC := $(wildcard policy/*.c)
WASI_SRC   := $(wildcard wasi/*.c)
NET_SRC    := $(wildcard net/*.c)
# The text-format reader (wat/README.md): outside the trusted core.
WAT_SRC    := $(wildcard wat/*.c)
# The tool bridge (tools/bridge*.c) is a library of its own: the CLI, the
# MCP server and the unit tests link it.
BRIDGE_SRC := $(wildcard tools/bridge*.c)
CLI_SRC    := $(filter-out $(BRIDGE_SRC),$(wildcard tools/*.c))
# The MCP server and skills (tools/mcp/README.md), a library the CLI and its
# test programs link.
MCP_SRC    := $(wildcard tools/mcp/*.c)
CONF_SRC   := $(wildcard conformance/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
TOOL_SRC   := $(wildcard tests/tools/*.c)
DIFFTR_SRC := $(wildcard tests/difftr/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# Guest code (tools/guest/): the regex engine and the grep core, plain C11
# built here for the host unit tests; the guest tools link the wasm builds.
REGEX_SRC  := $(wildcard tools/guest/regex/*.c)
# The grep tool's own files sit beside the core (the tool is named after its
# directory) and are not part of it: the shell links the core too.
GREP_TOOL_SRC := $(wildcard tools/guest/grep/main.c tools/guest/grep/tool_*.c)
GREP_SRC   := $(filter-out $(GREP_TOOL_SRC),$(wildcard tools/guest/grep/*.c))
REGEX_LIB  := $(BUILD)/libwbregex.a
GREP_LIB   := $(BUILD)/libwbgrep.a
GUEST_HOST_LIBS := $(if $(GREP_SRC),$(GREP_LIB)) $(if $(REGEX_SRC),$(REGEX_LIB))

VM_LIB     := $(BUILD)/libwbvm.a
POLICY_LIB := $(BUILD)/libwbpolicy.a
WASI_LIB   := $(BUILD)/libwbwasi.a
NET_LIB    := $(BUILD)/libwbnet.a
WAT_LIB    := $(BUILD)/libwbwat.a
BRIDGE_LIB := $(BUILD)/libwbbridge.a
MCP_LIB    := $(BUILD)/libwbmcp.a
# Link order follows the layering: tools -> wasi, net -> policy, vm.
# A layer with no sources yet has no library.
LIBS       := $(if $(BRIDGE_SRC),$(BRIDGE_LIB)) $(if $(WASI_SRC),$(WASI_LIB)) $(if $(NET_SRC),$(NET_LIB)) \
              $(if $(POLICY_SRC),$(POLICY_LIB)) $(if $(WAT_SRC),$(WAT_LIB)) $(VM_LIB)

WASMBOX     := $(BUILD)/wasmbox
SPEC_RUNNER := $(BUILD)/spec_runner
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TEST_TOOLS  := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOL_SRC))
DIFFTR      := $(BUILD)/tests/difftr

# Guest tools (tools/guest/README.md): every tools/guest/NAME/ with a main.c
# becomes $(BUILD)/tools/NAME.wasm, built from NAME/*.c, NAME/*/*.c and the
# library tools/guest/lib/*.c with Debian's clang and wasi-libc. The library
# is also built for the host, for its unit tests (tests/unit/test_gtool_*.c).
# A tool's sources from elsewhere go in GTOOL_SRC_NAME, its own link flags in
# GTOOL_LDFLAGS_NAME.
WASM_CC       := clang --target=wasm32-wasi
# -mbulk-memory: the tools' memcpy and memset become memory.copy and
# memory.fill, one instruction charged a unit per 64 bytes and run by the
# host's memmove, where wasi-libc's C loops cost ~1-5 instructions a byte in
# the interpreter (read of 64 KiB: 3.43M -> 2.46M instructions). Clang 14
# then wants TLS (errno) in the local-exec model, which is what a module
# without threads has anyway (the linker makes it a plain global).
WASM_CFLAGS   := $(WARN) -O2 -mbulk-memory -ftls-model=local-exec -D_GNU_SOURCE -MMD -MP
GTOOL_LIB_SRC := $(wildcard tools/guest/lib/*.c)
GTOOL_NAMES   := $(patsubst tools/guest/%/main.c,%,$(wildcard tools/guest/*/main.c))
GTOOLS        := $(patsubst %,$(BUILD)/tools/%.wasm,$(GTOOL_NAMES))
# The built-in tools' manifests sit beside their modules, where the bridge
# finds them from the wasmbox binary ($(BUILD)/tools, tools/README.md).
BUILTIN_MANIFESTS := $(patsubst tools/builtin/%,$(BUILD)/tools/%,$(wildcard tools/builtin/*.json))
GTOOLS        += $(BUILTIN_MANIFESTS)
GTOOL_HOST_LIB := $(BUILD)/libwbtool-host.a
wasm_obj = $(patsubst %.c,$(BUILD)/obj/wasm32/%.o,$(1))
# grep: the core is in its directory; the regex engine recurses, so the stack
# goes first and an overflow traps (tools/guest/regex/README.md).
GTOOL_SRC_grep     := $(REGEX_SRC)
GTOOL_LDFLAGS_grep := -Wl,--stack-first
# The shell recurses (functions, subshells, nested syntax): an 8 MiB C stack
# placed first, so that running past it traps instead of overwriting data.
GTOOL_LDFLAGS_shell := -Wl,-z,stack-size=8388608 -Wl,--stack-first
# The shell's grep, sed and find -regex use the regex engine and the grep
# core; a utility written as several files keeps them in utils/NAME/ (awk).
SHELL_UTIL_DIRS_SRC := $(wildcard tools/guest/shell/utils/*/*.c)
GTOOL_SRC_shell     := $(SHELL_UTIL_DIRS_SRC) $(REGEX_SRC) $(GREP_SRC)
# The shell built for the host too, for tests under ASan/UBSan (SAN=1).
SHELL_SRC     := $(wildcard tools/guest/shell/*.c tools/guest/shell/utils/*.c) $(SHELL_UTIL_DIRS_SRC) $(REGEX_SRC) $(GREP_SRC)
SHELL_HOST    := $(BUILD)/tests/tools/shell_host

.PHONY: all test test-deps unit conformance e2e example bench bench-startup bench-nofuel bench-pairs bench-wat bench-tools bench-large bench-mcp fuzz-v8 fuzz-translate clean guest-tools install
# Keep the objects of pattern-built programs (make would delete them as
# intermediates and rebuild them next time).
.SECONDARY:
all: $(WASMBOX) $(SPEC_RUNNER) $(UNIT_BINS) $(TEST_TOOLS) $(DIFFTR) $(GTOOLS) $(SHELL_HOST)
guest-tools: $(GTOOLS)

# CFLAGS_<source path> adds flags for one file (the fuzz build's interpreter:
# tests/fuzz/fuzz.mk).
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_$<) -c $< -o $@

define lib_rule
$(1): $(call obj,$(2))
	@mkdir -p $$(dir $$@)
	rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call lib_rule,$(VM_LIB),$(VM_SRC)))
$(eval $(call lib_rule,$(POLICY_LIB),$(POLICY_SRC)))
$(eval $(call lib_rule,$(WASI_LIB),$(WASI_SRC)))
$(eval $(call lib_rule,$(NET_LIB),$(NET_SRC)))
$(eval $(call lib_rule,$(WAT_LIB),$(WAT_SRC)))
$(eval $(call lib_rule,$(BRIDGE_LIB),$(BRIDGE_SRC)))
$(eval $(call lib_rule,$(MCP_LIB),$(MCP_SRC)))
$(eval $(call lib_rule,$(REGEX_LIB),$(REGEX_SRC)))
$(eval $(call lib_rule,$(GREP_LIB),$(GREP_SRC)))

# The functions a plain run executes at start (tools/startup_functions.txt,
# written by bench/startup_functions.sh) are placed together at the front
# of wasmbox's code: a start faults in a few 64 KB windows of it instead of
# most of it (bench/README.md "Start-up"). The script is ld's default one
# for this compiler and these flags, with that list added.
STARTUP_LD := $(BUILD)/startup_order.ld
$(STARTUP_LD): tools/startup_functions.txt tools/startup_order.ld.sh
	@mkdir -p $(dir $@)
	tools/startup_order.ld.sh $< "$(CC) $(LDFLAGS)" > $@.tmp && mv $@.tmp $@

$(WASMBOX): $(call obj,$(CLI_SRC)) $(MCP_LIB) $(LIBS) $(STARTUP_LD)
	$(CC) $(LDFLAGS) -Wl,-T,$(STARTUP_LD) -o $@ $(call obj,$(CLI_SRC)) $(MCP_LIB) $(LIBS) $(LDLIBS)

$(SPEC_RUNNER): $(call obj,$(CONF_SRC)) $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(CONF_SRC)) $(LIBS) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(GUEST_HOST_LIBS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(GUEST_HOST_LIBS) $(LIBS) $(LDLIBS) -lcmocka

# Unit tests of the guest-tool library link its host build (and a tool's
# own files where named below), nothing else.
$(BUILD)/tests/test_gtool_%: $(BUILD)/obj/tests/unit/test_gtool_%.o $(GTOOL_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(GTOOL_HOST_LIB) -lcmocka
$(BUILD)/tests/test_gtool_glob: $(BUILD)/obj/tools/guest/glob/pattern.o
$(BUILD)/tests/test_gtool_webfetch: $(patsubst %,$(BUILD)/obj/tools/guest/web-fetch/%.o,\
  charset content_type convert entities entities_table html_tok mdsyntax table tags urlref writer)

$(eval $(call lib_rule,$(GTOOL_HOST_LIB),$(GTOOL_LIB_SRC)))

# The run's timer test links the timer itself (tools/cli_timer.c).
$(BUILD)/tests/test_cli_timer: $(BUILD)/obj/tests/unit/test_cli_timer.o $(BUILD)/obj/tools/cli_timer.o $(GUEST_HOST_LIBS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(GUEST_HOST_LIBS) $(LIBS) $(LDLIBS) -lcmocka

# The bridge's thread test calls the built tools ($(BUILD)/tools); the reuse
# test a test guest too.
$(BUILD)/tests/test_bridge_threads: | $(GTOOLS)
$(BUILD)/tests/test_bridge_reuse: | $(GTOOLS) $(BUILD)/guests/bridge_misbehave.wasm

$(BUILD)/obj/wasm32/%.o: %.c
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_CFLAGS) -c $< -o $@

define gtool_rule
$(BUILD)/tools/$(1).wasm: $(call wasm_obj,$(wildcard tools/guest/$(1)/*.c tools/guest/$(1)/*/*.c) $(GTOOL_SRC_$(1)) $(GTOOL_LIB_SRC))
	@mkdir -p $$(dir $$@)
	$(WASM_CC) -Wl,--strip-debug $(GTOOL_LDFLAGS_$(1)) -o $$@ $$^
endef
ifneq ($(TSAN),1)
$(foreach t,$(GTOOL_NAMES),$(eval $(call gtool_rule,$(t))))
else
# The guest tools are wasm, the same bytes whatever the host build's flags:
# ThreadSanitizer's tests (test_bridge_threads, test_bridge_reuse) take the
# plain build's, made there when missing or stale, instead of compiling
# ~210 files again (tests/README.md "CI time"). Copied only when they
# differ, so that nothing built after them is made again for nothing.
PLAIN_BUILD := build
GTOOL_MODULES := $(patsubst %,$(BUILD)/tools/%.wasm,$(GTOOL_NAMES))
.PHONY: plain-guest-tools
plain-guest-tools:
	@$(MAKE) --no-print-directory BUILD=$(PLAIN_BUILD) SAN=0 TSAN=0 \
	  $(patsubst %,$(PLAIN_BUILD)/tools/%.wasm,$(GTOOL_NAMES))
$(GTOOL_MODULES): $(BUILD)/tools/%.wasm: plain-guest-tools
	@mkdir -p $(dir $@)
	@cmp -s $(PLAIN_BUILD)/tools/$*.wasm $@ || cp $(PLAIN_BUILD)/tools/$*.wasm $@
endif
$(BUILD)/tools/%.json: tools/builtin/%.json
	@mkdir -p $(dir $@)
	cp $< $@

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the binary, and the built-in
# tools where it finds them (PREFIX/lib/wasmbox/tools, tools/README.md).
PREFIX ?= /usr/local
BUILTIN_MODULES := $(BUILTIN_MANIFESTS:.json=.wasm)
install: $(WASMBOX) $(BUILTIN_MANIFESTS) $(BUILTIN_MODULES)
	$(if $(findstring WB_NO_FUEL,$(CFLAGS))$(findstring WB_PAIR_PROFILE,$(CFLAGS)),$(error a bench-only build (no fuel metering, or the pair profiler) is never installed))
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/wasmbox/tools
	install -m 755 $(WASMBOX) $(DESTDIR)$(PREFIX)/bin/wasmbox
	install -m 644 $(BUILTIN_MANIFESTS) $(BUILTIN_MODULES) $(DESTDIR)$(PREFIX)/lib/wasmbox/tools/

$(SHELL_HOST): $(call obj,$(SHELL_SRC)) $(GTOOL_HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# Programs the end-to-end tests drive (one main each).
$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(GUEST_HOST_LIBS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(GUEST_HOST_LIBS) $(LIBS) $(LDLIBS) $(OPENSSL_DIRECT)

# Unit tests of the MCP server link its library.
$(BUILD)/tests/test_mcp_%: $(BUILD)/obj/tests/unit/test_mcp_%.o $(MCP_LIB) $(NET_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(MCP_LIB) $(NET_LIB) $(LDLIBS) $(OPENSSL_DIRECT) -lcmocka

# The MCP server over a test double of the tools (tests/tools/mcp_fake.c).
$(BUILD)/tests/tools/mcp_fake: $(BUILD)/obj/tests/tools/mcp_fake.o $(MCP_LIB) $(NET_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(MCP_LIB) $(NET_LIB) $(LDLIBS) $(OPENSSL_DIRECT)

# Self-differential testing of the translator (tests/difftr/README.md): an
# explicit rule, so the unit-test pattern above does not apply. Only the vm.
$(DIFFTR): $(call obj,$(DIFFTR_SRC)) $(VM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(DIFFTR_SRC)) $(VM_LIB) -lm

# The long run: `make fuzz-translate SECONDS=600 [SEED=n]` (default 60 s, seed
# 1). Not part of `make test` (its quick run is, as tests/e2e/translate_difftr.sh).
fuzz-translate: $(DIFFTR)
	$(DIFFTR) --seconds $(or $(SECONDS),60) $(if $(SEED),--seed $(SEED))


unit: $(UNIT_BINS)
	@tests/run_unit.sh $(UNIT_BINS)

# The runner's self-test, then the spec suite under the optimized and the
# reference translation, each held to conformance/known_failures.txt.
conformance: $(SPEC_RUNNER) $(WASMBOX)
	@conformance/selftest.sh $(SPEC_RUNNER)
	@conformance/run_spec.sh $(SPEC_RUNNER)
	@conformance/run_spec3.sh -j 2 $(SPEC_RUNNER)

# WASI guest programs (C compiled to wasm32-wasi) for the wasi e2e tests.
GUEST_SRC  := $(wildcard tests/guests/*.c)
GUESTS     := $(patsubst tests/guests/%.c,$(BUILD)/guests/%.wasm,$(GUEST_SRC))
$(BUILD)/guests/%.wasm: tests/guests/%.c
	@mkdir -p $(dir $@)
	clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -o $@ $<
# The grep core in a guest, its sources compiled in. --stack-first: a stack
# overflow traps instead of running into the data; the default 64 KiB stack
# is enough at the regex nesting limits (tests/e2e/grep_core.sh checks).
$(BUILD)/guests/grep_core.wasm: tests/guests/grep_core.c $(REGEX_SRC) $(GREP_SRC) \
                                $(wildcard tools/guest/regex/*.h tools/guest/grep/*.h)
	@mkdir -p $(dir $@)
	clang --target=wasm32-wasi -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	  -Wl,--stack-first -o $@ $< $(REGEX_SRC) $(GREP_SRC)

# The MCP conformance suite's fixture tools (tests/mcp/fixture/, one guest
# module for them all), laid out as a --tools directory: test-only, never
# part of the server (tests/e2e/mcp_conformance.sh).
MCP_FIXTURE := $(patsubst tests/mcp/fixture/%,$(BUILD)/tests/mcp-fixture/%,$(wildcard tests/mcp/fixture/*.json)) \
               $(BUILD)/tests/mcp-fixture/mcp_fixture.wasm
$(BUILD)/tests/mcp-fixture/%.json: tests/mcp/fixture/%.json
	@mkdir -p $(dir $@)
	cp $< $@
$(BUILD)/tests/mcp-fixture/mcp_fixture.wasm: $(BUILD)/guests/mcp_fixture.wasm
	@mkdir -p $(dir $@)
	cp $< $@

E2E_DEPS := $(WASMBOX) $(SPEC_RUNNER) $(TEST_TOOLS) $(GUESTS) $(DIFFTR) $(GTOOLS) $(SHELL_HOST) $(MCP_FIXTURE)
e2e: $(E2E_DEPS)
	@tests/run_e2e.sh $(BUILD)

# e2e runs last and alone: some of its scripts check that a run ended within
# some time of a deadline, which other test jobs sharing the CPUs would
# disturb. Add other test jobs to the prerequisites here, never e2e itself.
# A skipped test fails `make test` unless ALLOW_SKIP=1 (tests/README.md).
# The fuzz build first (with -j2 make starts the first two prerequisites at
# once), beside unit and conformance; then test-fuzz (tests/fuzz/fuzz.mk):
# fuzz-quick's replays and runs, two targets at a time once unit and
# conformance are done, each with a core of its own.
ifneq ($(TSAN),1)
test: fuzz-build unit conformance test-fuzz $(E2E_DEPS)
	@tests/run_e2e.sh $(BUILD)
# What `make test` runs, built and not run (.ci/run builds the sanitizer
# build's this way beside the README's first command).
test-deps: $(UNIT_BINS) $(SPEC_RUNNER) $(E2E_DEPS)
else
# Under ThreadSanitizer: the tests whose objects are used from several threads
# (a module shared by stores on many threads, its functions translated by
# whichever thread calls them first; a timer interrupting a run;
# many tool calls on one bridge, cancelled from another thread; the MCP
# server's reader, workers, progress sender and writer).
TSAN_TESTS := $(BUILD)/tests/test_shared_module $(BUILD)/tests/test_lazy $(BUILD)/tests/test_fuel \
              $(BUILD)/tests/test_bridge_threads $(BUILD)/tests/test_bridge_reuse \
              $(BUILD)/tests/test_mcp_server
test: $(TSAN_TESTS)
	@TSAN_OPTIONS=halt_on_error=1 tests/run_unit.sh $(TSAN_TESTS)
test-deps: $(TSAN_TESTS)
endif

# Differential execution against V8 (tests/v8diff/README.md): binaryen -ttf
# modules for SECONDS (default 300) from seed SEED (default: from the clock;
# the summary names the seeds, so a run can be repeated). Not part of
# `make test`, which runs a fixed range of seeds (tests/e2e/v8diff.sh).
fuzz-v8: $(BUILD)/tests/tools/v8diff_run
	node tests/v8diff/fuzz.js --build $(BUILD) --seconds $(or $(SECONDS),300) $(if $(SEED),--seed $(SEED))

# Speed beside the peers (bench/README.md): `make bench` measures every
# workload and the large module's start-up, reads issue 12's goals off the
# figures, and writes bench/results.md and bench/results.svg; `make bench
# QUICK=1` is the smoke run (fib at tiny sizes, into $(BUILD)/bench/), also
# run by tests/e2e/bench_smoke.sh. Not part of `make test` otherwise.
# Debian's python3 (its matplotlib draws the chart), whatever python3 is first
# on PATH.
BENCH_PY ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
bench: $(WASMBOX) bench-nofuel
	$(BENCH_PY) bench/run.py $(BUILD) $(if $(filter 1,$(QUICK)),--quick)

# Only the start-up part of `make bench` (empty module and hello world beside
# the peers, binary sizes) into $(BUILD)/bench/results-startup.md.
bench-startup: $(WASMBOX)
	$(BENCH_PY) bench/run.py $(BUILD) --startup-only $(if $(RUNS),--startup-runs $(RUNS))

# The bench-only pair profiler (vm/pair_profile.h): counts dispatches and
# pairs of consecutive handlers, printed to stderr at the end of a run.
PAIRS_BUILD := build-pairs
bench-pairs:
	@$(MAKE) --no-print-directory BUILD=$(PAIRS_BUILD) SAN=0 TSAN=0 \
	  CFLAGS='$(WARN) -O2 -g -D_GNU_SOURCE -fno-strict-aliasing $(MATH) $(LAYOUT) -MMD -MP -DWB_PAIR_PROFILE' \
	  $(PAIRS_BUILD)/wasmbox

# The bench-only build with fuel metering compiled out (-DWB_NO_FUEL), so
# the cost of fuel stays measured. Its own directory; never installed.
NOFUEL_BUILD := build-nofuel
bench-nofuel:
	@$(MAKE) --no-print-directory BUILD=$(NOFUEL_BUILD) SAN=0 TSAN=0 \
	  CFLAGS='$(WARN) -O2 -g -D_GNU_SOURCE -fno-strict-aliasing $(MATH) $(LAYOUT) -MMD -MP -DWB_NO_FUEL' \
	  $(NOFUEL_BUILD)/wasmbox

# Tool calls as whole processes against node's WASI and the host's shell
# Parse speed of the text-format reader over the 3.0 suite (bench/README.md,
# "The text-format reader"). Not part of `make test`.
WAT_BENCH := $(BUILD)/bench/wat_parse
$(WAT_BENCH): $(BUILD)/obj/bench/wat_parse.o $(WAT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(WAT_LIB) $(LDLIBS)
bench-wat: $(WAT_BENCH)
	$(WAT_BENCH) $$(find "$$(conformance/suite_dir.sh spec-testsuite-3.0)" -name '*.wast' | LC_ALL=C sort)

# (bench/README.md, "Tool calls"). Not part of `make test`.
bench-tools: $(WASMBOX) $(GTOOLS)
	python3 bench/tools.py $(BUILD) $(if $(RUNS),--runs $(RUNS))

# Start-up of a 55 MB generated module against node's (bench/README.md,
# "Large modules"). Not part of `make test`.
bench-large: $(WASMBOX)
	bench/large.sh $(BUILD) $(or $(RUNS),9)

# `wasmbox mcp` against the reference MCP filesystem server (node) doing the
# same file reads (bench/README.md, "MCP server"). Not part of `make test`.
bench-mcp: $(WASMBOX) $(GTOOLS)
	cd bench/mcp && npm ci --no-audit --no-fund --loglevel=error
	python3 bench/bench_mcp.py $(WASMBOX) $(if $(CALLS),--calls $(CALLS)) $(if $(CLIENTS),--clients $(CLIENTS))

# The README's first example: a module from text called with arguments, then
# a WASI program that may read one mapped directory and nothing else.
example: $(WASMBOX) $(BUILD)/examples/wc.wasm
	wat2wasm tests/examples/fib.wat -o $(BUILD)/fib.wasm
	$(WASMBOX) run --invoke fib $(BUILD)/fib.wasm 90
	$(WASMBOX) run --dir tests/examples::/data:ro $(BUILD)/examples/wc.wasm /data/fib.wat
	! $(WASMBOX) run --dir tests/examples::/data:ro $(BUILD)/examples/wc.wasm /etc/passwd

$(BUILD)/examples/%.wasm: tests/examples/%.c
	@mkdir -p $(dir $@)
	clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -o $@ $<

clean:
	rm -rf build build-san $(NOFUEL_BUILD) $(PAIRS_BUILD)

# libFuzzer harnesses: `make fuzz`, `make fuzz-quick` (a prerequisite of test).
include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
