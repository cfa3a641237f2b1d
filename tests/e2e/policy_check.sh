#!/usr/bin/env bash
# `wasmbox policy check FILE` end to end: the good examples pass and print a
# normalized policy that checks again to the same text wherever it is saved;
# every bad example fails with exit 1 and its exact message; usage errors.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
bad() { # file message (run from the repository root, as policy/README.md lists them)
  "$wb" policy check "policy/examples/$1" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = 1 ] || fail "$1: rc=$rc (want 1)"
  [ -s "$tmp/out" ] && fail "$1: printed a policy: $(cat "$tmp/out")"
  [ "$(cat "$tmp/err")" = "wasmbox: $2" ] || fail "$1: stderr=[$(cat "$tmp/err")] (want [wasmbox: $2])"
}

bad bad_cidr.json 'policy/examples/bad_cidr.json: block_networks[2]: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)'
bad bad_unknown_key.json 'policy/examples/bad_unknown_key.json: unknown key "fule" (did you mean "fuel"?)'
bad bad_type.json 'policy/examples/bad_type.json: fuel: expected a number, got an array'
bad bad_size.json 'policy/examples/bad_size.json: max_memory: "64Q" is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)'
bad bad_negative.json 'policy/examples/bad_negative.json: timeout_ms: must not be negative'
bad bad_host_pattern.json 'policy/examples/bad_host_pattern.json: allowed_outbound_hosts[1]: "https://api.*.com" is not a valid host pattern ("*" must be the whole host or whole leading labels, as in *.example.com)'
bad bad_network_set.json 'policy/examples/bad_network_set.json: block_networks[0]: "privat" is not a known network set (known: private, loopback, link-local, metadata, internal)'
bad bad_guest_path.json 'policy/examples/bad_guest_path.json: dirs[0]: guest path "/a/../etc" must not contain ".."'
bad bad_duplicate_guest.json 'policy/examples/bad_duplicate_guest.json: dirs[1]: guest path "/data" is already mapped by policy/examples/bad_duplicate_guest.json: dirs[0]'
bad bad_missing_dir.json 'policy/examples/bad_missing_dir.json: dirs[0]: host directory "policy/examples/does-not-exist" does not exist'
# Every bad example is covered above.
for f in policy/examples/bad_*.json; do
  grep -q "^bad $(basename "$f") " "$0" || fail "$f has no expected message in this test"
done

# Good examples: exit 0, JSON with every key, and a fixed point: the printed
# policy, saved elsewhere and checked again, prints the same.
# A policy that contradicts itself still passes (exit 0); the warnings, and
# nothing else, go to stderr (the 4th argument, empty by default).
good() { # file jq-filter expected-jq-facts [expected-stderr]
  "$wb" policy check "$1" >"$tmp/p1.json" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = 0 ] || { fail "$1: rc=$rc err=[$(cat "$tmp/err")]"; return; }
  [ "$(cat "$tmp/err")" = "${4:-}" ] || fail "$1: stderr=[$(cat "$tmp/err")] (want [${4:-}])"
  local keys; keys=$(jq -c 'keys_unsorted' "$tmp/p1.json")
  [ "$keys" = '["dirs","work_dir","allow_symlink_dotdot","env","args","allowed_outbound_hosts","block_networks","block_urls","ca_file","resolve","timeout_ms","fuel","max_memory","max_stack","max_output","cache_dir","audit"]' ] ||
    fail "$1: keys $keys"
  local facts; facts=$(jq -c "$2" "$tmp/p1.json")
  [ "$facts" = "$3" ] || fail "$1: jq '$2' gave [$facts] (want [$3])"
  mkdir -p "$tmp/elsewhere"
  cp "$tmp/p1.json" "$tmp/elsewhere/p.json"
  (cd "$tmp" && "$wb" policy check elsewhere/p.json) >"$tmp/p2.json" 2>"$tmp/err" ||
    fail "$1: the printed policy does not check: $(cat "$tmp/err")"
  cmp -s "$tmp/p1.json" "$tmp/p2.json" || fail "$1: printing is not a fixed point: $(diff "$tmp/p1.json" "$tmp/p2.json")"
}
good policy/examples/minimal.json '[.dirs, .allow_symlink_dotdot, .block_networks, .timeout_ms, .max_memory, .fuel]' \
  "[[{\"host\":\"$root/policy/examples/..\",\"guest\":\"/data\",\"mode\":\"ro\"}],false,[\"internal\"],10000,67108864,1000000000000]"
if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  good policy/examples/full.json '[.work_dir, .allow_symlink_dotdot, .max_stack, .max_output, .env.GREETING, .block_networks[3], .audit]' \
    "[\"$root/policy/examples/..\",true,1048576,65536,\"hello \\\"world\\\"\",\"198.51.100.7/32\",\"$root/policy/examples/audit.log\"]" \
    "wasmbox: warning: allowed_outbound_hosts[2] '*://localhost:*' can never be reached: every address of it is in block_networks (::1 is in blocked network \"internal\" (::1/128)); remove one of the two
wasmbox: warning: allowed_outbound_hosts[3] 'http://[::1]:8080' can never be reached: every address of it is in block_networks (::1 is in blocked network \"internal\" (::1/128)); remove one of the two
wasmbox: warning: read-only map /examples (policy/examples/full.json: dirs[0]) lies inside read-write map / (policy/examples/full.json: work_dir): the inner directory is read-only but its surroundings are not; give both the same mode if that is meant
wasmbox: warning: read-only map /policy-again (policy/examples/full.json: dirs[2]) lies inside read-write map / (policy/examples/full.json: work_dir): the inner directory is read-only but its surroundings are not; give both the same mode if that is meant"
else
  echo "policy_check: note: no /etc/ssl/certs/ca-certificates.crt, full.json not checked"
fi
# A policy from a pipe.
echo '{"max_memory": "1K"}' | "$wb" policy check /dev/stdin >"$tmp/out" 2>"$tmp/err" || fail "pipe: $(cat "$tmp/err")"
[ "$(jq -c .max_memory "$tmp/out")" = 1024 ] || fail "pipe: max_memory $(jq -c .max_memory "$tmp/out")"

# Usage and missing files.
"$wb" policy check >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "usage: wasmbox policy check" "$tmp/err" || fail "usage: rc=$rc err=[$(cat "$tmp/err")]"
"$wb" policy frob x >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "policy frob: rc=$rc (want 2)"
"$wb" policy check "$tmp/nope.json" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] && grep -qF "$tmp/nope.json" "$tmp/err" || fail "missing file: rc=$rc err=[$(cat "$tmp/err")]"

[ "$fails" -eq 0 ] && echo "policy_check: ok" || { echo "policy_check: $fails failed"; exit 1; }
