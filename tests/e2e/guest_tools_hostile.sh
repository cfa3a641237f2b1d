#!/usr/bin/env bash
# Hostile inputs to every built-in tool (and the example): empty, malformed
# and truncated JSON, invalid UTF-8, duplicate keys, nesting a million deep,
# input over 16 MiB, every field of the wrong type, NUL in a path, paths and
# patterns too long, brace bombs, a file name that is not UTF-8, and mutated
# inputs; for grep also regexes built to explode a backtracking engine,
# which must finish in linear time (measured in fuel, not time). Each call
# exits 0 with a well-formed error result (a valid JSON object whose one
# text item says what is wrong); none crashes or hangs.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
. "$(dirname "$0")/lib/tools.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL guest_tools_hostile: $*"; fails=$((fails + 1)); }
ws=$(cd "$tmp" && pwd -P)/ws
mkdir "$ws"
echo text >"$ws/file.txt"
all_tools="read write edit glob grep example"

# well_formed FILE: FILE is one JSON object with
# content [{type: text, text: string}] and a boolean is_error.
well_formed() {
  jq -e '(keys == ["content", "is_error"]) and (.is_error | type == "boolean") and
         (.content | length == 1) and (.content[0] | keys == ["text", "type"] and .type == "text" and (.text | type == "string"))' \
    "$1" >/dev/null 2>&1
}
# rejects NAME TOOL INPUT-FILE MESSAGE: an error result with exactly MESSAGE.
rejects() {
  local name=$1 tool=$2 input=$3 want=$4
  call_tool "$tool" "$(tool_mode "$tool")" "$ws" <"$input" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 0 ] || { fail "$name ($tool): exit $rc: $(head -c 300 "$tmp/err")"; return; }
  well_formed "$tmp/out" || { fail "$name ($tool): malformed result: $(head -c 300 "$tmp/out")"; return; }
  local got; got=$(jq -c '[.is_error, .content[0].text]' "$tmp/out")
  [ "$got" = "$(jq -cn --arg m "$want" '[true, $m]')" ] || fail "$name ($tool): got $got, want [true, $(jq -cn --arg m "$want" '$m')]"
}
input() { printf "$@" >"$tmp/in"; echo "$tmp/in"; }

