;; More shapes of the fused-store bug (001-fused-store-pending-value.wat),
;; found by tests/difftr (enum:store:2173, enum:store:112921 before the fix,
;; reduced, then the stored value loaded back so that it shows in a result).
;; a: the address is p + (q + 0), the pending q + 0 computed into the home
;; slot the i32.add then reads; the store's value x + 1 (pending too) was
;; computed into that same slot after the add was deleted, so the access
;; went to p + x + 1. b: a constant-first address 8 + (p - q) (swapped into
;; ADD_I [p-q 8]) with an i32.store8, its value x + 1 clobbering p - q.
;; Results by hand: a stores x + 1 at p + q and reads it back; b stores the
;; low byte of x + 1 at 8 + p - q and reads it back (memory starts zeroed).
(module
  (memory (export "memory") 1)
  (func (export "a") (param $p i32) (param $q i32) (param $x i32) (result i32)
    local.get $p
    local.get $q  i32.const 0  i32.add
    i32.add
    local.get $x  i32.const 1  i32.add
    i32.store
    local.get $p  local.get $q  i32.add
    i32.load)
  (func (export "b") (param $p i32) (param $q i32) (param $x i32) (result i32)
    i32.const 8
    local.get $p  local.get $q  i32.sub
    i32.add
    local.get $x  i32.const 1  i32.add
    i32.store8
    local.get $p  local.get $q  i32.sub
    i32.load8_u offset=8))
;; invoke: a 16 3 100 => 101
;; invoke: a 0 65532 7 => 8
;; invoke: a 65532 0 -1 => 0
;; invoke: a 65533 0 5 => trap: out of bounds memory access
;; invoke: b 16 3 100 => 101
;; invoke: b 20 4 254 => 255
;; invoke: b 65535 8 6 => 7
;; invoke: b 65536 8 6 => trap: out of bounds memory access
