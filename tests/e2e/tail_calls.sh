#!/usr/bin/env bash
# Tail calls (return_call, return_call_indirect; vm/README.md "Tail calls"),
# under both translations: a million-deep mutual recursion in one frame under
# a 4 KiB value stack, the same with plain calls exhausting it, exact fuel,
# tail calls through tables (type mismatch, null and missing elements trap at
# the tail call), a callee with a larger frame than the caller's (grown in
# place; trapping when it does not fit), the frames a trap reports after a
# tail call, tail calls to host functions (WASI), and across instances
# (tail/cross_module.wast, by spec_runner), v128 arguments mixed with i32
# and i64 ones (tail/v128_args.wast). Expected values and fuel are
# worked out by hand in the .wat files; offsets come from wasm-objdump.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# expect NAME RC STDOUT STDERR-PREFIX -- COMMAND...: lib/expect_both.sh
. "$here/lib/expect_both.sh"
# fuel NAME WANT -- RUN-ARGS...: the fuel_used of `wasmbox run`, both translations
fuel() {
    local name=$1 want=$2
    shift 3
    for opt in 1 0; do
        WASMBOX_OPT=$opt "$wasmbox" run --fuel 100000000 --timeout 60s --report "$tmp/r.json" "$@" >/dev/null 2>&1 </dev/null
        local got
        got=$(jq -r .fuel_used "$tmp/r.json" 2>/dev/null)
        if [ "$got" != "$want" ]; then
            echo "tail_calls: $name (opt $opt): fuel $got, want $want"
            fail=1
        fi
    done
}
t=$here/tail
for f in evenodd evenodd_call tables frames host bad_results; do
    # bad_results.wat is invalid on purpose: wabt must not check it
    check=; [ $f = bad_results ] && check=--no-check
    wat2wasm --enable-tail-call $check "$t/$f.wat" -o "$tmp/$f.wasm" || { echo "tail_calls: wat2wasm $f.wat failed"; exit 1; }
done
# bounded, so that a broken engine fails here rather than hangs
run() { "$wasmbox" run --fuel 100000000 --timeout 60s "$@"; }

# constant stack: 4 KiB is 512 slots, room for a few dozen plain frames
expect even-1e6 0 1 "" -- run --max-stack 4KiB --invoke even "$tmp/evenodd.wasm" 1000000
expect odd-1e6 0 1 "" -- run --max-stack 4KiB --invoke odd "$tmp/evenodd.wasm" 1000001
expect even-1e6+1 0 0 "" -- run --max-stack 4KiB --invoke even "$tmp/evenodd.wasm" 1000001
expect call-even-10 0 1 "" -- run --max-stack 4KiB --invoke even "$tmp/evenodd_call.wasm" 10
# (the stack runs out at $even's call of $odd, deterministically)
expect call-even-1e6 134 "" "wasmbox: trap: call stack exhausted in function 0 at offset 0x$(
    wasm-objdump -d "$tmp/evenodd_call.wasm" | awk '/[|] +call 1/ {sub(":", "", $1); sub(/^0+/, "", $1); print $1}')" -- \
    run --max-stack 4KiB --invoke even "$tmp/evenodd_call.wasm" 1000000
# the call depth does not grow either (a limit of its own, 10,000 by default)
expect even-deep-default 0 1 "" -- run --invoke even "$tmp/evenodd.wasm" 3000000
fuel fuel-tail-10 76 -- --invoke even "$tmp/evenodd.wasm" 10
fuel fuel-tail-1e6 7000006 -- --max-stack 4KiB --invoke even "$tmp/evenodd.wasm" 1000000
fuel fuel-call-10 96 -- --invoke even "$tmp/evenodd_call.wasm" 10
# out of fuel in the middle of the chain: the fuel given, all used
expect tail-out-of-fuel 137 "" "wasmbox: limit: out of fuel" -- "$wasmbox" run --fuel 5000 --invoke even "$tmp/evenodd.wasm" 1000000

