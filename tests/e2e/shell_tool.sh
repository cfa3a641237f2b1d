#!/usr/bin/env bash
# e2e: in lanes: four limited runs (1 s timeouts, a fuel bound) must end within
# 60 s in all, room enough for a second job on the CPUs (tests/run_e2e.sh)
# The shell tool ($BUILD/tools/shell.wasm) as an agent calls it, through
# the tool bridge (`wasmbox tool call shell --workspace WS`: the workspace
# mapped at its own path, PWD set to it): the result contract (content, the
# structuredContent fields, is_error), the cwd input, hostile input (JSON
# that is malformed, of the wrong types, huge, invalid UTF-8), output that is
# huge or not UTF-8, and confinement: the issue's escapes (cat /etc/passwd,
# cd / && ls, ln -s / x && cat x/etc/passwd, paths and planted links out of
# the workspace, a fork bomb, an endless yes stopped by the run's limits),
# with host-side checks that nothing outside the workspace was read or
# changed (contents, listing and access times of an `outside` directory next
# to it, the audit log's host paths, no link in the workspace leading out).
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
tool=$tools/shell.wasm
for need in "$wb" "$tool"; do
  [ -e "$need" ] || { echo "FAIL shell_tool: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
root=$(cd "$tmp" && pwd -P)/box   # the workspace and what is next to it
ws=$root/ws
. "$(dirname "$0")/lib/keep_audit.sh"
. "$(dirname "$0")/lib/maps.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL shell_tool: $*"; fails=$((fails + 1)); }

secret=TOPSECRET-$$-$RANDOM
mkdir -p "$ws/sub" "$root/outside"
echo "$secret" >"$root/outside/secret.txt"
echo inside >"$ws/file.txt"
ln -s ../outside "$ws/planted_out"          # a link the host made: the sandbox refuses it
ln -s "$root/outside/secret.txt" "$ws/planted_abs"
touch -a -d 2001-01-01 "$root/outside" "$root/outside/secret.txt"

# call INPUT [wasmbox tool call options...]: runs the tool; sets $out (the
# result, the bridge's meta left out), $meta, $err (wasmbox's stderr), $rc
# (0: is_error false, 1: true).
call() {
  # 60 s: the heaviest case (64 MiB through a pipe) takes about 15 s under
  # ASan on a loaded machine; a limit case passes its own --timeout
  local input=$1 limit=(--timeout 60000)
  shift
  [[ " $* " == *" --timeout "* ]] && limit=()
  printf '%s' "$input" | "$wb" tool call shell --builtin-dir "$tools" --workspace "$ws" \
    --audit "$tmp/audit.log" "${limit[@]}" "$@" >"$tmp/result" 2>"$tmp/stderr"
  rc=$?
  out=$(jq -c 'del(.meta)' "$tmp/result" 2>/dev/null || cat "$tmp/result")
  meta=$(jq -c '.meta' "$tmp/result" 2>/dev/null)
  err=$(cat "$tmp/stderr")
}
# bad LINES: the bridge's refusal of an input (the tool not run)
bad() { printf 'shell: invalid input (the tool was not run):\n%s' "$1"; }
cmd() { call "$(jq -cn --arg c "$1" '{command: $c}')" "${@:2}"; }
# jqt NAME [JQ OPTIONS] FILTER: the filter is true of $out (a valid JSON object)
jqt() {
  local name=$1
  shift
  printf '%s' "$out" | jq -e "$@" >/dev/null 2>&1 ||
    fail "$name: ${*: -1} is not true of: ${out:0:600} (rc $rc, stderr ${err:0:300})"
}
# result NAME STDOUT STDERR EXIT: a normal result with exactly these
result() {
  [ "$rc" = 0 ] || fail "$1: wasmbox exited $rc: ${err:0:300}"
  printf '%s' "$out" | jq -e --arg o "$2" --arg e "$3" --argjson x "$4" \
    '.is_error == false and .structuredContent.stdout == $o and .structuredContent.stderr == $e and .structuredContent.exit_code == $x' \
    >/dev/null 2>&1 || fail "$1: expected stdout $(jq -cn --arg o "$2" '$o') stderr $(jq -cn --arg e "$3" '$e') exit $4, got ${out:0:800}"
}
tool_error() { # NAME MESSAGE: an is_error result whose text is MESSAGE
  [ "$rc" = 1 ] || fail "$1: wasmbox exited $rc: ${err:0:300}"
  printf '%s' "$out" | jq -e --arg m "$2" '.is_error == true and .content == [{type: "text", text: $m}]' >/dev/null 2>&1 ||
    fail "$1: expected the error result \"$2\", got ${out:0:600}"
}

