# awk: the POSIX language. Expectations written by hand, then checked
# against gawk 5.2 (this machine's awk is mawk): with a directory holding
# `awk` that runs `gawk --posix "$@"`,
#     SHELL_GOLDEN_PATH=DIR python3 tests/tools/shell_golden.py --bash tests/golden/shell/utils_awk.t
# Cases whose title says "(gawk)" use what gawk has beyond POSIX (a regex
# RS, FS="", length(array), nextfile's friends): check those with `awk`
# running plain `gawk "$@"`. Messages differ in wording (tag stderr).

### fields, NR, NF, $NF
printf 'a b c\n1 2 3\nfoo  bar\tbaz\n' > in
awk '{ print NR ": " $2 " (" NF ") " $NF }' in
awk '{ print $(NF-1) }' in
--- stdout
1: b (3) c
2: 2 (3) 3
3: bar (3) baz
b
2
bar

### -F, FS in BEGIN, a one-character FS is literal, a longer one a regex
printf 'x:1:alpha\ny:22:beta\n' > c
awk -F: '{ print $3, $1 }' c
awk 'BEGIN { FS = ":" } { print $2 }' c
echo 'a|b|c' | awk -F'|' '{ print $2 }'
echo 'a.b.c' | awk -F. '{ print $3 }'
echo 'a,  b,c' | awk -F', *' '{ print $2 "/" $3 }'
printf 'a b\tc d\n' | awk -F'\t' '{ print $2 }'
echo ' lead  trail ' | awk -F' +' '{ print NF ":" $2 }'
--- stdout
alpha x
beta y
1
22
b
c
b/c
c d
4:lead

### FS set in an action applies from the next record
printf 'a:b c\nd:e f\n' | awk '{ FS = ":"; print $1 }'
--- stdout
a:b
d

### OFS and rebuilding $0
echo '  a   b  c ' | awk -v OFS=- '{ $1 = $1; print }'
echo 'a b c' | awk '{ $2 = "X"; print; print NF }'
echo 'a b' | awk '{ $5 = "e"; print; print NF }'
echo 'a b c d' | awk '{ NF = 2; print; NF = 4; print }' OFS=,
echo 'a b c' | awk '{ $0 = "x y"; print NF, $2 }'
--- stdout
a-b-c
a X c
3
a b   e
5
a,b
a,b,,
2 y

### patterns: regex, expressions, ranges, BEGIN and END
printf '1 one\n2 two\n3 three\n4 four\n5 five\n' > n
awk '/t/' n
awk '$1 % 2 == 0 { print $2 }' n
awk '/two/,/four/ { print "r:" $1 }' n
awk 'NR == 4, 0' n
awk 'BEGIN { print "start" } END { print "end", NR, $0 }' n
--- stdout
2 two
3 three
two
four
r:2
r:3
r:4
4 four
5 five
start
end 5 5 five

### pattern without action, action without pattern, several rules
printf 'a\nb\n' | awk '1; { print "-" $0 }; /b/'
--- stdout
a
-a
b
-b
b

### arithmetic and the output of numbers (OFMT, integers whole)
awk 'BEGIN { print 1/3, 0.1 + 0.2, 1e6, 2^31, 100000 * 100000, -7 % 3, 7.5 % 2, 2^3^2, -2^2 }'
awk 'BEGIN { OFMT = "%.2f"; print 3.14159, 42; x = 3.14159; print x "" }'
awk 'BEGIN { CONVFMT = "%.3g"; x = 3.14159; print (x "") }'
awk 'BEGIN { x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x; print x++ + ++x, x--, --x }'
awk 'BEGIN { print int(3.9), int(-3.9), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1) }'
--- stdout
0.333333 0.3 1000000 2147483648 10000000000 -1 1.5 512 -4
3.14 42
3.14159
3.14
16
34 18 16
3 -3 4 1 0 0 1 3.14159

### comparisons: numbers, strings, numeric strings from input
printf '10 9\n10 abc\n3.0 3\n' | awk '{ print ($1 > $2), ($1 == 10), ($1 < "5") }'
awk 'BEGIN { x = "10"; y = 9; print (x < y), ("10" < "9"), (10 < 9), (x == 10) }'
awk 'BEGIN { print (u == 0), (u == ""), length(u), u + 1 }'
echo 3.0 | awk '{ print ($1 == 3), ($1 == "3"), $1 + 0 }'
--- stdout
1 1 1
0 1 1
0 0 1
1 1 0 1
1 1 0 1
1 0 3

