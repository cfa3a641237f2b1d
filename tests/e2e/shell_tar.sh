#!/usr/bin/env bash
# The shell's tar and its gzip (tools/guest/shell/utils/tar.c, inflate.c,
# deflate.c) against GNU tar and gzip on this machine, through the shell
# tool under `wasmbox run`:
# 1. archives the shell writes (plain and -z; long names, binary and
#    compressible data, empty files and directories, links) are read by GNU
#    tar and gzip -t, and extract to the same tree;
# 2. archives GNU writes (gnu, pax, ustar formats; gzip -1 and -9) extract
#    in the shell to the same tree;
# 3. extraction never writes outside the workspace ('..' names, absolute
#    names, links out), checked on the host;
# 4. hostile archives (mutated bytes, huge size fields, oversized pax
#    headers, a gzip bomb) end with tar's own error, never a trap, a hang or
#    unbounded memory.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tool=$(cd "$build" && pwd)/tools/shell.wasm
for f in "$wb" "$tool"; do
  [ -e "$f" ] || { echo "FAIL shell_tar: $f is missing (make e2e builds it)"; exit 1; }
done
for p in tar gzip python3 jq; do
  command -v $p >/dev/null || { echo "shell_tar.sh: SKIP: $p is not installed"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0
fail() { echo "FAIL shell_tar: $*"; fails=$((fails + 1)); }
root=$(cd "$T" && pwd -P)
ws=$root/ws
mkdir -p "$ws" "$root/outside"
echo keep >"$root/outside/keep"

# sh CMD [wasmbox flags]: the shell tool in $ws; $out $err $rc; $wrc is
# wasmbox's own exit (0 when the tool gave a result).
sh() {
  local cmd=$1
  shift
  jq -n --arg c "$cmd" '{command: $c}' >"$T/in"
  raw=$("$wb" run --dir "$ws::$ws" --env "PWD=$ws" --timeout 120000 "$@" "$tool" <"$T/in" 2>"$T/wb.err")
  wrc=$?
  out=$(jq -r '.structuredContent.stdout' <<<"$raw" 2>/dev/null)
  err=$(jq -r '.structuredContent.stderr' <<<"$raw" 2>/dev/null)
  rc=$(jq -r '.structuredContent.exit_code' <<<"$raw" 2>/dev/null)
}

# ---- 1. the shell writes, GNU reads -----------------------------------------
tree=$ws/tree
mkdir -p "$tree/empty-dir" "$tree/a/b/c"
long=$(printf 'n%.0s' $(seq 1 120))
mkdir -p "$tree/$long/$long"
echo deep >"$tree/$long/$long/$(printf 'f%.0s' $(seq 1 90)).txt"
head -c 1048576 /dev/urandom >"$tree/random.bin"
seq 1 60000 >"$tree/a/numbers.txt"
for i in $(seq 1 3000); do echo "line $i of a file that repeats itself a lot"; done >"$tree/a/b/repeat.txt"
: >"$tree/a/b/c/empty"
printf '#!/bin/sh\necho hi\n' >"$tree/run.sh"
ln -s a/numbers.txt "$tree/link"
sh "tar czf out.tgz tree && tar cf out.tar tree && tar czf one.tgz tree/a/b/repeat.txt"
n=$((n + 1))
[ "$rc" = 0 ] || fail "create: rc=$rc err=$err"
n=$((n + 1))
gzip -t "$ws/out.tgz" 2>"$T/gz.err" || fail "gzip -t refuses the shell's gzip: $(cat "$T/gz.err")"
for a in out.tgz out.tar; do
  n=$((n + 1))
  rm -rf "$T/x" && mkdir "$T/x"
  if ! tar xf "$ws/$a" -C "$T/x" 2>"$T/tar.err"; then
    fail "GNU tar cannot extract the shell's $a: $(cat "$T/tar.err")"
  elif ! diff -r --no-dereference "$tree" "$T/x/tree" >"$T/diff" 2>&1; then
    fail "the shell's $a extracts to another tree: $(head -5 "$T/diff")"
  fi
done
n=$((n + 1))
[ -x "$T/x/tree/run.sh" ] && [ ! -x "$T/x/tree/a/numbers.txt" ] ||
  fail "modes: a file starting with #! should be 755, others 644"
n=$((n + 1))
[ "$(gzip -dc "$ws/one.tgz" | tar tf -)" = tree/a/b/repeat.txt ] || fail "one.tgz lists wrong"
# The compressible file must shrink (fixed Huffman + matches), the random one
# must not grow by more than the stored blocks' few bytes.
size() { stat -c %s "$1"; }
n=$((n + 1))
[ "$(size "$ws/one.tgz")" -lt 20000 ] || fail "repeat.txt compressed to $(size "$ws/one.tgz") bytes"
sh "tar czf r.tgz tree/random.bin"
n=$((n + 1))
[ "$(size "$ws/r.tgz")" -lt $((1048576 + 4096)) ] || fail "random data grew to $(size "$ws/r.tgz")"

# ---- 2. GNU writes, the shell reads -----------------------------------------
for fmt in gnu pax ustar-short; do
  case $fmt in
  ustar-short) (cd "$ws" && tar cf "g-$fmt.tar" --format=ustar tree/a tree/run.sh tree/link) ;;
  *) (cd "$ws" && tar cf "g-$fmt.tar" --format=$fmt tree) ;;
  esac
