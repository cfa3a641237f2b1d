#!/usr/bin/env bash
# Self-differential testing of the translator, the quick run: thousands of
# generated functions (every rewrite of vm/translate.c with sampled operand
# sources, and random programs) run under the optimised and the reference
# translation must agree on results, traps, fuel, memory, globals and the
# table. Fixed seeds: the same functions every time. tests/difftr/README.md
# says how to reproduce and reduce a failing case; `make fuzz-translate` is
# the long run.
#
# First, the generator is checked by tools that are not wasmbox: wabt's
# validator must accept sample modules (so the validator under test is not
# the only judge of the programs), and wat2wasm must read their text (the
# form regression tests are written in).
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/difftr" --samples "$tmp" || exit 1
bad=0 n=0
for w in "$tmp"/*.wasm; do
    n=$((n + 1))
    if ! wasm-validate --enable-tail-call --enable-multi-memory --enable-memory64 "$w" 2>"$tmp/err"; then
        echo "translate_difftr: wasm-validate refuses $(basename "$w"): $(head -3 "$tmp/err")"
        bad=$((bad + 1))
    fi
    t=${w%.wasm}.wat
    if ! wat2wasm --enable-tail-call --enable-multi-memory --enable-memory64 "$t" -o "$tmp/back.wasm" 2>"$tmp/err"; then
        echo "translate_difftr: wat2wasm cannot read $(basename "$t"): $(head -3 "$tmp/err")"
        bad=$((bad + 1))
    fi
done
if [ "$n" -lt 40 ] || [ "$bad" -ne 0 ]; then
    echo "translate_difftr: generator check: $bad problems in $n sample modules"
    exit 1
fi
echo "translate_difftr: $n sample modules valid for wabt and readable as text"
# one worker per CPU (at most 4): e2e scripts run one at a time, so the
# other cores would idle through the longest of them (the same cases as one
# process: difftr.c quick_part)
jobs=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -le 4 ] || jobs=4
"$build/tests/difftr" --quick --jobs "$jobs"
