;; The catch side of prog.c (tests/e2e/exceptions.sh): try_check(x) calls
;; the C check(x); when it throws the C++ ABI tag (imported, the C side
;; defines it), err_code() of the pointer it threw. Legacy try/catch: wabt
;; 1.0.32 writes relocatable objects of it, not of try_table.
(module
  (import "env" "check" (func $check (param i32) (result i32)))
  (import "env" "err_code" (func $err_code (param i32) (result i32)))
  (import "env" "__cpp_exception" (tag $cpp (param i32)))
  (func $try_check (export "try_check") (param i32) (result i32)
    (try (result i32)
      (do (call $check (local.get 0)))
      (catch $cpp (call $err_code)))))
