#!/usr/bin/env bash
# e2e: alone: 300 ms timeouts must stop blocked and spinning guests (tests/run_e2e.sh)
# WASI guests end to end through `wasmbox run` and its policy flags: output,
# args and env (nothing inherited), exit codes (the guest's, 134 trap, 137
# limit, 1 load/link error), clocks and randomness, file work in a writable
# map (with the directory listing compared to the host's, and every change in
# the JSON-lines audit log), guest paths in the audit under a map at `/`, the
# output limit (a cap, and 0: nothing passes), the wall-clock timeout stopping
# blocked and spinning guests, fuel, unresolvable imports, and the older
# wasi_unstable layouts.
set -u
build=$1
run="$build/wasmbox run"
g=$build/guests
for need in "$build/wasmbox" "$g/hello.wasm"; do
  [ -e "$need" ] || { echo "FAIL wasi_basic: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
rtmp=$(cd "$tmp" && pwd -P) # as host_path fields show it
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL wasi_basic: $*"; fails=$((fails + 1)); }
# audit_has NAME FILE EVENT FIELDS: the log has a record of that event with
# exactly these values for the fields of the JSON object FIELDS (others may follow).
audit_has() {
  [ "$(jq -s --arg ev "$3" --argjson w "$4" \
       'any(.[]; .event == $ev and (. as $r | $w | to_entries | all($r[.key] == .value)))' "$2" 2>&1)" = true ] ||
    fail "$1: no audit record of $3 with $4 in $2: $(jq -c "select(.event == \"$3\") | del(.ts)" "$2" 2>&1 | tr '\n' ' ' | head -c 600)"
}
# audit_is NAME FILE FILTER EXPECTED: jq -s FILTER over the log gives EXPECTED (compact).
audit_is() {
  local got; got=$(jq -cs "$3" "$2" 2>&1)
  [ "$got" = "$4" ] || fail "$1: jq -s '$3' gave [$got] (want [$4])"
}
check() { # name expected-rc expected-stdout -- command...
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local out; out=$(cat "$tmp/out")
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ]; then
    fail "$name: rc=$rc (want $want_rc) out=[$out] (want [$want_out]) err=[$(head -c 300 "$tmp/err")]"
  fi
}

check hello 0 "hello from wasi" -- $run "$g/hello.wasm"
check args 0 "argc=4
arg[1]=a
arg[2]=b c
arg[3]=--x
nenv=0
PATH=(unset)" -- env FOO=host $run "$g/args_env.wasm" a "b c" --x
check env 0 "argc=1
env=A=1
env=EMPTY=
env=PATH=/guest
nenv=3
PATH=/guest" -- $run --env A=1 --env EMPTY= --env PATH=/guest "$g/args_env.wasm"
for how in return exit _Exit; do
  check "exit-$how" 42 "exiting with 42 via $how" -- $run "$g/exit_code.wasm" 42 $how
done
check exit-0 0 "exiting with 0 via exit" -- $run "$g/exit_code.wasm" 0 exit
check clocks 0 "clocks ok" -- $run "$g/clocks_random.wasm"

# a trap: 134, the message, and the audit says how it ended
cat >"$tmp/trap.wat" <<'WAT'
(module (memory (export "memory") 1) (func (export "_start") unreachable))
WAT
wat2wasm "$tmp/trap.wat" -o "$tmp/trap.wasm"
check trap 134 "" -- $run --audit "$tmp/trap.audit" "$tmp/trap.wasm"
# (the offset of `unreachable` in that module is 0x31)
grep -qx "wasmbox: trap: unreachable in function 0 at offset 0x31" "$tmp/err" || fail "trap: stderr [$(cat "$tmp/err")]"
audit_is trap-audit "$tmp/trap.audit" '[.[].event]' '["run.start","proc.trap","run.trap","run.exit"]'
audit_is trap-audit-exit "$tmp/trap.audit" '.[-1] | [.status, .exit_code, .guest_exit_code]' '["trap",134,null]'
audit_is trap-audit-trap "$tmp/trap.audit" '.[1].message' '"unreachable"'