### strings: length, substr, index, toupper, tolower, concatenation
awk 'BEGIN { s = "hello world"
  print length(s), index(s, "o"), index(s, "zz")
  print substr(s, 7), substr(s, 2, 3), substr(s, 0, 3), substr(s, -1), substr(s, 10, 5) "|"
  print toupper("abC1"), tolower("ABc2"), 1 " " (-1), 1 2, "a" "b" 3 }'
echo 'some text' | awk '{ print length, length() }'
--- stdout
11 5 0
world ell hel hello world ld|
ABC1 abc2 1 -1 12 ab3
9 9

### split
awk 'BEGIN { n = split("a:b:c", p, ":"); print n, p[1], p[3]
  n = split("  x  y ", q); print n, q[1] q[2]
  n = split("a1b22c", r, /[0-9]+/); print n, r[2], r[3]
  n = split("", e); print n
  n = split("a.b", d, "."); print n, d[2] }'
--- stdout
3 a c
2 xy
3 b c
0
2 b

### sub and gsub: &, \&, counts, the target, $0 split again
awk 'BEGIN { s = "aaa bbb aaa"; n = gsub(/a/, "X", s); print n, s
  t = "hello"; sub(/l+/, "[&]", t); print t
  u = "a.b.c"; gsub(/\./, "\\&", u); print u
  v = "abc"; gsub(/b*/, "-", v); print v
  w = "path/to/file"; gsub("/", "\\", w); print w }'
echo 'foo bar foo' | awk '{ n = gsub(/foo/, "baz"); print n, $0, NF }'
echo 'a b c' | awk '{ sub(/b/, "x y", $2); print; print NF; print $2 }'
--- stdout
6 XXX bbb XXX
he[ll]o
a&b&c
-a-c-
path\to\file
2 baz bar baz 3
a x y c
3
x y

### match, RSTART, RLENGTH
awk 'BEGIN { print match("foobarbaz", /ba[rz]/), RSTART, RLENGTH
  print match("abc", /x/), RSTART, RLENGTH
  if (match("The Quick", /[A-Z][a-z]+$/)) print substr("The Quick", RSTART, RLENGTH) }'
--- stdout
4 4 3
0 0 -1
Quick

### regex syntax: brackets, classes, intervals, escapes, dynamic regexes
printf 'a]b\na-b\nx/y\naab\n{x}\nA1\n' > r
awk '/[]]/' r
awk '/a[-]b/' r
awk '/x\/y/' r
awk '/^a{2}b$/' r
awk '/[[:upper:]][[:digit:]]/' r
awk '$0 ~ "^[{]"' r
awk 'BEGIN { re = "^a+"; n = 0 } $0 ~ re { n++ } END { print n }' r
awk 'BEGIN { print ("a.c" ~ /a\.c/), ("abc" ~ /a\.c/), ("abc" ~ "a.c"), ("a+b" ~ /a\+b/) }'
--- stdout
a]b
a-b
x/y
aab
A1
{x}
3
1 0 1 1

### the longest of the leftmost matches (POSIX), in match, sub, gsub, split
awk 'BEGIN { print match("abcd", /ab|abcd/), RLENGTH
  s = "xabcdx"; gsub(/b|bc|bcd/, "[&]", s); print s
  t = "aaa"; sub(/a|aa/, "X", t); print t
  n = split("a12b", p, /1|12/); print n, p[2] }'
--- stdout
1 4
xa[bcd]x
Xa
2 b

### printf and sprintf conversions
awk 'BEGIN { printf "%5s|%-5s|%.2s|%c|%c|%d|%i|%o|%x|%X|%u|%%\n", "ab", "cd", "xyz", 65, "hello", 42.9, -3, 8, 255, 255, 7
  printf "%e|%E|%f|%g|%G|%.3f\n", 1234.5, 0.00012, 3.14159, 0.0001, 1e20, 2/3
  printf "%*d|%-*d|%.*f|%05d|%+d|% d|%#o|%#x\n", 5, 42, 4, 7, 2, 3.14159, 42, 5, 5, 8, 255
  x = sprintf("%03d-%s", 7, "z"); print x, length(x)
  printf "no newline"; printf "\n" }'
