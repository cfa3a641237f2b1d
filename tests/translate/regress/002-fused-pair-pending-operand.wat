;; An op pair fused into one instruction (here i32.mul feeding i32.add: MADD)
;; deletes the first op; when the other operand is a pending `x + K`, its
;; add is emitted in the first op's place, before the fused instruction. That
;; is allowed only when the add writes no slot the deleted op read (vm/README
;; "Deleting emitted code"). h1/h2: the mul reads locals, the fusion happens;
;; h3: the mul reads the home slot the pending add would write, so the fusion
;; must not happen; h4: the pending add reads its own home slot, which sits
;; below the mul. Results computed by hand (mod 2^32, printed signed).
(module
  (func (export "h1") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.add (local.get $c) (i32.const 5))))
  (func (export "h2") (param $a i32) (param $b i32) (param $c i32) (result i32)
    local.get $c  i32.const 5  i32.add
    local.get $a  local.get $b  i32.mul
    i32.add)
  (func (export "h3") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.mul (i32.add (local.get $a) (local.get $b)) (i32.xor (local.get $b) (local.get $c)))
    (i32.add (local.get $c) (i32.const 7))
    i32.add)
  (func (export "h4") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.xor (local.get $a) (local.get $c)) (i32.const 3))
    (i32.mul (local.get $a) (local.get $b))
    i32.add))
;; invoke: h1 3 4 10 => 27
;; invoke: h2 3 4 10 => 27
;; invoke: h3 3 4 10 => 115
;; invoke: h4 3 4 10 => 24
;; invoke: h1 -1 2 2147483647 => -2147483646
;; invoke: h2 -1 2 2147483647 => -2147483646
;; invoke: h3 -1 2 2147483647 => 3
;; invoke: h4 -1 2 2147483647 => -2147483647
;; invoke: h1 65536 65536 -5 => 0
;; invoke: h3 65536 65536 -5 => -655358
;; invoke: h4 65536 65536 -5 => -65538
