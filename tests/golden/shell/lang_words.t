# Field splitting, globbing, brace expansion, command substitution,
# here-documents.

### unquoted expansions are split on IFS
x="a b  c"
printf '<%s>' $x; echo
printf '<%s>' "$x"; echo
IFS=:; y="1:2::3"
printf '<%s>' $y; echo
--- stdout
<a><b><c>
<a b  c>
<1><2><><3>

### command substitution strips trailing newlines
x=$(printf 'a\n\nb\n\n\n')
printf '<%s>\n' "$x"
echo "$(echo nested "$(echo inner)")"
echo `echo \`echo nested\` back`
--- stdout
<a

b>
nested inner
nested back

### brace expansion
echo {a,b,c}.txt pre{1..3} {5..1} {a..e} {1..10..3} {x,{y,z}}
echo {,a} '{a,b}' {single} {1..}
--- stdout
a.txt b.txt c.txt pre1 pre2 pre3 5 4 3 2 1 a b c d e 1 4 7 10 x y z
a {a,b} {single} {1..}

### globbing, sorted, dot files only when asked
--- setup
mkdir d; touch d/b.c d/a.c d/.hidden d/c.h
--- command
echo d/*.c
echo d/*
echo d/.*
echo d/?.h d/[ab].c
echo "d/*.c" nomatch*
--- stdout
d/a.c d/b.c
d/a.c d/b.c d/c.h
d/.hidden
d/c.h d/a.c d/b.c
d/*.c nomatch*

### nullglob, dotglob, failglob
--- setup
touch .x y
--- command
shopt -s nullglob; echo [z]*; echo "nothing: $(echo q*)"
shopt -s dotglob; echo *
shopt -u nullglob; shopt -s failglob; echo q*; echo "same line"
--- stdout
<empty>
nothing: 
.x y
--- stderr
shell: line 3: no match: q*
--- exit 1

### here-documents, with and without expansion
x=value
cat <<EOF
x is $x, $(echo cmd) and \$x
EOF
cat <<'EOF'
x is $x
EOF
cat <<-EOF
	tabs are stripped
	EOF
--- stdout
x is value, cmd and $x
x is $x
tabs are stripped

### here-strings and redirections
cat <<< "here string"
echo out > f; echo more >> f; cat f
echo err 2> e >&2; cat e
{ echo to-stdout; echo to-stderr >&2; } > both 2>&1; cat both
cat < f | tr a-z A-Z
echo x > /dev/null; echo "null: $(cat /dev/null)"
--- stdout
here string
out
more
err
to-stdout
to-stderr
OUT
MORE
null: 

### exec makes redirections last
exec 3> log
echo one >&3
echo two >&3
exec 3>&-
cat log
--- stdout
one
two

### a missing file for < fails the command, not the shell
cat < nofile
echo "status $?"
--- stdout
status 1
--- stderr
shell: line 1: nofile: No such file or directory

### noclobber
set -C
echo a > f; echo b > f; echo "status $?"; echo c >| f; cat f
--- stdout
status 1
c
--- stderr
shell: line 2: f: cannot overwrite existing file

### process substitution <(...)
cat <(echo one) <(echo two)
while read -r l; do echo "got $l"; done < <(printf 'a\nb\n')
n=0; while read l; do n=$((n+1)); done < <(seq 5); echo "n=$n"
sort -r <(seq 3)
--- stdout
one
two
got a
got b
n=5
3
2
1

### process substitution keeps every byte, NULs and trailing newlines
od -c <(printf 'a\0b\n\n')
wc -c < <(printf 'x\0\0y')
--- stdout
0000000   a  \0   b  \n  \n
0000005
4

### process substitution is a file name on a free fd [sandbox]
echo <(true)
--- stdout
/dev/fd/9
