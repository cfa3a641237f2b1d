// The V8 differential driver (README.md). For each seed: random bytes, a
// module from `wasm-opt -ttf`, three executions (wasmbox optimised, wasmbox
// reference translation, V8), their transcripts compared.
//
// usage: node fuzz.js --build DIR (--seeds FIRST-LAST | --seconds N [--seed FIRST])
//                     [--out DIR] [--verbose]
//        node fuzz.js --build DIR --check MODULE.wasm --seed SEED
//
// Prints one summary line; exits 1 when any module diverged (each one kept
// in OUT/seed-N/ with its module, input bytes and transcripts), 2 on a usage
// or tool error. --check compares the executions of one given module and
// prints only its verdict (`diverged`, `same`, `skip`, `invalid`; exit 1 when
// diverged), after the same NaN remedies as a fuzz run (README "NaNs"), a
// stable answer for wasm-reduce (README "Reducing").
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { nanWidths, nanOnlyDifference } = require('./nan_memory');

// WebAssembly 2.0 without SIMD, plus tail calls (node 20's V8 runs them; -ttf
// then emits return_call and return_call_indirect in about one module in
// seven), as wasmbox implements it. binaryen 108's
// reference types model anyref as a supertype of funcref, which is not the
// standard's externref, so most modules made with them are invalid; they get
// one seed in four, and a module both engines reject is counted, not compared.
const BASE_FEATURES = ['--mvp-features', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-tail-call'];
const MIN_INPUT = 1024, MAX_INPUT = 48 * 1024;
// Per process; a module that needs more is skipped (time), not compared.
const GEN_TIMEOUT_MS = 30000, RUN_TIMEOUT_MS = 20000;
const WASMBOX_FUEL = 100000000, WASMBOX_TIMEOUT_MS = 10000;

function parseArgs(argv) {
  const o = { build: null, first: null, last: null, seconds: null, out: null, verbose: false, check: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--build') { o.build = v; i++; }
    else if (a === '--seeds' && /^\d+-\d+$/.test(v || '')) { [o.first, o.last] = v.split('-').map(Number); i++; }
    else if (a === '--seconds' && /^\d+$/.test(v || '')) { o.seconds = Number(v); i++; }
    else if (a === '--seed' && /^\d+$/.test(v || '')) { o.first = Number(v); i++; }
    else if (a === '--out') { o.out = v; i++; }
    else if (a === '--check') { o.check = v; i++; }
    else if (a === '--verbose') o.verbose = true;
    else return null;
  }
  if (o.check) return o.build && o.first !== null && o.seconds === null && o.last === null ? o : null;
  if (!o.build || (o.seconds === null) === (o.last === null)) return null;
  if (o.first === null) o.first = Math.floor(Date.now() / 1000) % 1000000 * 1000;
  o.out = o.out || path.join(o.build, 'v8diff-out');
  return o;
}

// The generator's input: SHA-256 in counter mode over the seed, so a seed
// names the same module on every machine with the same binaryen.
function inputBytes(seed) {
  const h = (s) => crypto.createHash('sha256').update(s).digest();
  const size = MIN_INPUT + h('size:' + seed).readUInt32BE(0) % (MAX_INPUT - MIN_INPUT);
  const blocks = [];
  for (let i = 0; i * 32 < size; i++) blocks.push(h('bytes:' + seed + ':' + i));
  return Buffer.concat(blocks).subarray(0, size);
}

// Reference types on one seed in four; binaryen's random optimisation passes
// (-fp, shapes like optimised compiler output) on every other seed.
function featureFlags(seed) {
  return BASE_FEATURES.concat(seed % 4 === 3 ? ['--enable-reference-types'] : [],
    Math.floor(seed / 2) % 2 === 1 ? ['--enable-simd'] : []);
}

function generatorFlags(seed) {
  return ['-ttf'].concat(featureFlags(seed), seed % 2 === 1 ? ['-fp'] : []);
}

// The three executions of one module. With DUMPDIR each execution also
// writes the memory behind its `memory` lines to DUMPDIR/NAME/ (the NaN rule
// on memory; its runs get `dumps`, the directory).
function executeAll(runner, v8Side, file, seed, dumpDir) {
  const bounds = ['--fuel', String(WASMBOX_FUEL), '--timeout-ms', String(WASMBOX_TIMEOUT_MS)];
  const dumps = (name) => {
    if (!dumpDir) return [];
    fs.rmSync(path.join(dumpDir, name), { recursive: true, force: true });
    fs.mkdirSync(path.join(dumpDir, name), { recursive: true });
    return ['--memory-dir', path.join(dumpDir, name)];
  };
  const runs = [
    Object.assign(run(runner, bounds.concat(dumps('wasmbox'), [file, String(seed)])), { name: 'wasmbox' }),
    Object.assign(run(runner, ['--opt=0'].concat(bounds, dumps('wasmbox-ref'), [file, String(seed)])), { name: 'wasmbox-ref' }),
    Object.assign(run(process.execPath, [v8Side].concat(dumps('v8'), [file, String(seed)])), { name: 'v8' }),
  ];
  if (dumpDir) runs.forEach((r) => { r.dumps = path.join(dumpDir, r.name); });
  return runs;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { timeout: RUN_TIMEOUT_MS, maxBuffer: 256 << 20, encoding: 'utf8' });
  if (r.error && r.error.code === 'ETIMEDOUT') return { timedOut: true, text: '' };
  if (r.error) throw new Error(cmd + ': ' + r.error.message);
  return { timedOut: false, status: r.status, signal: r.signal, text: r.stdout, stderr: r.stderr };
}

