#!/usr/bin/env bash
# e2e: alone: a cancel must end within 5 s, the sandbox's CPU ticks after it are counted (tests/run_e2e.sh)
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
  . "$here/lib/mcp_npm.sh"
  mcp_npm_ci mcp_sdk "$build" || exit 1
  exec unshare -n env WB_MCP_NETNS=1 bash "$here/mcp_sdk.sh" "$build"
fi
ip link set lo up || { echo "mcp_sdk.sh: cannot bring up lo in the namespace"; exit 1; }
wb=$(cd "$build" && pwd)/wasmbox
[ -e "$wb" ] || { echo "FAIL mcp_sdk: $wb is missing (make e2e builds it)"; exit 1; }
timeout 300 node "$here/../mcp/sdk_client.mjs" "$wb" "$(cd "$here/../../tools/skills" && pwd)"
