#!/usr/bin/env bash
# bench/large.sh [BUILD_DIR] [RUNS]: start-up of a large module, wasmbox
# against node's WASI (V8), alternating runs (bench/README.md "Large
# modules"). The module comes from bench/gen_large_module.py (same bytes
# every time). Its _start runs a few functions and writes "ok", so a run's
# time is its time to the first instruction plus a few milliseconds.
# Prints, per side, the median wall time, the median CPU time (user +
# system: on a machine shared with other work, the steadier figure) and the
# peak RSS, from GNU time. Not part of `make test`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
runs=${2:-9}
wasmbox=$build/wasmbox
out=$build/bench
mkdir -p "$out"
[ -x "$wasmbox" ] || { echo "bench-large: $wasmbox not built" >&2; exit 1; }
command -v node >/dev/null || { echo "bench-large: node not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-large: GNU time (/usr/bin/time) not installed" >&2; exit 1; }

module=$out/large.wasm
[ -s "$module" ] || python3 "$here/gen_large_module.py" "$module" --mb 55
size=$(stat -c %s "$module")
echo "module: $module, $size bytes"

# one run: "wall cpu rss_kb", checking the output
measure() {
    local log=$out/large.time
    local got
    got=$(/usr/bin/time -o "$log" -f "%e %U %S %M" "$@")
    [ "$got" = ok ] || { echo "bench-large: $* printed '$got', not ok" >&2; exit 1; }
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$log"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

declare -A wall cpu rss
sides="wasmbox node"
[ -n "${CACHE:-}" ] && sides="wasmbox wasmbox-cached node"
cache_dir=$out/large-cache
if [ -n "${CACHE:-}" ]; then
    # the cached side measures hits: one run first fills the cache (a file
    # from an older wasmbox is replaced by it)
    "$wasmbox" run --cache-dir "$cache_dir" "$module" >/dev/null
fi
for ((i = 0; i < runs; i++)); do
    for side in $sides; do
        case $side in
        wasmbox) r=$(measure "$wasmbox" run "$module") ;;
        wasmbox-cached) r=$(measure "$wasmbox" run --cache-dir "$cache_dir" "$module") ;;
        node) r=$(measure node "$here/node_wasi_run.mjs" "$module") ;;
        esac
        read -r w c m <<<"$r"
        wall[$side]+="$w "
        cpu[$side]+="$c "
        rss[$side]+="$m "
    done
done
printf '%-16s %10s %10s %12s\n' side "wall (s)" "cpu (s)" "peak RSS"
for side in $sides; do
    w=$(tr ' ' '\n' <<<"${wall[$side]}" | grep . | median)
    c=$(tr ' ' '\n' <<<"${cpu[$side]}" | grep . | median)
    m=$(tr ' ' '\n' <<<"${rss[$side]}" | grep . | median)
    printf '%-16s %10s %10s %9d MB\n' "$side" "$w" "$c" $((m / 1024))
done
echo "($runs runs each, alternating; medians; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
