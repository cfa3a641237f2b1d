#!/usr/bin/env bash
# The web-fetch tool end to end, through lib/tools.sh's call_tool, against
# the local test server (tests/tools/net_server --docroot) in a fresh
# network namespace (unshare -n) with only loopback up: nothing else is
# reachable whatever the tool or the host does.
#
# 1. Golden cases (tests/golden/web-fetch/): CASE.json is the input,
#    CASE.expected the result written by hand, CASE.flags (optional) more
#    `wasmbox run` flags, one a line; $URL stands for the server's
#    http://127.0.0.1:PORT, whose pages are tests/golden/web-fetch/pages/
#    (NAME, and the header lines it is served with in NAME.headers). Every
#    case runs with --allow-host $URL.
# 2. Refusals sent nothing: the server's log shows no request for them.
# 3. Every hop is audited; the tool's own time limit is an error result.
# 4. Hostile pages (deep nesting, huge attributes, endless references,
#    invalid UTF-8, markup soup, 50 MB bodies) end with a clean result.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${WB_WF_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "guest_tools_webfetch.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  exec unshare -n env WB_WF_NETNS=1 bash "$here/guest_tools_webfetch.sh" "$build"
fi
ip link set lo up || { echo "guest_tools_webfetch.sh: cannot bring up lo in the namespace"; exit 1; }

wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
server=$(cd "$build" && pwd)/tests/tools/net_server
golden=$(pwd)/tests/golden/web-fetch
for f in "$wb" "$tools/web-fetch.wasm" "$server"; do
  [ -e "$f" ] || { echo "FAIL guest_tools_webfetch: $f is missing (make e2e builds it)"; exit 1; }
done
. "$here/lib/tools.sh"
T=$(mktemp -d)
. "$here/lib/keep_audit.sh"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  keep_audit_logs "$T"
  rm -rf "$T"
}
trap cleanup EXIT
fails=0 ncases=0
fail() { echo "FAIL guest_tools_webfetch: $*"; fails=$((fails + 1)); }

docroot=$T/pages
cp -a "$golden/pages" "$docroot"
: >"$T/server.log"
"$server" --port-file "$T/port" --log "$T/server.log" --docroot "$docroot" &
server_pid=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || { echo "FAIL guest_tools_webfetch: the test server did not start"; exit 1; }
URL=http://127.0.0.1:$(cat "$T/port")
ws=$T/ws # PWD for the tool; web-fetch gets no directory
mkdir "$ws"

# fetch OUT [WASMBOX RUN FLAGS...] < input: the tool's result in OUT.
fetch() {
  local out=$1
  shift
  call_tool web-fetch none "$ws" --allow-host "$URL" "$@" >"$out" 2>"$out.err"
}
sub() { sed "s|\\\$URL|$URL|g" "$@"; }

