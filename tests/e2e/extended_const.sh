#!/usr/bin/env bash
# Extended constant expressions (i32/i64 add, sub, mul in global
# initializers and data/element offsets): tests/e2e/const/extended.wast by
# spec_runner under both translations (values worked out by hand: wrapping,
# imported globals, an expression 40 values deep, offsets, type and
# constness errors).
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for opt in 1 0; do
    if ! out=$(WASMBOX_OPT=$opt "$build/spec_runner" "$here/const/extended.wast" 2>&1) ||
        ! echo "$out" | grep -q ' 23 passed, 0 failed, 0 not run'; then
        echo "extended_const: extended.wast (opt $opt): $out"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "extended_const: ok"
exit $fail
