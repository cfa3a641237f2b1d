;; Extended constant expressions (WebAssembly 3.0): i32/i64 add, sub and mul
;; in global initializers and data/element offsets, wrapping as the
;; instructions do. Run by tests/e2e/extended_const.sh with spec_runner.
;; Expected values worked out by hand.
(module $M
  (global $base (import "spectest" "global_i32") i32)   ;; 666
  (global $wide (import "spectest" "global_i64") i64)   ;; 666
  (global (export "sum") i32 (i32.add (global.get $base) (i32.const 34)))          ;; 700
  (global (export "diff") i32 (i32.sub (i32.const 0) (i32.const 1)))               ;; -1
  (global (export "wrap32") i32 (i32.mul (i32.const 0x10000) (i32.const 0x10000)))  ;; 2^32 mod 2^32
  (global (export "mul32") i32 (i32.mul (i32.const -3) (i32.const 7)))             ;; -21
  (global (export "wrap64") i64 (i64.add (i64.const 0x7fffffffffffffff) (i64.const 1)))
  (global (export "poly64") i64
    (i64.sub (i64.mul (global.get $wide) (global.get $wide)) (i64.const 6)))      ;; 443556 - 6
  (global (export "deep") i32 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10) (i32.const 11) (i32.const 12) (i32.const 13) (i32.const 14) (i32.const 15) (i32.const 16) (i32.const 17) (i32.const 18) (i32.const 19) (i32.const 20) (i32.const 21) (i32.const 22) (i32.const 23) (i32.const 24) (i32.const 25) (i32.const 26) (i32.const 27) (i32.const 28) (i32.const 29) (i32.const 30) (i32.const 31) (i32.const 32) (i32.const 33) (i32.const 34) (i32.const 35) (i32.const 36) (i32.const 37) (i32.const 38) (i32.const 39) (i32.const 40) i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add)                                              ;; 820
  (memory 1)
  ;; data at 666 - 656 = 10 and at 2 * 8 = 16
  (data (i32.sub (global.get $base) (i32.const 656)) "ab")
  (data (i32.mul (i32.const 2) (i32.const 8)) "cd")
  (table 8 funcref)
  (elem (i32.add (i32.const 3) (i32.mul (i32.const 1) (i32.const 2))) $five)      ;; element 5
  (func $five (result i32) (i32.const 5))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0))))
(assert_return (get $M "sum") (i32.const 700))
(assert_return (get $M "diff") (i32.const -1))
(assert_return (get $M "wrap32") (i32.const 0))
(assert_return (get $M "mul32") (i32.const -21))
(assert_return (get $M "wrap64") (i64.const -0x8000000000000000))
(assert_return (get $M "poly64") (i64.const 443550))
(assert_return (get $M "deep") (i32.const 820))
(assert_return (invoke $M "load16" (i32.const 10)) (i32.const 0x6261))
(assert_return (invoke $M "load16" (i32.const 16)) (i32.const 0x6463))
(assert_return (invoke $M "call" (i32.const 5)) (i32.const 5))
(assert_trap (invoke $M "call" (i32.const 4)) "uninitialized element")
;; an offset computed past the end: the segment does not fit
(assert_trap
  (module (memory 1) (data (i32.mul (i32.const 0x4000) (i32.const 4)) "x"))
  "out of bounds memory access")
;; the operands must be of the operator's type, and the result the wanted one
(assert_invalid (module (global i32 (i32.add (i64.const 1) (i32.const 2)))) "type mismatch")
(assert_invalid (module (global i64 (i64.mul (i64.const 1) (i32.const 2)))) "type mismatch")
(assert_invalid (module (global i64 (i32.add (i32.const 1) (i32.const 2)))) "type mismatch")
(assert_invalid (module (global i32 (i32.const 1) (i32.add))) "type mismatch")
(assert_invalid (module (global i32 (i32.const 1) (i32.const 2) (i32.const 3) (i32.add))) "type mismatch")
;; the rest of the arithmetic is still not constant
(assert_invalid (module (global i32 (i32.div_s (i32.const 1) (i32.const 2)))) "constant expression required")
(assert_invalid (module (global i32 (i32.and (i32.const 1) (i32.const 2)))) "constant expression required")
(assert_invalid (module (global f32 (f32.add (f32.const 1) (f32.const 2)))) "constant expression required")
(assert_invalid (module (memory 1) (data (i32.shl (i32.const 1) (i32.const 2)) "")) "constant expression required")
;; constness is checked over the whole expression before the types
(assert_invalid (module (global i32 (i32.add (i64.const 1) (i32.const 2)) (i32.eqz))) "constant expression required")
