# Compound commands, functions, lists and the shell's options.

### if, elif, else
for n in 1 2 3; do
  if [ $n -eq 1 ]; then echo one
  elif [ $n -eq 2 ]; then echo two
  else echo many; fi
done
--- stdout
one
two
many

### while and until, break and continue
i=0
while true; do
  i=$((i+1))
  [ $i -eq 2 ] && continue
  [ $i -gt 4 ] && break
  echo "w$i"
done
until [ $i -eq 0 ]; do i=$((i-1)); done; echo "until $i"
--- stdout
w1
w3
w4
until 0

### break 2 and continue 2 leave the inner loop
for a in 1 2 3; do
  for b in x y; do
    [ $a = 2 ] && continue 2
    [ $a = 3 ] && break 2
    echo "$a$b"
  done
done
echo end
--- stdout
1x
1y
end

### for without in walks the positional parameters
set -- p q
for x; do echo "<$x>"; done
--- stdout
<p>
<q>

### C-style for
for ((i = 0; i < 3; i++)); do echo -n "$i "; done; echo
for ((;;)); do break; done; echo out
--- stdout
0 1 2 
out

### case: patterns, alternatives, fall-through
for w in apple Banana cherry 42 ''; do
  case $w in
    a*|b*) echo "$w: a or b";;
    [A-Z]*) echo "$w: capital";;
    *[0-9]) echo "$w: digits";&
    c*) echo "$w: c or after digits";;
    '') echo "empty";;
  esac
done
--- stdout
apple: a or b
Banana: capital
cherry: c or after digits
42: digits
42: c or after digits
empty

### case ;;& goes on testing
case abc in
  a*) echo starts-a;;&
  *c) echo ends-c;;&
  x*) echo never;;
esac
--- stdout
starts-a
ends-c

### functions: arguments, return, local, recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
fact 10
g() { local v=in; echo "$v $#"; return 4; }
v=out; g a b; echo "$? $v"
function h { echo "h:$1"; }
h x
--- stdout
3628800
in 2
4 out
h:x

### local without a value starts unset and hides the outer variable
f() { local x; echo "[${x-unset}]"; x=set; }
x=global; f; echo $x
--- stdout
[unset]
global

### functions see and change globals
counter=0
inc() { counter=$((counter + 1)); }
inc; inc; inc
echo $counter
--- stdout
3

### a subshell changes nothing outside, a group does
--- setup
mkdir sub
--- command
x=1; (x=2; cd sub; echo "in $x ${PWD##*/}"); echo "out $x ${PWD##*/}"
{ x=3; cd sub; echo "group $x"; }; echo "after $x ${PWD##*/}"
--- stdout
in 2 sub
out 1 ws
group 3
after 3 sub

### && || and ! in lists
true && echo a || echo b
false && echo c || echo d
! false && echo e
false || false || echo f
--- stdout
a
d
e
f

### pipelines run every stage, the status is the last's
echo abc | tr a-z A-Z | tr B x
false | true; echo $?
true | false; echo $?
--- stdout
AxC
0
1

### set -o pipefail
set -o pipefail
false | true; echo $?
true | (exit 3) | true; echo $?
--- stdout
1
3

### a pipeline stage is a subshell
x=1; echo 5 | read x; echo $x
echo 6 | { read y; echo "inside $y"; }
--- stdout
1
inside 6

### set -e stops at a failing command, not in conditions
set -e
if false; then echo no; fi
false || echo "or is fine"
! true
f() { false; echo "not printed"; }
f
echo "not printed either"
--- stdout
or is fine
--- exit 1

### set -e in a subshell ends only the subshell
set -e
(false; echo "not printed"); echo "not printed either"
--- exit 1

### set -e is off in a subshell that is a condition (bash)
set -e
(false; echo "printed") || echo "not printed"
echo continues
--- stdout
printed
continues

### set -x traces commands on stderr
set -x
x=$((1+1))
echo "a b" $x
--- stdout
a b 2
--- stderr
+ x=2
+ echo 'a b' 2

