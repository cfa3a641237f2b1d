;; WASI preview1 passes 32-bit pointers into memory 0: refused when it is 64-bit.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory i64 1)
  (func (export "_start") (call $exit (i32.const 3))))
