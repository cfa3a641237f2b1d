#!/usr/bin/env bash
# End-to-end tests of net/'s client against local HTTP/HTTPS test servers.
#
# Runs inside a fresh network namespace (unshare -n) with only loopback up,
# so nothing here can reach any other network whatever the code does. Every
# address used is in 127.0.0.0/8 or ::1. Certificates are made at test time
# with the openssl command. The test servers log each request they receive,
# which is how refused hops are shown to have sent nothing.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${WB_NET_NETNS:-}" ]; then
  if ! unshare -n -m true 2>/dev/null; then
    echo "net_client.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  # -m as well: the DNS time limit test mounts its own resolv.conf
  exec unshare -n -m env WB_NET_NETNS=1 bash "$here/net_client.sh" "$build"
fi
ip link set lo up || { echo "net_client.sh: cannot bring up lo in the namespace"; exit 1; }

fetch=$build/tests/tools/net_fetch
server=$build/tests/tools/net_server
for b in "$fetch" "$server"; do
  [ -x "$b" ] || { echo "net_client.sh: missing $b (build first)"; exit 1; }
done

T=$(mktemp -d)
. "$here/lib/keep_audit.sh"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  keep_audit_logs "$T"
  rm -rf "$T"
}
trap cleanup EXIT

pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }

# ---- certificates ----
mk() { openssl "$@" >/dev/null 2>&1 || { echo "openssl $1 failed"; exit 1; }; }
key() { mk genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
key "$T/ca.key"
mk req -x509 -new -key "$T/ca.key" -out "$T/ca.pem" -days 2 -subj "/CN=wasmbox test CA"
key "$T/other-ca.key"
mk req -x509 -new -key "$T/other-ca.key" -out "$T/other-ca.pem" -days 2 -subj "/CN=untrusted CA"
# leaf NAME SAN CA DAYS
leaf() {
  key "$T/$1.key"
  mk req -new -key "$T/$1.key" -out "$T/$1.csr" -subj "/CN=$1"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$2" > "$T/$1.ext"
  mk x509 -req -in "$T/$1.csr" -CA "$T/$3.pem" -CAkey "$T/$3.key" -CAcreateserial \
     -days "$4" -extfile "$T/$1.ext" -out "$T/$1.pem"
}
leaf good "DNS:test.example,IP:127.0.0.1" ca 2
leaf wronghost "DNS:wrong.example" ca 2
leaf expired "DNS:test.example" ca -1          # notAfter already passed
leaf untrusted "DNS:test.example" other-ca 2

# ---- servers ----
# start NAME [server args...]: sets ${NAME}_port; log in $T/NAME.log
start() {
  local name=$1; shift
  : > "$T/$name.log"
  "$server" --port-file "$T/$name.port" --log "$T/$name.log" "$@" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$T/$name.port" ] && break; sleep 0.05; done
  [ -s "$T/$name.port" ] || { echo "server $name did not start"; exit 1; }
  printf -v "${name}_port" '%s' "$(cat "$T/$name.port")"
}
start plain --listen 127.0.0.1 --listen 127.0.0.2 --listen ::1
start tls --cert "$T/good.pem" --key "$T/good.key"
start wrong --cert "$T/wronghost.pem" --key "$T/wronghost.key"
start expired --cert "$T/expired.pem" --key "$T/expired.key"
start untrusted --cert "$T/untrusted.pem" --key "$T/untrusted.key"
P=$plain_port
H=http://127.0.0.1:$P
ALLOW=(--allow-host "http://127.0.0.1:$P")

# expect_ok NAME EXPECTED_STDOUT fetch-args...
expect_ok() {
  local name=$1 want=$2; shift 2
  local out
  out=$("$fetch" "$@" 2>"$T/err")
  local rc=$?
  if [ $rc -eq 0 ] && [ "$out" = "$want" ]; then ok; else
    bad "$name: rc=$rc"; echo "  want: $(printf %q "$want")"; echo "  got:  $(printf %q "$out")"
    sed 's/^/  stderr: /' "$T/err"; fi
}
# expect_err NAME STDERR_SUBSTRING fetch-args...
expect_err() {
  local name=$1 want=$2; shift 2
  "$fetch" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -eq 1 ] && grep -qF -- "$want" "$T/err"; then ok; else
    bad "$name: rc=$rc, stderr lacks: $want"; sed 's/^/  stderr: /' "$T/err"; fi
}
# no_request LOG PATTERN NAME: the server never saw a matching request line
no_request() {
  if grep -qF -- "$2" "$T/$1.log"; then bad "$3: server $1 received: $(grep -F -- "$2" "$T/$1.log")"
  else ok; fi
}
has_request() {
  if grep -qF -- "$2" "$T/$1.log"; then ok; else bad "$3: server $1 never received $2"; fi
}

