;; Listed as not-convertible, but converts: fails as converts.wast:count.
(module)
