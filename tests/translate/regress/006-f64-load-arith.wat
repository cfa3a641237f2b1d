;; An f64.load whose fresh result an f64 add, sub or mul takes is one
;; instruction (vm/opfamilies.h WB_LOAD_F64_OPS: F64_LOAD_SUB, F64_LOAD_RSUB,
;; ...), from a plain load and from a load at a pending x + K or x - K. It
;; must keep wasm's operand order (b - load is not load - b; with two NaNs
;; the first operand's NaN is the result, quieted), wrap x + K before adding
;; the offset, and trap where the load traps; an access whose offset + size
;; passes 2^32 stays plain and traps. add_addk -4 reads bytes 4-11 (a
;; denormal: 1 + it is 1). Memory: bytes 0-7 the f64 2.5, 8-15
;; -nan (0xfff8000000000000), the rest of the page zeros.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\04\40\00\00\00\00\00\00\f8\ff")
  (func (export "sub") (param $x i32) (param $b f64) (result f64)
    (f64.sub (f64.load (local.get $x)) (local.get $b)))
  (func (export "rsub") (param $x i32) (param $b f64) (result f64)
    (f64.sub (local.get $b) (f64.load (local.get $x))))
  (func (export "add_addk") (param $x i32) (param $b f64) (result f64)
    (f64.add (f64.load offset=4 (i32.add (local.get $x) (i32.const 4))) (local.get $b)))
  (func (export "radd_subk") (param $x i32) (param $b f64) (result f64)
    (f64.add (local.get $b) (f64.load (i32.sub (local.get $x) (i32.const 8)))))
  (func (export "mul") (param $x i32) (param $b f64) (result f64)
    (f64.mul (f64.load (local.get $x)) (local.get $b)))
  (func (export "rmul") (param $x i32) (param $b f64) (result f64)
    (f64.mul (local.get $b) (f64.load (local.get $x))))
  (func (export "far") (param $x i32) (param $b f64) (result f64)
    (f64.add (f64.load offset=0xFFFFFFFC (local.get $x)) (local.get $b))))
;; invoke: sub 0 1 => 1.5
;; invoke: sub 8 nan => -nan
;; invoke: sub 65528 1 => -1
;; invoke: sub 65529 1 => trap: out of bounds memory access
;; invoke: rsub 0 1 => -1.5
;; invoke: rsub 8 nan => nan
;; invoke: rsub 8 1 => -nan
;; invoke: add_addk 0 1 => -nan
;; invoke: add_addk 0 nan => -nan
;; invoke: add_addk -8 1 => trap: out of bounds memory access
;; invoke: add_addk -4 1 => 1
;; invoke: radd_subk 16 nan => nan
;; invoke: radd_subk 8 2 => 4.5
;; invoke: radd_subk 7 2 => trap: out of bounds memory access
;; invoke: mul 0 2 => 5
;; invoke: mul 8 nan => -nan
;; invoke: rmul 8 nan => nan
;; invoke: rmul 8 -2 => -nan
;; invoke: far 0 1 => trap: out of bounds memory access
