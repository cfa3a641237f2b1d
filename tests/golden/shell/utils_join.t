# join: lines of two sorted files joined on a field; -1 -2 -j, -t, -i,
# -a and -v for lines that pair with nothing, -e and -o (with auto),
# --header, -z, every pair of a run, and the order checks.

### the first fields, and runs that pair many ways
printf 'a 1\nb 2\nc 3\n' > x; printf 'a x\nc y\nc z\nd w\n' > y
join x y
printf 'a 1\na 2\nb 3\n' > p; printf 'a x\na y\nb z\n' > q
join p q
--- stdout
a 1 x
c 3 y
c 3 z
a 1 x
a 1 y
a 2 x
a 2 y
b 3 z

### -a and -v: the lines that pair with nothing
printf 'a 1\nb 2\nc 3\n' > x; printf 'a x\nc y\nc z\nd w\n' > y
join -a1 x y; echo --
join -v2 x y; echo --
join -v1 -v2 x y; echo --
join -a2 -v1 x y
--- stdout
a 1 x
b 2
c 3 y
c 3 z
--
d w
--
b 2
d w
--
b 2
d w

### -o lists, -o auto, -e for what is missing or empty
printf 'a 1\nb 2\nc 3\n' > x; printf 'a x\nc y\nc z\nd w\n' > y
join -o 1.2,2.2,0 x y; echo --
join -a1 -a2 -e NA -o auto x y; echo --
join -e E -o 1.1,1.3,2.2 x y
--- stdout
1 x a
3 y c
3 z c
--
a 1 x
b 2 NA
c 3 y
c 3 z
d NA w
--
a E x
c E y
c E z

### other fields, -t, -i, blanks
printf 'x a\n' > k; printf 'a x\nc y\n' > y
join -1 2 -2 1 k y
printf 'a,1,q\nb,2\n' > s; printf 'a,x\nb,y,z\n' > t
join -t, s t
join -t, -a1 -a2 -o 0,1.2,2.3 -e - s t
printf 'A 1\n' > u; printf 'a 2\n' > v
join -i u v; join u v; echo "status $?"
printf '  a   1  \n' > w
join w y | cat -A
--- stdout
a x x
a,1,q,x
b,2,y,z
a,1,-
b,2,z
A 1 2
status 0
a 1  x$

### --header and -z
printf 'K v\na 1\n' > h1; printf 'K w\na 2\n' > h2
join --header h1 h2
printf 'a 1\0' > z1; printf 'a 2\0' > z2
join -z z1 z2 | tr '\0' '|'; echo
--- stdout
K v w
a 1 2
a 1 2|

### unsorted input: reported once lines do not pair, status 1
printf 'b 1\na 2\n' > u; printf 'a x\nc y\n' > y
join u y; echo "status $?"
join --nocheck-order u y; echo "status $?"
join --check-order u y; echo "status $?"
--- stdout
status 1
status 0
status 1
--- stderr
join: u:2: is not sorted: a 2
join: input is not in sorted order
join: u:2: is not sorted: a 2

### errors
printf 'a 1\n' > x
join x; echo "status $?"
join -o 3.1 x x; echo "status $?"
join -1 0 x x; echo "status $?"
join -t ab x x; echo "status $?"
join x nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
--- stderr
join: missing operand after 'x'
Try 'join --help' for more information.
join: invalid file number in field spec: '3.1'
join: invalid field number: '0'
join: multi-character tab 'ab'
join: nofile: No such file or directory
