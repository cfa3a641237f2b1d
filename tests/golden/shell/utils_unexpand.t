# unexpand: spaces to tabs, leading or all, tab stop lists.

### unexpand converts leading blanks; -a all of them
printf '        x        y\n' > f
unexpand f | cat -A
unexpand -a f | cat -A
--- stdout
^Ix        y$
^Ix^I y$

### a single space before a stop stays a space
printf 'abcdefg h\n' | unexpand -a | cat -A
--- stdout
abcdefg h$

### unexpand -t implies -a; --first-only keeps to the leading blanks
printf '    a       b\n' > g
unexpand -t 4 g | cat -A
unexpand --first-only -t 4 g | cat -A
--- stdout
^Ia^I^Ib$
^Ia       b$

### unexpand errors
unexpand -t 0 f; echo "status $?"
unexpand nofile; echo "status $?"
--- stdout
status 1
status 1
--- stderr
unexpand: tab size cannot be 0
unexpand: nofile: No such file or directory
