#!/usr/bin/env bash
# Strict input and honest reports (issue 8, defects 5-8): mistyped directory
# modes, values given twice, limits that are not exact JSON numbers and float
# literals out of range are refused with a message naming them; --report is
# written (status "error", a message) whenever a run fails before it starts.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
guests=$(cd "$build" && pwd)/guests
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # name expected-exit expected-stdout expected-stderr-line -- command...
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  local out; out=$(cat "$tmp/out")
  local err_ok=1
  if [ -n "$want_err" ]; then grep -qxF -- "$want_err" "$tmp/err" || err_ok=0; fi
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [ "$err_ok" = 0 ]; then
    fail "$name: rc=$rc (want $want_rc) out=[$out] (want [$want_out]) err=[$(cat "$tmp/err")] (want line [$want_err])"
  fi
}
jq_is() { # NAME FILE FILTER EXPECTED
  local got; got=$(jq -c "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq '$3' gave [$got] (want [$4])"
}
for g in hello cli_fs; do
  [ -f "$guests/$g.wasm" ] || { echo "strict_input: missing $guests/$g.wasm (build with make e2e)"; exit 1; }
done
forms='(write HOST[::GUEST][:ro|:rw])'

# ---- defect 5: a mistyped mode is an error, never a read-write map ----
# cli_fs writes /data/out.txt: the run must not start, so nothing is written.
mkdir -p "$tmp/data"
echo hello >"$tmp/data/in.txt"
cd "$tmp" || exit 1
for mode in RO r readonly ro:rw Ro ''; do
  check "dir-mode-$mode" 1 "" "wasmbox: --dir: \"data::/data:$mode\"$(
    case $mode in ro:rw) echo " gives the mode more than once $forms" ;;
                  *) echo ": the mode \"$mode\" is not ro or rw $forms" ;; esac)" \
    -- "$wb" run --dir "data::/data:$mode" "$guests/cli_fs.wasm"
  [ -e "$tmp/data/out.txt" ] && { fail "dir-mode-$mode: the guest wrote out.txt"; rm -f "$tmp/data/out.txt"; }
done
check dir-mode-no-guest 1 "" "wasmbox: --dir: \"data:RO\": the mode \"RO\" is not ro or rw $forms" \
  -- "$wb" run --dir data:RO "$guests/cli_fs.wasm"
echo '{"dirs": ["data::/a:ro:rw"]}' >"$tmp/modes.json"
check dir-mode-policy-file 1 "" "wasmbox: $tmp/modes.json: dirs[0]: \"data::/a:ro:rw\" gives the mode more than once $forms" \
  -- "$wb" policy check "$tmp/modes.json"
check dir-mode-policy-run 1 "" "wasmbox: $tmp/modes.json: dirs[0]: \"data::/a:ro:rw\" gives the mode more than once $forms" \
  -- "$wb" run --policy "$tmp/modes.json" "$guests/cli_fs.wasm"
[ -e "$tmp/data/out.txt" ] && fail "dir-mode-policy-run: the guest wrote out.txt"
# the right spelling still maps read-only
check dir-mode-ro 3 "$(printf 'argv0=cli_fs.wasm argc=1\nread /data/in.txt: 6 bytes: hello\nwrite /data/out.txt: Read-only file system\nread /data/../../etc/passwd: Capabilities insufficient')" "" \
  -- "$wb" run --dir data::/data:ro "$guests/cli_fs.wasm"
cd - >/dev/null || exit 1

# ---- values given twice: one of them would be silently lost ----
check twice-fuel 1 "" "wasmbox: --fuel: given twice (first 1000); give it once" \
  -- "$wb" run --fuel 1000 --fuel=2000 "$guests/hello.wasm"
check twice-env 1 "" 'wasmbox: --env: environment variable "A" is given twice; give it once' \
  -- "$wb" run --env A=1 --env A=2 "$guests/hello.wasm"
check twice-policy 2 "" "wasmbox: --policy given twice ('a.json', then 'b.json'); give it once" \
  -- "$wb" run --policy a.json --policy b.json "$guests/hello.wasm"
check twice-invoke 2 "" "wasmbox: --invoke given twice ('f', then 'g'); give it once" \
  -- "$wb" run --invoke f --invoke g "$guests/hello.wasm"
check twice-fetch-policy 2 "" "wasmbox: fetch: --policy given twice; give it once" \
  -- "$wb" fetch --policy a.json --policy b.json --dry-run https://example.org/
