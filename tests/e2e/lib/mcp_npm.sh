# Installs tests/mcp's pinned packages (the official MCP SDK and conformance
# suite: tests/mcp/package.json and package-lock.json) with `npm ci` into
# tests/mcp/node_modules when missing or installed from another lockfile.
# Sourced by the tests/e2e/mcp_*.sh scripts before they enter their network
# namespace (npm needs the network; nothing after it does).
# mcp_npm_ci SCRIPT-NAME BUILD-DIR: returns non-zero (after printing npm's
# log) when the install failed.
mcp_npm_ci() {
  local name=$1 build=$2 mcp want
  mcp=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../mcp" && pwd)
  # A stamp of the lockfile it was installed from: a changed lock reinstalls.
  want=$(sha256sum "$mcp/package-lock.json" | cut -d' ' -f1)
  [ "$(cat "$mcp/node_modules/.wasmbox-lock-sha256" 2>/dev/null)" = "$want" ] && return 0
  if ! (cd "$mcp" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>"$build/mcp-npm.log"; then
    echo "FAIL $name: npm ci in tests/mcp failed:"
    cat "$build/mcp-npm.log"
    return 1
  fi
  echo "$want" >"$mcp/node_modules/.wasmbox-lock-sha256"
}