for t in $all_tools; do
  rejects empty "$t" "$(input '')" "input: not valid JSON: offset 0: empty input, expected a JSON value"
  rejects blank "$t" "$(input ' \n\t')" "input: not valid JSON: offset 3: empty input, expected a JSON value"
  rejects truncated "$t" "$(input '{"file_path": ')" \
    "input: not valid JSON: offset 14: unexpected end of input, expected a value"
  rejects single-quotes "$t" "$(input "{'file_path': 'a'}")" \
    "input: not valid JSON: offset 1: expected a string key in an object"
  rejects invalid-utf8 "$t" "$(input '{"file_path": "\xff\xfe"}')" \
    "input: not valid JSON: offset 15: invalid UTF-8 in a string"
  rejects overlong-utf8 "$t" "$(input '{"text": "\xc0\xaf"}')" "input: not valid JSON: offset 10: invalid UTF-8 in a string"
  rejects lone-surrogate "$t" "$(input '{"text": "\\ud800"}')" \
    "input: not valid JSON: offset 10: high surrogate in a \\u escape not followed by a low one"
  rejects duplicate-key "$t" "$(input '{"pattern": "a", "pattern": "b"}')" \
    "input: not valid JSON: offset 0: duplicate key \"pattern\" in an object"
  rejects not-object "$t" "$(input 'null')" "input: expected a JSON object, got null"
  rejects trailing-data "$t" "$(input '{} {}')" "input: not valid JSON: offset 3: unexpected data after the JSON value"
  head -c 1000000 /dev/zero | tr '\0' '[' >"$tmp/deep"
  rejects deep "$t" "$tmp/deep" "input: not valid JSON: offset 64: nested too deeply (more than 64 levels)"
  { printf '{"text": "'; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/huge"
  rejects huge "$t" "$tmp/huge" \
    "input: larger than 16777216 bytes (16 MiB); send less (e.g. write a large file in parts)"
  head -c 65536 /dev/urandom >"$tmp/noise"
  call_tool "$t" "$(tool_mode "$t")" "$ws" <"$tmp/noise" >"$tmp/out" 2>"$tmp/err" || fail "noise ($t): exit $?"
  well_formed "$tmp/out" && [ "$(jq -r '.is_error, (.content[0].text | startswith("input: "))' "$tmp/out" | tr '\n' ' ')" = "true true " ] ||
    fail "noise ($t): $(head -c 300 "$tmp/out")"
done

# every field of the wrong type: each tool names its own, in order, then
# refuses the fields it does not take
wrong=$(input '{"file_path": {}, "offset": "1", "limit": [], "content": 5, "old_string": 1, "new_string": null, "replace_all": "x", "pattern": true, "path": 2, "text": 3}')
unknown() { # TAKES FIELD...: the unknown-field lines
  local takes=$1; shift
  for f in "$@"; do printf '\n%s: unknown field (this tool takes: %s)' "$f" "$takes"; done
}
rejects wrong-types read "$wrong" "file_path: expected a string, got an object
offset: expected an integer, got a string
limit: expected an integer, got an array$(unknown "file_path, offset, limit" content old_string new_string replace_all pattern path text)"
rejects wrong-types write "$wrong" "file_path: expected a string, got an object
content: expected a string, got a number$(unknown "file_path, content" offset limit old_string new_string replace_all pattern path text)"
rejects wrong-types edit "$wrong" "file_path: expected a string, got an object
old_string: expected a string, got a number
new_string: expected a string, got null
replace_all: expected true or false, got a string$(unknown "file_path, old_string, new_string, replace_all" offset limit content pattern path text)"
rejects wrong-types glob "$wrong" "pattern: expected a string, got a boolean
path: expected a string, got a number$(unknown "pattern, path" file_path offset limit content old_string new_string replace_all text)"
rejects wrong-types grep "$wrong" "pattern: expected a string, got a boolean
path: expected a string, got a number
offset: expected an integer, got a string$(unknown "pattern, path, glob, type, output_mode, context, -C, -A, -B, case_insensitive, -i, show_line_numbers, -n, head_limit, offset, multiline" file_path limit content old_string new_string replace_all text)"
rejects wrong-types example "$wrong" "file_path: expected a string, got an object
text: expected a string, got a number$(unknown "file_path, text" offset limit content old_string new_string replace_all pattern path)"

# paths: NUL, too long; patterns: too long, brace bombs, too many segments
nul='"file_path": "file.txt\\u0000.png"'
rejects nul-path read "$(input "{$nul}")" "file_path: contains a NUL character"
rejects nul-path write "$(input "{$nul, \"content\": \"\"}")" "file_path: contains a NUL character"
rejects nul-path edit "$(input "{$nul, \"old_string\": \"a\", \"new_string\": \"b\"}")" "file_path: contains a NUL character"
rejects nul-path example "$(input "{$nul}")" "file_path: contains a NUL character"
for t in read write edit example; do
  { printf '{"file_path": "'; head -c 5000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/longpath"
  want="file_path: longer than 4096 bytes"
  case $t in
    write) want="$want
content: required, missing (expected a string)" ;;
    edit) want="$want
old_string: required, missing (expected a string)
new_string: required, missing (expected a string)" ;;
  esac
  rejects long-path "$t" "$tmp/longpath" "$want"