check env-name-space 1 "" 'wasmbox: --env: environment variable name "PATH " contains a space or a control character' \
  -- "$wb" run --env 'PATH =/bin' "$guests/hello.wasm"
# a flag over the file still replaces the file's value
echo '{"fuel": 10}' >"$tmp/fuel.json"
check flag-over-file 0 "hello from wasi" "" -- "$wb" run --policy "$tmp/fuel.json" --fuel 100000000 "$guests/hello.wasm"

# ---- defect 6: --report says how every run ended, also before it starts ----
r=$tmp/st.json
check report-ok 0 "hello from wasi" "" -- "$wb" run --report "$r" "$guests/hello.wasm"
jq_is report-ok "$r" '.status' '"exited"'
check report-bad-policy 1 "" 'wasmbox: --fuel: must be at least 1 (write "unlimited" for no limit)' \
  -- "$wb" run --report "$r" --fuel 0 "$guests/hello.wasm"
jq_is report-bad-policy "$r" '[.module, .status, .exit_code, .guest_exit_code, .message]' \
  "[\"$guests/hello.wasm\",\"error\",1,null,\"--fuel: must be at least 1 (write \\\"unlimited\\\" for no limit)\"]"
check report-no-module 1 "" "wasmbox: $tmp/nope.wasm: No such file or directory" \
  -- "$wb" run --report "$r" "$tmp/nope.wasm"
jq_is report-no-module "$r" '[.status, .exit_code, .message]' "[\"error\",1,\"$tmp/nope.wasm: No such file or directory\"]"
printf '(module (func (export "f") (param f32) (result f32) local.get 0))' >"$tmp/f.wat"
wat2wasm "$tmp/f.wat" -o "$tmp/f.wasm"
check report-invoke-arg 2 "" "wasmbox: argument 1: 'x' is not a valid f32" \
  -- "$wb" run --report "$r" --invoke f "$tmp/f.wasm" x
jq_is report-invoke-arg "$r" '[.status, .exit_code, .message]' "[\"error\",2,\"argument 1: 'x' is not a valid f32\"]"
check report-invoke-count 2 "" "wasmbox: f takes 1 argument(s), 0 given" -- "$wb" run --report "$r" --invoke f "$tmp/f.wasm"
jq_is report-invoke-count "$r" '[.status, .exit_code, .message]' '["error",2,"f takes 1 argument(s), 0 given"]'
check report-usage 2 "" "wasmbox: unknown option --nope" -- "$wb" run --report "$r" --nope "$guests/hello.wasm"
jq_is report-usage "$r" '[.module, .status, .exit_code, .message]' '[null,"error",2,"unknown option --nope"]'
check report-no-file 2 "" "wasmbox: no module file given" -- "$wb" run --report "$r"
jq_is report-no-file "$r" '[.status, .message]' '["error","no module file given"]'
# a report path that is one of the run's own files is refused, the file intact
cp "$guests/hello.wasm" "$tmp/m.wasm"
check report-is-module 1 "" "wasmbox: --report: $tmp/m.wasm is the module; give another path" \
  -- "$wb" run --report "$tmp/m.wasm" "$tmp/m.wasm"
cmp -s "$guests/hello.wasm" "$tmp/m.wasm" || fail "report-is-module: the module was overwritten"
check report-is-policy 1 "" "wasmbox: --report: $tmp/fuel.json is the policy file; give another path" \
  -- "$wb" run --policy "$tmp/fuel.json" --report "$tmp/fuel.json" "$guests/hello.wasm"
[ "$(cat "$tmp/fuel.json")" = '{"fuel": 10}' ] || fail "report-is-policy: the policy was overwritten"
# an unusable path: no report, and the first mistake is still reported
check report-bad-path 1 "" 'wasmbox: --fuel: must be at least 1 (write "unlimited" for no limit)' \
  -- "$wb" run --report "$tmp/no/r.json" --fuel 0 "$guests/hello.wasm"
grep -qxF "wasmbox: --report: $tmp/no/r.json: No such file or directory" "$tmp/err" ||
  fail "report-bad-path: stderr=[$(cat "$tmp/err")]"

