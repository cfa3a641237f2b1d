# Checksums: md5sum, sha1sum, sha224sum, sha256sum, sha384sum, sha512sum,
# b2sum, cksum, sum. The digests of "abc" are the published test vectors
# (RFC 1321, FIPS 180-4, RFC 7693, GB/T 32905); the rest were checked
# against GNU coreutils 9.1.

### the digests of "abc", every algorithm
printf abc > b
md5sum b; sha1sum b; sha224sum b; sha256sum b; sha384sum b; sha512sum b; b2sum b
--- stdout
900150983cd24fb0d6963f7d28e17f72  b
a9993e364706816aba3e25717850c26c9cd0d89d  b
23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7  b
ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b
cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7  b
ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f  b
ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923  b

### stdin, -b, --tag, -z, escaped names
printf abc > b; touch 'x
y' 'back\sl'
printf abc | md5sum; md5sum - < b; md5sum -b b
md5sum --tag b; sha256sum --tag b
md5sum 'x
y' 'back\sl'
md5sum -z b | tr '\0' '|'; echo
--- stdout
900150983cd24fb0d6963f7d28e17f72  -
900150983cd24fb0d6963f7d28e17f72  -
900150983cd24fb0d6963f7d28e17f72 *b
MD5 (b) = 900150983cd24fb0d6963f7d28e17f72
SHA256 (b) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
\d41d8cd98f00b204e9800998ecf8427e  x\ny
\d41d8cd98f00b204e9800998ecf8427e  back\\sl
900150983cd24fb0d6963f7d28e17f72  b|

### errors: missing files, directories, options
printf abc > b; mkdir d
md5sum nope b d; echo "status $?"
md5sum --tag -t b; echo "status $?"
md5sum --quiet b; echo "status $?"
md5sum -l 8 b; echo "status $?"
--- stdout
900150983cd24fb0d6963f7d28e17f72  b
status 1
status 1
status 1
status 1
--- stderr
md5sum: nope: No such file or directory
md5sum: d: Is a directory
md5sum: --tag does not support --text mode
Try 'md5sum --help' for more information.
md5sum: the --quiet option is meaningful only when verifying checksums
Try 'md5sum --help' for more information.
md5sum: invalid option -- 'l'
Try 'md5sum --help' for more information.

### b2sum -l
printf abc > b
b2sum -l 128 b; b2sum -l 64 --tag b; b2sum -l 0 b | cut -c1-16
b2sum -l 7 b; b2sum -l 1024 b; b2sum -l x b; echo "status $?"
--- stdout
cf4ab791c62b8d2b2109c90275287816  b
BLAKE2b-64 (b) = d8bb14d833d59559
ba80a53f981c4d0d
status 1
--- stderr
b2sum: invalid length: '7'
b2sum: length is not a multiple of 8
b2sum: invalid length: '1024'
b2sum: maximum digest length for 'BLAKE2b' is 512 bits
b2sum: invalid length: 'x'

### -c: OK, FAILED, unreadable files, bad lines, the warnings
printf abc > b; printf xyz > c
md5sum b c > sums; printf xyz > b; rm c
echo 'not a checksum line' >> sums
md5sum -c sums; echo "status $?"
--- stdout
b: FAILED
c: FAILED open or read
status 1
--- stderr
md5sum: c: No such file or directory
md5sum: WARNING: 1 line is improperly formatted
md5sum: WARNING: 1 listed file could not be read
md5sum: WARNING: 1 computed checksum did NOT match

### -c --quiet, --status, -w, --strict
printf abc > b; printf abc > c
md5sum b c > sums; echo junk >> sums; echo junk >> sums
md5sum -c --quiet sums; echo "status $?"
md5sum -c --status sums; echo "status $?"
md5sum -c --strict --quiet sums; echo "status $?"
md5sum -cw sums; echo "status $?"
--- stdout
status 0
status 0
status 1
b: OK
c: OK
status 0
--- stderr
md5sum: WARNING: 2 lines are improperly formatted
md5sum: WARNING: 2 lines are improperly formatted
md5sum: sums: 3: improperly formatted MD5 checksum line
md5sum: sums: 4: improperly formatted MD5 checksum line
md5sum: WARNING: 2 lines are improperly formatted

