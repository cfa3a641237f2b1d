#!/usr/bin/env bash
# A real program built with SIMD (issue 14): simd/kernels.c compiled by
# Debian's clang for wasm32-wasi with -O2 -msimd128 (clang vectorises its
# loops into v128 code) runs in wasmbox, under both translations, and prints
# what the same source compiled natively by gcc prints.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$here/simd/kernels.c
clang --target=wasm32-wasi -O2 -msimd128 -o "$tmp/k.wasm" "$src" || { echo "simd_c: clang failed"; exit 1; }
gcc -O2 -ffp-contract=off -o "$tmp/k.native" "$src" || { echo "simd_c: gcc failed"; exit 1; }
"$tmp/k.native" >"$tmp/native.txt" || { echo "simd_c: the native build failed"; exit 1; }
fail=0
# the module must really use SIMD (else this tests nothing new)
n=$("$wasmbox" wasm2wat "$tmp/k.wasm" 2>/dev/null | grep -cE '(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.')
if [ "${n:-0}" -lt 50 ]; then
    echo "simd_c: clang -msimd128 made only ${n:-0} SIMD instructions"
    fail=1
fi
for opt in 1 0; do
    "$wasmbox" run --opt=$opt "$tmp/k.wasm" >"$tmp/wasm.txt" 2>"$tmp/err"
    rc=$?
    if [ $rc != 0 ] || ! cmp -s "$tmp/native.txt" "$tmp/wasm.txt"; then
        echo "simd_c: --opt=$opt: exit $rc, output differs from the native build: $(cat "$tmp/err")"
        diff "$tmp/native.txt" "$tmp/wasm.txt" | head -10
        fail=1
    fi
done
[ $fail = 0 ] && echo "simd_c: ok ($n SIMD instructions)"
exit $fail
