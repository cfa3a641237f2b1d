# shuf: permutations of lines, arguments and ranges; a source of zeros
# keeps the order (a Fisher-Yates shuffle, as GNU's); errors.

### shuf permutes every line once
seq 1 20 > f
shuf f | sort -n | tr '\n' ' '; echo
shuf -i 1-20 | sort -n | tr '\n' ' '; echo
shuf -e a b c | sort | tr '\n' ' '; echo
--- stdout
1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 
1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 
a b c 

### shuf with a random source of zeros keeps the order
shuf -i 3-6 --random-source=/dev/zero
printf 'x\ny\nz' | shuf --random-source=/dev/zero
printf 'p\0q\0' | shuf -z --random-source=/dev/zero | tr '\0' ,; echo
--- stdout
3
4
5
6
x
y
z
p,q,

### shuf -n, -r, -o
shuf -i 1-1000000000 -n 3 | wc -l
shuf -n 5 -r -e a
shuf -r -n 4 -e a b | wc -l
shuf -i 1-3 -o out; sort out
shuf -n 0 -e a b; echo "status $?"
--- stdout
3
a
a
a
a
a
4
1
2
3
status 0

### shuf errors
shuf -i 5-1; echo "status $?"
shuf -i 1-; echo "status $?"
shuf -e -i 1-2; echo "status $?"
shuf -n x f; echo "status $?"
shuf f g; echo "status $?"
shuf -r -n 2 /dev/null; echo "status $?"
shuf nofile; echo "status $?"
printf ab > rs; shuf -i 1-100 --random-source=rs; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
--- stderr
shuf: invalid input range: '5-1'
shuf: invalid input range: ''
shuf: cannot combine -e and -i options
Try 'shuf --help' for more information.
shuf: invalid line count: 'x'
shuf: extra operand 'g'
Try 'shuf --help' for more information.
shuf: no lines to repeat
shuf: nofile: No such file or directory
shuf: 'rs': end of file
