#!/usr/bin/env bash
# e2e: alone: the records a flood leaves depend on how far it got before --timeout stopped it (tests/run_e2e.sh)
# The audit log stays bounded whatever the guest does, and its counts stay
# exact: a guest flooding wasmbox_http with refused 8000-byte URLs (a fixed
# number of them, and without end until --timeout stops it) leaves at most
# WB_AUDIT_MAX_RECORDS (10000) of its records in at most WB_AUDIT_MAX_BYTES
# (16 MiB), each string cut to 1 KiB
# (WB_AUDIT_MAX_TEXT) with the cut and the original length said, one
# audit.suppressed notice, and run.exit counting exactly what was left out.
# Guest strings that are not UTF-8 reach the log as valid JSON text.
#
# Runs in a fresh network namespace (unshare -n) with only loopback up: every
# request here is refused before any socket exists, and even if the code under
# test were wrong no packet could leave.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WB_AUDIT_NETNS:-}" ]; then
  unshare -n true 2>/dev/null ||
    { echo "FAIL audit_log: cannot create a network namespace (unshare -n)"; exit 1; }
  exec unshare -n env WB_AUDIT_NETNS=1 bash "$here/audit_log.sh" "$build"
fi
ip link set lo up || { echo "FAIL audit_log: cannot bring up lo in the namespace"; exit 1; }

