# expand: tabs to spaces, tab stop lists, errors.

### expand every 8 columns, -t N, -N
printf 'a\tb\tc\n' > f
expand f
expand -t 4 f
expand -2 f
--- stdout
a       b       c
a   b   c
a b c

### expand with a list; past the last stop a tab is one space
printf 'a\tb\tc\td\n' | expand -t 2,5
printf 'a\tb\tc\td\n' | expand -t '2 5'
--- stdout
a b  c d
a b  c d

### expand /N and +N after a list
printf 'a\tb\tc\td\n' | expand -t 3,/5
printf 'a\tb\tc\td\n' | expand -t 3,+5
--- stdout
a  b c    d
a  b    c    d

### expand -i only the leading blanks; a backspace goes back one column
printf '\ta\tb\n' | expand -i | cat -A
printf 'ab\bc\td\n' | expand | cat -A
--- stdout
        a^Ib$
ab^Hc      d$

### expand errors
expand -t 0 f; echo "status $?"
expand -t 4,2 f; echo "status $?"
expand -t 2,x f; echo "status $?"
expand -t 2,/4,6 f; echo "status $?"
expand -t 2,/3,+4 f; echo "status $?"
expand nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
status 1
--- stderr
expand: tab size cannot be 0
expand: tab sizes must be ascending
expand: tab size contains invalid character(s): 'x'
expand: '/' specifier only allowed with the last value
expand: '/' specifier is mutually exclusive with '+'
expand: nofile: No such file or directory
