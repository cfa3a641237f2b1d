#!/usr/bin/env bash
# `wasmbox mcp` driven by the official MCP TypeScript SDK client
# (tests/mcp/sdk_client.mjs; @modelcontextprotocol/sdk pinned in
# tests/mcp/package.json and package-lock.json, installed here with `npm ci`
# into tests/mcp/node_modules when missing or stale). Runs in a network
# namespace with loopback only: web-fetch reads a page the script serves on
# 127.0.0.1, and nothing can leave the machine whatever the code does.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WB_MCP_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "mcp_sdk.sh: SKIP: cannot create a network namespace (unshare -n not permitted)"
    exit 77
  fi
  # The SDK is installed before entering the namespace (npm needs the registry).
  mcp=$here/../mcp
  # A stamp of the lockfile it was installed from: a changed lock reinstalls.
  want=$(sha256sum "$mcp/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$mcp/node_modules/.wasmbox-lock-sha256" 2>/dev/null)" != "$want" ]; then
    (cd "$mcp" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>"$build/mcp-npm.log" || {
      echo "FAIL mcp_sdk: npm ci in tests/mcp failed:"; cat "$build/mcp-npm.log"; exit 1; }
    echo "$want" >"$mcp/node_modules/.wasmbox-lock-sha256"
  fi
  exec unshare -n env WB_MCP_NETNS=1 bash "$here/mcp_sdk.sh" "$build"
fi
ip link set lo up || { echo "mcp_sdk.sh: cannot bring up lo in the namespace"; exit 1; }
wb=$(cd "$build" && pwd)/wasmbox
[ -e "$wb" ] || { echo "FAIL mcp_sdk: $wb is missing (make e2e builds it)"; exit 1; }
timeout 300 node "$here/../mcp/sdk_client.mjs" "$wb" "$(cd "$here/../../tools/skills" && pwd)"
