;; Two (and three) memories in one module: each export's result is worked
;; out by hand in its comment (tests/e2e/multi_memory.sh checks them).
(module
  (memory $m0 2)            ;; 128 KiB
  (memory $m1 1)            ;; 64 KiB
  (memory $m2 1 1)          ;; 64 KiB, no growth
  (data (memory $m0) (i32.const 0) "hello")
  (data (memory $m1) (i32.const 16) "\01\02\03\04")
  (data $pass "WXYZ")

  ;; memory.copy from memory 0 [0..5) to memory 1 [100..105), then the i32
  ;; at memory 1 [100]: "hell" little-endian = 0x6c6c6568 = 1819043176
  (func (export "copy01") (result i32)
    (memory.copy $m1 $m0 (i32.const 100) (i32.const 0) (i32.const 5))
    (i32.load $m1 (i32.const 100)))
  ;; memory 0 is untouched at 100 (0) and memory 1 at 0 (0): 0 + 0
  (func (export "untouched") (result i32)
    (memory.copy $m1 $m0 (i32.const 100) (i32.const 0) (i32.const 5))
    (i32.add (i32.load $m0 (i32.const 100)) (i32.load $m1 (i32.const 0))))
  ;; the data segment of memory 1: bytes 1 2 3 4 at 16 = 0x04030201 = 67305985
  (func (export "data1") (result i32)
    (i32.load $m1 offset=16 (i32.const 0)))
  ;; store to memory 2 at 8 + offset 4, read back through memory 2's
  ;; 16-bit load: 0xBEEF = 48879; memory 0 at 12 still 0
  (func (export "store2") (result i32)
    (i32.store $m2 offset=4 (i32.const 8) (i32.const 0xDEADBEEF))
    (i32.add (i32.load16_u $m2 (i32.const 12)) (i32.load $m0 (i32.const 12))))
  ;; memory.fill of memory 1 [200..203) with 0x41, memory.init of "WXYZ"
  ;; bytes 1..3 ("XYZ") into memory 1 [203..206): i64 at 200 =
  ;; 41 41 41 58 59 5a 00 00 = 0x00005a5958414141 = 99339779260737
  (func (export "fill_init1") (result i64)
    (memory.fill $m1 (i32.const 200) (i32.const 0x41) (i32.const 3))
    (memory.init $m1 $pass (i32.const 203) (i32.const 1) (i32.const 3))
    (i64.load $m1 (i32.const 200)))
  ;; memory.size of each: 2, 1, 1 -> 2*100 + 1*10 + 1 = 211
  (func (export "sizes") (result i32)
    (i32.add (i32.mul (memory.size $m0) (i32.const 100))
      (i32.add (i32.mul (memory.size $m1) (i32.const 10)) (memory.size $m2))))
  ;; memory.grow of memory 1 by 1, then by 1 again; returns
  ;; a * 10000 + (b + 1) * 100 + memory.size $m1. The memories take
  ;; 2 + 1 + 1 = 4 pages (256 KiB) at the start. Under --max-memory 320KiB
  ;; (5 pages, shared by the three): a = 1 (the old size), b = -1 (a sixth
  ;; page does not fit), size 2: 10002. Under 256KiB: a = b = -1, size 1:
  ;; -9999. Under 384KiB: a = 1, b = 2, size 3: 10303.
  (func (export "grow1") (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (memory.grow $m1 (i32.const 1)))
    (local.set $b (memory.grow $m1 (i32.const 1)))
    (i32.add (i32.mul (local.get $a) (i32.const 10000))
      (i32.add (i32.mul (i32.add (local.get $b) (i32.const 1)) (i32.const 100))
        (memory.size $m1))))
  ;; memory 2 has maximum 1: grow fails (-1), whatever the budget
  (func (export "grow2") (result i32)
    (memory.grow $m2 (i32.const 1)))
  ;; out of bounds on memory 1 (65534 + 4 > 65536): a trap naming memory 1
  (func (export "oob1") (result i32)
    (i32.load $m1 (i32.const 65534)))
  ;; the same address is in bounds on memory 0 (128 KiB): 0
  (func (export "inb0") (result i32)
    (i32.load $m0 (i32.const 65534)))
  ;; a copy whose source runs past memory 1's end: names memory 1; past
  ;; memory 0's end as destination (131072 - 2 + 5): names nothing (memory 0)
  (func (export "copy_oob_src") 
    (memory.copy $m0 $m1 (i32.const 0) (i32.const 65533) (i32.const 5)))
  (func (export "copy_oob_dst")
    (memory.copy $m0 $m1 (i32.const 131070) (i32.const 0) (i32.const 5)))
  ;; a v128 store and load on memory 2: lanes 7, 8, 9, 10 at 32; the i32
  ;; at 36 (lane 1) = 8
  (func (export "simd2") (result i32)
    (v128.store $m2 (i32.const 32) (v128.const i32x4 7 8 9 10))
    (i32x4.extract_lane 1 (v128.load $m2 (i32.const 32))))
)