# ---- plain HTTP ----
expect_ok "GET" "$(printf 'HTTP 200 0 %s/hello\nhello' "$H")" "${ALLOW[@]}" "$H/hello"
expect_ok "GET stream" "$(printf 'HTTP 200 0 %s/hello\nhello' "$H")" "${ALLOW[@]}" --stream "$H/hello"
expect_ok "POST" "$(printf 'HTTP 200 0 %s/echo\nmethod=POST\nbody=a=b&c' "$H")" \
  "${ALLOW[@]}" -X POST -d 'a=b&c' "$H/echo"
has_request plain "127.0.0.1 POST /echo host=127.0.0.1:$P auth=- body=5" "POST body sent"
expect_ok "chunked" "$(printf 'HTTP 200 0 %s/chunked\nchunk1-chunk2-end' "$H")" "${ALLOW[@]}" "$H/chunked"
expect_ok "chunked stream" "$(printf 'HTTP 200 0 %s/chunked\nchunk1-chunk2-end' "$H")" \
  "${ALLOW[@]}" --stream "$H/chunked"
expect_ok "close-delimited" "$(printf 'HTTP 200 0 %s/close\nclosed-body' "$H")" "${ALLOW[@]}" "$H/close"
expect_ok "404 is a response" "$(printf 'HTTP 404 0 %s/nope\nnot found' "$H")" "${ALLOW[@]}" "$H/nope"
expect_ok "HEAD has no body" "HTTP 200 0 $H/hello" "${ALLOW[@]}" -X HEAD "$H/hello"
has_request plain "127.0.0.1 HEAD /hello" "HEAD sent"
expect_ok "IPv6 ::1" "$(printf 'HTTP 200 0 http://[::1]:%s/hello\nhello' "$P")" \
  --allow-host "http://[::1]:$P" "http://[::1]:$P/hello"
expect_ok "name via resolve entry" "$(printf 'HTTP 200 0 http://app.test:%s/hello\nhello' "$P")" \
  --allow-host "http://app.test:$P" --resolve "app.test:$P:127.0.0.1" "http://app.test:$P/hello"
has_request plain "GET /hello host=app.test:$P" "Host header is the URL's host"
# the system resolver (localhost comes from /etc/hosts), addresses still checked
expect_ok "name via getaddrinfo" "$(printf 'HTTP 200 0 http://localhost:%s/hello\nhello' "$P")" \
  --allow-host "http://localhost:$P" "http://localhost:$P/hello"
expect_err "getaddrinfo result checked" "resolves to " \
  --allow-host "http://localhost:$P" --block-network loopback "http://localhost:$P/hello?lo"
no_request plain "/hello?lo" "blocked getaddrinfo result"
expect_err "unknown name" "[dns] wasmbox: cannot connect to http://no-such-host.invalid: " \
  --allow-host "http://no-such-host.invalid" "http://no-such-host.invalid/"
# a proxy on port 9 would refuse the connection; the request must go direct
out=$(http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
      ALL_PROXY=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9 "$fetch" "${ALLOW[@]}" "$H/hello?proxy" 2>&1)
if [ "$out" = "$(printf 'HTTP 200 0 %s/hello?proxy\nhello' "$H")" ]; then ok; else bad "proxy variables ignored: $out"; fi

# ---- redirects ----
expect_ok "redirect relative" "$(printf 'HTTP 200 1 %s/hello\nhello' "$H")" \
  "${ALLOW[@]}" "$H/redirect?code=301&to=/hello"
expect_ok "redirect absolute, other allowed host" \
  "$(printf 'HTTP 200 1 http://app.test:%s/hello\nhello' "$P")" \
  "${ALLOW[@]}" --allow-host "http://app.test:$P" --resolve "app.test:$P:127.0.0.2" \
  "$H/redirect?code=302&to=http://app.test:$P/hello"
has_request plain "127.0.0.2 GET /hello host=app.test:$P" "second hop reached the pinned address"
expect_ok "307 keeps POST and body" "$(printf 'HTTP 200 1 %s/echo\nmethod=POST\nbody=xyz' "$H")" \
  "${ALLOW[@]}" -X POST -d xyz "$H/redirect?code=307&to=/echo"
expect_ok "303 turns POST into GET" "$(printf 'HTTP 200 1 %s/echo\nmethod=GET\nbody=' "$H")" \
  "${ALLOW[@]}" -X POST -d xyz "$H/redirect?code=303&to=/echo"