// A transcript is a header (module, instance lines) and one block per call.
function blocks(text) {
  const lines = text.split('\n').filter((l) => l.length);
  const out = [[]];
  for (const l of lines) {
    if (l.startsWith('call ')) out.push([]);
    out[out.length - 1].push(l);
  }
  return out;
}

// Compares executions of one module (the first is wasmbox's). Returns
// { verdict: 'same'|'invalid'|'skip'|'diverged', calls, reason, detail,
// crashed (a process failed: no transcript to compare), nanMemory (calls
// whose memories were equal only by the NaN rule) }. With WIDTHS (a set of
// NaN widths, nan_memory.js) and runs that dumped their memories, a call
// where only V8's `memory` hash differs is held to the NaN rule on memory
// instead of the hash.
function compare(runs, widths) {
  for (const r of runs) {
    if (!r.timedOut && (r.signal || r.status !== 0)) {
      return { verdict: 'diverged', crashed: true, calls: 0, detail: `${r.name} ended with ${r.signal || 'exit ' + r.status}: ${(r.stderr || '').slice(0, 300)}` };
    }
  }
  if (runs.some((r) => r.timedOut)) return { verdict: 'skip', reason: 'time', calls: 0 };
  const bs = runs.map((r) => blocks(r.text));
  // Stop comparing at the first call after which any execution skipped
  // (stack, fuel, time): from there on the states differ legitimately.
  let cut = Infinity, reason = null;
  bs.forEach((b) => b.forEach((blk, i) => {
    const skip = blk.find((l) => l.startsWith('skip '));
    if (skip && i < cut) { cut = i; reason = skip.slice(5); }
  }));
  const n = Math.min(cut, Math.max(...bs.map((b) => b.length)));
  let memories = 0, nanMemory = 0;
  for (let i = 0; i < n; i++) {
    const texts = bs.map((b) => (b[i] || ['(missing)']).join('\n'));
    if (texts.some((t) => t !== texts[0])) {
      const excuse = widths && texts[1] === texts[0] ? nanMemoryExcuse(runs, bs, i, memories, widths) : 'no';
      if (excuse !== null) {
        const detail = excuse === 'no' ? firstDifference(runs, bs, i) : excuse;
        return { verdict: 'diverged', calls: Math.max(0, i - 1), detail, nanMemory };
      }
      nanMemory++;
    }
    memories += (bs[0][i] || []).filter((l) => l.startsWith('memory ')).length;
  }
  if (bs[0][0].includes('module invalid')) return { verdict: 'invalid', calls: 0 };
  return { verdict: reason ? 'skip' : 'same', reason, calls: Math.max(0, n - 1), nanMemory };
}