echo 65 | awk '{ printf "%c\n", $1 }'
--- stdout
   ab|cd   |xy|A|h|42|-3|10|ff|FF|7|%
1.234500e+03|1.200000E-04|3.141590|0.0001|1E+20|0.667
   42|7   |3.14|00042|+5| 5|010|0xff
007-z 5
no newline
A

### arrays: in, delete, for-in, multiple subscripts, SUBSEP
awk 'BEGIN { a["x"] = 1; a["y"] = 2; delete a["x"]
  for (k in a) print k, a[k]
  print ("x" in a), ("y" in a)
  b[1, 2] = 3; for (k in b) { split(k, p, SUBSEP); print p[1], p[2] }
  if ((1, 2) in b) print "in"
  if (c["z"] == "") print "referenced"; print ("z" in c) }'
--- stdout
y 2
0 1
1 2
in
referenced
1

### counting and dedup idioms
printf 'x\ny\nx\nz\nx\n' > w
awk '!seen[$0]++' w
awk '{ c[$1]++ } END { for (k in c) print k, c[k] | "sort"; close("sort"); print "done" }' w
--- stdout
x
y
z
x 3
y 1
z 1
done

### control flow: if/else, while, do, for, break, continue, next, exit
awk 'BEGIN {
  while (i < 5) { i++; if (i == 2) continue; if (i == 4) break; printf "%d ", i }
  do j++; while (j < 3)
  for (k = 0; k < 3; k++) s = s k
  for (;;) { m++; if (m > 2) break }
  if (j == 3) print "j3"; else print "no"
  print s, m
}'
printf '1\n2\n3\n' | awk '$1 == 2 { next } { print }'
printf '1\n2\n3\n' | awk '$1 == 2 { exit 3 } { print } END { print "end" }'; echo "status $?"
awk 'BEGIN { exit } END { print "END runs after exit in BEGIN" }'
awk 'BEGIN { exit 1 } END { exit }'; echo "status $?"
--- stdout
1 3 j3
012 3
1
3
1
end
status 3
END runs after exit in BEGIN
status 1

### user functions: recursion, locals, arrays by reference, scalars by value
awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i }
function set(x) { x = 5; return x }
function noret() { }
BEGIN { print fact(10); fill(sq, 4); print sq[3]; y = 1; print set(y), y; print "[" noret() "]" }'
--- stdout
3628800
9
5 1
[]

### -v, operand assignments, ARGV, ARGC, ENVIRON, FILENAME, FNR
printf 'a\n' > f1; printf 'b\nc\n' > f2
awk -v x=5 -v 'y=a\tb' 'BEGIN { print x * 2, y }'
awk '{ print v, FILENAME, FNR, NR }' v=1 f1 v=2 f2
awk 'BEGIN { print ARGC, ARGV[1], ARGV[2] }' f1 f2
X=hello awk 'BEGIN { print ENVIRON["X"] }'
awk 'BEGIN { ARGV[1] = "f2"; ARGC = 2 } { print }' f1 nothing
--- stdout
10 a	b
1 f1 1 1
2 f2 1 2
2 f2 2 3
3 f1 f2
hello
b
c

### -f program files, comments and line continuations
printf '# count words\n{ n += NF } # per line\nEND {\n  print "words:", \\\n    n\n}\n' > prog.awk
printf 'a b\nc\n' | awk -f prog.awk
--- stdout
words: 3

### semicolons, newlines and else on its own line
awk 'BEGIN {
  x = 1 ;
  if (x)
    print "yes"
  else
    print "no"
  if (!x) print "a"; else print "b"
}'
--- stdout
yes
b

### getline: plain, var, from a file, from a command
printf '1\n2\n3\n' > g
awk '{ print "rec", $0; getline; print "then", $0, NR }' g
awk 'NR == 1 { getline x; print "x=" x, NR, $0 }' g
awk 'BEGIN { while ((getline line < "g") > 0) s = s line; print s, NR; print (getline y < "missing") }'
awk 'BEGIN { "echo hi there" | getline; print $2, NF; "echo a; echo b" | getline v; print v; close("echo a; echo b"); "echo a; echo b" | getline v; print v }'
awk 'BEGIN { while (("printf \"1\\n2\\n3\\n\"" | getline n) > 0) s += n; print s }'
--- stdout
rec 1
then 2 2
rec 3
then 3 3
x=2 2 1
123 0
-1
there 2
a
a
6

