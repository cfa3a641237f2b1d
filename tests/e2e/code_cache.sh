#!/usr/bin/env bash
# The translation cache (`--cache DIR`, policy cache_dir; tools/README.md
# "Translation cache"): a run stores what it translated and the next one
# uses it; a file with a flipped bit, a truncated file, one from another
# wasmbox version (properly MACed: only the version differs), one MACed
# under another key, a key others may read, and files written by several
# runs at once: each time the run's output and exit code are those of a run
# without a cache, and what went wrong is on stderr and in a `cache` audit
# record. The module is the shell tool (many functions; a run translates
# the ones its command uses). Then what a file vouches for (that its module,
# byte for byte, validated): a module changed by one byte gets its own
# file; a file for another module's hash is refused and the invalid module
# with it; a file forged with the key for an invalid module cannot make its
# invalid function run, nor one whose function's local declarations are
# malformed; a file whose index of the code section lies (MACed with the
# key) is not used.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
wb=$build/wasmbox
shell=$build/tools/shell.wasm
for need in "$wb" "$shell"; do
  [ -e "$need" ] || { echo "FAIL code_cache: $need is missing (make e2e builds it)"; exit 1; }
done
command -v jq >/dev/null || { echo "FAIL code_cache: jq is not installed"; exit 1; }
tmp=$(mktemp -d)
. "$here/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL code_cache: $*"; fails=$((fails + 1)); }

cache=$tmp/cache
input='{"command": "echo one; printf \"b\\na\\n\" | sort; seq 3 | wc -l"}'
# run NAME [INPUT]: runs the shell with the cache; out, err, rc, audit in $tmp/NAME.*
run() {
  local name=$1 in=${2:-$input}
  printf '%s' "$in" | "$wb" run --cache "$cache" --audit "$tmp/$name.audit" "$shell" \
    >"$tmp/$name.out" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.rc"
}
# same NAME: output and exit code are the uncached run's
same() {
  cmp -s "$tmp/$1.out" "$tmp/plain.out" || fail "$1: output differs from the uncached run: $(head -c 300 "$tmp/$1.out")"
  [ "$(cat "$tmp/$1.rc")" = "$(cat "$tmp/plain.rc")" ] || fail "$1: exit code $(cat "$tmp/$1.rc")"
}
# results NAME: the cache records' results, in order
results() { jq -r 'select(.event == "cache") | .result' "$tmp/$1.audit" | tr '\n' ' ' | sed 's/ $//'; }
# expect NAME RESULTS [STDERR-TEXT]
expect() {
  local got; got=$(results "$1")
  [ "$got" = "$2" ] || fail "$1: cache records [$got], want [$2]"
  if [ -n "${3:-}" ]; then
    grep -qF "$3" "$tmp/$1.err" || fail "$1: stderr lacks '$3': $(cat "$tmp/$1.err")"
    jq -se --arg t "$3" 'any(.[]; .event == "cache" and ((.reason // "") | contains($t)))' "$tmp/$1.audit" >/dev/null ||
      fail "$1: no cache record says '$3'"
  else
    [ ! -s "$tmp/$1.err" ] || fail "$1: stderr: $(cat "$tmp/$1.err")"
  fi
}

printf '%s' "$input" | "$wb" run "$shell" >"$tmp/plain.out" 2>"$tmp/plain.err"
echo $? >"$tmp/plain.rc"
grep -q '"stdout":"one\\na\\nb\\n3\\n"' "$tmp/plain.out" || fail "the uncached run printed $(cat "$tmp/plain.out")"

