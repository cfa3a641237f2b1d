;; A trap three calls deep, and a loop that runs out of fuel: the run must
;; name the trapping function and instruction offset, and each caller's call.
(module
  (memory 1)
  (func $deep (param i32) (result i32)
    (i32.load offset=8 (i32.add (local.get 0) (i32.const 70000))))
  (func $mid (param i32) (result i32)
    (i32.add (call $deep (local.get 0)) (i32.const 1)))
  (func (export "top") (param i32) (result i32)
    (call $mid (local.get 0)))
  (func $spin (export "spin") (loop $l (br $l))))
