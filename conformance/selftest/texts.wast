;; The right kind of outcome, with a text that is not a prefix of the
;; engine's: each fails.
(module (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero, and then some")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "divide by zero")
(assert_invalid
  (module binary "\00asm\01\00\00\00" "\01\05\01\60\00\01\7f" "\03\02\01\00" "\0a\04\01\02\00\0b")
  "unknown memory")
