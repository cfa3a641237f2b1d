# tac: records in reverse, separators, regular expressions, errors.

### tac reverses lines; a last line without newline stays joined
printf 'a\nb\nc\n' > f
tac f
printf 'a\nb' | tac; echo '|'
--- stdout
c
b
a
ba
|

### tac -b, -s and several files
printf 'a\nb\n' | tac -b | cat -A; echo
printf 'x--y--z' | tac -s -- --; echo
printf 'one,two,three,' | tac -s ,; echo
printf '1\n2\n' > p; printf '3\n4\n' > q
tac p q
--- stdout
$
$
ba
zy--x--
three,two,one,
2
1
4
3

### tac -s '' separates at NUL bytes
printf 'a\0b\0' | tac -s '' | tr '\0' '|'; echo
--- stdout
b|a|

### tac -r with a fixed-length expression
printf 'a1b2c3' | tac -r -s '[0-9]'; echo
--- stdout
c3b2a1

### operands after --
printf 'x\ny\n' > -f
tac -- -f
--- stdout
y
x

### tac errors
tac nofile; echo "status $?"
tac -z; echo "status $?"
--- stdout
status 1
status 1
--- stderr
tac: failed to open 'nofile' for reading: No such file or directory
tac: invalid option -- 'z'
Try 'tac --help' for more information.
