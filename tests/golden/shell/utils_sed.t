# sed: GNU sed 4.9's commands, addresses and options.

### sed s with flags, groups and case conversion
printf 'hello world\nfoo bar\n' | sed 's/o/0/g; s/\(h\)\(e\)/\2\1/; s/bar/[&]/'
printf 'a b c\n' | sed -E 's/(\w+) (\w+)/\U\2\E \1/'
printf 'aaa\n' | sed 's/a/b/2g'
printf 'hello\n' | sed 's/l/L/2'
printf 'abc\n' | sed 's/b*/X/g'
printf 'CamelCase\n' | sed 's/.*/\L&/; s/^./\u&/'
printf 'Abc\n' | sed 's/abc/X/I'
printf 'path/to/x\n' | sed 's|/|\\|g'
printf 'a.b axb\n' | sed 's/a\.b/X/g'
printf 'ab\n' | sed 's/\(a\)\|b/[\1]/g'
printf 'a b\n' | sed 's/ /\n/'
printf 'a1b22\n' | sed -E 's/[0-9]+/<&>/g'
printf 'x\ty\n' | sed 's/\t/TAB/'
--- stdout
ehll0 w0rld
f00 [bar]
B a c
abb
helLo
XaXcX
Camelcase
X
path\to\x
X axb
[a][]
a
b
a<1>b<22>
xTABy

### sed addresses: numbers, $, regex, ranges, steps, negation
printf 'l1\nl2\nl3\nl4\nl5\n' > f
sed -n '2p;$p' f
sed -n '2,4!p' f
sed -n '/l2/,/l4/{=;p}' f
sed -n '3,1p' f
sed -n '2,~4p' f
sed -n '4,+1p' f
sed -n '1~2p' f
sed -n '0,/l/p' f
sed -n '1,/l/p' f
sed '/l[2-4]/d' f
sed -n '\%l5%p' f
--- stdout
l2
l5
l1
l5
2
l2
3
l3
4
l4
l3
l2
l3
l4
l4
l5
l1
l3
l5
l1
l1
l2
l1
l5
l5

### sed n N D P, hold space, labels and branches
printf 'a\n' | sed n
printf 'a\nb\nc\n' | sed -n 'N;p'
printf 'a\nb\nc\n' | sed 'N;s/\n/-/'
printf 'x\ny\nz\n' | sed '1!G;h;$!d'
printf 'a\nb\nc\n' | sed ':a;N;$!ba;s/\n/,/g'
printf 'a\nb\nc\n' | sed '$!N;P;D'
printf 'ax\nb\nax\n' | sed -n '/a/{s/x/y/;t done;p;:done;=}'
printf 'k\nv\n' | sed -n 'h;n;G;p'
printf 'one\ntwo\n' | sed 's/one/1/;T;s/$/!/'
--- stdout
a
a
b
a-b
c
z
y
x
a,b,c
a
b
c
1
3
v
k
1!
two

### sed a i c y = l q Q
printf 'one\ntwo\nthree\n' | sed '1i\
top
$a end
2c changed'
printf 'a\n' | sed -e 'a\' -e 'foo'
printf 'a\n' | sed 'a\   kept'
printf 'a\n' | sed 'a   stripped'
printf 'a\nb\nc\n' | sed '2,3c gone'
printf 'hello\n' | sed 'y/hel/HEL/'
printf 'x\ny\n' | sed =
printf 'a\tb\001\n' | sed -n l
printf 'a\nb\nc\nd\n' | sed 2q
printf 'a\nb\nc\nd\n' | sed 2Q5; echo "status $?"
--- stdout
top
one
changed
three
end
a
foo
a
   kept
a
stripped
a
gone
HELLo
1
x
2
y
a\tb\001$
a
b
a
status 5

### sed options -n -e -f -E -s -z and files
printf '1\n2\n' > a; printf '3\n4' > b
sed -n '$=' a b
sed -s -n '$=' a b
sed -s 1d a b; echo
sed p b; echo
sed -n p b; echo
printf 's/1/one/\n# a comment\n/2/d\n' > script.sed
sed -f script.sed a
sed -e 's/1/x/' -e 's/2/y/' a
printf 'a\nb\n' | sed -z 's/\n/,/g'; echo
printf '(a)\n' | sed -E 's/\((a)\)/[\1]/'
sed -n '/1/p' a - < b; echo
printf '#n\n2p\n' > quiet.sed; sed -f quiet.sed a
sed p nofile a; echo "status $?"
--- stdout
4
2
2
2
4
3
3
4
4
3
4
one
x
y
a,b,
[a]
1

2
1
1
2
2
status 2
--- stderr
sed: can't read nofile: No such file or directory

### sed -i edits in place, with a backup
printf 'x\ny\n' > f; printf 'x\n' > g
sed -i 's/x/X/' f g
cat f g
sed -i.bak '1d' f
cat f f.bak
sed --in-place='orig_*' 's/y/Y/' f
cat f orig_f
ls
sed -i 's/a/b/'; echo "status $?"
--- stdout
X
y
X
y
X
y
Y
y
f
f.bak
g
orig_f
status 4
--- stderr
sed: no input files

### sed w writes files, r reads them
printf 'a1\nb2\na3\n' > in; printf 'INS\n' > ins
sed -n '/a/w out' in; cat out
sed '1r ins' in
sed -n 's/b/B/w /dev/stdout' in
--- stdout
a1
a3
a1
INS
b2
a3
B2

### sed script errors
sed 's/x' f; echo "status $?"
sed -e 'k' f
sed -e p -e 's/a/b/k' f
sed 'y/ab/c/' f
sed '}' f
sed '{p' f
sed 'b foo' f
sed 's/\(a\)/\2/' f
sed 1,2,3p f
sed ': ' f
sed 'a' f
sed '0p' f
sed 's/a/b/gg' f
sed 's/\(a/x/' f
--- stdout
status 1
--- stderr
sed: -e expression #1, char 3: unterminated `s' command
sed: -e expression #1, char 1: unknown command: `k'
sed: -e expression #2, char 7: unknown option to `s'
sed: -e expression #1, char 7: strings for `y' command are different lengths
sed: -e expression #1, char 1: unexpected `}'
sed: -e expression #1, char 0: unmatched `{'
sed: can't find label for jump to `foo'
sed: -e expression #1, char 11: invalid reference \2 on `s' command's RHS
sed: -e expression #1, char 4: unknown command: `,'
sed: -e expression #1, char 2: ":" lacks a label
sed: -e expression #1, char 1: expected \ after `a', `c' or `i'
sed: -e expression #1, char 2: invalid usage of line address 0
sed: -e expression #1, char 8: multiple `g' options to `s' command
sed: -e expression #1, char 8: Unmatched ( or \(
--- exit 1

### sed with no script prints its usage [stderr]
sed; echo "status $?"
--- stdout
status 1
--- stderr
Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

### sed back-references in a regex are refused [sandbox]
printf 'aa\n' | sed -n '/\(a\)\1/p'; echo "status $?"
--- stdout
status 1
--- stderr
sed: -e expression #1, char 9: back-references (\1 to \9) are not supported: the sandbox's regex engine matches in linear time, which they would not allow
