;; A branch on an i32 comparison of a loaded value with another value is one
;; instruction (vm/opfamilies.h WB_LOAD_CMP_BRANCHES: I32_LOAD16_S_BRC_GE_S
;; ...), the comparison swapped when the loaded value is its second operand,
;; in a loop's exit test and in an if. It must extend the loaded value as the
;; load does, compare signed or unsigned as the comparison says, and trap
;; where the load traps. Memory: int16 5, -5, 16, -32768 at 0, 2, 4, 6.
(module
  (memory 1)
  (data (i32.const 0) "\05\00\fb\ff\10\00\00\80")
  ;; how many of the n int16 at p come before the first one >= k (signed)
  (func (export "first_ge_s") (param $p i32) (param $k i32) (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.ge_s (i32.load16_s (local.get $p)) (local.get $k)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; k < the byte at p + 1 (unsigned): the loaded value second
  (func (export "byte_gt_u") (param $p i32) (param $k i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $k) (i32.load8_u offset=1 (local.get $p)))
      (then (i32.const 1)) (else (i32.const 0)))))
;; invoke: first_ge_s 0 10 4 => 2
;; invoke: first_ge_s 0 -6 4 => 0
;; invoke: first_ge_s 2 17 3 => 3
;; invoke: first_ge_s 6 -32768 1 => 0
;; invoke: first_ge_s 6 -32767 1 => 1
;; invoke: first_ge_s 0 -40000 0 => 0
;; invoke: first_ge_s 65534 100 2 => trap: out of bounds memory access
;; invoke: byte_gt_u 0 0 => 0
;; invoke: byte_gt_u 2 254 => 1
;; invoke: byte_gt_u 2 255 => 0
;; invoke: byte_gt_u 2 -1 => 0
;; invoke: byte_gt_u 65535 0 => trap: out of bounds memory access