done
(cd "$ws" && tar cf - tree | gzip -1 >g-1.tgz && tar cf - tree | gzip -9 >g-9.tgz)
for a in g-gnu.tar g-pax.tar g-ustar-short.tar g-1.tgz g-9.tgz; do
  n=$((n + 1))
  rm -rf "$ws/x"
  sh "mkdir x && tar xf $a -C x"
  if [ "$rc" != 0 ]; then
    fail "the shell cannot extract GNU's $a: $err"
    continue
  fi
  if [ $a = g-ustar-short.tar ]; then
    diff -r --no-dereference "$tree/a" "$ws/x/tree/a" >"$T/diff" 2>&1 || fail "$a: $(head -5 "$T/diff")"
  else
    diff -r --no-dereference "$tree" "$ws/x/tree" >"$T/diff" 2>&1 || fail "$a: $(head -5 "$T/diff")"
  fi
done
rm -rf "$ws/x"

# ---- 3. nothing lands outside the workspace ------------------------------------
python3 - "$ws/evil.tar" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT)
def add(name, data=b"x\n", kind=None, link=""):
    i = tarfile.TarInfo(name)
    if kind:
        i.type, i.linkname = kind, link
        t.addfile(i)
    else:
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
add("../outside/evil1")
add("a/../../outside/evil2")
add("/" + sys.argv[1].rsplit("/ws/", 1)[0] + "/outside/evil3")
add("out", kind=tarfile.SYMTYPE, link="../outside")
add("out/evil4")
add("hard", kind=tarfile.LNKTYPE, link="../outside/keep")
add("abs", kind=tarfile.SYMTYPE, link="/etc")
add("abs/evil5")
t.close()
PY
sh "tar xf evil.tar; echo \$?"
n=$((n + 1))
[ "$(ls "$root/outside")" = keep ] && [ "$(cat "$root/outside/keep")" = keep ] ||
  fail "extraction wrote outside the workspace: $(ls "$root/outside")"
n=$((n + 1))
[ -z "$(find "$ws" -type l -lname '*..*')" ] && [ -z "$(find "$ws" -type l -lname '/*')" ] ||
  fail "a link leading out was made: $(find "$ws" -type l -printf '%p -> %l\n')"
n=$((n + 1))
[ "$out" = 2 ] || fail "evil.tar: exit $out, want 2 (err: $err)"

# ---- 4. hostile archives -------------------------------------------------------
# Mutated copies of a small tar and a small tgz: tar's own error or success,
# never a trap (wasmbox exit 134) or a limit.
(cd "$ws" && tar cf small.tar tree/a/b tree/run.sh && gzip -c small.tar >small.tgz)
python3 - "$ws" <<'PY'
import random, sys
ws = sys.argv[1]
for src in ("small.tar", "small.tgz"):
    data = open("%s/%s" % (ws, src), "rb").read()
    for seed in range(40):
        r = random.Random(seed)
        b = bytearray(data)
        for _ in range(r.choice((1, 4, 32))):
            i = r.randrange(min(len(b), 4096 if src.endswith("tar") else len(b)))
            b[i] = r.randrange(256)
        if seed % 5 == 0:
            b = b[: r.randrange(len(b))]
        open("%s/m-%s-%02d" % (ws, src, seed), "wb").write(bytes(b))