// Block I of V8's transcript differs from wasmbox's (whose two translations
// agree): null when it differs only in `memory` hashes of memories of the
// same size that the NaN rule makes equal (MEMORIES: how many `memory` lines
// came before), else why not ('no': not in memory lines at all).
function nanMemoryExcuse(runs, bs, i, memories, widths) {
  const mine = bs[0][i] || [], theirs = bs[2][i] || [];
  if (!mine.length || mine.length !== theirs.length) return 'no';
  let k = memories;
  for (let j = 0; j < mine.length; j++) {
    if (!mine[j].startsWith('memory ')) {
      if (mine[j] !== theirs[j]) return 'no';
      continue;
    }
    const dump = k++;
    if (mine[j] === theirs[j]) continue;
    const hashed = /^memory (\d+) [0-9a-f]{64}$/, m = hashed.exec(mine[j]), v = hashed.exec(theirs[j]);
    if (!m || !v || m[1] !== v[1]) return 'no';
    const file = (r) => path.join(r.dumps, `memory-${dump}.bin`);
    if (!fs.existsSync(file(runs[0])) || !fs.existsSync(file(runs[2]))) return 'no';
    const at = nanOnlyDifference(fs.readFileSync(file(runs[0])), fs.readFileSync(file(runs[2])), widths);
    if (at !== null) {
      return `in ${mine[0]}: memory differs at byte ${at} (0x${at.toString(16)}), not in an arithmetic NaN ` +
        `of a width the module computes (${[...widths].map((w) => 'f' + 8 * w).join(', ') || 'none'}): ` +
        `wasmbox ${mine[j]} | v8 ${theirs[j]}`;
    }
  }
  return null;
}

function firstDifference(runs, bs, i) {
  const lines = bs.map((b) => b[i] || ['(missing)']);
  for (let k = 0; k < Math.max(...lines.map((l) => l.length)); k++) {
    const at = lines.map((l) => l[k] || '(missing)');
    if (at.some((t) => t !== at[0])) {
      return `in ${i ? lines[0][0] : 'the header'}: ` + runs.map((r, j) => `${r.name}: ${at[j]}`).join(' | ');
    }
  }
  return 'block ' + i;
}

// Generates the module of one seed and compares its executions. Returns the
// comparison, or null when binaryen could not make a module.
function checkSeed(ctx, seed) {
  const { modFile, inFile } = ctx;
  fs.writeFileSync(inFile, inputBytes(seed));
  const gen = spawnSync('wasm-opt', [inFile].concat(generatorFlags(seed), ['-o', modFile]),
    { timeout: GEN_TIMEOUT_MS, encoding: 'utf8' });
  if (gen.error && gen.error.code === 'ENOENT') throw new Error('wasm-opt not found (binaryen)');
  if (gen.error || gen.status !== 0) return null;
  const { c, runs } = checkModule(ctx, modFile, seed);
  if (c.verdict === 'diverged') keepDivergence(ctx, seed, runs);
  return c;
}

// Compares the executions of FILE; when only V8 differs, tries the two NaN
// remedies (README "NaNs"): the NaN rule on memory, then the module with
// every scalar NaN turned into 0 (--denan), held to the memory rule too.
// Returns { c: the comparison (nan: after --denan), runs: every execution }.
function checkModule(ctx, file, seed) {
  const { runner, v8Side, denanFile, dumpDir } = ctx;
  fs.rmSync(denanFile, { force: true });
  let runs = executeAll(runner, v8Side, file, seed);
  const c = compare(runs);
  if (c.verdict !== 'diverged' || c.crashed || compare(runs.slice(0, 2)).verdict === 'diverged') return { c, runs };
  const widths = nanWidths(file);
  if (widths.size) {
    const dumped = executeAll(runner, v8Side, file, seed, dumpDir);
    const c1 = compare(dumped, widths);
    if (c1.verdict !== 'diverged') return { c: c1, runs: dumped };
  }
  const denan = spawnSync('wasm-opt', [file].concat(featureFlags(seed), ['--denan', '-o', denanFile]),
    { timeout: GEN_TIMEOUT_MS, encoding: 'utf8' });
  if (!denan.error && denan.status === 0) {
    const denanWidths = nanWidths(denanFile);
    const again = executeAll(runner, v8Side, denanFile, seed, denanWidths.size ? dumpDir : undefined);
    const c2 = compare(again, denanWidths.size ? denanWidths : undefined);
    if (c2.verdict !== 'diverged') return { c: Object.assign(c2, { nan: true }), runs: again };
    runs = runs.concat(again.map((r) => Object.assign(r, { name: r.name + '-denan' })));
  }
  return { c, runs };
}

