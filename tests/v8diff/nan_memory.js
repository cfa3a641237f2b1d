// The NaN rule on memory (README "NaNs in memory"): two memories that differ
// only in the sign and payload bits of arithmetic NaNs that the module can
// have computed count as equal.
//
// The spec lets every float operation whose result is a NaN return any
// arithmetic NaN (quiet bit set, any sign and payload) when an input was
// not the canonical NaN, so `f64x2.min` may keep an input's payload
// (wasmbox) or return the canonical NaN (V8), and a store then writes
// different bytes (seed 930002). binaryen 108's --denan, the driver's other
// NaN remedy, does not touch v128 values, so such a store survives it.
'use strict';
const { spawnSync } = require('child_process');

// The instructions whose NaN results the spec leaves open (binaryen's text
// names). Not pmin/pmax, neg, abs, copysign, loads, constants or
// reinterpretations: they give an input's bits unchanged, and a NaN they
// put in memory must be the same in every engine.
const NAN_OPS = /\b(f32|f64)(?:x4|x2)?\.(?:add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64|promote_f32|demote_f64x2_zero|promote_low_f32x4)\b/g;

// The NaN widths in bytes (4 for f32 lanes, 8 for f64) the module can
// produce with open bits; a width it cannot produce is never excused.
function nanWidths(moduleFile) {
  const dis = spawnSync('wasm-dis', [moduleFile], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (dis.error || dis.status !== 0) throw new Error('wasm-dis ' + moduleFile + ': ' + (dis.error ? dis.error.message : dis.stderr));
  const widths = new Set();
  for (const m of dis.stdout.matchAll(NAN_OPS)) widths.add(m[1] === 'f32' ? 4 : 8);
  return widths;
}

// Is the little-endian float of WIDTH bytes at AT an arithmetic NaN
// (exponent all ones, quiet bit set; the payload below it and the sign
// free)? The quiet bit is the payload's top bit, so both checks are on the
// top two or three bytes.
function isArithmeticNaN(buf, at, width) {
  if (width === 4) {
    const hi = buf.readUInt16LE(at + 2);
    return (hi & 0x7fc0) === 0x7fc0;
  }
  const hi = buf.readUInt16LE(at + 6);
  return (hi & 0x7ff8) === 0x7ff8;
}

// null when A and B are equal or every byte where they differ lies in a
// float of an allowed width that is an arithmetic NaN in both, at any
// offset (a v128.store of an f64x2 at address 15 puts its lane 1 at 23);
// otherwise the offset of the first byte that no such NaN excuses.
function nanOnlyDifference(a, b, widths) {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    let excused = false;
    for (const w of widths) {
      for (let at = Math.max(0, i - w + 1); at <= i && at + w <= a.length && !excused; at++) {
        excused = isArithmeticNaN(a, at, w) && isArithmeticNaN(b, at, w);
      }
    }
    if (!excused) return i;
  }
  return null;
}

module.exports = { nanWidths, nanOnlyDifference, isArithmeticNaN };
