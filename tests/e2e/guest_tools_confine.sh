#!/usr/bin/env bash
# Confinement through the built-in tools: read of ../../etc/passwd, of
# absolute host paths, of symlinks leading out (relative, absolute, through a
# directory link); write and edit through them and next to the workspace;
# glob patterns reaching out; grep paths leading out and searches that would
# follow symlinks out; write and edit under a read-only map. Each is
# refused with its message (an error result, exit 0), and on the host
# nothing outside the workspace was read, listed or changed (contents,
# listing, and access times set to 2001 first, so a read or a listing by the
# guest would move them), nor anything in the read-only workspace; the
# secret never shows in any output.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
. "$(dirname "$0")/lib/tools.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL guest_tools_confine: $*"; fails=$((fails + 1)); }
mkdir "$tmp/box"
root=$(cd "$tmp/box" && pwd -P) # the layout; the test's own files stay in $tmp
ws=$root/ws ro=$root/ro out=$root/outside
secret=TOPSECRET-$$-$RANDOM
mkdir -p "$out/dir" "$ws/sub" "$ro/sub"
echo "$secret" >"$out/secret.txt"
echo "$secret" >"$out/dir/inner.txt"
echo inside >"$ws/file.txt"
echo inner >"$ws/sub/inner.txt"
ln -s ../outside/secret.txt "$ws/link_out"
ln -s "$out/secret.txt" "$ws/link_abs"
ln -s ../outside "$ws/dirlink"
ln -s ../../outside/secret.txt "$ws/sub/up"
echo readonly >"$ro/file.txt"
echo victim >"$ro/sub/victim.txt"
outside_msg="outside the workspace (the path, or a symlink on it, leads out of the mapped directories)"

watched() { echo "$root" "$out" "$out/secret.txt" "$out/dir" "$out/dir/inner.txt"; }
state() { # contents, listing and times of everything outside ws
  sha256sum "$out/secret.txt" "$out/dir/inner.txt" "$ro/file.txt" "$ro/sub/victim.txt"
  find "$root" -path "$ws" -prune -o -printf '%p %y %i %s %T@ %l\n' | LC_ALL=C sort
  stat -c '%n %X %Y %Z' $(watched)
}
touch -a -d '2001-01-01' $(watched)
before=$(state)

# refused TOOL MODE WS INPUT MESSAGE: an error result with exactly MESSAGE.
refused() {
  local tool=$1 mode=$2 w=$3 input=$4 want=$5
  call_tool "$tool" "$mode" "$w" --audit "$tmp/audit" <<<"$input" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  cat "$tmp/out" "$tmp/err" >>"$tmp/all_output"
  [ $rc = 1 ] || { fail "$tool $input: exit $rc (a refusal is an is_error result, exit 1): $(head -c 300 "$tmp/err")"; return; }
  local got; got=$(jq -c '[.is_error, .content[0].text]' "$tmp/out" 2>&1)
  [ "$got" = "$(jq -cn --arg m "$want" '[true, $m]')" ] || fail "$tool $input: got $got, want [true, \"$want\"]"
}

# read
refused read ro "$ws" '{"file_path": "../../../../../../../../../../etc/passwd"}' \
  "file_path: /etc/passwd is outside the workspace (mapped directories: $ws)"
refused read ro "$ws" '{"file_path": "../outside/secret.txt"}' \
  "file_path: $out/secret.txt is outside the workspace (mapped directories: $ws)"
refused read ro "$ws" "{\"file_path\": \"$out/secret.txt\"}" \
  "file_path: $out/secret.txt is outside the workspace (mapped directories: $ws)"
refused read ro "$ws" '{"file_path": "/etc/passwd"}' \
  "file_path: /etc/passwd is outside the workspace (mapped directories: $ws)"
refused read ro "$ws" '{"file_path": "sub/../../outside/secret.txt"}' \
  "file_path: $out/secret.txt is outside the workspace (mapped directories: $ws)"
refused read ro "$ws" '{"file_path": "link_out"}' "cannot read $ws/link_out: $outside_msg"
refused read ro "$ws" '{"file_path": "link_abs"}' "cannot read $ws/link_abs: $outside_msg"
refused read ro "$ws" '{"file_path": "sub/up"}' "cannot read $ws/sub/up: $outside_msg"
refused read ro "$ws" '{"file_path": "dirlink/secret.txt"}' "cannot read $ws/dirlink/secret.txt: $outside_msg"
refused read ro "$ws" '{"file_path": "dirlink"}' "cannot read $ws/dirlink: $outside_msg"
grep -q '"event":"fs.deny"' "$tmp/audit" && grep -q 'link_out' "$tmp/audit" ||
  fail "the sandbox did not audit the refused symlink"
# write and edit, in a writable map
refused write rw "$ws" '{"file_path": "../outside/new.txt", "content": "x"}' \
  "file_path: $out/new.txt is outside the workspace (mapped directories: $ws)"
refused write rw "$ws" '{"file_path": "link_out", "content": "overwritten"}' "cannot write $ws/link_out: $outside_msg"
refused write rw "$ws" '{"file_path": "link_abs", "content": "overwritten"}' "cannot write $ws/link_abs: $outside_msg"
refused write rw "$ws" '{"file_path": "dirlink/new.txt", "content": "x"}' \
  "cannot create the directory $ws/dirlink: $outside_msg"
refused write rw "$ws" '{"file_path": "dirlink/dir/inner.txt", "content": "x"}' \
  "cannot create the directory $ws/dirlink/dir: $outside_msg"
