;; Not in the expected counts: fails as unlisted.wast:count.
(module)
