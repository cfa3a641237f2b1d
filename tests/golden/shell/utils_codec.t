# base64, base32, basenc: the encodings of RFC 4648 (its section 10 test
# vectors), base16, base2, Z85; wrapping, decoding, errors.

### base64 and base32: RFC 4648's test vectors
for s in '' f fo foo foob fooba foobar; do printf %s "$s" | base64; done
for s in f fo foo foob fooba foobar; do printf %s "$s" | base32; done
--- stdout
Zg==
Zm8=
Zm9v
Zm9vYg==
Zm9vYmE=
Zm9vYmFy
MY======
MZXQ====
MZXW6===
MZXW6YQ=
MZXW6YTB
MZXW6YTBOI======

### decoding, and the files and stdin
printf foobar > f
base64 f > f.b64; base64 -d f.b64; echo
base32 < f | base32 -d; echo
echo Zm9v | base64 --decode - ; echo
echo 'Zm9v
YmFy' | base64 -d; echo
--- stdout
foobar
foobar
foo
foobar

### -w: wrapping, 0 for none
seq 30 | base64
printf foobar | base64 -w 3
printf foobar | base64 -w 0; echo '|'
printf foobar | base32 --wrap=10
--- stdout
MQoyCjMKNAo1CjYKNwo4CjkKMTAKMTEKMTIKMTMKMTQKMTUKMTYKMTcKMTgKMTkKMjAKMjEKMjIK
MjMKMjQKMjUKMjYKMjcKMjgKMjkKMzAK
Zm9
vYm
Fy
Zm9vYmFy|
MZXW6YTBOI
======

### invalid input: the bytes before it, then the message
echo 'Zm9v YmFy' | base64 -d; echo " status $?"
echo 'Zm9vYg' | base64 -d; echo " status $?"
echo 'Zm9v*YmFy' | base64 -d -i; echo " status $?"
echo 'Zg==Zg==' | base64 -d; echo " status $?"
echo 'Z===' | base64 -d; echo " status $?"
echo 'MZXW6===' | base32 -d; echo " status $?"
--- stdout
foo status 1
foob status 1
foobar status 0
ff status 0
 status 1
foo status 0
--- stderr
base64: invalid input
base64: invalid input
base64: invalid input

### usage errors
base64 -w x; base64 -w -1; base64 a b; base64 nope; basenc; echo "status $?"
--- stdout
status 1
--- stderr
base64: invalid wrap size: 'x'
base64: invalid wrap size: '-1'
base64: extra operand 'b'
Try 'base64 --help' for more information.
base64: nope: No such file or directory
basenc: missing encoding type
Try 'basenc --help' for more information.

### basenc: base64url, base32hex, base16, base2, z85
printf '\373\377' | basenc --base64url
printf foobar | basenc --base32hex
printf foobar | basenc --base16
printf 'a' | basenc --base2msbf; printf 'a' | basenc --base2lsbf
printf 'Hello, World' | basenc --z85
echo 666F6F | basenc --base16 -d; echo
echo 0110000101100010 | basenc --base2msbf -d; echo
echo 10000110 | basenc --base2lsbf -d; echo
echo 'nm=QNzY&b1A+]nf' | basenc --z85 -d; echo
echo '-_8=' | basenc --base64url -d | od -An -tx1
--- stdout
-_8=
CPNMUOJ1E8======
666F6F626172
01100001
10000110
nm=QNz.92jz/PV8
foo
ab
a
Hello World!
 fb ff

### basenc errors: Z85 lengths, base16 in lower case
printf abc | basenc --z85; echo "status $?"
echo 'abcd' | basenc --z85 -d; echo "status $?"
echo '6a' | basenc --base16 -d; echo "status $?"
--- stdout
status 1
status 1
status 1
--- stderr
basenc: invalid input (length must be multiple of 4 characters)
basenc: invalid input
basenc: invalid input

### binary data round trips
head -c 100000 /dev/urandom > r; want=$(md5sum < r)
for e in base64 base64url base32 base32hex base16 base2msbf base2lsbf; do
  [ "$(basenc --$e r | basenc --$e -d | md5sum)" = "$want" ] && echo "$e ok"
done
head -c 1000 r > r1000
[ "$(basenc --z85 r1000 | basenc --z85 -d | md5sum)" = "$(md5sum < r1000)" ] && echo z85 ok
--- stdout
base64 ok
base64url ok
base32 ok
base32hex ok
base16 ok
base2msbf ok
base2lsbf ok
z85 ok

### hostile input: binary bytes, NULs, a long line
head -c 1000 /dev/zero | base64 -d > out; echo "status $?"; wc -c < out
printf '\377\376' | base32 -d; echo "status $?"
printf '%0100000d' 0 | base64 -w 0 | wc -c
printf '%0100000d' 0 | base64 -w 0 | base64 -d | wc -c
--- stdout
status 1
0
status 1
133336
100000
--- stderr
base64: invalid input
base32: invalid input