# files, and the listing of a directory long enough for several fd_readdir calls
mkdir -p "$tmp/data/list/subdir"
for i in $(seq 1 400); do echo "$i" >"$tmp/data/list/entry_with_a_longish_name_$i"; done
ln -s nowhere "$tmp/data/list/alink"
check files 0 "files ok" -- $run --dir "$tmp/data::/data" --audit "$tmp/files.audit" "$g/files.wasm"
(cd "$tmp/data/list" && for n in * .[!.]*; do
   [ -e "$n" ] || [ -L "$n" ] || continue
   if [ -L "$n" ]; then t=link; elif [ -d "$n" ]; then t=dir; else t=file; fi
   echo "$n $(stat -c %i "$n") $t"
 done) | LC_ALL=C sort >"$tmp/host_listing"
LC_ALL=C sort "$tmp/data/listing.txt" | diff - "$tmp/host_listing" >/dev/null ||
  fail "files: the guest's listing (names, inodes, types) differs from the host's"
[ "$(cat "$tmp/data/b.txt" 2>/dev/null | head -c 3)" = "abc" ] || fail "files: b.txt not on the host"
[ -d "$tmp/data/keep/inner" ] || fail "files: mkdir with a trailing slash"
[ -L "$tmp/data/l" ] && [ "$(readlink "$tmp/data/l")" = b.txt ] || fail "files: guest symlink"
# every change the guest made is in the audit log, with its guest path
audit_is files-start "$tmp/files.audit" '.[0] | [.event, .dirs, .argc]' "[\"run.start\",[{\"host\":\"$tmp/data\",\"guest\":\"/data\",\"mode\":\"rw\"}],1]"
audit_has files-open-w "$tmp/files.audit" fs.open \
  "{\"op\":\"open\",\"dir\":\"/data\",\"path\":\"a.txt\",\"host_path\":\"$rtmp/data/a.txt\",\"mode\":\"w\",\"create\":true,\"trunc\":true}"
audit_has files-rename "$tmp/files.audit" fs.change \
  "{\"op\":\"rename\",\"dir\":\"/data\",\"path\":\"a.txt\",\"host_path\":\"$rtmp/data/a.txt\",\"new_dir\":\"/data\",\"new_path\":\"b.txt\",\"new_host_path\":\"$rtmp/data/b.txt\"}"
audit_has files-mkdir "$tmp/files.audit" fs.change "{\"op\":\"mkdir\",\"dir\":\"/data\",\"path\":\"d\",\"host_path\":\"$rtmp/data/d\"}"
audit_has files-unlink "$tmp/files.audit" fs.change "{\"op\":\"unlink\",\"dir\":\"/data\",\"path\":\"d/x\",\"host_path\":\"$rtmp/data/d/x\"}"
audit_has files-rmdir "$tmp/files.audit" fs.change "{\"op\":\"rmdir\",\"dir\":\"/data\",\"path\":\"d\",\"host_path\":\"$rtmp/data/d\"}"
audit_has files-mkdir-slash "$tmp/files.audit" fs.change \
  "{\"op\":\"mkdir\",\"dir\":\"/data\",\"path\":\"keep/inner/\",\"host_path\":\"$rtmp/data/keep/inner\"}"
audit_has files-link "$tmp/files.audit" fs.change \
  "{\"op\":\"link\",\"dir\":\"/data\",\"path\":\"c.txt\",\"host_path\":\"$rtmp/data/c.txt\",\"target_dir\":\"/data\",\"target\":\"b.txt\",\"target_host_path\":\"$rtmp/data/b.txt\"}"
audit_has files-symlink "$tmp/files.audit" fs.change \
  "{\"op\":\"symlink\",\"dir\":\"/data\",\"path\":\"l\",\"host_path\":\"$rtmp/data/l\",\"target\":\"b.txt\"}"
# opened through the guest's link: host_path is where it really led
audit_has files-open-link "$tmp/files.audit" fs.open "{\"path\":\"l\",\"host_path\":\"$rtmp/data/b.txt\",\"mode\":\"r\"}"
audit_has files-listing "$tmp/files.audit" fs.open "{\"dir\":\"/data\",\"path\":\"list\",\"host_path\":\"$rtmp/data/list\",\"mode\":\"dir\"}"
audit_is files-no-deny "$tmp/files.audit" '[.[] | select(.event == "fs.deny")] | length' 0
audit_is files-exit "$tmp/files.audit" '.[-1] | [.event, .status, .exit_code]' '["run.exit","exited",0]'

