#!/usr/bin/env bash
# e2e: in lanes: 500 ms timeouts must end within 10 s, `timeout 25` a guard,
# room enough for a second job on the CPUs (tests/run_e2e.sh)
# `wasmbox run` limits end to end: fuel and the wall-clock timeout stop
# infinite loops (also in a start function) and guests blocked in poll_oneoff
# or fd_read; a memory bomb gets -1 from memory.grow at --max-memory; runaway
# recursion and a small --max-stack end in a trap, not a crash; exit codes.
set -u
build=$1
wb=$build/wasmbox
guests=$build/guests
tmp=$(mktemp -d)
fifo_pid=
cleanup() { [ -n "$fifo_pid" ] && kill "$fifo_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # name expected-exit expected-stdout expected-stderr-substring -- command...
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local out; out=$(cat "$tmp/out")
  local err_ok=1
  if [ -n "$want_err" ]; then grep -qxF -- "$want_err" "$tmp/err" || err_ok=0; fi
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [ "$err_ok" = 0 ]; then
    fail "$name: rc=$rc (want $want_rc) out=[$out] (want [$want_out]) err=[$(cat "$tmp/err")] (want line [$want_err])"
  fi
}
for g in block cli_membomb; do
  [ -f "$guests/$g.wasm" ] || { echo "run_limits: missing $guests/$g.wasm (build with make e2e)"; exit 1; }
done

w() { echo "$2" >"$tmp/$1.wat" && wat2wasm "$tmp/$1.wat" -o "$tmp/$1.wasm" || fail "wat2wasm $1"; }
w loop '(module (func (export "_start") (loop $l (br $l))))'
w start_loop '(module (func $s (loop $l (br $l))) (start $s) (func (export "_start")))'
w recurse '(module (func $f (export "_start") (call $f)))'
w big_min '(module (memory 100) (func (export "_start")))'
w grow '(module (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))'
# $down recurses n deep with 200 i64 locals a frame (1600+ bytes of value stack each).
locals=$(printf ' i64%.0s' $(seq 200))
w deep "(module (func \$down (export \"down\") (param \$n i32) (result i32) (local$locals)
  (if (result i32) (i32.eqz (local.get \$n)) (then (i32.const 0))
    (else (i32.add (i32.const 1) (call \$down (i32.sub (local.get \$n) (i32.const 1))))))))"

# Fuel.
check fuel-loop 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --fuel 100000 "$tmp/loop.wasm"
check fuel-start-fn 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --fuel 1000 "$tmp/start_loop.wasm"
check fuel-wasi-spin 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --fuel 1000000 "$guests/block.wasm" spin
check fuel-enough 0 "3" "" -- "$wb" run --fuel 1000000 --invoke down "$tmp/deep.wasm" 3

# Timeout: a busy loop, a start function, a 30 s poll_oneoff, a read on a
# pipe nobody writes. `timeout 25` is only a guard so a broken timer fails the
# test (exit 124) instead of hanging it; the elapsed time is checked loosely.
timed() { # name stderr-line -- command...
  local name=$1 want_err=$2
  shift 3
  local t0 t1
  t0=$(date +%s%N)
  timeout 25 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  t1=$(date +%s%N)
  local ms=$(((t1 - t0) / 1000000))
  grep -qxF -- "$want_err" "$tmp/err" || fail "$name: stderr=[$(cat "$tmp/err")] (want line [$want_err])"
  [ "$rc" = 137 ] || fail "$name: rc=$rc (want 137)"
  [ "$ms" -lt 10000 ] || fail "$name: took $ms ms for a 500 ms timeout"
}
timed timeout-loop "wasmbox: limit: timeout after 500 ms" -- "$wb" run --timeout 500 "$tmp/loop.wasm"
timed timeout-start-fn "wasmbox: limit: timeout after 500 ms" -- "$wb" run --timeout 500 "$tmp/start_loop.wasm"
timed timeout-spin "wasmbox: limit: timeout after 500 ms" -- "$wb" run --timeout 500 "$guests/block.wasm" spin
timed timeout-poll "wasmbox: limit: timeout after 500 ms" -- "$wb" run --timeout 500 "$guests/block.wasm" sleep
[ -s "$tmp/out" ] && fail "timeout-poll: guest printed [$(cat "$tmp/out")] after its sleep"
mkfifo "$tmp/fifo"
sleep 60 >"$tmp/fifo" &   # holds the write end open and never writes
fifo_pid=$!
t0=$(date +%s%N)
timeout 25 "$wb" run --timeout 500 "$guests/block.wasm" stdin <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" = 137 ] || fail "timeout-read: rc=$rc (want 137) err=[$(cat "$tmp/err")]"
grep -qxF "wasmbox: limit: timeout after 500 ms" "$tmp/err" || fail "timeout-read: err=[$(cat "$tmp/err")]"
[ "$ms" -lt 10000 ] || fail "timeout-read: took $ms ms"
kill "$fifo_pid" 2>/dev/null; wait "$fifo_pid" 2>/dev/null; fifo_pid=
# A run that ends first is not held up by its timer (a 60 s timeout).
check timeout-not-reached 0 "hello from wasi" "" -- timeout 25 "$wb" run --timeout 60000 "$guests/hello.wasm"

