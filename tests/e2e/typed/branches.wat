;; br_on_null / br_on_non_null with values under the reference and constant
;; references (tests/e2e/typed_refs.sh); expected values by hand:
;; a 5 1 = 10 + 100 (null: the branch carries the 100) = 110;
;; a 5 0 = 10 + inc 5 = 16; b = 7 (a constant null branches); c 41 = inc 41 = 42
(module
  (type $ii (func (param i32) (result i32)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $inc)
  (func (export "a") (param $x i32) (param $null i32) (result i32)
    (local $r (ref null $ii))
    (i32.add (i32.const 10)
      (block $l (result i32)
        (i32.const 100)
        (select (result (ref null $ii)) (ref.null $ii) (ref.func $inc) (local.get $null))
        br_on_null $l
        local.set $r
        drop
        (call_ref $ii (local.get $x) (local.get $r)))))
  (func (export "b") (result i32)
    (block $l (result i32)
      (i32.const 7)
      (br_on_null $l (ref.null $ii))
      (drop) (drop) (i32.const 8)))
  (func (export "c") (param $x i32) (result i32)
    (call_ref $ii (local.get $x)
      (block $l (result (ref $ii))
        (br_on_non_null $l (ref.func $inc))
        (unreachable))))
)
