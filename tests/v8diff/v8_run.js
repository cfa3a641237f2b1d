// The V8 side of the differential test (README.md): the same transcript
// tests/tools/v8diff_run.c prints for wasmbox, from Node's WebAssembly.
//
// usage: node v8_run.js [--memory-dir DIR] MODULE.wasm SEED
//
// --memory-dir writes the memory that the K-th `memory` line hashes to
// DIR/memory-K.bin (K from 0), as v8diff_run.c does, for the driver's NaN
// rule on memory (README "NaNs").
//
// The JS API does not tell a function's parameter types, so the type,
// import, function and export sections are read here (the module has passed
// V8's validation first, so they are well formed).
'use strict';
const fs = require('fs');
const crypto = require('crypto');

const M64 = (1n << 64n) - 1n;
function mix64(x) {
  x = (x + 0x9E3779B97F4A7C15n) & M64;
  x = ((x ^ (x >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  x = ((x ^ (x >> 27n)) * 0x94D049BB133111EBn) & M64;
  return x ^ (x >> 31n);
}

const EDGE = {
  i32: [0n, 1n, 0xFFFFFFFFn, 0x80000000n, 0x7FFFFFFFn, 2n, 16n, 0xFFFFn, 0x10000n, 0xFFFFFFF0n],
  i64: [0n, 1n, M64, 0x8000000000000000n, 0x7FFFFFFFFFFFFFFFn, 0xFFFFFFFFn, 0x100000000n, 0x80000000n,
    2n, 0xFFFFFFFF80000000n],
  f32: [0n, 0x80000000n, 0x3F800000n, 0xBF800000n, 0x7F800000n, 0xFF800000n, 0x7FC00000n, 1n,
    0x7F7FFFFFn, 0x4F000000n, 0xCF000000n, 0x5F000000n],
  f64: [0n, 0x8000000000000000n, 0x3FF0000000000000n, 0xBFF0000000000000n, 0x7FF0000000000000n,
    0xFFF0000000000000n, 0x7FF8000000000000n, 1n, 0x7FEFFFFFFFFFFFFFn, 0x41E0000000000000n,
    0xC1E0000000000000n, 0x43E0000000000000n],
};

const view = new DataView(new ArrayBuffer(8));
function f32FromBits(b) { view.setUint32(0, Number(b)); return view.getFloat32(0); }
function f64FromBits(b) { view.setBigUint64(0, b); return view.getFloat64(0); }

// Same as make_arg in v8diff_run.c.
function makeArg(seed, call, param, type) {
  const r = mix64(mix64(mix64(seed) ^ BigInt(call)) ^ BigInt(param));
  const bits = mix64(r);
  const edge = (r & 7n) < 3n;
  const pick = (t) => t[Number(bits % BigInt(t.length))];
  switch (type) {
    case 'i32': return Number(BigInt.asIntN(32, edge ? pick(EDGE.i32) : bits));
    case 'i64': return BigInt.asIntN(64, edge ? pick(EDGE.i64) : bits);
    case 'f32': {
      let b = edge ? pick(EDGE.f32) : bits & 0xFFFFFFFFn;
      if ((b & 0x7F800000n) === 0x7F800000n && (b & 0x7FFFFFn)) b = 0x7FC00000n;
      return f32FromBits(b);
    }
    case 'f64': {
      let b = edge ? pick(EDGE.f64) : bits;
      if ((b & 0x7FF0000000000000n) === 0x7FF0000000000000n && (b & 0xFFFFFFFFFFFFFn)) b = 0x7FF8000000000000n;
      return f64FromBits(b);
    }
    default: return null;
  }
}

function formatValue(type, v) {
  switch (type) {
    case 'i32': return 'i32:' + (v | 0);
    case 'i64': return 'i64:' + BigInt.asIntN(64, v);
    case 'f32':
      if (Number.isNaN(v)) return 'f32:nan';
      view.setFloat32(0, v);
      return 'f32:0x' + view.getUint32(0).toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(v)) return 'f64:nan';
      view.setFloat64(0, v);
      return 'f64:0x' + view.getBigUint64(0).toString(16).padStart(16, '0');
    case 'funcref': return 'funcref:' + (v === null ? 'null' : 'func');
    case 'externref': return 'externref:' + (v === null ? 'null' : 'ext');
    default: return type + ':?';
  }
}

// ---- reading the sections that give each export its signature ----

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

function signatures(bytes) {
  let pos = 8;
  const u32 = () => {
    let result = 0, shift = 0, b;
    do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  const valtype = () => VALTYPES[bytes[pos++]] || '?';
  const limits = () => { const flags = bytes[pos++]; u32(); if (flags & 1) u32(); };
  const name = () => { const len = u32(); pos += len; return bytes.subarray(pos - len, pos); };
  const types = [], funcs = [], exports = [];
  while (pos < bytes.length) {
    const id = bytes[pos++], size = u32(), end = pos + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        pos++; // 0x60
        const params = []; for (let k = u32(); k > 0; k--) params.push(valtype());
        const results = []; for (let k = u32(); k > 0; k--) results.push(valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name(); name(); // module and field
        const kind = bytes[pos++];
        if (kind === 0) funcs.push(types[u32()]);
        else if (kind === 1) { pos++; limits(); }
        else if (kind === 2) limits();
        else pos += 2; // global: valtype, mutability
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcs.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const text = Buffer.from(name()).toString('utf8');
        const kind = bytes[pos++], index = u32();
        exports.push({ name: text, kind, type: kind === 0 ? funcs[index] : null });
      }
    }
    pos = end;
  }
  return exports;
}

// ---- traps ----

// V8's RuntimeError messages, by the kinds v8diff_run.c prints (README "Traps").
const TRAP_KINDS = {
  'unreachable': 'unreachable',
  'memory access out of bounds': 'memory-oob',
  'data segment out of bounds': 'memory-oob',
  'table index is out of bounds': 'table-oob',
  'element segment out of bounds': 'table-oob',
  'null function or function signature mismatch': 'indirect-call',
  'divide by zero': 'div-zero',
  'remainder by zero': 'div-zero',
  'divide result unrepresentable': 'overflow',
  'float unrepresentable in integer range': 'overflow',
};

// `trap KIND`, `skip stack`, or `error ...` (which no wasmbox run prints).
function failure(prefix, e) {
  if (e instanceof WebAssembly.RuntimeError && TRAP_KINDS[e.message]) return prefix + 'trap ' + TRAP_KINDS[e.message];
  if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) return 'skip stack';
  return prefix + 'error ' + (e && e.constructor ? e.constructor.name : '?') + ': ' + (e && e.message);
}

// ---- the run ----

// A JS function cannot take a v128, so log-v128 is a small wasm function
// that passes the four i32 lanes to JS (hand-written, from this text:
//   (module (import "h" "log4" (func $log4 (param i32 i32 i32 i32)))
//     (func (export "log-v128") (param v128)
//       (call $log4 (i32x4.extract_lane 0 (local.get 0)) (i32x4.extract_lane 1 (local.get 0))
//                   (i32x4.extract_lane 2 (local.get 0)) (i32x4.extract_lane 3 (local.get 0)))))
const LOG_V128 = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f,
  0x7f, 0x00, 0x60, 0x01, 0x7b, 0x00, 0x02, 0x0a, 0x01, 0x01, 0x68, 0x04, 0x6c, 0x6f, 0x67, 0x34,
  0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x0c, 0x01, 0x08, 0x6c, 0x6f, 0x67, 0x2d, 0x76, 0x31,
  0x32, 0x38, 0x00, 0x01, 0x0a, 0x1a, 0x01, 0x18, 0x00, 0x20, 0x00, 0xfd, 0x1b, 0x00, 0x20, 0x00,
  0xfd, 0x1b, 0x01, 0x20, 0x00, 0xfd, 0x1b, 0x02, 0x20, 0x00, 0xfd, 0x1b, 0x03, 0x10, 0x00, 0x0b]);

