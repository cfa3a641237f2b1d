#!/usr/bin/env bash
# e2e: alone: a stalled request must end at the run's 1 s deadline (tests/run_e2e.sh)
# End-to-end tests of the guest HTTP interface (wasmbox_http, through
# `wasmbox run`) and of `wasmbox fetch`, against local test servers.
#
# Runs in a fresh network namespace (unshare -n) with only loopback up: every
# address used is in 127.0.0.0/8 or ::1, and nothing else is reachable
# whatever the code does. Certificates are made at test time with openssl.
# The test server logs each request it receives, which is how refused
# requests and dry runs are shown to have sent nothing.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${WB_GH_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "guest_http.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  exec unshare -n env WB_GH_NETNS=1 bash "$here/guest_http.sh" "$build"
fi
ip link set lo up || { echo "guest_http.sh: cannot bring up lo in the namespace"; exit 1; }

wasmbox=$build/wasmbox
server=$build/tests/tools/net_server
fetchg=$build/guests/http_fetch.wasm
abuse=$build/guests/http_abuse.wasm
limitsg=$build/guests/http_limits.wasm
for b in "$wasmbox" "$server" "$fetchg" "$abuse" "$limitsg"; do
  [ -e "$b" ] || { echo "guest_http.sh: missing $b (build first)"; exit 1; }
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
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# ---- certificates ----
mk() { openssl "$@" >/dev/null 2>&1 || { echo "openssl $1 failed"; exit 1; }; }
mk genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ca.key"
mk req -x509 -new -key "$T/ca.key" -out "$T/ca.pem" -days 2 -subj "/CN=wasmbox guest test CA"
mk genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/good.key"
mk req -new -key "$T/good.key" -out "$T/good.csr" -subj "/CN=test.example"
printf 'subjectAltName=DNS:test.example,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > "$T/good.ext"
mk x509 -req -in "$T/good.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
   -extfile "$T/good.ext" -out "$T/good.pem"

# ---- servers ----
start() {
  local name=$1; shift
  : > "$T/$name.log"
  "$server" --port-file "$T/$name.port" --log "$T/$name.log" "$@" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$T/$name.port" ] && break; sleep 0.05; done
  [ -s "$T/$name.port" ] || { echo "server $name did not start"; exit 1; }
  printf -v "${name}_port" '%s' "$(cat "$T/$name.port")"
}
start plain --listen 127.0.0.1 --listen ::1
start tls --cert "$T/good.pem" --key "$T/good.key"
P=$plain_port S=$tls_port
H=http://127.0.0.1:$P
ALLOW=(--allow-host "http://127.0.0.1:$P")

# run_guest OUTFILE wasmbox-run-args... : stdout to OUTFILE, returns the exit code
run_guest() { local out=$1; shift; "$wasmbox" run "$@" >"$out" 2>"$out.err"; }
expect_out() { # NAME FILE SUBSTRING
  if grep -qF -- "$3" "$2"; then ok; else
    bad "$1: output lacks: $3"; sed 's/^/  out: /' "$2"; sed 's/^/  err: /' "$2.err" 2>/dev/null; fi
}
expect_rc() { if [ "$2" -eq "$3" ]; then ok; else bad "$1: exit $2, want $3"; fi; }
no_request() { # LOG PATTERN NAME
  if grep -qF -- "$2" "$T/$1.log"; then bad "$3: server $1 received: $(grep -F -- "$2" "$T/$1.log")"
  else ok; fi
}
has_request() {
  if grep -qF -- "$2" "$T/$1.log"; then ok; else bad "$3: server $1 never received $2"; fi
}

# ---- guest: allowed ----
run_guest "$T/g1" "${ALLOW[@]}" "$fetchg" "$H/hello?g1"
expect_rc "guest GET allowed" $? 0
expect_out "guest GET status" "$T/g1" "status 200"
expect_out "guest GET headers" "$T/g1" "Content-Length: 6"
expect_out "guest GET body" "$T/g1" "hello"
has_request plain "GET /hello?g1 host=127.0.0.1:$P" "guest GET reached the server"