# through tables: the element's type is checked, at the tail call
rci=$(wasm-objdump -d "$tmp/tables.wasm" | awk '/[|] +return_call_indirect/ {sub(":", "", $1); sub(/^0+/, "", $1); print $1; exit}')
expect table-ok 0 42 "" -- run --invoke via "$tmp/tables.wasm" 0 21
expect table-mismatch 134 "" "wasmbox: trap: indirect call type mismatch in function 2 at offset 0x$rci" -- \
    run --invoke via "$tmp/tables.wasm" 1 5
expect table-null 134 "" "wasmbox: trap: uninitialized element 2 in function 2 at offset 0x$rci" -- \
    run --invoke via "$tmp/tables.wasm" 2 5
expect table-past-end 134 "" "wasmbox: trap: undefined element in function 2 at offset 0x$rci" -- \
    run --invoke via "$tmp/tables.wasm" 3 5
expect table-countdown 0 7 "" -- run --max-stack 2KiB --invoke down "$tmp/tables.wasm" 1000000

# a larger callee frame: grown in place, or "call stack exhausted" at the tail call
dis=$(wasm-objdump -d "$tmp/frames.wasm")
off() { echo "$dis" | awk -v pat="$1" '$0 ~ pat {sub(":", "", $1); sub(/^0+/, "", $1); print $1; exit}'; }
expect big-frame 0 6 "" -- run --max-stack 4KiB --invoke small "$tmp/frames.wasm" 5
expect big-frame-no-room 134 "" "wasmbox: trap: call stack exhausted in function 1 at offset 0x$(off '[|] +return_call 0')" -- \
    run --max-stack 1KiB --invoke small "$tmp/frames.wasm" 5
# a trap after a tail call: $mid's frame was taken over by $deep
expect_line trap-frames 134 "" "wasmbox:   #1 function 4 at offset 0x$(off '[|] +call 3')" -- \
    run --invoke top "$tmp/frames.wasm" 0
expect_line trap-frames-0 134 "" "wasmbox:   #0 function 2 at offset 0x$(off '[|] +i32.load')" -- \
    run --invoke top "$tmp/frames.wasm" 0
if WASMBOX_OPT=1 "$wasmbox" run --invoke top "$tmp/frames.wasm" 0 2>&1 | grep -q '#2'; then
    echo "tail_calls: trap-frames: a third frame was reported; the tail caller's frame should be gone"
    fail=1
fi

# validation: the callee's results must be the caller's
rc_off=$(wasm-objdump -d "$tmp/bad_results.wasm" | awk '/[|] +return_call/ {sub(":", "", $1); sub(/^0+/, "", $1); print $1}')
expect bad-results 1 "" "wasmbox: $tmp/bad_results.wasm: function 1, offset 0x$rc_off: type mismatch: return_call: the callee's results [i64] are not this function's [i32]" -- \
    "$wasmbox" validate "$tmp/bad_results.wasm"

# host functions: called, then the tail caller returns their results
expect host 7 tail "" -- run "$tmp/host.wasm"

# across instances, by the spec runner (registered modules, assert_exhaustion)
for opt in 1 0; do
    if ! out=$(WASMBOX_OPT=$opt "$build/spec_runner" "$t/cross_module.wast" 2>&1) ||
        ! echo "$out" | grep -q ' 14 passed, 0 failed, 0 not run'; then
        echo "tail_calls: cross_module.wast (opt $opt): $out"
        fail=1
    fi
done
# v128 arguments (two slots each) mixed with i32/i64 ones, through
# return_call, return_call_indirect (a 32- and a 64-bit table) and
# return_call_ref: every argument arrives whole and in its place
for opt in 1 0; do
    if ! out=$(WASMBOX_OPT=$opt "$build/spec_runner" "$t/v128_args.wast" 2>&1) ||
        ! echo "$out" | grep -q ' 10 passed, 0 failed, 0 not run'; then
        echo "tail_calls: v128_args.wast (opt $opt): $out"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "tail_calls: ok"
exit $fail
