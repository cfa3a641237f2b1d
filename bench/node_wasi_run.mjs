// Runs a WASI command under node's WASI (V8): the peer of `wasmbox run` in
// bench/large.sh. stdout goes through a regular file (node makes its stdio
// pipes non-blocking, which WASI guests do not expect) and is copied out.
//
//   node bench/node_wasi_run.mjs FILE.wasm
import { WASI } from 'node:wasi';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv, exit, stdout } from 'node:process';

const file = argv[2];
if (!file) {
  console.error('usage: node node_wasi_run.mjs FILE.wasm');
  exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
const out = openSync(join(dir, 'out'), 'w+');
const wasi = new WASI({ version: 'preview1', args: [file.split('/').pop()], env: {}, stdout: out,
                        returnOnExit: true });
const module = new WebAssembly.Module(readFileSync(file));
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
const code = wasi.start(instance);
closeSync(out);
stdout.write(readFileSync(join(dir, 'out')));
rmSync(dir, { recursive: true });
exit(code);
