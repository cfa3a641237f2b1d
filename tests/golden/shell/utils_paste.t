# paste: lines side by side, -d delimiter lists (with escapes), -s one
# line per file, -z, "-" for stdin.

### side by side; a file that ends early gives empty fields
printf 'a1\na2\n' > a; printf 'b1\n' > b; printf 'c1\nc2\nc3' > c
paste a b | cat -A
paste b a c | cat -A
--- stdout
a1^Ib1$
a2^I$
b1^Ia1^Ic1$
^Ia2^Ic2$
^I^Ic3$

### -d delimiters, used in turn; escapes and no delimiter
printf 'a1\na2\n' > a; printf 'b1\n' > b; printf 'c1\nc2\nc3' > c
paste -d ',;' a b c
paste -d '' a c
paste -d '\0' a c
paste -d '\\t' a c
--- stdout
a1,b1;c1
a2,;c2
,;c3
a1c1
a2c2
c3
a1c1
a2c2
c3
a1\c1
a2\c2
\c3

### -s joins each file's lines; "-" reads stdin in turn
printf 'a1\na2\n' > a; printf 'c1\nc2\nc3' > c; : > e
paste -s a c
paste -s -d ',\n' c
paste -s e a
seq 5 | paste - -
seq 4 | paste -sd+
--- stdout
a1	a2
c1	c2	c3
c1,c2
c3
<empty>
a1	a2
1	2
3	4
5	
1+2+3+4

### NUL-ended lines
printf 'a\0b\0' > x; printf 'c\0' > y
paste -z x y | tr '\0' '|'; echo
--- stdout
a	c|b	|

### errors
printf 'a\n' > a
paste a nofile; echo "status $?"
paste -d 'x\' a; echo "status $?"
--- stdout
status 1
status 1
--- stderr
paste: nofile: No such file or directory
paste: delimiter list ends with an unescaped backslash: x\
