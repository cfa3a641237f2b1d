;; 64-bit memories (memory64): each export's result is worked out by hand in
;; its comment (tests/e2e/memory64.sh checks them).
(module
  (memory $m i64 1 4)         ;; memory 0: 64-bit, 1 page (65536 bytes), max 4
  (memory $n 1)               ;; memory 1: 32-bit, 1 page
  (data (memory $m) (i64.const 65532) "\01\02\03\04")

  ;; the data segment at the last 4 bytes: 0x04030201 = 67305985
  (func (export "data") (result i32)
    (i32.load $m (i64.const 65532)))
  ;; store and reload an i64 at the last 8 bytes: 0x0102030405060708 = 72623859790382856
  (func (export "store") (result i64)
    (i64.store $m (i64.const 65528) (i64.const 0x0102030405060708))
    (i64.load $m (i64.const 65528)))
  ;; 2^32: its low 32 bits are 0, an in-bounds address if it wrapped: traps
  (func (export "above4g") (result i32)
    (i32.load $m (i64.const 0x1_0000_0000)))
  ;; 2^64 - 1 with offset 1: the sum wraps to 0 in 64 bits: traps
  (func (export "wrap_offset") (result i32)
    (i32.load8_u $m offset=1 (i64.const -1)))
  ;; 16 with offset 2^64 - 16: the end wraps to 4: traps
  (func (export "wrap_big_offset") (result i32)
    (i32.load $m offset=0xFFFF_FFFF_FFFF_FFF0 (i64.const 16)))
  ;; the last byte exactly: 0x04 = 4
  (func (export "last") (result i32)
    (i32.load8_u $m (i64.const 65535)))
  ;; memory.size is an i64: 1 page
  (func (export "size") (result i64)
    (memory.size $m))
  ;; grow by 2 (old size 1), then size 3: 1 * 10 + 3 = 13
  (func (export "grow") (result i64)
    (i64.add (i64.mul (memory.grow $m (i64.const 2)) (i64.const 10)) (memory.size $m)))
  ;; grow past the maximum (1 + 4 > 4): -1 as an i64
  (func (export "grow_max") (result i64)
    (memory.grow $m (i64.const 4)))
  ;; grow by 2^32 + 1 pages (low 32 bits 1): -1, not one page; the size
  ;; stays 1: -1 * 10 + 1 = -9
  (func (export "grow_wide") (result i64)
    (i64.add (i64.mul (memory.grow $m (i64.const 0x1_0000_0001)) (i64.const 10))
             (memory.size $m)))
  ;; memory.fill of 2^32 + 4 bytes (low 32 bits 4): traps, nothing written
  (func (export "fill_wide")
    (memory.fill $m (i64.const 0) (i32.const 0x55) (i64.const 0x1_0000_0004)))
  ;; fill 2 bytes at 8 with 0x55: byte 0 (0) + the u16 at 8 (0x5555 = 21845)
  (func (export "fill_in_bounds") (result i32)
    (memory.fill $m (i64.const 8) (i32.const 0x55) (i64.const 2))
    (i32.add (i32.load8_u $m (i64.const 0)) (i32.load16_u $m (i64.const 8))))
  ;; memory.copy from the 64-bit memory to the 32-bit one (length i32):
  ;; the data bytes 01 02 03 04 to memory 1 [10..14): 0x04030201 = 67305985
  (func (export "copy_mixed") (result i32)
    (memory.copy $n $m (i32.const 10) (i64.const 65532) (i32.const 4))
    (i32.load $n (i32.const 10)))
  ;; the same from 2^32 + 65532: traps (the source, memory 0)
  (func (export "copy_mixed_oob")
    (memory.copy $n $m (i32.const 10) (i64.const 0x1_0000_FFFC) (i32.const 4)))
)