# a directory mapped at guest / (--work-dir): the path is the one the guest
# gave relative to the map ("data/in.txt" for "/data/in.txt")
mkdir -p "$tmp/wd/data" && echo hi >"$tmp/wd/data/in.txt"
check work-dir 3 "argv0=cli_fs.wasm argc=1
read /data/in.txt: 3 bytes: hi
write /data/out.txt: ok
read /data/../../etc/passwd: Capabilities insufficient" -- $run --work-dir "$tmp/wd" --audit "$tmp/wd.audit" "$g/cli_fs.wasm"
audit_has work-dir-open "$tmp/wd.audit" fs.open \
  "{\"dir\":\"/\",\"path\":\"data/in.txt\",\"host_path\":\"$rtmp/wd/data/in.txt\",\"mode\":\"r\",\"create\":false}"
audit_has work-dir-create "$tmp/wd.audit" fs.open \
  "{\"dir\":\"/\",\"path\":\"data/out.txt\",\"host_path\":\"$rtmp/wd/data/out.txt\",\"mode\":\"w\",\"create\":true,\"trunc\":true}"
audit_has work-dir-deny "$tmp/wd.audit" fs.deny \
  '{"op":"open","dir":"/","path":"data/../../etc/passwd","errno":"notcapable","reason":"outside the mapped directories"}'
audit_is work-dir-deny-no-host "$tmp/wd.audit" '[.[] | select(.event == "fs.deny") | has("host_path")]' '[false]'

# output limit: 1000 bytes pass, then one notice; the guest runs to its end
$run --max-output 1000 --audit "$tmp/flood.audit" "$g/flood.wasm" >"$tmp/fo" 2>"$tmp/fe"
rc=$?
[ $rc = 7 ] || fail "flood: rc=$rc (want 7: the guest must run on after the cut)"
total=$(( $(tr -d -c x <"$tmp/fo" | wc -c) + $(grep -v "wasmbox:" "$tmp/fe" | tr -d -c x | wc -c) ))
[ "$total" = 1000 ] || fail "flood: $total bytes of output passed (want 1000)"
[ "$(grep -c 'output limit of 1000 bytes' "$tmp/fe")" = 1 ] || fail "flood: want exactly one notice"
grep -q finished "$tmp/fo" && fail "flood: output after the limit got through"
audit_is flood-audit "$tmp/flood.audit" '[.[] | select(.event == "output.limit") | .max_output]' '[1000]'
audit_is flood-bytes "$tmp/flood.audit" '.[-1] | [.exit_code, .output_bytes]' '[7,200009]'
# max_output 0: nothing at all passes (not even the notice); the guest runs on
$run --max-output 0 --audit "$tmp/zero.audit" "$g/flood.wasm" >"$tmp/fo" 2>"$tmp/fe"
rc=$?
[ $rc = 7 ] || fail "flood-zero: rc=$rc (want 7)"
[ -s "$tmp/fo" ] || [ -s "$tmp/fe" ] && fail "flood-zero: output passed: [$(head -c 200 "$tmp/fo" "$tmp/fe")]"
audit_is flood-zero-audit "$tmp/zero.audit" '[.[] | select(.event == "output.limit") | .max_output]' '[0]'
# no cap: all of it, no notice
$run "$g/flood.wasm" >"$tmp/fo" 2>"$tmp/fe"
rc=$?
[ $rc = 7 ] && [ "$(tr -d -c x <"$tmp/fo" | wc -c)" = 100000 ] && [ "$(tr -d -c x <"$tmp/fe" | wc -c)" = 100000 ] &&
  grep -q finished "$tmp/fo" && ! grep -q "output limit" "$tmp/fe" || fail "flood-uncapped: rc=$rc, output cut"

# the timeout stops guests blocked in fd_read and poll_oneoff, and spinning ones
mkfifo "$tmp/fifo"
exec 3<>"$tmp/fifo" # a writer that never writes: reads block, no EOF
for what in stdin pollin sleep spin; do
  check "timeout-$what" 137 "" -- $run --timeout 300 "$g/block.wasm" $what <"$tmp/fifo"
  grep -qx "wasmbox: limit: timeout after 300 ms" "$tmp/err" || fail "timeout-$what: message [$(cat "$tmp/err")]"
