// The NaN rule on memory (README "NaNs in memory") tested: the byte rule on
// hand-made memories, the comparison on hand-made transcripts, and live on
// nan_store.wat, whose stores wasmbox and V8 make differ in NaN bits only.
// Each excused case has a twin that differs in one byte more and must still
// be reported.
//
// usage: node nan_rule_test.js BUILD NAN_STORE.wasm
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { nanOnlyDifference, nanWidths } = require('./nan_memory');
const { compare, executeAll, checkModule } = require('./fuzz');

let failures = 0;
function check(what, got, want) {
  if (got !== want) {
    console.log(`nan rule: ${what}: got ${got}, want ${want}`);
    failures++;
  }
}

// ---- the byte rule ----

const mem = (size, at, bytes) => {
  const b = Buffer.alloc(size);
  if (bytes) Buffer.from(bytes).copy(b, at);
  return b;
};
const F64 = new Set([8]), F32 = new Set([4]), BOTH = new Set([4, 8]);
// seed 930002's bytes 23-30 (an f64x2.min lane): wasmbox 0xffffffffffd44246,
// V8 0xfff8000000000000
const w930002 = mem(64, 23, [0x46, 0x42, 0xd4, 0xff, 0xff, 0xff, 0xff, 0xff]);
const v930002 = mem(64, 23, [0, 0, 0, 0, 0, 0, 0xf8, 0xff]);
check('equal memories', nanOnlyDifference(mem(64), mem(64), F64), null);
check('seed 930002, f64 NaNs', nanOnlyDifference(w930002, v930002, F64), null);
check('seed 930002 in a module with only f32 NaNs', nanOnlyDifference(w930002, v930002, F32), 23);
check('seed 930002 in a module with no open NaNs', nanOnlyDifference(w930002, v930002, new Set()), 23);
const vMore = Buffer.from(v930002);
vMore[40] = 1;
check('seed 930002 and a byte outside the NaN', nanOnlyDifference(w930002, vMore, BOTH), 40);
// signalling NaNs (quiet bit clear) come from constants, loads and bit
// operations, whose bits are fixed
check('a signalling NaN against an arithmetic one',
  nanOnlyDifference(mem(16, 0, [1, 0, 0, 0, 0, 0, 0xf4, 0x7f]), mem(16, 0, [0, 0, 0, 0, 0, 0, 0xf8, 0x7f]), F64), 0);
check('an f64 NaN against a number',
  nanOnlyDifference(mem(16, 0, [1, 0, 0, 0, 0, 0, 0xf8, 0x7f]), mem(16, 0, [0, 0, 0, 0, 0, 0, 0xf0, 0x7f]), F64), 0);
check('f32 NaNs, sign and payload', nanOnlyDifference(mem(8, 4, [5, 0, 0xe0, 0x7f]), mem(8, 4, [0, 0, 0xc0, 0xff]), F32), null);
check('f32 NaNs at the very end', nanOnlyDifference(mem(6, 2, [5, 0, 0xe0, 0x7f]), mem(6, 2, [0, 0, 0xc0, 0xff]), F32), null);
check('an f32 NaN cut off by the end', nanOnlyDifference(mem(5, 2, [5, 0, 0xe0]), mem(5, 2, [0, 0, 0xc0]), BOTH), 2);
check('memories of different sizes', nanOnlyDifference(mem(8), mem(16), BOTH), 0);

// ---- the comparison of transcripts, with dumped memories ----

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'v8diff-nan-'));
// Three runs whose one call logs LOGS and leaves the memories MEMS (null:
// the same bytes as wasmbox).
function runs(logs, mems) {
  return ['wasmbox', 'wasmbox-ref', 'v8'].map((name, r) => {
    const bytes = mems[r] || mems[0];
    const dir = path.join(tmp, String(Math.random()).slice(2), name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'memory-0.bin'), bytes);
    const hash = require('crypto').createHash('sha256').update(bytes).digest('hex');
    const text = `module ok\ninstance ok\ncall f\n${logs[r] || logs[0]}result\nmemory 1 ${hash}\n`;
    return { name, status: 0, text, dumps: dir };
  });
}
let c = compare(runs([''], [w930002, null, v930002]), F64);
check('transcripts with NaN-only memories', `${c.verdict} ${c.nanMemory}`, 'same 1');
check('the same without the rule', compare(runs([''], [w930002, null, v930002])).verdict, 'diverged');
c = compare(runs([''], [w930002, null, vMore]), F64);
check('transcripts with one more byte', c.verdict, 'diverged');
check('whose detail names the byte', /memory differs at byte 40 /.test(c.detail), true);
check('transcripts with NaN-only memories and another log',
  compare(runs(['', '', 'log i32:1\n'], [w930002, null, v930002]), F64).verdict, 'diverged');
check('the two translations differing in NaNs only',
  compare(runs([''], [w930002, v930002, w930002]), F64).verdict, 'diverged');

// ---- live: nan_store.wat in wasmbox and V8 ----

const [build, nanStore] = process.argv.slice(2);
const runner = path.join(build, 'tests/tools/v8diff_run'), v8Side = path.join(__dirname, 'v8_run.js');
const live = executeAll(runner, v8Side, nanStore, 1, path.join(tmp, 'live'));
const exact = compare(live);
// Without a difference to excuse this test would test nothing: the engines'
// NaNs have changed, and nan_store.wat needs another way to tell them apart.
check('nan_store.wat compared exactly', exact.verdict, 'diverged');
check('nan_store.wat its NaN widths', [...nanWidths(nanStore)].sort().join(), '4,8');
c = compare(live, nanWidths(nanStore));
check('nan_store.wat by the NaN rule', `${c.verdict} ${c.nanMemory}`, 'same 1');
// lane 0 of the f32x4 store (byte 42), a number, one bit off in V8's memory
const v8Dump = path.join(live[2].dumps, 'memory-0.bin');
const bytes = fs.readFileSync(v8Dump);
bytes[42] ^= 2;
fs.writeFileSync(v8Dump, bytes);
live[2].text = live[2].text.replace(/^memory 1 .*$/m, 'memory 1 ' + require('crypto').createHash('sha256').update(bytes).digest('hex'));
c = compare(live, nanWidths(nanStore));
check('nan_store.wat with a number changed', c.verdict, 'diverged');
check('whose detail names the byte', /memory differs at byte 42 /.test(c.detail), true);
const ctx = { runner, v8Side, denanFile: path.join(tmp, 'denan.wasm'), dumpDir: path.join(tmp, 'check') };
c = checkModule(ctx, nanStore, 1).c;
check('nan_store.wat through the driver', `${c.verdict} ${c.nanMemory}`, 'same 1');

fs.rmSync(tmp, { recursive: true, force: true });
if (failures) process.exit(1);
console.log('v8diff: the NaN rule on memory passed (byte rule, transcripts, nan_store.wat live)');
