;; Bulk instructions cost one unit each plus one unit per 64 bytes they
;; touch (vm/compiled.h WB_FUEL_BULK_BYTES). Every function below runs N
;; straight-line instructions (its final `end` included) plus that charge.
(module
  (memory 1000)
  (table $t 10 funcref)
  (elem declare func $fill)
  (data $d "0123456789012345678901234567890123456789012345678901234567890123456789")
  ;; 5 instructions + n/64
  (func $fill (export "fill") (param $n i32)
    (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
  ;; 5 instructions + n/64
  (func (export "copy") (param $n i32)
    (memory.copy (i32.const 100) (i32.const 0) (local.get $n)))
  ;; 5 instructions + n/64
  (func (export "init") (param $n i32)
    (memory.init $d (i32.const 0) (i32.const 0) (local.get $n)))
  ;; 3 instructions + 65536 * delta / 64 (pages that can be added)
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  ;; 5 instructions + 8 * n / 64
  (func (export "tfill") (param $n i32)
    (table.fill $t (i32.const 0) (ref.func $fill) (local.get $n)))
  ;; 4 instructions + 8 * n / 64
  (func (export "tgrow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n)))
  ;; copies 64 MB (1024 pages) again and again: under a small budget the
  ;; first copy must already run out of fuel, before doing the work
  (func (export "flood")
    (loop $l
      (memory.copy (i32.const 0) (i32.const 1) (i32.const 65536000))
      (br $l)))
  ;; 3 instructions, then the callee: 2 instructions + (16 locals * 8) / 64
  (func $big (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.get 0))
  (func (export "call_big") (param i32) (result i32)
    (call $big (local.get 0))))
