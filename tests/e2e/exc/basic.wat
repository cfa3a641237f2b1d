;; Exception handling through wasmbox's own text reader (tests/e2e/exceptions.sh).
;; Every expected value and fuel amount is worked out by hand in the comments.
(module
  (tag $e (export "e") (param i32))
  (tag $quiet (param i32))                 ;; not exported: named by its index, 1
  (tag $all (param i32 i64 f32 f64 v128 funcref))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $dummy)
  (elem declare func $dummy)

  ;; throw in a callee, caught two frames up by try_table's catch: 7
  (func $mid (param i32) (call $thrower (local.get 0)))
  (func (export "across_calls") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $mid (i32.const 7)))
      (i32.const 0)))

  ;; every payload type: caught, then returned as they were thrown
  (func (export "payloads") (result i32 i64 f32 f64 v128 funcref)
    (block $h (result i32 i64 f32 f64 v128 funcref)
      (try_table (catch $all $h)
        (throw $all (i32.const -5) (i64.const 1234567890123) (f32.const 1.5)
                    (f64.const -0.25) (v128.const i32x4 1 2 3 0xffffffff) (ref.func $dummy)))
      (unreachable)))

  ;; legacy rethrow: the inner catch throws the same exception again, the
  ;; outer catch gets its value plus 100: 142
  (func (export "rethrow") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $e (i32.const 42)))
          (catch $e (drop) (rethrow 0))))
      (catch $e (i32.add (i32.const 100)))))

  ;; legacy delegate: the inner try's exception goes to the outer try's
  ;; handlers, skipping the catch_all of the try in between: 21
  (func (export "delegate") (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do (throw $e (i32.const 20)))
              (delegate $outer)))
          (catch_all (i32.const -1))))
      (catch $e (i32.add (i32.const 1)))))

  ;; catch_all_ref keeps the exception as an exnref; throw_ref throws it
  ;; again, and a catch of its tag gets the value it was thrown with: 9
  (func (export "catch_all_ref") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (block $r (result exnref)
          (try_table (catch_all_ref $r) (call $thrower (i32.const 9)))
          (unreachable))
        (throw_ref))
      (i32.const 0)))

  ;; uncaught: exit code 133, the message names the tag
  (func (export "uncaught_exported") (call $thrower (i32.const 1)))
  (func (export "uncaught_index") (throw $quiet (i32.const 2)))
  ;; a trap inside try_table is not an exception: nothing catches it
  (func (export "trap_in_try") (result i32)
    (block $h (try_table (catch_all $h) (unreachable)))
    (i32.const 0))
  ;; throw_ref of null traps
  (func (export "null_ref") (throw_ref (ref.null exn)))

  ;; fuel: block 1 + try_table 1 (the entry stretch), i32.const 1 + throw 1
  ;; (the body's), then the handler lands after $h's end: the function's
  ;; end 1. The block's end is skipped, as a branch skips it. 5 in all.
  (func (export "fuel_local") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (i32.const 5)))
      (i32.const 0)))
  ;; fuel through a call: the body's stretch is charged whole before it runs
  ;; (i32.const, call, i32.const, drop, try_table's end, i32.const, block's
  ;; end: 7), as a trap leaves a stretch paid; the callee's local.get +
  ;; throw: 2; the entry's block + try_table: 2; the function's end after
  ;; the handler: 1. 12 in all.
  (func (export "fuel_call") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $thrower (i32.const 3)) (i32.const 1) (drop))
      (i32.const 0))))
