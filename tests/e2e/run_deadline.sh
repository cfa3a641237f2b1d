#!/usr/bin/env bash
# e2e: alone: runs must end within 200 ms of their deadline (tests/run_e2e.sh)
# No blocking call outlasts the deadline: a run with --timeout ends within
# 200 ms of its deadline whatever the guest is blocked on (a full stdout or
# stderr pipe, a FIFO in a map that is not read or has no reader, stdin that
# never delivers, poll_oneoff, guest HTTP in flight, a host call nothing can
# interrupt), with exit 137, `wasmbox: limit: timeout after N ms` and a
# report saying so; and what the guest wrote before the deadline reaches the
# reader whole and in order (--max-output still applies).
#
# How late a run ended is measured from its own start, so a slow exec on a
# loaded machine does not count: the deadline is the audit log's run.start
# time plus the timeout (run.start is written before the module is loaded,
# so this deadline is, if anything, early), the end is the shell's clock when
# wasmbox has exited. Readers that "stop reading" start reading only after
# that, so a caller waiting for the exit before reading is what is tested.
#
# Runs in a fresh network namespace with only loopback up (the guest HTTP
# case talks to a local server that accepts and never answers).
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${WB_DEADLINE_NETNS:-}" ]; then
  if unshare -n true 2>/dev/null; then
    exec unshare -n env WB_DEADLINE_NETNS=1 bash "$here/run_deadline.sh" "$build"
  fi
  WB_DEADLINE_NETNS=none
fi
if [ "$WB_DEADLINE_NETNS" = 1 ]; then
  ip link set lo up || { echo "run_deadline: cannot bring up lo in the namespace"; exit 1; }
fi

wb=$build/wasmbox
guests=$build/guests
server=$build/tests/tools/net_server
for b in "$wb" "$server" "$guests/block.wasm" "$guests/http_fetch.wasm" "$guests/cli_denyflood.wasm"; do
  [ -e "$b" ] || { echo "run_deadline: missing $b (build with make e2e)"; exit 1; }
done

T=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fails=0 passes=0 skips=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

TO=300 # ms: short, the point is the end, not the run
LATE=200 # ms after the deadline a run may end, at most
LIMIT_LINE="wasmbox: limit: timeout after $TO ms"

# The guests' numbered stream (block.c): "00000000\n00000001\n...".
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "%08d\n", i }' >"$T/stream"

# guarded COMMAND...: runs it and writes "EXIT-CODE END-MICROSECONDS" (the
# shell's clock the moment it has exited) to $end_file. The shell waits for
# the command itself (no `timeout` process in between, whose own exit would
# add to the measured time); if a 10 s sleep ends first, the command is
# killed, so a hang fails (exit 143) instead of stalling the suite.
guarded() {
  "$@" <&0 &
  local pid=$! which rc
  sleep 10 </dev/null >/dev/null 2>&1 &
  local dog=$!
  wait -n -p which "$pid" "$dog"
  rc=$?
  local end=${EPOCHREALTIME/./}
  if [ "$which" = "$pid" ]; then
    kill "$dog"
    wait "$dog" 2>/dev/null
  else
    kill "$pid"
    wait "$pid"
    rc=$?
  fi
  echo "$rc $end" >"$end_file"
}

# timed NAME [run options and guest...]: wasmbox run --timeout $TO with an
# audit log and a report named after the case (the caller redirects stdio),
# guarded, the end in $T/NAME.end.
timed() {
  local name=$1
  shift
  end_file=$T/$name.end guarded "$wb" run --timeout "$TO" --audit "$T/$name.audit" \
    --report "$T/$name.json" "$@"
}

# reader NAME: copies its stdin to $T/NAME.got, but only once $T/NAME.go
# exists; until then it holds the pipe open and reads nothing.
reader() {
  while [ ! -e "$T/$1.go" ]; do sleep 0.02; done
  cat >"$T/$1.got"
}