expect_ok "redirects off: 3xx returned" "$(printf 'HTTP 302 0 %s/redirect?code=302&to=/hello\nmoved' "$H")" \
  "${ALLOW[@]}" --max-redirects 0 "$H/redirect?code=302&to=/hello"
expect_err "redirect loop" "too many redirects (more than 3)" \
  "${ALLOW[@]}" --max-redirects 3 "$H/redirect?code=302&to=/redirect"
# credentials stay with their origin
"$fetch" "${ALLOW[@]}" -H "Authorization: Bearer s3cret" "$H/redirect?code=302&to=/echo?same" >/dev/null 2>&1
has_request plain "GET /echo?same host=127.0.0.1:$P auth=Bearer s3cret" "same-origin redirect keeps Authorization"
"$fetch" "${ALLOW[@]}" --allow-host "http://app.test:$P" --resolve "app.test:$P:127.0.0.1" \
  -H "Authorization: Bearer s3cret" "$H/redirect?code=302&to=http://app.test:$P/echo?cross" >/dev/null 2>&1
has_request plain "GET /echo?cross host=app.test:$P auth=- " "cross-origin redirect drops Authorization"

# allowed -> refused: stopped before connecting; the server never sees the hop
expect_err "redirect to host not allowed" \
  "wasmbox: refused outbound connection to http://evil.test:$P: not in allowed_outbound_hosts (add 'http://evil.test:$P' to allowed_outbound_hosts, or pass --allow-host http://evil.test:$P)" \
  "${ALLOW[@]}" --resolve "evil.test:$P:127.0.0.2" "$H/redirect?code=302&to=http://evil.test:$P/secret1"
no_request plain "GET /secret1" "refused redirect (host)"
expect_err "redirect to blocked network" \
  "resolves to 127.0.0.2 (resolve entry 'evil.test:$P'), which is in block_networks entry '127.0.0.2/32'" \
  "${ALLOW[@]}" --allow-host "http://evil.test:$P" --resolve "evil.test:$P:127.0.0.2" \
  --block-network 127.0.0.2/32 "$H/redirect?code=302&to=http://evil.test:$P/secret2"
no_request plain "GET /secret2" "refused redirect (network)"
expect_err "redirect to blocked URL" \
  "refused outbound connection to $H/secret3/x: matches block_urls entry '$H/secret3/'" \
  "${ALLOW[@]}" --block-url "$H/secret3/" "$H/redirect?code=302&to=/public/../secret3/x"
no_request plain "GET /secret3" "refused redirect (block_urls)"
expect_err "redirect to non-http scheme" "is not a usable URL" \
  "${ALLOW[@]}" "$H/redirect?code=302&to=file:///etc/passwd"
no_request plain "127.0.0.2 GET /secret" "no request ever reached 127.0.0.2 for a refused hop"

# ---- policy refusals (nothing to connect to in this namespace anyway) ----
expect_err "no allowed hosts" "not in allowed_outbound_hosts, which is empty" "$H/hello"
expect_err "private literal" \
  "wasmbox: refused outbound connection to http://10.0.0.5: 10.0.0.5 is in block_networks entry 'private' (10.0.0.0/8)" \
  --allow-host 'http://*' --block-network private http://10.0.0.5/
expect_err "loopback blocked" "127.0.0.1 is in block_networks entry 'loopback' (127.0.0.0/8)" \
  "${ALLOW[@]}" --block-network loopback "$H/hello"
no_request plain "/hello?blocked" "blocked loopback"
expect_err "unspecified address" "0.0.0.0 is not a unicast address (never allowed)" \
  --allow-host "http://*:$P" "http://0:$P/hello?zero"
no_request plain "/hello?zero" "0.0.0.0 refused"

# ---- audit log ----
"$fetch" "${ALLOW[@]}" --audit "$T/audit.log" "$H/hello" >/dev/null 2>&1
"$fetch" "${ALLOW[@]}" --audit "$T/audit.log" "http://other.test/x" >/dev/null 2>&1
if grep -q '"event":"net.connect","decision":"allow","url":"http://127.0.0.1:'"$P"'/hello"' "$T/audit.log" &&
   grep -q '"decision":"refuse","url":"http://other.test/x".*not in allowed_outbound_hosts' "$T/audit.log"; then ok
else bad "audit log"; sed 's/^/  audit: /' "$T/audit.log"; fi

