;; Invalid: a tail call's callee must have the caller's results (i64 is not
;; i32), so this module is refused at the return_call.
(module
  (func $f (result i64) (i64.const 1))
  (func (result i32) (return_call $f)))