done
exec 3>&-
check stdin-pipe 0 "read 6" -- sh -c "printf 'hello\n' | $run '$g/block.wasm' stdin"
check pollin-pipe 0 "poll 0 1" -- sh -c "printf 'hello\n' | $run '$g/block.wasm' pollin"
check fuel 137 "" -- $run --fuel 100000 "$g/block.wasm" spin
grep -qx "wasmbox: limit: out of fuel" "$tmp/err" || fail "fuel: message [$(cat "$tmp/err")]"

# imports WASI cannot satisfy are named
cat >"$tmp/foreign.wat" <<'WAT'
(module (import "env" "host_thing" (func (param i32))) (func (export "_start")))
WAT
wat2wasm "$tmp/foreign.wat" -o "$tmp/foreign.wasm"
check foreign-import 1 "" -- $run "$tmp/foreign.wasm"
grep -q "env.host_thing" "$tmp/err" || fail "foreign-import: the import is not named: $(cat "$tmp/err")"
cat >"$tmp/badtype.wat" <<'WAT'
(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
        (func (export "_start")))
WAT
wat2wasm "$tmp/badtype.wat" -o "$tmp/badtype.wasm"
check wrong-type 1 "" -- $run "$tmp/badtype.wasm"
grep -q "fd_write: type" "$tmp/err" || fail "wrong-type: $(cat "$tmp/err")"

# wasi_unstable: whence numbering (cur=0 end=1 set=2), the 56-byte filestat
# (nlink u32 at 20, size at 24), and the clock subscription with its extra
# identifier. Exits with the number of the first check that fails.
cat >"$tmp/legacy.wat" <<'WAT'
(module
  (import "wasi_unstable" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fstat (param i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "f.txt")
  (func $check (param i32 i32)
    (if (i32.eqz (local.get 0)) (then (call $exit (local.get 1)))))
  (func (export "_start")
    (local $fd i32)
    (call $check (i32.eqz (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 5)
      (i32.const 0) (i64.const 0x3FFFFFFF) (i64.const 0x3FFFFFFF) (i32.const 0) (i32.const 100)))
      (i32.const 1))
    (local.set $fd (i32.load (i32.const 100)))
    ;; whence 2 is SET here: offset 2 (END would give 12)
    (call $check (i32.eqz (call $seek (local.get $fd) (i64.const 2) (i32.const 2) (i32.const 200)))
      (i32.const 2))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 2)) (i32.const 3))
    ;; whence 1 is END: -1 from the end of 10 bytes
    (call $check (i32.eqz (call $seek (local.get $fd) (i64.const -1) (i32.const 1) (i32.const 200)))
      (i32.const 4))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 9)) (i32.const 5))
    ;; whence 0 is CUR: +0 stays at 9
    (call $check (i32.eqz (call $seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 200)))
      (i32.const 6))
    (call $check (i64.eq (i64.load (i32.const 200)) (i64.const 9)) (i32.const 7))
    ;; filestat: poison 64 bytes, then the 56-byte layout
    (memory.fill (i32.const 300) (i32.const 0xAA) (i32.const 64))
    (call $check (i32.eqz (call $fstat (local.get $fd) (i32.const 300))) (i32.const 8))
    (call $check (i32.eq (i32.load8_u (i32.const 316)) (i32.const 4)) (i32.const 9))
    (call $check (i32.eq (i32.load (i32.const 320)) (i32.const 1)) (i32.const 10))
    (call $check (i64.eq (i64.load (i32.const 324)) (i64.const 10)) (i32.const 11))
    (call $check (i32.eq (i32.load8_u (i32.const 356)) (i32.const 0xAA)) (i32.const 12))
    ;; a 1 ms monotonic clock subscription, 56 bytes, id at 24, timeout at 32
    (memory.fill (i32.const 400) (i32.const 0) (i32.const 56))
    (i64.store (i32.const 400) (i64.const 7))
    (i32.store (i32.const 424) (i32.const 1))
    (i64.store (i32.const 432) (i64.const 1000000))
    (call $check (i32.eqz (call $poll (i32.const 400) (i32.const 500) (i32.const 1) (i32.const 600)))
      (i32.const 13))
    (call $check (i32.eq (i32.load (i32.const 600)) (i32.const 1)) (i32.const 14))
    (call $check (i64.eq (i64.load (i32.const 500)) (i64.const 7)) (i32.const 15))
    (call $check (i32.eqz (i32.load16_u (i32.const 508))) (i32.const 16))
    (call $exit (i32.const 0))))
