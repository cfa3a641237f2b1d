#!/usr/bin/env bash
# The legacy exception instructions against V8 (node 20 runs try, catch,
# catch_all, delegate and rethrow, not try_table or exnref): every export of
# exc/legacy_v8.wat is called with 0-3 in wasmbox, under both translations,
# and in node, and the results must be the same (an uncaught exception is
# "exception" on both sides). The values were also worked out by hand (the
# wat's comments); V8 is the reference program here.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
command -v node >/dev/null || { echo "exceptions_v8: node not found (run .ci/install-deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exports="clauses nested rethrow_outer delegate loop branch uncaught"
"$wasmbox" wat2wasm "$here/exc/legacy_v8.wat" -o "$tmp/l.wasm" || { echo "exceptions_v8: wat2wasm failed"; exit 1; }
cat >"$tmp/run.js" <<'JS'
const fs = require('fs');
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(process.argv[2])), {});
for (const name of process.argv.slice(3))
  for (let k = 0; k < 4; k++) {
    let out;
    try { out = String(inst.exports[name](k)); }
    catch (e) { out = e instanceof WebAssembly.Exception ? 'exception' : 'trap'; }
    console.log(`${name} ${k}: ${out}`);
  }
JS
# shellcheck disable=SC2086
node "$tmp/run.js" "$tmp/l.wasm" $exports >"$tmp/v8" 2>&1 || { echo "exceptions_v8: node failed: $(head -3 "$tmp/v8")"; exit 1; }
fail=0
for opt in 1 0; do
    : >"$tmp/wb"
    for name in $exports; do
        for k in 0 1 2 3; do
            out=$(WASMBOX_OPT=$opt "$wasmbox" run --invoke "$name" "$tmp/l.wasm" "$k" 2>/dev/null)
            case $? in
            0) ;;
            133) out=exception ;;
            *) out=trap ;;
            esac
            echo "$name $k: $out" >>"$tmp/wb"
        done
    done
    if ! diff "$tmp/v8" "$tmp/wb" >"$tmp/diff"; then
        echo "exceptions_v8: wasmbox (opt $opt) and V8 differ:"
        head -20 "$tmp/diff"
        fail=1
    fi
done
if [ "$(wc -l <"$tmp/v8")" != 28 ] || ! grep -q '^delegate 0: 4010$' "$tmp/v8"; then
    echo "exceptions_v8: V8's transcript is not what was worked out by hand: $(head -3 "$tmp/v8")"
    fail=1
fi
[ $fail = 0 ] && echo "exceptions_v8: ok (7 exports x 4 arguments, both translations, the same as V8)"
exit $fail
