#!/usr/bin/env bash
# Hostile inputs to every built-in tool (and the example): empty, malformed
# and truncated JSON, invalid UTF-8, duplicate keys, nesting a million deep,
# input over 16 MiB, every field of the wrong type, NUL in a path, paths and
# patterns too long, brace bombs, a file name that is not UTF-8, and mutated
# inputs; for grep also regexes built to explode a backtracking engine,
# which must finish in linear time (measured in fuel, not time). Each call
# (through the tool bridge, lib/tools.sh) exits 1 with a well-formed error
# result (a valid JSON object whose one text item says what is wrong): the
# bridge's words when the input is not JSON or breaks the tool's
# input_schema, the tool's own otherwise; none crashes or hangs.
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
  jq -e '(keys - ["meta"] == ["content", "is_error"]) and (.is_error | type == "boolean") and
         (.content | length == 1) and (.content[0] | keys == ["text", "type"] and .type == "text" and (.text | type == "string"))' \
    "$1" >/dev/null 2>&1
}
# rejects NAME TOOL INPUT-FILE MESSAGE: an error result with exactly MESSAGE.
rejects() {
  local name=$1 tool=$2 input=$3 want=$4
  call_tool "$tool" "$(tool_mode "$tool")" "$ws" <"$input" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 1 ] || { fail "$name ($tool): exit $rc: $(head -c 300 "$tmp/err")"; return; }
  well_formed "$tmp/out" || { fail "$name ($tool): malformed result: $(head -c 300 "$tmp/out")"; return; }
  local got; got=$(jq -c '[.is_error, .content[0].text]' "$tmp/out")
  [ "$got" = "$(jq -cn --arg m "$want" '[true, $m]')" ] || fail "$name ($tool): got $got, want [true, $(jq -cn --arg m "$want" '$m')]"
}
input() { printf "$@" >"$tmp/in"; echo "$tmp/in"; }
# bad TOOL LINES: the bridge's refusal of an input (the tool not run).
bad() { printf '%s: invalid input (the tool was not run):\n%s' "$(bridge_name "$1")" "$2"; }
bridge_name() { if [ "$1" = example ]; then echo wc; else echo "$1"; fi; }

