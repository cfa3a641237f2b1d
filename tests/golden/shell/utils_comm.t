# comm: three columns of sorted input, -1 -2 -3, --output-delimiter,
# --total, -z, and the order checks (a warning by default, fatal with
# --check-order, none with --nocheck-order).

### three columns, and columns left out
printf 'a\nb\nd\n' > x; printf 'b\nc\nd\ne\n' > y
comm x y
echo --; comm -12 x y
echo --; comm -3 x y
echo --; comm -13 x y
--- stdout
a
		b
	c
		d
	e
--
b
d
--
a
	c
	e
--
c
e

### --output-delimiter and --total
printf 'a\nb\nd\n' > x; printf 'b\nc\nd\ne\n' > y
comm --output-delimiter=: x y
comm --total x y | tail -1
comm -23 --total --output-delimiter=, x y
--- stdout
a
::b
:c
::d
:e
1	2	2	total
a
1,2,2,total

### lines without a final newline, NUL-ended lines, stdin
printf 'x' > a; printf 'x\ny' > b
comm a b | cat -A
printf 'a\0b\0' > z1; printf 'b\0' > z2
comm -z z1 z2 | tr '\0' '|'; echo
printf 'b\nc\n' | comm - b
--- stdout
^I^Ix$
^Iy$
a|		b|
b
c
	x
	y

### unsorted input: a warning, status 1; fatal with --check-order
printf 'b\na\n' > u; printf 'b\nc\nd\n' > s
comm u s; echo "status $?"
comm --nocheck-order u s > /dev/null; echo "status $?"
comm --check-order u s; echo "status $?"
--- stdout
		b
a
	c
	d
status 1
status 0
		b
status 1
--- stderr
comm: file 1 is not in sorted order
comm: input is not in sorted order
comm: file 1 is not in sorted order

### errors
printf 'a\n' > x
comm x; echo "status $?"
comm x nofile; echo "status $?"
comm x x x; echo "status $?"
--- stdout
status 1
status 1
status 1
--- stderr
comm: missing operand after 'x'
Try 'comm --help' for more information.
comm: nofile: No such file or directory
comm: extra operand 'x'
Try 'comm --help' for more information.
