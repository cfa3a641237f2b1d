#!/usr/bin/env bash
# A trap names where it happened: the function (index and name-section name)
# and the byte offset of the trapping instruction, then one line per frame
# (each caller's call instruction), on stderr and in --report's trap.frames.
# Expected offsets are those wasm-objdump -d prints for the same module.
# Names from the module are printed with control bytes escaped.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # what expected got
    if [ "$2" != "$3" ]; then
        printf 'trap_location: %s:\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"
        fail=1
    fi
}
wat2wasm --debug-names "$here/trap/frames.wat" -o "$tmp/frames.wasm" || exit 1
# the offsets of the load in $deep and of the two calls, from wasm-objdump
load=$(wasm-objdump -d "$tmp/frames.wasm" | awk '/i32.load/ {sub(":", "", $1); print $1}')
calls=$(wasm-objdump -d "$tmp/frames.wasm" | awk '/\| call / {sub(":", "", $1); print $1}')
call_deep=$(echo "$calls" | sed -n 1p) call_mid=$(echo "$calls" | sed -n 2p)
loop=$(wasm-objdump -d "$tmp/frames.wasm" | awk '/\| loop/ {sub(":", "", $1); print $1}')
hex() { printf '0x%x' "$((16#$1))"; }
for opt in 1 0; do
    "$wasmbox" run --opt=$opt --report "$tmp/r.json" --invoke top "$tmp/frames.wasm" 5 2>"$tmp/err"
    check "--opt=$opt exit code" 134 "$?"
    check "--opt=$opt stderr" "wasmbox: trap: out of bounds memory access in function 0 <deep> at offset $(hex "$load")
wasmbox:   #0 function 0 <deep> at offset $(hex "$load")
wasmbox:   #1 function 1 <mid> at offset $(hex "$call_deep")
wasmbox:   #2 function 2 at offset $(hex "$call_mid")" "$(cat "$tmp/err")"
    check "--opt=$opt report frames" \
        "[{\"function\":0,\"name\":\"deep\",\"offset\":$((16#$load))},{\"function\":1,\"name\":\"mid\",\"offset\":$((16#$call_deep))},{\"function\":2,\"name\":null,\"offset\":$((16#$call_mid))}]" \
        "$(jq -c .trap.frames "$tmp/r.json")"
    "$wasmbox" run --opt=$opt --fuel 1000 --report "$tmp/r.json" --invoke spin "$tmp/frames.wasm" 2>"$tmp/err"
    check "--opt=$opt out of fuel: exit code" 137 "$?"
    check "--opt=$opt out of fuel: frames" "[{\"function\":3,\"name\":\"spin\",\"offset\":$((16#$loop))}]" \
        "$(jq -c .trap.frames "$tmp/r.json")"
done
# A run that ends normally has no trap in its report.
wat2wasm "$here/../examples/fib.wat" -o "$tmp/fib.wasm" || exit 1
"$wasmbox" run --report "$tmp/r.json" --invoke fib "$tmp/fib.wasm" 10 >/dev/null
check "normal end: trap" null "$(jq -c .trap "$tmp/r.json")"

# A name with an escape sequence (ESC [31m) is shown escaped. Module by hand:
# one function, `unreachable` at offset 0x1e, named "a\x1b[31mb".
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x05\x01\x01f\x00\x00\x0a\x05\x01\x03\x00\x00\x0b\x00\x11\x04name\x01\x0a\x01\x00\x07a\x1b[31mb' >"$tmp/esc.wasm"
"$wasmbox" run --invoke f "$tmp/esc.wasm" 2>"$tmp/err"
check "escaped name" 'wasmbox: trap: unreachable in function 0 <a\x1b[31mb> at offset 0x1e' "$(cat "$tmp/err")"
[ "$fail" = 0 ] && echo "trap_location: ok"
exit "$fail"