# ---- a DNS server that never answers: the lookup is cut off ----
if [ -f /etc/resolv.conf ] && printf 'nameserver 127.0.0.53\noptions timeout:5 attempts:1\n' > "$T/resolv.conf" &&
   mount --bind "$T/resolv.conf" /etc/resolv.conf 2>/dev/null; then
  start dnssink --udp-sink 127.0.0.53
  expect_err "lookup time limit" "[dns] wasmbox: cannot connect to http://slow.example: looking up slow.example took too long" \
    --allow-host "http://slow.example" --connect-timeout 300 "http://slow.example/"
  umount /etc/resolv.conf
else
  bad "could not mount a private resolv.conf for the lookup time limit test"
fi

# ---- malformed responses ----
expect_err "Content-Length with Transfer-Encoding" \
  "[protocol] wasmbox: response from $H/smuggle: response has both Transfer-Encoding and Content-Length" \
  "${ALLOW[@]}" "$H/smuggle"
expect_err "not HTTP" "[protocol] wasmbox: response from $H/badstatus: invalid status line" \
  "${ALLOW[@]}" "$H/badstatus"
expect_err "redirect with userinfo" "[redirect] wasmbox: redirect to 'http://user@127.0.0.1:$P/hello' is not a usable URL" \
  "${ALLOW[@]}" "$H/redirect?code=302&to=http://user@127.0.0.1:$P/hello"

# ---- dry run: decides (with resolution) but never connects ----
expect_ok "dry run allowed" "allow $H/hello?dry via literal: 127.0.0.1" "${ALLOW[@]}" --dry-run "$H/hello?dry"
expect_ok "dry run pinned" "allow http://app.test:$P/hello?dry2 via resolve: 127.0.0.2" \
  --allow-host "http://app.test:$P" --resolve "app.test:$P:127.0.0.2" --dry-run "http://app.test:$P/hello?dry2"
expect_err "dry run refused" "[policy] wasmbox: refused outbound connection to $H: 127.0.0.1 is in block_networks entry 'loopback'" \
  "${ALLOW[@]}" --block-network loopback --dry-run "$H/hello?dry3"
no_request plain "?dry" "dry run connected"

# ---- every hop is audited ----
"$fetch" "${ALLOW[@]}" --audit "$T/audit2.log" --resolve "evil.test:$P:127.0.0.2" \
  "$H/redirect?code=302&to=http://evil.test:$P/secret4" >/dev/null 2>&1
if [ "$(wc -l < "$T/audit2.log")" = 2 ] &&
   sed -n 1p "$T/audit2.log" | grep -q '"decision":"allow","url":"'"$H"'/redirect' &&
   sed -n 2p "$T/audit2.log" | grep -q '"decision":"refuse","url":"http://evil.test:'"$P"'/secret4"'; then ok
else bad "audit of a redirect chain"; sed 's/^/  audit: /' "$T/audit2.log"; fi

# ---- limits and timeouts ----
expect_err "body over cap (Content-Length)" "response body over 1000 bytes" \
  "${ALLOW[@]}" --max-body 1000 "$H/big?n=5000"
expect_err "body over cap (chunked)" "response body over 1000 bytes" \
  "${ALLOW[@]}" --max-body 1000 "$H/bigchunked?n=5000"
expect_err "body over cap (stream)" "[limit]" "${ALLOW[@]}" --stream --max-body 1000 "$H/bigchunked?n=5000"
expect_ok "body exactly at cap" "$(printf 'HTTP 200 0 %s/big?n=1000\n%s' "$H" "$(head -c 1000 /dev/zero | tr '\0' x)")" \
  "${ALLOW[@]}" --max-body 1000 "$H/big?n=1000"
expect_err "head over cap" "[limit] wasmbox: response from $H/bighead?n=10000: response head over 4096 bytes" \
  "${ALLOW[@]}" --max-head 4096 "$H/bighead?n=10000"
expect_err "stalled body" "[timeout] wasmbox: reading from http://127.0.0.1:$P (127.0.0.1): no progress in 300 ms" \
  "${ALLOW[@]}" --io-timeout 300 "$H/stall"
expect_err "stalled body (stream)" "[timeout]" "${ALLOW[@]}" --stream --io-timeout 300 "$H/stall"
expect_err "stalled head" "[timeout]" "${ALLOW[@]}" --io-timeout 300 "$H/stallhead"
expect_err "total time limit" "total time limit ran out" \
  "${ALLOW[@]}" --io-timeout 5000 --total-timeout 300 "$H/stallhead"
expect_err "connection refused" "[connect] wasmbox: cannot connect to http://127.0.0.1:1" \
  --allow-host "http://127.0.0.1:1" "http://127.0.0.1:1/"