run_guest "$T/g2" "${ALLOW[@]}" "$fetchg" "$H/echo" POST "a=b" $'X-Test: 1\r\n'
expect_rc "guest POST" $? 0
expect_out "guest POST method" "$T/g2" "method=POST"
expect_out "guest POST body" "$T/g2" "body=a=b"

run_guest "$T/g3" --allow-host "http://[::1]:$P" "$fetchg" "http://[::1]:$P/hello?g3"
expect_rc "guest IPv6" $? 0
expect_out "guest IPv6 body" "$T/g3" "hello"

run_guest "$T/g4" --allow-host "https://test.example:$S" --resolve "test.example:$S:127.0.0.1" \
  --ca-file "$T/ca.pem" "$fetchg" "https://test.example:$S/hello?g4"
expect_rc "guest HTTPS" $? 0
expect_out "guest HTTPS body" "$T/g4" "hello"
has_request tls "GET /hello?g4 host=test.example:$S" "guest HTTPS reached the server"

run_guest "$T/g5" --allow-host "https://test.example:$S" --resolve "test.example:$S:127.0.0.1" \
  "$fetchg" "https://test.example:$S/hello?g5"
expect_rc "guest HTTPS untrusted CA" $? 1
expect_out "guest HTTPS untrusted CA is connaborted" "$T/g5" "error 13 in request"
no_request tls "/hello?g5" "untrusted TLS sent no request"

# handles left open when the run ends are freed by the host (SAN builds
# would report a leak as a failing exit code)
run_guest "$T/g6" "${ALLOW[@]}" "$fetchg" "$H/hello?g6" GET - "" noclose
expect_rc "guest leaves a handle open" $? 0
# the run's time limit bounds a request to a server that never answers
# (net's own io limit is 30 s; `timeout 25` only guards against a hang): the
# request waits until the run's deadline, which ends the run (limit, 137),
# the guest never seeing an error to carry on with (run_deadline.sh checks
# how close to the deadline)
timeout 25 "$wasmbox" run "${ALLOW[@]}" --timeout 1000 "$fetchg" "$H/stallhead" >"$T/g7" 2>"$T/g7.err"
rc=$?
if [ $rc -eq 137 ] && grep -qxF 'wasmbox: limit: timeout after 1000 ms' "$T/g7.err" &&
   [ ! -s "$T/g7" ]; then ok
else bad "stalled request ends at the run's deadline: rc=$rc"; cat "$T/g7" "$T/g7.err"; fi

# ---- guest: refused, with the reason ----
run_guest "$T/r1" "$fetchg" "$H/hello?r1"
expect_rc "guest empty policy" $? 1
expect_out "guest empty policy: notcapable + reason" "$T/r1" \
  "error 76 in request: wasmbox: refused outbound connection to $H: not in allowed_outbound_hosts, which is empty"
no_request plain "/hello?r1" "empty policy sent nothing"

run_guest "$T/r2" "${ALLOW[@]}" --block-network loopback "$fetchg" "$H/hello?r2"
expect_rc "guest blocked network" $? 1
expect_out "guest blocked network reason" "$T/r2" \
  "error 76 in request: wasmbox: refused outbound connection to $H: 127.0.0.1 is in block_networks entry 'loopback' (127.0.0.0/8)"
no_request plain "/hello?r2" "blocked network sent nothing"

run_guest "$T/r3" "${ALLOW[@]}" --block-url "$H/secret/" "$fetchg" "$H/public/../secret/x?r3"
expect_rc "guest block_urls" $? 1
expect_out "guest block_urls reason" "$T/r3" "matches block_urls entry '$H/secret/'"
no_request plain "?r3" "block_urls sent nothing"

run_guest "$T/r4" --allow-host "http://app.test:$P" --resolve "app.test:$P:127.0.0.1" \
  --block-network loopback "$fetchg" "http://app.test:$P/hello?r4"
