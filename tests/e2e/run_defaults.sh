#!/usr/bin/env bash
# Secure defaults (issue 8): a run that names no limits still has finite ones
# (timeout 5 min, fuel 10^12, memory 2 GiB, stack 8 MiB, output 64 MiB),
# `wasmbox policy check` shows them on an empty policy, and only the word
# "unlimited" lifts one (never for max_stack).
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
jqs_is() { # NAME FILE FILTER EXPECTED, over all the lines of a JSON-lines file
  local got; got=$(jq -cs "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq -s '$3' gave [$got] (want [$4])"
}
for g in hello cli_membomb; do
  [ -f "$guests/$g.wasm" ] || { echo "run_defaults: missing $guests/$g.wasm (build with make e2e)"; exit 1; }
done
limits='[.timeout_ms, .fuel, .max_memory, .max_stack, .max_output]'

# ---- policy check shows the defaults of an empty policy ----
echo '{}' >"$tmp/empty.json"
"$wb" policy check "$tmp/empty.json" >"$tmp/p.json" 2>"$tmp/err" || fail "empty policy: $(cat "$tmp/err")"
[ "$(jq -c "$limits" "$tmp/p.json")" = '[300000,1000000000000,2147483648,8388608,67108864]' ] ||
  fail "empty policy limits: $(jq -c "$limits" "$tmp/p.json")"
# ... which is what a run without a policy gets (run.start records them)
check run-defaults 0 "hello from wasi" "" -- "$wb" run --audit "$tmp/a.log" "$guests/hello.wasm"
jqs_is run-defaults-audit "$tmp/a.log" ".[0] | $limits | map(tostring)" \
  '["300000","1000000000000","2147483648","8388608","67108864"]'
# "unlimited" written out lifts each one that can be lifted
echo '{"timeout_ms": "unlimited", "fuel": "unlimited", "max_memory": "unlimited", "max_output": "unlimited"}' >"$tmp/lifted.json"
"$wb" policy check "$tmp/lifted.json" >"$tmp/p.json" 2>"$tmp/err" || fail "lifted policy: $(cat "$tmp/err")"
[ "$(jq -c "$limits" "$tmp/p.json")" = '["unlimited","unlimited","unlimited",8388608,"unlimited"]' ] ||
  fail "lifted policy limits: $(jq -c "$limits" "$tmp/p.json")"
rm -f "$tmp/a.log"
check run-lifted 0 "hello from wasi" "" -- "$wb" run --audit "$tmp/a.log" --timeout unlimited --fuel unlimited \
  --max-memory unlimited --max-output unlimited "$guests/hello.wasm"
jqs_is run-lifted-audit "$tmp/a.log" ".[0] | $limits | map(tostring)" \
  '["unlimited","unlimited","unlimited","8388608","unlimited"]'
# the value stack is allocated up front: never unlimited, at most 1G
check stack-unlimited 1 "" 'wasmbox: --max-stack: cannot be unlimited (the value stack is allocated when the run starts); give a size of at most 1024M' \
  -- "$wb" run --max-stack unlimited "$guests/hello.wasm"
echo '{"max_stack": "2G"}' >"$tmp/stack.json"
check stack-too-big 1 "" "wasmbox: $tmp/stack.json: max_stack: 2147483648 is too large (at most 1024M: the value stack is allocated when the run starts)" \
  -- "$wb" policy check "$tmp/stack.json"

# ---- the memory default holds a guest that grows without end ----
# (pages are reserved, not touched: this costs no real memory)
check membomb-default 0 "memory.grow returned -1 at 32767 pages (2147418112 bytes); started at 2 pages" "" \
  -- "$wb" run "$guests/cli_membomb.wasm"
check membomb-unlimited 0 "memory.grow returned -1 at 65535 pages (4294901760 bytes); started at 2 pages" "" \
  -- "$wb" run --max-memory unlimited "$guests/cli_membomb.wasm"

# ---- the output default cuts a guest that writes 65 MiB ----
# One 1 MiB iovec of zeros written 65 times to stdout.
cat >"$tmp/big_out.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory 17)
  (func (export "_start") (local $i i32)
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (i32.const 1048576))
    (loop $l
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 65))))))
EOF
wat2wasm "$tmp/big_out.wat" -o "$tmp/big_out.wasm" || fail "wat2wasm big_out"
n=$("$wb" run "$tmp/big_out.wasm" 2>"$tmp/err" | wc -c)
[ "$n" = 67108864 ] || fail "output-default: $n bytes passed (want 67108864)"
grep -qxF "[wasmbox: output limit of 67108864 bytes reached; the rest is cut]" "$tmp/err" ||
  fail "output-default: stderr=[$(cat "$tmp/err")]"
n=$("$wb" run --max-output unlimited "$tmp/big_out.wasm" 2>"$tmp/err" | wc -c)
[ "$n" = 68157440 ] || fail "output-unlimited: $n bytes passed (want 68157440)"
[ -s "$tmp/err" ] && fail "output-unlimited: stderr=[$(cat "$tmp/err")]"

[ "$fails" -eq 0 ] && echo "run_defaults: ok" || { echo "run_defaults: $fails failed"; exit 1; }
