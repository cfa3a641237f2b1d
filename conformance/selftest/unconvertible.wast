;; wast2json cannot convert this, and the expected counts say so: not run.
(module (func (no such instruction)))