# ---- the result contract -------------------------------------------------------
cmd 'echo hello'
result echo $'hello\n' "" 0
[ "$out" = "{\"content\":[{\"type\":\"text\",\"text\":\"hello\\n[exit code 0]\"}],\"structuredContent\":{\"stdout\":\"hello\\n\",\"stderr\":\"\",\"exit_code\":0,\"cwd\":\"$ws\"},\"is_error\":false}" ] ||
  fail "echo: the whole result is not as documented: $out"

cmd 'ls nope; echo done >&2; exit 3'
result "a failing command is a normal result" "" $'ls: cannot access \'nope\': No such file or directory\ndone\n' 3
jqt "failing text" '.content[0].text == "[stderr]\nls: cannot access '"'"'nope'"'"': No such file or directory\ndone\n[exit code 3]"'

cmd 'cd sub && pwd'
result "cd" "$ws/sub"$'\n' "" 0
jqt "cd: cwd out" --arg w "$ws/sub" '.structuredContent.cwd == $w and (.content[0].text | endswith("[exit code 0; cwd is now " + $w + "]"))'

call "$(jq -cn '{command: "pwd", cwd: "sub"}')"
result "cwd relative to the workspace" "$ws/sub"$'\n' "" 0
call "$(jq -cn --arg d "$ws/sub" '{command: "pwd; cd ..; pwd", cwd: $d}')"
result "cwd absolute" "$ws/sub"$'\n'"$ws"$'\n' "" 0
call '{"command": "pwd", "cwd": "/etc"}'
tool_error "cwd outside" "cwd: /etc is outside the workspace (mapped directories: $ws)"
call '{"command": "pwd", "cwd": "../outside"}'
tool_error "cwd .. out" "cwd: $root/outside is outside the workspace (mapped directories: $ws)"
call '{"command": "pwd", "cwd": "nope"}'
tool_error "cwd missing" "cwd: $ws/nope: No such file or directory"
call '{"command": "pwd", "cwd": "file.txt"}'
tool_error "cwd a file" "cwd: $ws/file.txt: Not a directory"

# the command's stdin is empty (the tool's stdin is its input)
cmd 'cat; read x; echo "read $? [$x]"'
result "stdin" $'read 1 []\n' "" 0