expect_rc "guest pinned name to blocked address" $? 1
expect_out "guest pinned name reason" "$T/r4" \
  "resolves to 127.0.0.1 (resolve entry 'app.test:$P'), which is in block_networks entry 'loopback'"
no_request plain "?r4" "pinned blocked name sent nothing"

# a redirect to a URL the policy blocks: the first hop only
run_guest "$T/r5" "${ALLOW[@]}" --block-url "$H/secret/" "$fetchg" "$H/redirect?code=302&to=/secret/x?r5"
expect_rc "guest redirect to a refused URL" $? 1
expect_out "guest redirect refusal" "$T/r5" \
  "error 76 in request: wasmbox: refused outbound connection to $H/secret/x?r5: matches block_urls entry"
has_request plain "GET /redirect?code=302&to=/secret/x?r5" "first hop was sent"
no_request plain "GET /secret/x?r5" "refused hop sent nothing"
run_guest "$T/r5b" "${ALLOW[@]}" "$fetchg" "$H/redirect?code=302&to=http://127.0.0.2:$P/hello?r5b"
expect_out "guest redirect to another host refused" "$T/r5b" \
  "error 76 in request: wasmbox: refused outbound connection to http://127.0.0.2:$P: not in allowed_outbound_hosts"

run_guest "$T/r6" "${ALLOW[@]}" "$fetchg" "$H/hello" "GE T"
expect_out "guest bad method is inval" "$T/r6" "error 28 in request"

# ---- guest: its own limits (set_limits) and the final URL (url) ----
# two redirects, then /hello (relative Locations resolved hop by hop)
CHAIN="$H/redirect?to=/redirect?to=/hello?L"
run_guest "$T/l0" "${ALLOW[@]}" "$limitsg" -1 0 "$CHAIN"
expect_rc "guest limits: the run's redirects" $? 0
expect_out "guest limits: set_limits ok" "$T/l0" "set_limits 0"
expect_out "guest limits: followed to the end" "$T/l0" "status 200"
expect_out "guest url: after redirects" "$T/l0" "url $H/hello?L"
run_guest "$T/l1" "${ALLOW[@]}" "$limitsg" 0 0 "$CHAIN"
expect_rc "guest limits: no redirects" $? 0
expect_out "guest limits: 0 returns the 3xx" "$T/l1" "status 302"
expect_out "guest url: the 3xx's own URL" "$T/l1" "url $CHAIN"
expect_out "guest limits: the 3xx's body" "$T/l1" "moved"
run_guest "$T/l2" "${ALLOW[@]}" "$limitsg" 1 0 "$H/redirect?to=/redirect?to=/hello?l2"
expect_rc "guest limits: one redirect of two" $? 1
expect_out "guest limits: too many is loop" "$T/l2" "error 32 in request: wasmbox: too many redirects (more than 1)"
has_request plain "GET /redirect?to=/hello?l2 " "the one redirect allowed was followed"
no_request plain "GET /hello?l2" "past the guest's redirect limit: nothing sent"
# a guest cannot loosen the run's limit (5 redirects): six hops fail
SIX="$H/redirect?to=/redirect?to=/redirect?to=/redirect?to=/redirect?to=/redirect?to=/hello?six"
run_guest "$T/l3" "${ALLOW[@]}" "$limitsg" 100 0 "$SIX"
expect_out "guest limits: never past the run's" "$T/l3" "error 32 in request: wasmbox: too many redirects (more than 5)"
no_request plain "GET /hello?six" "past the run's redirect limit: nothing sent"
# the guest's time limit is an error the guest handles, not the end of the
# run (the run's own limit is 60 s here)
run_guest "$T/l4" "${ALLOW[@]}" --timeout 60000 "$limitsg" -1 300 "$H/stallhead?l4"
expect_rc "guest time limit: the guest goes on" $? 1
expect_out "guest time limit: timedout" "$T/l4" "error 73 in request"
run_guest "$T/l5" "${ALLOW[@]}" "$limitsg" -2 0 "$H/hello?l5"
expect_out "guest limits: bad values are inval" "$T/l5" "set_limits 28"
expect_out "guest limits: a bad call changes nothing" "$T/l5" "url $H/hello?l5"

