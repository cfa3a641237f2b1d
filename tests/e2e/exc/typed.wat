;; Exception handling with typed references (3.0): exnref is (ref null exn)
;; and (ref exn) its non-null form, in locals, globals, tables, select,
;; br_on_null and signatures; and tail calls out of and into functions with
;; handlers. Each export's result is worked out by hand in the comment above
;; it (tests/e2e/exceptions.sh runs them under both translations).
(module
  (type $ti (func (param i32) (result i32)))
  (type $ie (func (result i32 (ref exn))))
  (tag $e (param i32))
  (global $g (mut exnref) (ref.null exn))
  (table $t 2 exnref)

  ;; a caught exception of $e carrying v, as an exnref
  (func $caught (param $v i32) (result (ref exn))
    (block $l (result (ref exn))
      (try_table (catch_all_ref $l) (throw $e (local.get $v)))
      unreachable))

  ;; through a global and a table, then thrown again and caught: 11
  (func (export "stored") (result i32)
    (global.set $g (call $caught (i32.const 11)))
    (table.set $t (i32.const 1) (global.get $g))
    (block $c (result i32)
      (try_table (catch $e $c) (throw_ref (table.get $t (i32.const 1))))
      (i32.const -1)))

  ;; catch_ref's i32 and (ref exn) to a label of [i32 (ref exn)], the
  ;; exception kept in a non-nullable local, thrown again: its value, 3
  (func (export "nonnull") (result i32)
    (local $x (ref exn))
    (local.set $x
      (block $l (type $ie)
        (try_table (catch_ref $e $l) (throw $e (i32.const 3)))
        unreachable))
    (drop)
    (block $c (result i32)
      (try_table (catch $e $c) (throw_ref (local.get $x)))
      (i32.const -1)))

  ;; select (result exnref): p = 1 picks the exception (not null: 0),
  ;; p = 0 the null (1)
  (func (export "select_exn") (param $p i32) (result i32)
    (ref.is_null
      (select (result exnref) (call $caught (i32.const 1)) (ref.null exn) (local.get $p))))

  ;; br_on_null on an exnref: p = 1 holds one (10), p = 0 null (20)
  (func (export "on_null") (param $p i32) (result i32)
    (local $x exnref)
    (if (local.get $p) (then (local.set $x (call $caught (i32.const 1)))))
    (block $n
      (br_on_null $n (local.get $x))
      (drop)
      (return (i32.const 10)))
    (i32.const 20))

  ;; (ref null noexn) is an exnref: passed as one, it is null (1)
  (func $is_null (param exnref) (result i32) (ref.is_null (local.get 0)))
  (func (export "noexn") (result i32) (call $is_null (ref.null noexn)))

  (func $thrower (type $ti) (throw $e (local.get 0)))
  (elem declare func $thrower)

  ;; a return_call from inside a try_table leaves its frame, handlers and
  ;; all: the callee's exception (4) is not caught there (that would give
  ;; 4 + 100, then + 1000 = 1104) but by the caller's: 4 + 1000 = 1004
  (func $tail (result i32)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c) (return_call $thrower (i32.const 4))))
    (i32.const 100)
    (i32.add))
  (func (export "tail_in_try") (result i32)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c) (call $tail)))
    (i32.const 1000)
    (i32.add))

  ;; the same by return_call_ref: 6 + 1000 = 1006
  (func $tail_ref (result i32)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c)
        (return_call_ref $ti (i32.const 6) (ref.func $thrower))))
    (i32.const 100)
    (i32.add))
  (func (export "tail_ref_in_try") (result i32)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c) (call $tail_ref)))
    (i32.const 1000)
    (i32.add))

  ;; a tail call into a function whose own handler catches: 8 + 1 = 9
  (func $catcher (type $ti)
    (block $c (result i32)
      (try_table (result i32) (catch $e $c) (throw $e (local.get 0))))
    (i32.const 1)
    (i32.add))
  (func (export "tail_to_handler") (result i32) (return_call $catcher (i32.const 8)))
)
