;; Nothing the runner can run: fails as zero.wast:*.
(assert_malformed (module quote "(func (export \"\\ff\"))") "malformed UTF-8 encoding")
