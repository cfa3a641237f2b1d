# File utilities: mkdir, rmdir, rm, touch, cp, mv, ln, readlink, realpath,
# ls; and date, uname, nproc, arch, sleep, xargs.

### mkdir, -p, -v and errors
mkdir a; mkdir a; echo "status $?"
mkdir -p a/b/c && mkdir -pv x/y
mkdir q/r; echo "status $?"
touch f; mkdir -p f/g; echo "status $?"
--- stdout
status 1
mkdir: created directory 'x'
mkdir: created directory 'x/y'
status 1
status 1
--- stderr
mkdir: cannot create directory 'a': File exists
mkdir: cannot create directory 'q/r': No such file or directory
mkdir: cannot create directory 'f': Not a directory

### rmdir and rm
mkdir -p d/e; touch d/e/f
rmdir d; echo "status $?"
rm d; echo "status $?"
rm nope; rm -f nope; echo "status $?"
rm -rv d
rm -r .; echo "status $?"
--- stdout
status 1
status 1
status 0
removed 'd/e/f'
removed directory 'd/e'
removed directory 'd'
status 1
--- stderr
rmdir: failed to remove 'd': Directory not empty
rm: cannot remove 'd': Is a directory
rm: cannot remove 'nope': No such file or directory
rm: refusing to remove '.' or '..' directory: skipping '.'

### rmdir -p removes the parents
mkdir -p a/b/c; rmdir -p a/b/c; ls
echo "[$(ls)]"
--- stdout
[]

### touch creates, -c does not, -d and -r set the time
touch new; touch -c none; ls
touch -d '2020-01-02 03:04:05' old; touch -r old copy
ls -go --time-style=long-iso old copy
--- stdout
new
-rw-r--r-- 1 0 2020-01-02 03:04 copy
-rw-r--r-- 1 0 2020-01-02 03:04 old

### cp: files, into directories, trees, errors
echo one > a; mkdir d
cp a b; cp a b d; cat b d/a d/b
cp a a; cp d e; cp nope x; cp a
cp -r d e; ls e
cp -r d d/sub
echo "status $?"
--- stdout
one
one
one
a
b
status 1
--- stderr
cp: 'a' and 'a' are the same file
cp: -r not specified; omitting directory 'd'
cp: cannot stat 'nope': No such file or directory
cp: missing destination file operand after 'a'
Try 'cp --help' for more information.
cp: cannot copy a directory, 'd', into itself, 'd/sub'

### cp -v, -n, -p
echo one > a; echo two > b
cp -n a b; cat b
cp -v a c
touch -d '2001-02-03 04:05:06' a; cp -p a p; ls -go --time-style=long-iso p
--- stdout
two
'a' -> 'c'
-rw-r--r-- 1 4 2001-02-03 04:05 p

### mv: rename, into a directory, errors
echo x > a; mkdir d
mv a b; ls
mv b d; ls d
mv -v d e
mv nope x; mv e e/sub
--- stdout
b
d
b
renamed 'd' -> 'e'
--- stderr
mv: cannot stat 'nope': No such file or directory
mv: cannot move 'e' to a subdirectory of itself, 'e/sub'
--- exit 1

### ln, readlink, realpath
echo hi > a; mkdir d
ln -s a l; ln a h; ln -s a l
readlink l; readlink a; echo "status $?"
readlink -f l; realpath l d/../a
realpath nope/x; realpath -m nope/x
realpath --relative-to=d a
mkdir d/x; ln -sr d/x y; readlink y
ls -go h | cut -d' ' -f2
--- stdout
a
status 1
{WS}/a
{WS}/a
{WS}/a
{WS}/nope/x
../a
d/x
2
--- stderr
ln: failed to create symbolic link 'l': File exists
realpath: nope/x: No such file or directory

### ln -s to outside the workspace is refused by the sandbox [sandbox wasm]
mkdir d; touch a
ln -s / root; echo "status $?"
ln -s ../.. up; echo "status $?"
ln -sr a d/rel; echo "status $?"
ln -s sub/ok inside; echo "status $?"
ls
--- stdout
status 1
status 1
status 1
status 0
a
d
inside
--- stderr
ln: failed to create symbolic link 'root': Operation not permitted
ln: failed to create symbolic link 'up': Operation not permitted
ln: failed to create symbolic link 'd/rel': Operation not permitted

### ls: names, hidden files, -a, -A, -1, -d, -F, -p
--- setup
mkdir d; touch b a .h d/x; ln -s a l
--- command
ls; echo; ls -A; echo; ls -a; echo; ls -d d; ls -F; echo; ls -p; echo; ls d b
--- stdout
a
b
d
l

