#!/usr/bin/env bash
# e2e: alone: fetch --max-time must end within 3 s (tests/run_e2e.sh)
# The command-line conventions Wasmtime and curl users already know (issue
# 11 §2), end to end: --help/-h on every sub-command, --version, Wasmtime's
# -W/-S keys, --dir HOST at the same guest path, --argv0, --env NAME, a
# module from stdin, durations and IEC sizes, "did you mean", fetch's curl
# options against a loopback server, refusal messages naming the flag,
# policy check warnings, bad module files named for what they are, and the
# bash completion script. Every usage error is checked for exit 2 and its
# message. Runs inside `unshare -n` (the fetch part reaches loopback only).
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WB_CLI_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "cli_conventions.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  exec unshare -n env WB_CLI_NETNS=1 bash "$here/cli_conventions.sh" "$build"
fi
ip link set lo up || { echo "cli_conventions.sh: cannot bring up lo in the namespace"; exit 1; }

wb=$(cd "$build" && pwd)/wasmbox
guests=$(cd "$build" && pwd)/guests
server=$(cd "$build" && pwd)/tests/tools/net_server
for b in "$wb" "$server" "$guests/args_env.wasm" "$guests/cli_fs.wasm" "$guests/hello.wasm"; do
  [ -e "$b" ] || { echo "cli_conventions.sh: missing $b (make e2e builds it)"; exit 1; }
