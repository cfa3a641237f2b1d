;; The README's example: an iterative Fibonacci, a trap, and float results.
(module
  (func (export "fib") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $a))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "third") (param f64) (result f64 f32)
    (f64.div (local.get 0) (f64.const 3))
    (f32.demote_f64 (f64.div (local.get 0) (f64.const 3)))))
