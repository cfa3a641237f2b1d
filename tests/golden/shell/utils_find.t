# find: GNU findutils 4.9's tests, actions and operators.

### find names, paths, types and operators
--- setup
mkdir -p src/lib docs .hidden
echo 'int main;' > src/main.c; echo x > src/lib/util.c; echo y > src/lib/util.h
echo doc > docs/README.md; echo h > .hidden/cfg; ln -s main.c src/link.c
--- command
find . -name '*.c' | sort
find src -type f | sort
find . -type d | sort
find src -type l
find . -iname 'readme.MD'
find . -path '*lib*' -name '*.h'
find src ! -name '*.c' | sort
find . -name '*.c' -o -name '*.md' | sort
find . \( -name lib -o -name docs \) -type d | sort
find src -name '*.c' -not -type l | sort
find src -type f,l -name 'ma*'
find . -name '.*' | sort
--- stdout
./src/lib/util.c
./src/link.c
./src/main.c
src/lib/util.c
src/lib/util.h
src/main.c
.
./.hidden
./docs
./src
./src/lib
src/link.c
./docs/README.md
./src/lib/util.h
src
src/lib
src/lib/util.h
./docs/README.md
./src/lib/util.c
./src/link.c
./src/main.c
./docs
./src/lib
src/lib/util.c
src/main.c
src/main.c
.
./.hidden

### find depth, prune, regex and the walk order [sandbox]
--- setup
mkdir -p a/b/c a/skip/deep; touch a/1 a/b/2 a/b/c/3 a/skip/4 a/skip/deep/5
--- command
find a
find a -maxdepth 1
find a -mindepth 2 -maxdepth 2
find a -name skip -prune -o -type f -print
find a -depth -type d
find a -regex '.*/[0-9]'
find a -regextype posix-extended -regex 'a/(b|skip)/[0-9]'
find a -type f -name 3 -quit -o -print
--- stdout
a
a/1
a/b
a/b/2
a/b/c
a/b/c/3
a/skip
a/skip/4
a/skip/deep
a/skip/deep/5
a
a/1
a/b
a/skip
a/b/2
a/b/c
a/skip/4
a/skip/deep
a/1
a/b/2
a/b/c/3
a/b/c
a/b
a/skip/deep
a/skip
a
a/1
a/b/2
a/b/c/3
a/skip/4
a/skip/deep/5
a/b/2
a/skip/4
a
a/1
a/b
a/b/2
a/b/c

### find times, sizes, emptiness
--- setup
mkdir -p d/empty; echo hello > d/new; touch -d '2000-01-01 00:00:00' d/old
head -c 1500 /dev/zero > d/big; : > d/zero
--- command
find d -type f -mtime +1000
find d -type f -mtime -1 | sort
find d -type f -mmin -10 | sort
find d -newer d/old -type f | sort
find d -type f -size +1k
find d -size -2k -type f | sort
find d -size 1500c
find d -size 6c
find d -empty | sort
--- stdout
d/old
d/big
d/new
d/zero
d/big
d/new
d/zero
d/big
d/new
d/zero
d/big
d/new
d/old
d/zero
d/big
d/new
d/empty
d/old
d/zero

### find -printf, -print0 and -ls fields
--- setup
mkdir -p t/sub; printf 'abc' > t/sub/f.txt; touch -d '2020-01-02 03:04:05' t/sub/f.txt
--- command
find t -printf '%p|%f|%h|%P|%d|%y|%s\n'
find t/sub/f.txt -printf '%TY-%Tm-%Td %TH:%TM|%T@|%t\n'
find t -type f -printf '%-8f|%5s|%%\n'
find t -print0 | tr '\0' ','; echo
find t -name '*.txt' -printf '%H %P\n'
--- stdout
t|t|.||0|d|4096
t/sub|sub|t|sub|1|d|4096
t/sub/f.txt|f.txt|t/sub|sub/f.txt|2|f|3
2020-01-02 03:04|1577934245.0000000000|Thu Jan  2 03:04:05.0000000000 2020
f.txt   |    3|%
t,t/sub,t/sub/f.txt,
t sub/f.txt

### find -exec, -execdir and -delete
--- setup
mkdir -p e/x; echo one > e/a.txt; echo two > e/x/b.txt; echo keep > e/c.log
--- command
find e -name '*.txt' -exec cat {} \; | sort
find e -name 'a.*' -exec echo files: {} +
find e -type f -name '*.txt' -exec test -s {} \; -print | sort
find e -name 'b.txt' -execdir pwd \; | sed "s|$PWD|WS|"
find e -name '*.log' -exec sh -c 'echo "sh got $1"' sh {} \;
find e -name '*.txt' -delete
find e | sort
find e -type f -exec false {} +; echo "status $?"
--- stdout
one
two
files: e/a.txt
e/a.txt
e/x/b.txt
WS/e/x
sh got e/c.log
e
e/c.log
e/x
status 1

### find errors
mkdir d
find nofile; echo "status $?"
find d -foo; echo "status $?"
find d -name; echo "status $?"
find d -type q; echo "status $?"
find d \( -name x; echo "status $?"
find d -name x y; echo "status $?"
find d -maxdepth x; echo "status $?"
find d -mtime x; echo "status $?"
find d -exec echo; echo "status $?"
find d -newer nofile; echo "status $?"
find nofile d; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
d
status 1
--- stderr
find: 'nofile': No such file or directory
find: unknown predicate `-foo'
find: missing argument to `-name'
find: Unknown argument to -type: q
find: invalid expression; I was expecting to find a ')' somewhere but did not see one.
find: paths must precede expression: `y'
find: Expected a positive decimal integer argument to -maxdepth, but got 'x'
find: invalid argument `x' to `-mtime'
find: missing argument to `-exec'
find: 'nofile': No such file or directory
find: 'nofile': No such file or directory

### find refuses what WASI cannot tell [sandbox]
find . -perm 644; echo "status $?"
find . -ok rm {} \;; echo "status $?"
--- stdout
status 1
status 1
--- stderr
find: -perm is not available in the sandbox: WASI tells no owners, modes or file systems
find: -ok asks a question on a terminal, and the sandbox has none: use -exec

### grep, sed and find stay inside the mapped directories [sandbox wasm]
--- setup
mkdir d; echo in > d/f; ln -s ../.. d/up
--- command
find -L d; echo "status $?"
find .. -maxdepth 1; echo "status $?"
grep -R in d; echo "status $?"
sed p d/up/x; echo "status $?"
find d -name up -delete; ls d
--- stdout
d
d/f
status 1
status 1
d/f:in
status 2
status 2
f
--- stderr
find: 'd/up': Permission denied (outside the sandbox's mapped directories)
find: '..': Permission denied (outside the sandbox's mapped directories)
grep: d/up: Permission denied (outside the sandbox's mapped directories)
sed: can't read d/up/x: Permission denied (outside the sandbox's mapped directories)