# ---- 1. golden cases ----
for input in "$golden"/*.json; do
  case=$(basename "$input" .json)
  ncases=$((ncases + 1))
  flags=()
  [ -f "${input%.json}.flags" ] && mapfile -t flags < <(sub "${input%.json}.flags")
  sub "$input" >"$T/in"
  fetch "$T/out" "${flags[@]}" <"$T/in"
  rc=$?
  want=$(sub "${input%.json}.expected")
  if ! rc_matches $rc "$T/out"; then
    fail "$case: exit $rc: $(head -c 300 "$T/out.err") $(head -c 300 "$T/out")"
  elif ! same_json "$(tool_result "$T/out")" "$want"; then
    fail "$case: result differs:"
    echo "  got:  $(head -c 1500 "$T/out")"
    echo "  want: $(jq -c . <<<"$want")"
  fi
done
[ $ncases -ge 30 ] || fail "only $ncases cases found under $golden"

# ---- 2. refused requests never reached the server ----
for path in "?blocked" "/secret.html" "/doc/./secret"; do
  if grep -qF -- "$path" "$T/server.log"; then fail "a refused request reached the server: $(grep -F -- "$path" "$T/server.log")"; fi
done
grep -qF "GET /redirect?to=http://192.0.2.7/x " "$T/server.log" ||
  fail "the hop before the refused redirect was not sent"

# ---- 3. audit and time ----
echo "{\"url\": \"$URL/redirect?to=/doc/links.html?audited\"}" >"$T/in"
fetch "$T/out" --audit "$T/audit.log" <"$T/in"
n=$(grep -c '"event":"net.connect","decision":"allow"' "$T/audit.log")
[ "$n" = 2 ] || fail "audit: $n allowed net.connect records for a fetch with one redirect, want 2"
grep -qF "\"url\":\"$URL/doc/links.html?audited\"" "$T/audit.log" || fail "audit: the redirect hop is not named"
echo "{\"url\": \"http://192.0.2.7/audited\"}" >"$T/in"
fetch "$T/out" --audit "$T/audit.log" <"$T/in"
grep -q '"event":"net.connect","decision":"refuse","url":"http://192.0.2.7/audited"' "$T/audit.log" ||
  fail "audit: the refusal is not recorded"

# timeout_seconds: an error result the tool writes (the run itself has 120 s)
echo "{\"url\": \"$URL/stallhead?wf\", \"timeout_seconds\": 1}" >"$T/in"
fetch "$T/out" <"$T/in"
rc=$?
text=$(jq -r '.content[0].text' "$T/out" 2>/dev/null)
if [ $rc != 1 ] || [ "$(jq -r .is_error "$T/out" 2>/dev/null)" != true ] ||
   [[ "$text" != "cannot fetch $URL/stallhead?wf: wasmbox: "*"total time limit ran out"*"No complete answer within timeout_seconds (1 s) or the run's own time limit." ]]; then
  fail "timeout_seconds: rc $rc, got $(head -c 400 "$T/out")"
fi

# ---- 4. hostile pages ----
python3 - "$docroot" <<'EOF'
import random, sys
d = sys.argv[1]
def page(name, body, ctype="text/html; charset=utf-8"):
    open(f"{d}/{name}", "wb").write(body)
    open(f"{d}/{name}.headers", "w").write(f"Content-Type: {ctype}\n")
page("deep.html", b"<div>" * 100000 + b"<p>deep marker</p>")
page("deeplist.html", b"<ul><li><blockquote><b>" * 30000 + b"list marker")
page("deeptable.html", b"<table><tr><td><a href=x><code>" * 20000 + b"table marker")
page("attr.html", b'<p title="' + b"a" * (5 << 20) + b'">attr marker</p><img src="' + b"b" * (3 << 20) + b'">')
page("attrs.html", b"<p" + b" a=1" * 500000 + b">many marker")
page("ents.html", b"&amp;&#x41;&bogus;&#99999999999;&" * 50000 + b"<p>ent marker</p>")
page("unclosed.html", b'<a href="' * 100000)
page("comment.html", b"<!--" + b"x" * (1 << 20))
rnd = random.Random(7)
page("random.html", bytes(rnd.randrange(256) for _ in range(1 << 20)))
alphabet = b'<<>>/!-="\' &#;abpxtdlirue\n[]*_`|'
soup = bytearray(rnd.choice(alphabet) for _ in range(2 << 20))
page("soup.html", bytes(soup))
unit = b"<p>A paragraph of filler text, <b>bold</b> and <a href='/x'>a link</a>.</p>\n"
page("big.html", unit * (1024 // len(unit) + 1))
page("zeros.bin", b"\0" * 1024, "application/octet-stream")
EOF

# hostile NAME INPUT [MARKER...]: a clean result (exit 0, the result
# object, valid JSON in valid UTF-8, not an error) holding each MARKER.
hostile() {
  local name=$1 input=$2
  shift 2
  echo "$input" | sub >"$T/in"
  fetch "$T/out" <"$T/in"
  local rc=$?
  [ $rc = 0 ] || { fail "hostile $name: exit $rc: $(tail -c 300 "$T/out.err")"; return; }
  python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$T/out" 2>/dev/null ||
    { fail "hostile $name: not valid JSON in valid UTF-8: $(head -c 300 "$T/out")"; return; }
  jq -e '(keys - ["meta"] == ["content", "is_error"]) and .is_error == false and (.content[0].text | type == "string")' \
    "$T/out" >/dev/null || { fail "hostile $name: $(head -c 400 "$T/out")"; return; }
  for m in "$@"; do
    jq -r '.content[0].text' "$T/out" | grep -qF -- "$m" || fail "hostile $name: the result lacks \"$m\""
  done
}
hostile deep '{"url": "$URL/doc/deep.html"}' "deep marker"
hostile deep-lists '{"url": "$URL/doc/deeplist.html"}' "list marker"
hostile deep-tables '{"url": "$URL/doc/deeptable.html", "extract_mode": "text"}' "table marker"
hostile huge-attributes '{"url": "$URL/doc/attr.html"}' "attr marker"
hostile many-attributes '{"url": "$URL/doc/attrs.html"}' "many marker"
hostile endless-references '{"url": "$URL/doc/ents.html", "max_chars": 1000000, "extract_mode": "text"}' "ent marker" "&&A&bogus;"
hostile unclosed-attributes '{"url": "$URL/doc/unclosed.html"}'
hostile unclosed-comment '{"url": "$URL/doc/comment.html"}' "[the page has no text content"
hostile invalid-utf8 '{"url": "$URL/doc/random.html"}' "are shown as U+FFFD]"
hostile markup-soup '{"url": "$URL/doc/soup.html"}'
# 50 MB bodies of unknown length: the first 8 MiB are read, the rest not
hostile 50MB-page '{"url": "$URL/doc/big.html?repeat=51200&close=1"}' \
  "A paragraph of filler text, **bold** and [a link]($URL/x)." \
  "[only the first 8 MiB of the response were read; it is longer]" "[content cut at 100000 characters (max_chars): "
hostile 50MB-text '{"url": "$URL/bigchunked?n=52428800", "max_chars": 5}' "xxxxx" \
  "[only the first 8 MiB of the response were read; it is longer]" \
  "[content cut at 5 characters (max_chars): 8388603 more not shown;"
# expect NAME INPUT TEXT IS_ERROR: exactly that result
expect() {
  echo "$2" | sub >"$T/in"
  fetch "$T/out" <"$T/in"
  same_json "$(tool_result "$T/out")" "$(jq -n --arg t "$3" --argjson e "$4" '{content: [{type: "text", text: $t}], is_error: $e}')" ||
    fail "$1: $(head -c 400 "$T/out")"
}
expect "50 MB binary" '{"url": "$URL/doc/zeros.bin?repeat=51200&close=1"}' \
  "$URL/doc/zeros.bin?repeat=51200&close=1 is binary data (application/octet-stream, 8388608+ bytes), not text: web-fetch reads web pages and text (HTML, plain text, JSON, XML...)" true
# a 50 MB body announced by its Content-Length: the host refuses it (over
# its 16 MiB response cap) before any of it is read
expect "50 MB announced" '{"url": "$URL/doc/big.html?repeat=51200"}' \
  "cannot fetch $URL/doc/big.html?repeat=51200: wasmbox: response from $URL/doc/big.html?repeat=51200: response body over 16777216 bytes (Content-Length: 54476800)
The response announces more than the sandbox lets a tool receive; web-fetch cannot read it." true

# hostile input JSON: the tool's arguments, not the page
# (not JSON: refused by the bridge, the tool not run)
expect "invalid UTF-8 input" "$(printf '{"url": "\xff"}')" "web-fetch: invalid input (the tool was not run):
input: not valid JSON: invalid UTF-8 at byte 9 (JSON text is UTF-8)" true
expect "long url" "{\"url\": \"http://h/$(head -c 20000 /dev/zero | tr '\0' a)\"}" "url: longer than 8192 bytes" true
expect "NUL in url" '{"url": "http://h/\u0000"}' "url: contains a NUL character" true

[ $fails = 0 ] && echo "guest_tools_webfetch: ok ($ncases golden cases, hostile pages, refusals, audit)"
[ $fails = 0 ]