# ended NAME [AUDIT-FILE]: exit 137 within $LATE ms of the deadline, and a
# report and audit log that say the timeout stopped it.
ended() {
  local name=$1 audit=${2:-$T/$1.audit} rc end fails_before=$fails
  read -r rc end <"$T/$name.end"
  local ts start_ms late
  ts=$(head -n 1 "$audit" | jq -r 'select(.event == "run.start") | .ts' 2>/dev/null)
  if [ -z "$ts" ]; then fail "$name: no run.start record in its audit log"; return; fi
  start_ms=$(date -d "$ts" +%s%3N)
  late=$((end / 1000 - start_ms - TO))
  [ "$rc" = 137 ] || fail "$name: exit $rc (want 137)"
  if [ "$late" -gt "$LATE" ] || [ "$late" -lt 0 ]; then
    fail "$name: ended $late ms after its deadline (want 0..$LATE)"
  fi
  jq -e -s --arg m "timeout after $TO ms" 'length == 1 and (.[0] |
    .status == "limit" and .limit == "timeout" and .exit_code == 137 and .message == $m)' \
    "$T/$name.json" >/dev/null 2>&1 || fail "$name: report [$(cat "$T/$name.json" 2>/dev/null)]"
  [ "$fails" = "$fails_before" ] && passes=$((passes + 1))
  echo "  $name: exit $rc, $late ms after the deadline"
}

said_limit() { # NAME FILE: the closing line is in FILE
  grep -qxF -- "$LIMIT_LINE" "$2" || fail "$1: stderr lacks [$LIMIT_LINE]: [$(cat "$2")]"
}

# stream_prefix NAME FILE BYTES: FILE is the first BYTES bytes of the stream
# (BYTES > 0), nothing lost, nothing out of order.
stream_prefix() {
  local size
  size=$(stat -c %s "$2")
  if [ "$size" != "$3" ] || [ "$3" -le 0 ] || ! cmp -s -n "$3" "$T/stream" "$2"; then
    fail "$1: reader got $size bytes (want $3, the stream's start): $(head -c 40 "$2" | tr '\n' ' ')"
  fi
}
output_bytes() { jq -r .output_bytes "$T/$1.json"; }

# ---- stdout: a pipe whose reader waits for the exit before reading ----
{ timed stdout "$guests/block.wasm" stdout 2>"$T/stdout.err"; touch "$T/stdout.go"; } |
  reader stdout
ended stdout
said_limit stdout "$T/stdout.err"
stream_prefix stdout "$T/stdout.got" "$(output_bytes stdout)"

# ---- stderr: the same on fd 2. The pipe is full to the last byte, so the
# closing line cannot be added (it waits CLI_CLOSING_LINE_WAIT_MS, then gives up): the report
# and audit log carry it. ----
{ timed stderr "$guests/block.wasm" stderr 2>&1 >"$T/stderr.out"; touch "$T/stderr.go"; } |
  reader stderr
