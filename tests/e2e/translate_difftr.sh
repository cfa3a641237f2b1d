#!/usr/bin/env bash
# Self-differential testing of the translator, the quick run: thousands of
# generated functions (every rewrite of vm/translate.c with sampled operand
# sources, and random programs) run under the optimised and the reference
# translation must agree on results, traps, fuel, memory and globals. Fixed
# seeds: the same functions every time. tests/difftr/README.md says how to
# reproduce and reduce a failing case; `make fuzz-translate` is the long run.
set -u
build=$1
"$build/tests/difftr" --quick
