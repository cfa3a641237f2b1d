#!/usr/bin/env bash
# 64-bit memories (memory64; vm/README.md "64-bit memories"), under both
# translations: data at an i64 offset, loads and stores, addresses above
# 4 GiB and offsets whose sum wraps in 64 bits trap (a wrapping bounds check
# would read address 0 or 4), i64 memory.size and memory.grow (past the
# maximum, and by 2^32 + 1 pages, -1), memory.fill of 2^32 + 4 bytes traps,
# memory.copy between a 64-bit and a 32-bit memory, and WASI refusing a
# module whose memory 0 is 64-bit. Expected values are worked out by hand in
# mem64/*.wat.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# expect NAME RC STDOUT STDERR-PREFIX -- COMMAND...: lib/expect_both.sh
. "$here/lib/expect_both.sh"
m=$here/mem64/m64.wat
inv() { expect "$1" 0 "$2" '' -- "$wasmbox" run --invoke "$1" "$m"; }
oob() { expect "$1" 134 '' "wasmbox: trap: out of bounds memory access in function $2 at offset 0x" -- \
    "$wasmbox" run --invoke "$1" "$m"; }
inv data 67305985
inv store 72623859790382856
oob above4g 2
oob wrap_offset 3
oob wrap_big_offset 4
inv last 4
inv size 1
inv grow 13
inv grow_max -1
inv grow_wide -9
oob fill_wide 10
inv fill_in_bounds 21845
inv copy_mixed 67305985
oob copy_mixed_oob 13
expect wasi64 1 '' "wasmbox: $here/mem64/wasi64.wat: import wasi_snapshot_preview1.proc_exit: memory 0 is a 64-bit memory (memory64)" -- \
    "$wasmbox" run "$here/mem64/wasi64.wat"
exit $fail
