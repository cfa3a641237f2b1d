#!/usr/bin/env bash
# The built-in tools at their limits, on files made here (expected results
# built from the rules in tools/README.md with the host's own tools: cat -n,
# base64, printf): read's cut of long lines (bytes, multi-byte characters,
# CRLF, a 5 MB line), its default of 2000 lines, the 256 KiB listing cap,
# images returned whole (PNG, GIF, JPEG, WebP) and too large ones refused,
# binary files by content; glob's cap of 100 results with the count of the
# rest; write and edit of 10 MiB; grep's cut of long lines, its 64 KiB cap
# and paging through it with offset, a walk too deep.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
tools=$(cd "$build" && pwd)/tools
golden=$(pwd)/tests/golden/tools
. "$(dirname "$0")/lib/tools.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL guest_tools_limits: $*"; fails=$((fails + 1)); }
ws=$tmp/ws
mkdir "$ws"

# text_is NAME TOOL INPUT EXPECTED-TEXT [is_error]: one text item, exactly.
text_is() {
  local name=$1 tool=$2 input=$3 want=$4 want_err=${5:-false}
  call_tool "$tool" "$(tool_mode "$tool")" "$ws" <<<"$input" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  rc_matches $rc "$tmp/out" || { fail "$name: exit $rc: $(head -c 300 "$tmp/err")"; return; }
  local got; got=$(jq -r '.content | length, .[0].type' "$tmp/out" | tr '\n' ' ')
  [ "$got" = "1 text " ] || { fail "$name: content is not one text item: $(head -c 300 "$tmp/out")"; return; }
  [ "$(jq -r .is_error "$tmp/out")" = "$want_err" ] || fail "$name: is_error is not $want_err"
  jq -j '.content[0].text' "$tmp/out" >"$tmp/got"
  printf '%s' "$want" >"$tmp/want"
  cmp -s "$tmp/got" "$tmp/want" || { fail "$name: text differs:"; diff "$tmp/want" "$tmp/got" | head -8; }
}

x2000=$(head -c 2000 /dev/zero | tr '\0' x)
e2000=$(for _ in $(seq 200); do printf 'éééééééééé'; done)
{ printf '%s' "$x2000"; head -c 500 /dev/zero | tr '\0' x; printf '\nshort\n'; } >"$ws/long.txt"
text_is long-line read '{"file_path": "long.txt"}' \
  "$(printf '     1\t%s ... [line truncated: 500 more bytes]\n     2\tshort' "$x2000")
"
{ printf '%s' "$e2000"; for _ in $(seq 50); do printf 'éééééééééé'; done; printf '\n'; } >"$ws/long_utf8.txt"
text_is long-line-utf8 read '{"file_path": "long_utf8.txt"}' \
  "$(printf '     1\t%s ... [line truncated: 1000 more bytes]' "$e2000")
"
{ printf '%s' "$x2000"; printf 'yy\r\n'; printf '%s\r\n' "$x2000"; } >"$ws/long_crlf.txt"
text_is long-line-crlf read '{"file_path": "long_crlf.txt"}' \
  "$(printf '     1\t%s ... [line truncated: 2 more bytes]\n     2\t%s' "$x2000" "$x2000")
"
{ head -c 5000000 /dev/zero | tr '\0' z; printf '\nend\n'; } >"$ws/huge_line.txt"
text_is huge-line read '{"file_path": "huge_line.txt"}' \
  "$(printf '     1\t%s ... [line truncated: 4998000 more bytes]\n     2\tend' "$(head -c 2000 /dev/zero | tr '\0' z)")
"

seq 1 2500 >"$ws/seq.txt"
text_is default-2000-lines read '{"file_path": "seq.txt"}' \
  "$(seq 1 2500 | cat -n | head -2000)
