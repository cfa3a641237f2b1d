;; Loads and stores keep where the access ends (offset + size) in the code,
;; so the bounds check is one compare; the fused address forms keep it in 32
;; bits. An offset within a few bytes of 2^32 makes offset + size 2^32 or
;; more: such an access must stay plain (64-bit end) and trap, not wrap to a
;; small end and read or write the start of memory. With one 64 KiB page,
;; every access below is out of bounds, whatever x is; the last two are in
;; bounds and show the edge is exact.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (func (export "load_addk") (param $x i32) (result i32)
    (i32.load offset=0xFFFFFFFD (i32.add (local.get $x) (i32.const 0))))
  (func (export "load_add2") (param $x i32) (param $y i32) (result i32)
    (i32.load offset=0xFFFFFFFF (i32.add (local.get $x) (local.get $y))))
  (func (export "load64_plain") (param $x i32) (result i64)
    (i64.load offset=0xFFFFFFF9 (local.get $x)))
  (func (export "store_addk") (param $x i32) (result i32)
    (i32.store16 offset=0xFFFFFFFF (i32.add (local.get $x) (i32.const 1)) (i32.const 7))
    (i32.const 1))
  (func (export "last_byte") (param $x i32) (result i32)
    (i32.load8_u offset=65535 (i32.add (local.get $x) (i32.const 0))))
  (func (export "last_word") (param $x i32) (result i32)
    (i32.store offset=65532 (local.get $x) (i32.const 0x01020304))
    (i32.load offset=65532 (local.get $x))))
;; invoke: load_addk 0 => trap: out of bounds memory access
;; invoke: load_addk 3 => trap: out of bounds memory access
;; invoke: load_add2 0 0 => trap: out of bounds memory access
;; invoke: load_add2 1 2 => trap: out of bounds memory access
;; invoke: load64_plain 0 => trap: out of bounds memory access
;; invoke: load64_plain 8 => trap: out of bounds memory access
;; invoke: store_addk 0 => trap: out of bounds memory access
;; invoke: store_addk -1 => trap: out of bounds memory access
;; invoke: last_byte 0 => 0
;; invoke: last_byte 1 => trap: out of bounds memory access
;; invoke: last_word 0 => 16909060
;; invoke: last_word 1 => trap: out of bounds memory access
