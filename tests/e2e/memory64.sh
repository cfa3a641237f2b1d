#!/usr/bin/env bash
# 64-bit memories (memory64; vm/README.md "64-bit memories"), under both
# translations: data at an i64 offset, loads and stores, addresses above
# 4 GiB and offsets whose sum wraps in 64 bits trap (a wrapping bounds check
# would read address 0 or 4), i64 memory.size and memory.grow (past the
# maximum, and by 2^32 + 1 pages, -1), memory.fill of 2^32 + 4 bytes traps,
# memory.copy between a 64-bit and a 32-bit memory, and WASI refusing a
# module whose memory 0 is 64-bit; 64-bit tables (table64, mem64/t64.wat).
# Expected values are worked out by hand in mem64/*.wat.
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

# 64-bit tables (table64; mem64/t64.wat, values worked out there): i64
# table.size, call_indirect, table.grow (past the maximum and by 2^32 + 1:
# -1, an i64, nothing grown), table.get/set/fill/copy/init with an index or
# length of 2^32 and more whose low half would be in range trap, copy
# between a 32- and a 64-bit table (an i32 length), a passive segment into
# the 64-bit table
t=$here/mem64/t64.wat
tinv() { expect "t64 $1" 0 "$2" '' -- "$wasmbox" run --invoke "$1" "$t"; }
# a trap is located at the table instruction (offsets: where its opcode is
# in the module the text reader makes, checked with xxd: 0x11 call_indirect,
# 0x25 table.get, 0x26 table.set, 0xfc 0x11/0x0e/0x0c fill/copy/init)
ttrap() { expect "t64 $1" 134 '' "wasmbox: trap: $3 in function $2 at offset $4" -- \
    "$wasmbox" run --invoke "$1" "$t"; }
tinv size 3
tinv call 7
ttrap call_far 4 'undefined element' 0x11d
ttrap call_null 5 'uninitialized element 0' 0x
tinv grow 305
tinv grow_max -1
tinv grow_wide 29
ttrap get_far 9 'out of bounds table access' 0x162
ttrap set_far 10 'out of bounds table access' 0x170
ttrap fill_wide 11 'out of bounds table access' 0x17f
tinv fill 8
tinv copy_mixed 87
ttrap copy_mixed_oob 14 'out of bounds table access' 0x1bb
tinv init 7
ttrap init_far 16 'out of bounds table access' 0x1de
ttrap copy64_wide 17 'out of bounds table access' 0x1ef
# a minimum of 2^32 elements is valid, and over the engine's cap (10,000,000
# elements) when instantiated; read as 2.0 a 64-bit table is malformed
expect t64-valid 0 '' '' -- "$wasmbox" validate "$here/mem64/t64_big.wat"
expect t64-cap 137 '' "wasmbox: limit: instantiation, offset 0x16: table 0: minimum 4294967296 elements is over the limit of 10000000" -- \
    "$wasmbox" run --invoke f "$here/mem64/t64_big.wat"
expect t64-2.0 1 '' "wasmbox: $t: table section, offset 0x32: integer too large: limits flag 0x04/0x05 (a 64-bit memory or table: memory64, WebAssembly 3.0) in a module read as 2.0" -- \
    "$wasmbox" run --wasm-version 2.0 --invoke size "$t"
[ $fail = 0 ] && echo "memory64: ok"
exit $fail