### -c reads the tagged form, comments, CRLF, upper case, -b lines, stdin
printf abc > b
{ echo '# made by hand'; md5sum --tag b; printf '900150983CD24FB0D6963F7D28E17F72 *b\r\n'; } > sums
md5sum -c sums
sha1sum b | sha1sum -c
md5sum -c < /dev/null; echo "status $?"
--- stdout
b: OK
b: OK
b: OK
status 1
--- stderr
md5sum: 'standard input': no properly formatted checksum lines found

### -c: --ignore-missing, escaped names, b2sum lengths
printf abc > b; touch 'x
y'
{ md5sum b 'x
y'; echo '900150983cd24fb0d6963f7d28e17f72  gone'; } > sums
md5sum -c --ignore-missing sums
echo '900150983cd24fb0d6963f7d28e17f72  gone' | md5sum -c --ignore-missing; echo "status $?"
{ b2sum -l 128 b; b2sum --tag -l 64 b; b2sum b; } | b2sum -c
md5sum --tag -c sums; echo "status $?"
--- stdout
b: OK
\x\ny: OK
status 1
b: OK
b: OK
b: OK
status 1
--- stderr
md5sum: 'standard input': no file was verified
md5sum: the --tag option is meaningless when verifying checksums
Try 'md5sum --help' for more information.

### cksum: the CRC, -a, --untagged, -c
printf abc > b
cksum b; printf '' | cksum; cksum - < b
cksum -a sha256 b; cksum -a md5 --untagged b; cksum -a blake2b -l 64 b; cksum -a sm3 b
cksum -a bsd b; cksum -a sysv b
{ cksum -a md5 b; cksum -a sha1 b; } > sums; cksum -c sums
cksum -a sha512 -l 64 b; cksum -a crc -c sums; cksum -a nope b
--- stdout
1219131554 3 b
4294967295 0
1219131554 3 -
SHA256 (b) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
900150983cd24fb0d6963f7d28e17f72  b
BLAKE2b-64 (b) = d8bb14d833d59559
SM3 (b) = 66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0
16556     1 b
294 1 b
b: OK
b: OK
--- stderr
cksum: --length is only supported with --algorithm=blake2b
cksum: --check is not supported with --algorithm={bsd,sysv,crc}
cksum: invalid argument 'nope' for '--algorithm'
Valid arguments are:
  - 'bsd'
  - 'sysv'
  - 'crc'
  - 'md5'
  - 'sha1'
  - 'sha224'
  - 'sha256'
  - 'sha384'
  - 'sha512'
  - 'blake2b'
  - 'sm3'
Try 'cksum --help' for more information.
--- exit 1

### sum: BSD and System V
printf 'hello\n' > a; printf abc > b
sum a; sum a b; sum -s a b; sum < b; sum nope; echo "status $?"
--- stdout
36979     1 a
36979     1 a
16556     1 b
542 1 a
294 1 b
16556     1
status 1
--- stderr
sum: nope: No such file or directory

### a large file: blocks across reads, the same digest as one read
seq 100000 > big
md5sum big; b2sum -l 64 big; cksum big
cat big | sha256sum
--- stdout
dea9193b768319cbb4ff1a137ac03113  big
b88e8c6c54eded53  big
2052179976 588895 big
b2bc7d3f8b652d2ec96865b68ad8f80e22cca174abe1aed7889e242a747d590f  -

### hostile checksum files: binary bytes, a long line, absurd lengths
{ head -c 300000 /dev/zero; printf '\377\376 x\n'; seq 1000; } > junk
md5sum -c junk; echo "status $?"
echo 'BLAKE2b-99999999999999999999 (a) = ab' | b2sum -c; echo "status $?"
printf '%0200000d  x\n' 0 | sha1sum -c --status; echo "status $?"
mkdir d; sum d; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
--- stderr
md5sum: junk: no properly formatted checksum lines found
b2sum: 'standard input': no properly formatted checksum lines found
sha1sum: 'standard input': no properly formatted checksum lines found
sum: d: Is a directory
