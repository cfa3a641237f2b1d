;; Tail calls to host functions (WASI imports): the host function is called,
;; then the caller returns its results. Prints "tail\n" through a tail-called
;; fd_write, checks its result and the byte count, then exits with code 7
;; through a tail-called proc_exit. The write is tail-called from $mid's
;; callee, not from the first frame: after the host function, $mid must
;; still return to _start (a return takes the interpreter's link
;; registers, which the tail call's return reloads for $mid: vm/README.md
;; "Calls and limits"); a stale pair would return to $mid again.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "tail\n")
  (func $write (param i32 i32 i32 i32) (result i32)
    (return_call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func $exit (param i32)
    (return_call $proc_exit (local.get 0)))
  (func $mid (result i32)
    (i32.add
      (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (i32.const 40)))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))  ;; iovec: base
    (i32.store (i32.const 4) (i32.const 5))   ;; iovec: length
    (if (i32.ne (call $mid) (i32.const 40))  ;; fd_write's errno 0, plus 40
      (then unreachable))
    (if (i32.ne (i32.load (i32.const 8)) (i32.const 5))
      (then unreachable))
    (call $exit (i32.const 7))
    unreachable))