function keepDivergence(ctx, seed, runs) {
  const dir = path.join(ctx.out, 'seed-' + seed);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(ctx.modFile, path.join(dir, 'module.wasm'));
  if (fs.existsSync(ctx.denanFile)) fs.copyFileSync(ctx.denanFile, path.join(dir, 'module-denan.wasm'));
  fs.copyFileSync(ctx.inFile, path.join(dir, 'input.bin'));
  for (const r of runs) fs.writeFileSync(path.join(dir, r.name + '.txt'), r.text || '');
  fs.writeFileSync(path.join(dir, 'generator.txt'),
    'wasm-opt input.bin ' + generatorFlags(seed).join(' ') + ' -o module.wasm\n');
  return dir;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!o) {
    process.stderr.write('usage: node fuzz.js --build DIR (--seeds FIRST-LAST | --seconds N [--seed FIRST]) [--out DIR] [--verbose]\n' +
      '       node fuzz.js --build DIR --check MODULE.wasm --seed SEED\n');
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(require('os').tmpdir(), 'v8diff-'));
  const ctx = {
    runner: path.join(o.build, 'tests/tools/v8diff_run'), v8Side: path.join(__dirname, 'v8_run.js'), out: o.out,
    modFile: path.join(tmp, 'module.wasm'), inFile: path.join(tmp, 'input.bin'), denanFile: path.join(tmp, 'denan.wasm'),
    dumpDir: path.join(tmp, 'memory'),
  };
  if (o.check) {
    let c;
    try {
      c = checkModule(ctx, o.check, o.first).c;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    console.log(c.verdict);
    process.exit(c.verdict === 'diverged' ? 1 : 0);
  }
  const stats = { modules: 0, calls: 0, invalid: 0, skipped: 0, skipBy: {}, diverged: 0, notGenerated: 0, nanOnly: 0, nanMemory: 0 };
  const deadline = o.seconds === null ? Infinity : Date.now() + o.seconds * 1000;
  let seed = o.first;
  try {
    for (; o.last === null ? Date.now() < deadline : seed <= o.last; seed++) {
      const c = checkSeed(ctx, seed);
      if (!c) { stats.notGenerated++; continue; }
      stats.modules++;
      stats.calls += c.calls;
      if (c.nan) stats.nanOnly++;
      if (c.nanMemory) stats.nanMemory++;
      if (c.verdict === 'invalid') stats.invalid++;
      if (c.verdict === 'skip') { stats.skipped++; stats.skipBy[c.reason] = (stats.skipBy[c.reason] || 0) + 1; }
      if (c.verdict === 'diverged') {
        stats.diverged++;
        console.log(`DIVERGED seed ${seed} ${c.detail} (kept in ${path.join(o.out, 'seed-' + seed)})`);
      } else if (o.verbose) {
        console.log(`seed ${seed}: ${c.verdict}${c.reason ? ' (' + c.reason + ')' : ''}${c.nan ? ' after --denan' : ''}` +
          `${c.nanMemory ? ', ' + c.nanMemory + ' calls with NaN-only memory differences' : ''}, ${c.calls} calls`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const skips = Object.entries(stats.skipBy).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`v8diff: seeds ${o.first}-${seed - 1}: ${stats.modules} modules (${stats.invalid} invalid in every engine` +
    `${stats.notGenerated ? ', ' + stats.notGenerated + ' more not generated' : ''}), ` +
    `${stats.calls} exports called in each of 3 executions, ${stats.skipped} modules skipped${skips ? ' (' + skips + ')' : ''}, ` +
    `${stats.nanOnly} compared after --denan, ${stats.nanMemory} with memories equal by the NaN rule, ${stats.diverged} divergences`);
  process.exit(stats.diverged ? 1 : 0);
}

if (require.main === module) main();
module.exports = { compare, executeAll, checkModule };
