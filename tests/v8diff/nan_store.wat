;; The NaN rule on memory (README "NaNs in memory"), live: both stores write
;; NaN lanes whose bits the spec leaves open, at addresses that are not
;; aligned to the lanes, as binaryen's -ttf stores do (seed 930002: an
;; f64x2.min lane at byte 23). An input NaN that is not canonical lets the
;; result be any arithmetic NaN: wasmbox keeps the input's payload (and
;; sign), node 20's V8 returns its canonical NaN with the sign set, so the
;; memories differ in those bytes and only there.
(module
  (memory (export "memory") 1)
  (func (export "store")
    ;; lane 1 (bytes 31-38) is 2.0; lane 0 (bytes 23-30) a NaN
    (v128.store (i32.const 23)
      (f64x2.min (v128.const i64x2 0x7ff4000000000123 0x4000000000000000)
                 (v128.const f64x2 1 2)))
    ;; lanes 0, 2, 3 (bytes 42-45, 50-57) are 1e-45, 3.0, 4.0; lane 1 (46-49) a NaN
    (v128.store (i32.const 42)
      (f32x4.min (v128.const i32x4 1 0x7fa00005 0x40400000 0x40800000)
                 (v128.const f32x4 1 2 3 4)))))
