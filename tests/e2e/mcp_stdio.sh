#!/usr/bin/env bash
# e2e: alone: SIGTERM must end the server within 2 s, a cancel free its worker within 5 s (tests/run_e2e.sh)
# The MCP server over stdio (tools/mcp/README.md): raw JSON-RPC exchanges
# written from the specification (tests/tools/mcp_raw.py: handshake, version
# negotiation, every JSON-RPC error, pagination, cancellation, progress,
# concurrency, floods, huge messages, a client that never reads, shutdown,
# prompts and resources from skills) against the server over a test double
# of the tools (tests/tools/mcp_fake); then `wasmbox skill` and the skills
# shipped in tools/skills: each loads, its prompt renders, the tools it names
# are built-in tools; and front-matter faults named with file and line.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
fake=$(cd "$build" && pwd)/tests/tools/mcp_fake
for need in "$wb" "$fake"; do
  [ -e "$need" ] || { echo "FAIL mcp_stdio: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL mcp_stdio: $*"; fails=$((fails + 1)); }

python3 tests/tools/mcp_raw.py "$fake" || fail "the raw JSON-RPC exchanges (above)"

# ---- the shipped skills ----
skills=tools/skills
list=$("$wb" skill list --skills "$skills") || fail "skill list exits $?"
[ "$(cut -f1 <<<"$list" | tr '\n' ' ')" = "code-review find-and-fix summarise-page " ] ||
  fail "skill list names: $list"
# Each skill, the arguments that fill it, and the tools it must name (by
# hand, from what the skill is for); each tool must be one the server
# offers (`wasmbox tool list`, the bridge's built-in tools).
builtin=" $("$wb" tool list --json | jq -r '.[].name' | tr '\n' ' ')"
[ "$(wc -w <<<"$builtin")" -ge 7 ] || fail "wasmbox tool list --json: $builtin"
check_skill() {
  local name=$1 args=$2 tools=$3 out a
  local flags=()
  for a in $args; do flags+=(--arg "$a"); done
  out=$("$wb" skill show "$name" --skills "$skills" "${flags[@]}") || { fail "$name does not render"; return; }
  grep -q '{{' <<<"$out" && fail "$name: a placeholder is left: $(grep '{{' <<<"$out")"
  for a in $args; do
    grep -qF -- "${a#*=}" <<<"$out" || fail "$name: the value of ${a%%=*} is not in the prompt"
  done
  for t in $tools; do
    grep -qF -- "\`$t\`" <<<"$out" || fail "$name does not name the tool $t"
    case $builtin in *" $t "*) ;; *) fail "$name names $t, which is no built-in tool ($builtin)" ;; esac
  done
}
check_skill code-review "path=src/parse.c focus=bounds" "read grep glob"
check_skill summarise-page "url=https://example.org/guide.html length=3" "web-fetch"
check_skill find-and-fix "problem=segfault_in_parse check=sh_test.sh" "shell edit read"
# Required arguments are required.
"$wb" skill show code-review --skills "$skills" --arg focus=x >/dev/null 2>"$tmp/err" &&
  fail "code-review rendered without its required path"
grep -q 'needs argument "path"' "$tmp/err" || fail "missing argument message: $(cat "$tmp/err")"
"$wb" skill show nope --skills "$skills" >/dev/null 2>&1 && fail "an unknown skill was shown"
"$wb" skill list >/dev/null 2>&1; [ $? -eq 2 ] || fail "skill list without --skills is a usage error"

