#!/usr/bin/env bash
# e2e: alone: a 300 ms timeout and the report's wall time (tests/run_e2e.sh)
# `wasmbox run` as a WASI runner end to end: exit codes, argv/env exactly as
# the policy says, policy file + flags, a bad policy stops the run before it
# starts, directories and their audit records, output cap, --invoke on a WASI
# module, link and load errors, --report JSON and the audit log.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
guests=$(cd "$build" && pwd)/guests
repo=$(pwd)
tmp=$(mktemp -d)
rtmp=$(cd "$tmp" && pwd -P) # as host_path fields show it
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
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
# jq_is NAME FILE FILTER EXPECTED: the filter's compact output must equal EXPECTED.
jq_is() {
  local got; got=$(jq -c "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq '$3' gave [$got] (want [$4])"
}
# jqs_is: the same over all the lines of a JSON-lines file as one array.
jqs_is() {
  local got; got=$(jq -cs "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq -s '$3' gave [$got] (want [$4])"
}
for g in hello args_env exit_code flood cli_fs; do
  [ -f "$guests/$g.wasm" ] || { echo "run_sandbox: missing $guests/$g.wasm (build with make e2e)"; exit 1; }
done

# ---- exit codes ----
check hello 0 "hello from wasi" "" -- "$wb" run "$guests/hello.wasm"
check exit-return 42 "exiting with 42 via return" "" -- "$wb" run "$guests/exit_code.wasm" 42
check exit-exit 5 "exiting with 5 via exit" "" -- "$wb" run "$guests/exit_code.wasm" 5 exit
check exit-_Exit 9 "exiting with 9 via _Exit" "" -- "$wb" run "$guests/exit_code.wasm" 9 _Exit
# A code no process can have must not read as success.
check exit-256 1 "exiting with 256 via exit" "" -- "$wb" run "$guests/exit_code.wasm" 256 exit

# ---- argv and environment: exactly what the policy gives ----
check argv-env 0 "$(printf 'argc=3\narg[1]=x\narg[2]=--y\nenv=K=v\nnenv=1\nPATH=(unset)')" "" \
  -- env PATH=/bin:/usr/bin HOME=/root "$wb" run --env K=v "$guests/args_env.wasm" x --y
cat >"$tmp/policy.json" <<'EOF'
{"fuel": 1000, "args": ["a"], "env": {"A": "1", "C": "x"}}
EOF
check policy-file-fuel 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --policy "$tmp/policy.json" "$guests/args_env.wasm" b
# Flags win over the file wherever --policy stands; lists add up.
check policy-file-flags 0 "$(printf 'argc=3\narg[1]=a\narg[2]=b\nenv=A=2\nenv=C=x\nenv=B=3\nnenv=3\nPATH=(unset)')" "" \
  -- "$wb" run --fuel 100000000 --env A=2 --policy "$tmp/policy.json" --env B=3 "$guests/args_env.wasm" b

# ---- a bad policy: the run does not start (the guest would print) ----
check bad-policy-key 1 "" 'wasmbox: policy/examples/bad_unknown_key.json: unknown key "fule" (did you mean "fuel"?)' \
  -- "$wb" run --policy policy/examples/bad_unknown_key.json "$guests/hello.wasm"
check bad-policy-check 1 "" 'wasmbox: policy/examples/bad_missing_dir.json: dirs[0]: host directory "policy/examples/does-not-exist" does not exist' \
  -- "$wb" run --policy policy/examples/bad_missing_dir.json "$guests/hello.wasm"
check bad-dir-flag 1 "" "wasmbox: --dir: host directory \"$tmp/nope\" does not exist" \
  -- "$wb" run --dir "$tmp/nope" "$guests/hello.wasm"
check bad-audit-dir 1 "" "wasmbox: --audit: directory \"$tmp/nope\" for \"$tmp/nope/a.log\" does not exist" \
  -- "$wb" run --audit "$tmp/nope/a.log" "$guests/hello.wasm"
check bad-report-path 1 "" "wasmbox: --report: $tmp/nope/r.json: No such file or directory" \
  -- "$wb" run --report "$tmp/nope/r.json" "$guests/hello.wasm"
check missing-policy 1 "" "" -- "$wb" run --policy "$tmp/nope.json" "$guests/hello.wasm"
check no-file 2 "" "" -- "$wb" run --fuel 10

# ---- directories, and the audit log of a run ----
mkdir -p "$tmp/data"
echo hello >"$tmp/data/in.txt"
(cd "$tmp" && check dir-ro 3 "$(printf 'argv0=cli_fs.wasm argc=1\nread /data/in.txt: 6 bytes: hello\nwrite /data/out.txt: Read-only file system\nread /data/../../etc/passwd: Capabilities insufficient')" "" \
  -- "$wb" run --dir data::/data:ro --audit audit.log --env SECRET=s3cr3t --fuel unlimited \
  --max-memory unlimited "$guests/cli_fs.wasm")
[ -e "$tmp/data/out.txt" ] && fail "dir-ro: out.txt was created in a read-only map"
log=$tmp/audit.log
[ "$(stat -c %a "$log")" = 600 ] || fail "audit: mode $(stat -c %a "$log") (want 600)"
jqs_is audit-valid "$log" 'length' 6
jqs_is audit-events "$log" '[.[].event]' '["run.start","fs.open","fs.deny","fs.deny","proc.exit","run.exit"]'
jqs_is audit-start "$log" '.[0] | [.module, .argc, .dirs, .env, .fuel, .max_memory]' \
  "[\"$guests/cli_fs.wasm\",1,[{\"host\":\"data\",\"guest\":\"/data\",\"mode\":\"ro\"}],[\"SECRET\"],\"unlimited\",\"unlimited\"]"
jqs_is audit-sha "$log" '.[0].sha256' "\"$(sha256sum "$guests/cli_fs.wasm" | cut -d' ' -f1)\""
grep -q s3cr3t "$log" && fail "audit: an environment value reached the log"
jqs_is audit-open "$log" '.[1] | del(.ts, .event)' \
  "{\"op\":\"open\",\"dir\":\"/data\",\"path\":\"in.txt\",\"host_path\":\"$rtmp/data/in.txt\",\"fd\":4,\"mode\":\"r\",\"create\":false,\"trunc\":false}"
jqs_is audit-deny-ro "$log" '.[2] | del(.ts, .event)' \
  '{"op":"open","dir":"/data","path":"out.txt","errno":"rofs","reason":"read-only map"}'
jqs_is audit-deny-escape "$log" '.[3] | del(.ts, .event)' \
  '{"op":"open","dir":"/data","path":"../../etc/passwd","errno":"notcapable","reason":"outside the mapped directories"}'
jqs_is audit-proc-exit "$log" '.[4] | del(.ts, .event)' '{"code":3,"via":"proc_exit"}'
jqs_is audit-exit "$log" '.[5] | [.status, .exit_code, .guest_exit_code, .audit_suppressed]' '["exited",3,3,0]'
jqs_is audit-ts "$log" '[.[].ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$")] | all' true

# --work-dir maps a directory read-write at guest /; escapes stay refused.
mkdir -p "$tmp/wd/data"
echo hi >"$tmp/wd/data/in.txt"
check work-dir 3 "$(printf 'argv0=cli_fs.wasm argc=1\nread /data/in.txt: 3 bytes: hi\nwrite /data/out.txt: ok\nread /data/../../etc/passwd: Capabilities insufficient')" "" \
  -- "$wb" run --work-dir "$tmp/wd" "$guests/cli_fs.wasm"
[ -e "$tmp/wd/data/out.txt" ] || fail "work-dir: out.txt was not created on the host"

# Network keys are policy too: checked before the run, shown in run.start.
check bad-network-flag 1 "" 'wasmbox: --block-network: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)' \
  -- "$wb" run --block-network 10.0.0.0/33 "$guests/hello.wasm"
check bad-host-flag 1 "" 'wasmbox: --allow-host: "https://api.*.com" is not a valid host pattern ("*" must be the whole host or whole leading labels, as in *.example.com)' \
  -- "$wb" run --allow-host 'https://api.*.com' "$guests/hello.wasm"
check net-flags 0 "hello from wasi" "" -- "$wb" run --audit "$tmp/net.log" --allow-host 'HTTPS://*.Example.com' \
  --allow-host 'http://[::1]:8080' --block-network internal "$guests/hello.wasm"
jqs_is net-flags-audit "$tmp/net.log" '.[0].allowed_outbound_hosts' '["https://*.example.com","http://[::1]:8080"]'

# Traps and limits are audited too; the log is appended to.
echo '(module (func (export "_start") unreachable))' >"$tmp/trap.wat"
wat2wasm "$tmp/trap.wat" -o "$tmp/trap.wasm"
echo '(module (func (export "_start") (loop $l (br $l))))' >"$tmp/loop.wat"
wat2wasm "$tmp/loop.wat" -o "$tmp/loop.wasm"
keep_audit "$log"
rm -f "$log"
# the trap names the function and the offset of `unreachable` (0x23 here)
check trap 134 "" "wasmbox: trap: unreachable in function 0 at offset 0x23" -- "$wb" run --audit "$log" --fuel unlimited "$tmp/trap.wasm"
check limit 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --audit "$log" --fuel 5000 "$tmp/loop.wasm"
jqs_is audit-trap-limit "$log" '[.[] | [.event, .message // .status]]' \
  '[["run.start",null],["proc.trap","unreachable"],["run.trap","unreachable"],["run.exit","trap"],["run.start",null],["proc.trap","out of fuel"],["run.limit","out of fuel"],["run.exit","limit"]]'
jqs_is audit-limit-name "$log" '[.[] | select(.event == "run.limit") | .limit]' '["fuel"]'
jqs_is audit-limit-fuel "$log" '[.[] | select(.event == "run.start") | .fuel]' '["unlimited",5000]'

# ---- output cap ----
"$wb" run --max-output 1000 --audit "$tmp/out.log" "$guests/flood.wasm" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 7 ] || fail "max-output: rc=$rc (want 7)"
# Count the guest's x bytes, leaving out the shim's one-line notice of the cut.
n=$(cat "$tmp/out" "$tmp/err" | grep -v '^\[wasmbox: output limit' | tr -cd x | wc -c)
[ "$n" = 1000 ] || fail "max-output: $n bytes of guest output passed (want 1000)"
grep -q finished "$tmp/out" && fail "max-output: output after the cap was passed"
jqs_is max-output-audit "$tmp/out.log" '[.[].event] | index("output.limit") != null' true
check max-output-zero 7 "" "" -- "$wb" run --max-output 0 "$guests/flood.wasm"
[ -s "$tmp/err" ] && fail "max-output-zero: stderr not empty"

# ---- --invoke on a module that imports WASI ----
cat >"$tmp/say.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func (export "say") (param $n i32) (result i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.add (local.get $n) (i32.const 1))))
EOF
wat2wasm "$tmp/say.wat" -o "$tmp/say.wasm"
check invoke-wasi 0 "$(printf 'hi\n42')" "" -- "$wb" run --invoke say "$tmp/say.wasm" 41
check no-start 1 "" "wasmbox: $tmp/say.wasm: no exported function '_start'" -- "$wb" run "$tmp/say.wasm"
echo '(module (import "env" "foo" (func)) (func (export "_start")))' >"$tmp/env.wat"
wat2wasm "$tmp/env.wat" -o "$tmp/env.wasm"
check link-error 1 "" "wasmbox: $tmp/env.wasm: unresolved import env.foo (only WASI is provided)" -- "$wb" run "$tmp/env.wasm"
# the text format is read too (wat/): the same module, the same link error
check link-error-wat 1 "" "wasmbox: $tmp/env.wat: unresolved import env.foo (only WASI is provided)" -- "$wb" run "$tmp/env.wat"
printf 'not a module' >"$tmp/junk.wasm"
check load-error 1 "" "wasmbox: $tmp/junk.wasm: module header, offset 0x0: magic header not detected" -- "$wb" run "$tmp/junk.wasm"
echo '(module (func (export "_start") (param i32)))' >"$tmp/badstart.wat"
wat2wasm "$tmp/badstart.wat" -o "$tmp/badstart.wasm"
check bad-start-type 1 "" "wasmbox: $tmp/badstart.wasm: _start must take and return nothing" -- "$wb" run "$tmp/badstart.wasm"

# ---- --report ----
r=$tmp/report.json
check report-exited 42 "exiting with 42 via return" "" -- "$wb" run --report "$r" "$guests/exit_code.wasm" 42
jq_is report-exited "$r" '[.status, .exit_code, .guest_exit_code, .limit, .message]' '["exited",42,42,null,null]'
jq_is report-numbers "$r" '[.fuel_used > 0, .wall_ms >= 0, .peak_memory_bytes >= 65536, .output_bytes]' '[true,true,true,27]'
jq_is report-module "$r" '.module' "\"$guests/exit_code.wasm\""
check report-trap 134 "" "wasmbox: trap: unreachable in function 0 at offset 0x23" -- "$wb" run --report "$r" "$tmp/trap.wasm"
jq_is report-trap "$r" '[.status, .exit_code, .guest_exit_code, .limit, .message]' '["trap",134,null,null,"unreachable"]'
check report-fuel 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --report "$r" --fuel 5000 "$tmp/loop.wasm"
jq_is report-fuel "$r" '[.status, .exit_code, .limit, .message, .fuel_used <= 5000, .fuel_used > 4000]' \
  '["limit",137,"fuel","out of fuel",true,true]'
check report-timeout 137 "" "wasmbox: limit: timeout after 300 ms" -- "$wb" run --report "$r" --timeout 300 "$tmp/loop.wasm"
jq_is report-timeout "$r" '[.status, .limit, .message, .wall_ms >= 300]' '["limit","timeout","timeout after 300 ms",true]'
# peak memory counts linear memory and the guest's 40-byte table (one budget)
check report-membomb 0 "memory.grow returned -1 at 63 pages (4128768 bytes); started at 2 pages" "" \
  -- "$wb" run --report "$r" --max-memory 4M "$guests/cli_membomb.wasm"
jq_is report-peak "$r" '[.status, .peak_memory_bytes]' '["exited",4128808]'
check report-error 1 "" "" -- "$wb" run --report "$r" "$tmp/env.wasm"
jq_is report-error "$r" '[.status, .exit_code, .message]' \
  "[\"error\",1,\"$tmp/env.wasm: unresolved import env.foo (only WASI is provided)\"]"

# ---- limits hit without a stop, and the audit log's own cap ----
# memory.grow refused at max_memory is a limit hit: audited, and counted in run.exit.
rm -f "$tmp/mem.log"
check membomb-audit 0 "memory.grow returned -1 at 63 pages (4128768 bytes); started at 2 pages" "" \
  -- "$wb" run --audit "$tmp/mem.log" --max-memory 4M "$guests/cli_membomb.wasm"
jqs_is membomb-audit-record "$tmp/mem.log" '[.[] | select(.event == "limit.memory") | del(.ts, .event)]' \
  '[{"requested_bytes":65536,"used_bytes":4128808,"max_memory":4194304}]'
jqs_is membomb-audit-exit "$tmp/mem.log" '.[-1] | [.event, .memory_refusals, .audit_suppressed]' '["run.exit",1,0]'
# A guest provoking 12000 refusals: the log keeps 10000 decisions, one
# suppression notice, and run.exit counts the 2000 left out.
rm -f "$tmp/flood.log"
mkdir -p "$tmp/box"
check deny-flood 0 "refused 12000 of 12000" "" -- "$wb" run --audit "$tmp/flood.log" --dir "$tmp/box::/box" \
  "$guests/cli_denyflood.wasm" 12000 /box/../../etc/passwd
jqs_is deny-flood-kept "$tmp/flood.log" '[.[] | select(.event == "fs.deny")] | length' 10000
jqs_is deny-flood-notice "$tmp/flood.log" '[.[] | select(.event == "audit.suppressed")] | length' 1
jqs_is deny-flood-exit "$tmp/flood.log" '.[-2:] | [.[0].event, .[1].event, .[1].audit_suppressed]' '["proc.exit","run.exit",2000]'

[ "$fails" -eq 0 ] && echo "run_sandbox: ok" || { echo "run_sandbox: $fails failed"; exit 1; }
