;; A tail call to a function whose frame is larger than the caller's (200
;; locals): the frame grows in place; when the value stack cannot hold it,
;; the tail call traps "call stack exhausted". And a trap after a tail call:
;; the frame that made the tail call is gone, so the trap's frames are the
;; trapping function, then the plain call that led to the tail call.
(module
  (func $big (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    ;; the locals are zero: the last one plus the argument
    (i32.add (local.get 0) (i32.wrap_i64 (local.get 200))))
  (func (export "small") (param i32) (result i32)
    (return_call $big (i32.add (local.get 0) (i32.const 1))))
  (memory 1)
  (func $deep (param i32) (result i32)
    (i32.load (local.get 0)))
  (func $mid (param i32) (result i32)
    (return_call $deep (i32.add (local.get 0) (i32.const 65536))))
  (func (export "top") (param i32) (result i32)
    (i32.add (call $mid (local.get 0)) (i32.const 1))))