### output redirection: > >> | close system
awk 'BEGIN { print "x" > "out"; print "y" > "out"; close("out")
  while ((getline l < "out") > 0) print "got", l
  print "z" >> "out"; close("out"); system("cat out") }'
awk '{ print > ($1 ".txt") } END { close("a.txt"); getline l < "a.txt"; print "a.txt:", l }' <<< $'a 1\nb 2'
cat b.txt
awk 'BEGIN { print "b\na\nc" | "sort"; close("sort"); print "after" }'
awk 'BEGIN { printf "to stderr\n" > "/dev/stderr"; print "to stdout" > "/dev/stdout" }'
awk 'BEGIN { r = system("echo in system"); print "r=" r }'
--- stdout
got x
got y
x
y
z
a.txt: a 1
b 2
a
b
c
after
to stdout
in system
r=0
--- stderr
to stderr

### RS: one character, paragraphs
printf 'a,b;c\n' | awk 'BEGIN { RS = ";" } { print NR ": " $0 }'
printf '\n\na\nb\n\n\nc d\ne\n\n' | awk 'BEGIN { RS = "" } { print NR ": " $1 "|" $2 "|" NF }'
printf 'a:b\nc\n\nd\n' | awk 'BEGIN { RS = ""; FS = ":" } { print NF, $2 "|" }'
--- stdout
1: a,b
2: c
<empty>
1: a|b|2
2: c|d|3
3 b|
1 |

### a regex RS (gawk)
printf 'a1b22c333d' | awk 'BEGIN { RS = "[0-9]+" } { print NR, $0 }'
printf 'one\r\ntwo\r\n' | awk 'BEGIN { RS = "\r\n" } { print $0 "|" }'
--- stdout
1 a
2 b
3 c
4 d
one|
two|

### FS="" splits characters, length of an array (gawk)
echo xyz | awk -F '' '{ print $2, NF }'
awk 'BEGIN { a[1]; a[2]; print length(a); delete a; print length(a) }'
--- stdout
y 3
2
0

### system() returns the command's exit status (gawk)
awk 'BEGIN { r = system("exit 3"); print "r=" r }'
--- stdout
r=3

### nextfile (gawk and POSIX 2024)
printf '1\n2\n' > p; printf '3\n4\n' > q
awk 'FNR == 2 { nextfile } { print FILENAME, $0 }' p q
--- stdout
p 1
q 3

### uninitialized values and string escapes
awk 'BEGIN { print x + 0, "[" x "]", length(x); print "a\tb\\n\"q\"", "\101\102" }'
--- stdout
0 [] 0
a	b\n"q" AB

### binary bytes and a long line pass through
head -c 3000000 /dev/zero | tr '\0' 'x' > long
printf 'a\0b c\n' > bin
awk '{ print length($0), NF }' long
awk '{ print NF, length($1); print }' bin | tr '\0' @
--- stdout
3000000 1
2 3
a@b c

### number to string: CONVFMT for strings and subscripts, OFMT for print
awk 'BEGIN { OFMT = "%.2f"; CONVFMT = "%.3f"; printf "%s %d\n", 3.14159, 3.9; x = 3.14159; print x "", x }'
awk 'BEGIN { CONVFMT = "%d"; a[12.7] = 1; for (k in a) print k }'
awk 'BEGIN { a[01] = 1; a["01"] = 2; for (k in a) print k, a[k] }' | sort
awk 'BEGIN { print 2^53, 1e18, 0.000001, 1e-7, 123456.7, 1234567.8, .5, 5. }'
--- stdout
3.142 3
3.142 3.14
12
01 2
1 1
9007199254740992 1000000000000000000 1e-06 1e-07 123457 1.23457e+06 0.5 5

### printf corner cases
awk 'BEGIN { printf "%i|%5%|%c|%.0f %.0f|%x %o|%d\n", 3.7, 256 + 65, 0.5, 2.5, -1, 8, -2147483649 }'
awk 'BEGIN { printf "%s-%s\n", "a", "b", "unused" }'
awk 'BEGIN { printf "%c", ""; print "|" }' | tr '\0' @
--- stdout
3|%|A|0 2|ffffffffffffffff 10|-2147483649
a-b
@|

