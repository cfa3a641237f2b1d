#!/usr/bin/env bash
# Load test of `wasmbox mcp` (tests/tools/mcp_load.py): 1,000 calls of the
# built-in read and shell tools from 16 clients' worth of requests, each
# answer checked to be its own, the server's clean exit (LeakSanitizer under
# SAN=1), calls/s and p50/p99 printed.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
[ -e "$wb" ] || { echo "FAIL mcp_load: $wb is missing (make e2e builds it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 900 python3 tests/tools/mcp_load.py "$wb" "$tmp"
