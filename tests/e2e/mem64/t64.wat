;; 64-bit tables (table64) next to a 32-bit one. Expected values are worked
;; out by hand in tests/e2e/memory64.sh. Function indices: $seven 0,
;; $eight 1, then the exports in order from 2.
(module
  (type $ret (func (result i32)))
  (table $t32 2 funcref)          ;; [seven eight]
  (table $t64 i64 3 10 funcref)   ;; [null eight seven], at most 10
  (elem (table $t32) (i32.const 0) func $seven $eight)
  (elem (table $t64) (i64.const 1) func $eight $seven)
  (elem $pair func $seven $seven)
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))
  ;; 2
  (func (export "size") (result i64) (table.size $t64))
  ;; 3: entry 2 is $seven
  (func (export "call") (result i32) (call_indirect $t64 (type $ret) (i64.const 2)))
  ;; 4: 2^32 + 1: its low half names $eight, but it is past the end
  (func (export "call_far") (result i32)
    (call_indirect $t64 (type $ret) (i64.const 0x1_0000_0001)))
  ;; 5: entry 0 is null
  (func (export "call_null") (result i32) (call_indirect $t64 (type $ret) (i64.const 0)))
  ;; 6: old size 3, new size 5: 3 * 100 + 5
  (func (export "grow") (result i64)
    (i64.add (i64.mul (table.grow $t64 (ref.null func) (i64.const 2)) (i64.const 100))
             (table.size $t64)))
  ;; 7: past the maximum (3 + 8 > 10): -1 as an i64
  (func (export "grow_max") (result i64) (table.grow $t64 (ref.null func) (i64.const 8)))
  ;; 8: by 2^32 + 1 (its low half 1 would fit): -1, the size stays 3: -1 + 30
  (func (export "grow_wide") (result i64)
    (i64.add (table.grow $t64 (ref.null func) (i64.const 0x1_0000_0001))
             (i64.mul (table.size $t64) (i64.const 10))))
  ;; 9
  (func (export "get_far") (result i32)
    (ref.is_null (table.get $t64 (i64.const 0x1_0000_0001))))
  ;; 10
  (func (export "set_far") (table.set $t64 (i64.const 0x1_0000_0002) (ref.null func)))
  ;; 11: a length of 2^32 + 2 (its low half 2 would fit)
  (func (export "fill_wide") (table.fill $t64 (i64.const 0) (ref.null func) (i64.const 0x1_0000_0002)))
  ;; 12: every entry $eight, then call entry 0
  (func (export "fill") (result i32)
    (table.fill $t64 (i64.const 0) (ref.func $eight) (i64.const 3))
    (call_indirect $t64 (type $ret) (i64.const 0)))
  ;; 13: t32[0..2] = t64[1..3] = [eight seven] (i32 length: the smaller
  ;; address type); then t32[0] * 10 + t32[1]
  (func (export "copy_mixed") (result i32)
    (table.copy $t32 $t64 (i32.const 0) (i64.const 1) (i32.const 2))
    (i32.add (i32.mul (call_indirect $t32 (type $ret) (i32.const 0)) (i32.const 10))
             (call_indirect $t32 (type $ret) (i32.const 1))))
  ;; 14: to 2^32 in the 64-bit table
  (func (export "copy_mixed_oob")
    (table.copy $t64 $t32 (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 1)))
  ;; 15: the passive segment [seven seven] to t64[0..2]; then entry 0
  (func (export "init") (result i32)
    (table.init $t64 $pair (i64.const 0) (i32.const 0) (i32.const 2))
    (call_indirect $t64 (type $ret) (i64.const 0)))
  ;; 16: a destination of 2^32
  (func (export "init_far")
    (table.init $t64 $pair (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 0)))
  ;; 17: t64 to t64 with an i64 length of 2^32 + 1
  (func (export "copy64_wide")
    (table.copy $t64 $t64 (i64.const 0) (i64.const 0) (i64.const 0x1_0000_0001)))
)
