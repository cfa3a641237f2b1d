#!/usr/bin/env bash
# Guest-planted links (tests/guests/planted_links.c) through `wasmbox run`:
# symlinks through "."-links and ".." chains, links planted before a
# component is re-pointed, hard links and renames of symlinks, renames of
# directories holding them, across maps and through sub-directory fds; with
# allow_symlink_dotdot off (the default) and on, each under both resolvers
# (openat2, and the component walk forced with WASMBOX_WASI_NO_OPENAT2).
# After every run a host-side walk of each map with the host's own realpath
# asserts that no entry inside a map leads outside it. Also: every refusal is
# audited once, naming the link and its target; the ".." entry of a map root
# listed through an fd other than the preopen shows the root's own inode.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
guest=$(cd "$build" && pwd)/guests/planted_links.wasm
for need in "$wb" "$guest"; do
  [ -e "$need" ] || { echo "FAIL wasi_links: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
secret=OUTSIDE-$$-$RANDOM
fail() { echo "FAIL wasi_links: $*"; fails=$((fails + 1)); }
. "$(dirname "$0")/lib/maps.sh"

layout() { # $1: root
  local r=$1
  mkdir -p "$r/outside" "$r/box/a/b" "$r/box/a/c" "$r/box/clean" "$r/box/nest" "$r/other"
  echo "$secret" >"$r/outside/secret.txt"
  echo "$secret" >"$r/inside.txt" # where box's ".." links lead if moved up
  echo inside >"$r/box/inside.txt"
  ln -s ../inside.txt "$r/box/a/up1"
  ln -s ../../inside.txt "$r/box/a/b/up"
  echo clean >"$r/box/clean/f.txt"
  ln -s f.txt "$r/box/clean/down"
  echo other >"$r/other/o.txt"
}

# The walk itself must be able to fail: a tree with a link out, through a
# ".", and a dangling one.
mkdir -p "$tmp/selftest/map/s"
ln -s . "$tmp/selftest/map/d"
ln -s d/d/../x "$tmp/selftest/map/esc"
ln -s ../../nowhere "$tmp/selftest/map/s/dangle"
ln -s ../s "$tmp/selftest/map/s/fine"
[ "$(leads_out "$tmp/selftest/map")" = "esc -> $tmp/selftest/x
s/dangle -> $tmp/selftest/nowhere" ] || fail "the realpath walk does not see links out: $(leads_out "$tmp/selftest/map")"

# label, then the errno with allow_symlink_dotdot off and on
cat >"$tmp/table" <<'EOF'
sym_dot 0 0
sym_esc_file 63 63
sym_esc_dir 63 63
sym_abs 63 63
sym_dotdot_top 63 63
sym_fake_depth 63 63
sym_sub_up 63 0
sym_down 0 0
sym_dots 0 0
open_a 0 0
sym_subfd_up 63 63
sym_nested_up 63 63
rp_mkdir 0 0
rp_mkdir_deep 0 0
rp_plant 0 0
rp_plant_up 63 0
rp_swap_away 0 0
rp_swap_dot 0 0
rp_deep_dot 0 0
rp_name_dotdot 63 63
hl_planted_top 63 63
hl_planted_same 63 0
hl_planted_deeper 63 0
hl_planted_other 63 63
hl_follow 0 0
hl_dot 0 0
mv_planted_top 63 63
mv_planted_other 63 63
mv_planted_via_fd 63 63
mv_planted_deeper 63 0
mvdir_up 63 63
mvdir_other 63 63
mvdir_via_fd 63 63
mvdir_clean 0 0
mvdir_same 63 0
n_mkdir 0 0
n_mkdir2 0 0
n_mkdir3 0 0
n_plant 63 0
mvdir_nested_up 0 63
mvdir_nested_down 0 0
mv_dot 0 0
deep_mkdir 0 0
mvdir_too_deep 63 63
close_a 0 0
EOF

# audit_has NAME FILE OP DIR PATH TARGET REASON: an fs.deny record of a link
# the rule refused (errno perm) with exactly those fields (TARGET "": null).
audit_has() {
  [ "$(jq -s --arg op "$3" --arg dir "$4" --arg path "$5" --arg target "$6" --arg reason "$7" \
       'any(.[]; .event == "fs.deny" and .op == $op and .dir == $dir and .path == $path and
                 .target == (if $target == "" then null else $target end) and
                 .errno == "perm" and .reason == $reason)' "$2" 2>&1)" = true ] ||
    fail "$1: no fs.deny record [$3 $4 $5 -> $6: $7]"
}

for dotdot in off on; do
  col=$([ $dotdot = off ] && echo 2 || echo 3)
  awk -v c=$col '{ print $1, $c }' "$tmp/table" >"$tmp/expected.$dotdot"
  for mode in openat2 walk; do
    run=$dotdot-$mode
    root=$tmp/$run
    layout "$root"
    a=$tmp/$run.audit
    # one run of each pair from flags, the other from a policy file
    if [ $mode = walk ]; then
      export WASMBOX_WASI_NO_OPENAT2=1
      cat >"$tmp/$run.json" <<EOF
{"dirs": ["$root/box::/box", "$root/other::/other", "$root/box/nest::/nest"], "audit": "$a", "timeout_ms": 60000,
 "allow_symlink_dotdot": $([ $dotdot = on ] && echo true || echo false)}
EOF
      sandbox=(--policy "$tmp/$run.json")
    else
      unset WASMBOX_WASI_NO_OPENAT2
      sandbox=(--dir "$root/box::/box" --dir "$root/other::/other" --dir "$root/box/nest::/nest"
               --audit "$a" --timeout 60000)
      [ $dotdot = on ] && sandbox+=(--allow-symlink-dotdot true)
    fi
    "$wb" run "${sandbox[@]}" "$guest" >"$tmp/$run.out" 2>"$tmp/$run.err"
    rc=$?
    unset WASMBOX_WASI_NO_OPENAT2
    [ $rc = 0 ] || fail "$run: exit $rc: $(head -5 "$tmp/$run.err")"
    grep -v '^rd_' "$tmp/$run.out" | grep -v '^done$' >"$tmp/$run.results"
    diff "$tmp/expected.$dotdot" "$tmp/$run.results" >"$tmp/$run.diff" ||
      { fail "$run: results differ (< expected, > got):"; cat "$tmp/$run.diff"; }
    grep -qx done "$tmp/$run.out" || fail "$run: the guest did not finish"

    # the host's view: nothing in either map leads out, and the links the
    # guest may make are there and work
    for m in box other box/nest; do
      out=$(leads_out "$root/$m")
      [ -z "$out" ] || fail "$run: entries of $m lead outside it: $out"
    done
    [ "$(readlink "$root/box/d")" = . ] && [ "$(readlink "$root/box/a/deep_moved")" = . ] ||
      fail "$run: the \".\" links were not made or moved"
    [ "$(cat "$root/box/up_follow" 2>&1)" = inside ] || fail "$run: the followed hard link is not inside.txt"
    [ "$(cat "$root/box/a/clean/down" 2>&1)" = clean ] || fail "$run: a directory of clean links was not moved"
    if [ $dotdot = on ]; then
      [ "$(cat "$root/box/a/c/up2" 2>&1)" = inside ] || fail "$run: a leading \"..\" link was not made"
      [ -L "$root/box/a/c/n1/n2/n3/l" ] || fail "$run: a directory with \"..\" links was not moved deeper"
    else
      [ -e "$root/box/a/c/up2" ] && fail "$run: a \"..\" link was made with allow_symlink_dotdot off"
    fi
    [ -L "$root/box/a/up1" ] && [ -L "$root/box/a/b/up" ] || [ $dotdot = on ] ||
      fail "$run: the host's own \"..\" links were moved"

    # the map root's "..", listed through fds other than the preopen, is the
    # root itself, as the preopen's is; a subdirectory's is its real parent
    box_ino=$(stat -c %i "$root/box")
    for want in "rd_box $box_ino" "rd_box_via_sub $box_ino" "rd_sub $box_ino" \
                "rd_other $(stat -c %i "$root/other")"; do
      grep -qx "$want" "$tmp/$run.out" ||
        fail "$run: want [$want], got [$(grep "^${want%% *} " "$tmp/$run.out")] (host parent: $(stat -c %i "$root"))"
    done

    # every refusal is audited once, naming the link and its target
    nref=$(grep -c ' 63$' "$tmp/$run.results")
    naud=$(jq -s '[.[] | select(.event == "fs.deny" and .errno == "perm")] | length' "$a")
    [ "$nref" = "$naud" ] || fail "$run: $nref refusals but $naud audit records of them"
    [ "$(jq -s -r '.[0].allow_symlink_dotdot' "$a")" = $([ $dotdot = on ] && echo true || echo false) ] ||
      fail "$run: run.start does not say allow_symlink_dotdot"
    up=$([ $dotdot = on ] && echo 'its ".." climb above the directory fd or map' ||
         echo '".." in the target (allow_symlink_dotdot is off)')
    audit_has "$run" "$a" symlink /box abs /etc 'absolute target'
    audit_has "$run" "$a" rename /box "a/z/$(printf 'z/%.0s' $(seq 127))z" '' \
      'too deeply nested to check the links in it'
    audit_has "$run" "$a" symlink /box up_top ../outside "$up"
    audit_has "$run" "$a" symlink /box esc d/d/../outside/secret.txt "$([ $dotdot = on ] &&
      echo '".." after a name in the target (only leading ".." are allowed)' || echo '".." in the target (allow_symlink_dotdot is off)')"
    audit_has "$run" "$a" link /box up_hl ../../inside.txt "$up"
    audit_has "$run" "$a" rename /other up1 ../inside.txt "$up"
    audit_has "$run" "$a" rename /box b_top/up ../../inside.txt "$up"
    if grep -q "$secret" "$tmp/$run.out" "$tmp/$run.err" "$a"; then fail "$run: the secret leaked"; fi
  done
done

# the flag takes true or false, nothing else
"$wb" run --allow-symlink-dotdot yes "$guest" >/dev/null 2>"$tmp/flag.err"
rc=$?
[ $rc = 1 ] && [ "$(cat "$tmp/flag.err")" = 'wasmbox: --allow-symlink-dotdot: "yes" is not true or false' ] ||
  fail "--allow-symlink-dotdot yes: rc=$rc [$(cat "$tmp/flag.err")]"

[ $fails = 0 ] && echo "wasi_links: ok (allow_symlink_dotdot off and on, openat2 and walk)"
[ $fails = 0 ]