wb=$build/wasmbox
flood=$build/guests/audit_httpflood.wasm
denyflood=$build/guests/cli_denyflood.wasm
for need in "$wb" "$flood" "$denyflood"; do
  [ -e "$need" ] || { echo "FAIL audit_log: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
. "$here/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL audit_log: $*"; fails=$((fails + 1)); }
# is NAME FILE FILTER EXPECTED: jq -s FILTER over the log gives EXPECTED (compact).
is() {
  local got; got=$(jq -cs "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq -s '$3' gave [$got] (want [$4])"
}

MAX_RECORDS=10000
MAX_BYTES=$((16 << 20))
MAX_TEXT=1024
# A net.connect record holds two strings a guest or server can make long (url,
# reason), each cut to MAX_TEXT, plus short fixed fields: 3 KiB is room for all.
MAX_LINE=3072
# bounded NAME FILE: no line over MAX_LINE, and the whole within the cap
# (MAX_BYTES of capped records, plus the notice and a few once-a-run records).
bounded() {
  local name=$1 f=$2
  local longest size
  longest=$(LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$f")
  size=$(stat -c %s "$f")
  [ "$longest" -le $MAX_LINE ] || fail "$name: a record of $longest bytes (bound $MAX_LINE)"
  [ "$size" -le $((MAX_BYTES + 10 * (MAX_LINE + 1))) ] ||
    fail "$name: the log is $size bytes (bound $((MAX_BYTES + 10 * (MAX_LINE + 1))))"
}

# ---- a fixed number of refusals: the exact count ----
log=$tmp/count.audit
"$wb" run --audit "$log" --timeout 120000 "$flood" 12000 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "count: exit $rc: $(head -c 300 "$tmp/err")"
[ "$(cat "$tmp/out")" = "refused 12000 of 12000" ] || fail "count: guest said [$(head -c 300 "$tmp/out")]"
bounded count "$log"
is count-events "$log" '[.[].event] | group_by(.) | map([.[0], length])' \
  '[["audit.suppressed",1],["net.connect",10000],["proc.exit",1],["run.exit",1],["run.start",1]]'
# 12000 requests, one record each: 10000 kept, 2000 counted
is count-suppressed "$log" '.[-1] | [.event, .audit_suppressed]' '["run.exit",2000]'
is count-notice "$log" '[.[] | select(.event == "audit.suppressed") | [.max_records, .max_bytes]]' "[[$MAX_RECORDS,$MAX_BYTES]]"
# the notice comes right after the last kept record, the closing records after it
is count-order "$log" '[.[-4:][].event]' '["net.connect","audit.suppressed","proc.exit","run.exit"]'
# every url cut to MAX_TEXT bytes, and the cut said with the original length
is count-urls-cut "$log" \
  "[.[] | select(.event == \"net.connect\") | [(.url | utf8bytelength), .truncated.url]] | unique" \
  "[[$MAX_TEXT,8000]]"
# both kinds of refusal are in: by the allowed hosts, and of an unusable URL
is count-kinds "$log" '[.[] | select(.event == "net.connect") | [.decision, .kind, .origin]] | unique' \
  '[["refuse","policy","http://refused.invalid"],["refuse","url",null]]'
is count-url-start "$log" '[.[] | select(.event == "net.connect") | .url[0:30]] | unique' \
  '["http://refused.invalid/aaaaaaa","http://refused.invalid:99999/a"]'

# ---- without end, until the timeout: bounded all the same ----
# flood_until_timeout MS: one such run, checked whatever the guest reached;
# sets past_cap=1 if it made more records than the cap.
flood_until_timeout() {
  local ms=$1 log=$tmp/timeout-$1.audit name="timeout $1 ms"
  "$wb" run --audit "$log" --timeout "$ms" "$flood" 0 >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 137 ] || fail "$name: exit $rc (want 137): $(head -c 300 "$tmp/err")"
  bounded "$name" "$log"
  is "$name: end" "$log" '[.[-2:][] | .event] + [.[-2].limit]' '["run.limit","run.exit","timeout"]'
  local kept suppressed refused last_open=0
  kept=$(jq -s '[.[] | select(.event == "net.connect")] | length' "$log")
  suppressed=$(jq -s '.[-1].audit_suppressed | if type == "number" then . else -1 end' "$log")
  # Each request the policy refused (errno 76, or 28 for the unusable URL)
  # made one record; requests made after the deadline but before the guest
  # was stopped fail with 73 (timed out) before any decision, and make none.
  # The timeout may also stop the guest between a "try" and its "done", so
  # the total lies between the refusals it saw and one more.
  refused=$(grep -c -E '^done [0-9]+ (76|28)$' "$tmp/out")
  [ "$(tail -n 1 "$tmp/out" | cut -d' ' -f1)" = try ] && last_open=1
  [ "$(grep '^done ' "$tmp/out" | grep -c -v -E ' (76|28|73)$')" = 0 ] ||
    fail "$name: requests ending otherwise than refused or timed out: $(grep '^done ' "$tmp/out" | grep -v -E ' (76|28|73)$' | head -3)"
  local total=$((kept + suppressed))
  [ "$refused" -le "$total" ] && [ "$total" -le $((refused + last_open)) ] ||
    fail "$name: $kept kept + $suppressed suppressed = $total records, but the guest saw $refused refusals (+$last_open unfinished)"
  if [ "$total" -gt $MAX_RECORDS ]; then
    past_cap=1
    [ "$kept" = $MAX_RECORDS ] || fail "$name: $kept net.connect records kept (want $MAX_RECORDS)"
    is "$name: notice" "$log" '[.[] | select(.event == "audit.suppressed")] | length' 1
  else
    [ "$suppressed" = 0 ] || fail "$name: $suppressed suppressed below the cap"
  fi
}
# How far a guest gets in a given time depends on the machine and its load,
# so the timeout doubles until one run has gone past the cap (each run is
# checked all the same).
past_cap=0
for ms in 3000 6000 12000 24000; do
  flood_until_timeout $ms
  [ $past_cap = 1 ] && break
done
[ $past_cap = 1 ] || fail "timeout: no run went past the cap of $MAX_RECORDS records, even in 24 s"

# ---- a guest path: cut, and made valid UTF-8 ----
# An escape through ".." (refused, audited with the path) whose name starts
# with a byte that is not UTF-8 and goes on for 3000 bytes.
mkdir -p "$tmp/box"
long=$(printf 'x%.0s' $(seq 1 200))
long="$long/$long/$long/$long/$long/$long/$long/$long/$long/$long/$long/$long/$long/$long/$long"
path=$'/box/../\xff'"$long"
"$wb" run --audit "$tmp/path.audit" --dir "$tmp/box::/box" "$denyflood" 1 "$path" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "path: exit $rc: $(head -c 300 "$tmp/err")"
given=$(( ${#long} + 4 )) # the path relative to /box: "../", the \xff byte, the rest
is path-deny "$tmp/path.audit" \
  '[.[] | select(.event == "fs.deny") | [.op, .dir, (.path | utf8bytelength) <= 1024, .path[0:6], .truncated.path]]' \
  "[[\"open\",\"/box\",true,\"../"$'\xef\xbf\xbd'"xx\",$given]]"
bounded path "$tmp/path.audit"

# ---- a run that cannot start is logged too, with how it ended ----
echo '(module (import "env" "foo" (func)) (func (export "_start")))' >"$tmp/env.wat"
wat2wasm "$tmp/env.wat" -o "$tmp/env.wasm"
"$wb" run --audit "$tmp/error.audit" "$tmp/env.wasm" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "error: exit $rc (want 1)"
is error-records "$tmp/error.audit" '[.[] | del(.ts, .sha256, .module)] | .[1:]' \
  "[{\"event\":\"run.error\",\"message\":\"$tmp/env.wasm: unresolved import env.foo (only WASI is provided)\"},{\"event\":\"run.exit\",\"status\":\"error\",\"exit_code\":1,\"guest_exit_code\":null,\"fuel_used\":0,\"wall_ms\":0,\"peak_memory_bytes\":0,\"output_bytes\":0,\"memory_refusals\":0,\"audit_suppressed\":0}]"

[ $fails = 0 ] && echo "audit_log: ok"
[ $fails = 0 ]
