;; SIMD (vm/README.md "SIMD (v128)"): v128 locals, params, results and block
;; values, constants, loads and stores, splats, lanes, bitwise and integer
;; lane arithmetic and comparisons. tests/e2e/simd.sh calls each export and
;; checks results written by hand from the spec's definitions.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")

  ;; splat, replace a lane, add, through a v128 local written twice
  (func (export "splat_add") (param i32 i32) (result i32)
    (local $v v128)
    (local.set $v (i32x4.splat (local.get 0)))
    (local.set $v (i32x4.add (local.get $v)
                             (i32x4.replace_lane 1 (i32x4.splat (local.get 1)) (i32.const 100))))
    (i32.add (i32x4.extract_lane 0 (local.get $v))
             (i32.mul (i32.const 1000) (i32x4.extract_lane 1 (local.get $v)))))

  ;; constants in both halves; i64 lanes wrap
  (func (export "mul64") (result i64)
    (i64x2.extract_lane 1 (i64x2.mul (v128.const i64x2 3 0x4000000000000001)
                                     (v128.const i64x2 5 6))))
  (func (export "sub64") (result i64)
    (i64x2.extract_lane 0 (i64x2.sub (v128.const i64x2 0x8000000000000000 0) (v128.const i64x2 1 0))))

  ;; a load of bytes 1..16 from the data: lane 15 is byte 16 = 0xf0
  (func (export "load_lane") (param i32) (result i32)
    (i8x16.extract_lane_u 15 (v128.load offset=1 (local.get 0))))
  (func (export "load_lane_s") (param i32) (result i32)
    (i8x16.extract_lane_s 15 (v128.load offset=1 (local.get 0))))
  ;; i16 lane 7 of bytes 16..31 is 0xfffe (bytes fe ff), sign-extended -2
  (func (export "load16") (result i32)
    (i16x8.extract_lane_s 7 (v128.load (i32.const 16))))

  ;; store, then read back; an out-of-bounds store writes nothing
  (func (export "store") (param i32) (result i64)
    (v128.store offset=8 (local.get 0) (v128.const i32x4 0x11223344 0x55667788 0x99aabbcc 0xddeeff00))
    (i64.load offset=16 (local.get 0)))
  (func (export "peek") (param i32) (result i64) (i64.load (local.get 0)))

  ;; abs wraps at the most negative lane; neg of it too
  (func (export "abs32") (result i32)
    (i32x4.extract_lane 0 (i32x4.abs (v128.const i32x4 0x80000000 -5 0 0))))
  (func (export "abs8") (result i32)
    (i8x16.extract_lane_u 1 (i8x16.abs (v128.const i8x16 0 -7 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
  (func (export "neg16") (result i32)
    (i16x8.extract_lane_u 2 (i16x8.neg (v128.const i16x8 0 0 1 0 0 0 0 0))))

  ;; comparisons give all-ones lanes; bitmask gathers the top bits
  (func (export "bitmask_lt") (result i32)
    (i8x16.bitmask (i8x16.lt_s (v128.const i8x16 -1 0 -3 4 5 -6 7 8 9 10 11 12 13 14 15 -16)
                               (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
  (func (export "gt_u16") (result i32)
    (i16x8.bitmask (i16x8.gt_u (v128.const i16x8 -1 1 2 3 4 5 6 0x8000)
                               (v128.const i16x8 1 1 1 1 1 1 1 1))))
  (func (export "le_s32") (result i32)
    (i32x4.bitmask (i32x4.le_s (v128.const i32x4 -1 1 2 0x80000000)
                               (v128.const i32x4 1 1 1 1))))
  (func (export "ge_s64") (result i32)
    (i64x2.bitmask (i64x2.ge_s (v128.const i64x2 -1 5) (v128.const i64x2 0 5))))
  ;; f32 lanes: NaN compares unequal, ne is true for it
  (func (export "feq") (result i32)
    (i32x4.bitmask (f32x4.eq (v128.const f32x4 1.5 nan -0 2)
                             (v128.const f32x4 1.5 nan 0 3))))
  (func (export "fne") (result i32)
    (i32x4.bitmask (f32x4.ne (v128.const f32x4 1.5 nan -0 2)
                             (v128.const f32x4 1.5 nan 0 3))))
  (func (export "flt64") (result i32)
    (i64x2.bitmask (f64x2.lt (v128.const f64x2 -1 nan) (v128.const f64x2 0 0))))

  ;; bitwise
  (func (export "bitselect") (result i64)
    (i64x2.extract_lane 0
      (v128.bitselect (v128.const i64x2 0x1111111111111111 0)
                      (v128.const i64x2 0x2222222222222222 0)
                      (v128.const i64x2 0xff00ff00ff00ff00 0))))
  (func (export "andnot") (result i64)
    (i64x2.extract_lane 1 (v128.andnot (v128.const i64x2 0 0xf0f0) (v128.const i64x2 0 0x3c3c))))
  (func (export "not_xor_or") (result i64)
    (i64x2.extract_lane 0 (v128.or (v128.not (v128.const i64x2 -1 0))
                                   (v128.xor (v128.const i64x2 0x0ff0 0) (v128.const i64x2 0x00ff 0)))))
  (func (export "any_true") (param i64) (result i32)
    (v128.any_true (i64x2.replace_lane 1 (v128.const i64x2 0 0) (local.get 0))))
  (func (export "all_true") (param i32) (result i32)
    (i16x8.all_true (i16x8.replace_lane 3 (i16x8.splat (i32.const 0x10001)) (local.get 0))))

  ;; f32/f64 lanes keep their bits (a NaN's payload too)
  (func (export "fbits") (result i32)
    (i32.reinterpret_f32 (f32x4.extract_lane 2
      (f32x4.replace_lane 2 (f32x4.splat (f32.const 1)) (f32.reinterpret_i32 (i32.const 0x7fa00001))))))
  (func (export "f64lane") (param f64) (result f64)
    (f64x2.extract_lane 1 (f64x2.splat (local.get 0))))
  (func (export "i8wrap") (result i32)
    (i8x16.extract_lane_u 0 (i8x16.add (i8x16.splat (i32.const 0x1f0)) (i8x16.splat (i32.const 0x20)))))
  (func (export "mul16") (result i32)
    (i16x8.extract_lane_s 4 (i16x8.mul (i16x8.splat (i32.const 300)) (i16x8.splat (i32.const 300)))))
  (func (export "mul32") (result i32)
    (i32x4.extract_lane 3 (i32x4.mul (i32x4.splat (i32.const 0x10001)) (i32x4.splat (i32.const 0x10001)))))

  ;; the translator's paths: select and drop of v128, a v128 kept below a
  ;; block and a branch, a local read before it is overwritten, tee
  (func (export "select") (param i32) (result i32)
    (i32x4.extract_lane 3 (select (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (local.get 0))))
  (func (export "select_t") (param i32) (result i32)
    (local $a v128) (local $b v128)
    (local.set $a (v128.const i32x4 1 2 3 4))
    (local.set $b (v128.const i32x4 5 6 7 8))
    (i32x4.extract_lane 0 (select (result v128) (local.get $b) (local.get $a) (local.get 0))))
  (func (export "drop") (result i32)
    (drop (v128.const i32x4 9 9 9 9))
    (i32.const 7))
  (func (export "keep") (param i32) (result i32)
    (local $v v128)
    (local.set $v (i32x4.splat (i32.const 10)))
    (local.get $v)                                  ;; the old value, still read below
    (block
      (local.set $v (i32x4.splat (i32.const 20)))
      (br_if 0 (local.get 0))
      (local.set $v (i32x4.splat (i32.const 30))))
    (i32x4.add (local.get $v))
    (i32x4.extract_lane 2))
  (func (export "swap") (result i32)
    (local $a v128) (local $b v128) (local $x i32)
    (local.set $a (v128.const i32x4 1 2 3 4))
    (local.set $b (v128.const i32x4 10 20 30 40))
    (local.get $a)
    (local.set $a (local.get $b))
    (local.set $b)                                  ;; b = the old a
    (local.set $x (i32x4.extract_lane 1 (local.tee $a (i32x4.add (local.get $a) (local.get $a)))))
    (i32.add (local.get $x) (i32x4.extract_lane 3 (i32x4.sub (local.get $a) (local.get $b)))))
  (func (export "loop") (param i32) (result i32)
    (local $acc v128)
    (loop $l
      (local.set $acc (i32x4.add (local.get $acc) (v128.const i32x4 1 2 3 4)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (i32x4.extract_lane 3 (local.get $acc)))

  ;; v128 params and results, across calls, blocks, if and br_if
  (func $add (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func $pair (param i32 v128 i64) (result i64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "call_add") (param i32) (result i32)
    (i32x4.extract_lane 2 (call $add (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))))
  (func (export "call_pair") (result i32)
    (local i32 i64 v128)
    (call $pair (i32.const 7) (v128.const i32x4 9 8 7 6) (i64.const 5))
    (local.set 0) (local.set 2) (local.set 1)
    (i32.add (local.get 0) (i32.add (i32.wrap_i64 (local.get 1)) (i32x4.extract_lane 3 (local.get 2)))))
  (func (export "block_br") (param i32) (result i32)
    (i32x4.extract_lane 0
      (block (result v128)
        (v128.const i32x4 11 0 0 0)
        (br_if 0 (local.get 0))
        (drop)
        (v128.const i32x4 22 0 0 0))))
  (func (export "if_else") (param i32) (result i32)
    (i32x4.extract_lane 1
      (if (result v128) (local.get 0)
        (then (v128.const i32x4 0 1 0 0))
        (else (v128.const i32x4 0 2 0 0)))))
  (type $bt (func (param v128 i32) (result v128 i32)))
  (func (export "block_params") (param i32) (result i32) (local $x i32)
    (v128.const i32x4 0 0 100 0) (local.get 0)
    (block (type $bt) (i32.const 1) (i32.add))
    (local.set $x)
    (i32x4.extract_lane 2) (local.get $x) (i32.add))
  (func (export "call_indirect") (param i32) (result i32)
    (i32x4.extract_lane 1 (call_indirect (type $vv) (v128.const i32x4 5 6 7 8) (v128.const i32x4 1 1 1 1) (local.get 0))))
  (type $vv (func (param v128 v128) (result v128)))
  (table funcref (elem $add))

  ;; a v128 global, initialised by a constant, read and written
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const i64x2 -1 7))
  (func (export "global") (param i32) (result i32)
    (global.set $g (i32x4.add (global.get $g) (i32x4.splat (local.get 0))))
    (i32x4.extract_lane 3 (global.get $g)))
  (func (export "global_k") (result i64) (i64x2.extract_lane 1 (global.get $k)))

  ;; relaxed SIMD: the deterministic choices vm/README.md names
  (func (export "relaxed_trunc") (param f32) (result i32)
    (i32x4.extract_lane 0 (i32x4.relaxed_trunc_f32x4_s (f32x4.splat (local.get 0)))))
  (func (export "relaxed_madd") (result f32)
    (f32x4.extract_lane 1 (f32x4.relaxed_madd (f32x4.splat (f32.const 2)) (f32x4.splat (f32.const 3))
                                              (f32x4.splat (f32.const 1)))))
  ;; (1 + 2^-12)^2 rounds to 1 + 2^-11 first (never fused): + -(1 + 2^-11) = 0
  (func (export "relaxed_madd_unfused") (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (f32.const 0x1.001p+0)) (f32x4.splat (f32.const 0x1.001p+0))
                                              (f32x4.splat (f32.const -0x1.002p+0)))))
  ;; wabt 1.0.32 spells i16x8.relaxed_dot_i8x16_i7x16_s without "relaxed_"
  (func (export "relaxed_dot") (result i32)
    (i16x8.extract_lane_s 0 (i16x8.dot_i8x16_i7x16_s (v128.const i8x16 -128 -128 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
                                                     (v128.const i8x16 -127 -127 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
  (func (export "relaxed_dot_add") (result i32)
    (i32x4.extract_lane 0 (i32x4.dot_i8x16_i7x16_add_s (v128.const i8x16 -128 -128 -128 -128 0 0 0 0 0 0 0 0 0 0 0 0)
                                                       (v128.const i8x16 -127 -127 -127 -127 0 0 0 0 0 0 0 0 0 0 0 0)
                                                       (v128.const i32x4 1 2 3 4))))
  (func (export "relaxed_laneselect") (result i64)
    (i64x2.extract_lane 0 (i64x2.relaxed_laneselect (v128.const i64x2 0x1111111111111111 0)
                                                    (v128.const i64x2 0x2222222222222222 0)
                                                    (v128.const i64x2 0xff00ff00ff00ff00 0))))

  ;; a v128 result, as `run --invoke` prints it
  (func (export "v128_result") (result v128) (v128.const i32x4 1 -2 0x80000000 4))
)
