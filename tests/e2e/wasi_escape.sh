#!/usr/bin/env bash
# The WASI escape suite (tests/guests/escape.c) through `wasmbox run`, under
# both resolvers (openat2, and the component walk forced with
# WASMBOX_WASI_NO_OPENAT2, which the shim reads from wasmbox's own
# environment; a second run under strace checks which one ran): every attempt gets the expected
# errno, the refusals are in the JSON-lines audit log with their reasons, and
# on the host nothing outside the mapped directories was read or changed
# (contents, times and listing of an `outside` directory next to them), nor
# the read-only map, and that the guest made no way out of its own for host
# programs (the host's realpath: once the layout's own links out are gone,
# nothing in a map leads outside it). The openat2 run gets its sandbox from
# flags with allow_symlink_dotdot off (the default), the walk run from a
# --policy file with it on.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
guest=$(cd "$build" && pwd)/guests/escape.wasm
for need in "$wb" "$guest"; do
  [ -e "$need" ] || { echo "FAIL wasi_escape: $need is missing (make e2e builds it)"; exit 1; }
done
command -v strace >/dev/null || { echo "FAIL wasi_escape: strace is needed to tell the resolvers apart"; exit 1; }
tmp=$(mktemp -d)
rtmp=$(cd "$tmp" && pwd -P) # as host_path fields show it
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
secret=TOPSECRET-$$-$RANDOM
fail() { echo "FAIL wasi_escape: $*"; fails=$((fails + 1)); }
. "$(dirname "$0")/lib/maps.sh"
# audit_has NAME FILE EVENT FIELDS: the log has a record of that event with
# exactly these values for the fields of the JSON object FIELDS.
audit_has() {
  [ "$(jq -s --arg ev "$3" --argjson w "$4" \
       'any(.[]; .event == $ev and (. as $r | $w | to_entries | all($r[.key] == .value)))' "$2" 2>&1)" = true ] ||
    fail "$1: no audit record of $3 with $4 in $2"
}

layout() { # $1: root
  local r=$1
  mkdir -p "$r/outside" "$r/box/sub" "$r/ro/sub"
  echo "$secret" >"$r/outside/secret.txt"
  echo inside >"$r/box/file.txt"
  echo inner >"$r/box/sub/inner.txt"
  ln -s "$r/outside/secret.txt" "$r/box/link_abs"
  ln -s ../outside/secret.txt "$r/box/link_rel_out"
  ln -s sub/inner.txt "$r/box/link_in"
  ln -s chain2 "$r/box/chain1"
  ln -s sub/../link_rel_out "$r/box/chain2"
  ln -s .. "$r/box/dirlink_out"
  ln -s ../outside/created_by_guest "$r/box/dangling_out"
  ln -s loop2 "$r/box/loop1"
  ln -s loop1 "$r/box/loop2"
  ln -s /proc/self/root "$r/box/proc_link"
  ln -s ../../outside "$r/box/sub/up"
  echo readonly >"$r/ro/data.txt"
  echo victim >"$r/ro/victim"
}

# What is outside the writable map, in three views taken so that taking them
# does not disturb the others: contents (hashes), entries (a listing without
# access times), and then access/modify/change times of the directories and
# files, read with stat alone (no read, no readdir). Atimes are first set
# to 2001, so under relatime any read or listing by the guest would move them.
watched() { # $1: root
  echo "$1" "$1/outside" "$1/outside/secret.txt" "$1/ro" "$1/ro/sub" "$1/ro/victim"
}
contents() { sha256sum "$1/outside/secret.txt" "$1/ro/data.txt" "$1/ro/victim"; }
entries() { find "$1" -path "$1/box" -prune -o -printf '%p %y %i %s %T@ %l\n' | LC_ALL=C sort; }
times() { stat -c '%n %i %s %X %Y %Z' $(watched "$1"); }