# ---- defect 7: limits are exact numbers ----
echo '{"fuel": 9007199254740991}' >"$tmp/n.json"
"$wb" policy check "$tmp/n.json" >"$tmp/p1.json" 2>"$tmp/err" || fail "exact: $(cat "$tmp/err")"
grep -qxF '	"fuel":	9007199254740991,' "$tmp/p1.json" || fail "exact: printed $(grep fuel "$tmp/p1.json")"
"$wb" policy check "$tmp/p1.json" >"$tmp/p2.json" 2>"$tmp/err" || fail "exact reload: $(cat "$tmp/err")"
cmp -s "$tmp/p1.json" "$tmp/p2.json" || fail "exact: printing is not a fixed point"
for v in 9007199254740993 18446744073709551615 1e16; do
  echo "{\"fuel\": $v}" >"$tmp/n.json"
  check "inexact-$v" 1 "" "wasmbox: $tmp/n.json: fuel: too large for a JSON number; write it as a string" \
    -- "$wb" policy check "$tmp/n.json"
done
echo '{"max_memory": 4503599627370496.5}' >"$tmp/n.json"
check fraction 1 "" "wasmbox: $tmp/n.json: max_memory: must be a whole number" -- "$wb" policy check "$tmp/n.json"
echo '{"fuel": "9007199254740993"}' >"$tmp/n.json"
"$wb" policy check "$tmp/n.json" >"$tmp/p1.json" 2>"$tmp/err" || fail "string: $(cat "$tmp/err")"
jq_is string-fuel "$tmp/p1.json" '.fuel' '"9007199254740993"'

# ---- block_urls is a prefix match on the URL as sent (policy/README.md
# documents what it cannot see; if this changes, change the README). Dry runs
# in a namespace without a network: nothing can leave even if one connected.
fetch_decision() {
  unshare -n "$wb" fetch --allow-host https://h.example --resolve h.example:443:192.0.2.1 \
    --block-url https://h.example/secret/ --dry-run "$1" 2>&1 | sed -n 's/^decision: //p'
}
for u in /secret/x /x/../secret/x /%73ecret/x /x%2F..%2Fsecret/x; do
  [ "$(fetch_decision "https://h.example$u")" = refuse ] || fail "block-url $u: not refused"
done
for u in '/x/..;/secret/x' /SECRET/x '/secret;v=1/x'; do
  [ "$(fetch_decision "https://h.example$u")" = allow ] || fail "block-url $u: README says it passes"
done

# ---- defect 8: --invoke float literals out of range are refused ----
printf '(module (func (export "f") (param f32) (result f32) local.get 0)
  (func (export "d") (param f64) (result f64) local.get 0))' >"$tmp/f.wat"
wat2wasm "$tmp/f.wat" -o "$tmp/f.wasm"
check f32-over 2 "" "wasmbox: argument 1: '1e40' is out of range for f32 (beyond +-3.40282347e+38; write inf for infinity)" \
  -- "$wb" run --invoke f "$tmp/f.wasm" 1e40
check f32-over-neg 2 "" "wasmbox: argument 1: '-3.5e38' is out of range for f32 (beyond +-3.40282347e+38; write inf for infinity)" \
  -- "$wb" run --invoke f "$tmp/f.wasm" -3.5e38
check f32-under 2 "" "wasmbox: argument 1: '1e-50' is too small for f32: it would be 0 (the smallest is 1.40129846e-45)" \
  -- "$wb" run --invoke f "$tmp/f.wasm" 1e-50
check f64-over 2 "" "wasmbox: argument 1: '1e400' is out of range for f64 (beyond +-1.7976931348623157e+308; write inf for infinity)" \
  -- "$wb" run --invoke d "$tmp/f.wasm" 1e400
check f64-under 2 "" "wasmbox: argument 1: '-1e-400' is too small for f64: it would be 0 (the smallest is 4.9406564584124654e-324)" \
  -- "$wb" run --invoke d "$tmp/f.wasm" -1e-400
check f32-space 2 "" "wasmbox: argument 1: ' 1' is not a valid f32" -- "$wb" run --invoke f "$tmp/f.wasm" ' 1'
# in range, subnormal, zero and the infinities written out are fine
check f32-max 0 "3.4028235e+38" "" -- "$wb" run --invoke f "$tmp/f.wasm" 3.4028235e38
check f32-subnormal 0 "1e-45" "" -- "$wb" run --invoke f "$tmp/f.wasm" 1.4e-45
check f32-zero 0 "-0" "" -- "$wb" run --invoke f "$tmp/f.wasm" -0e-50
check f32-inf 0 "-inf" "" -- "$wb" run --invoke f "$tmp/f.wasm" -inf
check f64-inf 0 "inf" "" -- "$wb" run --invoke d "$tmp/f.wasm" infinity

[ "$fails" -eq 0 ] && echo "strict_input: ok" || { echo "strict_input: $fails failed"; exit 1; }