# ---- guest: every decision audited ----
run_guest "$T/a1" "${ALLOW[@]}" --audit "$T/run-audit.log" "$fetchg" "$H/hello?a1"
run_guest "$T/a2" "${ALLOW[@]}" --audit "$T/run-audit.log" "$fetchg" "http://127.0.0.3:$P/?a2"
if grep -q '"event":"net.connect","decision":"allow","url":"http://127.0.0.1:'"$P"'/hello?a1"' "$T/run-audit.log" &&
   grep -q '"event":"net.connect","decision":"refuse","url":"http://127.0.0.3:'"$P"'/?a2".*not in allowed_outbound_hosts' "$T/run-audit.log"; then ok
else bad "run audit log has both decisions"; sed 's/^/  audit: /' "$T/run-audit.log"; fi

# ---- guest: hostile arguments ----
run_guest "$T/ab" "${ALLOW[@]}" "$abuse" "$H/hello"
rc=$?
expect_rc "abuse guest: no check failed, no crash" $rc 0
expect_out "abuse guest ran to the end" "$T/ab" "failures 0"
if grep -q '^FAIL' "$T/ab"; then bad "abuse guest checks"; grep '^FAIL' "$T/ab" | sed 's/^/  /'; else ok; fi
no_request plain "?oob" "out-of-bounds and malformed requests sent nothing"
if grep -q 'host=evil' "$T/plain.log"; then bad "header injection reached the server"; else ok; fi

# ---- linking ----
if command -v wat2wasm >/dev/null; then
  printf '(module (import "wasmbox_http" "nope" (func)) (func (export "_start")))' > "$T/nope.wat"
  printf '(module (import "wasmbox_http" "status" (func (param i64) (result i32))) (func (export "_start")))' > "$T/type.wat"
  printf '(module (import "wasmbox_http" "status" (func (param i32) (result i32))) (import "env" "x" (func)) (func (export "_start")))' > "$T/env.wat"
  # only wasmbox_http, no WASI at all: links and runs
  printf '(module (import "wasmbox_http" "close" (func $c (param i32) (result i32))) (memory 1) (func (export "_start") (drop (call $c (i32.const 5)))))' > "$T/only.wat"
  for m in nope type env only; do wat2wasm "$T/$m.wat" -o "$T/$m.wasm" || bad "wat2wasm $m"; done
  "$wasmbox" run "$T/nope.wasm" >/dev/null 2>"$T/l1"; expect_rc "unknown wasmbox_http import" $? 1
  expect_out "unknown import named" "$T/l1" "unresolved import wasmbox_http.nope (no such function)"
  "$wasmbox" run "$T/type.wasm" >/dev/null 2>"$T/l2"; expect_rc "wrong type" $? 1
  expect_out "wrong type named" "$T/l2" "import wasmbox_http.status: type does not match"
  "$wasmbox" run "$T/env.wasm" >/dev/null 2>"$T/l3"; expect_rc "other module next to wasmbox_http" $? 1
  expect_out "other import named by WASI's linker" "$T/l3" "unresolved import env.x"
  "$wasmbox" run "$T/only.wasm" >/dev/null 2>"$T/l4"; expect_rc "wasmbox_http alone" $? 0
else
  echo "guest_http.sh: note: wat2wasm missing, link tests not run"
fi

# ---- wasmbox fetch ----
out=$("$wasmbox" fetch "${ALLOW[@]}" "$H/hello?f1" 2>"$T/f.err"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = hello ]; then ok; else bad "fetch HTTP: rc=$rc out=$out"; cat "$T/f.err"; fi
out=$("$wasmbox" fetch --allow-host "https://test.example:$S" --resolve "test.example:$S:127.0.0.1" \
      --ca-file "$T/ca.pem" "https://test.example:$S/hello?f2" 2>"$T/f.err"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = hello ]; then ok; else bad "fetch HTTPS: rc=$rc out=$out"; cat "$T/f.err"; fi