# ---- first run: nothing there; the key is made, the file written ----
run first
same first
expect first "miss stored"
key=$cache/key
[ "$(stat -c '%a %s %u' "$key" 2>/dev/null)" = "600 32 $(id -u)" ] || fail "key: $(stat -c '%a %s %u' "$key" 2>&1)"
file=$(jq -r 'select(.event == "cache" and .result == "stored") | .file' "$tmp/first.audit")
[ -s "$file" ] || fail "no cache file $file"
stored=$(jq -r 'select(.event == "cache" and .result == "stored") | .functions' "$tmp/first.audit")
[ "$stored" -gt 10 ] 2>/dev/null || fail "stored $stored functions"
case $file in "$cache"/*-opt.wbcode) ;; *) fail "file name $file" ;; esac
# the module's SHA-256 is taken as the file is read, in pieces of 256 KiB
# (the shell is several): the file's name and run.start's sha256 are what
# sha256sum says
want=$(sha256sum "$shell" | cut -c1-64)
[ "$(basename "$file")" = "$want-opt.wbcode" ] || fail "file name $file, want $want-opt.wbcode"
logged=$(jq -r 'select(.event == "run.start") | .sha256' "$tmp/first.audit")
[ "$logged" = "$want" ] || fail "run.start sha256 $logged, want $want"
# a text module: both are its binary's (hashed after the conversion)
printf '(module (func (export "_start")))\n' >"$tmp/text.wat"
"$wb" wat2wasm "$tmp/text.wat" -o "$tmp/text.wasm" || fail "wat2wasm text.wat"
"$wb" run --cache "$tmp/textcache" --audit "$tmp/text.audit" "$tmp/text.wat" >"$tmp/text.out" 2>&1 ||
  fail "text.wat: $(cat "$tmp/text.out")"
want=$(sha256sum "$tmp/text.wasm" | cut -c1-64)
logged=$(jq -r 'select(.event == "run.start") | .sha256' "$tmp/text.audit")
[ "$logged" = "$want" ] || fail "text.wat: run.start sha256 $logged, want $want"
[ -s "$tmp/textcache/$want-opt.wbcode" ] || fail "text.wat: no $want-opt.wbcode: $(ls "$tmp/textcache")"

# ---- second run: everything from the file, nothing new to store ----
run second
same second
expect second "hit"
hit=$(jq -r 'select(.event == "cache") | .functions' "$tmp/second.audit")
[ "$hit" = "$stored" ] || fail "second: loaded $hit functions, stored $stored"

# ---- a command needing more functions: loaded, then the union stored ----
run more '{"command": "echo x | tr x y; basename /a/b"}'
expect more "hit stored"
grep -q '"stdout":"y\\nb\\n"' "$tmp/more.out" || fail "more: $(cat "$tmp/more.out")"
more=$(jq -r 'select(.event == "cache" and .result == "stored") | .functions' "$tmp/more.audit")
[ "$more" -gt "$stored" ] 2>/dev/null || fail "more: stored $more functions, had $stored"
cp "$file" "$tmp/good.wbcode"

# ---- a flipped bit anywhere: the MAC says no; a fresh file replaces it ----
size=$(stat -c %s "$file")
for at in 20 $((size / 2)) $((size - 1)); do
  cp "$tmp/good.wbcode" "$file"
  python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[int(sys.argv[2])]^=4; open(p,'wb').write(b)" "$file" "$at"
  run flip$at
  same flip$at
  expect flip$at "rejected stored" "MAC does not match"
done
run after_flip
expect after_flip "hit"

# ---- truncated ----
for keep in 0 40 $((size / 2)) $((size - 1)); do
  head -c "$keep" "$tmp/good.wbcode" >"$file"
  run cut$keep
  same cut$keep
  case $keep in
  0 | 40) expect cut$keep "rejected stored" "too short" ;;
  *) expect cut$keep "rejected stored" "MAC does not match" ;;
  esac
done

# ---- another wasmbox version, MACed with the right key ----
cp "$tmp/good.wbcode" "$file"
python3 - "$file" "$key" <<'EOF' || fail "could not make the other-version file"
import hmac, hashlib, sys
path, key = sys.argv[1], open(sys.argv[2], 'rb').read()
b = bytearray(open(path, 'rb').read())
body = b[:-32]
assert body[:8] == b'WBCACHE3'
fmt = body[12:12 + 128]
old = bytes(fmt).rstrip(b'\0').decode()
assert old.startswith('wasmbox '), old
new = ('wasmbox 0.0.1-other' + old[old.index(';'):]).encode()
body[12:12 + 128] = new + b'\0' * (128 - len(new))
open(path, 'wb').write(bytes(body) + hmac.new(key, bytes(body), hashlib.sha256).digest())
EOF
run version
same version
expect version "rejected stored" "made by another wasmbox (wasmbox 0.0.1-other"

# ---- code that fails the vm's checks, MACed with the right key ----
cp "$tmp/good.wbcode" "$file"
python3 - "$file" "$key" <<'EOF' || fail "could not make the bad-code file"
import hmac, hashlib, struct, sys
path, key = sys.argv[1], open(sys.argv[2], 'rb').read()
b = bytearray(open(path, 'rb').read())
body = b[:-32]
index = 8 + 4 + 128 + 32 + 4 + 4  # the index's length, then the index
payload = index + 8 + struct.unpack_from('<Q', body, index)[0] + 8
# the first function's first cell (FUEL_POLL's number) made an instruction no engine has
first = payload + 8 + 12 + 24
struct.pack_into('<Q', body, first, 0xffff)
open(path, 'wb').write(bytes(body) + hmac.new(key, bytes(body), hashlib.sha256).digest())
EOF
run badcode
same badcode
expect badcode "rejected stored" "fails the checks"

# ---- another key: the file is someone else's ----
cp "$tmp/good.wbcode" "$file"
cp "$key" "$tmp/key.saved"
head -c 32 /dev/urandom >"$key"
run otherkey
same otherkey
expect otherkey "rejected stored" "MAC does not match"
cp "$tmp/key.saved" "$key"

# ---- a key others may read: no cache at all (nothing read, nothing written) ----
cp "$tmp/good.wbcode" "$file"
chmod 644 "$key"
run keymode
same keymode
expect keymode "disabled" "mode 0644"
cmp -s "$file" "$tmp/good.wbcode" || fail "keymode: the cache file was changed"
chmod 600 "$key"
ln -sf /dev/null "$tmp/cache2key"
mkdir -p "$tmp/cache2"
ln -s "$tmp/cache2key" "$tmp/cache2/key"
printf '%s' "$input" | "$wb" run --cache "$tmp/cache2" --audit "$tmp/keylink.audit" "$shell" \
  >"$tmp/keylink.out" 2>"$tmp/keylink.err"
echo $? >"$tmp/keylink.rc"
same keylink
expect keylink "disabled" "key $tmp/cache2/key"

# ---- several runs at once, different commands: every output right, every
# file whole (the last rename wins), no temporary file left ----
rm -f "$file"
cmds=('{"command": "echo a1"}' '{"command": "seq 2 | sort -r"}' '{"command": "echo b2 | tr b c"}'
      '{"command": "printf x | wc -c"}' '{"command": "echo d4; echo e5 | rev"}' '{"command": "basename /x/y"}')
wants=('a1\n' '2\n1\n' 'c2\n' '1\n' 'd4\n5e\n' 'y\n')
for round in 1 2 3; do
  pids=()
  for i in "${!cmds[@]}"; do
    run "conc$round.$i" "${cmds[$i]}" &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in "${!cmds[@]}"; do
    grep -qF "\"stdout\":\"${wants[$i]}\"" "$tmp/conc$round.$i.out" ||
      fail "concurrent run $round.$i: $(head -c 300 "$tmp/conc$round.$i.out")"
    grep -q "rejected" "$tmp/conc$round.$i.err" && fail "concurrent run $round.$i saw a torn file: $(cat "$tmp/conc$round.$i.err")"
  done
done
[ -z "$(find "$cache" -name '.tmp-*' -o -name '.key-*')" ] || fail "temporary files left: $(ls -a "$cache")"
run after_conc
same after_conc
case $(results after_conc) in hit | "hit stored") ;; *) fail "after the concurrent runs: [$(results after_conc)]" ;; esac

# ---- --opt 0 keeps its own file ----
printf '%s' "$input" | "$wb" run --opt 0 --cache "$cache" --audit "$tmp/ref.audit" "$shell" >"$tmp/ref.out" 2>"$tmp/ref.err"
echo $? >"$tmp/ref.rc"
same ref
expect ref "miss stored"
jq -r 'select(.event == "cache") | .file' "$tmp/ref.audit" | grep -q -- '-ref.wbcode$' || fail "ref: $(cat "$tmp/ref.audit")"

# ---- what a file vouches for: its module, byte for byte ----
# An authenticated file says its module validated, so a hit loads the module
# without checking every body at start (each is checked before its first
# use). Small modules made here: f returns 41 + 1 through a call of
# function 0; "one" is the same with 40 (one byte changed); "bad" has a
# function 0 returning an i64 where its type says i32 (invalid).
python3 - "$tmp" <<'PY' || fail "could not make the small modules"
import sys
def module(body0):
    head = bytes.fromhex('0061736d01000000' '0105016000017f' '0303020000' '07050101660001')
    body1 = bytes.fromhex('070010004101' '6a0b')  # call 0; i32.const 1; i32.add
    code = b'\x02' + bytes([len(body0)]) + body0 + body1
    return head + b'\x0a' + bytes([len(code)]) + code
for name, body0 in (('good', '0041290b'),   # i32.const 41
                    ('one', '0041280b'),    # i32.const 40
                    ('bad', '0042010b')):   # i64.const 1
    open(f'{sys.argv[1]}/{name}.wasm', 'wb').write(module(bytes.fromhex(body0)))
PY
# inv NAME MODULE: --invoke f with the cache
inv() {
  "$wb" run --cache "$cache" --audit "$tmp/$1.audit" --invoke f "$tmp/$2.wasm" >"$tmp/$1.out" 2>"$tmp/$1.err"
  echo $? >"$tmp/$1.rc"
}
# got NAME RC OUT: exit code and output
got() {
  [ "$(cat "$tmp/$1.rc")" = "$2" ] || fail "$1: exit code $(cat "$tmp/$1.rc"), want $2: $(cat "$tmp/$1.err")"
  [ "$(cat "$tmp/$1.out")" = "$3" ] || fail "$1: printed '$(cat "$tmp/$1.out")', want '$3'"
}
sha() { sha256sum "$tmp/$1.wasm" | cut -c1-64; }
"$wb" validate "$tmp/good.wasm" >/dev/null 2>&1 || fail "good.wasm does not validate"
"$wb" validate "$tmp/bad.wasm" >/dev/null 2>&1 && fail "bad.wasm validates"
[ "$(cmp -l "$tmp/good.wasm" "$tmp/one.wasm" | wc -l)" = 1 ] || fail "one.wasm differs from good.wasm in other than one byte"

inv good1 good
got good1 0 42
expect good1 "miss stored"
inv good2 good
got good2 0 42
expect good2 "hit"
# one byte changed: another hash, so not the other's file
inv one one
got one 0 41
expect one "miss stored"
[ -s "$cache/$(sha one)-opt.wbcode" ] || fail "one: no file of its own"

# good's file under bad's name: it vouches for good's hash, not bad's
cp "$cache/$(sha good)-opt.wbcode" "$cache/$(sha bad)-opt.wbcode"
inv badcopy bad
got badcopy 1 ""
grep -q "type mismatch" "$tmp/badcopy.err" || fail "badcopy: not refused as invalid: $(cat "$tmp/badcopy.err")"
[ "$(results badcopy)" = "rejected" ] || fail "badcopy: cache records [$(results badcopy)]"
grep -q "made for another module" "$tmp/badcopy.err" || fail "badcopy: stderr lacks why: $(cat "$tmp/badcopy.err")"

# a file MACed with the right key that says bad validated (a lie only
# someone with the key can tell): bad loads without its bodies checked, but
# function 0 is checked before its first call, fails, and never runs; the
# call traps and the file is removed
# forge CACHE-FILE MODULE [INDEX...]: a file MACed with the key that says
# MODULE validated, with no code and the index given (by default MODULE's
# own: its two entries at 30 and 35, as the modules above are laid out)
forge() {
  python3 - "$cache" "$(sha good)" "$1" "$(sha "$2")" "${@:3}" <<'PY' || fail "could not forge $1"
import hashlib, hmac, struct, sys
cache, good, out, mod = sys.argv[1:5]
entries = [int(x) for x in sys.argv[5:]] or [30, 35]
key = open(f'{cache}/key', 'rb').read()
real = open(f'{cache}/{good}-opt.wbcode', 'rb').read()
fmt = real[12:12 + 128]
header = fmt + bytes.fromhex(mod) + struct.pack('<II', 0, 1)  # translation 0, flags: validated
index = b'WBINDEX1' + struct.pack('<I', len(entries)) + b''.join(struct.pack('<I', e) for e in entries)
payload = b'WBCODE01' + struct.pack('<III', 0, 2, 0)        # no functions
body = (b'WBCACHE3' + struct.pack('<I', len(header)) + header + struct.pack('<Q', len(index)) + index +
        struct.pack('<Q', len(payload)) + payload)
open(out, 'wb').write(body + hmac.new(key, body, hashlib.sha256).digest())
PY
}
python3 - "$tmp/good.wasm" <<'PY' || fail "the small modules are not laid out as forge assumes"
b = open(__import__('sys').argv[1], 'rb').read()
assert b[27] == 0x0a and b[29] == 2 and b[30] == 4 and b[35] == 7, b.hex()
PY
forge "$cache/$(sha bad)-opt.wbcode" bad
inv forged bad
got forged 134 ""
grep -q "function 0.*type mismatch" "$tmp/forged.err" || fail "forged: the trap does not name the invalid function: $(cat "$tmp/forged.err")"
[ "$(results forged)" = "hit rejected" ] || fail "forged: cache records [$(results forged)]"
grep -q "vouched for a module with an invalid function" "$tmp/forged.err" || fail "forged: stderr lacks why: $(cat "$tmp/forged.err")"
[ ! -e "$cache/$(sha bad)-opt.wbcode" ] || fail "forged: the lying file is still there"
# and without it, bad is refused before it runs, as without a cache
inv badafter bad
got badafter 1 ""
grep -q "type mismatch" "$tmp/badafter.err" || fail "badafter: $(cat "$tmp/badafter.err")"
[ "$(results badafter)" = "miss" ] || fail "badafter: cache records [$(results badafter)]"

# the same lie with a module whose function 0 has malformed local
# declarations (a group of 0x7f locals of type 0x00), so not even its entry
# decodes: caught when function 0 is first needed, as above
python3 - "$tmp" <<'PY' || fail "could not make badlocals.wasm"
import sys
b = bytearray(open(f'{sys.argv[1]}/good.wasm', 'rb').read())
b[31:35] = bytes.fromhex('017f000b')  # one group: 0x7f locals of type 0x00; end
open(f'{sys.argv[1]}/badlocals.wasm', 'wb').write(b)
PY
"$wb" validate "$tmp/badlocals.wasm" >/dev/null 2>&1 && fail "badlocals.wasm validates"
forge "$cache/$(sha badlocals)-opt.wbcode" badlocals
inv forgedlocals badlocals
got forgedlocals 134 ""
grep -q "function 0.*malformed value type" "$tmp/forgedlocals.err" || fail "forgedlocals: the trap does not name function 0: $(cat "$tmp/forgedlocals.err")"
[ "$(results forgedlocals)" = "hit rejected" ] || fail "forgedlocals: cache records [$(results forgedlocals)]"
[ ! -e "$cache/$(sha badlocals)-opt.wbcode" ] || fail "forgedlocals: the lying file is still there"

# ---- an index of the code section that lies, MACed with the key ----
# The file gives each body's offset so that a hit need not walk the code
# section; every entry's size at its offset must end it where the next
# begins, from the section's start to its end. Out of range, overlapping,
# one entry short or off by one byte: the file is not used (rejected), the
# module is validated in full and runs as without a cache, and a new file
# replaces the lie.
for lie in "30 999" "30 31" "30" "30 34" "31 35" "30 35 40"; do
  name=lie${lie// /_}
  forge "$cache/$(sha good)-opt.wbcode" good $lie
  inv "$name" good
  got "$name" 0 42
  [ "$(results "$name")" = "rejected stored" ] || fail "$name: cache records [$(results "$name")]"
  grep -q "index of the code section does not match" "$tmp/$name.err" || fail "$name: stderr lacks why: $(cat "$tmp/$name.err")"
  inv "$name.after" good
  got "$name.after" 0 42
  [ "$(results "$name.after")" = "hit" ] || fail "$name.after: cache records [$(results "$name.after")]"
done
# and a truthful one (what forge writes by default) is used
forge "$cache/$(sha good)-opt.wbcode" good
inv truth good
got truth 0 42
[ "$(results truth)" = "hit stored" ] || fail "truth: cache records [$(results truth)]"

# ---- a cache file of 1 MB or more: read into a mapping of its own (whole
# 2 MiB pages, wb_alloc_resident), freed from every path: a hit, a flipped
# bit, a truncation, a rejection after the MAC. The module has 300,000
# empty functions, so the file's index of its code section alone is 1.2 MB ----
python3 - "$tmp/many.wasm" <<'EOF2' || fail "could not make many.wasm"
import sys
def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)
def section(i, body):
    return bytes([i]) + leb(len(body)) + body
n = 300000
m = b"\0asm\1\0\0\0"
m += section(1, b"\x01\x60\x00\x00")
m += section(3, leb(n) + b"\x00" * n)
m += section(7, b"\x01\x06_start\x00\x00")
m += section(10, leb(n) + b"\x02\x00\x0b" * n)
open(sys.argv[1], "wb").write(m)
EOF2
bigcache=$tmp/bigcache
big() { "$wb" run --cache "$bigcache" --audit "$tmp/$1.audit" "$tmp/many.wasm" >"$tmp/$1.out" 2>"$tmp/$1.err"; echo $? >"$tmp/$1.rc"; }
big big1
[ "$(cat "$tmp/big1.rc")" = 0 ] || fail "big1: exit $(cat "$tmp/big1.rc"): $(cat "$tmp/big1.err")"
expect big1 "miss stored"
bigfile=$(jq -r 'select(.event == "cache" and .result == "stored") | .file' "$tmp/big1.audit")
bigsize=$(stat -c %s "$bigfile" 2>/dev/null || echo 0)
[ "$bigsize" -ge 1048576 ] || fail "big1: cache file of $bigsize bytes, want 1 MB or more"
cp "$bigfile" "$tmp/bigood.wbcode"
big big2
[ "$(cat "$tmp/big2.rc")" = 0 ] || fail "big2: exit $(cat "$tmp/big2.rc")"
expect big2 "hit"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$bigfile"
big bigflip
expect bigflip "rejected stored" "MAC does not match"
head -c $((bigsize - 1)) "$tmp/bigood.wbcode" >"$bigfile"
big bigcut
expect bigcut "rejected stored" "MAC does not match"
big big3
expect big3 "hit"

if [ "$fails" -eq 0 ]; then
  echo "ok code_cache"
else
  exit 1
fi