.h
a
b
d
l

.
..
.h
a
b
d
l

d
a
b
d/
l@

a
b
d/
l

b

d:
x

### ls -l with fixed times, -h, -S, -t, -r
--- setup
printf 'abc' > s; head -c 1536 /dev/zero > m; head -c 2000000 /dev/zero > g
touch -d '2021-05-06 07:08:09' s; touch -d '2022-01-01 00:00:00' m; touch -d '2020-12-31 23:59:59' g
--- command
ls -go --time-style=long-iso s m g
ls -goh --time-style=long-iso s m g
ls -S; ls -t; ls -tr
--- stdout
-rw-r--r-- 1 2000000 2020-12-31 23:59 g
-rw-r--r-- 1    1536 2022-01-01 00:00 m
-rw-r--r-- 1       3 2021-05-06 07:08 s
-rw-r--r-- 1 2.0M 2020-12-31 23:59 g
-rw-r--r-- 1 1.5K 2022-01-01 00:00 m
-rw-r--r-- 1    3 2021-05-06 07:08 s
g
m
s
m
s
g
g
s
m

### ls -l shows old dates with the year
--- setup
touch -d '2019-03-04 05:06:07' f
--- command
TZ=UTC ls -go f
--- stdout
-rw-r--r-- 1 0 Mar  4  2019 f

### ls -R and errors
--- setup
mkdir -p a/b; touch a/f a/b/g
--- command
ls -R a; ls nope; echo "status $?"
--- stdout
a:
b
f

a/b:
g
status 2
--- stderr
ls: cannot access 'nope': No such file or directory

### ls -l: owner and group are "user" in the sandbox [sandbox]
--- setup
printf 'abc' > f; touch -d '2021-05-06 07:08:09' f
--- command
ls -l --time-style=long-iso f
--- stdout
-rw-r--r-- 1 user user 3 2021-05-06 07:08 f

### date formats (fixed dates)
date -d @0
date -u -d '2024-02-29 12:34:56' '+%Y/%m/%d %H:%M:%S %s %j %A %a %b %B %e %-d %u %w %y'
date -d '2024-01-31T10:00:00Z' -I; date -d '2024-01-31T10:00:00Z' -Iseconds
date -d '2024-01-31 +1 day' '+%F %T'
date -d '2024-01-31 10:00 +1 day' '+%F %T'
date -d '2024-03-01 -1 day' +%F
date -d 'Jan 5 2023' +%F; date -d '5 Jan 2023 10:30' '+%F %R'
date -d @1700000000 -R
date -d @1700000000.5 '+%s.%N'
date -d nonsense; echo "status $?"
--- stdout
Thu Jan  1 00:00:00 UTC 1970
2024/02/29 12:34:56 1709210096 060 Thursday Thu Feb February 29 29 4 4 24
2024-01-31
2024-01-31T10:00:00+00:00
2024-02-01 00:00:00
2024-02-01 09:00:00
2024-02-29
2023-01-05
2023-01-05 10:30
Tue, 14 Nov 2023 22:13:20 +0000
1700000000.500000000
status 1
--- stderr
date: invalid date 'nonsense'

### the machine, as the sandbox tells it [sandbox]
uname; uname -m; uname -a; nproc; arch
--- stdout
WASI
wasm32
WASI sandbox preview1 wasmbox wasm32 WASI
1
wasm32

### sleep and its errors
sleep 0.01 && echo slept
sleep; sleep x
--- stdout
slept
--- stderr
sleep: missing operand
Try 'sleep --help' for more information.
sleep: invalid time interval 'x'
Try 'sleep --help' for more information.
--- exit 1

### xargs
seq 5 | xargs echo
printf 'a b\nc\n' | xargs -n 1 echo
printf 'x y\nz\n' | xargs -I{} echo '<{}>'
printf 'a\0b c\0' | xargs -0 printf '[%s]'; echo
printf "'q u' \"o t\" e\\\\ s\n" | xargs printf '[%s]'; echo
echo | xargs -r echo never; echo "status $?"
seq 3 | xargs -t -n 2 echo 2>&1
--- stdout
1 2 3 4 5
a
b
c
<x y>
<z>
[a][b c]
[q u][o t][e s]
status 0
echo 1 2
1 2
echo 3
3

### xargs exit statuses
echo a | xargs false; echo "status $?"
echo a | xargs sh -c 'exit 255'; echo "status $?"
--- stdout
status 123
status 124
--- stderr
xargs: sh: exited with status 255; aborting
