# truncate, unlink, link, pathchk, mktemp, chmod.

### truncate -s: absolute and relative sizes
printf 'hello world\n' > f
truncate -s 5 f; cat f; echo
truncate -s +3 f; wc -c < f
truncate -s -2 f; wc -c < f
truncate -s '<4' f; wc -c < f
truncate -s '>10' f; wc -c < f
truncate -s %8 f; wc -c < f
truncate -s /3 f; wc -c < f
truncate -s 1K f; wc -c < f
truncate -s -5000 f; wc -c < f
--- stdout
hello
8
6
4
10
16
15
1024
0

### truncate creates files, -c does not, -r copies a size
printf 'abc' > ref
truncate -s 2 new; truncate -c -s 2 none; ls
truncate -r ref new2; truncate -r ref -s +1 new3; wc -c new2 new3
--- stdout
new
ref
3 new2
4 new3
7 total

### truncate errors
mkdir d
truncate a; truncate -s 5; truncate -s x a; truncate -s /0 a; truncate -s 10 -r d a
truncate -s 10 nope/x; truncate -s 10 d; echo "status $?"
--- stdout
status 1
--- stderr
truncate: you must specify either '--size' or '--reference'
Try 'truncate --help' for more information.
truncate: missing file operand
Try 'truncate --help' for more information.
truncate: Invalid number: 'x'
truncate: division by zero
truncate: you must specify a relative '--size' with '--reference'
Try 'truncate --help' for more information.
truncate: cannot open 'nope/x' for writing: No such file or directory
truncate: cannot open 'd' for writing: Is a directory

### unlink and link
echo hi > a; mkdir d
link a b; cat b; ls -go b | cut -d' ' -f2
unlink a; ls
unlink; unlink a b; unlink nope; unlink d
link; link b; link b c d; link b b; link nope c
echo "status $?"
--- stdout
hi
2
b
d
status 1
--- stderr
unlink: missing operand
Try 'unlink --help' for more information.
unlink: extra operand 'b'
Try 'unlink --help' for more information.
unlink: cannot unlink 'nope': No such file or directory
unlink: cannot unlink 'd': Is a directory
link: missing operand
Try 'link --help' for more information.
link: missing operand after 'b'
Try 'link --help' for more information.
link: extra operand 'd'
Try 'link --help' for more information.
link: cannot create link 'b' to 'b': File exists
link: cannot create link 'c' to 'nope': No such file or directory

### pathchk: limits, -p, -P
pathchk a/b 'x y' && echo ok
pathchk -p 'a b'; pathchk -p abcdefghijklmnop; pathchk -p abc/def.txt && echo portable
pathchk -P -- -x; pathchk -P a/-b; pathchk -P ''; pathchk --portability ''
pathchk; echo "status $?"
--- stdout
ok
portable
status 1
--- stderr
pathchk: nonportable character ' ' in file name 'a b'
pathchk: limit 14 exceeded by length 16 of file name component 'abcdefghijklmnop'
pathchk: leading '-' in a component of file name '-x'
pathchk: leading '-' in a component of file name 'a/-b'
pathchk: empty file name
pathchk: empty file name
pathchk: missing operand
Try 'pathchk --help' for more information.

### pathchk: a component over 255 bytes, a name over 4095
m=$(pathchk "$(printf 'a%.0s' {1..256})" 2>&1); echo "${m:0:11} ${m: -21} $?"
m=$(pathchk "$(printf 'a/%.0s' {1..2048})" 2>&1); echo "${m:0:11} ${m: -21} ${#m}"
pathchk "$(printf 'a%.0s' {1..255})" && echo ok
--- stdout
pathchk: aa a: File name too long 1
pathchk: a/ /: File name too long 4125
ok

### mktemp: templates, -d, -p, -u, --suffix
f=$(mktemp fooXXX); [ -f "$f" ] && echo "file ${#f} ${f:0:3}"
d=$(mktemp -d barXXXXX); [ -d "$d" ] && echo "dir ${#d} ${d:0:3}"
mkdir t; p=$(mktemp -p t); [ -f "$p" ] && echo "${p:0:6} ${#p}"
s=$(mktemp --suffix=.txt sXXXX); [ -f "$s" ] && echo "${s: -4} ${#s}"
u=$(mktemp -u uXXXXXX); [ -e "$u" ] || echo "dry run ${#u}"
TMPDIR=t mktemp -t zXXX | cut -c1-3
--- stdout
file 6 foo
dir 8 bar
t/tmp. 16
.txt 9
dry run 7
t/z

### mktemp errors
mktemp XX; mktemp nope/aXXX; mktemp -q nope/aXXX; mktemp -p . a/bXXX; mktemp -t a/bXXX; mktemp a b
echo "status $?"
--- stdout
status 1
--- stderr
mktemp: too few X's in template 'XX'
mktemp: failed to create file via template 'nope/aXXX': No such file or directory
mktemp: failed to create file via template './a/bXXX': No such file or directory
mktemp: invalid template, 'a/bXXX', contains directory separator
mktemp: too many templates
Try 'mktemp --help' for more information.

### chmod checks the mode and the files
touch a; mkdir d
chmod 755 a && chmod u+x,go-w a && chmod a=r d && chmod -R 700 d && chmod +x a && chmod -x a && echo ok
chmod; chmod 755; chmod xyz a; chmod 755 nope; chmod 8 a; chmod u+q a
echo "status $?"
--- stdout
ok
status 1
--- stderr
chmod: missing operand
Try 'chmod --help' for more information.
chmod: missing operand after '755'
Try 'chmod --help' for more information.
chmod: invalid mode: 'xyz'
Try 'chmod --help' for more information.
chmod: cannot access 'nope': No such file or directory
chmod: invalid mode: '8'
Try 'chmod --help' for more information.
chmod: invalid mode: 'u+q'
Try 'chmod --help' for more information.

### chmod changes nothing in the sandbox [sandbox]
touch a; mkdir d
chmod -v 600 a d; chmod 000 a; cat a && echo readable
--- stdout
mode of 'a' retained as 0644 (rw-r--r--)
mode of 'd' retained as 0755 (rwxr-xr-x)
readable

### "--" ends the options: the operands after it are all there
echo x > a; echo y > -b
cat -- a -b; wc -l -- a; md5sum -- -b
--- stdout
x
y
1 a
009520053b00386d1173f3988c55d192  -b