// `log v128:` and the value as v8diff_run.c prints it: each 64-bit half
// whose high i32 lane is an f32 NaN pattern as `nan64` (every f64 NaN's
// high word is one; NaN payloads may differ between engines, as f64 or as
// f32 lanes, so then neither lane is compared), else its two i32 lanes, an
// f32 NaN pattern as `nan`, others in hex
function formatV128(lanes) {
  const isNaN32 = (x) => (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
  const hex = (x) => (isNaN32(x) ? 'nan' : '0x' + (x >>> 0).toString(16).padStart(8, '0'));
  const half = (lo, hi) => (isNaN32(hi) ? ['nan64'] : [hex(lo), hex(hi)]);
  return 'v128:' + half(lanes[0], lanes[1]).concat(half(lanes[2], lanes[3])).join(' ');
}

function logV128(emit) {
  const log4 = (a, b, c, d) => { emit('log ' + formatV128([a, b, c, d])); };
  return new WebAssembly.Instance(new WebAssembly.Module(LOG_V128), { h: { log4 } }).exports['log-v128'];
}

function main() {
  let argv = process.argv.slice(2);
  if (argv[0] === '--memory-dir' && argv.length > 1) {
    memoryDir = argv[1];
    argv = argv.slice(2);
  }
  const [file, seedText] = argv;
  if (argv.length !== 2 || !/^[0-9]+$/.test(seedText || '')) {
    process.stderr.write('usage: node v8_run.js [--memory-dir DIR] MODULE.wasm SEED\n');
    process.exit(2);
  }
  const seed = BigInt(seedText) & M64;
  const bytes = fs.readFileSync(file);
  const out = [];
  const emit = (line) => out.push(line);
  try {
    run(bytes, seed, emit);
  } finally {
    fs.writeSync(1, out.length ? out.join('\n') + '\n' : '');
  }
}

function run(bytes, seed, emit) {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    if (e instanceof WebAssembly.CompileError) return emit('module invalid');
    throw e;
  }
  emit('module ok');
  const log = (type) => (v) => { emit('log ' + formatValue(type, v)); };
  const imports = {
    'fuzzing-support': { 'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64'),
                         'log-v128': logV128(emit) },
  };
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) return emit('instance link-error');
    return emit(failure('instance ', e));
  }
  emit('instance ok');
  const exps = signatures(bytes);
  const memExport = exps.find((x) => x.kind === 2);
  const reset = instance.exports.hangLimitInitializer;
  let calls = 0;
  for (const x of exps) {
    if (x.kind !== 0) continue;
    if (typeof reset === 'function') reset();
    const index = calls++;
    if (x.type.params.includes('v128') || x.type.results.includes('v128')) {
      // the JS API cannot pass a v128: neither side calls it
      emit('call ' + x.name + ' v128-signature');
      emitMemory(instance, memExport, emit);
      continue;
    }
    const args = x.type.params.map((t, p) => makeArg(seed, index, p, t));
    emit(['call ' + x.name].concat(args.map((a, p) => formatValue(x.type.params[p], a))).join(' '));
    let ret;
    try {
      ret = instance.exports[x.name](...args);
    } catch (e) {
      const line = failure('', e);
      emit(line);
      if (line.startsWith('skip')) return;
      emitMemory(instance, memExport, emit);
      continue;
    }
    const results = x.type.results.length === 1 ? [ret] : x.type.results.length === 0 ? [] : Array.from(ret);
    emit(['result'].concat(results.map((v, r) => formatValue(x.type.results[r], v))).join(' '));
    emitMemory(instance, memExport, emit);
  }
}

let memoryDir = null, memoryCount = 0;

function emitMemory(instance, memExport, emit) {
  if (!memExport) return emit('memory none');
  const buf = instance.exports[memExport.name].buffer;
  const hash = crypto.createHash('sha256').update(new Uint8Array(buf)).digest('hex');
  emit('memory ' + buf.byteLength / 65536 + ' ' + hash);
  if (memoryDir) fs.writeFileSync(`${memoryDir}/memory-${memoryCount++}.bin`, new Uint8Array(buf));
}

main();
