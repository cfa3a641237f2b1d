#!/usr/bin/env bash
# OpenSSL, libmicrohttpd and libyaml are loaded when first used, not at
# start (net/openssl_lib.c, tools/mcp/lazy_libs.c; bench/README.md
# "Start-up" says why):
#   - wasmbox is not linked with them (no DT_NEEDED);
#   - a plain run and a plain-http fetch load none of them, an audited run
#     libcrypto only (the module's SHA-256), `skill list` libyaml only;
#   - when one cannot be loaded (here: /dev/null bind-mounted over it in a
#     private mount namespace), the request that needs it fails with a
#     message naming the library and its Debian package, and nothing else
#     is affected.
# Runs in its own network and mount namespace, loopback only.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ -z "${WB_LAZY_NETNS:-}" ]; then
    if ! unshare -n -m true 2>/dev/null; then
        echo "lazy_libs.sh: SKIP: cannot create a network and mount namespace (unshare -n -m not permitted)"
        exit 77
    fi
    exec unshare -n -m env WB_LAZY_NETNS=1 bash "$here/lazy_libs.sh" "$build"
fi
ip link set lo up || { echo "lazy_libs.sh: cannot bring up lo in the namespace"; exit 1; }

wasmbox=$build/wasmbox
hello=$build/guests/hello.wasm
[ -x "$wasmbox" ] || { echo "lazy_libs.sh: missing $wasmbox (build first)"; exit 1; }
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
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# A module that writes one line (tests/guests has none this small).
printf '(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1) (data (i32.const 16) "hi\\n")
  (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))' > "$T/hi.wat"
wat2wasm "$T/hi.wat" -o "$T/hi.wasm" || { echo "lazy_libs.sh: wat2wasm failed"; exit 1; }
hello=$T/hi.wasm

lazy_re='libssl|libcrypto|libmicrohttpd|libgnutls|libyaml'

# ---- not linked ----
needed=$(readelf -d "$wasmbox" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
if echo "$needed" | grep -Eq "$lazy_re"; then bad "wasmbox is linked with a lazily loaded library: $needed"; else ok; fi

# ---- what each command loads (LD_DEBUG=files names every object mapped,
# at start and by dlopen) ----
# loaded CMD...: the lazily loaded libraries the command mapped, sorted
loaded() {
    LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) .*\[0\];  *\(needed\|dynamically loaded\).*/\1/p' |
        grep -E "$lazy_re" | sed 's/\.so.*//' | sort -u | tr '\n' ' '
}
got=$(loaded "$wasmbox" run "$hello")
[ -z "$got" ] && ok || bad "a plain run loaded: $got"
got=$(loaded "$wasmbox" run --audit "$T/audit.jsonl" "$hello")
[ "$got" = "libcrypto " ] && ok || bad "an audited run should load libcrypto only (the module's SHA-256), loaded: '$got'"
grep -q '"sha256":"[0-9a-f]\{64\}"' "$T/audit.jsonl" && ok || bad "audited run: no SHA-256 of the module in $(cat "$T/audit.jsonl")"
got=$(loaded "$wasmbox" skill list --skills "$root/tools/skills")
[ "$got" = "libyaml-0 " ] && ok || bad "skill list should load libyaml only, loaded: '$got'"

# A plain-http request needs no OpenSSL either.
echo page > "$T/page.txt"
python3 -u -m http.server --bind 127.0.0.1 --directory "$T" 0 > "$T/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'port [0-9]' "$T/http.log" && break; sleep 0.1; done
hport=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$T/http.log" | head -1)
got=$(loaded "$wasmbox" fetch --allow-host "http://127.0.0.1:$hport" "http://127.0.0.1:$hport/page.txt")
[ -z "$got" ] && ok || bad "an http fetch loaded: '$got'"
[ "$("$wasmbox" fetch --allow-host "http://127.0.0.1:$hport" "http://127.0.0.1:$hport/page.txt" 2>/dev/null)" = page ] && ok ||
    bad "the http fetch did not return the page"

# ---- a library that cannot be loaded ----
# hide SONAME: bind /dev/null over the file the loader would open
hide() {
    local f
    f=$(ldconfig -p | awk -v n="$1" '$1 == n && /x86-64/ { print $NF; exit }')
    [ -n "$f" ] && mount --bind /dev/null "$f" || { echo "lazy_libs.sh: cannot hide $1"; exit 1; }
    hidden=$f
}
unhide() { umount "$hidden"; }

# A plain run needs none of them.
hide libssl.so.3
"$wasmbox" run "$hello" > "$T/out" 2>"$T/err" && [ "$(cat "$T/out")" = hi ] && ok ||
    bad "a plain run failed with libssl hidden: $(cat "$T/err")"
# https: the request fails naming the library; a TCP listener on loopback
# lets the client get as far as the TLS handshake.
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.recv(1)
' > "$T/port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
port=$(cat "$T/port")
"$wasmbox" fetch --allow-host "https://127.0.0.1:$port" --timeout 5000 "https://127.0.0.1:$port/" >/dev/null 2>"$T/err"
rc=$?
if [ $rc != 0 ] && grep -q 'cannot load libssl.so.3 (OpenSSL.*Debian package libssl3)' "$T/err"; then ok; else
    bad "https with libssl hidden: exit $rc, $(cat "$T/err")"
fi
unhide

hide libyaml-0.so.2
"$wasmbox" skill list --skills "$root/tools/skills" >/dev/null 2>"$T/err"
rc=$?
if [ $rc != 0 ] && grep -q 'cannot load libyaml-0.so.2 (needed to read skills; Debian package libyaml-0-2)' "$T/err"; then ok; else
    bad "skill list with libyaml hidden: exit $rc, $(cat "$T/err")"
fi
unhide

hide libmicrohttpd.so.12
echo secret-token-0123456789abcdef > "$T/token" && chmod 600 "$T/token"
timeout 20 "$wasmbox" mcp --listen 127.0.0.1:0 --token-file "$T/token" </dev/null >/dev/null 2>"$T/err"
rc=$?
if [ $rc != 0 ] && [ $rc != 124 ] &&
    grep -q 'cannot load libmicrohttpd.so.12 (needed by mcp --listen; Debian package libmicrohttpd12)' "$T/err"; then ok; else
    bad "mcp --listen with libmicrohttpd hidden: exit $rc, $(cat "$T/err")"
fi
unhide

echo "lazy_libs.sh: $pass passed, $fail failed"
[ $fail = 0 ]
