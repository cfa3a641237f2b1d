#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR] [WORKLOAD...]
#
# For each workload in bench/workloads/*.c: build it to wasm32-wasi (clang -O2)
# and natively (gcc -O2), run both under `valgrind --tool=callgrind` at a small
# and a large size, and print
#   host instructions per wasm instruction = dIr(wasmbox) / dfuel
#   wasm/native                            = dIr(wasmbox) / dIr(native)
# where d is "large run minus small run", which cancels start-up (loading,
# validation, translation, WASI set-up, libc init). Fuel counts every executed
# wasm instruction (vm/README.md "Fuel"), read from `wasmbox run --report`.
#
# Peers: set WASM3=/path/to/wasm3 and/or WAMR=/path/to/iwasm to measure them on
# the same .wasm files in the same run (their dIr divided by wasmbox's dfuel:
# the same module executes the same wasm instructions).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
shift || true
wasmbox=$build/wasmbox
out=$build/bench
mkdir -p "$out"

[ -x "$wasmbox" ] || { echo "bench: $wasmbox not built (make BUILD=${build##*/})" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "bench: valgrind not installed" >&2; exit 1; }

# name small large: sizes chosen so that the difference is ~15-20M wasm
# instructions (a few seconds each under callgrind).
sizes() {
    case $1 in
    coremark) echo 20 420 ;;
    fib) echo 18 28 ;;
    nbody) echo 100 10100 ;;
    sha256) echo 2 32 ;;
    sieve) echo 2 42 ;;
    *) echo 1 11 ;;
    esac
}

# Ir of one command under callgrind ("Collected : N" on stderr).
ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ { print $NF }'
}

fuel() { # wasm size -> fuel used
    "$wasmbox" run --report "$out/report.json" "$1" "$2" >/dev/null
    sed -n 's/.*"fuel_used":[[:space:]]*\([0-9]*\).*/\1/p' "$out/report.json"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

if [ $# -gt 0 ]; then names=("$@"); else
    names=()
    for f in "$here"/workloads/*.c; do names+=("$(basename "$f" .c)"); done
fi

peer_cols=""
[ -n "${WASM3:-}" ] && peer_cols="$peer_cols  wasm3/instr"
[ -n "${WAMR:-}" ] && peer_cols="$peer_cols  wamr/instr"
printf '%-10s %12s %12s %12s%s\n' workload "wasm instrs" "host/instr" "wasm/native" "$peer_cols"
for name in "${names[@]}"; do
    src=$here/workloads/$name.c
    clang --target=wasm32-wasi -O2 -o "$out/$name.wasm" "$src"
    gcc -O2 -o "$out/$name.native" "$src" -lm
    read -r small large < <(sizes "$name")
    f1=$(fuel "$out/$name.wasm" "$small")
    f2=$(fuel "$out/$name.wasm" "$large")
    w1=$(ir "$wasmbox" run "$out/$name.wasm" "$small")
    w2=$(ir "$wasmbox" run "$out/$name.wasm" "$large")
    n1=$(ir "$out/$name.native" "$small")
    n2=$(ir "$out/$name.native" "$large")
    df=$((f2 - f1)) dw=$((w2 - w1)) dn=$((n2 - n1))
    line=$(printf '%-10s %12d %12s %12s' "$name" "$df" "$(ratio $dw $df)" "$(ratio $dw $dn)")
    for peer in WASM3 WAMR; do
        bin=${!peer:-}
        [ -n "$bin" ] || continue
        p1=$(ir "$bin" "$out/$name.wasm" "$small")
        p2=$(ir "$bin" "$out/$name.wasm" "$large")
        line="$line $(printf '%12s' "$(ratio $((p2 - p1)) $df)")"
    done
    echo "$line"
done