refused edit rw "$ws" "{\"file_path\": \"link_out\", \"old_string\": \"$secret\", \"new_string\": \"x\"}" \
  "cannot read $ws/link_out: $outside_msg"
refused edit rw "$ws" "{\"file_path\": \"$out/secret.txt\", \"old_string\": \"T\", \"new_string\": \"x\"}" \
  "file_path: $out/secret.txt is outside the workspace (mapped directories: $ws)"
# glob
refused glob ro "$ws" '{"pattern": "../outside/*"}' \
  "pattern: searches $out, which is outside the workspace (mapped directories: $ws)"
refused glob ro "$ws" '{"pattern": "/etc/*"}' \
  "pattern: searches /etc, which is outside the workspace (mapped directories: $ws)"
refused glob ro "$ws" '{"pattern": "*", "path": ".."}' \
  "path: $root is outside the workspace (mapped directories: $ws)"
refused glob ro "$ws" '{"pattern": "dirlink/*"}' "cannot search $ws/dirlink: $outside_msg"
# a walk of everything lists names inside the workspace only
call_tool glob ro "$ws" <<<'{"pattern": "**/*"}' >"$tmp/out" 2>&1
cat "$tmp/out" >>"$tmp/all_output"
listed=$(jq -j '.content[0].text' "$tmp/out" | sed "s|^$ws/||" | LC_ALL=C sort | tr '\n' ' ')
[ "$listed" = "dirlink file.txt link_abs link_out sub/inner.txt sub/up " ] || fail "glob **/*: listed [$listed]"

# grep: paths leading out refused lexically or by the sandbox; a search of
# the whole workspace does not follow its symlinks out (the secret is never
# found), and neither does a glob that names them
refused grep ro "$ws" '{"pattern": "TOP", "path": "../outside"}' \
  "path: $out is outside the workspace (mapped directories: $ws)"
refused grep ro "$ws" '{"pattern": "root", "path": "/etc/passwd"}' \
  "path: /etc/passwd is outside the workspace (mapped directories: $ws)"
refused grep ro "$ws" '{"pattern": "root", "path": "sub/../../../../../../etc"}' \
  "path: /etc is outside the workspace (mapped directories: $ws)"
refused grep ro "$ws" '{"pattern": "TOP", "path": "link_out"}' "path: cannot search $ws/link_out: $outside_msg"
refused grep ro "$ws" '{"pattern": "TOP", "path": "link_abs"}' "path: cannot search $ws/link_abs: $outside_msg"
refused grep ro "$ws" '{"pattern": "TOP", "path": "sub/up"}' "path: cannot search $ws/sub/up: $outside_msg"
refused grep ro "$ws" '{"pattern": "TOP", "path": "dirlink"}' "path: cannot search $ws/dirlink: $outside_msg"
refused grep ro "$ws" '{"pattern": "TOP", "path": "dirlink/dir"}' "path: cannot search $ws/dirlink/dir: $outside_msg"
searched() { # INPUT LINE: grep's result is the one line LINE
  call_tool grep ro "$ws" <<<"$1" >"$tmp/out" 2>&1
  cat "$tmp/out" >>"$tmp/all_output"
  [ "$(jq -c '[.is_error, .content[0].text]' "$tmp/out")" = "$(jq -cn --arg t "$2" '[false, $t + "\n"]')" ] ||
    fail "grep $1: $(head -c 300 "$tmp/out")"
}
searched '{"pattern": "TOPSECRET", "output_mode": "content"}' "No matches found (searched 2 files)"
searched '{"pattern": "TOPSECRET", "glob": "*link*"}' "No files found (searched 0 files)"
searched '{"pattern": "TOPSECRET", "output_mode": "count", "glob": "dirlink/**"}' "No matches found (searched 0 files)"
searched '{"pattern": ".", "path": "sub", "output_mode": "content"}' "sub/inner.txt:1:inner"

# read-only map: every change refused, with the map's reason
refused write ro "$ro" '{"file_path": "file.txt", "content": "changed"}' \
  "cannot write $ro/file.txt: the workspace is read-only for this tool"
refused write ro "$ro" '{"file_path": "new.txt", "content": "x"}' \
  "cannot write $ro/new.txt: the workspace is read-only for this tool"
refused write ro "$ro" '{"file_path": "newdir/x.txt", "content": "x"}' \
  "cannot create the directory $ro/newdir: the workspace is read-only for this tool"
refused write ro "$ro" '{"file_path": "sub/victim.txt", "content": ""}' \
  "cannot write $ro/sub/victim.txt: the workspace is read-only for this tool"
refused edit ro "$ro" '{"file_path": "sub/victim.txt", "old_string": "victim", "new_string": "x"}' \
  "cannot write $ro/sub/victim.txt: the workspace is read-only for this tool"

# on the host: nothing outside the workspace read, listed or changed
after=$(state)
[ "$after" = "$before" ] || { fail "something outside the workspace was read, listed or changed:"; diff <(echo "$before") <(echo "$after"); }
[ "$(cat "$ws/file.txt")" = inside ] || fail "the workspace's own file changed"
[ "$(find "$ws" | wc -l)" = 8 ] || fail "entries appeared in the workspace: $(find "$ws")"
if grep -q "$secret" "$tmp/all_output"; then fail "the secret leaked into a result"; fi
[ $fails = 0 ] && echo "guest_tools_confine: ok"
[ $fails = 0 ]
