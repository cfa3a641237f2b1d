;; A quotient by a product, c / (a * b), is one fused instruction
;; (vm/opfamilies.h WB_FUSED_PAIRS F64_RMDIV); a product divided, (a * b) / c,
;; has no fused form and must stay two instructions. The translator's pair
;; table gave both orders a form for every other row, and emit_madd used the
;; missing order's form (none: handler 0) unchecked: float_exprs.wast's
;; no_regroup_mul_div, no_fold_mul_div and no_fold_mul_sqrt_div failed under
;; the optimised translation (found by `make conformance` on branch
;; h-f64mem before merging). Results by hand: 6 / (2 * 3) = 1,
;; (2 * 3) / 4 = 1.5, with NaNs the first operand's NaN, quieted.
(module
  (func (export "qp") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.div (local.get $c) (f64.mul (local.get $a) (local.get $b))))
  (func (export "pq") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.div (f64.mul (local.get $a) (local.get $b)) (local.get $c))))
;; invoke: qp 2 3 6 => 1
;; invoke: qp 2 3 -nan => -nan
;; invoke: qp nan -nan 1 => nan
;; invoke: pq 2 3 4 => 1.5
;; invoke: pq 2 3 -nan => -nan
;; invoke: pq -nan nan 1 => -nan