[more lines follow; read on with offset=2001]
"
text_is offset-to-end read '{"file_path": "seq.txt", "offset": 2001}' "$(seq 1 2500 | cat -n | tail -500)
"
text_is limit-5000 read '{"file_path": "seq.txt", "limit": 5000}' "$(seq 1 2500 | cat -n)
"
# 2000 lines of 200 characters: 208 bytes a line listed, so 1260 fit in 256 KiB
line200=$(head -c 200 /dev/zero | tr '\0' w)
for _ in $(seq 2000); do echo "$line200"; done >"$ws/wide.txt"
text_is listing-cap read '{"file_path": "wide.txt"}' "$(for _ in $(seq 2000); do echo "$line200"; done | cat -n | head -1260)
[listing cut at 256 KiB; read on with offset=1261]
"

# images: returned whole, as base64 with their type, after a text item
cp "$golden/workspace/images/red.png" "$golden/workspace/images/dot.gif" "$ws/"
printf '\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01' >"$ws/photo.jpg"
printf 'RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00' >"$ws/pic.webp"
for f in red.png:image/png:PNG dot.gif:image/gif:GIF photo.jpg:image/jpeg:JPEG pic.webp:image/webp:WebP; do
  IFS=: read -r file mime kind <<<"$f"
  call_tool read ro "$ws" <<<"{\"file_path\": \"$file\"}" >"$tmp/out" 2>"$tmp/err" || fail "image $file: exit $?"
  size=$(stat -c %s "$ws/$file")
  want=$(jq -cn --arg t "$ws/$file: $kind image, $size bytes" --arg d "$(base64 -w0 "$ws/$file")" --arg m "$mime" \
    '{content: [{type: "text", text: $t}, {type: "image", data: $d, mimeType: $m}], is_error: false}')
  same_json "$(tool_result "$tmp/out")" "$want" || fail "image $file: got $(head -c 300 "$tmp/out")"
done
{ printf '\x89PNG\r\n\x1a\n'; head -c $((3 * 1024 * 1024 - 7)) /dev/zero; } >"$ws/big.png"
text_is image-too-large read '{"file_path": "big.png"}' \
  "$ws/big.png is a PNG image of 3145729 bytes, larger than read returns (3 MiB)" true
# binary without a NUL: control characters throughout
for _ in $(seq 1000); do printf '\x01\x02\x03\x04\x05\x06\x07\x0e'; done >"$ws/controls.bin"
text_is binary-by-content read '{"file_path": "controls.bin"}' \
  "$ws/controls.bin is a binary file (more than a tenth of its first bytes are control characters or not UTF-8); read shows text, and PNG, JPEG, GIF and WebP images" true
# text with a few stray bytes is still text
{ for _ in $(seq 100); do printf 'plain text line\n'; done; printf 'caf\xe9\n'; } >"$ws/mostly.txt"
text_is mostly-text read '{"file_path": "mostly.txt", "offset": 101}' "$(printf '   101\tcaf\xef\xbf\xbd')
"

# glob: 150 matches, each a second newer than the last: the newest 100 shown
mkdir "$ws/many"
for i in $(seq 0 149); do
  f=$(printf 'many/f%03d.dat' "$i")
  : >"$ws/$f"
  touch -d "@$((1700000000 + i))" "$ws/$f"
done
text_is glob-cap glob '{"pattern": "many/*.dat"}' "$(for i in $(seq 149 -1 50); do printf '%s/many/f%03d.dat\n' "$ws" "$i"; done)
[50 more matches not shown (newest first, 100 shown); narrow the pattern or the path]
"

# write and edit of 10 MiB
n=$((10 * 1024 * 1024))
{ printf '{"file_path": "big/ten.txt", "content": "'; head -c $n /dev/zero | tr '\0' a; printf '"}'; } >"$tmp/big.json"
call_tool write rw "$ws" <"$tmp/big.json" >"$tmp/out" 2>"$tmp/err"
[ "$(jq -r '.content[0].text' "$tmp/out")" = "Wrote $n bytes to $ws/big/ten.txt (created)" ] || fail "write 10 MiB: $(head -c 300 "$tmp/out")"
[ "$(head -c $n /dev/zero | tr '\0' a | sha256sum)" = "$(sha256sum <"$ws/big/ten.txt")" ] || fail "write 10 MiB: content differs"
printf 'MARK' >>"$ws/big/ten.txt"
text_is edit-10MiB edit '{"file_path": "big/ten.txt", "old_string": "aMARK", "new_string": "b"}' \
  "Replaced 1 occurrence in $ws/big/ten.txt (line 1)"
