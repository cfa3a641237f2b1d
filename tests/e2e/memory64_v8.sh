#!/usr/bin/env bash
# 64-bit memories against V8 (node 20 runs memory64 under
# --experimental-wasm-memory64; not 64-bit tables, not multi-memory): every
# export of mem64/v8.wat is called with each address of a list of edge
# values (in bounds, the last bytes, just past the end, above 4 GiB, near
# 2^64 so that address + offset wraps), each call in a fresh instance, in
# wasmbox under both translations and in node; the transcripts must be the
# same, and a few lines worked out by hand must be in V8's (so a node that
# refused the module or ran nothing is noticed).
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
command -v node >/dev/null || { echo "memory64_v8: node not found (run .ci/install-deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exports="load8 load16s load32 load64 load32_off load8_bigoff store_load store16 grow grow_then_last fill fill_len copy_to copy_from init_at"
addrs="0 1 65528 65530 65532 65534 65535 65536 65537 131071 4294967295 4294967296 9223372036854775807 18446744073709551608 18446744073709551615"
"$wasmbox" wat2wasm "$here/mem64/v8.wat" -o "$tmp/m.wasm" || { echo "memory64_v8: wat2wasm failed"; exit 1; }
cat >"$tmp/run.js" <<'JS'
const fs = require('fs');
const mod = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
const args = process.argv[4].split(' ').map(BigInt);
for (const name of process.argv[3].split(' '))
  for (const a of args) {
    let out;
    try { out = String(new WebAssembly.Instance(mod, {}).exports[name](a)); }
    catch (e) { out = e instanceof WebAssembly.RuntimeError ? 'trap' : 'error ' + e.message; }
    console.log(`${name} ${a}: ${out}`);
  }
JS
node --experimental-wasm-memory64 "$tmp/run.js" "$tmp/m.wasm" "$exports" "$addrs" >"$tmp/v8" 2>&1 ||
    { echo "memory64_v8: node failed: $(head -3 "$tmp/v8")"; exit 1; }
fail=0
for opt in 1 0; do
    : >"$tmp/wb"
    for name in $exports; do
        for a in $addrs; do
            out=$(WASMBOX_OPT=$opt "$wasmbox" run --invoke "$name" "$tmp/m.wasm" "$a" 2>"$tmp/err")
            case $? in
            0) ;;
            134) out=trap ;;
            *) out="error $(head -1 "$tmp/err")" ;;
            esac
            echo "$name $a: $out" >>"$tmp/wb"
        done
    done
    if ! diff "$tmp/v8" "$tmp/wb" >"$tmp/diff"; then
        echo "memory64_v8: wasmbox (opt $opt) and V8 differ:"
        head -20 "$tmp/diff"
        fail=1
    fi
done
# By hand: the data's bytes 01..06 at 65530; i64.load32_u at 65530 reads
# 04030201 = 67305985; the last byte (65535) is 06; 8 bytes at 65528 are
# 00 00 01 02 03 04 05 06, 0x0605040302010000 = 433757350076153856, at
# 65530 they run past the end; offset 65532 + address 0 reads 03 04 05 06
# (0x06050403 = 100992003), + address 1 runs past; grow by 1 page from 1
# gives 1 (the old size), by 65535 -1 (maximum 3); 2^64-1 + 65532 wraps
# and must trap, not read address 65531; the passive segment aa bb cc dd
# at 65532 reads back 0xddccbbaa = 3721182122.
want="load32 65530: 67305985
load8 65535: 6
load64 65528: 433757350076153856
load64 65530: trap
load32_off 0: 100992003
load32_off 1: trap
load32_off 18446744073709551615: trap
grow 1: 1
grow 65535: -1
load8 4294967296: trap
init_at 65532: 3721182122"
while IFS= read -r line; do
    grep -qxF -- "$line" "$tmp/v8" || { echo "memory64_v8: V8's transcript lacks the hand-worked line [$line]"; fail=1; }
done <<<"$want"
n=$(wc -l <"$tmp/v8")
[ "$n" = $(( $(echo $exports | wc -w) * $(echo $addrs | wc -w) )) ] || { echo "memory64_v8: V8 printed $n lines"; fail=1; }
[ $fail = 0 ] && echo "memory64_v8: ok ($(echo $exports | wc -w) exports x $(echo $addrs | wc -w) addresses, both translations, the same as V8)"
exit $fail
