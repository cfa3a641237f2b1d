#!/usr/bin/env bash
# The shell's curl and wget (tools/guest/shell/utils/curl.c, wget.c) end to end: the shell
# tool through `wasmbox run`, against tests/tools/curl_test_server.py on
# 127.0.0.1, inside a fresh network namespace (unshare -n) with only
# loopback up, so nothing else is reachable whatever curl or the host does.
# Expected outputs are written by hand (curl 7.88's, where the sandbox
# does not differ). Refusals are proven by the server's log: no request.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${WB_CURL_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "shell_curl.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  exec unshare -n env WB_CURL_NETNS=1 bash "$here/shell_curl.sh" "$build"
fi
ip link set lo up || { echo "shell_curl.sh: cannot bring up lo in the namespace"; exit 1; }

wb=$(cd "$build" && pwd)/wasmbox
tool=$(cd "$build" && pwd)/tools/shell.wasm
for f in "$wb" "$tool"; do
  [ -e "$f" ] || { echo "FAIL shell_curl: $f is missing (make e2e builds it)"; exit 1; }
done
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
fails=0 n=0
fail() { echo "FAIL shell_curl: $*"; fails=$((fails + 1)); }

: >"$T/server.log"
python3 "$here/../tools/curl_test_server.py" "$T/port" "$T/server.log" 2>"$T/server.err" &
server_pid=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || { echo "FAIL shell_curl: the test server did not start"; exit 1; }
PORT=$(cat "$T/port")
URL=http://127.0.0.1:$PORT
ws=$T/ws
mkdir "$ws"

# sh CMD [wasmbox run flags...]: runs CMD in the shell tool with the server
# allowed; sets $out, $err, $rc (the command's), $raw (the result JSON).
sh() {
  local cmd=$1
  shift
  jq -n --arg c "$cmd" '{command: $c}' >"$T/in"
  raw=$("$wb" run --dir "$ws::$ws" --env "PWD=$ws" --timeout 60000 --allow-host "$URL" \
    --audit "$T/audit.log" "$@" "$tool" <"$T/in" 2>"$T/wb.err")
  out=$(jq -r '.structuredContent.stdout' <<<"$raw" 2>/dev/null)
  err=$(jq -r '.structuredContent.stderr' <<<"$raw" 2>/dev/null)
  rc=$(jq -r '.structuredContent.exit_code' <<<"$raw" 2>/dev/null)
}
# expect NAME CMD STDOUT STDERR EXIT [flags...]
expect() {
  local name=$1 cmd=$2 want_out=$3 want_err=$4 want_rc=$5
  shift 5
  n=$((n + 1))
  sh "$cmd" "$@"
  if [ "$out" != "$want_out" ] || [ "$err" != "$want_err" ] || [ "$rc" != "$want_rc" ]; then
    fail "$name: $cmd"
    diff <(printf '%s\n' "$want_out" "--- stderr" "$want_err" "--- exit $want_rc") \
      <(printf '%s\n' "$out" "--- stderr" "$err" "--- exit $rc") | sed 's/^/    /'
    [ -s "$T/wb.err" ] && sed 's/^/    wasmbox: /' "$T/wb.err"
  fi
}
requests_for() { grep -c " $1\$" "$T/server.log"; }

# ---- plain transfers --------------------------------------------------------
expect get "curl $URL/hello" "hello" "" 0
expect get-noscheme "curl 127.0.0.1:$PORT/hello" "hello" "" 0
expect silent "curl -s $URL/hello" "hello" "" 0
expect two-urls "curl -s $URL/hello $URL/file.txt" "hello
a file" "" 0
expect pipe "curl -s $URL/hello | wc -c" "6" "" 0
expect output "curl -s -o got.txt $URL/file.txt && cat got.txt" "a file" "" 0
expect remote-name "curl -sO $URL/file.txt && cat file.txt" "a file" "" 0
expect remote-name-none "curl -sSO $URL/" "" "curl: (23) Failed writing received data to disk/application" 23
expect output-dir-missing "curl -o no/such/f $URL/hello" "" "Warning: Failed to open the file no/such/f: No such file or directory
curl: (23) Failure writing output to destination" 23
expect create-dirs "curl -s --create-dirs -o a/b/c.txt $URL/hello && cat a/b/c.txt" "hello" "" 0