ended stderr
got=$(stat -c %s "$T/stderr.got")
[ "$(tail -c $((${#LIMIT_LINE} + 1)) "$T/stderr.got")" = "$LIMIT_LINE" ] &&
  got=$((got - ${#LIMIT_LINE} - 1)) # (had it fitted after all)
head -c "$got" "$T/stderr.got" >"$T/stderr.data"
stream_prefix stderr "$T/stderr.data" "$(output_bytes stderr)"
jq -e -s --arg m "timeout after $TO ms" 'any(.[]; .event == "run.limit" and .message == $m)' \
  "$T/stderr.audit" >/dev/null || fail "stderr: no run.limit record"

# ---- stdout with --max-output: the cap still cuts, and the guest (never
# blocked then) is stopped at its deadline all the same ----
{ timed capped --max-output 1000 "$guests/block.wasm" stdout 2>"$T/capped.err"; touch "$T/capped.go"; } |
  reader capped
ended capped
said_limit capped "$T/capped.err"
stream_prefix capped "$T/capped.got" 1000
grep -qF "[wasmbox: output limit of 1000 bytes reached; the rest is cut]" "$T/capped.err" ||
  fail "capped: no cut notice: [$(cat "$T/capped.err")]"

# ---- a FIFO inside a map: its reader opened it and reads nothing ----
mkdir "$T/map"
mkfifo "$T/map/fifo" "$T/map/lonely" "$T/map/silent"
( exec 3<"$T/map/fifo"; reader fifo <&3 ) &
reader_pid=$!
pids+=("$reader_pid")
timed fifo --dir "$T/map::/box" "$guests/block.wasm" fifo-write /box/fifo >"$T/fifo.out" 2>"$T/fifo.err"
touch "$T/fifo.go"
exec 6<>"$T/map/fifo" 6>&- # (never blocks) lets the reader's open return even if the guest never opened it
wait "$reader_pid"
ended fifo
said_limit fifo "$T/fifo.err"
# What the guest wrote is there, whole and in order (how much depends on the
# FIFO's size; nothing is counted for a FIFO to compare with).
size=$(stat -c %s "$T/fifo.got")
if [ "$size" -le 0 ] || ! cmp -s -n "$size" "$T/stream" "$T/fifo.got"; then
  fail "fifo: reader got $size bytes that are not the stream's start"
fi

# ---- a FIFO with no reader at all: the open waits for one (as POSIX says)
# and the deadline ends the wait ----
timed fifo-open --dir "$T/map::/box" "$guests/block.wasm" fifo-write /box/lonely >"$T/fifo-open.out" 2>"$T/fifo-open.err"
ended fifo-open
said_limit fifo-open "$T/fifo-open.err"
[ -s "$T/fifo-open.out" ] && fail "fifo-open: the guest's open returned: $(cat "$T/fifo-open.out")"

# ---- a FIFO with no writer: the read waits ----
timed fifo-read --dir "$T/map::/box" "$guests/block.wasm" fifo-read /box/silent >"$T/fifo-read.out" 2>"$T/fifo-read.err"
ended fifo-read
said_limit fifo-read "$T/fifo-read.err"
[ -s "$T/fifo-read.out" ] && fail "fifo-read: the guest's read returned: $(cat "$T/fifo-read.out")"

# ---- stdin that never delivers (this shell holds the write end open) ----
mkfifo "$T/stdin"
exec 4<>"$T/stdin"
timed stdin "$guests/block.wasm" stdin <"$T/stdin" >"$T/stdin.out" 2>"$T/stdin.err"
ended stdin
said_limit stdin "$T/stdin.err"
timed pollin "$guests/block.wasm" pollin <"$T/stdin" >"$T/pollin.out" 2>"$T/pollin.err"
ended pollin
said_limit pollin "$T/pollin.err"
exec 4>&-

# ---- poll_oneoff on a 30 s clock, and a plain loop ----
for mode in sleep spin; do
  timed "$mode" "$guests/block.wasm" "$mode" </dev/null >"$T/$mode.out" 2>"$T/$mode.err"
  ended "$mode"
  said_limit "$mode" "$T/$mode.err"
  [ -s "$T/$mode.out" ] && fail "$mode: the guest went on: $(cat "$T/$mode.out")"
done

# ---- guest HTTP in flight: a loopback server that accepts and never answers ----
if [ "$WB_DEADLINE_NETNS" = 1 ]; then
  "$server" --port-file "$T/port" --log "$T/server.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
  if [ -s "$T/port" ]; then
    url=http://127.0.0.1:$(cat "$T/port")
    timed http --allow-host "$url" "$guests/http_fetch.wasm" "$url/stallhead" >"$T/http.out" 2>"$T/http.err"
    ended http
    said_limit http "$T/http.err"
    [ -s "$T/http.out" ] && fail "http: the guest went on: $(cat "$T/http.out")"
    grep -qF "GET /stallhead" "$T/server.log" || fail "http: the request never reached the server"
  else
    fail "http: the test server did not start"
  fi
else
  echo "  SKIP http: cannot make a network namespace (unshare -n not permitted)"
  skips=$((skips + 1))
fi

# ---- the last resort: a host call nothing interrupts. The audit log is a
# FIFO whose reader reads nothing; the guest provokes refusals until a
# record's write(2) blocks inside the audit writer. CLI_HARD_STOP_MS after
# the deadline the process ends itself: the report written, the line said.
mkfifo "$T/audit.fifo"
exec 5<>"$T/audit.fifo" # a reader that never reads (and keeps what was written)
end_file=$T/hard.end guarded "$wb" run --timeout "$TO" --audit "$T/audit.fifo" \
  --report "$T/hard.json" --dir "$T/map::/box" "$guests/cli_denyflood.wasm" 1000000000 \
  /box/../../etc/passwd >"$T/hard.out" 2>"$T/hard.err"
head -n 1 <&5 >"$T/hard.audit" # run.start, the first record
exec 5>&-
ended hard "$T/hard.audit"
said_limit hard "$T/hard.err"
grep -qF "wasmbox: the guest was still in a host call" "$T/hard.err" ||
  fail "hard: no hard-stop line: [$(cat "$T/hard.err")]"

echo "run_deadline: $passes ended in time, $fails failed, $skips skipped"
[ "$fails" -eq 0 ]
