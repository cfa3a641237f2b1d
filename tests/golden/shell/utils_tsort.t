# tsort: a topological order of the pairs, GNU's order (Knuth's algorithm
# T: ready words in byte order, followers in reverse order of their pairs),
# loops reported and broken, odd input refused.

### an order that keeps every pair
printf 'a b\nb c\na c\nd e\n' | tsort
printf 'x x\ny\tz\n\n' | tsort
--- stdout
a
d
b
e
c
x
y
z

### a loop is reported, broken, and the rest printed
printf 'a b b c c a x y\n' | tsort; echo "status $?"
--- stdout
x
y
a
b
c
status 1
--- stderr
tsort: -: input contains a loop:
tsort: a
tsort: b
tsort: c

### a longer chain with a loop in it
printf '3 1\n2 1\n5 4\n4 3\n1 0\n9 8\n8 7\n7 9\n' > f
tsort f; echo "status $?"
--- stdout
2
5
4
3
1
0
7
9
8
status 1
--- stderr
tsort: f: input contains a loop:
tsort: 7
tsort: 9
tsort: 8

### errors
printf 'a b c\n' | tsort; echo "status $?"
: | tsort; echo "status $?"
tsort nofile; echo "status $?"
tsort a b; echo "status $?"
--- stdout
status 1
status 0
status 1
status 1
--- stderr
tsort: -: input contains an odd number of tokens
tsort: nofile: No such file or directory
tsort: extra operand 'b'
Try 'tsort --help' for more information.