out=$("$wasmbox" fetch --allow-host "https://127.0.0.1:$S" --ca-file "$T/ca.pem" \
      "https://127.0.0.1:$S/hello?f3" 2>"$T/f.err"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = hello ]; then ok; else bad "fetch HTTPS by IP: rc=$rc out=$out"; cat "$T/f.err"; fi
"$wasmbox" fetch --allow-host "https://test.example:$S" --resolve "test.example:$S:127.0.0.1" \
  "https://test.example:$S/hello?f4" >/dev/null 2>"$T/f.err"; rc=$?
expect_rc "fetch HTTPS untrusted" $rc 1
expect_out "fetch HTTPS untrusted says failed (tls)" "$T/f.err" "wasmbox: fetch: failed (tls)"
no_request tls "?f4" "untrusted fetch sent nothing"
"$wasmbox" fetch "$H/hello?f5" >/dev/null 2>"$T/f.err"; rc=$?
expect_rc "fetch refused" $rc 1
expect_out "fetch refusal text" "$T/f.err" "refused outbound connection to $H: not in allowed_outbound_hosts"
expect_out "fetch says refused" "$T/f.err" "wasmbox: fetch: refused by the policy"
no_request plain "?f5" "refused fetch sent nothing"
out=$("$wasmbox" fetch "${ALLOW[@]}" "$H/nope" 2>"$T/f.err"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "not found" ] && grep -q "HTTP 404" "$T/f.err"; then ok
else bad "fetch 404: rc=$rc out=$out"; fi
printf '{"allowed_outbound_hosts": ["http://127.0.0.1:%s"]}' "$P" > "$T/pol.json"
out=$("$wasmbox" fetch --policy "$T/pol.json" "$H/hello?f6" 2>"$T/f.err"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = hello ]; then ok; else bad "fetch --policy: rc=$rc"; cat "$T/f.err"; fi
"$wasmbox" fetch --policy "$T/pol.json" --block-network loopback "$H/hello?f7" >/dev/null 2>"$T/f.err"
expect_rc "flag over policy file" $? 1
"$wasmbox" fetch "${ALLOW[@]}" --audit "$T/fetch-audit.log" "$H/hello?f8" >/dev/null 2>&1
if grep -q '"decision":"allow","url":"http://127.0.0.1:'"$P"'/hello?f8"' "$T/fetch-audit.log"; then ok
else bad "fetch audit"; fi
"$wasmbox" fetch >/dev/null 2>&1; expect_rc "fetch without URL" $? 2
"$wasmbox" fetch --bogus x "$H/" >/dev/null 2>&1; expect_rc "fetch unknown option" $? 2
"$wasmbox" fetch --allow-host >/dev/null 2>&1; expect_rc "fetch flag without value" $? 2
"$wasmbox" fetch --allow-host 'http://' "$H/" >/dev/null 2>&1; expect_rc "fetch bad flag value" $? 1
"$wasmbox" fetch --allow-host "http://127.0.0.1:1" --connect-nothing "$H/" >/dev/null 2>&1
expect_rc "fetch unknown long option" $? 2

