#!/usr/bin/env bash
# Translator regression tests: every tests/translate/regress/*.wat is
# converted with wat2wasm and each of its `;; invoke: NAME ARGS... => RESULTS`
# lines (or `=> trap: MESSAGE`) is run through `wasmbox run --invoke` under
# the optimised and the reference translation (--opt=1, --opt=0); both must
# give exactly the expected results. RESULTS are printed as `--invoke` prints
# them (one value a line; here joined by spaces).
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for wat in "$root"/tests/translate/regress/*.wat; do
    name=$(basename "$wat" .wat)
    if ! wat2wasm "$wat" -o "$tmp/$name.wasm" 2>"$tmp/err"; then
        echo "translate_regress: $name: wat2wasm failed: $(cat "$tmp/err")"
        fail=$((fail + 1))
        continue
    fi
    n=0
    while IFS= read -r line; do
        spec=${line#;; invoke: }
        call=${spec%% => *}
        want=${spec#* => }
        [ "$call" != "$spec" ] || want=''
        read -r -a words <<<"$call"
        n=$((n + 1))
        for opt in 1 0; do
            out=$("$wasmbox" run --opt=$opt --invoke "${words[0]}" "$tmp/$name.wasm" "${words[@]:1}" 2>"$tmp/err")
            rc=$?
            if [ "${want#trap: }" != "$want" ]; then
                got="rc $rc: $(cat "$tmp/err")"
                expect="rc 134: wasmbox: trap: ${want#trap: }"
            else
                got="rc $rc: $(echo $out)"
                expect="rc 0: $want"
            fi
            if [ "$got" = "$expect" ]; then
                pass=$((pass + 1))
            else
                echo "translate_regress: $name: --opt=$opt $call: expected [$expect], got [$got]"
                fail=$((fail + 1))
            fi
        done
    done < <(grep '^;; invoke: ' "$wat")
    if [ "$n" -eq 0 ]; then
        echo "translate_regress: $name: no ';; invoke:' lines"
        fail=$((fail + 1))
    fi
done
echo "translate_regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