# ---- status, -f, -i, -I, -w ---------------------------------------------------
expect status-404 "curl -s $URL/status/404; echo \$?" "status 404
0" "" 0
expect fail "curl -f $URL/status/404" "" "curl: (22) The requested URL returned error: 404" 22
expect fail-silent "curl -sf $URL/status/404" "" "" 22
expect fail-show "curl -sSf $URL/status/500" "" "curl: (22) The requested URL returned error: 500" 22
expect fail-body "curl -s --fail-with-body $URL/status/404" "status 404" "" 22
expect fail-ok "curl -sf $URL/hello" "hello" "" 0
expect http-code "curl -s -o /dev/null -w '%{http_code}\n' $URL/status/418" "418" "" 0
expect write-out "curl -s -o /dev/null -w '%{http_code} %{content_type} %{size_download} %{method} %{scheme} %{exitcode}|%{errormsg}|%header{content-type}\n' $URL/hello" \
  "200 text/plain 6 GET HTTP 0||text/plain" "" 0
expect write-out-error "curl -s -w '%{http_code} %{exitcode} %{url_effective}\n' http://127.0.0.1:1/x" \
  "000 7 http://127.0.0.1:1/x" "" 7 --allow-host http://127.0.0.1:1
expect write-out-unknown "curl -s -o /dev/null -w '%{nope}x\t%%\n' $URL/hello" "x	%" \
  "curl: unknown --write-out variable: 'nope'" 0
expect include "curl -si $URL/hello | tr -d '\r'" "HTTP/1.1 200 OK
Content-Type: text/plain
Content-Length: 6

hello" "" 0
expect head "curl -sI $URL/hello | tr -d '\r'" "HTTP/1.1 200 OK
Content-Type: text/plain
Content-Length: 6" "" 0
expect dump-header "curl -s -D h.txt $URL/hello && tr -d '\r' < h.txt | head -1" "hello
HTTP/1.1 200 OK" "" 0

# ---- redirects: without -L the 3xx as it is; with -L the host follows ----------
expect no-follow "curl -s -w '%{http_code} %{redirect_url}\n' $URL/redirect/1" "moved
302 $URL/redirect/0" "" 0
expect follow "curl -sL -w '%{http_code} %{url_effective}\n' $URL/redirect/2" "hello
200 $URL/hello" "" 0
expect max-redirs "curl -sSL --max-redirs 1 $URL/redirect/3" "" "curl: (47) Maximum (1) redirects followed" 47
# (the Content-Type curl adds for -d stays on the GET: the host follows)
expect see-other "curl -sL -d x=1 $URL/see-other" "method=GET
body=
content-type=application/x-www-form-urlencoded" "" 0

# ---- request methods, data, headers -------------------------------------------------
expect post "curl -s -d 'a=1' -d 'b=2' $URL/echo" "method=POST
body=a=1&b=2
content-type=application/x-www-form-urlencoded" "" 0
expect data-file "printf 'x=1\ny=2\n' > d.txt; curl -s -d @d.txt $URL/echo" "method=POST
body=x=1y=2
content-type=application/x-www-form-urlencoded" "" 0
expect data-binary "printf 'x=1\ny=2\n' > d.txt; curl -s --data-binary @d.txt $URL/echo" "method=POST
body=x=1
y=2

content-type=application/x-www-form-urlencoded" "" 0
expect data-raw "curl -s --data-raw @notafile $URL/echo" "method=POST
body=@notafile
content-type=application/x-www-form-urlencoded" "" 0
expect data-missing "curl -s -d @nofile $URL/echo" "method=POST
body=
content-type=application/x-www-form-urlencoded" "" 0
expect data-missing-warn "curl -d @nofile -o /dev/null $URL/echo" "" \
  'Warning: Couldn'"'"'t read data from file "nofile", this makes an empty POST.' 0