### exit and next inside functions, getline from "-", options after --
printf 'a\nb\n' | awk 'function f() { next } { f(); print "no" } END { print "end", NR }'
printf 'a\nb\n' | awk 'function f() { exit 4 } { f(); print "no" } END { print "end" }'; echo "status $?"
printf 'x\ny\n' | awk 'BEGIN { while ((getline l < "-") > 0) print "stdin:", l }'
printf 'a\n' > f; awk -- '{ print "got " $0 }' f
printf 'BEGIN { x = 1 }\n' > p1; printf 'BEGIN { print x + 1 }\n' > p2; awk -f p1 -f p2
--- stdout
end 2
end
status 4
stdin: x
stdin: y
got a
2

### print | cmd runs cmd when the pipe closes, after awk's own output [sandbox]
awk 'BEGIN { print "header"; print "b\na" | "sort" }'
--- stdout
header
a
b

### files and commands stay inside the sandbox [wasm]
awk 'BEGIN { print (getline l < "/etc/passwd"); print "x" > "/etc/awk-test" }'; echo "status $?"
awk '{ print }' /etc/hostname; echo "status $?"
awk 'BEGIN { system("cat /etc/hostname"); "ls /" | getline x; print "[" x "]" }'
--- stdout
-1
status 2
status 2
[]
--- stderr
awk: cmd. line:1: fatal: cannot redirect to '/etc/awk-test': Permission denied (outside the sandbox's mapped directories)
awk: fatal: cannot open file '/etc/hostname' for reading: Permission denied (outside the sandbox's mapped directories)
cat: /etc/hostname: Permission denied (outside the sandbox's mapped directories)
ls: cannot access '/': Permission denied (outside the sandbox's mapped directories)

### syntax errors stop before anything runs [stderr]
awk 'BEGIN { print "x"; x = }'; echo "status $?"
awk 'BEGIN { print "a" '; echo "status $?"
awk 'BEGIN { x = 1 @ 2 }'; echo "status $?"
--- stdout
status 1
status 1
status 1
--- stderr
awk: cmd. line:1: BEGIN { print "x"; x = }
awk: cmd. line:1:                        ^ syntax error
awk: cmd. line:1: BEGIN { print "a" 
awk: cmd. line:1:                   ^ syntax error (unexpected end of file)
awk: cmd. line:1: BEGIN { x = 1 @ 2 }
awk: cmd. line:1:               ^ invalid char '@' in expression

### runtime errors [stderr]
awk 'BEGIN { z = 0; print 1 / z }'; echo "status $?"
awk 'BEGIN { x = 1; x[1] = 2 }'; echo "status $?"
awk 'BEGIN { printf "%s %s\n", "one" }'; echo "status $?"
awk '{ print }' missing; echo "status $?"
awk 'BEGIN { print "a" > "" }'; echo "status $?"
awk 'BEGIN { print ("a" ~ "(") }'; echo "status $?"
--- stdout
status 2
status 2
status 2
status 2
status 2
status 2
--- stderr
awk: cmd. line:1: fatal: division by zero attempted
awk: cmd. line:1: fatal: attempt to use scalar `x' as an array
awk: cmd. line:1: fatal: not enough arguments to satisfy format string "%s %s\n": none for the conversion at byte 4
awk: fatal: cannot open file 'missing' for reading: No such file or directory
awk: cmd. line:1: fatal: expression for `>' redirection has null string value
awk: cmd. line:1: fatal: invalid regexp /(/: unclosed group: expected )

### usage errors [stderr]
awk; echo "status $?"
awk -z 1; echo "status $?"
awk -v novalue 'BEGIN { }'; echo "status $?"
awk -f missing.awk; echo "status $?"
--- stdout
status 1
status 1
status 1
status 2
--- stderr
awk: usage: awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]
awk: invalid option -- 'z'
Try 'awk --help' for more information.
awk: fatal: `novalue' argument to `-v' not in `var=value' form
awk: missing.awk: No such file or directory

### recursion without end stops with an error, not a crash [sandbox]
set -o pipefail
awk 'function f(n) { return f(n + 1) + 1 } BEGIN { f(1) }' 2>&1 | tr -d 0-9; echo "status $?"
--- stdout
awk: cmd. line:: fatal: expressions or calls nested too deeply (limit  levels)
status 2

### awk in a pipeline
printf 'b 2\na 1\nb 3\nc 5\n' | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort -k2 -n | head -2
--- stdout
a 1
b 5
