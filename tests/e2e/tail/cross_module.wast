;; Tail calls across instances (run by tests/e2e/tail_calls.sh with
;; spec_runner): A's `a` tail-calls through A's table into B's `b`, which
;; tail-calls A's `a`, imported. Each has its own memory, so the base case
;; tells which instance (and memory) ran last: byte 0 is 0xa in A, 0xb in B.
;; A million levels in one frame; the same chain with plain calls (C, D)
;; exhausts the call stack.
(module $A
  (type $t (func (param i64) (result i64)))
  (table (export "tab") 1 funcref)
  (memory 1)
  (data (i32.const 0) "\0a")
  (func $a (export "a") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.load8_u (i32.const 0)))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0))))))
(register "A" $A)
(module $B
  (import "A" "a" (func $a (param i64) (result i64)))
  (import "A" "tab" (table 1 funcref))
  (memory 1)
  (data (i32.const 0) "\0b")
  (elem (i32.const 0) $b)
  (func $b (export "b") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.load8_u (i32.const 0)))
      (else (return_call $a (i64.sub (local.get 0) (i64.const 1)))))))
(assert_return (invoke $B "b" (i64.const 0)) (i64.const 0xb))
(assert_return (invoke $B "b" (i64.const 1)) (i64.const 0xa))
(assert_return (invoke $B "b" (i64.const 1000000)) (i64.const 0xb))
(assert_return (invoke $B "b" (i64.const 1000001)) (i64.const 0xa))
(assert_return (invoke $A "a" (i64.const 999999)) (i64.const 0xb))
;; a tail call that returns into a plain call's frame in another instance
(module $E
  (import "A" "a" (func $a (param i64) (result i64)))
  (memory 1)
  (data (i32.const 0) "\0e")
  (func (export "e") (param i64) (result i64)
    ;; A's result plus E's own byte 0: E's memory must be current again
    (i64.add (call $a (local.get 0)) (i64.load8_u (i32.const 0)))))
(assert_return (invoke $E "e" (i64.const 1000000)) (i64.const 0x18))
(assert_return (invoke $E "e" (i64.const 1000001)) (i64.const 0x19))

(module $C
  (type $t (func (param i64) (result i64)))
  (table (export "tab") 1 funcref)
  (func $c (export "c") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0))))))
(register "C" $C)
(module $D
  (import "C" "c" (func $c (param i64) (result i64)))
  (import "C" "tab" (table 1 funcref))
  (elem (i32.const 0) $d)
  (func $d (export "d") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (call $c (i64.sub (local.get 0) (i64.const 1)))))))
(assert_return (invoke $D "d" (i64.const 100)) (i64.const 0))
(assert_exhaustion (invoke $D "d" (i64.const 1000000)) "call stack exhausted")