PY
sh 'for f in m-*; do mkdir -p "x-$f"; tar xf "$f" -C "x-$f" 2>/dev/null; echo "$f $?"; done'
n=$((n + 1))
if [ "$wrc" != 0 ]; then
  fail "mutated archives: wasmbox exit $wrc: $(head -3 "$T/wb.err")"
else
  bad=$(awk '$2 != 0 && $2 != 2' <<<"$out")
  [ -z "$bad" ] || fail "mutated archives: statuses other than 0 and 2: $bad"
  [ "$(wc -l <<<"$out")" = 80 ] || fail "mutated archives: $(wc -l <<<"$out") results, want 80"
fi
# The same through the host build of the shell (under ASan and UBSan with
# SAN=1): any sanitizer report fails. tar makes no link leading out in any
# build, so nothing can be written outside its workspace here either.
host=$(cd "$build" && pwd)/tests/tools/shell_host
if [ -x "$host" ]; then
  rm -rf "$ws"/x-m-*
  n=$((n + 1))
  jq -n --arg c 'for f in m-*; do mkdir -p "x-$f"; tar xf "$f" -C "x-$f" 2>/dev/null; echo "$f $?"; done' \
    '{command: $c}' | (cd "$ws" && env -i PWD="$ws" HOME="$ws" PATH=/usr/bin:/bin "$host") \
    >"$T/host.out" 2>"$T/host.err"
  hrc=$?
  [ $hrc = 0 ] && [ ! -s "$T/host.err" ] ||
    fail "mutated archives in the host build: exit $hrc: $(head -c 1500 "$T/host.err")"
  [ "$(jq -r .structuredContent.stdout "$T/host.out" | awk '$2 != 0 && $2 != 2')" = "" ] ||
    fail "mutated archives in the host build: statuses other than 0 and 2"
fi
rm -rf "$ws"/m-* "$ws"/x-m-*

python3 - "$ws" <<'PY'
import sys, tarfile, io
ws = sys.argv[1]
# A header claiming 8 GiB of data with none after it.
i = tarfile.TarInfo("huge"); i.size = 8 << 30
h = i.tobuf(format=tarfile.GNU_FORMAT)
open(ws + "/huge.tar", "wb").write(h + b"x" * 100)
# A pax header claiming 1 GiB of records.
i = tarfile.TarInfo("././@PaxHeader"); i.type = b"x"; i.size = 1 << 30
open(ws + "/paxhuge.tar", "wb").write(i.tobuf(format=tarfile.USTAR_FORMAT) + b"30 path=" + b"a" * 100)
PY
sh "tar tf huge.tar; echo \$?; tar xf paxhuge.tar; echo \$?"
n=$((n + 1))
[ "$wrc" = 0 ] && [ "$out" = "huge
2
2" ] || fail "huge size fields: wasmbox $wrc, out=$out err=$err"
n=$((n + 1))
[[ $err == *"Unexpected EOF in archive"*"more than the 1048576 bytes read into memory"* ]] ||
  fail "huge size fields: stderr $err"
# A gzip bomb: 64 MiB of zeros in 64 KiB; extraction streams it in bounded
# memory (the run's limit is half of what holding it would need; into a
# file, as a pipe would hold it all: the shell's pipes are buffers).
head -c $((64 << 20)) /dev/zero >"$T/zeros" && (cd "$T" && tar cf - zeros | gzip -9 >"$ws/bomb.tgz")
rm -f "$T/zeros"
sh "tar xzf bomb.tgz && wc -c < zeros && rm zeros" --max-memory 33554432
n=$((n + 1))
[ "$wrc" = 0 ] && [ "$out" = $((64 << 20)) ] || fail "gzip bomb: wasmbox $wrc out=$out err=$err $(head -2 "$T/wb.err")"

echo "shell_tar: $n cases, $fails failed"
[ $fails = 0 ]