# ---- HTTPS ----
S=$tls_port
TLSA=(--ca-file "$T/ca.pem" --resolve "test.example:$S:127.0.0.1" --allow-host "https://test.example:$S")
expect_ok "https GET" "$(printf 'HTTP 200 0 https://test.example:%s/hello\nhello' "$S")" \
  "${TLSA[@]}" "https://test.example:$S/hello"
expect_ok "https POST chunked stream" "$(printf 'HTTP 200 0 https://test.example:%s/echo\nmethod=POST\nbody=tls' "$S")" \
  "${TLSA[@]}" --stream -X POST -d tls "https://test.example:$S/echo"
expect_ok "https close-delimited" "$(printf 'HTTP 200 0 https://test.example:%s/close\nclosed-body' "$S")" \
  "${TLSA[@]}" "https://test.example:$S/close"
has_request tls "GET /hello host=test.example:$S auth=- body=0 sni=test.example" "SNI carries the name"
# one process, several requests: the cached TLS context is reused, and a
# request without ca_file never inherits the trust of one with it
expect_ok "https repeated (context cache)" "$(for i in 1 2 3; do printf 'HTTP 200 0 https://test.example:%s/hello\nhello\n' "$S"; done)" \
  "${TLSA[@]}" --repeat 3 "https://test.example:$S/hello"
"$fetch" "${TLSA[@]}" --repeat 3 --alternate-ca "https://test.example:$S/hello" >"$T/out" 2>"$T/err"
if [ "$(grep -c '^HTTP 200' "$T/out")" = 2 ] && [ "$(grep -c 'unable to get local issuer certificate' "$T/err")" = 1 ]; then ok
else bad "ca_file not cached across policies"; cat "$T/out" "$T/err"; fi
expect_ok "https IP literal (IP SAN)" "$(printf 'HTTP 200 0 https://127.0.0.1:%s/hello\nhello' "$S")" \
  --ca-file "$T/ca.pem" --allow-host "https://127.0.0.1:$S" "https://127.0.0.1:$S/hello"
has_request tls "GET /hello host=127.0.0.1:$S auth=- body=0 sni=-" "no SNI for an IP literal"
expect_ok "https -> https redirect" "$(printf 'HTTP 200 1 https://test.example:%s/hello\nhello' "$S")" \
  "${TLSA[@]}" "https://test.example:$S/redirect?code=308&to=/hello"
expect_err "https -> http downgrade" \
  "refused redirect from https://test.example:$S/redirect?code=302&to=$H/downgraded to $H/downgraded: https to http downgrade" \
  "${TLSA[@]}" "${ALLOW[@]}" "https://test.example:$S/redirect?code=302&to=$H/downgraded"
no_request plain "/downgraded" "downgrade refused before connecting"
expect_err "CA not trusted (no ca_file)" "TLS certificate of https://test.example:$S (127.0.0.1) not accepted: unable to get local issuer certificate" \
  --resolve "test.example:$S:127.0.0.1" --allow-host "https://test.example:$S" "https://test.example:$S/hello?noca"
no_request tls "/hello?noca" "untrusted chain: no request sent"
W=$wrong_port
expect_err "wrong host name" "not accepted: hostname mismatch" \
  --ca-file "$T/ca.pem" --resolve "test.example:$W:127.0.0.1" --allow-host "https://test.example:$W" \
  "https://test.example:$W/hello"
expect_err "IP literal not in certificate" "not accepted: IP address mismatch" \
  --ca-file "$T/ca.pem" --allow-host "https://127.0.0.1:$W" "https://127.0.0.1:$W/hello"
X=$expired_port
expect_err "expired certificate" "not accepted: certificate has expired" \
  --ca-file "$T/ca.pem" --resolve "test.example:$X:127.0.0.1" --allow-host "https://test.example:$X" \
  "https://test.example:$X/hello"
U=$untrusted_port
expect_err "certificate from another CA" "not accepted: unable to get local issuer certificate" \
  --ca-file "$T/ca.pem" --resolve "test.example:$U:127.0.0.1" --allow-host "https://test.example:$U" \
  "https://test.example:$U/hello"
for s in wrong expired untrusted; do
  if [ -s "$T/$s.log" ]; then bad "$s server received a request: $(cat "$T/$s.log")"; else ok; fi
done
expect_err "https body over cap" "[limit]" "${TLSA[@]}" --max-body 100 "https://test.example:$S/big?n=50000"
expect_err "https stalled" "[timeout]" "${TLSA[@]}" --io-timeout 300 "https://test.example:$S/stall"

echo "net_client.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
