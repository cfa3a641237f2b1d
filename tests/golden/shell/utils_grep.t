# grep, egrep, fgrep: GNU grep 3.8's options on the grep tool's search core.

### grep basic and extended expressions
printf 'hello world\nfoo bar\nHello again\nabc123\na+b\n(x)\n' > f
grep hello f
grep -i HELLO f
grep -n -E 'o{2}|[0-9]+' f
grep 'a+b' f
grep -E 'a\+b' f
grep 'l\{2\}' f
grep '\(foo\|abc\)' f
grep -E '^(foo|abc)' f
grep '(x)' f
grep -c o f
grep -e foo -e abc f
--- stdout
hello world
hello world
Hello again
2:foo bar
4:abc123
a+b
a+b
hello world
Hello again
foo bar
abc123
foo bar
abc123
(x)
3
foo bar
abc123

### grep -v -w -x -o -m and -q
printf 'foo\nfoobar\nbar foo baz\nfoo\n' > f
grep -w foo f
grep -x foo f
grep -v foo f; echo "v $?"
grep -o 'o\+' f | head -3
grep -m 2 foo f
grep -q bar f; echo "q $?"
grep -q zzz f; echo "q $?"
grep -c -v foo f
--- stdout
foo
bar foo baz
foo
foo
foo
v 1
oo
oo
oo
foo
foobar
q 0
q 1
0
--- exit 1

### grep context lines
printf '1\n2\nx\n3\n4\n5\n6\nx\n7\n' > f
grep -A 1 x f
echo --
grep -B1 -n x f
echo --
grep -C 1 -m 1 x f
echo --
grep -1 -c x f
--- stdout
x
3
--
x
7
--
2-2
3:x
--
7-6
8:x
--
2
x
3
--
2

### grep file names, several files, stdin and -r
mkdir -p d/e; echo 'hi there' > d/one; echo 'hi' > d/e/two; echo 'no' > d/three; echo 'hi in a.c' > d/a.c
printf 'hi\nho\n' | grep -H hi
printf 'hi\nho\n' | grep hi - d/one
grep -h hi d/one d/three
grep -r hi d | sort
grep -rl hi d | sort
grep -rc hi d | sort
grep -r hi --include='*.c' d
grep -r hi --exclude='*.c' --exclude-dir=e d | sort
grep -rL hi d
cd d && grep -r 'hi$' | sort
--- stdout
(standard input):hi
(standard input):hi
d/one:hi there
hi there
d/a.c:hi in a.c
d/e/two:hi
d/one:hi there
d/a.c
d/e/two
d/one
d/a.c:1
d/e/two:1
d/one:1
d/three:0
d/a.c:hi in a.c
d/one:hi there
d/three
e/two:hi

### grep errors and exit statuses
echo hi > f; mkdir d
grep hi f nofile; echo "status $?"
grep -s hi nofile; echo "status $?"
grep hi d; echo "status $?"
grep -q hi f nofile; echo "status $?"
grep '\(a' f; echo "status $?"
grep -E 'a{2,1}' f; echo "status $?"
grep '[[:nope:]]' f; echo "status $?"
grep '[a' f; echo "status $?"
grep -A x hi f; echo "status $?"
grep; echo "status $?"
--- stdout
f:hi
status 2
status 2
status 2
status 0
status 2
status 2
status 2
status 2
status 2
status 2
--- stderr
grep: nofile: No such file or directory
grep: d: Is a directory
grep: Unmatched ( or \(
grep: Invalid content of \{\}
grep: Invalid character class name
grep: Unmatched [, [^, [:, [., or [=
grep: x: invalid context length argument
Usage: grep [OPTION]... PATTERNS [FILE]...
Try 'grep --help' for more information.

### grep back-references are refused [sandbox]
echo aa | grep '\(a\)\1'; echo "status $?"
echo aa | grep -E '(a)\2'; echo "status $?"
--- stdout
status 2
status 2
--- stderr
grep: back-references (\1 to \9) are not supported: the sandbox's regex engine matches in linear time, which they would not allow
grep: Invalid back reference

### grep binary files, -a, -I, -z
printf 'text\0bin\nmore text\n' > b
grep text b; echo "status $?"
grep -c text b
grep -a -o 'more.*' b
grep -I text b; echo "status $?"
printf 'one\ntwo\0three\0' | grep -z t | tr '\0' '|'; echo
--- stdout
status 0
2
more text
status 1
one
two|three|
--- stderr
grep: b: binary file matches

### grep -F, -f, egrep, fgrep and BRE corners
printf 'a.c\nabc\n*star\n^caret\nx{2}\n' > f
grep -F 'a.c' f
fgrep '.' f | head -1
egrep 'ab|star' f
grep '*star' f
grep '^^' f
grep 'x{2}' f
grep -E 'x{2' f
printf 'abc\nstar\n' > pats; grep -f pats f
grep -f /dev/null f; echo "status $?"
grep -w -F -e 'a' -e 'abc' f
--- stdout
a.c
a.c
abc
*star
*star
^caret
x{2}
x{2}
abc
*star
status 1
a.c
abc

### grep -P uses the engine's own syntax [sandbox]
printf 'a1\nb22\n' | grep -P '\d{2}'
printf 'a1\nb22\n' | grep -oP '(?i)B\d+'
--- stdout
b22
b22

### grep -R follows symlinks and stops at loops, -r does not follow them
--- setup
mkdir -p d/sub; echo hit > d/sub/f; ln -s .. d/sub/up; ln -s sub d/alias
--- command
grep -R hit d; echo "status $?"
grep -r hit d; echo "status $?"
--- stdout
d/alias/f:hit
d/sub/f:hit
status 0
d/sub/f:hit
status 0
--- stderr
grep: d/alias/up: warning: recursive directory loop
grep: d/sub/up: warning: recursive directory loop

### grep on hostile patterns and long lines stays linear
head -c 200000 /dev/zero | tr '\0' a > longa; echo >> longa
grep -cE '(a*)*b' longa
grep -cE '(a|aa)+$' longa
grep -c '\(a*\)*\(b\|a\)$' longa
grep -o 'a\{3\}$' longa
printf 'x\377y\n' | grep -c 'x.y'
--- stdout
0
1
1
aaa
1
--- exit 0

### grep patterns that look like options
printf 'a\n-5\nb\n' > m
grep -e -5 m
grep -n -1 -e -5 m
grep -- -5 m
grep -c -e a -e b m
--- stdout
-5
1-a
2:-5
3-b
-5
2

### grep -Z puts a NUL after file names
mkdir d; echo foo > d/a; printf 'foo\nfoo\n' > d/b
grep -rlZ foo d | tr '\0' '\n' | sort
grep -rcZ foo d | tr '\0' '|' | sort
grep -HZ foo d/a | tr '\0' '|'
grep -LZ zzz d/a | tr '\0' '|'; echo
--- stdout
d/a
d/b
d/a|1
d/b|2
d/a|foo
d/a|

### operands after -- (the shared option parser)
printf 'a\n-n\n' > f
cat -- f
head -n 1 -- f
grep -- -n f
sed -n -- '$p' f
wc -l -- f
--- stdout
a
-n
a
-n
-n
2 f
