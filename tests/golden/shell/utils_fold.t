# fold: width in columns or bytes, breaking at blanks, errors.

### fold -w breaks at the width; -s at the last blank
echo 'The quick brown fox jumps over the lazy dog' > f
fold -w 10 f | cat -A
fold -s -w 10 f | cat -A
--- stdout
The quick $
brown fox $
jumps over$
 the lazy $
dog$
The quick $
brown fox $
jumps $
over the $
lazy dog$

### fold counts tab stops unless -b; -N is -w N
printf 'a\tb\tc\n' | fold -w 10 | cat -A
printf 'a\tb\tc\n' | fold -b -w 3 | cat -A
printf 'abcdefgh\n' | fold -3
--- stdout
a^Ib$
^Ic$
a^Ib$
^Ic$
abc
def
gh

### fold keeps short lines; a last line without newline gets none
printf 'ab\nshort\nabcdef' | fold -w 4; echo '|'
--- stdout
ab
shor
t
abcd
ef|

### fold errors
fold -w 0 f; echo "status $?"
fold -w x f; echo "status $?"
fold nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
--- stderr
fold: invalid number of columns: '0': Numerical result out of range
fold: invalid number of columns: 'x'
fold: nofile: No such file or directory
