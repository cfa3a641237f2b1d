;; Typed function references (tests/e2e/typed_refs.sh). Expected values are
;; worked out by hand in the comments.
(module
  (type $ii (func (param i32) (result i32)))
  (type $cnt (func (param i32 i32) (result i32)))
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $double $inc $down)
  (global $g (mut (ref null $ii)) (ref.null $ii))

  ;; select keeps its first operand when the condition is not 0:
  ;; apply 1 5 = double 5 = 10; apply 0 5 = inc 5 = 6
  (func (export "apply") (param $which i32) (param $x i32) (result i32)
    (call_ref $ii (local.get $x)
      (select (result (ref $ii)) (ref.func $double) (ref.func $inc) (local.get $which))))

  ;; traps "null function reference"
  (func (export "call_null") (param $x i32) (result i32)
    (call_ref $ii (local.get $x) (ref.null $ii)))

  ;; traps "null reference"
  (func (export "as_non_null_null") (result i32)
    (ref.is_null (ref.as_non_null (ref.null $ii))))

  ;; 0: ref.as_non_null of a function passes it through, not null
  (func (export "as_non_null_func") (result i32)
    (ref.is_null (ref.as_non_null (ref.func $inc))))

  ;; br_on_null: -1 while $g is null, else $g applied to x
  (func $maybe_call (export "maybe_call") (param $x i32) (result i32)
    (block $null
      (return (call_ref $ii (local.get $x) (br_on_null $null (global.get $g)))))
    (i32.const -1))
  ;; set $g to double, then maybe_call x: 2x (set_then_call 21 = 42)
  (func (export "set_then_call") (param $x i32) (result i32)
    (global.set $g (ref.func $double))
    (call $maybe_call (local.get $x)))

  ;; br_on_non_null: $g when it is not null, else inc:
  ;; non_null_or 7 = inc 7 = 8 ($g is null in a fresh instance)
  (func $non_null_or (export "non_null_or") (param $x i32) (result i32)
    (call_ref $ii (local.get $x)
      (block $nn (result (ref $ii))
        (br_on_non_null $nn (global.get $g))
        (ref.func $inc))))
  ;; with $g = double: set_then_non_null 7 = 14
  (func (export "set_then_non_null") (param $x i32) (result i32)
    (global.set $g (ref.func $double))
    (call $non_null_or (local.get $x)))

  ;; a non-nullable local, set before it is read: local_init 8 = 16
  (func (export "local_init") (param $x i32) (result i32)
    (local $f (ref $ii))
    (local.set $f (ref.func $double))
    (call_ref $ii (local.get $x) (local.get $f)))

  ;; return_call_ref: n steps adding 2 each, in one frame:
  ;; down n 0 = 2n (down 1000000 0 = 2000000 under a 4 KiB stack)
  (func $down (export "down") (type $cnt)
    (if (result i32) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else
        (return_call_ref $cnt
          (i32.sub (local.get 0) (i32.const 1))
          (i32.add (local.get 1) (i32.const 2))
          (ref.func $down)))))
  ;; the same with call_ref: exhausts the stack
  (func $down_call (export "down_call") (type $cnt)
    (if (result i32) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else
        (call_ref $cnt
          (i32.sub (local.get 0) (i32.const 1))
          (i32.add (local.get 1) (i32.const 2))
          (ref.func $down_call)))))
  (elem declare func $down_call)
)