done
repo=$(pwd)
tmp=$(mktemp -d)
rtmp=$(cd "$tmp" && pwd -P)
. "$here/lib/keep_audit.sh"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  keep_audit_logs "$tmp"
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
# check NAME RC STDOUT STDERR-LINE -- COMMAND...: exit code, whole stdout, and
# one whole line of stderr (empty: stderr not checked)
check() {
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
# usage NAME STDERR-LINE -- COMMAND...: a usage error: exit 2, nothing on stdout
usage() {
  local name=$1 want=$2
  shift 3
  check "$name" 2 "" "$want" -- "$@"
}
# jq_is NAME FILE FILTER EXPECTED
jq_is() {
  local got; got=$(jq -c "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq '$3' gave [$got] (want [$4])"
}
# start(): the run.start record of an audit log
start_of() { jq -c 'select(.event == "run.start")' "$1"; }

# ---- --help and -h on every sub-command: stdout, exit 0, its options ----
helps() { # name want-substring... -- command...
  local name=$1; shift
  local wants=()
  while [ "$1" != "--" ]; do wants+=("$1"); shift; done
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  [ "$rc" = 0 ] || fail "$name: rc=$rc err=[$(cat "$tmp/err")]"
  [ -s "$tmp/err" ] && fail "$name: wrote to stderr: $(cat "$tmp/err")"
  local long; long=$(awk 'length($0) > 79' "$tmp/out")
  [ -z "$long" ] && [ -s "$tmp/out" ] || fail "$name: empty, or lines over 79 columns: $long"
  local w
  for w in "${wants[@]}"; do
    grep -qF -- "$w" "$tmp/out" || fail "$name: no [$w] in: $(head -3 "$tmp/out")"
  done
}
for h in --help -h; do
  helps "run $h" "usage: wasmbox run [OPTIONS] FILE.wasm [ARGS...]" "  --invoke NAME" \
    "  --argv0 NAME" "  -W, --wasm KEY=VALUE[,...]" "  -S, --wasi KEY[=VALUE][,...]" "  --fuel N" \
    "  --timeout DURATION" "  --max-memory SIZE" "  -h, --help" -- "$wb" run $h
  helps "fetch $h" "usage: wasmbox fetch" "  -o, --output FILE" "  -H, --header 'NAME: VALUE'" \
    "  -X, --request METHOD" "  -d, --data DATA|@FILE" "  --data-binary DATA|@FILE" \
    "  -i, --include" "  -f, --fail" "  -m, --max-time SECONDS" "  --allow-host PATTERN" -- \
    "$wb" fetch $h
  helps "validate $h" "usage: wasmbox validate FILE.wasm" -- "$wb" validate $h
  helps "disasm $h" "usage: wasmbox disasm" "  --func N" "  --opt 0|1" -- "$wb" disasm $h
  helps "policy $h" "usage: wasmbox policy check FILE.json" -- "$wb" policy $h
  helps "policy check $h" "usage: wasmbox policy check FILE.json" -- "$wb" policy check $h
  helps "tool $h" "usage: wasmbox tool list" "usage: wasmbox tool call" -- "$wb" tool $h
  helps "tool list $h" "  --json" "  --tools DIR" -- "$wb" tool list $h
  helps "tool call $h" "  --input JSON" "  --workspace DIR[:ro]" "  --dir HOST" -- "$wb" tool call $h
  helps "skill $h" "  --skills DIR" "  --arg K=V" -- "$wb" skill $h
  helps "mcp $h" "usage: wasmbox mcp" "  --jobs N" "  --listen ADDR:PORT" "  --allow-host PATTERN" -- \
    "$wb" mcp $h
  helps "completion $h" "usage: wasmbox completion bash" -- "$wb" completion $h
  helps "top $h" "usage: wasmbox COMMAND [ARGS]" "  run [OPTIONS] FILE.wasm [ARGS...]" \
    "  completion bash" -- "$wb" $h
done
helps "help run" "  --argv0 NAME" -- "$wb" help run
helps "help tool call" "  --input JSON" -- "$wb" help tool call
# --help after other options still asks for help (and runs nothing)
helps "run --fuel 1 --help" "usage: wasmbox run" -- "$wb" run --fuel 1 --help x.wasm
# ... but after FILE it is the guest's argument
check "help-is-guest-arg" 0 "$(printf 'argc=2\narg[1]=--help\nnenv=0\nPATH=(unset)')" "" -- \
  "$wb" run "$guests/args_env.wasm" --help
# mcp's --max-message takes the sizes every size flag takes, and enforces them
usage mcp-size-ambiguous "wasmbox: mcp: --max-message: expected a size from 1024 to 1073741824 bytes (units: KiB, MiB, GiB, or K, M, G), got '64MB': is ambiguous (1000- or 1024-based?): write KiB, MiB, GiB or TiB (1024-based)" -- \
  "$wb" mcp --max-message 64MB
usage mcp-size-small "wasmbox: mcp: --max-message: expected a size from 1024 to 1073741824 bytes (units: KiB, MiB, GiB, or K, M, G), got '512'" -- \
  "$wb" mcp --max-message 512
pad=$(head -c 3000 /dev/zero | tr '\0' x)
got=$(printf '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"%s"}}\n' "$pad" |
  "$wb" mcp --max-message 2KiB 2>/dev/null)
[ "$got" = '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: message over 2048 bytes (the cap, --max-message)"}}' ] ||
  fail "mcp --max-message 2KiB: a 3 KB message gave [$got]"
# every option the mcp help lists is one cli_mcp.c takes (its parser is its own)
for o in $("$wb" mcp --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
  [ "$o" = --help ] && continue
  "$wb" mcp "$o" >/dev/null 2>"$tmp/err" </dev/null
  grep -q "unknown option" "$tmp/err" && fail "mcp --help lists $o, which mcp refuses"
done

# ---- the version, in one place ----
version=$(sed -n 's/^#define WASMBOX_VERSION "\(.*\)"$/\1/p' "$repo/tools/cli_opts.h")
[ -n "$version" ] || fail "no WASMBOX_VERSION in tools/cli_opts.h"
check version-flag 0 "wasmbox $version" "" -- "$wb" --version
check version-cmd 0 "wasmbox $version" "" -- "$wb" version
check version-extra 2 "" "" -- "$wb" version extra
"$wb" run --report "$tmp/r.json" --audit "$tmp/v.log" "$guests/hello.wasm" >/dev/null 2>&1
jq_is report-version "$tmp/r.json" '.version' "\"$version\""
jq_is audit-version <(start_of "$tmp/v.log") '.version' "\"$version\""

# ---- unknown commands and options: did you mean ----
usage cmd-typo "wasmbox: unknown command 'rn' (did you mean 'run'?)" -- "$wb" rn
usage cmd-unknown "wasmbox: unknown command 'frobnicate'" -- "$wb" frobnicate
usage run-typo "wasmbox: unknown option --tmeout (did you mean --timeout?)" -- \
  "$wb" run --tmeout 5s "$guests/hello.wasm"
usage run-typo-policy "wasmbox: unknown option --alow-host (did you mean --allow-host?)" -- \
  "$wb" run --alow-host http://x "$guests/hello.wasm"
usage run-unknown "wasmbox: unknown option --verbose" -- "$wb" run --verbose "$guests/hello.wasm"
usage run-short-unknown "wasmbox: unknown option -q" -- "$wb" run -q "$guests/hello.wasm"
usage fetch-typo "wasmbox: fetch: unknown option --max-tme (did you mean --max-time?)" -- \
  "$wb" fetch --max-tme 5 http://127.0.0.1/
usage validate-typo "wasmbox: validate: unknown option --hlep (did you mean --help?)" -- \
  "$wb" validate --hlep
usage disasm-typo "wasmbox: disasm: unknown option --fnc (did you mean --func?)" -- \
  "$wb" disasm --fnc 1 x.wasm
usage skill-typo "wasmbox: skill: unknown option --skils (did you mean --skills?)" -- \
  "$wb" skill list --skils tools/skills
usage skill-no-name "wasmbox: skill: skill show needs the skill's NAME" -- \
  "$wb" skill show --skills tools/skills
usage tool-typo "wasmbox: tool call: unknown option --inptu (did you mean --input?)" -- \
  "$wb" tool call read --inptu '{}'
usage run-no-file "wasmbox: no module file given" -- "$wb" run --fuel 1
usage run-needs-value "wasmbox: --argv0 needs a value" -- "$wb" run --argv0
usage validate-none "wasmbox: validate: no module file given" -- "$wb" validate
usage validate-two "wasmbox: validate: one module file only ('a', then 'b')" -- "$wb" validate a b
usage policy-none "wasmbox: policy check: no policy file given" -- "$wb" policy check
usage completion-zsh "wasmbox: completion: only bash is supported" -- "$wb" completion zsh
printf '{"max_memmory": 1}' >"$tmp/typo.json"
check policy-key-typo 1 "" "wasmbox: $tmp/typo.json: unknown key \"max_memmory\" (did you mean \"max_memory\"?)" -- \
  "$wb" policy check "$tmp/typo.json"

# ---- Wasmtime's -W keys, beside ours ----
"$wb" run -W fuel=100000000,timeout=2,max-memory-size=64MiB,max-wasm-stack=1MiB \
  --audit "$tmp/w.log" "$guests/hello.wasm" >/dev/null 2>"$tmp/err" || fail "-W: $(cat "$tmp/err")"
jq_is w-keys <(start_of "$tmp/w.log") '[.fuel, .timeout_ms, .max_memory, .max_stack]' \
  '[100000000,2000,67108864,1048576]'
"$wb" run -Wtimeout=500ms --wasm fuel=7 -W max-memory-size=65536 --audit "$tmp/w2.log" \
  "$guests/hello.wasm" >/dev/null 2>&1
jq_is w-attached <(start_of "$tmp/w2.log") '[.fuel, .timeout_ms, .max_memory]' '[7,500,65536]'
echo '(module (func (export "_start") (loop (br 0))))' >"$tmp/loop.wat"
wat2wasm "$tmp/loop.wat" -o "$tmp/loop.wasm"
check w-fuel-out 137 "" "wasmbox: limit: out of fuel" -- "$wb" run -W fuel=1000 "$tmp/loop.wasm"
check w-timeout 137 "" "wasmbox: limit: timeout after 300 ms" -- "$wb" run -W timeout=300ms,fuel=unlimited "$tmp/loop.wasm"
check w-unlimited 0 "hello from wasi" "" -- "$wb" run -W timeout=unlimited,fuel=unlimited "$guests/hello.wasm"
usage w-unknown "wasmbox: unknown -W key 'cranelift' (known keys: fuel, timeout, max-memory-size, max-wasm-stack)" -- \
  "$wb" run -W cranelift=y "$guests/hello.wasm"
usage w-typo "wasmbox: unknown -W key 'fule' (did you mean 'fuel'?; known keys: fuel, timeout, max-memory-size, max-wasm-stack)" -- \
  "$wb" run -W fule=1 "$guests/hello.wasm"
usage w-no-value "wasmbox: -W fuel needs a value (fuel=VALUE)" -- "$wb" run -W fuel "$guests/hello.wasm"
usage w-empty "wasmbox: -W needs KEY[=VALUE][,...] (known keys: fuel, timeout, max-memory-size, max-wasm-stack)" -- \
  "$wb" run -W "" "$guests/hello.wasm"
usage w-missing "wasmbox: -W needs a value (KEY=VALUE[,...])" -- "$wb" run -W
usage w-bad-timeout "wasmbox: -W timeout: \"5x\" is not a duration (a whole number with a unit: 500ms, 5s, 2m, 1h)" -- \
  "$wb" run -W timeout=5x "$guests/hello.wasm"
check w-bad-size 1 "" "wasmbox: -W max-memory-size: \"64MB\" is ambiguous (1000- or 1024-based?): write KiB, MiB, GiB or TiB (1024-based)" -- \
  "$wb" run -W max-memory-size=64MB "$guests/hello.wasm"
check w-twice 1 "" "wasmbox: --fuel: given twice (first 5); give it once" -- \
  "$wb" run -W fuel=5 --fuel 6 "$guests/hello.wasm"

# ---- -S keys: what we have, and what is refused with what to write ----
check s-cli 0 "hello from wasi" "" -- "$wb" run -S cli "$guests/hello.wasm"
check s-cli-y 0 "hello from wasi" "" -- "$wb" run -S cli=y "$guests/hello.wasm"
usage s-cli-n "wasmbox: -S cli=n: WASI command support cannot be turned off; leave it out" -- \
  "$wb" run -S cli=n "$guests/hello.wasm"
usage s-inherit-env "wasmbox: -S inherit-env: refused: the caller's environment often holds secrets (tokens, keys) and a sandboxed guest gets no variable it was not given; name each one with --env NAME (copies it, audited) or --env NAME=VALUE" -- \
  "$wb" run -S inherit-env "$guests/hello.wasm"
usage s-inherit-network "wasmbox: -S inherit-network: refused: the guest reaches only hosts the policy names; give each with --allow-host scheme://host[:port]" -- \
  "$wb" run --wasi inherit-network "$guests/hello.wasm"
usage s-unknown "wasmbox: unknown -S key 'tcp' (known keys: cli, inherit-env, inherit-network)" -- \
  "$wb" run -S tcp "$guests/hello.wasm"

# ---- --dir HOST: the same path in the guest, as Wasmtime; --dir . ----
mkdir -p "$tmp/d/data"
echo "inside" >"$tmp/d/data/in.txt"
(cd "$tmp/d" && "$wb" run --dir data:ro "$guests/cli_fs.wasm") >"$tmp/out" 2>&1
grep -qxF "read /data/in.txt: 7 bytes: inside" "$tmp/out" || fail "dir relative: $(cat "$tmp/out")"
(cd "$tmp/d" && "$wb" run --dir . "$guests/cli_fs.wasm") >"$tmp/out" 2>&1
grep -qxF "read /data/in.txt: 7 bytes: inside" "$tmp/out" || fail "dir dot: $(cat "$tmp/out")"
"$wb" run --dir "$rtmp/d/data:ro" --dir "$rtmp/d::/mnt" --audit "$tmp/dirs.log" "$guests/hello.wasm" >/dev/null 2>&1
jq_is dir-same-path <(start_of "$tmp/dirs.log") '[.dirs[] | .guest]' "[\"$rtmp/d/data\",\"/mnt\"]"
check dir-dotdot 1 "" "wasmbox: --dir: cannot use \"../x\" as the guest path too (it has \"..\"); write HOST::GUEST" -- \
  "$wb" run --dir ../x "$guests/hello.wasm"

# ---- --argv0, --env NAME, a module from stdin ----
"$wb" run --argv0 mytool "$guests/cli_fs.wasm" >"$tmp/out" 2>&1
[ $? = 3 ] && grep -qxF "argv0=mytool argc=1" "$tmp/out" || fail "argv0: $(cat "$tmp/out")"
"$wb" run "$guests/cli_fs.wasm" >"$tmp/out" 2>&1
[ $? = 3 ] && grep -qxF "argv0=cli_fs.wasm argc=1" "$tmp/out" || fail "argv0 default: $(cat "$tmp/out")"
WB_CLI_SECRET='s3 cret' "$wb" run --env WB_CLI_SECRET --env B=2 --audit "$tmp/env.log" \
  "$guests/args_env.wasm" >"$tmp/out" 2>&1
grep -qxF "env=WB_CLI_SECRET=s3 cret" "$tmp/out" || fail "env NAME: $(cat "$tmp/out")"
grep -qxF "nenv=2" "$tmp/out" || fail "env NAME count: $(cat "$tmp/out")"
jq_is env-audited <(start_of "$tmp/env.log") '[.env, .env_inherited]' '[["WB_CLI_SECRET","B"],["WB_CLI_SECRET"]]'
grep -q "s3 cret" "$tmp/env.log" && fail "env NAME: the value reached the audit log"
check env-unset 1 "" "wasmbox: --env: WB_CLI_NOT_SET is not set in wasmbox's environment, so there is nothing to copy; write --env WB_CLI_NOT_SET=VALUE" -- \
  env -u WB_CLI_NOT_SET "$wb" run --env WB_CLI_NOT_SET "$guests/hello.wasm"
"$wb" run - <"$guests/hello.wasm" >"$tmp/out" 2>&1 || fail "stdin module: $(cat "$tmp/out")"
[ "$(cat "$tmp/out")" = "hello from wasi" ] || fail "stdin module: $(cat "$tmp/out")"
"$wb" validate - <"$guests/hello.wasm" >"$tmp/out" 2>&1 || fail "validate stdin: $(cat "$tmp/out")"
printf 'nope' | "$wb" validate - >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -qxF "wasmbox: -: module header, offset 0x0: magic header not detected" "$tmp/err" ||
  fail "validate stdin junk: $(cat "$tmp/err")"

# ---- durations and sizes wherever one is taken ----
"$wb" run --timeout 5s --max-memory 64MiB --max-output 1KiB --max-stack 512K --audit "$tmp/u.log" \
  "$guests/hello.wasm" >/dev/null 2>&1
jq_is units-flags <(start_of "$tmp/u.log") '[.timeout_ms, .max_memory, .max_output, .max_stack]' \
  '[5000,67108864,1024,524288]'
printf '{"timeout_ms": "2m", "max_memory": "1GiB", "audit": "%s"}' "$tmp/u2.log" >"$tmp/units.json"
"$wb" run --policy "$tmp/units.json" "$guests/hello.wasm" >/dev/null 2>&1
jq_is units-file <(start_of "$tmp/u2.log") '[.timeout_ms, .max_memory]' '[120000,1073741824]'
check timeout-ms-unit 137 "" "wasmbox: limit: timeout after 300 ms" -- \
  "$wb" run --timeout 300ms --fuel unlimited "$tmp/loop.wasm"
check bad-duration 1 "" "wasmbox: --timeout: \"5 s\" is not a duration (a whole number with a unit: 500ms, 5s, 2m, 1h)" -- \
  "$wb" run --timeout "5 s" "$guests/hello.wasm"

# ---- policy check warns about a policy that contradicts itself ----
cat >"$tmp/contra.json" <<EOF
{"allowed_outbound_hosts": ["http://127.0.0.1:*"], "block_networks": ["internal"],
 "dirs": [{"host": "$tmp", "guest": "/data", "mode": "ro"}, {"host": "$tmp", "guest": "/data/out", "mode": "rw"}]}
EOF
"$wb" policy check "$tmp/contra.json" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] || fail "policy warnings: exit $?"
jq -e . "$tmp/out" >/dev/null || fail "policy warnings: stdout is not the policy"
[ "$(cat "$tmp/err")" = "wasmbox: warning: allowed_outbound_hosts[0] 'http://127.0.0.1:*' can never be reached: every address of it is in block_networks (127.0.0.1 is in blocked network \"internal\" (127.0.0.0/8)); remove one of the two
wasmbox: warning: read-write map /data/out ($tmp/contra.json: dirs[1]) lies inside read-only map /data ($tmp/contra.json: dirs[0]): the guest can write beneath a directory meant to be read-only; give both the same mode if that is meant" ] ||
  fail "policy warnings: stderr [$(cat "$tmp/err")]"

# ---- bad module files, named for what they are ----
printf '\0asm\x0d\0\x01\0\x00' >"$tmp/comp.wasm"
check component 1 "" "wasmbox: $tmp/comp.wasm: this is a WebAssembly component (layer 1); wasmbox runs core modules (build for wasm32-wasi / wasip1, or extract the core module)" -- \
  "$wb" run "$tmp/comp.wasm"
check component-validate 1 "" "wasmbox: $tmp/comp.wasm: this is a WebAssembly component (layer 1); wasmbox runs core modules (build for wasm32-wasi / wasip1, or extract the core module)" -- \
  "$wb" validate "$tmp/comp.wasm"
printf ';; a comment\n(module (func (export "_start")))\n' >"$tmp/text.wasm"
# text is read by wat/ whatever the file's name; a text component is refused with its line:column
check wat-text 0 "" "" -- "$wb" run "$tmp/text.wasm"
printf '(component)\n' >"$tmp/comp.wat"
check wat-component 1 "" "wasmbox: $tmp/comp.wat:1:2: expected a module field (type, rec, import, func, table, memory, tag, global, export, start, elem or data), found 'component'" -- \
  "$wb" run "$tmp/comp.wat"
# SIMD: v128.const (0xfd 12) in function 0's body, after the header and the
# type, function and code sections (written by hand): valid since SIMD is
# in; 0xfd 0x9a is no instruction at all
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\x17\1\x15\0\xfd\x0c\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x1a\x0b' >"$tmp/simd.wasm"
check simd 0 "" "" -- "$wb" validate "$tmp/simd.wasm"
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\7\1\5\0\xfd\x9a\1\x0b' >"$tmp/simd-bad.wasm"
check simd-unknown 1 "" "wasmbox: $tmp/simd-bad.wasm: function 0, offset 0x17: illegal opcode" -- \
  "$wb" validate "$tmp/simd-bad.wasm"
# tail calls are supported: return_call 0 (0x12 0x00) validates
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\6\1\4\0\x12\0\x0b' >"$tmp/tail.wasm"
check tail-call 0 "" "" -- "$wb" validate "$tmp/tail.wasm"
# typed function references are too: call_ref 0 (0x14 0x00) in the same
# place decodes, and wants its reference (the stack is empty)
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\6\1\4\0\x14\0\x0b' >"$tmp/callref.wasm"
check call-ref 1 "" "wasmbox: $tmp/callref.wasm: function 0, offset 0x17: type mismatch: expected (ref null 0), the stack is empty" -- \
  "$wb" validate "$tmp/callref.wasm"
# GC is not: ref.eq (0xd3) in the same place
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\5\1\3\0\xd3\x0b' >"$tmp/refeq.wasm"
check ref-eq 1 "" "wasmbox: $tmp/refeq.wasm: function 0, offset 0x17: illegal opcode 0xd3: ref.eq (GC) is not supported yet" -- \
  "$wb" validate "$tmp/refeq.wasm"

# ---- fetch: curl's options, against a loopback server ----
"$server" --port-file "$tmp/port" --log "$tmp/server.log" --listen 127.0.0.1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
P=$(cat "$tmp/port")
H="http://127.0.0.1:$P"
check fetch-get 0 "hello" "" -- "$wb" fetch --allow-host "$H" "$H/hello"
check fetch-o 0 "" "" -- "$wb" fetch --allow-host "$H" -o "$tmp/body" "$H/hello"
[ "$(cat "$tmp/body")" = "hello" ] || fail "fetch -o: [$(cat "$tmp/body")]"
check fetch-X 0 "$(printf 'method=PUT\nbody=')" "" -- "$wb" fetch --allow-host "$H" -X PUT "$H/echo"
check fetch-d 0 "$(printf 'method=POST\nbody=a=1&b=2')" "" -- "$wb" fetch --allow-host "$H" -d a=1 -d b=2 "$H/echo"
printf 'line1\r\nline2\n' >"$tmp/data"
check fetch-d-file 0 "$(printf 'method=POST\nbody=line1line2')" "" -- \
  "$wb" fetch --allow-host "$H" -d @"$tmp/data" "$H/echo"
printf 'x\ny' >"$tmp/bin"
check fetch-data-binary 0 "$(printf 'method=POST\nbody=x\ny')" "" -- \
  "$wb" fetch --allow-host "$H" --data-binary @"$tmp/bin" "$H/echo"
check fetch-X-d 0 "$(printf 'method=PATCH\nbody=z')" "" -- \
  "$wb" fetch --allow-host "$H" --request PATCH --data z "$H/echo"
"$wb" fetch --allow-host "$H" -H 'Authorization: Bearer t0k' "$H/hello" >/dev/null 2>&1
grep -q "GET /hello .*auth=Bearer t0k" "$tmp/server.log" || fail "fetch -H: $(tail -1 "$tmp/server.log")"
"$wb" fetch --allow-host "$H" -i "$H/hello" >"$tmp/out" 2>&1
printf 'HTTP/1.1 200\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || fail "fetch -i: $(od -c "$tmp/out" | head -5)"
check fetch-404 0 "not found" "wasmbox: fetch: HTTP 404 from $H/nope" -- "$wb" fetch --allow-host "$H" "$H/nope"
check fetch-fail 22 "" "wasmbox: fetch: HTTP 404 from $H/nope (--fail: exit 22)" -- \
  "$wb" fetch --allow-host "$H" --fail "$H/nope"
check fetch-fail-ok 0 "hello" "" -- "$wb" fetch --allow-host "$H" -f "$H/hello"
# curl's habit: -fsSL, value-less short options in one argument
check fetch-fsSL 0 "hello" "" -- "$wb" fetch -fsSL --allow-host "$H" "$H/hello"
check fetch-fsSL-404 22 "" "wasmbox: fetch: HTTP 404 from $H/nope (--fail: exit 22)" -- \
  "$wb" fetch -fsSL --allow-host "$H" "$H/nope"
# ... but an option's value is never split
check fetch-d-dash 0 "$(printf 'method=POST\nbody=-fsSL')" "" -- \
  "$wb" fetch --allow-host "$H" -d -fsSL "$H/echo"
usage fetch-bad-bundle "wasmbox: fetch: -f takes no value (got '-fq')" -- "$wb" fetch -fq "$H/hello"
t0=$(date +%s%N)
"$wb" fetch --allow-host "$H" --max-time 0.3 "$H/stallhead" >/dev/null 2>"$tmp/err"
rc=$? t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$rc" = 1 ] && [ "$ms" -lt 3000 ] || fail "fetch --max-time: rc=$rc after ${ms} ms: $(cat "$tmp/err")"
usage fetch-bad-max-time "wasmbox: fetch: --max-time '5x' is not a time (seconds, e.g. 5 or 0.5, or a duration: 500ms, 2m)" -- \
  "$wb" fetch --max-time 5x "$H/hello"
usage fetch-bad-header "wasmbox: fetch: -H 'NoColon': write 'Name: value'" -- "$wb" fetch -H NoColon "$H/hello"
usage fetch-no-url "wasmbox: fetch: no URL given" -- "$wb" fetch --fail
usage fetch-two-urls "wasmbox: fetch: more than one URL ('$H/a', then '$H/b')" -- "$wb" fetch "$H/a" "$H/b"
usage fetch-o-missing "wasmbox: fetch: -o needs a value (FILE)" -- "$wb" fetch "$H/a" -o
check fetch-d-missing-file 1 "" "wasmbox: fetch: -d: $tmp/none: No such file or directory" -- \
  "$wb" fetch -d @"$tmp/none" "$H/echo"

# ---- refusals name the flag beside the key; a port-only miss says why ----
check refuse-flag 1 "" "wasmbox: refused outbound connection to $H: not in allowed_outbound_hosts, which is empty (add '$H' to allowed_outbound_hosts, or pass --allow-host $H)" -- \
  "$wb" fetch "$H/hello"
check refuse-port 1 "" "wasmbox: refused outbound connection to $H: not in allowed_outbound_hosts (add '$H' to allowed_outbound_hosts, or pass --allow-host $H); the pattern 'http://127.0.0.1' has no port, which means the scheme's default port (80) only: write '$H' or 'http://127.0.0.1:*'" -- \
  "$wb" fetch --allow-host http://127.0.0.1 "$H/hello"

# ---- bash completion, made from the same tables ----
"$wb" completion bash >"$tmp/comp.bash" || fail "completion bash: exit $?"
complete_words() { # words...: what the completion offers for the last word
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    _wasmbox
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
  ' _ "$tmp/comp.bash" "$@"
}
[ "$(complete_words wasmbox r)" = "run " ] || fail "complete 'r': [$(complete_words wasmbox r)]"
[ "$(complete_words wasmbox run --ma)" = "--max-memory --max-output --max-stack " ] ||
  fail "complete 'run --ma': [$(complete_words wasmbox run --ma)]"
[ "$(complete_words wasmbox run --ar)" = "--argv0 " ] || fail "complete 'run --ar': [$(complete_words wasmbox run --ar)]"
[ "$(complete_words wasmbox run -W f)" = "fuel= " ] || fail "complete '-W f': [$(complete_words wasmbox run -W f)]"
[ "$(complete_words wasmbox run -S "")" = "cli " ] || fail "complete '-S': [$(complete_words wasmbox run -S "")]"
[ "$(complete_words wasmbox fetch --d)" = "--data --data-binary --dir --dry-run " ] ||
  fail "complete 'fetch --d': [$(complete_words wasmbox fetch --d)]"
[ "$(complete_words wasmbox tool c)" = "call " ] || fail "complete 'tool c': [$(complete_words wasmbox tool c)]"
[ "$(complete_words wasmbox tool call --in)" = "--input " ] || fail "complete 'tool call --in'"
[ "$(complete_words wasmbox policy "")" = "check " ] || fail "complete 'policy'"
mkdir -p "$tmp/cdir/sub1" && touch "$tmp/cdir/file1"
[ "$(cd "$tmp/cdir" && complete_words wasmbox run --dir s)" = "sub1 " ] || fail "complete '--dir s'"
[ "$(cd "$tmp/cdir" && complete_words wasmbox run --policy f)" = "file1 " ] || fail "complete '--policy f'"
[ "$(cd "$tmp/cdir" && complete_words wasmbox run --fuel f)" = " " ] || fail "complete '--fuel f' offered files"
# every option --help lists for run is offered
for o in $("$wb" run --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
  grep -q -- " $o[ ']" "$tmp/comp.bash" || fail "completion lacks $o"
done

[ "$fails" -eq 0 ] && echo "cli_conventions: ok" || { echo "cli_conventions: $fails failed"; exit 1; }