cat >"$tmp/expected" <<'EXP'
open_dotdot 76
open_dotdot_secret 76
open_sub_dotdot 76
open_out_and_back 76
open_absolute 76
open_absolute_box 76
open_link_abs 76
open_link_rel_out 76
open_chain 76
open_dirlink_out 76
open_sub_up 76
open_proc_link 76
open_proc_self 76
open_loop 32
open_nofollow_link 32
open_trailing_slash_file 54
open_nul 28
open_long_path 37
open_long_name 37
open_empty 44
open_inside 0
libc_fopen_dotdot 76
libc_fopen_link_abs 76
write_link_out 76
create_dangling_out 76
write_chain 76
write_link_abs_append 76
stat_link_abs_follow 76
stat_link_abs_nofollow 0
stat_dotdot 76
mkdir_out 76
mkdir_via_link 76
unlink_out 76
unlink_via_link 76
rmdir_dotdot 76
rmdir_link_out 54
rename_out 76
rename_in 76
rename_via_link 76
settimes_link_abs 76
settimes_out 76
readlink_out 76
link_follow_out 76
link_src_out 76
link_dst_out 76
link_symlink_itself 63
open_via_linked_symlink 44
gsym_abs 63
gsym_rel_out 63
gsym_sub_out 63
gsym_tricky 63
gsym_nul 28
gsym_ok 0
gsym_ok_open 0
gsym_up_ok 63
gsym_up_open 44
gsym_chain 63
gsym_chain_open 44
gsym_dot 0
gsym_fake_depth 63
gsym_real_depth_ok 63
gsym_dangle 0
gsym_dangle_create 0
ro_open_write 69
ro_creat 69
ro_trunc 69
ro_append 69
ro_excl 69
ro_open_read 0
ro_read 0
ro_read_data readonly
ro_fd_write 69
ro_fd_pwrite 69
ro_fd_set_size 69
ro_fd_set_times 69
ro_fd_allocate 69
ro_mkdir 69
ro_rmdir 69
ro_unlink 69
ro_rename 69
ro_rename_into 69
ro_rename_out 69
ro_symlink 69
ro_link_into 69
ro_link_out 76
ro_set_times 69
ro_dir_set_times 69
ro_open_subdir 0
ro_subdir_mkdir 69
ro_subdir_creat 69
libc_ro_fopen_w 69
libc_ro_unlink 69
oob_args_sizes_1 21
oob_args_sizes_2 21
oob_args_get_argv 21
oob_args_get_buf 21
oob_environ_sizes 21
oob_environ_sizes_2 21
oob_environ_get 21
oob_environ_get_ptrs 21
oob_clock_time 21
oob_clock_res 21
oob_fdstat 21
oob_filestat 21
oob_prestat 21
oob_prestat_name 21
oob_read_iovs 21
oob_read_iov_end 21
oob_read_iov_wrap 21
oob_read_result 21
oob_read_many_iovs 21
oob_pread_iovs 21
oob_pread_iov 21
oob_pread_result 21
oob_write_iovs 21
oob_write_iov 21
oob_write_iov_wrap 21
oob_write_result 21
oob_pwrite_iovs 21
oob_pwrite_iov 21
oob_pwrite_result 21
oob_seek_result 21
oob_tell_result 21
oob_readdir_buf 21
oob_readdir_result 21
oob_open_path 21
oob_open_path_end 21
oob_open_result_creat 21
oob_open_created_nothing 44
oob_mkdir_path 21
oob_stat_path 21
oob_stat_result 21
oob_settimes_path 21
oob_link_old 21
oob_link_new 21
oob_readlink_path 21
oob_readlink_buf 21
oob_readlink_result 21
oob_rmdir_path 21
oob_rename_old 21
oob_rename_new 21
oob_symlink_target 21
oob_symlink_path 21
oob_unlink_path 21
oob_poll_in 21
oob_poll_out 21
oob_poll_result 21
oob_random 21
oob_random_end 21
badf_close 8
badf_read 8
badf_write_huge 8
badf_negative 8
badf_prestat_stdin 8
path_on_file_fd 54
renumber_to_unused 8
renumber_unused_still_closed 8
renumber_to_open 0
renumber_read_new 0
renumber_read_old 8
renumber_out_of_range 8
renumber_closed 8
rights_drop 0
rights_read_dropped 76
rights_regain 76
rights_dir_drop 0
rights_inherit_write 76
rights_no_create 76
stdin_seek 70
proc_raise 52
sock_accept_dir 57
sock_recv_badf 8
sock_shutdown_stdout 57
renumber_onto_preopen 0
prestat_after_renumber 8
read_after_renumber 0
done
EXP

# With allow_symlink_dotdot on (the walk run), links with leading ".." that
# stay beneath their directory fd are made, and lookups through them are
# still confined.
sed -e 's/^gsym_up_ok 63$/gsym_up_ok 0/' -e 's/^gsym_up_open 44$/gsym_up_open 0/' \
    -e 's/^gsym_chain 63$/gsym_chain 0/' -e 's/^gsym_chain_open 44$/gsym_chain_open 76/' \
    -e 's/^gsym_real_depth_ok 63$/gsym_real_depth_ok 0/' "$tmp/expected" >"$tmp/expected.walk"
cp "$tmp/expected" "$tmp/expected.openat2"
# link_reason MODE LABEL: the audited reason of a link the rule refuses (63)
link_reason() {
  case $1-$2 in
    *-gsym_abs) echo "absolute target" ;;
    walk-gsym_tricky) echo '".." after a name in the target (only leading ".." are allowed)' ;;
    walk-*) echo 'its ".." climb above the directory fd or map' ;;
    *) echo '".." in the target (allow_symlink_dotdot is off)' ;;
  esac
}

