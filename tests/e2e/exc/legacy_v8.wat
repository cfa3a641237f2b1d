;; The legacy exception instructions (try, catch, catch_all, delegate,
;; rethrow) as toolchains emit them, which node 20's V8 runs: every export
;; takes an i32 and returns an i32, so tests/e2e/exceptions_v8.sh can call
;; each with 0-3 in wasmbox (both translations) and in V8 and compare.
;; $throw_by k throws $a 10 (k = 0), $b 20 (1), $pair 30 2.5 (2), $none (3).
;; Results for k = 0, 1, 2, 3, worked out by hand, above each export.
(module
  (tag $a (param i32))
  (tag $b (param i32))              ;; the same signature, another tag
  (tag $pair (param i32 f64))
  (tag $none)

  (func $throw_a (param i32) (throw $a (local.get 0)))
  (func $throw_by (param $k i32)
    (if (i32.eqz (local.get $k)) (then (throw $a (i32.const 10))))
    (if (i32.eq (local.get $k) (i32.const 1)) (then (throw $b (i32.const 20))))
    (if (i32.eq (local.get $k) (i32.const 2)) (then (throw $pair (i32.const 30) (f64.const 2.5))))
    (throw $none))

  ;; the first clause whose tag matches, else catch_all: 2010 1020 32 7
  (func (export "clauses") (param $k i32) (result i32)
    (try (result i32)
      (do (call $throw_by (local.get $k)) (i32.const -1))
      (catch $b (i32.add (i32.const 1000)))
      (catch $a (i32.add (i32.const 2000)))
      (catch $pair (i32.trunc_f64_s) (i32.add))
      (catch_all (i32.const 7))))

  ;; a handler that throws again ($a 10 -> $b 30), or rethrows, caught one
  ;; level out: 130 120 9 9
  (func (export "nested") (param $k i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_by (local.get $k)) (i32.const -1))
          (catch $a (throw $b (i32.mul (i32.const 3))))
          (catch_all (rethrow 0))))
      (catch $b (i32.add (i32.const 100)))
      (catch_all (i32.const 9))))

  ;; rethrow of an outer catch from inside an inner try's handler (label 2:
  ;; the if is 0, catch $b's try 1): 50, then $a k again: 501 502 503
  (func (export "rethrow_outer") (param $k i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_a (local.get $k)) (i32.const -1))
          (catch $a
            (drop)
            (try (result i32)
              (do (throw $b (i32.const 5)))
              (catch $b (drop) (if (local.get $k) (then (rethrow 2))) (i32.const 50))))))
      (catch $a (i32.add (i32.const 500)))))

  ;; delegate to an outer try of this function, or (from a function's
  ;; outermost try) to the caller: k = 0: 10 + 40, then $to_caller throws
  ;; $a 10 to "delegate"'s catch $a: 4010; else $b/$pair/$none pass both
  ;; and the catch_all gives 8 8 8
  (func $delegating (param $k i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_by (local.get $k)) (i32.const -1))
          (delegate 0)))
      (catch $a (i32.add (i32.const 40))))
    )
  (func $to_caller (param $k i32) (result i32)
    (try (result i32)
      (do (call $throw_by (local.get $k)) (i32.const -1))
      (delegate 0)))
  (func (export "delegate") (param $k i32) (result i32)
    (try (result i32)
      (do (i32.add (call $delegating (local.get $k)) (call $to_caller (i32.const 0))))
      (catch $a (i32.add (i32.const 4000)))
      (catch_all (i32.const 8))))

  ;; a loop that throws and catches k + 3 times, summing n = k+3 .. 1:
  ;; 6 10 15 21
  (func (export "loop") (param $k i32) (result i32)
    (local $n i32) (local $sum i32)
    (local.set $n (i32.add (local.get $k) (i32.const 3)))
    (loop $l
      (try
        (do (throw $a (local.get $n)))
        (catch $a (local.set $sum (i32.add (local.get $sum)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; a branch out of a handler, and a try whose block type takes params
  ;; (the 6 is taken by the try): 10 + 60 = 70, else 61 + 600: 661 661 661
  (func (export "branch") (param $k i32) (result i32)
    (block $out (result i32)
      (i32.const 6)
      (try (param i32) (result i32)
        (do (call $throw_by (local.get $k)))
        (catch $a (br $out (i32.add (i32.const 60))))
        (catch_all (i32.const 61)))
      (i32.add (i32.const 600))))

  ;; nothing catches $none: an exception reaches the host (exit 133)
  (func (export "uncaught") (param $k i32) (result i32)
    (try (result i32)
      (do (call $throw_by (i32.const 3)) (i32.const 0))
      (catch $a)))
)
