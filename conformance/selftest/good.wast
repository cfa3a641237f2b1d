;; Everything here passes: the control case of conformance/selftest.sh.
(module
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trap") unreachable))
(assert_return (invoke "div" (i32.const 7) (i32.const 2)) (i32.const 3))
;; the prefix rule: the test's text may stop before the engine's does
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide")
(assert_trap (invoke "trap") "unreachable")
;; (func (result i32)) with an empty body
(assert_invalid
  (module binary "\00asm\01\00\00\00" "\01\05\01\60\00\01\7f" "\03\02\01\00" "\0a\04\01\02\00\0b")
  "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00") "unexpected end")
;; a text-format module: not run, counted apart
(assert_malformed (module quote "(func (export \"\\ff\"))") "malformed UTF-8 encoding")
