# The builtins the other files do not reach: lookups (pwd, type, which,
# command -v, hash), declarations (declare, typeset), getopts, and bash's
# builtins for things the sandbox has no use for (umask, ulimit, alias,
# mapfile, help), which must still answer as bash does or say why not.

### pwd follows cd, -P too
mkdir -p a/b && cd a/b && pwd && pwd -P && cd .. && pwd
--- stdout
{WS}/a/b
{WS}/a/b
{WS}/a

### type -t tells functions, builtins and utilities apart
f() { :; }
type -t f cd echo ls
type cd
type nosuch
echo "status $?"
--- stdout
function
builtin
builtin
file
cd is a shell builtin
status 1
--- stderr
shell: line 4: type: nosuch: not found

### which and command -v
which ls cat nosuch
echo "which $?"
command -v echo ls nosuch
echo "command $?"
--- stdout
/usr/bin/ls
/usr/bin/cat
which 1
echo
/usr/bin/ls
command 0

### declare and typeset: integer, exported, printed with -p
declare -i n=3+4
echo "$n"
typeset -x e=1
printenv e
declare -p n e
--- stdout
7
1
declare -i n="7"
declare -x e="1"

### declare -r: assigning a readonly variable drops the rest of its line
declare -r r=1
r=2; echo "not reached"
echo "next line $r"
--- stdout
next line 1
--- stderr
shell: line 2: r: readonly variable

### getopts: flags, arguments, grouped options, --, a bad option
f() {
  local OPTIND o
  while getopts "ab:c" o; do
    case $o in
    b) echo "b=$OPTARG" ;;
    \?) echo "bad" ;;
    *) echo "$o" ;;
    esac
  done
  shift $((OPTIND - 1))
  echo "rest [$*]"
}
f -a -b x -c y z
f -ab1 -- -c
f -z 2>/dev/null
--- stdout
a
b=x
c
rest [y z]
a
b=1
rest [-c]
bad
rest []

### hash: nothing is hashed, names are looked up
hash
hash -r
hash ls cd
echo "found $?"
hash nosuch
echo "missing $?"
--- stdout
hash: hash table empty
found 0
missing 1
--- stderr
shell: line 5: hash: nosuch: not found

### umask: octal and symbolic, kept by the shell, inherited by subshells
umask
umask 077
umask
umask -S
umask -p
(umask 022; umask)
umask
umask a+r
umask
umask g-w,o+x
umask
--- stdout
0022
0077
u=rwx,g=,o=
umask 0077
0022
0077
0033
0032

### umask: modes that are not modes
umask 999
echo "$?"
umask 8
echo "$?"
umask abc
echo "$?"
umask
--- stdout
1
1
1
0022
--- stderr
shell: line 1: umask: 999: octal number out of range
shell: line 3: umask: 8: octal number out of range
shell: line 5: umask: `b': invalid symbolic mode operator

### alias and unalias: none exists
alias
echo "list $?"
alias x
echo "get $?"
unalias x
echo "unalias $?"
unalias -a
echo "all $?"
--- stdout
list 0
get 1
unalias 1
all 0
--- stderr
shell: line 3: alias: x: not found
shell: line 5: unalias: x: not found

### alias: defining one is refused, with the way out [sandbox]
alias ll='ls -l'
echo "$?"
--- stdout
1
--- stderr
shell: line 1: alias: aliases are not supported by this shell (use a function)

### ulimit: the sandbox's limits are the policy's [sandbox]
ulimit
ulimit -n
ulimit -a
ulimit -c 0
echo "$?"
--- stdout
unlimited
10
core file size              (blocks, -c) unlimited
data seg size               (kbytes, -d) unlimited
file size                   (blocks, -f) unlimited
open files                          (-n) 10
stack size                  (kbytes, -s) unlimited
cpu time                   (seconds, -t) unlimited
max user processes                  (-u) unlimited
virtual memory              (kbytes, -v) unlimited
1
--- stderr
shell: line 4: ulimit: core file size: cannot modify limit: the sandbox's limits are set by its policy

### ulimit: a bad option [stderr]
ulimit -Z
echo "$?"
--- stdout
2
--- stderr
shell: line 1: ulimit: -Z: invalid option
ulimit: usage: ulimit [-SHacdfnstuv] [limit]

### mapfile and readarray: arrays are not supported [sandbox]
printf 'a\nb\n' | mapfile -t lines
echo "$?"
readarray x < /dev/null
echo "$?"
--- stdout
2
2
--- stderr
shell: line 1: mapfile: arrays are not supported by this shell (read the lines with `while read -r line')
shell: line 3: readarray: arrays are not supported by this shell (read the lines with `while read -r line')

### help names the sandbox [sandbox]
help | head -1
--- stdout
This is wasmbox's sandbox shell: a POSIX shell with bash's common extensions,
