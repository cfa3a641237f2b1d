;; The harness's own test (tests/e2e/v8diff.sh): v8diff_run (both
;; translations) and v8_run.js must each print selftest.expected for this
;; module, which was written by hand from the spec, not captured. It covers
;; every line of the transcript: logs of each type, results of each type
;; (NaN printed as nan), multi-value, the hang-limit reset before each call,
;; memory hashes (computed by the test with sha256sum), every trap kind, and
;; the stop at a skip.
(module
  (import "fuzzing-support" "log-i32" (func $log_i32 (param i32)))
  (import "fuzzing-support" "log-i64" (func $log_i64 (param i64)))
  (import "fuzzing-support" "log-f32" (func $log_f32 (param f32)))
  (import "fuzzing-support" "log-f64" (func $log_f64 (param f64)))
  (type $v (func))
  (type $r (func (result i32)))
  (memory (export "memory") 1 2)
  (table 2 funcref)
  (elem (i32.const 0) $logs)
  (global $hang (mut i32) (i32.const 10))
  (func (export "hangLimitInitializer") (global.set $hang (i32.const 10)))
  (func $logs (export "logs")
    (call $log_i32 (i32.const -7))
    (call $log_i64 (i64.const -9223372036854775808))
    (call $log_f32 (f32.const -1.5))
    (call $log_f64 (f64.const 0.1))
    (call $log_f32 (f32.const nan:0x123)))
  ;; each call starts from a reset hang limit: both log 9
  (func (export "count1")
    (global.set $hang (i32.sub (global.get $hang) (i32.const 1)))
    (call $log_i32 (global.get $hang)))
  (func (export "count2")
    (global.set $hang (i32.sub (global.get $hang) (i32.const 1)))
    (call $log_i32 (global.get $hang)))
  ;; the seeded arguments come back reversed (the test checks that)
  (func (export "echo") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "multi") (result i32 i64 f32 f64 funcref externref)
    i32.const -2147483648
    i64.const 1
    f32.const -0
    f64.const inf
    ref.func $logs
    ref.null extern)
  (func (export "nullfunc") (result funcref) ref.null func)
  (func (export "nanres") (result f64) (f64.div (f64.const 0) (f64.const 0)))
  (func (export "store") (i32.store (i32.const 0) (i32.const 0x01020304)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "t_unreachable") unreachable)
  (func (export "t_memory") (drop (i32.load (i32.const 131070))))
  (func (export "t_table") (call_indirect (type $v) (i32.const 5)))
  (func (export "t_null") (call_indirect (type $v) (i32.const 1)))
  (func (export "t_sig") (drop (call_indirect (type $r) (i32.const 0))))
  (func (export "t_div") (drop (i32.div_u (i32.const 1) (i32.const 0))))
  (func (export "t_rem") (drop (i64.rem_s (i64.const 1) (i64.const 0))))
  (func (export "t_ovf") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
  (func (export "t_conv") (drop (i32.trunc_f64_u (f64.const -1))))
  (func (export "t_nan") (drop (i64.trunc_f32_s (f32.const nan))))
  (func $rec (export "t_stack") (call $rec))
  (func (export "after_skip") (call $log_i32 (i32.const 1))))
