;; Exceptions across instances (tests/e2e/exceptions.sh, by spec_runner):
;; a tag imported is the exporter's tag, so its exceptions are caught by
;; the importer's catch of it; a tag of the same type defined elsewhere is
;; another tag; an instance's own tags are its own (two instances of one
;; module do not catch each other's).
(module $A
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func (export "catch") (param funcref) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call_indirect (param) (i32.const 0)))
      (i32.const -1)))
  (table 1 funcref))
(register "A" $A)

(module $B
  (import "A" "e" (tag $e (param i32)))
  (import "A" "throw" (func $throw (param i32)))
  (tag $other (param i32))
  (func (export "catch_imported") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $throw (i32.const 11)))
      (i32.const 0)))
  (func (export "other_tag") (result i32)
    (block $h (result i32)
      (try_table (catch $other $h) (call $throw (i32.const 12)))
      (i32.const 0)))
  ;; a legacy catch of the imported tag, and rethrow across the instance
  (func (export "legacy") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (i32.const 30)) (i32.const 0))
          (catch $e (drop) (rethrow 0))))
      (catch $e (i32.add (i32.const 1))))))
(assert_return (invoke $B "catch_imported") (i32.const 11))
(assert_exception (invoke $B "other_tag"))
(assert_return (invoke $B "legacy") (i32.const 31))

;; the same module twice: each instance's $e is its own tag
(module $C1
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0))))
(register "C1" $C1)
(module $C2
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0))))
(register "C2" $C2)
(module $D
  (import "C1" "e" (tag $e1 (param i32)))
  (import "C2" "throw" (func $throw2 (param i32)))
  (import "C1" "throw" (func $throw1 (param i32)))
  (func (export "c2_not_c1") (result i32)
    (block $h (result i32)
      (try_table (catch $e1 $h) (call $throw2 (i32.const 5)))
      (i32.const 0)))
  (func (export "c1") (result i32)
    (block $h (result i32)
      (try_table (catch $e1 $h) (call $throw1 (i32.const 6)))
      (i32.const 0))))
(assert_exception (invoke $D "c2_not_c1"))
(assert_return (invoke $D "c1") (i32.const 6))

;; a tag import of another type does not link
(assert_unlinkable
  (module (import "A" "e" (tag (param i64))))
  "incompatible import type")