# Limits from a policy file, and a flag lifting one of them.
echo '{"timeout_ms": 500, "fuel": 1000, "max_memory": "4M"}' >"$tmp/limits.json"
timed timeout-policy-file "wasmbox: limit: timeout after 500 ms" -- "$wb" run --policy "$tmp/limits.json" --fuel unlimited "$tmp/loop.wasm"
check fuel-policy-file 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --policy "$tmp/limits.json" "$tmp/loop.wasm"
check memory-policy-file 0 "memory.grow returned -1 at 63 pages (4128768 bytes); started at 2 pages" "" \
  -- "$wb" run --policy "$tmp/limits.json" --fuel unlimited "$guests/cli_membomb.wasm"

# Memory: the cap makes memory.grow return -1; the guest carries on. The cap
# is one budget for linear memory and tables together (vm/README.md): the
# guest's 5-element function table (40 bytes) leaves room for 63 pages of 4M.
check membomb 0 "memory.grow returned -1 at 63 pages (4128768 bytes); started at 2 pages" "" \
  -- "$wb" run --max-memory 4M "$guests/cli_membomb.wasm"
check grow-at-cap 0 "1" "" -- "$wb" run --max-memory 128K --invoke grow "$tmp/grow.wasm" 1
check grow-over-cap 0 "-1" "" -- "$wb" run --max-memory 128K --invoke grow "$tmp/grow.wasm" 2
check grow-uncapped 0 "1" "" -- "$wb" run --max-memory unlimited --invoke grow "$tmp/grow.wasm" 2
check min-over-cap 137 "" \
  "wasmbox: limit: instantiation, offset 0x15: memory 0: minimum of 6553600 bytes does not fit in the store's memory limit (0 of 1048576 bytes in use)" \
  -- "$wb" run --max-memory 1M "$tmp/big_min.wasm"

# Stack: runaway recursion is a trap (the spec's call stack exhaustion), at
# the call that could not enter (its offset as wasm-objdump prints it).
call_at() { printf '0x%x' "$((16#$(wasm-objdump -d "$1" | awk '/\| *call [0-9]/ {sub(":", "", $1); print $1; exit}')))"; }
check recursion 134 "" "wasmbox: trap: call stack exhausted in function 0 at offset $(call_at "$tmp/recurse.wasm")" \
  -- "$wb" run "$tmp/recurse.wasm"
check recursion-wasi 134 "" "wasmbox: trap: call stack exhausted in function 0 at offset $(call_at "$tmp/recurse.wasm")" \
  -- "$wb" run --max-stack 64K "$tmp/recurse.wasm"
check deep-default 0 "1000" "" -- "$wb" run --invoke down "$tmp/deep.wasm" 1000
check deep-small-stack 134 "" "wasmbox: trap: call stack exhausted in function 0 at offset $(call_at "$tmp/deep.wasm")" \
  -- "$wb" run --max-stack 64K --invoke down "$tmp/deep.wasm" 1000
check deep-small-stack-ok 0 "10" "" -- "$wb" run --max-stack 64K --invoke down "$tmp/deep.wasm" 10

# Bad limit values stop the run before it starts.
check bad-fuel 1 "" 'wasmbox: --fuel: "abc" is not a whole number' -- "$wb" run --fuel abc "$tmp/loop.wasm"
check bad-size 1 "" 'wasmbox: --max-memory: "64Q" is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)' \
  -- "$wb" run --max-memory 64Q "$tmp/loop.wasm"
check zero-timeout 1 "" 'wasmbox: --timeout: must be at least 1 (write "unlimited" for no limit)' \
  -- "$wb" run --timeout 0 "$tmp/loop.wasm"
check equals-form 1 "" 'wasmbox: --timeout: "abc" is not a duration (a whole number with a unit: 500ms, 5s, 2m, 1h)' \
  -- "$wb" run --timeout=abc "$tmp/loop.wasm"
check equals-form-ok 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --fuel=1000 "$tmp/loop.wasm"
check unknown-option 2 "" "wasmbox: unknown option --nope" -- "$wb" run --nope 1 "$tmp/loop.wasm"
check missing-value 2 "" "wasmbox: --timeout needs a value" -- "$wb" run --timeout

[ "$fails" -eq 0 ] && echo "run_limits: ok" || { echo "run_limits: $fails failed"; exit 1; }
