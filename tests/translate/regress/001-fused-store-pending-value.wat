;; A store whose address is a just-computed i32.add (two slots, or a slot and
;; a constant) was fused into one access after deleting the add; its value, a
;; pending `x + 1`, was then computed into the slot the deleted add read its
;; operand from, so the access used the clobbered slot (issue "Trust the
;; engine", "The bug"). Correct results by hand: f stores x + 1 at p + 4i and
;; reads it back; g does the same at 16 + 4i.
(module
  (memory (export "memory") 1)
  (func (export "f") (param $p i32) (param $i i32) (param $x i32) (result i32)
    local.get $p  local.get $i  i32.const 2  i32.shl  i32.add
    local.get $x  i32.const 1  i32.add
    i32.store
    local.get $p  local.get $i  i32.const 2  i32.shl  i32.add
    i32.load)
  (func (export "g") (param $i i32) (param $x i32) (result i32)
    i32.const 16  local.get $i  i32.const 2  i32.shl  i32.add
    local.get $x  i32.const 1  i32.add
    i32.store
    local.get $i  i32.const 2  i32.shl
    i32.load offset=16))
;; invoke: f 16 3 100 => 101
;; invoke: f 0 1 70000 => 70001
;; invoke: g 3 100 => 101
;; invoke: g 1 70000 => 70001
;; invoke: f 65532 0 -1 => 0
;; invoke: f 65533 0 5 => trap: out of bounds memory access
;; invoke: g 16380 7 => trap: out of bounds memory access
