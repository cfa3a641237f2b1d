#!/usr/bin/env bash
# Golden tests of the built-in guest tools (tools/README.md): each case in
# tests/golden/tools/TOOL/ is an input (CASE.json) and the result written by
# hand (CASE.expected), $WS standing for the workspace's path. Each runs on
# a fresh copy of tests/golden/tools/workspace (modification times set below,
# for glob's newest-first order) through lib/tools.sh's call_tool, with the
# map a tool's manifest will ask for (read-only for read, glob and the
# example). After each call the workspace must equal the fixture with the
# files in CASE.after/ laid over it, and nothing else changed (so a refused
# call changes nothing, and read-only tools never do).
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
golden=$(pwd)/tests/golden/tools
for t in read write edit glob grep example; do
  [ -e "$tools/$t.wasm" ] || { echo "FAIL guest_tools_golden: $tools/$t.wasm is missing (make e2e builds it)"; exit 1; }
done
. "$(dirname "$0")/lib/tools.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 ncases=0
fail() { echo "FAIL guest_tools_golden: $*"; fails=$((fails + 1)); }

# times DIR: the fixture's modification times (git keeps none): everything
# in 2020, then a few newer files in a known order.
times() {
  find "$1" -type f -exec touch -d '2020-01-01 00:00:00' {} +
  touch -d '2024-03-01 00:00:00' "$1/src/main.c"
  touch -d '2024-02-01 00:00:00' "$1/src/util.c"
  touch -d '2024-01-01 00:00:00' "$1/src/util.h"
  touch -d '2023-01-01 00:00:00' "$1/src/dup.c"
  touch -d '2022-01-01 00:00:00' "$1/src/deep/a/b/c.c"
  touch -d '2021-06-01 00:00:00' "$1/hello.txt"
}

for dir in "$golden"/*/; do
  tool=$(basename "$dir")
  [ "$tool" = workspace ] && continue
  mode=$(tool_mode "$tool")
  for input in "$dir"*.json; do
    case=$tool/$(basename "$input" .json)
    ncases=$((ncases + 1))
    ws=$tmp/ws$ncases
    cp -a "$golden/workspace" "$ws"
    times "$ws"
    sed "s|\\\$WS|$ws|g" "$input" >"$tmp/in"
    call_tool "$tool" "$mode" "$ws" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    want=$(sed "s|\\\$WS|$ws|g" "${input%.json}.expected")
    if ! rc_matches $rc "$tmp/out"; then
      fail "$case: exit $rc: $(head -c 300 "$tmp/err") $(head -c 300 "$tmp/out")"
    elif ! same_json "$(tool_result "$tmp/out")" "$want"; then
      fail "$case: result differs:"
      echo "  got:  $(head -c 600 "$tmp/out")"
      echo "  want: $(jq -c . <<<"$want")"
    fi
    # what the workspace must be now
    expect=$tmp/expect$ncases
    cp -a "$golden/workspace" "$expect"
    [ -d "${input%.json}.after" ] && cp -a "${input%.json}.after/." "$expect/"
    if ! diff -r --no-dereference "$expect" "$ws" >"$tmp/diff" 2>&1; then
      fail "$case: the workspace is not as expected:"
      head -20 "$tmp/diff"
    fi
    rm -rf "$ws" "$expect"
  done
done
[ $ncases -ge 60 ] || fail "only $ncases cases found under $golden"
[ $fails = 0 ] && echo "guest_tools_golden: ok ($ncases cases)"
[ $fails = 0 ]
