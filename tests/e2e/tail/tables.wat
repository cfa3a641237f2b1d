;; return_call_indirect through a table: the element's type is checked as for
;; call_indirect, and a mismatch, a null element or an index past the table
;; traps at the tail call.
(module
  (type $i32 (func (param i32) (result i32)))
  (type $i64 (func (param i64) (result i64)))
  (table 3 funcref)
  (elem (i32.const 0) $double $wide)
  (elem declare func $down)
  (func $double (type $i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $wide (type $i64) (i64.add (local.get 0) (i64.const 1)))
  ;; call (type $i32) through element `slot` with argument x
  (func (export "via") (param $slot i32) (param $x i32) (result i32)
    (return_call_indirect (type $i32) (local.get $x) (local.get $slot)))
  ;; a countdown that tail-calls itself through the table: constant stack
  (func $down (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 7))
      (else (return_call_indirect (type $i32) (i32.sub (local.get 0) (i32.const 1)) (i32.const 2)))))
  (func (export "down") (param i32) (result i32)
    (table.set 0 (i32.const 2) (ref.func $down))
    (return_call $down (local.get 0))))