expect urlencode "curl -s --data-urlencode 'q=a b&c' --data-urlencode '=x/y' $URL/echo" "method=POST
body=q=a+b%26c&x%2Fy
content-type=application/x-www-form-urlencoded" "" 0
expect get-data "curl -s -G -d q=1 -w '%{url_effective}\n' $URL/echo" "method=GET
body=
$URL/echo?q=1" "" 0
expect json "curl -s --json '{\"a\":1}' $URL/echo" 'method=POST
body={"a":1}
content-type=application/json' "" 0
expect put "curl -s -X PUT -d v $URL/echo" "method=PUT
body=v
content-type=application/x-www-form-urlencoded" "" 0
expect delete "curl -s -X DELETE $URL/echo" "method=DELETE
body=" "" 0
expect upload-missing "curl -s -T nofile $URL/echo" "" "curl: Can't open 'nofile'!
curl: try 'curl --help' or 'curl --manual' for more information" 26
expect upload "echo up > u.txt; curl -s -T u.txt $URL/echo" "method=PUT
body=up" "" 0
expect headers "curl -s -H 'X-One: 1' -H 'Accept:' -A agent/1 -e http://ref/ -u user:pw -b 'c=1' '$URL/headers?only=accept,authorization,cookie,referer,user-agent,x-one'" \
  "authorization: Basic dXNlcjpwdw==
cookie: c=1
referer: http://ref/
user-agent: agent/1
x-one: 1" "" 0
expect header-file "printf 'X-A: 1\r\nX-B: 2\n' > h.txt; curl -s -H @h.txt '$URL/headers?only=x-a,x-b'" "x-a: 1
x-b: 2" "" 0
expect header-file-missing "curl -H @nofile -o /dev/null $URL/hello" "" "Warning: Failed to open nofile!" 0
expect default-headers "curl -s '$URL/headers?only=accept,user-agent,content-type'" "accept: */*
user-agent: curl/7.88.1" "" 0
expect userinfo "curl -s http://me:secret@127.0.0.1:$PORT/headers?only=authorization" "authorization: Basic bWU6c2VjcmV0" "" 0
expect host-header "curl -H 'Host: evil' $URL/hello" "hello" \
  "curl: warning: the Host header is set by the sandbox; 'Host: evil' was not sent" 0

# ---- --compressed: the shell inflates gzip and deflate ---------------------------
want=$(for i in $(seq 200); do echo "compressed hello"; done)
expect gzip "curl -s --compressed $URL/gzip" "$want" "" 0
expect deflate "curl -s --compressed $URL/deflate" "$want" "" 0
expect gzip-accept "curl -s --compressed $URL/headers?only=accept-encoding" "accept-encoding: deflate, gzip" "" 0
sh "curl -sS --compressed $URL/badgzip"
n=$((n + 1))
[ "$rc" = 61 ] && [[ $err == "curl: (61) Error while processing content unencoding: "* ]] ||
  fail "badgzip: rc=$rc err=$err"

# ---- the pipelines agents write ------------------------------------------------
expect curl-tar "curl -sSfL $URL/archive.tgz | tar xzf - && cat pkg/README && curl -s $URL/archive.tgz | tar tz" "read me
pkg/README
pkg/bin/run.sh" "" 0
expect curl-json "curl -s $URL/json | tr -d ' '" '{"ok":true}' "" 0

# ---- failures and the policy ------------------------------------------------------
: >"$T/server.log"
expect refused "curl http://127.0.0.2:$PORT/hello" "" \
  "curl: (7) Failed to connect to 127.0.0.2 port $PORT: refused by the sandbox's policy: http://127.0.0.2:$PORT is not in allowed_outbound_hosts (add 'http://127.0.0.2:$PORT' to allowed_outbound_hosts, or pass --allow-host http://127.0.0.2:$PORT)" 7
expect refused-silent "curl -s http://example.com/" "" "" 7
[ -s "$T/server.log" ] && fail "a refused request reached the server: $(cat "$T/server.log")"
expect connect-refused-code "curl -s -w '%{exitcode}\n' http://127.0.0.1:1/" "7" "" 7 --allow-host http://127.0.0.1:1
sh "curl -sS http://127.0.0.1:1/" --allow-host http://127.0.0.1:1
n=$((n + 1))
[ "$rc" = 7 ] && [[ $err == "curl: (7) Failed to connect to 127.0.0.1 port 1 after "*" ms: Couldn't connect to server" ]] ||
  fail "connect refused: rc=$rc err=$err"
sh "curl -sS -m 1 $URL/slow"
n=$((n + 1))
[ "$rc" = 28 ] && [[ $err == "curl: (28) Operation timed out after "*" milliseconds with 0 bytes received" ]] ||
  fail "max-time: rc=$rc err=$err"
