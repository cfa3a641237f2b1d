# csplit: line numbers, regular expressions with offsets, repeats; sizes
# on stdout; files removed after an error unless -k.

### csplit at line numbers and expressions, with a repeat
seq 20 > f
csplit f 5 /1[25]/ '{1}'
for x in xx*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
--- stdout
8
16
9
18
xx00: 1 2 3 4 
xx01: 5 6 7 8 9 10 11 
xx02: 12 13 14 
xx03: 15 16 17 18 19 20 

### csplit {*}, skipping with %, offsets
seq 20 > f
csplit -f a f /3/ '{*}'
csplit -f b f %5% /8/+2 /12/-1
for x in a* b*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
--- stdout
4
23
24
10
3
30
a00: 1 2 
a01: 3 4 5 6 7 8 9 10 11 12 
a02: 13 14 15 16 17 18 19 20 
b00: 5 6 7 8 9 
b01: 10 
b02: 11 12 13 14 15 16 17 18 19 20 

### csplit -s, -z, --suppress-matched, -b, -n
printf 'a\n\nb\n\n\nc\n' > p
csplit -s -z --suppress-matched p '/^$/' '{*}'
for x in xx*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
seq 3 > g
csplit -s -f part -b '_%03d.txt' g 2; ls part*
csplit -s -n 1 g 2; ls xx?
--- stdout
xx00: a 
xx01: b 
xx02: c 
part_000.txt
part_001.txt
xx0
xx1

### csplit removes its files after an error, unless -k
seq 20 > f
csplit f 5 30; echo "status $?"; ls xx* 2>/dev/null | wc -l
csplit f /99/; echo "status $?"
csplit -k f 5 30; echo "status $?"; ls xx*
--- stdout
8
43
status 1
0
51
status 1
8
43
status 1
xx00
xx01
--- stderr
csplit: '30': line number out of range
csplit: '/99/': match not found
csplit: '30': line number out of range

### csplit errors in the patterns and options
seq 5 > f
csplit f; echo "status $?"
csplit f x; echo "status $?"
csplit f 0; echo "status $?"
csplit f 4 2; echo "status $?"
csplit f /a; echo "status $?"
csplit f /3/x; echo "status $?"
csplit f 2 '{x}'; echo "status $?"
csplit -b '%s' f 2; echo "status $?"
csplit nofile 1; echo "status $?"
csplit f 2 '{5}'; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
2
4
4
status 1
--- stderr
csplit: missing operand after 'f'
Try 'csplit --help' for more information.
csplit: 'x': invalid pattern
csplit: 0: line number must be greater than zero
csplit: line number '2' is smaller than preceding line number, 4
csplit: /a: closing delimiter '/' missing
csplit: '/3/x': integer expected after delimiter
csplit: '{x'}: integer required between '{' and '}'
csplit: invalid conversion specifier in suffix: s
csplit: cannot open 'nofile' for reading: No such file or directory
csplit: '2': line number out of range on repetition 2
