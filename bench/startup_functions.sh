#!/usr/bin/env bash
# Writes tools/startup_functions.txt: the functions of wasmbox that a plain
# `wasmbox run` of bench/startup's two modules executes (callgrind), one a
# line. The link of wasmbox places them together at the front of its code
# (tools/startup_order.ld.sh), so that a start faults in a few 64 KB windows
# of code instead of most of the binary (bench/README.md "Start-up").
#
#   bench/startup_functions.sh [BUILD [OUT]]   # default build and
#                                   # tools/startup_functions.txt; needs
#                                   # valgrind, wat2wasm, clang for wasm32-wasi
#
# `make bench` and `make bench-startup` write the list to a file of their own
# and say in the results whether the checked-in one is stale.
#
# Rerun it when start-up's code changes much: a name that no longer exists
# is ignored by the link, a new function simply lands in the ordinary place.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$root/tools/startup_functions.txt}
wasmbox=$build/wasmbox
[ -x "$wasmbox" ] || { echo "startup_functions.sh: $wasmbox not built" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
wat2wasm "$root/bench/startup/empty.wat" -o "$T/empty.wasm"
clang --target=wasm32-wasi -O2 -o "$T/hello.wasm" "$root/bench/startup/hello.c"
for m in empty hello; do
    valgrind --tool=callgrind --callgrind-out-file="$T/cg.$m" "$wasmbox" run "$T/$m.wasm" >/dev/null 2>"$T/log.$m" ||
        { cat "$T/log.$m" >&2; exit 1; }
done
# callgrind_annotate lines: "  1,234 (0.1%)  FILE:FUNCTION [OBJECT]"; keep
# wasmbox's own functions; "run'2" is a recursive activation of run.
{
    echo "# Functions a plain 'wasmbox run' executes at start (bench/startup_functions.sh"
    echo "# wrote this; the link puts them first: tools/startup_order.ld.sh)."
    for m in empty hello; do
        callgrind_annotate --inclusive=no --threshold=100 "$T/cg.$m" |
            sed -n "s|^ *[0-9,]* ([ 0-9.]*%) *[^ ]*:\([^ :]*\) \[$(realpath "$wasmbox")\]\$|\1|p"
    done | sed "s/'[0-9]*\$//" | grep -v '^0x' | sort -u
} > "$out"
echo "startup_functions.sh: $(grep -vc '^#' "$out") functions in $out"
