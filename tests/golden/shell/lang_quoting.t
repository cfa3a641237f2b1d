# Quoting, words and the basic commands (expected text written by hand,
# checked against bash 5.2 with shell_golden.py --bash).

### echo joins its arguments with one space
echo hello   world
--- stdout
hello world

### single quotes keep everything
echo 'a $x "b" \n `c`'
--- stdout
a $x "b" \n `c`

### double quotes expand $ and ` but keep blanks
x="two  spaces"
echo "[$x] [`echo hi`] [\$x] [\"] [\\]"
--- stdout
[two  spaces] [hi] [$x] ["] [\]

### a backslash quotes one character, and ends a line
echo a\ b\$c \
  next
--- stdout
a b$c next

### adjacent quoted parts make one word
printf '<%s>\n' 'a'"b"c'd e'
--- stdout
<abcd e>

### empty quotes make an empty argument, an empty variable makes none
e=
printf '<%s>\n' "" $e "$e" ''
--- stdout
<>
<>
<>

### ANSI-C quoting
printf '<%s>\n' $'tab\there' $'nl\nx' $'\x41\101' $'it\'s'
--- stdout
<tab	here>
<nl
x>
<AA>
<it's>

### ANSI-C \u makes UTF-8 (bash does in a UTF-8 locale) [sandbox]
printf '<%s>\n' $'\u00e9\u20ac'
--- stdout
<é€>

### comments start only at a word
echo a#b # this is a comment
echo '#not' "#not" \#not
--- stdout
a#b
#not #not #not

### echo -n, -e and arguments that only look like options
echo -n no-newline; echo
echo -e 'a\tb\x41\0101\c never'
echo -E 'a\tb'
echo -nx -- -
--- stdout
no-newline
a	bAAa\tb
-nx -- -

### semicolons, newlines and exit status
true; echo $?
false; echo $?
! true; echo $?
! false; echo $?
--- stdout
0
1
1
0

### exit ends the shell with its status
echo before
exit 3
echo after
--- stdout
before
--- exit 3

### the exit status is the last command's
echo x; false
--- stdout
x
--- exit 1

### a command that does not exist [sandbox]
nosuchcommand arg
echo "status $?"
--- stdout
status 127
--- stderr
shell: line 1: nosuchcommand: command not available in the sandbox (`help' lists the commands there are)

### keywords are words only where a command starts
echo if then fi done
--- stdout
if then fi done