# ---- wasmbox fetch --dry-run: refusals, and nothing is ever connected to ----
# dry URL EXPECTED_REASON_SUBSTRING [policy flags...]
dry() {
  local url=$1 want=$2; shift 2
  "$wasmbox" fetch "$@" --dry-run "$url" >"$T/d.out" 2>"$T/d.err"
  local rc=$?
  if [ $rc -eq 1 ] && grep -q '^decision: refuse' "$T/d.out" && grep -qF -- "$want" "$T/d.out" &&
     grep -qF -- "$want" "$T/d.err" && grep -q '^connected: no' "$T/d.out"; then ok
  else bad "dry run $url: rc=$rc, wanted refusal with: $want"; sed 's/^/  out: /' "$T/d.out"; fi
}
ANY=(--allow-host 'http://*:*')
dry "http://10.1.2.3:$P/dry" "10.1.2.3 is in block_networks entry 'private' (10.0.0.0/8)" "${ANY[@]}" --block-network private
dry "http://192.168.1.1/dry" "in block_networks entry 'private' (192.168.0.0/16)" "${ANY[@]}" --block-network private
dry "http://[fd00::1]/dry" "in block_networks entry 'private' (fc00::/7)" "${ANY[@]}" --block-network private
dry "$H/dry" "127.0.0.1 is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://[::1]:$P/dry" "::1 is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://169.254.1.1/dry" "in block_networks entry 'link-local' (169.254.0.0/16)" "${ANY[@]}" --block-network link-local
dry "http://[fe80::1]/dry" "in block_networks entry 'link-local' (fe80::/10)" "${ANY[@]}" --block-network link-local
dry "http://169.254.169.254/latest/meta-data/" "in block_networks entry 'metadata' (169.254.169.254/32)" "${ANY[@]}" --block-network metadata
dry "http://[::ffff:127.0.0.1]:$P/dry" "(IPv4 127.0.0.1) is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://[::ffff:169.254.169.254]/dry" "(IPv4 169.254.169.254) is in block_networks entry 'metadata'" "${ANY[@]}" --block-network metadata
dry "http://2130706433:$P/dry" "127.0.0.1 is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://0177.0.0.1:$P/dry" "127.0.0.1 is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://0x7f.1:$P/dry" "127.0.0.1 is in block_networks entry 'loopback'" "${ANY[@]}" --block-network loopback
dry "http://0xa9fea9fe/dry" "169.254.169.254 is in block_networks entry 'metadata'" "${ANY[@]}" --block-network metadata
dry "http://0.0.0.0:$P/dry" "0.0.0.0 is not a unicast address (never allowed)" "${ANY[@]}"
dry "http://0:$P/dry" "0.0.0.0 is not a unicast address (never allowed)" "${ANY[@]}"
dry "http://app.test:$P/dry" "resolves to 127.0.0.1 (resolve entry 'app.test:$P'), which is in block_networks entry 'loopback'" \
  "${ANY[@]}" --resolve "app.test:$P:127.0.0.1" --block-network loopback
dry "http://meta.test/dry" "resolves to 169.254.169.254 (resolve entry 'meta.test:80'), which is in block_networks entry 'internal'" \
  "${ANY[@]}" --resolve "meta.test:80:169.254.169.254" --block-network internal
dry "$H/dry" "not in allowed_outbound_hosts, which is empty"
dry "$H/secret/dry" "matches block_urls entry '$H/secret/'" "${ALLOW[@]}" --block-url "$H/secret/"
# one good and one bad pinned address: the host is refused, each address shown
"$wasmbox" fetch "${ANY[@]}" --resolve "two.test:$P:192.0.2.1,10.0.0.5" --block-network private \
  --dry-run "http://two.test:$P/dry" >"$T/d.out" 2>/dev/null; rc=$?
if [ $rc -eq 1 ] && grep -q '^address 192.0.2.1: allow' "$T/d.out" &&
   grep -q "^address 10.0.0.5: refuse: .*block_networks entry 'private'" "$T/d.out"; then ok
else bad "dry run per address"; sed 's/^/  out: /' "$T/d.out"; fi
# allowed: exit 0, still nothing connected
out=$("$wasmbox" fetch "${ALLOW[@]}" --dry-run "$H/dry?allowed" 2>/dev/null); rc=$?
if [ $rc -eq 0 ] && grep -q '^decision: allow' <<<"$out" && grep -q "^address 127.0.0.1: allow" <<<"$out"; then ok
else bad "dry run allowed: rc=$rc"; echo "$out"; fi
no_request plain "/dry" "dry runs connected to nothing"
no_request tls "/dry" "dry runs connected to nothing (tls)"

echo "guest_http.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