for mode in openat2 walk; do
  root=$tmp/$mode
  layout "$root"
  before_out=$(for m in box ro; do leads_out "$root/$m" | sed "s|^|$m/|"; done)
  [ "$(echo "$before_out" | sed 's/ -> .*//' | tr '\n' ' ')" = \
    "box/chain1 box/chain2 box/dangling_out box/dirlink_out box/link_abs box/link_rel_out box/proc_link box/sub/up " ] ||
    fail "$mode: the walk does not see the layout's links out: $before_out"
  before_contents=$(contents "$root")
  before_entries=$(entries "$root")
  touch -a -d '2001-01-01' $(watched "$root")
  before_times=$(times "$root")
  if [ $mode = walk ]; then
    export WASMBOX_WASI_NO_OPENAT2=1
    cat >"$tmp/walk.policy.json" <<EOF
{"dirs": [{"host": "$root/box", "guest": "/box", "mode": "rw"},
          {"host": "$root/ro", "guest": "/ro", "mode": "ro"}],
 "env": {"SOME": "thing"}, "audit": "$tmp/$mode.audit", "timeout_ms": 120000,
 "allow_symlink_dotdot": true}
EOF
    sandbox=(--policy "$tmp/walk.policy.json")
    traced=(--allow-symlink-dotdot true)
  else
    unset WASMBOX_WASI_NO_OPENAT2
    sandbox=(--dir "$root/box::/box" --dir "$root/ro::/ro:ro" --env SOME=thing
             --audit "$tmp/$mode.audit" --timeout 120000)
    traced=()
  fi
  # from inside the box: the host's current directory must not matter
  (cd "$root/box/sub" && "$wb" run "${sandbox[@]}" "$guest" arg1) >"$tmp/$mode.out" 2>"$tmp/$mode.err"
  rc=$?
  [ $rc = 0 ] || fail "$mode: exit $rc: $(head -5 "$tmp/$mode.err")"
  # The resolver asked for is the one that runs: the same suite once more, in
  # a fresh layout, under strace (a run of its own, because LeakSanitizer
  # cannot work in a traced process: leaks are off for this one only).
  layout "$tmp/$mode-traced"
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -qq -e trace=openat2 -o "$tmp/$mode.strace" "$wb" run \
    --dir "$tmp/$mode-traced/box::/box" --dir "$tmp/$mode-traced/ro::/ro:ro" --env SOME=thing \
    "${traced[@]}" "$guest" arg1 \
    >"$tmp/$mode.traced.out" 2>"$tmp/$mode.traced.err" || fail "$mode: traced run failed: $(head -5 "$tmp/$mode.traced.err")"
  unset WASMBOX_WASI_NO_OPENAT2
  nopenat2=$(grep -c 'openat2(' "$tmp/$mode.strace")
  if [ $mode = walk ]; then
    [ "$nopenat2" = 0 ] || fail "walk: $nopenat2 openat2 calls (the walk was not forced)"
  else
    [ "$nopenat2" -ge 50 ] || fail "openat2: only $nopenat2 openat2 calls"
  fi
  diff "$tmp/expected.$mode" "$tmp/$mode.traced.out" >"$tmp/$mode.traced.diff" || { fail "$mode: the traced run's results differ:"; cat "$tmp/$mode.traced.diff"; }
  if ! diff "$tmp/expected.$mode" "$tmp/$mode.out" >"$tmp/$mode.diff"; then
    fail "$mode: results differ (< expected, > got):"; cat "$tmp/$mode.diff"
  fi
  [ "$(times "$root")" = "$before_times" ] ||
    { fail "$mode: something outside was read, listed or changed:"; diff <(echo "$before_times") <(times "$root"); }
  [ "$(entries "$root")" = "$before_entries" ] ||
    { fail "$mode: entries outside the writable map changed:"; diff <(echo "$before_entries") <(entries "$root"); }
  [ "$(contents "$root")" = "$before_contents" ] || fail "$mode: contents outside changed"
  [ -e "$root/outside/created_by_guest" ] && fail "$mode: a file was created outside"
  [ -e "$root/box/sub/made_via_link" ] || fail "$mode: creating through an inside link did not work"
  # every refusal is audited, with the guest's path and the reason
  a=$tmp/$mode.audit
  audit_has "$mode-dotdot" "$a" fs.deny \
    '{"op":"open","dir":"/box","path":"../outside/secret.txt","errno":"notcapable","reason":"outside the mapped directories"}'
  audit_has "$mode-gsym-abs" "$a" fs.deny \
    '{"op":"symlink","dir":"/box","path":"g_abs","target":"/etc/passwd","errno":"perm","reason":"absolute target"}'
  audit_has "$mode-link-itself" "$a" fs.deny \
    "$(jq -cn --arg r "$(link_reason $mode link_symlink_itself)" \
       '{op: "link", dir: "/box", path: "hl4", target: "../outside/secret.txt", errno: "perm", reason: $r}')"
  audit_has "$mode-ro-mkdir" "$a" fs.deny '{"op":"mkdir","dir":"/ro","path":"newdir","errno":"rofs","reason":"read-only map"}'
  audit_has "$mode-bad-pointer" "$a" fs.deny '{"op":"open","dir":"/box","path":null,"errno":"fault","reason":"bad pointer"}'
  audit_has "$mode-allowed-open" "$a" fs.open \
    "{\"op\":\"open\",\"dir\":\"/box\",\"path\":\"sub/../file.txt\",\"host_path\":\"$rtmp/$mode/box/file.txt\",\"mode\":\"r\"}"
  audit_has "$mode-gsym-ok" "$a" fs.change \
    "{\"op\":\"symlink\",\"dir\":\"/box\",\"path\":\"g_ok\",\"host_path\":\"$rtmp/$mode/box/g_ok\",\"target\":\"sub/inner.txt\"}"
  marker='.event == "fs.deny" and .op == "stat" and .dir == "/box" and (.path // "" | startswith("/#"))'
  ndeny=$(jq -s "[.[] | select(.event == \"fs.deny\" and (($marker) | not))] | length" "$a")
  [ "$ndeny" -ge 80 ] || fail "$mode: only $ndeny refusals audited"
  # Each refusal is audited with its reason, between the previous attempt's
  # marker and its own (escape.c's T() ends every attempt with a marker, a
  # refused stat of "/#LABEL"); attempts that are not refusals audit none.
  jq -rs "reduce .[] as \$r ({cur: [], out: []};
      if (\$r | $marker) then
        .out += [(\$r.path | ltrimstr(\"/#\")) + \" \" + (.cur | join(\"|\"))]
        | .cur = []
      elif \$r.event == \"fs.deny\" or \$r.event == \"call.deny\" then .cur += [\$r.reason]
      else . end) | .out[]" "$a" >"$tmp/$mode.reasons"
  while read -r label want; do
    [ "$label" = done ] || [ "$label" = ro_read_data ] && continue
    case $want in
      76) case $label in
            rights_*|stdin_seek|sock_*|ro_link_out) reason="not permitted by the fd's rights" ;;
            *) reason="outside the mapped directories" ;;
          esac ;;
      63) reason=$(link_reason $mode "$label") ;;
      69) reason="read-only map" ;;
      21) reason="bad pointer" ;;
      28) reason="invalid path or argument" ;;
      32) reason="symlink loop" ;;
      37) reason="name too long" ;;
      *) reason= ;;
    esac
    got=$(awk -v l="$label" '$1 == l { sub(/^[^ ]* ?/, ""); print; found = 1 } END { if (!found) print "(no marker)" }' "$tmp/$mode.reasons")
    if [ -n "$reason" ]; then
      case "|$got|" in *"|$reason|"*) ;; *) fail "$mode: $label (errno $want) not audited as \"$reason\": [$got]" ;; esac
    elif [ -n "$got" ]; then
      fail "$mode: $label (errno $want) is no refusal but audited one: [$got]"
    fi
  done <"$tmp/expected.$mode"
  # the log is whole: it starts with the sandbox and ends with the exit
  [ "$(jq -cs '[.[0].event, .[0].dirs, .[0].env, .[-1].event, .[-1].exit_code]' "$a")" = \
    "[\"run.start\",[{\"host\":\"$root/box\",\"guest\":\"/box\",\"mode\":\"rw\"},{\"host\":\"$root/ro\",\"guest\":\"/ro\",\"mode\":\"ro\"}],[\"SOME\"],\"run.exit\",0]" ] ||
    fail "$mode: audit start/end: $(jq -cs '[.[0], .[-1]]' "$a")"
  if grep -q "$secret" "$tmp/$mode.out" "$tmp/$mode.err" "$tmp/$mode.audit"; then fail "$mode: the secret leaked to the output"; fi
  # The host's own walk, last (it changes the box): the guest may point
  # names at the layout's links out (a guest lookup through them is refused
  # above), but without those no entry may lead out: the guest made no way
  # out of its own (a hard link of one of them would still be there).
  echo "$before_out" | sed 's/ -> .*//' | while read -r e; do rm -f "$root/$e"; done
  for m in box ro; do
    out=$(leads_out "$root/$m")
    [ -z "$out" ] || fail "$mode: entries of $m lead outside it: $out"
  done
done
[ $fails = 0 ] && echo "wasi_escape: ok (openat2 and walk)"
[ $fails = 0 ]
