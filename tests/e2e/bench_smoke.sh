#!/usr/bin/env bash
# The benchmark harness still runs end to end (`bench/run.py --quick`, what
# `make bench QUICK=1` runs): it is not part of `make test` otherwise, and a
# harness nobody runs rots. Speed is not checked; what is checked:
#   - a missing peer (no wasm3, no WAMR, no node, no no-fuel build) is named
#     in the results and left out, and the run still succeeds;
#   - a peer that prints a wrong answer is neither counted nor timed (a
#     fake wasm3);
#   - a peer that prints the right answer gets its figures (a fake WAMR that
#     runs wasmbox);
#   - the results name the commit, and carry wasmbox's host instructions per
#     wasm instruction and start-up rows.
# A sanitized build cannot run under valgrind: there the harness runs with
# --no-callgrind (outputs still checked, no instruction counts).
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "bench_smoke: $*"; fail=1; }

wasmbox=$(cd "$build" && pwd)/wasmbox
# The fakes: wasm3 answers fib wrongly; "WAMR" is wasmbox itself.
printf '#!/bin/sh\necho "fib(0) = 0"\n' > "$tmp/wasm3"
printf '#!/bin/sh\nexec "%s" run "$@"\n' "$wasmbox" > "$tmp/iwasm"
chmod +x "$tmp/wasm3" "$tmp/iwasm"
mkdir "$tmp/none"

sanitized=0
nm "$wasmbox" 2>/dev/null | grep -q __asan_init && sanitized=1
flags=()
[ $sanitized = 1 ] && flags+=(--no-callgrind)
py=/usr/bin/python3
[ -x $py ] || py=python3

if ! PEERS_DIR="$tmp/none" WASM3="$tmp/wasm3" IWASM="$tmp/iwasm" NODE="$tmp/none/node" \
    $py "$root/bench/run.py" "$build" --quick --out "$tmp/results.md" \
    --nofuel-build "$tmp/none" "${flags[@]}" >"$tmp/out" 2>"$tmp/err"; then
    no "bench/run.py --quick failed: $(tail -5 "$tmp/err")"
    exit 1
fi
r=$tmp/results.md
[ -s "$r" ] || { no "no results written"; exit 1; }
has() { grep -qF -- "$1" "$r" || no "results lack: $1"; }

has "Commit: \`$(git -C "$root" rev-parse HEAD)"
has "WAMR fast+metering: not found at $tmp/none/iwasm-metering (set IWASM_METERING)"
has "node: not found at $tmp/none/node (set NODE)"
has "$tmp/none/wasmbox not built"
has "wasm3: output differs from the native build's"
has "| empty module | wasmbox |"
has "| hello world | wasmbox |"
# The goals are read off the run's own figures: the wrong wasm3 counts for
# none of them, so the kernels' goal (fib alone here) is not measured, and
# the missing no-fuel build leaves fuel's goal out.
has "| kernels (fib): CPU time ≤ 0.45 of wasm3's, geomean | — | not measured |"
grep -qF "fuel costs ≤ 5%" "$r" && no "a fuel goal without a no-fuel build"
has "| start-up, empty module: peak RSS ≤ 2.0 MB |"
# The fib row: wasmbox's figure, the fake WAMR's (wasmbox again, so the
# same within the shell's own instructions), none for the wrong wasm3.
row=$(grep '^| fib |' "$r" | head -1)
IFS='|' read -r _ _ _ wb w3 wamr _ <<<"$row"
if [ $sanitized = 1 ]; then
    [[ $wb == *—* ]] || no "sanitized: expected no instruction count, got row: $row"
else
    [[ $wb =~ ^\ *[0-9]+\.[0-9]+\ *$ ]] || no "no wasmbox host/instr figure in: $row"
    [[ $wamr =~ ^\ *[0-9]+\.[0-9]+\ *$ ]] || no "no figure for the correct fake peer in: $row"
fi
[[ $w3 == *—* ]] || no "the wrong wasm3 was counted: $row"
# CPU time: the wrong wasm3 is not timed, the fake WAMR is.
row=$(grep '^| fib | 22 |' "$r")
IFS='|' read -r _ _ _ w3 wamr _ <<<"$row"
[[ $w3 == *—* ]] || no "the wrong wasm3 was timed: $row"
[[ $wamr =~ ^\ *[0-9]+\.[0-9]+\ \( ]] || no "no CPU-time ratio for the correct fake peer: $row"

[ $fail = 0 ] || { echo "bench_smoke: the results were:"; cat "$r"; }
[ $fail = 0 ] && echo "bench_smoke: ok (harness end to end, missing and wrong peers handled)"
exit $fail