# ---- hostile input ----------------------------------------------------------------
# the bridge refuses what is not JSON or breaks the manifest's schema
# (cJSON stops at or just after a fault: "near"); the NUL is the tool's
call '{'
tool_error "truncated JSON" "$(bad "input: not valid JSON (near byte 0: {)")"
call '[]'
tool_error "an array" "$(bad "input: must be an object (got an array)")"
call '"echo"'
tool_error "a string" "$(bad "input: must be an object (got a string)")"
call '{"command": 1}'
tool_error "a number" "$(bad "input.command: must be a string (got 1)")"
call '{"cmd": "ls"}'
tool_error "unknown field" "$(bad "input.command: required, missing (expected a string)
input.cmd: unknown field (this tool takes: command, cwd)")"
call '{}'
tool_error "missing command" "$(bad "input.command: required, missing (expected a string)")"
call '{"command": "a", "command": "b"}'
tool_error "duplicate" "$(bad 'input: not valid JSON: duplicate key "command" in an object')"
call $'{"command": "echo \xff"}'
tool_error "invalid UTF-8" "$(bad "input: not valid JSON: invalid UTF-8 at byte 18 (JSON text is UTF-8)")"
call '{"command": "echo \ud800"}'
tool_error "lone surrogate" "$(bad 'input: not valid JSON (near byte 18: ...command": "echo \ud800"})')"
call '{"command": "echo a\u0000b"}'
tool_error "NUL" 'command: contains a NUL character (\u0000); shell commands are text'
call '{"command": "pwd", "cwd": 7}'
tool_error "cwd type" "$(bad "input.cwd: must be a string (got 7)")"
python3 -c 'import sys; sys.stdout.write("{\"command\": \"" + "x" * (17 << 20) + "\"}")' >"$tmp/huge.json"
call "$(cat "$tmp/huge.json")"
tool_error "over 16 MiB" "$(bad "input: larger than 16777216 bytes (16 MiB); send less (e.g. write a large file in parts)")"
rm -f "$tmp/huge.json"
# a big but valid command: 100000 commands in one string
cmd "$(for i in $(seq 1000); do printf 'x=%d; ' "$i"; done; echo 'echo $x')"
result "a long command" $'1000\n' "" 0
cmd 'echo "unterminated'
result "unterminated quote" "" $'shell: -c: line 1: unexpected EOF while looking for matching `"\'\n' 2
cmd "$(python3 -c 'print("(" * 10000)')"
jqt "deep parentheses" '.is_error == false and .structuredContent.exit_code == 2 and (.structuredContent.stderr | test("nested too deeply"))'

# ---- output ------------------------------------------------------------------------
cmd "printf 'caf\\xe9 \\x00 \\x1b[0m ok\\n'"
# (through the bridge a NUL becomes U+FFFD too: results are C strings)
jqt "bytes that are not UTF-8" '.structuredContent.stdout == "caf\ufffd \ufffd \u001b[0m ok\n"'
cmd 'seq 100000'
jqt "huge output is cut in the middle" '(.structuredContent.stdout | startswith("1\n2\n3\n")) and (.structuredContent.stdout | endswith("99999\n100000\n")) and (.structuredContent.stdout | test("\\[\\.\\.\\. [0-9]+ bytes not shown: the output was 588895 bytes; the first and last 128 KiB are kept \\.\\.\\.\\]"))'
cmd 'yes | head -c 4; echo; yes abc | wc -l'
jqt "a full pipe stops its writer" '.structuredContent.stdout == "y\ny\n\n16777216\n" and (.structuredContent.stderr | test("a pipe filled its 64 MiB buffer"))'

# ---- confinement ---------------------------------------------------------------------
snapshot() {
  sha256sum "$root/outside/secret.txt"
  find "$root" -path "$ws" -prune -o -printf '%p %y %s %T@ %l\n' | LC_ALL=C sort
  stat -c '%n %X %Y %Z' "$root/outside" "$root/outside/secret.txt"
}
before=$(snapshot)
rm -f "$tmp/audit.log"

cmd 'cat /etc/passwd'
result "cat /etc/passwd" "" $'cat: /etc/passwd: Permission denied (outside the sandbox\'s mapped directories)\n' 1
cmd 'cd / && ls'
result "cd / && ls" "" "shell: line 1: cd: /: outside the sandbox (the directories it has are: $ws)"$'\n' 1
cmd 'ls /; ls ..; ls /etc'
jqt "ls outside" '.structuredContent.exit_code == 2 and .structuredContent.stdout == ""'
cmd 'ln -s / x && cat x/etc/passwd'
result "ln -s / x" "" $'ln: failed to create symbolic link \'x\': Operation not permitted\n' 1
cmd 'ln -s ../outside y; ln -s .. z; ls'
result "links out refused" $'file.txt\nplanted_abs\nplanted_out\nsub\n' \
  $'ln: failed to create symbolic link \'y\': Operation not permitted\nln: failed to create symbolic link \'z\': Operation not permitted\n' 0
cmd 'cat planted_out/secret.txt planted_abs ../outside/secret.txt '"$root"'/outside/secret.txt'
jqt "planted links and paths out" '.structuredContent.exit_code == 1 and .structuredContent.stdout == "" and (.structuredContent.stderr | split("\n") | length) == 5'
cmd 'cp ../outside/secret.txt .; cp file.txt ../outside/; mv file.txt ../outside/; rm -rf ../outside; echo x > /tmp/x; touch ../outside/secret.txt; mkdir ../outside/d; ls'
jqt "writes out refused" '(.structuredContent.stdout == "file.txt\nplanted_abs\nplanted_out\nsub\n") and (.structuredContent.stderr | test("Permission denied") ) and (.structuredContent.stderr | test("secret|outside"))'
cmd 'sh -c "cat /etc/hostname"; bash -c "cd /; pwd"; env cat /etc/shadow; xargs cat <<< /etc/passwd; /bin/cat /etc/passwd'
jqt "through sh, bash, env, xargs, /bin" '.structuredContent.stdout == "'"$ws"'\n" and (.structuredContent.stderr | test("etc/passwd.*outside"))'
cmd 'python3 -c "print(1)"; /usr/bin/python3; ./nope.sh'
jqt "no other programs" '.structuredContent.exit_code == 127 and (.structuredContent.stderr | test("python3: command not available in the sandbox"))'

after=$(snapshot)
[ "$before" = "$after" ] || fail "outside the workspace something was read or changed:
$(diff <(echo "$before") <(echo "$after"))"
# every file the shell opened or changed is inside the workspace
bad=$(jq -r --arg w "$ws" 'select((.event == "fs.open" or .event == "fs.change") and .host_path != null and
  (.host_path | (. == $w or startswith($w + "/")) | not)) | .host_path' "$tmp/audit.log")
[ -z "$bad" ] || fail "the audit log shows host paths outside the workspace: $bad"
grep -q '"event":"fs.deny"' "$tmp/audit.log" || fail "no refusal was audited"
lo=$(leads_out "$ws" | grep -v '^planted_')
[ -z "$lo" ] || fail "links in the workspace lead out: $lo"
keep_audit "$tmp/audit.log"

# ---- the run's limits -----------------------------------------------------------------
cmd ':(){ :|:& };:'
jqt "fork bomb" '.is_error == true and .structuredContent.exit_code == 2 and (.structuredContent.error | test("maximum nesting depth exceeded"))'
start=$(date +%s%N)
cmd 'yes' --timeout 1000
[ "$rc" = 1 ] && tool_error "endless yes" "shell: stopped by a limit: timeout after 1000 ms" &&
  [ "$(jq -r .limit <<<"$meta")" = timeout ] || fail "endless yes: rc $rc, $meta"
cmd 'yes > /dev/null & sleep 1000' --timeout 1000
[ "$rc" = 1 ] && [ "$(jq -r .limit <<<"$meta")" = timeout ] || fail "endless yes in the background: rc $rc, $meta"
cmd 'sleep 1000' --timeout 1000
tool_error "sleep 1000" "shell: stopped by a limit: timeout after 1000 ms"
cmd 'while :; do :; done' --fuel 100000000
tool_error "endless loop" "shell: stopped by a limit: out of fuel"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -lt 60000 ] || fail "the limits took ${elapsed} ms to stop four runs"
cmd 'x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done; echo after' --max-memory 512M
jqt "a string doubling forever" '.structuredContent.exit_code == 1 and (.structuredContent.stderr | test("longer than 64 MiB"))'
cmd 'x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done' --max-memory 64M
jqt "out of memory" '.is_error == true and (.content[0].text | test("ran out of memory"))'

[ "$fails" -eq 0 ] && echo "shell_tool: ok" || { echo "shell_tool: $fails failure(s)"; exit 1; }
