// Runs one guest tool under node's WASI (V8), the peer of `wasmbox tool call`
// in bench/tools.py: the same module, the same workspace mapped at its own
// path, PWD set to it, the input JSON on stdin, the result on stdout.
//
//   node bench/node_wasi_tool.mjs TOOL.wasm WORKSPACE < input.json
//
// Imports node's WASI does not have (wasmbox_http) get functions that
// throw: the benchmark's cases never reach them.
import { WASI } from 'node:wasi';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv, exit } from 'node:process';

const [file, ws] = argv.slice(2);
if (!file || !ws) {
  console.error('usage: node node_wasi_tool.mjs TOOL.wasm WORKSPACE');
  exit(2);
}
// node makes its stdio pipes non-blocking, so a guest's read or write on
// them can fail with EAGAIN; the guest gets regular files instead: its
// input copied into one first, its output copied out of one at the end.
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
writeFileSync(join(dir, 'in'), readFileSync(0));
const stdin = openSync(join(dir, 'in'), 'r');
const stdout = openSync(join(dir, 'out'), 'w+');
const wasi = new WASI({
  version: 'preview1',
  args: [file.split('/').pop()],
  env: { PWD: ws },
  preopens: { [ws]: ws },
  stdin,
  stdout,
  returnOnExit: true,
});
const module = new WebAssembly.Module(readFileSync(file));
const imports = wasi.getImportObject();
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.kind !== 'function' || imports[imp.module]?.[imp.name]) continue;
  imports[imp.module] ??= {};
  imports[imp.module][imp.name] = () => {
    throw new Error(`${imp.module}.${imp.name} is not available under node`);
  };
}
const instance = new WebAssembly.Instance(module, imports);
const code = wasi.start(instance);
closeSync(stdin);
closeSync(stdout);
process.stdout.write(readFileSync(join(dir, 'out')), () => {
  rmSync(dir, { recursive: true });
  exit(code);
});
