#!/usr/bin/env bash
# Exception handling (issue 14; vm/README.md "Exception handling"), under
# both translations: exc/basic.wat through wasmbox's own text reader (throw
# and catch across calls, every payload type, legacy rethrow and delegate,
# catch_all_ref + throw_ref, uncaught exceptions: exit code 133 and the tag
# named, a trap is not caught, throw_ref of null, exact fuel on throw
# paths); exc/cross.wast by spec_runner (tags imported across instances,
# each instance's own tags); and a WASI C program that throws with clang's
# __builtin_wasm_throw, caught by a .wat linked into it (exc/prog.c); with
# typed references and tail calls (exc/typed.wat); fuel of throws caught
# in a loop under fuel charged per chain (exc/fuel_loop.wat). Every
# expected value is worked out by hand in those files.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
x=$here/exc
# expect NAME RC STDOUT STDERR-LINE-REGEX -- COMMAND...: both translations
expect() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4
    shift 5
    for opt in 1 0; do
        WASMBOX_OPT=$opt "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        local rc=$? out
        out=$(cat "$tmp/out")
        if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] ||
            { [ -n "$want_err" ] && ! grep -qxE -- "$want_err" "$tmp/err"; }; then
            echo "exceptions: $name (opt $opt): exit $rc (want $want_rc), out [$out] (want [$want_out]), err [$(head -3 "$tmp/err")] (want line /$want_err/)"
            fail=1
        fi
    done
}
# fuel NAME WANT -- RUN-ARGS...: fuel_used and status of `wasmbox run`, both translations
fuel() {
    local name=$1 want=$2
    shift 3
    for opt in 1 0; do
        WASMBOX_OPT=$opt "$wasmbox" run --fuel 1000000 --timeout 60s --report "$tmp/r.json" "$@" >/dev/null 2>&1 </dev/null
        local got
        got=$(jq -r '"\(.fuel_used) \(.status)"' "$tmp/r.json" 2>/dev/null)
        if [ "$got" != "$want" ]; then
            echo "exceptions: $name (opt $opt): fuel and status [$got], want [$want]"
            fail=1
        fi
    done
}
run() { "$wasmbox" run --fuel 1000000 --timeout 60s "$@"; }
b=$x/basic.wat

expect across-calls 0 7 "" -- run --invoke across_calls "$b"
expect payloads 0 "$(printf '%s\n' -5 1234567890123 1.5 -0.25 'i32x4 0x00000001 0x00000002 0x00000003 0xffffffff' funcref)" "" -- run --invoke payloads "$b"
expect rethrow 0 142 "" -- run --invoke rethrow "$b"
expect delegate 0 21 "" -- run --invoke delegate "$b"
expect catch-all-ref 0 9 "" -- run --invoke catch_all_ref "$b"
expect uncaught-exported 133 "" 'wasmbox: uncaught exception: tag "e" in function 0 at offset 0x[0-9a-f]+' -- run --invoke uncaught_exported "$b"
expect uncaught-index 133 "" 'wasmbox: uncaught exception: tag index 1 in function 9 at offset 0x[0-9a-f]+' -- run --invoke uncaught_index "$b"
expect trap-not-caught 134 "" 'wasmbox: trap: unreachable in function 10 at offset 0x[0-9a-f]+' -- run --invoke trap_in_try "$b"
expect null-exnref 134 "" 'wasmbox: trap: null exception reference in function 11 at offset 0x[0-9a-f]+' -- run --invoke null_ref "$b"
fuel fuel-local "5 exited" -- --invoke fuel_local "$b"
fuel fuel-call "12 exited" -- --invoke fuel_call "$b"
# uncaught: 2 for throw $quiet's stretch (i32.const, throw), the report says so
fuel fuel-uncaught "2 exception" -- --invoke uncaught_index "$b"
# one unit short of the throw path: out of fuel, not an exception
expect fuel-short 137 "" 'wasmbox: limit: out of fuel' -- "$wasmbox" run --fuel 11 --invoke fuel_call "$b"

# throwing and catching in a loop, fuel charged per chain (exc/fuel_loop.wat,
# by hand there): try_table, legacy catch, rethrow, delegate; each odd i
# throws from a callee, the caller's chain paying for what it held after
# the call
l=$x/fuel_loop.wat
for f in "loop_try_table 229" "loop_legacy 189" "loop_rethrow 214" "loop_delegate 209"; do
    set -- $f
    expect "$1" 0 25 "" -- run --invoke "$1" "$l" 10
    fuel "fuel-$1" "$2 exited" -- --invoke "$1" "$l" 10
done
# no taken branch in them refunds, so exactly the fuel used completes and
# one unit less stops (out of fuel, not an exception)
expect loop-exact 0 25 "" -- "$wasmbox" run --fuel 229 --invoke loop_try_table "$l" 10
expect loop-short 137 "" 'wasmbox: limit: out of fuel' -- "$wasmbox" run --fuel 228 --invoke loop_try_table "$l" 10
expect loop-legacy-exact 0 25 "" -- "$wasmbox" run --fuel 189 --invoke loop_legacy "$l" 10
expect loop-legacy-short 137 "" 'wasmbox: limit: out of fuel' -- "$wasmbox" run --fuel 188 --invoke loop_legacy "$l" 10