done
rejects nul-path glob "$(input '{"pattern": "*", "path": "a\\u0000"}')" "path: contains a NUL character"
{ printf '{"pattern": "'; head -c 5000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/longpattern"
rejects long-pattern glob "$tmp/longpattern" "pattern: longer than 4096 bytes"
rejects nul-pattern glob "$(input '{"pattern": "*\\u0000"}')" "pattern: contains a NUL character"
rejects brace-bomb glob "$(input '{"pattern": "{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}"}')" \
  "pattern: its braces expand to more than 256 patterns"
rejects many-segments glob "$(input "{\"pattern\": \"$(for _ in $(seq 70); do printf '*/'; done)x\"}")" \
  "pattern: more than 64 path segments"

# grep: NUL and size limits of its strings, brace bombs in its glob, regexes
# past the engine's limits, values out of range
rejects nul-path grep "$(input '{"pattern": "x", "path": "a\\u0000"}')" "path: contains a NUL character"
rejects nul-glob grep "$(input '{"pattern": "x", "glob": "*\\u0000"}')" "glob: contains a NUL character"
{ printf '{"pattern": "x", "glob": "'; head -c 5000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/longglob"
rejects long-glob grep "$tmp/longglob" "glob: longer than 4096 bytes"
{ printf '{"pattern": "'; head -c 70000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/longpattern"
rejects long-pattern grep "$tmp/longpattern" "pattern: longer than 65536 bytes; split the search"
rejects brace-bomb grep "$(input '{"pattern": "x", "glob": "{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}"}')" \
  "glob '{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}': its braces make more than 256 patterns to try (or one longer than 1 KiB); split the search"
rejects repeat-bomb grep "$(input '{"pattern": "a{1000}{1000}"}')" \
  "pattern: invalid at offset 0: pattern too large: it compiles to more than 100000 instructions (counted repetitions multiply: a{1000}{1000} is a million copies of a)"
rejects too-deep grep "$(input "{\"pattern\": \"$(printf '(%.0s' $(seq 300))x$(printf ')%.0s' $(seq 300))\"}")" \
  "pattern: invalid at offset 250: pattern nests groups more than 250 deep"
rejects negative-context grep "$(input '{"pattern": "x", "-C": -1, "head_limit": 1e12}')" "-C: must be from 0 to 1000000000, got -1
head_limit: must be from 0 to 1000000000, got 1000000000000"

# a file name that is not UTF-8 comes out as U+FFFD, in valid JSON
: >"$ws/bad$(printf '\xff')name.c"
call_tool glob ro "$ws" <<<'{"pattern": "*.c"}' >"$tmp/out" 2>"$tmp/err"
[ "$(jq -r '.content[0].text' "$tmp/out")" = "$ws/bad$(printf '\xef\xbf\xbd')name.c" ] || fail "non-UTF-8 name: $(head -c 300 "$tmp/out")"

printf 'needle\n' >"$ws/g$(printf '\xfe')x.txt"
call_tool grep ro "$ws" <<<'{"pattern": "needle"}' >"$tmp/out" 2>"$tmp/err"
[ "$(jq -r '.content[0].text' "$tmp/out")" = "Found 1 file
g$(printf '\xef\xbf\xbd')x.txt" ] || fail "non-UTF-8 name (grep): $(head -c 300 "$tmp/out")"

# Regexes built to explode a backtracking engine, on a line of 200 KB and
# of 400 KB, with the bridge's default fuel for a tool (10^11): each search
# ends with its answer, uses under 1% of that fuel (the 30 s default
# timeout is never near), and twice the text costs about twice the fuel
# (linear, not exponential or quadratic).
{ head -c 200000 /dev/zero | tr '\0' a; printf 'b\n'; } >"$ws/a200.txt"
{ head -c 400000 /dev/zero | tr '\0' a; printf 'b\n'; } >"$ws/a400.txt"
for case in '(a+)+$:0' '(a|a)*b:1' '(a*)*b$:1' '^(a|aa)+$:0' '(a|a?)+$:1' '(?i)(A+)+$:0' '(a+)+$:0:true'; do
  IFS=: read -r pattern hits multiline <<<"$case"
  used=()
  for f in a200.txt a400.txt; do
    want="No matches found (searched 1 file)"
    [ "$hits" = 1 ] && want="Found 1 matching line in 1 file
$f:1"
    jq -cn --arg p "$pattern" --arg f "$f" --argjson m "${multiline:-false}" \
      '{pattern: $p, path: $f, output_mode: "count", multiline: $m}' >"$tmp/in"
    call_tool grep ro "$ws" --fuel 100000000000 --report "$tmp/report" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" ||
      { fail "hostile regex $pattern on $f: exit $?: $(head -c 300 "$tmp/err")"; continue; }
    [ "$(jq -r '.content[0].text' "$tmp/out")" = "$want" ] || fail "hostile regex $pattern on $f: $(head -c 300 "$tmp/out")"
    used+=("$(jq -r .fuel_used "$tmp/report")")
  done
  [ ${#used[@]} = 2 ] || continue
  [ "${used[0]}" -lt 1000000000 ] && [ "${used[1]}" -lt 1000000000 ] ||
    fail "hostile regex $pattern: fuel ${used[0]} (200 KB), ${used[1]} (400 KB): not under 10^9"
  [ $((used[1] * 10)) -le $((used[0] * 23)) ] ||
    fail "hostile regex $pattern: fuel ${used[0]} for 200 KB but ${used[1]} for 400 KB: not linear"
done

# mutated inputs: one byte changed at a time; a result every time
valid='{"file_path": "file.txt", "offset": 1, "limit": 5, "content": "abc", "old_string": "text", "new_string": "x", "pattern": "*.txt", "text": "a b"}'
i=0
for t in $all_tools; do
  for _ in $(seq 20); do
    i=$((i + 1))
    pos=$(((i * 7919) % ${#valid}))
    byte=$(((i * 37) % 255 + 1))
    { printf '%s' "${valid:0:pos}"; printf "\\x$(printf %02x $byte)"; printf '%s' "${valid:pos+1}"; } >"$tmp/mut"
    echo text >"$ws/file.txt"
    call_tool "$t" "$(tool_mode "$t")" "$ws" <"$tmp/mut" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc != 0 ] || ! jq -e '(.is_error | type == "boolean") and (.content | type == "array")' "$tmp/out" >/dev/null 2>&1; then
      fail "mutation $i ($t, byte $byte at $pos): exit $rc: $(head -c 200 "$tmp/out") $(head -c 200 "$tmp/err")"
    fi
  done
done

[ $fails = 0 ] && echo "guest_tools_hostile: ok"
[ $fails = 0 ]
