#!/usr/bin/env bash
# `wasmbox disasm`: every function of real modules (the WASI guests and
# examples) is listed completely under both translations; the reference
# translation uses no translator rewrite (only plain wasm instructions,
# moves, fuel, branches, calls and returns); the optimised listing of the
# first translator regression shows the fused load and the store the
# deleting-code rule kept plain; bad arguments are refused.
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "disasm: $*"; fail=1; }
plain='^(FUEL|FUEL_POLL|JMP|JMP_L|BR_ADJ|BR_NZ|BR_Z|BR_NZ_L|BR_Z_L|BR_TAB|BR_TAB_F|RET|RET1|CALL_DEF|CALL_ANY|CALL_IND|MOV|MOVI|SEL|[a-z0-9_.]+)$'
n=0
for wasm in "$build"/guests/*.wasm "$build"/examples/*.wasm; do
    [ -e "$wasm" ] || continue
    defined=$(wasm-objdump -h "$wasm" | awk '/ Function / {sub("count: ", "", $NF); print $NF}')
    for opt in 1 0; do
        if ! "$wasmbox" disasm --opt $opt "$wasm" >"$tmp/out" 2>"$tmp/err"; then
            bad "$(basename "$wasm") --opt $opt: exit $?: $(cat "$tmp/err")"
            continue
        fi
        got=$(grep -c '^function ' "$tmp/out")
        [ "$got" = "$defined" ] || bad "$(basename "$wasm") --opt $opt: $got functions listed, $defined defined"
        grep -q 'not an instruction' "$tmp/out" && bad "$(basename "$wasm") --opt $opt: a listing stopped"
        if [ $opt = 0 ]; then
            rewritten=$(awk '/^ +[0-9]+  / {print $2}' "$tmp/out" | grep -Ev "$plain" | sort -u | tr '\n' ' ')
            [ -z "$rewritten" ] || bad "$(basename "$wasm") --opt 0 uses rewrites: $rewritten"
        fi
    done
    n=$((n + 1))
done
[ "$n" -gt 5 ] || bad "only $n modules found under $build (build the guests first)"

wat2wasm "$root/tests/translate/regress/001-fused-store-pending-value.wat" -o "$tmp/r.wasm"
"$wasmbox" disasm --func 0 "$tmp/r.wasm" >"$tmp/out"
grep -q ' I32_LOAD_X ' "$tmp/out" || bad "regression 001: the load was not fused"
grep -q ' i32.store ' "$tmp/out" || bad "regression 001: the store whose value was pending is not plain"
grep -Eq ' I32_STORE_(A|X) ' "$tmp/out" && bad "regression 001: the store was fused"

"$wasmbox" disasm --func 7 "$tmp/r.wasm" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q 'function 7 is not a function defined by the module' "$tmp/err" || bad "--func 7: $(cat "$tmp/err")"
"$wasmbox" disasm --func x "$tmp/r.wasm" >/dev/null 2>&1
[ $? = 2 ] || bad "--func x was not a usage error"
"$wasmbox" disasm --opt 2 "$tmp/r.wasm" >/dev/null 2>&1
[ $? = 2 ] || bad "--opt 2 was not a usage error"
[ "$fail" = 0 ] && echo "disasm: ok ($n modules, both translations)"
exit "$fail"
