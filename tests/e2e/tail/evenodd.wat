;; Mutual recursion in tail position: even(n) and odd(n) each return_call the
;; other with n - 1. Runs in one frame whatever n is (tests/e2e/tail_calls.sh).
;; Fuel by hand: a level with n > 0 runs local.get, i64.eqz, if, local.get,
;; i64.const, i64.sub, return_call (7); the last level local.get, i64.eqz,
;; if, i32.const, else, end (6): 7n + 6.
(module
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))