### eval and source
eval 'a=1; b=2'; echo $((a+b))
cmd='echo evaluated'; eval $cmd
printf 'sourced=yes\nreturn 5\nsourced=no\n' > lib.sh
. ./lib.sh; echo "$? $sourced"
--- stdout
3
evaluated
5 yes

### exit in a function ends the shell
f() { echo in; exit 4; }
f; echo never
--- stdout
in
--- exit 4

### return outside a function
return 1
echo "status $?"
--- stdout
status 2
--- stderr
shell: line 1: return: can only `return' from a function or sourced script

### the EXIT trap runs at the end
trap 'echo "bye $?"' EXIT
echo hi
exit 3
--- stdout
hi
bye 3
--- exit 3

### background jobs run to their end first [sandbox]
echo one & wait $!; echo "waited $?"
(exit 3) & wait $!; echo "status $?"
--- stdout
one
waited 0
status 3

### read splits a line on IFS
read a b c <<< "one two three four"
echo "[$a] [$b] [$c]"
IFS=: read -r u rest <<< "root:x:0:0"
echo "$u / $rest"
--- stdout
[one] [two] [three four]
root / x:0:0

### read in a loop, to the end of the input
printf 'l1\nl2\nlast' > f
while read -r line; do echo "got $line"; done < f
echo "last: $line"
--- stdout
got l1
got l2
last: last

### [[ ]] tests
x=hello
[[ $x == h* ]] && echo glob
[[ $x == "h*" ]] || echo "quoted is literal"
[[ $x =~ ^h(e)(l+)o$ ]] && echo "regex $BASH_REMATCH"
[[ -n $x && ! -z $x ]] && echo "and not"
[[ 10 -gt 9 && abc < abd ]] && echo numbers
[[ ( 1 -eq 2 ) || 3 -eq 3 ]] && echo group
--- stdout
glob
quoted is literal
regex hello
and not
numbers
group

### test and [
[ -z "" ] && echo empty
[ abc = abc ] && echo equal
[ 3 -lt 10 ] && echo less
[ ! -e nothing ] && echo missing
[ -d . -a -n x ] && echo "and"
test 2 -ge 3 || echo "not ge"
[ 1 -eq x ]; echo "status $?"
[ 1 = 1; echo "status $?"
--- stdout
empty
equal
less
missing
and
not ge
status 2
status 2
--- stderr
shell: line 7: [: x: integer expression expected
shell: line 8: [: missing `]'

### (( )) arithmetic
(( 2 > 1 )) && echo yes
(( 0 )) || echo zero-is-false
x=5; (( x += 3, x *= 2 )); echo $x
echo $(( x > 10 ? 1 : 0 )) $(( 1 << 4 )) $(( 0x1f )) $(( 010 )) $(( 2#101 )) $(( -x ))
--- stdout
yes
zero-is-false
16
1 16 31 8 5 -16

### assigning a readonly variable drops the line; before a command it does not
readonly R=1; R=2; echo "same line"
echo "next line $R"
R=3 echo "the command runs"
export R=5; echo "export: $?"
--- stdout
next line 1
the command runs
export: 1
--- stderr
shell: line 1: R: readonly variable
shell: line 3: R: readonly variable
shell: line 4: R: readonly variable

### builtin usage messages
read -z; echo "status $?"
--- stdout
status 2
--- stderr
shell: line 1: read: -z: invalid option
read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]

### arrays are refused with a message saying so [sandbox]
a=(1 2 3)
--- stderr
shell: -c: line 1: arrays are not supported by this shell (`a=(...)')
--- exit 2

### array expansions are refused at run time [sandbox]
echo ${x[0]}; echo "same line"
echo "${#x[@]}"
mapfile -t lines < /dev/null; echo "status $?"
--- stdout
status 2
--- stderr
shell: line 1: ${x[0]}: arrays are not supported by this shell
shell: line 2: ${#x[@]}: arrays are not supported by this shell
shell: line 3: mapfile: arrays are not supported by this shell (read the lines with `while read -r line')

### kill -0 finds the shell itself
kill -0 $$ && echo alive
--- stdout
alive
