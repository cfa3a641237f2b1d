#!/usr/bin/env bash
# The grep core (tools/guest/grep/ + the regex engine) compiled to wasm32-wasi
# and run in the sandbox by its harness guest (tests/guests/grep_core.c):
# output over a fixture tree (.gitignore, binary file, symlinks), paths that
# try to leave the map (refused by the sandbox, reported per path, nothing
# read), hostile patterns finishing within a small fuel budget, the pattern
# size and nesting limits, and the deepest nestings within the default 64 KiB
# guest stack (the parser and compiler recurse once per level; the guest is
# linked with --stack-first, so an overflow would trap, not go unnoticed).
set -u
build=$1
g=$build/guests/grep_core.wasm
for need in "$build/wasmbox" "$g"; do
  [ -e "$need" ] || { echo "FAIL grep_core: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL grep_core: $*"; fails=$((fails + 1)); }
# check NAME RC STDOUT -- wasmbox-run-args...: stdout and exit code exactly.
check() {
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  "$build/wasmbox" run "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local out; out=$(cat "$tmp/out")
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ]; then
    fail "$name: rc=$rc (want $want_rc) out=[$out] (want [$want_out]) err=[$(head -c 400 "$tmp/err")]"
  fi
}
err_has() { grep -qF -- "$2" "$tmp/err" || fail "$1: stderr lacks [$2]: [$(head -c 400 "$tmp/err")]"; }

ws=$tmp/ws
mkdir -p "$ws/src/gen" "$ws/node_modules/pkg" "$ws/docs"
printf 'int main(void) {\n    return helper(1);\n}\n' >"$ws/src/main.c"
printf '/* TODO: remove */\nint helper(int x) { return x; }\n' >"$ws/src/helper.c"
printf 'helper generated\n' >"$ws/src/gen/out.c"
printf 'function helper() {}\n' >"$ws/node_modules/pkg/index.js"
printf '# Helper\n\nCall `helper()` once.\n' >"$ws/docs/guide.md"
printf 'helper\0\1\2' >"$ws/blob.bin"
printf 'node_modules/\nsrc/gen/\n' >"$ws/.gitignore"
ln -s /etc/passwd "$ws/passwd"
ln -s .. "$ws/up"
run=(--dir "$ws::/ws:ro" --fuel 2000000000 "$g")

check search 0 "/ws/docs/guide.md:3:Call \`helper()\` once.
/ws/src/helper.c:2:int helper(int x) { return x; }
/ws/src/main.c:2:    return helper(1);" -- "${run[@]}" -n 'helper\(' /ws
err_has search "searched=4 matched=3 selected=3 binary=1 ignored=2 errors=0"
check ignore-case 0 "/ws/docs/guide.md
/ws/src/helper.c
/ws/src/main.c" -- "${run[@]}" -l -i '^# helper|helper\(' /ws
check type 0 "/ws/src/helper.c:1" -- "${run[@]}" -c -t c 'TODO' /ws
check glob 0 "/ws/docs/guide.md" -- "${run[@]}" -l -g '*.md' helper /ws
check context 0 "1-int main(void) {
2:    return helper(1);
3-}" -- "${run[@]}" -n -B 1 -A 1 'return \w+' /ws/src/main.c
check only-matching 0 "helper(1)" -- "${run[@]}" -o '\w+\(\d\)' /ws/src/main.c
check multiline 0 "int main(void) {
    return helper(1);" -- "${run[@]}" -U 'main\(void\) \{\n\s+return' /ws/src/main.c
check head-limit 0 "/ws/docs/guide.md" -- "${run[@]}" -l -h 1 helper /ws
err_has head-limit "truncated=1"

# A directory whose listing is far larger than the walk's 32 KiB fd_readdir
# buffer (~130 KB: 900 names of 40-240 bytes), so entries are cut at the
# buffer's end and read again from their cookie: every file listed once, in
# byte order, as GNU grep finds them.
big=$tmp/big
mkdir -p "$big/d"
pad=$(printf 'p%.0s' $(seq 200))
for i in $(seq 900); do
  f=$(printf 'n%04d_%s' "$i" "${pad:0:$((i % 201))}")
  if [ $((i % 7)) = 0 ]; then echo 'needle here' >"$big/d/$f"; else echo hay >"$big/d/$f"; fi
done
want=$(cd "$big" && grep -r -l needle . | sed 's#^\./#/big/#' | LC_ALL=C sort)
[ "$(printf '%s\n' "$want" | wc -l)" = 128 ] || fail "big-dir: host grep found $(printf '%s\n' "$want" | wc -l) files, not 128"
check big-dir 0 "$want" -- --dir "$big::/big:ro" --fuel 2000000000 "$g" -l needle /big
err_has big-dir "searched=900 matched=128"

# Leaving the map: each path is refused by the sandbox and reported; the
# walk does not follow the symlinks; nothing of the host is printed.
check escape 1 "" -- "${run[@]}" root /ws/passwd /ws/up/ /ws/../.. /etc /ws/up/etc/passwd
for p in /ws/passwd /ws/up/ /ws/../.. /etc /ws/up/etc/passwd; do err_has escape "$p: "; done
err_has escape "errors=5"
grep -q 'root:' "$tmp/out" "$tmp/err" && fail "escape: host file content in the output"
check escape-walk 1 "" -- "${run[@]}" -c 'root:' /ws

# Hostile patterns on a 200 KB line: linear time, far inside 2e9 instructions.
head -c 200000 /dev/zero | tr '\0' 'a' >"$ws/aaa.txt"
printf 'b\n' >>"$ws/aaa.txt"
check hostile-1 1 "" -- "${run[@]}" -c '(a+)+$' /ws/aaa.txt
check hostile-2 0 "1" -- "${run[@]}" -c '(a|a)*b' /ws/aaa.txt
check hostile-3 0 "1" -- "${run[@]}" -c '(a*)*b$' /ws/aaa.txt
check hostile-4 1 "" -- "${run[@]}" -c '(x+x+)+y' /ws/aaa.txt

# Limits: refused with the reason, exit 2.
check too-large 2 "" -- "${run[@]}" 'a{1000}{1000}' /ws/src
err_has too-large "pattern too large"
check backref 2 "" -- "${run[@]}" '(a)\1' /ws/src
err_has backref "invalid pattern at offset 3: backreferences (\1) are not supported"
deep=$(printf "(%.0s" $(seq 248))x$(printf ")%.0s" $(seq 248)) # a tree 250 deep with the |
check deepest 0 "int main(void) {" -- "${run[@]}" "$deep|main" /ws/src/main.c
deep=$(printf "a(%.0s" $(seq 123))x$(printf ")a%.0s" $(seq 123)) # groups of concatenations
check deepest-cat 0 "int main(void) {" -- "${run[@]}" "$deep|main" /ws/src/main.c
deep=x$(printf "{1}%.0s" $(seq 248)) # stacked quantifiers
check deepest-repeat 0 "int main(void) {" -- "${run[@]}" "$deep|main" /ws/src/main.c
deep=$(printf "[%.0s" $(seq 32))h$(printf "]%.0s" $(seq 32)) # nested classes
check deepest-class 0 "    return helper(1);" -- "${run[@]}" "$deep" /ws/src/main.c
deeper=$(printf '(%.0s' $(seq 251))x$(printf ')%.0s' $(seq 251))
check too-deep 2 "" -- "${run[@]}" "$deeper" /ws/src/main.c
err_has too-deep "invalid pattern at offset 250: pattern nests groups more than 250 deep"

[ "$fails" -eq 0 ] && echo "grep_core: ok"
[ "$fails" -eq 0 ]
