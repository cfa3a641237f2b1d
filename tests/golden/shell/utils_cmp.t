# cmp: the first difference, -l every one, -b the bytes, -s the status
# only, -n and -i (skips, also as operands), EOF on the shorter file, and
# exit 0 same / 1 different / 2 trouble. In the C locale GNU says "char".

### the first difference, and identical files
printf 'abc\ndef\n' > a; printf 'abc\ndxf\n' > b; cp a c
cmp a b; echo "status $?"
cmp a c; echo "status $?"
cmp -s a b; echo "status $?"
--- stdout
a b differ: char 6, line 2
status 1
status 0
status 1

### -l lists every difference in octal, -b shows the bytes
printf 'abc\ndef\n' > a; printf 'abC\ndxf\n' > b
printf '\001\200\377' > x; printf 'a\201b' > y
cmp -l a b
cmp -b a b
cmp -lb x y
--- stdout
3 143 103
6 145 170
a b differ: byte 3, line 1 is 143 c 103 C
1   1 ^A   141 a
2 200 M-^@ 201 M-^A
3 377 M-^? 142 b
--- exit 1

### -l pads offsets to the width of the largest
seq 1 2000 > a; seq 1 2000 | tr 9 x > b
cmp -l a b | head -3
--- stdout
  17  71 170
  47  71 170
  77  71 170

### one file is a prefix of the other
printf 'abc\n' > a; printf 'abc\nd' > b; printf 'abc' > c; : > e
cmp a b; echo "status $?"
cmp c a; echo "status $?"
cmp e a; echo "status $?"
cmp -l a b; echo "status $?"
cmp -s a b; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
--- stderr
cmp: EOF on a after byte 4, line 1
cmp: EOF on c after byte 3, in line 1
cmp: EOF on e which is empty
cmp: EOF on a after byte 4

### -n limits, -i and operands skip
printf 'abc\ndef\n' > a; printf 'abc\ndxf\n' > b
cmp -n 5 a b; echo "status $?"
cmp -i 6 a b; echo "status $?"
cmp -i 2 a b
cmp -i 1:1 a b
cmp a b 3 4
cmp --bytes=1K --ignore-initial=1 a b
--- stdout
status 0
status 0
a b differ: char 4, line 2
a b differ: char 5, line 2
a b differ: char 1, line 1
a b differ: char 5, line 2
--- exit 1

### stdin as either file
printf 'abc\ndef\n' > a; printf 'abc\ndxf\n' > b
cmp - b < a
cat b | cmp a
--- stdout
- b differ: char 6, line 2
a - differ: char 6, line 2
--- exit 1

### errors
printf 'x\n' > a; mkdir d
cmp a nofile; echo "status $?"
cmp -s a nofile; echo "status $?"
cmp d a; echo "status $?"
cmp; echo "status $?"
cmp a a a a a; echo "status $?"
cmp -i x a a; echo "status $?"
cmp -l -s a a; echo "status $?"
--- stdout
status 2
status 2
status 2
status 2
status 2
status 2
status 2
--- stderr
cmp: nofile: No such file or directory
cmp: d: Is a directory
cmp: missing operand after 'cmp'
cmp: Try 'cmp --help' for more information.
cmp: invalid --ignore-initial value 'a'
cmp: Try 'cmp --help' for more information.
cmp: invalid --ignore-initial value 'x'
cmp: Try 'cmp --help' for more information.
cmp: options -l and -s are incompatible
cmp: Try 'cmp --help' for more information.
