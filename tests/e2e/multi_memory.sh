#!/usr/bin/env bash
# Multi-memory (vm/README.md "Several memories"), under both translations:
# memory.copy between two memories, data segments, stores and loads (SIMD
# too) and memory.fill/init on memories 1 and 2, memory.size of each,
# memory.grow of memory 1 under a --max-memory budget the memories share,
# bounds traps that name the memory (memory 1; memory 0 keeps the plain
# message), and WASI reading memory 0. Expected values are worked out by
# hand in multimem/*.wat.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# expect NAME RC STDOUT STDERR-PREFIX -- COMMAND...: lib/expect_both.sh
. "$here/lib/expect_both.sh"
m=$here/multimem/two.wat
inv() { expect "$1" 0 "$2" '' -- "$wasmbox" run --invoke "$1" "$m"; }
inv copy01 1819043176
inv untouched 0
inv data1 67305985
inv store2 48879
inv fill_init1 99339779260737
inv sizes 211
inv grow2 -1
inv inb0 0
inv simd2 8
# the budget covers all memories: 4 pages at the start
expect grow1-256KiB 0 -9999 '' -- "$wasmbox" run --max-memory 256KiB --invoke grow1 "$m"
expect grow1-320KiB 0 10002 '' -- "$wasmbox" run --max-memory 320KiB --invoke grow1 "$m"
expect grow1-384KiB 0 10303 '' -- "$wasmbox" run --max-memory 384KiB --invoke grow1 "$m"
# instantiation: 4 pages do not fit in 192 KiB (memory 2, the fourth page, is refused)
expect start-192KiB 137 '' 'wasmbox: limit: instantiation, offset 0x' -- "$wasmbox" run --max-memory 192KiB --invoke sizes "$m"
grep -q "memory 2: minimum of 65536 bytes does not fit in the store's memory limit (196608 of 196608 bytes in use)" "$tmp/err" ||
    { echo "multi_memory: start-192KiB: $(cat "$tmp/err")"; fail=1; }
# peak memory: the three memories after grow1's one page under 320 KiB
WASMBOX_OPT=1 "$wasmbox" run --max-memory 320KiB --report "$tmp/r.json" --invoke grow1 "$m" >/dev/null 2>&1
[ "$(jq -r .peak_memory_bytes "$tmp/r.json")" = 327680 ] ||
    { echo "multi_memory: peak memory $(jq -r .peak_memory_bytes "$tmp/r.json"), want 327680"; fail=1; }
# bounds traps name the memory they miss
expect oob1 134 '' 'wasmbox: trap: out of bounds memory access (memory 1) in function 8 at offset 0x' -- \
    "$wasmbox" run --invoke oob1 "$m"
expect copy_oob_src 134 '' 'wasmbox: trap: out of bounds memory access (memory 1) in function 10 at offset 0x' -- \
    "$wasmbox" run --invoke copy_oob_src "$m"
expect copy_oob_dst 134 '' 'wasmbox: trap: out of bounds memory access in function 11 at offset 0x' -- \
    "$wasmbox" run --invoke copy_oob_dst "$m"
# WASI reads memory 0
expect wasi0 0 mem0 '' -- "$wasmbox" run "$here/multimem/wasi0.wat"
[ $fail = 0 ] && echo "multi_memory: ok"
exit $fail
