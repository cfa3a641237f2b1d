;; wast2json cannot convert this, unlisted: fails as badsyntax.wast:*.
(module (func (no such instruction)))
