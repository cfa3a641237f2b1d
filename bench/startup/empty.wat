;; The smallest WASI command: a memory (node's WASI requires one) and an
;; empty _start. Start-up cost of each runtime with nothing to run.
(module
  (memory (export "memory") 0)
  (func (export "_start")))
