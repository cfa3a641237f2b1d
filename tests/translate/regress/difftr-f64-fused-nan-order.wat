;; The fused f64 pairs (f64.mul feeding f64.add/f64.sub: F64_MADD, F64_MSUB,
;; F64_RMSUB) do not keep the operand order of the two instructions they
;; replace: F64_MADD computes product + c also when the program adds
;; c + product, and GCC may multiply the product's operands either way
;; round (differently at -O2 and -O1). With two NaN operands x86 keeps the
;; first one's NaN, so the fused code can return a NaN of the other sign or
;; payload. The spec allows any NaN here, but the optimised translation must
;; agree with the reference one (the plain instructions, which keep the
;; first operand's NaN), and f64.copysign turns the NaN's sign into an
;; ordinary number (f: 0 or -0). Found by tests/difftr
;; (random:4780035875955484151:f3, and NaN-payload-only differences of the
;; `pair` family), reduced by hand.
;; Results by hand, each NaN step keeping its first NaN operand (quieted):
;; f: x * 0 is x's NaN (or 0), -nan + that is -nan, copysign(0, -nan) = -0.
;; g: y + x * 1 is y's NaN when y is one. h: c - a * b is a's NaN when a and b
;; are NaNs and c is not. k: a * b + c is a's NaN likewise.
(module
  (func (export "f") (param $x f64) (result f64)
    f64.const 0
    f64.const -nan
    local.get $x
    f64.const 0
    f64.mul
    f64.add
    f64.copysign)
  (func (export "g") (param $x f64) (param $y f64) (result f64)
    local.get $y
    local.get $x
    f64.const 1
    f64.mul
    f64.add)
  (func (export "h") (param $a f64) (param $b f64) (param $c f64) (result f64)
    local.get $c
    local.get $a
    local.get $b
    f64.mul
    f64.sub)
  (func (export "k") (param $a f64) (param $b f64) (param $c f64) (result f64)
    local.get $a
    local.get $b
    f64.mul
    local.get $c
    f64.add))
;; invoke: f nan => -0
;; invoke: f 1 => -0
;; invoke: g nan -nan => -nan
;; invoke: g -nan nan => nan
;; invoke: g 1 2 => 3
;; invoke: h nan -nan 1 => nan
;; invoke: h -nan nan 1 => -nan
;; invoke: h 2 3 1 => -5
;; invoke: k nan -nan 1 => nan
;; invoke: k -nan nan 1 => -nan
;; invoke: k 2 3 1 => 7
