#!/usr/bin/env bash
# e2e: alone: a cancelled call must end within 10 s (tests/run_e2e.sh)
# The tool bridge end to end (`wasmbox tool list|call`, tools/README.md "The
# tool bridge"), in a fresh network namespace (unshare -n) with only
# loopback up:
# - list: the built-in tools, as text and JSON; every shipped manifest
#   validates against tools/manifest.schema.json (python3-jsonschema)
# - a call of each built-in tool, the result and its meta
# - input errors (the tool not run), exit codes 0/1/2, usage and manifest
#   errors naming the file and key
# - limits (an endless `yes`, fuel, output) and a trap as is_error results,
#   a tool printing garbage, failing, two objects, a bad structuredContent
# - the capability intersection: a read-only grant refusing a write, read
#   tools mapped read-only whatever the operator allows, network "none"
#   refusing a fetch the operator would allow (no request reaches the
#   server), environment names both list
# - the "write your own tool" example called through --tools with its own
#   manifest
# - the tool.call audit record
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WB_TB_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "tool_bridge.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  exec unshare -n env WB_TB_NETNS=1 bash "$here/tool_bridge.sh" "$build"
fi
ip link set lo up || { echo "tool_bridge.sh: cannot bring up lo in the namespace"; exit 1; }

wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
guests=$(cd "$build" && pwd)/guests
server=$(cd "$build" && pwd)/tests/tools/net_server
repo=$(pwd)
for f in "$wb" "$tools/read.wasm" "$tools/shell.wasm" "$tools/example.wasm" "$tools/read.json" \
  "$guests/bridge_misbehave.wasm" "$server"; do
  [ -e "$f" ] || { echo "FAIL tool_bridge: $f is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
. "$here/lib/keep_audit.sh"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  keep_audit_logs "$tmp"
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL tool_bridge: $*"; fails=$((fails + 1)); }
ws=$(cd "$tmp" && pwd -P)/ws
mkdir "$ws"
printf 'one\ntwo\nthree\n' >"$ws/notes.txt"

# call OUT NAME [OPTIONS...] < input: the result in OUT, exit code in $rc
call() {
  local out=$1 name=$2
  shift 2
  "$wb" tool call "$name" --builtin-dir "$tools" "$@" >"$out" 2>"$out.err"
  rc=$?
}
# is OUT JQ WANT: the jq expression on OUT's result prints exactly WANT
is() {
  local got
  got=$(jq -r "$2" "$1" 2>&1)
  [ "$got" = "$3" ] || fail "$4: $2 is [$got], want [$3] (result: $(head -c 400 "$1"))"
}

# ---- list ----
"$wb" tool list --builtin-dir "$tools" >"$tmp/list" 2>&1 || fail "tool list: exit $?"
[ "$(awk '{print $1}' "$tmp/list" | tr '\n' ' ')" = "edit glob grep read shell web-fetch write " ] ||
  fail "tool list: $(cat "$tmp/list")"
grep -q '^read  *files: read  network: none Read a text file' "$tmp/list" || fail "tool list: read's line: $(cat "$tmp/list")"
grep -q '^web-fetch  *files: none  network: yes ' "$tmp/list" || fail "tool list: web-fetch's line"
"$wb" tool list --builtin-dir "$tools" --json >"$tmp/list.json" || fail "tool list --json: exit $?"
is "$tmp/list.json" '[.[].name] | join(",")' "edit,glob,grep,read,shell,web-fetch,write" "list --json"
is "$tmp/list.json" '.[] | select(.name == "shell") | .limits.stack' "8388608" "list --json"
is "$tmp/list.json" '.[] | select(.name == "web-fetch") | .capabilities.network | join(",")' "*://*:*" "list --json"
is "$tmp/list.json" '.[] | select(.name == "read") | .module' "$tools/read.wasm" "list --json"
# the default place of the built-ins: beside the binary ($(BUILD)/tools)
"$wb" tool list --json | jq -r '.[].name' | tr '\n' ' ' >"$tmp/default"
[ "$(cat "$tmp/default")" = "edit glob grep read shell web-fetch write " ] || fail "built-ins beside the binary: $(cat "$tmp/default")"
# and after an install (make install's layout): PREFIX/bin/wasmbox finds
# PREFIX/lib/wasmbox/tools
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/lib/wasmbox/tools"
cp "$wb" "$tmp/prefix/bin/"
for t in edit glob grep read shell web-fetch write; do cp "$tools/$t.json" "$tools/$t.wasm" "$tmp/prefix/lib/wasmbox/tools/"; done
"$tmp/prefix/bin/wasmbox" tool call read --workspace "$ws" --input '{"file_path": "notes.txt", "limit": 1}' >"$tmp/out" 2>&1 ||
  fail "installed: $(cat "$tmp/out")"
is "$tmp/out" '.content[0].text' "$(printf '     1\tone\n[more lines follow; read on with offset=2]')" "installed"
WASMBOX_BUILTIN_DIR=$tmp/none "$wb" tool list >"$tmp/out" 2>&1
[ $? = 2 ] && grep -qF "wasmbox: $tmp/none: No such file or directory (a directory of tool manifests, *.json)" "$tmp/out" ||
  fail "WASMBOX_BUILTIN_DIR: $(cat "$tmp/out")"
python3 - "$repo/tools/manifest.schema.json" "$repo"/tools/builtin/*.json "$repo/tools/guest/example/wc.json" <<'EOF' || fail "manifests against tools/manifest.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print(f"{path}: {e.message}")
        bad += 1
sys.exit(1 if bad else 0)
EOF

# ---- each built-in tool ----
call "$tmp/r" read --workspace "$ws" --input '{"file_path": "notes.txt", "offset": 2, "limit": 1}'
[ $rc = 0 ] || fail "read: exit $rc"
is "$tmp/r" '.content[0].text' "$(printf '     2\ttwo\n[more lines follow; read on with offset=3]')" read
is "$tmp/r" '[.is_error, .meta.status, .meta.exit_code, .meta.limit, .meta.message] | map(tostring) | join(" ")' \
  "false exited 0 null null" read
is "$tmp/r" '[.meta.fuel_used > 0, .meta.wall_ms >= 0, .meta.peak_memory_bytes > 0] | map(tostring) | join(" ")' \
  "true true true" read
echo '{"file_path": "new/a.txt", "content": "hi"}' >"$tmp/in"
call "$tmp/r" write --workspace "$ws" <"$tmp/in"
[ $rc = 0 ] && [ "$(cat "$ws/new/a.txt")" = hi ] || fail "write: exit $rc, $(head -c 300 "$tmp/r")"
is "$tmp/r" '.content[0].text' "Wrote 2 bytes to $ws/new/a.txt (created)" write
call "$tmp/r" edit --workspace "$ws" --input '{"file_path": "new/a.txt", "old_string": "hi", "new_string": "ho"}'
[ $rc = 0 ] && [ "$(cat "$ws/new/a.txt")" = ho ] || fail "edit: exit $rc, $(head -c 300 "$tmp/r")"
call "$tmp/r" glob --workspace "$ws" --input '{"pattern": "**/*.txt"}'
is "$tmp/r" '.content[0].text | split("\n") | map(select(. != "")) | sort | join(" ")' "$ws/new/a.txt $ws/notes.txt" glob
call "$tmp/r" grep --workspace "$ws" --input '{"pattern": "^t", "output_mode": "content"}'
is "$tmp/r" '.content[0].text' "$(printf 'notes.txt:2:two\nnotes.txt:3:three\n')" grep
call "$tmp/r" shell --workspace "$ws" --input '{"command": "wc -l < notes.txt; echo err >&2; exit 4"}'
[ $rc = 0 ] || fail "shell: exit $rc (a failing command is a normal result)"
is "$tmp/r" '.structuredContent | [.stdout, .stderr, (.exit_code | tostring), .cwd] | join("|")' "3
|err
|4|$ws" shell

# ---- input errors: the tool is not run; exit 1 ----
call "$tmp/r" read --workspace "$ws" --input '{"file_path": "notes.txt", "offset": -3, "extra": 1}'
[ $rc = 1 ] || fail "input error: exit $rc"
is "$tmp/r" '.content[0].text' "read: invalid input (the tool was not run):
input.offset: must be an integer >= 0 (got -3)
input.extra: unknown field (this tool takes: file_path, offset, limit)" "input error"
is "$tmp/r" '[.is_error, .meta.status, .meta.fuel_used] | map(tostring) | join(" ")' "true error 0" "input error"
call "$tmp/r" read --input 'nope'
is "$tmp/r" '.content[0].text' "read: invalid input (the tool was not run):
input: not valid JSON (near byte 0: nope)" "not JSON"

# ---- usage and configuration errors: exit 2, nothing on stdout ----
call "$tmp/r" nosuch --input '{}'
[ $rc = 2 ] && [ ! -s "$tmp/r" ] || fail "unknown tool: exit $rc"
grep -qxF "wasmbox: tool call: no tool named 'nosuch' (tools: edit, glob, grep, read, shell, web-fetch, write)" "$tmp/r.err" ||
  fail "unknown tool: $(cat "$tmp/r.err")"
"$wb" tool call >"$tmp/r" 2>&1
[ $? = 2 ] && grep -qF "wasmbox: tool call: no tool named (wasmbox tool call NAME ...)" "$tmp/r" || fail "no name: $(cat "$tmp/r")"
call "$tmp/r" read --frobnicate 1
[ $rc = 2 ] && grep -qF "wasmbox: tool call: unknown option --frobnicate" "$tmp/r.err" || fail "unknown option: $(cat "$tmp/r.err")"
call "$tmp/r" read --input '{}' --fuel abc
[ $rc = 2 ] && grep -qxF 'wasmbox: --fuel: "abc" is not a whole number' "$tmp/r.err" || fail "bad policy flag: $(cat "$tmp/r.err")"
mkdir "$tmp/badtools"
echo '{"name": "x", "description": "d", "input_schema": {"type": "object"}, "module": "x.wasm", "capabilities": {"filesystem": "all", "network": "none"}}' >"$tmp/badtools/x.json"
call "$tmp/r" read --tools "$tmp/badtools" --input '{}'
[ $rc = 2 ] && grep -qxF "wasmbox: $tmp/badtools/x.json: capabilities.filesystem: must be \"none\", \"read\" or \"write\" (what the tool needs of the workspace)" "$tmp/r.err" ||
  fail "bad manifest: $(cat "$tmp/r.err")"

# ---- the example tool, with its own manifest, through --tools ----
mkdir "$tmp/mytools"
cp "$repo/tools/guest/example/wc.json" "$tools/example.wasm" "$tmp/mytools/"
"$wb" tool list --builtin-dir "$tools" --tools "$tmp/mytools" | tail -1 | grep -q '^wc ' || fail "list --tools: no wc"
call "$tmp/r" wc --tools "$tmp/mytools" --workspace "$ws" --input '{"file_path": "notes.txt"}'
[ $rc = 0 ] || fail "example: exit $rc"
is "$tmp/r" '.content[0].text' "3 3 14 $ws/notes.txt" "example"

# ---- a tool that misbehaves ----
mkdir "$tmp/bad"
cat >"$tmp/bad/misbehave.json" <<EOF
{"name": "misbehave", "description": "misbehaves on request",
 "input_schema": {"type": "object", "properties": {"mode": {"type": "string"}}, "required": ["mode"]},
 "output_schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
 "module": "$guests/bridge_misbehave.wasm",
 "capabilities": {"filesystem": "none", "network": "none", "env": ["FOO", "BAR"]},
 "limits": {"timeout": 20000, "output": 65536}}
EOF
mb() { call "$tmp/r" misbehave --tools "$tmp/bad" --input "{\"mode\": \"$1\"}" "${@:2}"; }
mb garbage
[ $rc = 1 ] || fail "garbage: exit $rc"
is "$tmp/r" '.content[0].text' "misbehave: the tool's output was not a result: it is not valid JSON
[stderr]
some diagnostics" garbage
is "$tmp/r" '[.meta.status, .meta.exit_code] | map(tostring) | join(" ")' "exited 0" garbage
mb two
is "$tmp/r" '.content[0].text' "misbehave: the tool's output was not a result: there is more after the JSON object" two
mb trap
[ $rc = 1 ] || fail "trap: exit $rc"
is "$tmp/r" '.meta.status' trap trap
is "$tmp/r" '.content[0].text | test("^misbehave: the tool crashed: trap: unreachable( executed)? in function [0-9]+( <[^>]*>)? at offset 0x[0-9a-f]+\n\\[stderr\\]\nabout to trap\n$")' true trap
mb exit3
is "$tmp/r" '.content[0].text' "misbehave: the tool failed (exit code 3)
[stderr]
failing on purpose" exit3
is "$tmp/r" '[.meta.status, .meta.exit_code] | map(tostring) | join(" ")' "exited 3" exit3
mb flood
[ $rc = 1 ] || fail "flood: exit $rc"
is "$tmp/r" '[.meta.status, .meta.limit] | join(" ")' "limit output" flood
is "$tmp/r" '.content[0].text | startswith("misbehave: stopped by a limit: the tool'"'"'s output passed its limit of 65536 bytes (stdout and stderr together; max_output)\n[stderr]\n")' true flood
mb struct
is "$tmp/r" '.content[0].text' 'misbehave: the tool'"'"'s structuredContent does not match its output_schema:
structuredContent.n: must be an integer (got a string)' struct
mb image
[ $rc = 0 ] || fail "image: exit $rc"
is "$tmp/r" '.content | map(.type) | join(",")' "text,image" image
is "$tmp/r" '.content[1].mimeType' "image/gif" image
# environment: only names both list, the operator's values; nothing else
mb env --env FOO=1 --env BAZ=2
is "$tmp/r" '.content[0].text' "FOO=1" env
mb env --env FOO=1 --workspace "$ws"
is "$tmp/r" '.content[0].text' "FOO=1" "env (filesystem none: no PWD either)"
# the call's own limit from the operator wins over the manifest's
mb flood --max-output 100
is "$tmp/r" '.meta.limit' output "max-output"

# ---- limits of a built-in: an endless `yes`; fuel ----
call "$tmp/r" shell --workspace "$ws" --timeout 1000 --input '{"command": "yes"}'
[ $rc = 1 ] || fail "yes: exit $rc"
is "$tmp/r" '.content[0].text' "shell: stopped by a limit: timeout after 1000 ms" yes
is "$tmp/r" '[.meta.status, .meta.limit, .meta.message] | join("|")' "limit|timeout|stopped by a limit: timeout after 1000 ms" yes
is "$tmp/r" '.meta.wall_ms >= 1000 and .meta.wall_ms < 3000' true yes
call "$tmp/r" shell --workspace "$ws" --fuel 2000000 --input '{"command": "while :; do :; done"}'
is "$tmp/r" '[.content[0].text, .meta.limit] | join("|")' "shell: stopped by a limit: out of fuel|fuel" fuel
is "$tmp/r" '.meta.fuel_used <= 2000000 and .meta.fuel_used > 1900000' true fuel

# ---- the capability intersection ----
# a read-only grant refuses a write, and the file is unchanged
call "$tmp/r" write --workspace "$ws:ro" --input '{"file_path": "notes.txt", "content": "gone"}'
[ $rc = 1 ] || fail "ro write: exit $rc"
is "$tmp/r" '.content[0].text' "cannot write $ws/notes.txt: the workspace is read-only for this tool" "ro write"
[ "$(cat "$ws/notes.txt")" = "$(printf 'one\ntwo\nthree')" ] || fail "ro write: notes.txt changed"
# the operator's policy maps the workspace read-only: the same
call "$tmp/r" edit --workspace "$ws" --dir "$ws::/w:ro" --input '{"file_path": "notes.txt", "old_string": "one", "new_string": "1"}'
is "$tmp/r" '.content[0].text' "cannot write $ws/notes.txt: the workspace is read-only for this tool" "policy ro edit"
# a read tool gets the workspace read-only even when the operator allows
# writing: the shell with a manifest asking "read" cannot write
sed 's/"filesystem": "write"/"filesystem": "read"/; s/"name": "shell"/"name": "shell-ro"/' "$tools/shell.json" |
  sed "s|\"module\": \"shell.wasm\"|\"module\": \"$tools/shell.wasm\"|" >"$tmp/mytools/shell-ro.json"
call "$tmp/r" shell-ro --tools "$tmp/mytools" --workspace "$ws" --input '{"command": "echo x > made.txt; cat notes.txt | wc -l"}'
[ ! -e "$ws/made.txt" ] || fail "read grant: the shell wrote made.txt"
is "$tmp/r" '.structuredContent.stdout' "3" "read grant: reading still works"
is "$tmp/r" '.structuredContent.stderr | test("made.txt")' true "read grant: the refusal is reported"
# the audit record says what each call was granted
call "$tmp/r" read --workspace "$ws" --audit "$tmp/audit.log" --input '{"file_path": "notes.txt"}'
call "$tmp/r" write --workspace "$ws:ro" --audit "$tmp/audit.log" --input '{"file_path": "x", "content": ""}'
call "$tmp/r" misbehave --tools "$tmp/bad" --audit "$tmp/audit.log" --env FOO=1 --input '{"mode": "trap"}'
call "$tmp/r" read --audit "$tmp/audit.log" --input '{"file_path": 3}'
jq -c 'select(.event == "tool.call") | [.tool, .granted.filesystem, .granted.workspace, .status, .is_error]' "$tmp/audit.log" >"$tmp/calls"
[ "$(cat "$tmp/calls")" = "$(printf '%s\n' "[\"read\",\"read\",\"$ws\",\"exited\",false]" "[\"write\",\"read\",\"$ws\",\"exited\",true]" \
  '["misbehave","none",null,"trap",true]' '["read",null,null,"error",true]')" ] || fail "audit: $(cat "$tmp/calls")"
is "$tmp/audit.log" 'select(.event == "tool.call" and .tool == "misbehave") | .granted.env | join(",")' "FOO" "audit env names"
is "$tmp/audit.log" 'select(.event == "tool.call" and .status == "error") | .input_sha256' \
  "$(printf '%s' '{"file_path": 3}' | sha256sum | cut -d' ' -f1)" "audit input digest"

# ---- network: "none" refuses what the operator allows; web-fetch gets it ----
: >"$tmp/server.log"
mkdir "$tmp/docroot"
echo '<title>Hi</title><p>hello from the server</p>' >"$tmp/docroot/hi.html"
echo 'Content-Type: text/html; charset=utf-8' >"$tmp/docroot/hi.html.headers"
"$server" --port-file "$tmp/port" --log "$tmp/server.log" --docroot "$tmp/docroot" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { echo "FAIL tool_bridge: the test server did not start"; exit 1; }
URL=http://127.0.0.1:$(cat "$tmp/port")
sed 's/"network": \["\*:\/\/\*:\*"\]/"network": "none"/; s/"name": "web-fetch"/"name": "fetch-none"/' "$tools/web-fetch.json" |
  sed "s|\"module\": \"web-fetch.wasm\"|\"module\": \"$tools/web-fetch.wasm\"|" >"$tmp/mytools/fetch-none.json"
grep -q '"network": "none"' "$tmp/mytools/fetch-none.json" || fail "fetch-none manifest not made"
call "$tmp/r" fetch-none --tools "$tmp/mytools" --allow-host "$URL" --audit "$tmp/audit2.log" --input "{\"url\": \"$URL/doc/hi.html?none\"}"
[ $rc = 1 ] || fail "network none: exit $rc"
is "$tmp/r" '.content[0].text | startswith("cannot fetch '"$URL"'/doc/hi.html?none: wasmbox: refused outbound connection to '"$URL"': not in allowed_outbound_hosts")' true "network none"
is "$tmp/audit2.log" 'select(.event == "tool.call") | .granted.network | length' 0 "network none: granted no host"
call "$tmp/r" web-fetch --allow-host "$URL" --audit "$tmp/audit2.log" --input "{\"url\": \"$URL/doc/hi.html?any\"}"
[ $rc = 0 ] || fail "web-fetch: exit $rc: $(head -c 300 "$tmp/r")"
is "$tmp/r" '.content[0].text | test("hello from the server")' true "web-fetch"
is "$tmp/audit2.log" 'select(.event == "tool.call" and .tool == "web-fetch") | .granted.network | join(",")' "$URL" "web-fetch: granted the operator's host"
grep -qF "hi.html?none" "$tmp/server.log" && fail "network none: the request reached the server"
grep -qF "hi.html?any" "$tmp/server.log" || fail "web-fetch: the request did not reach the server"

# a cancel (SIGTERM to `wasmbox tool call`) wakes a fetch waiting on a
# server that never answers: the result says so at once, not after the
# tool's 60 s
t0=$(date +%s%N)
"$wb" tool call web-fetch --builtin-dir "$tools" --allow-host "$URL" \
  --input "{\"url\": \"$URL/stallhead?cancel\", \"timeout_seconds\": 60}" >"$tmp/r" 2>"$tmp/r.err" &
pid=$!
for _ in $(seq 100); do grep -qF "stallhead?cancel" "$tmp/server.log" && break; sleep 0.05; done
grep -qF "stallhead?cancel" "$tmp/server.log" || fail "cancel: the request did not reach the server"
kill -TERM $pid
wait $pid
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 1 ] || fail "cancel: exit $rc: $(cat "$tmp/r.err")"
is "$tmp/r" '[.content[0].text, .meta.status] | join("|")' "web-fetch: the call was cancelled|cancelled" cancel
[ $ms -lt 10000 ] || fail "cancel: took $ms ms"

[ $fails = 0 ] && echo "tool_bridge: ok"
[ $fails = 0 ]