# with typed references (exc/typed.wat): exnref as (ref null exn) and (ref
# exn) in globals, tables, locals, select, br_on_null and signatures; tail
# calls out of and into functions with handlers
t=$x/typed.wat
expect typed-stored 0 11 "" -- run --invoke stored "$t"
expect typed-nonnull 0 3 "" -- run --invoke nonnull "$t"
expect typed-select-1 0 0 "" -- run --invoke select_exn "$t" 1
expect typed-select-0 0 1 "" -- run --invoke select_exn "$t" 0
expect typed-on-null-1 0 10 "" -- run --invoke on_null "$t" 1
expect typed-on-null-0 0 20 "" -- run --invoke on_null "$t" 0
expect typed-noexn 0 1 "" -- run --invoke noexn "$t"
expect tail-in-try 0 1004 "" -- run --invoke tail_in_try "$t"
expect tail-ref-in-try 0 1006 "" -- run --invoke tail_ref_in_try "$t"
expect tail-to-handler 0 9 "" -- run --invoke tail_to_handler "$t"
# a catch_all_ref gives a (ref exn), which no (ref noexn) label takes; a
# catch_ref gives the tag's values too; a (ref exn) local needs a set first
printf '%s\n' '(module (tag $e (param i32)) (func (result (ref null noexn))' \
    '(block $l (result (ref null noexn)) (try_table (catch_all_ref $l)) (ref.null noexn))))' >"$tmp/bad1.wat"
expect bad-noexn-label 1 "" '.*function 0, offset 0x[0-9a-f]+: type mismatch: catch_all_ref to label 0: .*' -- "$wasmbox" validate "$tmp/bad1.wat"
printf '%s\n' '(module (tag $e (param i32)) (func (result (ref exn))' \
    '(block $l (result (ref exn)) (try_table (catch_ref $e $l)) unreachable)))' >"$tmp/bad2.wat"
expect bad-catch-ref-label 1 "" '.*function 0, offset 0x[0-9a-f]+: type mismatch: catch_ref to label 0: .*' -- "$wasmbox" validate "$tmp/bad2.wat"
printf '%s\n' '(module (func (local (ref exn)) (throw_ref (local.get 0))))' >"$tmp/bad3.wat"
expect bad-unset-local 1 "" '.*uninitialized local 0.*' -- "$wasmbox" validate "$tmp/bad3.wat"
# a legacy try body that leaves two values where one is wanted: the
# reference interpreter's text names the whole stack (offset 0x1e: the
# catch_all, counted by hand)
printf '%s\n' '(module (func (result i32) (try (result i32) (do (i32.const 1) (i32.const 2))' \
    '(catch_all (i32.const 3)))))' >"$tmp/bad4.wat"
expect bad-leftover 1 "" '.*function 0, offset 0x1e: type mismatch: block requires \[i32\] but stack has \[i32 i32\]' -- "$wasmbox" validate "$tmp/bad4.wat"

# wasm2wat prints tags, their imports and exports and every exception
# instruction so that the text reads back to the same bytes
roundtrip() {
    local name=$1 wasm=$2
    if ! "$wasmbox" wasm2wat "$wasm" >"$tmp/rt.wat" 2>"$tmp/rt.err" ||
        ! grep -q '(tag (;0;)' "$tmp/rt.wat" ||
        ! "$wasmbox" wat2wasm "$tmp/rt.wat" -o "$tmp/rt.wasm" 2>>"$tmp/rt.err" ||
        ! cmp -s "$wasm" "$tmp/rt.wasm"; then
        echo "exceptions: $name: wasm2wat does not read back to the same bytes: $(head -3 "$tmp/rt.err")"
        fail=1
    fi
}
"$wasmbox" wat2wasm "$b" -o "$tmp/basic.wasm" || { echo "exceptions: wat2wasm basic.wat failed"; exit 1; }
roundtrip basic.wat "$tmp/basic.wasm"

for opt in 1 0; do
    WASMBOX_OPT=$opt "$build/spec_runner" "$x/cross.wast" >"$tmp/spec" 2>&1
    if [ $? != 0 ] || ! grep -q 'cross.wast: 11 passed, 0 failed' "$tmp/spec"; then
        echo "exceptions: cross.wast (opt $opt): $(tail -3 "$tmp/spec")"
        fail=1
    fi
done

# the WASI program: clang throws, the .wat catches, wasmbox runs it
if wat2wasm --enable-exceptions --relocatable "$x/catch.wat" -o "$tmp/catch.o" &&
    clang --target=wasm32-wasi -O2 -fwasm-exceptions "$x/prog.c" "$tmp/catch.o" -o "$tmp/prog.wasm"; then
    if ! wasm-objdump -d "$tmp/prog.wasm" 2>/dev/null | grep -q '| throw 0$'; then
        echo "exceptions: prog.wasm has no throw: clang did not build what this tests"
        fail=1
    fi
    # clang's output has custom sections and padded LEBs, which the text
    # does not keep: its text read back is a fixpoint, and runs the same
    "$wasmbox" wasm2wat "$tmp/prog.wasm" >"$tmp/prog.wat" &&
        "$wasmbox" wat2wasm "$tmp/prog.wat" -o "$tmp/prog2.wasm" ||
        { echo "exceptions: prog.wasm does not print and read back"; fail=1; }
    roundtrip prog.wasm-as-text "$tmp/prog2.wasm"
    expect wasi-c-text 133 "$(printf '42\n-42005')" 'wasmbox: uncaught exception: tag index 0 in function [0-9]+ at offset 0x[0-9a-f]+' -- run "$tmp/prog2.wasm"
    expect wasi-c 133 "$(printf '42\n-42005')" 'wasmbox: uncaught exception: tag index 0 in function [0-9]+ at offset 0x[0-9a-f]+' -- run "$tmp/prog.wasm"
else
    echo "exceptions: building exc/prog.c with exc/catch.wat failed"
    fail=1
fi
[ $fail = 0 ] && echo "exceptions: ok"
exit $fail
