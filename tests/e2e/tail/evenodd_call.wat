;; evenodd.wat with plain calls: every level keeps its frame, so a deep n
;; exhausts the stack. Fuel by hand: a level with n > 0 runs the 7
;; instructions of evenodd.wat's (call for return_call), then the if's end
;; and the function's end (9); the last level 6: 9n + 6.
(module
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even (i64.sub (local.get 0) (i64.const 1)))))))
