# pr: pages with headers, columns, merged files, numbers, errors.

### pr pages: a 5-line header with the file's date, name and page, a trailer
printf 'a\nb\nc\n' > f
touch -d '2024-01-02 03:04:05' f
pr -l 12 f
--- stdout
<empty>
<empty>
2024-01-02 03:04                        f                         Page 1
<empty>
<empty>
a
b
<empty>
<empty>
<empty>
<empty>
<empty>
<empty>
<empty>
2024-01-02 03:04                        f                         Page 2
<empty>
<empty>
c
<empty>
<empty>
<empty>
<empty>
<empty>
<empty>

### pr -h names the header, -D formats the date
printf 'a\n' > f
touch -d '2024-01-02 03:04:05' f
pr -l 11 -h Title -D '%d/%m/%Y' f | head -n 3 | tail -n 1
--- stdout
02/01/2024                         Title                          Page 1

### pr columns down, balanced; across with -a
seq 7 > s
pr -3 -t s | cat -A
pr -3 -a -t s | cat -A
--- stdout
1^I^I^I4^I^I^I6$
2^I^I^I5^I^I^I7$
3$
1^I^I^I2^I^I^I3$
4^I^I^I5^I^I^I6$
7$

### pr -m merges files side by side; -s and -S separators
printf '1\n2\n3\n' > a; printf 'one\ntwo\n' > b
pr -m -t a b | cat -A
pr -m -t -s: a b
pr -m -t -S' | ' a b | cat -A
--- stdout
1^I^I^I^I    one$
2^I^I^I^I    two$
3^I^I^I^I    $
1:one
2:two
3:
1^I^I^I^I   | one$
2^I^I^I^I   | two$
3^I^I^I^I   | $

### pr -n numbers, -d double spaces, -o indents
printf 'a\nb\n' > f
pr -t -n f | cat -A
pr -t -n:3 -N 9 f
pr -t -d f | cat -A
pr -t -o 4 f
--- stdout
    1^Ia$
    2^Ib$
  9:a
 10:b
a$
$
b$
$
    a
    b

### pr errors
pr -t nofile; echo "status $?"
pr -l x f; echo "status $?"
pr -m -2 f f; echo "status $?"
pr -W 2 -3 f; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
--- stderr
pr: nofile: No such file or directory
pr: '-l PAGE_LENGTH' invalid number of lines: 'x'
pr: cannot specify number of columns when printing in parallel
pr: page width too narrow
