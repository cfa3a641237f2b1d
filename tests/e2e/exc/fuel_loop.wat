;; Fuel of runs that throw and catch in a loop, under fuel charged per chain
;; (vm/README.md "Exception handling", Fuel). Every amount is worked out by
;; hand below from the rule; none was read from wasmbox.
;;
;; The rule: one unit per instruction run, as without exceptions, plus, for
;; each frame an exception leaves by a call (the caller of the thrower, and
;; every frame between it and the handler's), the instructions its chain
;; holds after that call, which the chain's head charged before it ran. The
;; throwing frame pays nothing more: after a throw nothing of its chain is
;; reachable. A handler is entered as a branch lands: a try_table's pad
;; charges its label's chain (that label's `end` is not run), a legacy catch
;; its handler's chain (the `catch` itself is not run then).
;;
;; Chains (a chain starts at the function's entry, a loop head and a
;; targeted `end`, `else` or `catch`; it runs on through the fall-through of
;; `if`, `br_if` and a `try`, `try_table` or block no branch targets):
(module
  (tag $e (param i32))

  ;; $maybe i: throws i when i is odd. One chain: local.get, i32.const,
  ;; i32.and, if, local.get, throw (6); the if's false edge lands on the
  ;; function's end (a chain of 1). Even: 5 run (the if's end skipped),
  ;; odd: 6 run. Neither overcharges.
  (func $maybe (param i32)
    local.get 0
    i32.const 1
    i32.and
    if
      local.get 0
      throw $e
    end)

  ;; try_table: sum of the odd i below n.
  ;; entry: loop (1). L (loop head): local.get $sum, block, try_table (3).
  ;; B (the try_table's body): local.get $i, call, try_table's end,
  ;; i32.const 0, block's end (5). H ($h's end, where the pad's branch
  ;; lands): i32.add, local.set, local.get, i32.const, i32.add, local.tee,
  ;; local.get, i32.lt_u, br_if (9), loop's end, local.get, end (12).
  ;; An even i that loops again: L 3 + B 5 + $maybe 5 + H's first 9 = 22.
  ;; An odd one: L 3 + local.get and call 2 + $maybe 6 + H's first 9 = 20
  ;; run, + B's 3 after the call (charged, never run) = 23.
  ;; n = 10: 1 + 5 x 22 + 5 x 23 + 3 (the last H's loop end, local.get,
  ;; end) = 229; the sum is 1+3+5+7+9 = 25.
  (func (export "loop_try_table") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $top
      local.get $sum
      block $h (result i32)
        try_table (catch $e $h)
          local.get $i
          call $maybe
        end
        i32.const 0
      end
      i32.add
      local.set $sum
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $top
    end
    local.get $sum)

  ;; legacy try/catch: entry: loop (1). L: try, local.get, call, catch
  ;; (fallen into) (4). C (the handler's FUEL cell): local.get $sum,
  ;; i32.add, local.set, the try's end (4). E (the try's end, where the
  ;; body's jump over the handler lands): local.get ... br_if (7), loop's
  ;; end, local.get, end (10).
  ;; Even, looping: L 4 + $maybe 5 + E's 7 = 16.
  ;; Odd, looping: L 4 (its `catch` charged, not run: 1 over) + $maybe 6
  ;; + C 4 + E's 7 = 21.
  ;; n = 10: 1 + 5 x 16 + 5 x 21 + 3 = 189; sum 25.
  (func (export "loop_legacy") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $top
      try
        local.get $i
        call $maybe
      catch $e
        local.get $sum
        i32.add
        local.set $sum
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $top
    end
    local.get $sum)

  ;; rethrow: the inner catch throws the exception again, the outer one
  ;; adds it. entry: loop (1). L: try, try, local.get, call, the inner
  ;; catch (fallen into) (5). C1: drop, rethrow (2). X (the inner try's
  ;; end, its own `end` not run): the outer catch (fallen into) (1). C2:
  ;; local.get $sum, i32.add, local.set, the outer end (4). E: as above
  ;; (7, 10 with the function's tail).
  ;; Even, looping: L 5 + $maybe 5 + X 1 + E's 7 = 18.
  ;; Odd, looping: L 5 (the inner catch charged, not run: 1 over) +
  ;; $maybe 6 + C1 2 + C2 4 + E's 7 = 24.
  ;; n = 10: 1 + 5 x 18 + 5 x 24 + 3 = 214; sum 25.
  (func (export "loop_rethrow") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $top
      try
        try
          local.get $i
          call $maybe
        catch $e
          drop
          rethrow 0
        end
      catch $e
        local.get $sum
        i32.add
        local.set $sum
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $top
    end
    local.get $sum)

  ;; delegate: the inner try sends its exceptions to the outer try's
  ;; catch. entry: loop (1). L: try, try, local.get, call, delegate, the
  ;; outer catch (fallen into) (6). C: local.get $sum, i32.add, local.set,
  ;; the outer end (4). E: 7, 10 with the function's tail.
  ;; Even, looping: L 6 + $maybe 5 + E's 7 = 18.
  ;; Odd, looping: L 6 (delegate and catch charged, not run: 2 over) +
  ;; $maybe 6 + C 4 + E's 7 = 23.
  ;; n = 10: 1 + 5 x 18 + 5 x 23 + 3 = 209; sum 25.
  (func (export "loop_delegate") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $top
      try
        try
          local.get $i
          call $maybe
        delegate 0
      catch $e
        local.get $sum
        i32.add
        local.set $sum
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $top
    end
    local.get $sum))
