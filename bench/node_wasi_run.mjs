// Runs a WASI command under node's WASI (V8), the peer of `wasmbox run` in
// bench/run.py and bench/large.sh: no directories, no environment, ARGS as argv[1..], the
// guest's stdout on stdout and its exit code as node's.
//
//   node bench/node_wasi_run.mjs FILE.wasm [ARGS...]
//
// node makes its stdio pipes non-blocking, which WASI guests do not expect
// (a write can fail with EAGAIN), so the guest writes to a regular file that
// is copied to stdout at the end.
import { WASI } from 'node:wasi';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv, exit } from 'node:process';

const [file, ...args] = argv.slice(2);
if (!file) {
  console.error('usage: node node_wasi_run.mjs FILE.wasm [ARGS...]');
  exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
const stdout = openSync(join(dir, 'out'), 'w+');
const wasi = new WASI({
  version: 'preview1',
  args: [file.split('/').pop(), ...args],
  env: {},
  stdout,
  returnOnExit: true,
});
const module = new WebAssembly.Module(readFileSync(file));
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
const code = wasi.start(instance);
closeSync(stdout);
process.stdout.write(readFileSync(join(dir, 'out')), () => {
  rmSync(dir, { recursive: true });
  exit(code);
});