WAT
wat2wasm --enable-bulk-memory "$tmp/legacy.wat" -o "$tmp/legacy.wasm" 2>/dev/null ||
  wat2wasm "$tmp/legacy.wat" -o "$tmp/legacy.wasm"
mkdir -p "$tmp/legacy" && printf 0123456789 >"$tmp/legacy/f.txt"
check wasi-unstable 0 "" -- $run --dir "$tmp/legacy::/" "$tmp/legacy.wasm"

# fd_filestat_get made right after path_open is answered from the open's own
# fstat (wasi_impl.h, `opened`): the same file (type, size, inode as a later
# real fstat), and only for the store's very next host call: after an
# append through the fd, the size is the new one, not the open's.
cat >"$tmp/openstat.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "f.txt")
  (data (i32.const 16) "hello")
  (func $check (param i32 i32)
    (if (i32.eqz (local.get 0)) (then (call $exit (local.get 1)))))
  (func (export "_start")
    (local $fd i32)
    ;; open with APPEND, then fstat as the next call: a regular file of 10 bytes
    (call $check (i32.eqz (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 5)
      (i32.const 0) (i64.const 0x3FFFFFFF) (i64.const 0x3FFFFFFF) (i32.const 1) (i32.const 100)))
      (i32.const 1))
    (local.set $fd (i32.load (i32.const 100)))
    (call $check (i32.eqz (call $fstat (local.get $fd) (i32.const 200))) (i32.const 2))
    (call $check (i32.eq (i32.load8_u (i32.const 216)) (i32.const 4)) (i32.const 3))
    (call $check (i64.eq (i64.load (i32.const 232)) (i64.const 10)) (i32.const 4))
    ;; append 5 bytes, then fstat: 15 now, and the same device and inode
    (i32.store (i32.const 300) (i32.const 16))
    (i32.store (i32.const 304) (i32.const 5))
    (call $check (i32.eqz (call $write (local.get $fd) (i32.const 300) (i32.const 1) (i32.const 400)))
      (i32.const 5))
    (call $check (i32.eqz (call $fstat (local.get $fd) (i32.const 500))) (i32.const 6))
    (call $check (i64.eq (i64.load (i32.const 532)) (i64.const 15)) (i32.const 7))
    (call $check (i64.eq (i64.load (i32.const 500)) (i64.load (i32.const 200))) (i32.const 8))
    (call $check (i64.eq (i64.load (i32.const 508)) (i64.load (i32.const 208))) (i32.const 9))
    ;; a second open of it, fstat next: 15 too (the open's stat is this open's)
    (call $check (i32.eqz (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 5)
      (i32.const 0) (i64.const 0x3FFFFFFF) (i64.const 0x3FFFFFFF) (i32.const 0) (i32.const 104)))
      (i32.const 10))
    (call $check (i32.eqz (call $fstat (i32.load (i32.const 104)) (i32.const 600))) (i32.const 11))
    (call $check (i64.eq (i64.load (i32.const 632)) (i64.const 15)) (i32.const 12))
    (call $check (i64.eq (i64.load (i32.const 608)) (i64.load (i32.const 208))) (i32.const 13))
    (call $exit (i32.const 0))))
WAT
wat2wasm "$tmp/openstat.wat" -o "$tmp/openstat.wasm"
mkdir -p "$tmp/openstat" && printf 0123456789 >"$tmp/openstat/f.txt"
check open-then-fstat 0 "" -- $run --dir "$tmp/openstat::/" "$tmp/openstat.wasm"

[ $fails = 0 ] && echo "wasi_basic: ok"
[ $fails = 0 ]