[ "$(tail -c 2 "$ws/big/ten.txt")" = ab ] && [ "$(stat -c %s "$ws/big/ten.txt")" = $n ] || fail "edit 10 MiB: wrong result"

# grep: lines cut at 500 bytes (on a character boundary); the 64 KiB cap
# with the count of the rest, and paging through it with offset gives
# exactly what grep -n gives; head_limit beyond the cap.
mkdir "$ws/g"
{ printf 'key '; head -c 600 /dev/zero | tr '\0' x; printf '\n'; } >"$ws/g/wide.txt"
text_is grep-long-line grep '{"pattern": "key", "path": "g/wide.txt", "output_mode": "content"}' \
  "g/wide.txt:1:key $(head -c 496 /dev/zero | tr '\0' x) [... 104 more bytes]
"
printf 'k%s\n' "$(printf 'é%.0s' $(seq 300))" >"$ws/g/wide_utf8.txt" # byte 500 is inside an é: cut before it
text_is grep-long-line-utf8 grep '{"pattern": "^k", "path": "g/wide_utf8.txt", "output_mode": "content"}' \
  "g/wide_utf8.txt:1:k$(printf 'é%.0s' $(seq 249)) [... 102 more bytes]
"
seq -f 'match %05g' 1 20000 >"$ws/g/many.txt"
grep -n match "$ws/g/many.txt" | sed 's|^|g/many.txt:|' >"$tmp/all_lines"
# the lines that fit in 65536 bytes, each with its \n
fit=$(awk '{ n += length($0) + 1; if (n > 65536) { print NR - 1; exit } }' "$tmp/all_lines")
text_is grep-cap grep '{"pattern": "match", "path": "g/many.txt", "output_mode": "content"}' \
  "$(head -n "$fit" "$tmp/all_lines")
[output cut at 64 KiB: $((20000 - fit)) more lines not shown; read on with offset=$fit, or narrow the search (path, glob, type, pattern)]
"
offset=0 pages=0
: >"$tmp/paged"
while [ $offset -lt 20000 ] && [ $pages -lt 20 ]; do
  call_tool grep ro "$ws" <<<"{\"pattern\": \"match\", \"path\": \"g/many.txt\", \"output_mode\": \"content\", \"offset\": $offset}" \
    >"$tmp/out" 2>"$tmp/err" || fail "grep page at $offset: exit $?"
  jq -j '.content[0].text' "$tmp/out" >"$tmp/page"
  grep -v '^\[' "$tmp/page" >>"$tmp/paged"
  next=$(sed -n 's/.*read on with offset=\([0-9]*\).*/\1/p' "$tmp/page")
  offset=${next:-20000} pages=$((pages + 1))
done
cmp -s "$tmp/paged" "$tmp/all_lines" || fail "grep paging: the pages ($pages) do not add up to grep -n's output"
[ $pages -ge 3 ] || fail "grep paging: only $pages pages"
text_is grep-head-limit-past-cap grep '{"pattern": "match", "path": "g/many.txt", "output_mode": "content", "head_limit": 100000}' \
  "$(head -n "$fit" "$tmp/all_lines")
[output cut at 64 KiB: $((20000 - fit)) more lines not shown; read on with offset=$fit, or narrow the search (path, glob, type, pattern)]
"
# a walk deeper than 256 directories: the rest is searched, the path too
# deep is named in a note
deep=g/deep$(printf '/d%.0s' $(seq 257))
mkdir -p "$ws/$deep" && echo needle >"$ws/$deep/x.txt" && echo needle >"$ws/g/deep/top.txt"
text_is grep-too-deep grep '{"pattern": "needle", "path": "g/deep"}' "Found 1 file
g/deep/top.txt
[1 path could not be searched: $deep: directory nesting too deep (more than 256 levels)]
"

[ $fails = 0 ] && echo "guest_tools_limits: ok"
[ $fails = 0 ]