# ---- front-matter faults: file, line, key ----
bad() { # bad NAME EXPECTED-MESSAGE-PART < SKILL.md
  mkdir -p "$tmp/bad/$1" && cat >"$tmp/bad/$1/SKILL.md"
  local err
  if err=$("$wb" skill list --skills "$tmp/bad/$1" 2>&1); then
    fail "skill $1 loaded: $err"
  elif ! grep -qF -- "$2" <<<"$err"; then
    fail "skill $1: expected '$2' in: $err"
  fi
}
bad nofence "SKILL.md:1: must start with a \"---\" line" <<<'name: x'
bad noclose "no closing \"---\" line" <<<$'---\nname: x\ndescription: y'
bad noname "SKILL.md:2: no name" <<<$'---\ndescription: y\n---\nbody'
bad nodesc "no description" <<<$'---\nname: x\n---\nbody'
bad badname "SKILL.md:2: name: \"Bad_Name\" must be lower-case" <<<$'---\nname: Bad_Name\ndescription: y\n---\n'
bad unknown "SKILL.md:4: unknown key \"colour\"" <<<$'---\nname: x\ndescription: y\ncolour: red\n---\n'
bad twice "SKILL.md:3: name: given twice" <<<$'---\nname: x\nname: z\ndescription: y\n---\n'
bad argnotmap "arguments: each item must be a map" <<<$'---\nname: x\ndescription: y\narguments:\n  - a\n---\n'
bad argreq "SKILL.md:7: arguments.required: expected true or false" <<<$'---\nname: x\ndescription: y\narguments:\n  - name: a\n    description: d\n    required: maybe\n---\n'
bad argdup "\"a\" is declared twice" <<<$'---\nname: x\ndescription: y\narguments:\n  - name: a\n  - name: a\n---\n'
bad argkey "arguments: unknown key \"default\"" <<<$'---\nname: x\ndescription: y\narguments:\n  - name: a\n    default: 3\n---\n'
bad yaml "front matter is not valid YAML" <<<$'---\nname: [x\ndescription: y\n---\n'
bad typo "SKILL.md:6: {{pth}} names no argument" <<<$'---\nname: x\ndescription: y\n---\nline 5\nsee {{pth}}\n'
bad list "description: expected a string" <<<$'---\nname: x\ndescription: [a, b]\n---\n'
printf -- '---\nname: x\ndescription: \xff\n---\n' | bad utf8 "not UTF-8 text"
mkdir -p "$tmp/dup/a" "$tmp/dup/b"
printf -- '---\nname: same\ndescription: y\n---\n' | tee "$tmp/dup/a/SKILL.md" >"$tmp/dup/b/SKILL.md"
"$wb" skill list --skills "$tmp/dup" >/dev/null 2>"$tmp/err" && fail "two skills of one name loaded"
grep -q "a skill named same is already loaded" "$tmp/err" || fail "duplicate name message: $(cat "$tmp/err")"
mkdir -p "$tmp/link"
ln -s /etc "$tmp/link/evil"
printf -- '---\nname: evil\ndescription: y\n---\n' >"$tmp/evil.md"
mkdir -p "$tmp/link2/s" && ln -s "$tmp/evil.md" "$tmp/link2/s/SKILL.md"
"$wb" skill list --skills "$tmp/link2" >/dev/null 2>&1 && fail "a SKILL.md that is a symlink was loaded"

# ---- wasmbox mcp itself: flags refused before anything is served ----
(umask 077 && echo short >"$tmp/short")
for args in "--jobs 0" "--jobs x" "--jobs 300" "--max-queue 1 --jobs 2" "--max-message 10" \
            "--page-size 0" "--frobnicate 1" "--jobs 1 --jobs 2" "--policy /nonexistent.json" \
            "--fuel lots" "--skills /nonexistent" "--tools /nonexistent" "positional" \
            "--listen nope" "--listen 127.0.0.1:99999" "--listen localhost:80" \
            "--token-file /etc/passwd --listen 127.0.0.1:0" "--allow-origin http://x" \
            "--token-file $tmp/short --listen 127.0.0.1:0"; do
  # shellcheck disable=SC2086
  out=$("$wb" mcp $args </dev/null 2>"$tmp/err"); rc=$?
  [ "$rc" -eq 2 ] || fail "wasmbox mcp $args: exit $rc, expected 2"
  [ -z "$out" ] || fail "wasmbox mcp $args wrote to stdout: $out"
  [ -s "$tmp/err" ] || fail "wasmbox mcp $args: no message on stderr"
done
# The real server: the built-in tools listed with their schemas, a call,
# nothing but protocol on stdout.
mkdir -p "$tmp/ws" && printf 'one\ntwo\n' >"$tmp/ws/f.txt"
out=$(printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"sh","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' \
  '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read","arguments":{"file_path":"f.txt"}}}' |
  "$wb" mcp --workspace "$tmp/ws" --skills tools/skills 2>"$tmp/err")
[ "$(jq -c 'select(.id==1) | .result.protocolVersion' <<<"$out")" = '"2025-06-18"' ] || fail "real server initialize: $out"
[ "$(jq -r 'select(.id==2) | .result.tools[].name' <<<"$out" | tr '\n' ' ')" = "edit glob grep read shell web-fetch write " ] ||
  fail "real server tools/list: $(jq -c 'select(.id==2)' <<<"$out")"
[ "$(jq -r 'select(.id==2) | [.result.tools[] | select(.inputSchema.type != "object")] | length' <<<"$out")" = 0 ] ||
  fail "an inputSchema that is not an object schema"
[ "$(jq -c 'select(.id==3) | .result.content' <<<"$out")" = '[{"type":"text","text":"     1\tone\n     2\ttwo\n"}]' ] ||
  fail "real server read: $(jq -c 'select(.id==3)' <<<"$out")"
[ "$(wc -l <<<"$out")" -eq 3 ] || fail "real server: expected 3 lines on stdout, got: $out"

[ "$fails" -eq 0 ] || exit 1
echo "ok mcp_stdio"
