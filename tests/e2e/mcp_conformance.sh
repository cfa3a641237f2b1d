#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance,
# pinned in tests/mcp/package.json and package-lock.json), its server
# scenarios (the "active" suite) against `wasmbox mcp --listen`, whose tools
# include the suite's fixture tools (tests/mcp/fixture/, a test-only --tools
# directory built into $BUILD/tests/mcp-fixture). Scenarios for optional
# features wasmbox does not offer are listed in
# tests/mcp/conformance-baseline.yml (why: tests/README.md); any other
# failure, and any listed scenario that starts passing, fails the script.
# Runs in a network namespace with loopback only.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WB_MCP_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "mcp_conformance.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  . "$here/lib/mcp_npm.sh"
  mcp_npm_ci mcp_conformance "$build" || exit 1
  exec unshare -n env WB_MCP_NETNS=1 bash "$here/mcp_conformance.sh" "$build"
fi
ip link set lo up || { echo "mcp_conformance.sh: cannot bring up lo in the namespace"; exit 1; }
b=$(cd "$build" && pwd)
mcp=$(cd "$here/../mcp" && pwd)
for need in "$b/wasmbox" "$b/tests/mcp-fixture/mcp_fixture.wasm"; do
  [ -e "$need" ] || { echo "FAIL mcp_conformance: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

"$b/wasmbox" mcp --listen 127.0.0.1:0 --tools "$b/tests/mcp-fixture" \
  --skills "$here/../../tools/skills" --workspace "$tmp" 2>"$tmp/server.err" &
pid=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/server.err")
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "FAIL mcp_conformance: the server did not start:"; cat "$tmp/server.err"; exit 1; }

# The suite names the server localhost (its DNS-rebinding scenario sends
# Host and Origin headers of that name).
url=${url/127.0.0.1/localhost}
rc=0
(cd "$tmp" && timeout 600 "$mcp/node_modules/.bin/conformance" server --url "$url" \
   --expected-failures "$mcp/conformance-baseline.yml") >"$tmp/out" 2>&1 || rc=$?
# The suite's result line, part of the test output.
total=$(grep -E '^Total: [0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -1)
echo "mcp_conformance: @modelcontextprotocol/conformance $(node -p "require('$mcp/node_modules/@modelcontextprotocol/conformance/package.json').version") server suite: ${total:-no result line}"
if [ "$rc" -ne 0 ] || [ -z "$total" ]; then
  echo "FAIL mcp_conformance: the suite exits $rc; its output:"
  sed -n '/=== SUMMARY ===/,$p' "$tmp/out"
  echo "[server stderr]"; tail -20 "$tmp/server.err"
  exit 1
fi
kill "$pid" && wait "$pid"
srv=$?
pid=
# SIGTERM is a clean stop (exit 0, tools/README.md).
[ "$srv" -eq 0 ] || { echo "FAIL mcp_conformance: the server exits $srv after SIGTERM"; tail "$tmp/server.err"; exit 1; }
