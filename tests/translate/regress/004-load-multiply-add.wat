;; A load whose value an i32.mul multiplies and an i32.add then sums is one
;; instruction (vm/opfamilies.h WB_LOAD_MADDS: I32_LOAD16_S_MADD ...), from a
;; plain load and from a load at a pending x + K. It must extend the loaded
;; value as the load does (signed or not), wrap the product and the sum mod
;; 2^32, wrap x + K before adding the offset, and trap where the load traps:
;; an access whose offset + size passes 2^32 stays plain and traps. Memory:
;; bytes 0-1 0xffff, 2-3 0x0002, 4 0x80, 8-11 0x7ffffffe (little-endian).
(module
  (memory 1)
  (data (i32.const 0) "\ff\ff\02\00\80\00\00\00\fe\ff\ff\7f")
  (func (export "m16s") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (i32.load16_s (local.get $x)) (local.get $b)) (local.get $c)))
  (func (export "m8s_addk") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (local.get $c)
      (i32.mul (local.get $b) (i32.load8_s offset=1 (i32.add (local.get $x) (i32.const 3))))))
  (func (export "m8u_addk") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (local.get $c)
      (i32.mul (local.get $b) (i32.load8_u offset=1 (i32.add (local.get $x) (i32.const 3))))))
  (func (export "m32") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (i32.load offset=8 (local.get $x)) (local.get $b)) (local.get $c)))
  (func (export "m16u") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (i32.load16_u offset=8 (local.get $x)) (local.get $b)) (local.get $c)))
  (func (export "m16s_wrapk") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (i32.load16_s offset=2 (i32.add (local.get $x) (i32.const -4))) (local.get $b))
      (local.get $c)))
  (func (export "m16s_far") (param $x i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (i32.load16_s offset=0xFFFFFFFF (local.get $x)) (local.get $b)) (local.get $c))))
;; invoke: m16s 0 3 10 => 7
;; invoke: m16s 2 3 10 => 16
;; invoke: m16s 65534 1 1 => 1
;; invoke: m16s 65535 1 1 => trap: out of bounds memory access
;; invoke: m8s_addk 0 2 1 => -255
;; invoke: m8u_addk 0 2 1 => 257
;; invoke: m8s_addk 65532 1 1 => trap: out of bounds memory access
;; invoke: m32 0 2 5 => 1
;; invoke: m32 65524 1 0 => 0
;; invoke: m32 65525 1 0 => trap: out of bounds memory access
;; invoke: m16u 0 65536 0 => -131072
;; invoke: m16s_wrapk 4 3 1 => 7
;; invoke: m16s_wrapk 0 3 1 => trap: out of bounds memory access
;; invoke: m16s_far 0 1 1 => trap: out of bounds memory access
;; invoke: m16s_far 1 1 1 => trap: out of bounds memory access
