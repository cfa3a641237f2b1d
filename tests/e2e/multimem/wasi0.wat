;; WASI reads memory 0: "mem0\n" is in memory 0, "mem1\n" at the same
;; addresses of memory 1; fd_write of the iovec at 16 prints "mem0".
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m0 1)
  (memory $m1 1)
  (export "memory" (memory $m0))
  (data (memory $m0) (i32.const 0) "mem0\n")
  (data (memory $m1) (i32.const 0) "mem1\n")
  (data (memory $m0) (i32.const 16) "\00\00\00\00\05\00\00\00")
  (data (memory $m1) (i32.const 16) "\00\00\00\00\05\00\00\00")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))))