expect data-too-big "curl -sS -d @/dev/zero $URL/echo" "" "curl: (26) Failed to open/read local data from file/application: /dev/zero is over the 16 MiB a request body may have in the sandbox" 26
expect bad-header "curl -sS -H \"X: \$(printf 'a\rb')\" $URL/hello" "" "curl: (43) A libcurl function was given a bad argument: wasmbox: wasmbox_http.request: header line 3 does not end with CRLF" 43
expect long-url "curl -sS $URL/\$(head -c 9000 /dev/zero | tr '\\0' a)" "" "curl: (3) URL using bad/illegal format or missing URL: wasmbox: wasmbox_http.request: the URL must be 1 to 8192 bytes long" 3
expect scheme "curl -sS file:///etc/passwd" "" 'curl: (1) Protocol "file" not supported or disabled in libcurl' 1
expect retry "curl -s --retry 2 -w '%{http_code}\n' -o /dev/null $URL/status/503" "503" "" 0
[ "$(requests_for /status/503)" = 3 ] || fail "retry: $(requests_for /status/503) requests, want 3"

# ---- wget (the log's dates replaced by DATE before comparing) -----------------
expect_wget() {
  local name=$1 cmd=$2 want_out=$3 want_err=$4 want_rc=$5
  shift 5
  n=$((n + 1))
  sh "$cmd" "$@"
  err=$(sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/DATE/g' <<<"$err")
  if [ "$out" != "$want_out" ] || [ "$err" != "$want_err" ] || [ "$rc" != "$want_rc" ]; then
    fail "$name: $cmd"
    diff <(printf '%s\n' "$want_out" "--- stderr" "$want_err" "--- exit $want_rc") \
      <(printf '%s\n' "$out" "--- stderr" "$err" "--- exit $rc") | sed 's/^/    /'
  fi
}
expect_wget wget-stdout "wget -q -O - $URL/hello; wget -qO- $URL/file.txt" "hello
a file" "" 0
rm -f "$ws"/file.txt*
expect_wget wget-names "wget -q $URL/file.txt && wget -q $URL/file.txt && cat file.txt.1 && ls file.txt*" "a file
file.txt
file.txt.1" "" 0
rm -f "$ws"/file.txt*
expect_wget wget-log "wget $URL/hello && cat hello" "hello" "--DATE--  $URL/hello
Connecting to 127.0.0.1:$PORT... connected.
HTTP request sent, awaiting response... 200 OK
Length: 6 [text/plain]
Saving to: ‘hello’

DATE - ‘hello’ saved [6/6]" 0
expect_wget wget-nv "wget -nv -O got $URL/file.txt" "" "DATE URL:$URL/file.txt [7/7] -> \"got\" [1]" 0
expect_wget wget-404 "wget $URL/status/404" "" "--DATE--  $URL/status/404
Connecting to 127.0.0.1:$PORT... connected.
HTTP request sent, awaiting response... 404 Not Found
DATE ERROR 404: Not Found." 8
expect_wget wget-404-quiet "wget -q $URL/status/404" "" "" 8
expect_wget wget-refused "wget http://127.0.0.1:1/" "" "--DATE--  http://127.0.0.1:1/
Connecting to 127.0.0.1:1... failed: Connection refused." 4 --allow-host http://127.0.0.1:1
expect_wget wget-policy "wget -O x http://127.0.0.2:$PORT/" "" "--DATE--  http://127.0.0.2:$PORT/
Connecting to 127.0.0.2:$PORT... failed: refused by the sandbox's policy: wasmbox: refused outbound connection to http://127.0.0.2:$PORT: not in allowed_outbound_hosts (add 'http://127.0.0.2:$PORT' to allowed_outbound_hosts, or pass --allow-host http://127.0.0.2:$PORT)" 4
expect_wget wget-redirect "wget -qO- $URL/redirect/2" "hello" "" 0
expect_wget wget-post "wget -qO- --post-data 'a=1' $URL/echo" "method=POST
body=a=1
content-type=application/x-www-form-urlencoded" "" 0
expect_wget wget-no-url "wget -q" "" "wget: missing URL
Usage: wget [OPTION]... [URL]...

Try \`wget --help' for more options." 1

# ---- every hop is audited ------------------------------------------------------------
sh "curl -sL $URL/redirect/1"
hops=$(jq -r 'select(.event == "net.connect") | .url' "$T/audit.log" | tail -3)
[ "$hops" = "$URL/redirect/1
$URL/redirect/0
$URL/hello" ] || fail "audit: the hops were $hops"
keep_audit "$T/audit.log"

echo "shell_curl: $n cases, $fails failed"
[ $fails = 0 ]
