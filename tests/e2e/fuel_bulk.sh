#!/usr/bin/env bash
# e2e: alone: a fuel-bounded bulk run must end within 1 s (tests/run_e2e.sh)
# Fuel bounds work: bulk memory and table instructions, memory.grow,
# table.grow and a call's frame set-up are charged per 64 bytes touched,
# before the work (vm/README.md "Fuel"). Exact fuel per call is checked from
# --report; a guest copying 64 MB in a loop under --fuel 1000 must stop at
# its first copy (out of fuel, in well under a second).
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wat2wasm "$here/fuel/bulk.wat" -o "$tmp/bulk.wasm" || { echo "fuel_bulk: wat2wasm failed"; exit 1; }
fail=0
# expect_fuel EXPORT ARG FUEL: the call ends normally having used FUEL units
expect_fuel() {
    for opt in 1 0; do
        "$wasmbox" run --opt=$opt --report "$tmp/r.json" --invoke "$1" "$tmp/bulk.wasm" "$2" >/dev/null 2>"$tmp/err"
        local rc=$? used
        used=$(jq -r .fuel_used "$tmp/r.json" 2>/dev/null)
        if [ "$rc" != 0 ] || [ "$used" != "$3" ]; then
            echo "fuel_bulk: --opt=$opt $1 $2: expected exit 0 and fuel $3, got exit $rc, fuel $used: $(cat "$tmp/err")"
            fail=1
        fi
    done
}
expect_fuel fill 0 5
expect_fuel fill 63 5
expect_fuel fill 64 6
expect_fuel fill 6400 105
expect_fuel copy 6400 105
expect_fuel init 64 6
expect_fuel grow 16 16387
expect_fuel grow 70000 3       # over the maximum: fails without work, no charge
expect_fuel tfill 10 6
expect_fuel tgrow 64 12
expect_fuel call_big 1 7

# A copy that cannot be paid for is not done: out of fuel at once.
start=$(date +%s%N)
timeout 10 "$wasmbox" run --fuel 1000 --invoke flood "$tmp/bulk.wasm" >/dev/null 2>"$tmp/err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" != 137 ] || ! grep -q 'limit: out of fuel' "$tmp/err"; then
    echo "fuel_bulk: flood under --fuel 1000: expected exit 137 'out of fuel', got $rc: $(cat "$tmp/err")"
    fail=1
elif [ "$ms" -ge 1000 ]; then
    echo "fuel_bulk: flood under --fuel 1000 took $ms ms (the copy was done before fuel was checked?)"
    fail=1
fi
[ "$fail" = 0 ] && echo "fuel_bulk: ok"
exit "$fail"
