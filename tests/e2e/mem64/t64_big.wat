;; A 64-bit table whose minimum (2^32 elements) is valid but over the
;; engine's cap of 10,000,000 elements: instantiation refuses it.
(module
  (table i64 0x1_0000_0000 funcref)
  (func (export "f")))
