# Parameters and their expansions.

### defaults, assignment, alternatives and errors
unset u; e=; s=set
echo "${u-d1} ${u:-d2} [${e-d3}] ${e:-d4} ${s:-d5}"
echo "${u+a1} [${e+a2}] [${e:+a3}] ${s:+a4}"
echo "${u=assigned} $u"
echo "${e:=filled} $e"
--- stdout
d1 d2 [] d4 set
 [a2] [] a4
assigned assigned
filled filled

### ${x?} and ${x:?} end the shell with 127
echo ${u:?is not set}
echo unreachable
--- stderr
shell: line 1: u: is not set
--- exit 127

### length and substrings
x=abcdef
echo ${#x} ${x:2} ${x:1:3} ${x: -2} ${x:2:-1} "[${x:10}]"
--- stdout
6 cdef bcd ef cde []

### prefix and suffix removal
p=/usr/local/lib/libfoo.so.1
echo ${p#*/} ${p##*/} ${p%/*} ${p%%.*} ${p%.so*}
f=archive.tar.gz
echo ${f%.gz} ${f%%.*} ${f#*.} ${f##*.}
--- stdout
usr/local/lib/libfoo.so.1 libfoo.so.1 /usr/local/lib /usr/local/lib/libfoo /usr/local/lib/libfoo
archive.tar archive tar.gz gz

### quoted pattern characters are literal
x='a*b*c'
echo "${x#'a*'}" "${x#a\*}" "${x#a*}"
--- stdout
b*c b*c *b*c

### substitution, anchored, global, with & for the match
x='hello world'
echo ${x/o/0} ${x//o/0} ${x/#h/H} ${x/%d/D} "${x// /_}" ${x//[aeiou]/}
y=abc
echo ${y/b/[&]} ${y//?/<&>} ${y/b/\&}
--- stdout
hell0 world hell0 w0rld Hello world hello worlD hello_world hll wrld
a[b]c <a><b><c> a&c

### case conversion
x='hello World'
echo ${x^} ${x^^} ${x,,} ${x,}
--- stdout
Hello World HELLO WORLD hello world hello World

### positional parameters, $#, $@ and $*
set -- one "two words" three
echo $#
printf '<%s>' "$@"; echo
printf '<%s>' "$*"; echo
printf '<%s>' $@; echo
printf '<%s>' "${@:2}"; echo
printf '<%s>' "${@:1:1}" "${#@}"; echo
IFS=,; echo "$*"
--- stdout
3
<one><two words><three>
<one two words three>
<one><two><words><three>
<two words><three>
<one><3>
one,two words,three

### "$@" with no parameters is nothing, "$*" an empty word
set --
for a in "$@"; do echo "never"; done
for a in "$*"; do echo "<$a>"; done
printf '<%s>' x"$@"y; echo
--- stdout
<>
<xy>

### shift and $1 past the end
set -- a b c
shift; echo "$1 $#"
shift 2; echo "[$1] $#"
shift; echo "status $?"
--- stdout
b 2
[] 0
status 1

### special parameters
case $$ in ''|*[!0-9]*) echo "not a number: $$";; *) echo "pid is a number";; esac
echo "$0 $?"
f() { return 7; }; f; echo $?
--- stdout
pid is a number
shell 0
7

### indirect expansion
name=target; target=value
echo ${!name}
--- stdout
value

### set -u makes an unset variable an error
set -u
x=1; echo $x
echo $nope
echo not reached
--- stdout
1
--- stderr
shell: line 3: nope: unbound variable
--- exit 127

### a bad substitution abandons the line it is on, at run time
echo before
echo ${x!}; echo same line
echo after $?
(echo ${x!}; echo same subshell); echo status $?
--- stdout
before
after 1
status 1
--- stderr
shell: line 2: ${x!}: bad substitution
shell: line 4: ${x!}: bad substitution

### arithmetic errors abandon the line too, (( )) and let only fail
x=$((1/0)); echo same line
echo after $?
((1/0)); echo "(( )) $?"
let 'x=2+'; echo "let $?"
--- stdout
after 1
(( )) 1
let 1
--- stderr
shell: line 1: 1/0: division by 0 (error token is "0")
shell: line 3: ((: 1/0: division by 0 (error token is "0")
shell: line 4: let: x=2+: syntax error: operand expected (error token is "+")

### variables in the environment of one command
x=outer
x=inner printenv x
echo $x
--- stdout
inner
outer

### += appends
s=ab; s+=cd; s+=$s
echo $s
--- stdout
abcdabcd

### tilde is the home directory (the workspace)
echo ~ ~/sub "~" a~b
x=~/y:~/z; echo $x
--- stdout
{WS} {WS}/sub ~ a~b
{WS}/y:{WS}/z
