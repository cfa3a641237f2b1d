# Text utilities: head, tail, wc, sort, uniq, cut, tr, seq, tee, yes,
# basename, dirname, printf, echo, cat.

### head and tail, lines and bytes
printf 'l1\nl2\nl3\nl4\nl5\n' > f
head -n 2 f; tail -n 2 f
head -2 f; tail -1 f
head -c 4 f; echo
tail -c 3 f
head -n -3 f
tail -n +4 f
tail +5 f
--- stdout
l1
l2
l4
l5
l1
l2
l5
l1
l
l5
l1
l2
l4
l5
l5

### head and tail headers for several files
printf 'a\nb\n' > one; printf 'c' > two
head -n 1 one two; echo
tail -n 1 one two; echo
head -q -n1 one two; echo
--- stdout
==> one <==
a

==> two <==
c
==> one <==
b

==> two <==
c
a
c

### head and tail errors
head -n x one; echo "status $?"
tail nofile; echo "status $?"
--- stdout
status 1
status 1
--- stderr
head: invalid number of lines: 'x'
tail: cannot open 'nofile' for reading: No such file or directory

### head reads only what it needs
printf '1\n2\n3\n' > f
{ head -n 1; cat; } < f
--- stdout
1
2
3

### wc columns as GNU sets them
printf 'one two\nthree\n' > f
wc f; wc -l f; wc -w < f; wc -c f f
printf 'x\n' | wc
printf 'tab\there\n' | wc -L
--- stdout
 2  3 14 f
2 f
3
14 f
14 f
28 total
      1       1       2
12

### wc -l and -c count without looking at words: every newline, at any offset
printf 'a\nbcdefgh\n\n12345678\n\0\n' > f
wc -l f; wc -lc f; wc -c < f
printf 'no newline at the end' | wc -l
printf '\n\n\n\n\n\n\n\n\n' | wc -l
seq 1 30000 | wc -lc
printf '' | wc -lm
--- stdout
5 f
 5 22 f
22
0
9
  30000  168894
      0       0

### sort: default, numeric, reverse, keys, separators
printf 'banana\napple\nCherry\n10\n9\n' | sort
printf '10\n9\n-1\n-10\n1.5\nx\n' | sort -n
printf 'b 2\na 10\nc 1\n' | sort -k2 -n
printf 'b 2\na 10\nc 1\n' | sort -k2,2nr
printf 'x:3:b\ny:1:a\nz:2:c\n' | sort -t: -k3
--- stdout
10
9
Cherry
apple
banana
-10
-1
x
1.5
9
10
c 1
b 2
a 10
a 10
b 2
c 1
y:1:a
x:3:b
z:2:c

### sort -u, -f, -h, -V, -M, -c
printf 'b\na\nb\nA\n' | sort -u
printf 'B\na\nC\nb\n' | sort -f
printf '1.5K\n200\n1M\n3G\n10K\n' | sort -h
printf 'v1.10\nv1.2\nv1.9\nfile-1.0.tar.gz\nfile-1.0a.tar.gz\n' | sort -V
printf 'Mar\nJan\nDec\nfoo\n' | sort -M
printf 'b\na\n' | sort -c; echo "status $?"
--- stdout
A
a
b
a
B
b
C
200
1.5K
10K
1M
3G
file-1.0.tar.gz
file-1.0a.tar.gz
v1.2
v1.9
v1.10
foo
Jan
Mar
Dec
status 1
--- stderr
sort: -:2: disorder: a

### sort keys hold the blanks before them unless -b
printf 'a  z\nb y\n' | sort -k2
printf 'a  z\nb y\n' | sort -b -k2
--- stdout
a  z
b y
b y
a  z

### sort -o may name an input, -r, -s, -z
printf 'c\na\nb\n' > f; sort -o f f; cat f
printf '2 b\n1 a\n2 a\n' | sort -s -k1,1r
printf 'b\0a\0' | sort -z | tr '\0' ,; echo
--- stdout
a
b
c
2 b
2 a
1 a
a,b,

### sort errors
sort nofile; echo "status $?"
sort -k0 /dev/null; echo "status $?"
sort -t ab /dev/null; echo "status $?"
--- stdout
status 2
status 2
status 2
--- stderr
sort: cannot read: nofile: No such file or directory
sort: field number is zero: invalid field specification '0'
sort: multi-character tab 'ab'

### uniq
printf 'a\na\nb\nc\nc\nc\n' > f
uniq f; uniq -c f; uniq -d f; uniq -u f
printf 'A\na\nb\n' | uniq -i
printf 'x 1\ny 1\nz 2\n' | uniq -f1 -c
printf 'a\na\nb\n' | uniq -D
--- stdout
a
b
c
      2 a
      1 b
      3 c