for t in $all_tools; do
  # cJSON reports where it stopped, at or just after the fault ("near")
  rejects empty "$t" "$(input '')" "$(bad "$t" "input: not valid JSON: the input is empty (expected a JSON object)")"
  rejects blank "$t" "$(input ' \n\t')" "$(bad "$t" "input: not valid JSON: the input is empty (expected a JSON object)")"
  rejects truncated "$t" "$(input '{"file_path": ')" \
    "$(bad "$t" 'input: not valid JSON (near byte 13: {"file_path": )')"
  rejects single-quotes "$t" "$(input "{'file_path': 'a'}")" \
    "$(bad "$t" "input: not valid JSON (near byte 2: {'file_pat...)")"
  rejects invalid-utf8 "$t" "$(input '{"file_path": "\xff\xfe"}')" \
    "$(bad "$t" "input: not valid JSON: invalid UTF-8 at byte 15 (JSON text is UTF-8)")"
  rejects overlong-utf8 "$t" "$(input '{"text": "\xc0\xaf"}')" "$(bad "$t" "input: not valid JSON: invalid UTF-8 at byte 10 (JSON text is UTF-8)")"
  rejects lone-surrogate "$t" "$(input '{"text": "\\ud800"}')" \
    "$(bad "$t" 'input: not valid JSON (near byte 10: {"text": "\ud800"})')"
  rejects duplicate-key "$t" "$(input '{"pattern": "a", "pattern": "b"}')" \
    "$(bad "$t" 'input: not valid JSON: duplicate key "pattern" in an object')"
  rejects not-object "$t" "$(input 'null')" "$(bad "$t" "input: must be an object (got null)")"
  rejects trailing-data "$t" "$(input '{} {}')" "$(bad "$t" "input: not valid JSON (more text after the value, at byte 3)")"
  head -c 1000000 /dev/zero | tr '\0' '[' >"$tmp/deep"
  rejects deep "$t" "$tmp/deep" "$(bad "$t" "input: not valid JSON: nested more than 64 levels deep (at byte 64)")"
  { printf '{"text": "'; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/huge"
  rejects huge "$t" "$tmp/huge" \
    "$(bad "$t" "input: larger than 16777216 bytes (16 MiB); send less (e.g. write a large file in parts)")"
  head -c 65536 /dev/urandom >"$tmp/noise"
  call_tool "$t" "$(tool_mode "$t")" "$ws" <"$tmp/noise" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc = 1 ] || fail "noise ($t): exit $rc"
  well_formed "$tmp/out" && [ "$(jq -r --arg p "$(bad "$t" "input: ")" '.is_error, (.content[0].text | startswith($p))' "$tmp/out" | tr '\n' ' ')" = "true true " ] ||
    fail "noise ($t): $(head -c 300 "$tmp/out")"
done

# every field of the wrong type: each tool names its own, in order, then
# refuses the fields it does not take
wrong=$(input '{"file_path": {}, "offset": "1", "limit": [], "content": 5, "old_string": 1, "new_string": null, "replace_all": "x", "pattern": true, "path": 2, "text": 3}')
unknown() { # TAKES FIELD...: the unknown-field lines
  local takes=$1; shift
  for f in "$@"; do printf '\n%s: unknown field (this tool takes: %s)' "$f" "$takes"; done
}
# In the input's order: the bridge checks each field against the schema.
u() { printf 'input.%s: unknown field (this tool takes: %s)' "$1" "$2"; }
takes_grep="pattern, path, glob, type, output_mode, context, -C, -A, -B, case_insensitive, -i, show_line_numbers, -n, head_limit, offset, multiline"
rejects wrong-types read "$wrong" "$(bad read "input.file_path: must be a string (got an object)
input.offset: must be an integer (got a string)
input.limit: must be an integer (got an array)
$(u content "file_path, offset, limit")
$(u old_string "file_path, offset, limit")
$(u new_string "file_path, offset, limit")
$(u replace_all "file_path, offset, limit")
$(u pattern "file_path, offset, limit")
$(u path "file_path, offset, limit")
$(u text "file_path, offset, limit")")"
rejects wrong-types write "$wrong" "$(bad write "input.file_path: must be a string (got an object)
$(u offset "file_path, content")
$(u limit "file_path, content")
input.content: must be a string (got 5)
$(u old_string "file_path, content")
$(u new_string "file_path, content")
$(u replace_all "file_path, content")
$(u pattern "file_path, content")
$(u path "file_path, content")
$(u text "file_path, content")")"
rejects wrong-types edit "$wrong" "$(bad edit "input.file_path: must be a string (got an object)
$(u offset "file_path, old_string, new_string, replace_all")
$(u limit "file_path, old_string, new_string, replace_all")
$(u content "file_path, old_string, new_string, replace_all")
input.old_string: must be a string (got 1)
input.new_string: must be a string (got null)
input.replace_all: must be true or false (got a string)
$(u pattern "file_path, old_string, new_string, replace_all")
$(u path "file_path, old_string, new_string, replace_all")
$(u text "file_path, old_string, new_string, replace_all")")"
rejects wrong-types glob "$wrong" "$(bad glob "$(u file_path "pattern, path")
$(u offset "pattern, path")
$(u limit "pattern, path")
$(u content "pattern, path")
$(u old_string "pattern, path")
$(u new_string "pattern, path")
$(u replace_all "pattern, path")
input.pattern: must be a string (got a boolean)
input.path: must be a string (got 2)
$(u text "pattern, path")")"
rejects wrong-types grep "$wrong" "$(bad grep "$(u file_path "$takes_grep")
input.offset: must be an integer (got a string)
$(u limit "$takes_grep")
$(u content "$takes_grep")
$(u old_string "$takes_grep")
$(u new_string "$takes_grep")
$(u replace_all "$takes_grep")
input.pattern: must be a string (got a boolean)
input.path: must be a string (got 2)
$(u text "$takes_grep")")"
rejects wrong-types example "$wrong" "$(bad example "input.file_path: must be a string (got an object)
$(u offset "file_path, text")
$(u limit "file_path, text")
$(u content "file_path, text")
$(u old_string "file_path, text")
$(u new_string "file_path, text")
$(u replace_all "file_path, text")
$(u pattern "file_path, text")
$(u path "file_path, text")
input.text: must be a string (got 3)")"

# paths: NUL, too long; patterns: too long, brace bombs, too many segments
nul='"file_path": "file.txt\\u0000.png"'
rejects nul-path read "$(input "{$nul}")" "file_path: contains a NUL character"
rejects nul-path write "$(input "{$nul, \"content\": \"\"}")" "file_path: contains a NUL character"
rejects nul-path edit "$(input "{$nul, \"old_string\": \"a\", \"new_string\": \"b\"}")" "file_path: contains a NUL character"
rejects nul-path example "$(input "{$nul}")" "file_path: contains a NUL character"
for t in read write edit example; do
  { printf '{"file_path": "'; head -c 5000 /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/longpath"
  # the path's length is the tool's to check; a missing field the bridge's
  want="file_path: longer than 4096 bytes"
  case $t in
    write) want=$(bad write "input.content: required, missing (expected a string)") ;;
    edit) want=$(bad edit "input.old_string: required, missing (expected a string)
input.new_string: required, missing (expected a string)") ;;
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
rejects negative-context grep "$(input '{"pattern": "x", "-C": -1, "head_limit": 1e12}')" "$(bad grep "input.-C: must be an integer from 0 to 1000000000 (got -1)
input.head_limit: must be an integer from 0 to 1000000000 (got 1000000000000)")"

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
    call_tool grep ro "$ws" --fuel 100000000000 <"$tmp/in" >"$tmp/out" 2>"$tmp/err" ||
      { fail "hostile regex $pattern on $f: exit $?: $(head -c 300 "$tmp/err")"; continue; }
    [ "$(jq -r '.content[0].text' "$tmp/out")" = "$want" ] || fail "hostile regex $pattern on $f: $(head -c 300 "$tmp/out")"
    used+=("$(jq -r .meta.fuel_used "$tmp/out")")
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
    if ! rc_matches $rc "$tmp/out" || ! jq -e '(.is_error | type == "boolean") and (.content | type == "array")' "$tmp/out" >/dev/null 2>&1; then
      fail "mutation $i ($t, byte $byte at $pos): exit $rc: $(head -c 200 "$tmp/out") $(head -c 200 "$tmp/err")"
    fi
  done
done

[ $fails = 0 ] && echo "guest_tools_hostile: ok"
[ $fails = 0 ]
