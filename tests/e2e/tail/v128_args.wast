;; Tail calls with v128 arguments (16 bytes, two frame slots each) mixed
;; with i32 and i64 ones, through return_call, return_call_indirect (a
;; 32-bit and a 64-bit table) and return_call_ref: every argument must
;; arrive whole and in its place. The callers reorder and compute their
;; arguments, keep extra values below them on the stack and have frames of
;; other sizes than their callees'. Expected values worked out by hand.
(module
  (type $mix (func (param i32 v128 i64 v128) (result i64 v128 i32)))
  (type $vvv (func (param v128 v128 v128) (result v128)))
  (table $t32 2 funcref)
  (table $t64 i64 2 funcref)
  (elem (table $t32) (i32.const 0) func $mix_callee $vvv_callee)
  (elem (table $t64) (i64.const 0) func $mix_callee $vvv_callee)
  (elem declare func $mix_callee $vvv_callee)

  ;; (a b c d) -> (c, b - d, a): each argument read once, in its own place
  (func $mix_callee (type $mix)
    (local.get 2)
    (i32x4.sub (local.get 1) (local.get 3))
    (local.get 0))
  ;; (p q r) -> p - q - r, with locals of its own (a larger frame)
  (func $vvv_callee (type $vvv)
    (local v128 v128 i64)
    (local.set 3 (i32x4.sub (local.get 0) (local.get 1)))
    (i32x4.sub (local.get 3) (local.get 2)))

  ;; callers: (a b c d) -> callee(a + 1, d, c * 2, b), a v128 left below
  (func (export "mix_call") (param i32 v128 i64 v128) (result i64 v128 i32)
    (v128.const i64x2 -1 -1)
    (return_call $mix_callee
      (i32.add (local.get 0) (i32.const 1)) (local.get 3)
      (i64.mul (local.get 2) (i64.const 2)) (local.get 1)))
  (func (export "mix_indirect") (param i32 v128 i64 v128) (result i64 v128 i32)
    (return_call_indirect $t32 (type $mix)
      (i32.add (local.get 0) (i32.const 1)) (local.get 3)
      (i64.mul (local.get 2) (i64.const 2)) (local.get 1) (i32.const 0)))
  (func (export "mix_indirect64") (param i32 v128 i64 v128) (result i64 v128 i32)
    (i32.const 99)
    (return_call_indirect $t64 (type $mix)
      (i32.add (local.get 0) (i32.const 1)) (local.get 3)
      (i64.mul (local.get 2) (i64.const 2)) (local.get 1) (i64.const 0)))
  (func (export "mix_ref") (param i32 v128 i64 v128) (result i64 v128 i32)
    (return_call_ref $mix
      (i32.add (local.get 0) (i32.const 1)) (local.get 3)
      (i64.mul (local.get 2) (i64.const 2)) (local.get 1) (ref.func $mix_callee)))

  ;; callers: (p q r) -> callee(r, p, q), a smaller frame than the callee's
  (func (export "vvv_call") (param v128 v128 v128) (result v128)
    (return_call $vvv_callee (local.get 2) (local.get 0) (local.get 1)))
  (func (export "vvv_indirect") (param v128 v128 v128) (result v128)
    (return_call_indirect $t32 (type $vvv) (local.get 2) (local.get 0) (local.get 1)
      (i32.const 1)))
  (func (export "vvv_indirect64") (param v128 v128 v128) (result v128)
    (return_call_indirect $t64 (type $vvv) (local.get 2) (local.get 0) (local.get 1)
      (i64.const 1)))
  (func (export "vvv_ref") (param v128 v128 v128) (result v128)
    (local i32 i32 i32 i32 i32 i32)
    (return_call_ref $vvv (local.get 2) (local.get 0) (local.get 1) (ref.func $vvv_callee)))

  ;; a 64-bit table's index at 2^32 wraps to nothing: undefined element
  (func (export "vvv_indirect64_far") (param v128 v128 v128) (result v128)
    (return_call_indirect $t64 (type $vvv) (local.get 2) (local.get 0) (local.get 1)
      (i64.const 0x1_0000_0001)))
)

;; a=5 b=(10 20 30 40) c=7 d=(1 2 3 4): callee(6, d, 14, b) = (14, d - b, 6)
(assert_return (invoke "mix_call" (i32.const 5) (v128.const i32x4 10 20 30 40) (i64.const 7) (v128.const i32x4 1 2 3 4))
  (i64.const 14) (v128.const i32x4 -9 -18 -27 -36) (i32.const 6))
(assert_return (invoke "mix_indirect" (i32.const 5) (v128.const i32x4 10 20 30 40) (i64.const 7) (v128.const i32x4 1 2 3 4))
  (i64.const 14) (v128.const i32x4 -9 -18 -27 -36) (i32.const 6))
(assert_return (invoke "mix_indirect64" (i32.const 5) (v128.const i32x4 10 20 30 40) (i64.const 7) (v128.const i32x4 1 2 3 4))
  (i64.const 14) (v128.const i32x4 -9 -18 -27 -36) (i32.const 6))
(assert_return (invoke "mix_ref" (i32.const 5) (v128.const i32x4 10 20 30 40) (i64.const 7) (v128.const i32x4 1 2 3 4))
  (i64.const 14) (v128.const i32x4 -9 -18 -27 -36) (i32.const 6))
;; p=(100 200 300 400) q=(10 20 30 40) r=(1 2 3 4): callee(r, p, q) = r - p - q
(assert_return (invoke "vvv_call" (v128.const i32x4 100 200 300 400) (v128.const i32x4 10 20 30 40) (v128.const i32x4 1 2 3 4))
  (v128.const i32x4 -109 -218 -327 -436))
(assert_return (invoke "vvv_indirect" (v128.const i32x4 100 200 300 400) (v128.const i32x4 10 20 30 40) (v128.const i32x4 1 2 3 4))
  (v128.const i32x4 -109 -218 -327 -436))
(assert_return (invoke "vvv_indirect64" (v128.const i32x4 100 200 300 400) (v128.const i32x4 10 20 30 40) (v128.const i32x4 1 2 3 4))
  (v128.const i32x4 -109 -218 -327 -436))
(assert_return (invoke "vvv_ref" (v128.const i32x4 100 200 300 400) (v128.const i32x4 10 20 30 40) (v128.const i32x4 1 2 3 4))
  (v128.const i32x4 -109 -218 -327 -436))
(assert_trap (invoke "vvv_indirect64_far" (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))
  "undefined element")