a
c
b
A
b
      2 x 1
      1 z 2
a
a

### cut
printf 'a:b:c\nnodelim\n' | cut -d: -f2
printf 'a:b:c\nnodelim\n' | cut -d: -f2 -s
printf 'abcdef\n' | cut -c2-4,6
printf 'abcdef\n' | cut -b -2
printf 'a:b:c:d\n' | cut -d: -f1,3- --output-delimiter=/
printf 'a:b:c\n' | cut -d: --complement -f2
printf 'a\tb\n' | cut -f2
--- stdout
b
nodelim
b
bcdf
ab
a/c/d
a:c
b

### cut errors
cut /dev/null; cut -f0 /dev/null; cut -d ab -f1 /dev/null; cut -c1 -f1 /dev/null
--- stderr
cut: you must specify a list of bytes, characters, or fields
Try 'cut --help' for more information.
cut: fields are numbered from 1
Try 'cut --help' for more information.
cut: the delimiter must be a single character
Try 'cut --help' for more information.
cut: only one list may be specified
Try 'cut --help' for more information.
--- exit 1

### tr
echo 'Hello World' | tr a-z A-Z
echo 'Hello World' | tr '[:upper:]' '[:lower:]'
echo 'hello   world' | tr -s ' '
echo 'a1b2c3' | tr -d '0-9'
echo 'a1b2c3' | tr -cd '0-9\n'
echo 'abc' | tr abc x
echo 'abc' | tr -t abc x
printf 'a\tb\n' | tr '\t' ,
--- stdout
HELLO WORLD
hello world
hello world
abc
123
xxx
xbc
a,b

### seq
seq 3; seq 2 4; seq 1 2 7; seq 5 -2 1
seq 1 0.5 2
seq -w 8 10
seq -s, 3
seq 0.1 0.1 0.3
seq -f '%03g' 3
seq 5 1; echo "empty: $?"
--- stdout
1
2
3
2
3
4
1
3
5
7
5
3
1
1.0
1.5
2.0
08
09
10
1,2,3
0.1
0.2
0.3
001
002
003
empty: 0

### tee and yes
echo hi | tee a b > /dev/null; cat a b
echo more | tee -a a; cat a
yes | head -n 2
yes abc def | head -n 1
--- stdout
hi
hi
more
hi
more
y
y
abc def

### basename and dirname
basename /a/b/c.txt .txt; basename /a/b/; basename -s .c x.c y.c; basename -a a/b c/d
dirname /a/b/c; dirname a; dirname /; dirname a/b/ c/d//
basename; echo "status $?"
--- stdout
c
b
x
y
b
d
/a/b
.
/
a
c
status 1
--- stderr
basename: missing operand
Try 'basename --help' for more information.

### printf
printf '%d|%5.2f|%-4s|%x|%o|%c|%q\n' 42 3.14159 ab 255 8 hello 'a b'
printf '%s\n' a b c
printf '[%5s][%-5s][%.2s]\n' x y abc
printf '%s %s\n' 1
printf '%i %u %X %#x %+d % d %05d\n' -3 7 255 255 5 5 42
printf '%e %g %G\n' 12345.678 0.0001 1e20
printf '%*d|%-*d|\n' 5 1 4 2
printf "%d\n" "'A" 0x10 010
printf '%b|%s\n' 'a\tb' 'a\tb'
printf -v v '%s-%s' x y; echo "$v"
--- stdout
42| 3.14|ab  |ff|10|h|a\ b
a
b
c
[    x][y    ][ab]
1 
-3 7 FF 0xff +5  5 00042
1.234568e+04 0.0001 1E+20
    1|2   |
65
16
8
a	b|a\tb
x-y

### printf with a bad number
printf '%d %d\n' 12x abc; echo "status $?"
--- stdout
12 0
status 1
--- stderr
shell: line 1: printf: 12x: invalid number
shell: line 1: printf: abc: invalid number

### cat options
printf 'a\n\n\nb\tc\n' > f
cat -n f; cat -s f; cat -A f; cat -b f
--- stdout
     1	a
     2	
     3	
     4	b	c
a

b	c
a$
$
$
b^Ic$
     1	a


     2	b	c

### seq: integers beyond 64 bits are counted exactly
seq 18446744073709551614 18446744073709551615
seq 99999999999999999999 2 100000000000000000004
seq -s, 0018446744073709551615 18446744073709551617
seq 18446744073709551616 18446744073709551615; echo "empty: $?"
--- stdout
18446744073709551614
18446744073709551615
99999999999999999999
100000000000000000001
100000000000000000003
18446744073709551615,18446744073709551616,18446744073709551617
empty: 0
