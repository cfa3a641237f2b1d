#!/usr/bin/env bash
# Differential execution against V8 (tests/v8diff/README.md). First the
# harness itself: both sides must print the hand-written transcript of
# tests/v8diff/selftest.wat. Then a fixed range of binaryen -ttf seeds must run
# the same in wasmbox (both translations) and in Node's V8.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/v8diff
for tool in node wasm-opt wat2wasm sha256sum; do
    command -v "$tool" >/dev/null || { echo "v8diff: $tool not found (run .ci/install-deps)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- the harness against the hand-written transcript ----
wat2wasm "$dir/selftest.wat" -o "$tmp/selftest.wasm"
zero1=$(head -c 65536 /dev/zero | sha256sum | cut -c1-64)
stored1=$({ printf '\x04\x03\x02\x01'; head -c 65532 /dev/zero; } | sha256sum | cut -c1-64)
stored2=$({ printf '\x04\x03\x02\x01'; head -c 131068 /dev/zero; } | sha256sum | cut -c1-64)
sed -e "s/{zero1}/$zero1/" -e "s/{stored1}/$stored1/" -e "s/{stored2}/$stored2/" \
    "$dir/selftest.expected" >"$tmp/expected"
fail=0
for seed in 1 2 3; do
    "$build/tests/tools/v8diff_run" "$tmp/selftest.wasm" $seed >"$tmp/wasmbox"
    "$build/tests/tools/v8diff_run" --opt=0 "$tmp/selftest.wasm" $seed >"$tmp/wasmbox-ref"
    node "$dir/v8_run.js" "$tmp/selftest.wasm" $seed >"$tmp/v8"
    for side in wasmbox wasmbox-ref v8; do
        # lines of the expected transcript are patterns (* stands for the
        # seeded arguments, checked below)
        if [ "$(wc -l <"$tmp/$side")" != "$(wc -l <"$tmp/expected")" ]; then
            echo "v8diff: selftest seed $seed: $side printed $(wc -l <"$tmp/$side") lines, expected $(wc -l <"$tmp/expected")"
            diff "$tmp/expected" "$tmp/$side" | head -20
            fail=1
            continue
        fi
        n=0
        while IFS= read -r want && IFS= read -r got <&3; do
            n=$((n + 1))
            # shellcheck disable=SC2053 # $want is a pattern on purpose
            if [[ "$got" != $want ]]; then
                echo "v8diff: selftest seed $seed: $side line $n: expected [$want], got [$got]"
                fail=1
            fi
        done <"$tmp/expected" 3<"$tmp/$side"
        # echo returns its four arguments reversed
        args=$(grep '^call echo ' "$tmp/$side" | cut -d' ' -f3-)
        back=$(grep -A1 '^call echo ' "$tmp/$side" | tail -1 | cut -d' ' -f2- | tr ' ' '\n' | tac | tr '\n' ' ')
        if [ "$args " != "$back" ]; then
            echo "v8diff: selftest seed $seed: $side: echo($args) returned [$back]"
            fail=1
        fi
    done
    # the arguments depend on the seed, and are the same on both sides
    grep '^call echo ' "$tmp/v8" >>"$tmp/echo-lines"
done
if [ "$(sort -u "$tmp/echo-lines" | wc -l)" -ne 3 ]; then
    echo "v8diff: selftest: seeds 1-3 did not give three different argument lists"
    fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "v8diff: selftest passed (3 seeds, both sides, both translations)"

# ---- the NaN rule on memory (README "NaNs in memory") ----
wat2wasm "$dir/nan_store.wat" -o "$tmp/nan_store.wasm"
node "$dir/nan_rule_test.js" "$build" "$tmp/nan_store.wasm"
# seed 930002: an f64x2.min NaN stored at byte 23, its payload wasmbox's
# input's and V8's canonical; the module is the same only for binaryen 108
nan=$(node "$dir/fuzz.js" --build "$build" --seeds 930002-930002 --out "$tmp/out-930002") || {
    echo "$nan"
    exit 1
}
if ! grep -q ', 1 with memories equal by the NaN rule, 0 divergences' <<<"$nan"; then
    echo "v8diff: seed 930002 did not need the NaN rule on memory ($nan)"
    exit 1
fi
echo "v8diff: seed 930002 equal by the NaN rule on memory"

# ---- the fixed-seed differential run ----
# About 100 modules a minute on a loaded 2-core machine (CPU: a quarter of it).
seeds=${V8DIFF_SEEDS:-1-100}
out=$build/v8diff-out
rm -rf "$out"
summary=$(node "$dir/fuzz.js" --build "$build" --seeds "$seeds" --out "$out") || {
    echo "$summary"
    echo "v8diff: divergences kept in $out (tests/v8diff/README.md says how to reduce them)"
    exit 1
}
echo "$summary"
# A run that compared nothing must not pass: most seeds make a valid module
# with exports.
modules=$(sed -n 's/.*: \([0-9]*\) modules (\([0-9]*\) invalid.*/\1 \2/p' <<<"$summary")
calls=$(sed -n 's/.*, \([0-9]*\) exports called.*/\1/p' <<<"$summary")
read -r total invalid <<<"$modules"
first=${seeds%-*} last=${seeds#*-}
if [ -z "$calls" ] || [ $((total - invalid)) -lt $(((last - first + 1) / 2)) ] || [ "$calls" -lt $((total - invalid)) ]; then
    echo "v8diff: too little was compared ($summary)"
    exit 1
fi
