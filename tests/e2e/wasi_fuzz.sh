#!/usr/bin/env bash
# Random WASI calls (tests/guests/fuzz_calls.c: every import but proc_exit and
# poll_oneoff, random fds, pointers, lengths and paths) through `wasmbox run`,
# under both resolvers. The host must not crash (the guest ends with 0, or a
# trap (134) if it scribbled on its own memory), the audit log must be whole
# JSON lines ending in run.exit, and nothing outside the map may be read,
# listed or changed.
set -u
build=$1
wb=$build/wasmbox
guest=$build/guests/fuzz_calls.wasm
for need in "$wb" "$guest"; do
  [ -e "$need" ] || { echo "FAIL wasi_fuzz: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL wasi_fuzz: $*"; fails=$((fails + 1)); }

for mode in openat2 walk; do
  for seed in 1 2 3 4; do
    r=$tmp/$mode-$seed
    mkdir -p "$r/outside" "$r/map/a/b" "$r/ro"
    echo "secret-$seed" >"$r/outside/secret"
    echo data >"$r/ro/data"
    ln -s ../outside "$r/map/l"
    ln -s /etc "$r/map/m"
    ln -s ../../outside/secret "$r/map/a/l"
    touch -a -d 2001-01-01 "$r" "$r/outside" "$r/outside/secret"
    # outside: not even read (atime); the read-only map may be read, not changed
    state() {
      stat -c '%n %i %s %X %Y %Z' "$r" "$r/outside" "$r/outside/secret"
      stat -c '%n %i %s %Y %Z' "$r/ro" "$r/ro/data"
    }
    before=$(state)
    if [ $mode = walk ]; then export WASMBOX_WASI_NO_OPENAT2=1; else unset WASMBOX_WASI_NO_OPENAT2; fi
    "$wb" run --timeout 60000 --max-output 100000 --dir "$r/map::/map" --dir "$r/ro::/ro:ro" \
      --audit "$tmp/audit" "$guest" "$seed" 20000 </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    unset WASMBOX_WASI_NO_OPENAT2
    case $rc in
      0|134) ;;
      *) fail "$mode seed $seed: exit $rc: $(grep -a -m3 -e ERROR -e 'wasmbox' "$tmp/err")" ;;
    esac
    # every record is one JSON object; the run ended as the exit code says
    last=$(jq -c '[.event, .exit_code]' "$tmp/audit" 2>&1 | tail -1)
    [ "$last" = "[\"run.exit\",$rc]" ] || fail "$mode seed $seed: audit log ends with [$last]"
    keep_audit "$tmp/audit"
    rm -f "$tmp/audit"
    after=$(state)
    [ "$after" = "$before" ] || { fail "$mode seed $seed: outside or the read-only map was touched"; diff <(echo "$before") <(echo "$after"); }
    [ "$(ls -A "$r/outside")" = secret ] || fail "$mode seed $seed: entries appeared outside"
    [ "$(cat "$r/outside/secret")" = "secret-$seed" ] || fail "$mode seed $seed: secret changed"
    [ "$(ls -A "$r/ro")" = data ] && [ "$(cat "$r/ro/data")" = data ] ||
      fail "$mode seed $seed: the read-only map changed"
    [ "$(ls -A "$r")" = "$(printf 'map\noutside\nro')" ] || fail "$mode seed $seed: entries appeared above the map"
  done
done
[ $fails = 0 ] && echo "wasi_fuzz: ok (8 runs of 20000 random calls)"
[ $fails = 0 ]
