# tar: create, extract, list (GNU tar 1.34's output and messages). Archives
# made by GNU tar in the setup are read by the shell's, and the shell's
# own are read back (tests/e2e/shell_tar.sh has GNU tar read them).

### list an archive GNU tar made, long and short
--- setup
mkdir -p d/sub && echo hello > d/f && echo deep > d/sub/g && ln -s f d/lnk
touch -h -d '2020-01-02 03:04:05' d/f d/sub/g d/lnk d/sub d
tar cf a.tar --owner=user --group=user d/f d/sub d/lnk
--- command
tar tf a.tar
tar -tvf a.tar
tar --list --file=a.tar d/sub
--- stdout
d/f
d/sub/
d/sub/g
d/lnk
-rw-r--r-- user/user         6 2020-01-02 03:04 d/f
drwxr-xr-x user/user         0 2020-01-02 03:04 d/sub/
-rw-r--r-- user/user         5 2020-01-02 03:04 d/sub/g
lrwxrwxrwx user/user         0 2020-01-02 03:04 d/lnk -> f
d/sub/
d/sub/g

### numeric owners and a wide size widen the column, as GNU's does
--- setup
echo x > small && head -c 123456789 /dev/zero > big && echo y > small2
touch -d '2021-05-06 07:08:09' small big small2
tar cf a.tar --owner=0 --group=0 --numeric-owner small big small2
--- command
tar tvf a.tar
--- stdout
-rw-r--r-- 0/0               2 2021-05-06 07:08 small
-rw-r--r-- 0/0       123456789 2021-05-06 07:08 big
-rw-r--r-- 0/0               2 2021-05-06 07:08 small2

### extract GNU's gzip archive, by -z and by its first bytes
--- setup
mkdir -p d/sub && echo hello > d/f && echo deep > d/sub/g
seq 1 20000 > d/numbers
tar czf a.tgz d && rm -r d
--- command
mkdir x y
tar xzf a.tgz -C x && cat x/d/f x/d/sub/g && tail -1 x/d/numbers
tar -x -f a.tgz --directory y && wc -l < y/d/numbers
tar tf a.tgz | sort
--- stdout
hello
deep
20000
20000
d/
d/f
d/numbers
d/sub/
d/sub/g

### bundled old-style options, then new-style ones
--- setup
mkdir d && echo one > d/a && echo two > d/b
tar cf a.tar --no-recursion d d/a d/b
--- command
mkdir out
tar xvf a.tar -C out
cat out/d/a out/d/b
--- stdout
d/
d/a
d/b
one
two

### create with -z and read it back
--- setup
mkdir -p src/deep/er && echo top > src/t.txt && seq 1 5000 > src/deep/er/n.txt
--- command
tar czf s.tgz src && rm -r src
tar xzf s.tgz && cat src/t.txt && head -1 src/deep/er/n.txt && tail -1 src/deep/er/n.txt
tar tzf s.tgz | sort
--- stdout
top
1
5000
src/
src/deep/
src/deep/er/
src/deep/er/n.txt
src/t.txt

### -O writes the members to stdout; member operands choose them
--- setup
mkdir d && echo one > d/a && echo two > d/b && tar cf a.tar d/a d/b
--- command
tar xOf a.tar
tar -xOf a.tar d/b
tar -x -O -f a.tar d/nothere; echo $?
--- stdout
one
two
two
2
--- stderr
tar: d/nothere: Not found in archive
tar: Exiting with failure status due to previous errors

### --strip-components and --exclude
--- setup
mkdir -p top/a/b && echo 1 > top/a/b/f && echo 2 > top/a/g.log && echo 3 > top/h
tar cf a.tar top/a/b/f top/a/g.log top/h
--- command
mkdir s e
tar xf a.tar -C s --strip-components=2
ls s s/b
tar xf a.tar -C e --exclude='*.log'
ls e/top/a
tar xf a.tar --strip-components=x
--- stdout
s:
b
g.log
<empty>
s/b:
f
b
--- stderr
tar: x: Invalid number of elements
Try 'tar --help' or 'tar --usage' for more information.
--- exit 2

### long names: GNU's LongLink read, pax written and read back
--- setup
n=dir-$(printf 'x%.0s' $(seq 1 60))/sub-$(printf 'y%.0s' $(seq 1 60))/file-$(printf 'z%.0s' $(seq 1 150)).txt
mkdir -p "$(dirname "$n")" && echo long > "$n"
tar cf gnu.tar --format=gnu "$n"
--- command
tar tf gnu.tar | wc -c
tar tf gnu.tar | cut -c1-12
mkdir o && tar xf gnu.tar -C o && cat o/dir-*/sub-*/file-*
tar cf mine.tar dir-* && tar tf mine.tar | tail -1 | wc -c
--- stdout
290
dir-xxxxxxxx
long
290

### what GNU tar refuses: names with '..', leading '/' removed
--- setup
python3 - <<'PY'
import io, tarfile
t = tarfile.open("evil.tar", "w", format=tarfile.USTAR_FORMAT)
for n in ["../up.txt", "/abs.txt", "ok/../../x.txt", "fine.txt"]:
    i = tarfile.TarInfo(n); i.size = 3; i.mtime = 0
    t.addfile(i, io.BytesIO(b"hi\n"))
t.close()
PY
--- command
mkdir ex && tar xf evil.tar -C ex; echo $?
ls ex
tar tf evil.tar
--- stdout
2
abs.txt
fine.txt
../up.txt
/abs.txt
ok/../../x.txt
fine.txt
--- stderr
tar: Removing leading `../' from member names
tar: ../up.txt: Member name contains '..'
tar: Removing leading `/' from member names
tar: Removing leading `ok/../../' from member names
tar: ok/../../x.txt: Member name contains '..'
tar: Exiting with failure status due to previous errors
tar: Removing leading `../' from member names
tar: Removing leading `/' from member names
tar: Removing leading `ok/../../' from member names

### symlinks leading out are not made (the sandbox's rule); tar goes on [sandbox]
--- setup
python3 - <<'PY'
import io, tarfile
t = tarfile.open("links.tar", "w", format=tarfile.USTAR_FORMAT)
for n, target in [("abs", "/etc/passwd"), ("up", "../x"), ("ok", "fine.txt")]:
    i = tarfile.TarInfo(n); i.type = tarfile.SYMTYPE; i.linkname = target
    t.addfile(i)
i = tarfile.TarInfo("fine.txt"); i.size = 3
t.addfile(i, io.BytesIO(b"hi\n"))
t.close()
PY
--- command
mkdir ex && tar xf links.tar -C ex; echo $?
ls ex; cat ex/ok
--- stdout
2
fine.txt
ok
hi
--- stderr
tar: abs: Cannot create symlink to '/etc/passwd': Operation not permitted
tar: up: Cannot create symlink to '../x': Operation not permitted
tar: Exiting with failure status due to previous errors

### -cv lists what it adds (on stderr when the archive is stdout)
--- setup
mkdir d && echo 1 > d/a
--- command
tar -cvf a.tar d
tar -cvf - d/a > b.tar
tar -tf b.tar
--- stdout
d/
d/a
d/a
--- stderr
d/a

### errors: no operation, nothing to create, a file that is not there
--- command
tar f x; echo $?
tar cf a.tar; echo $?
tar -c -x -f a.tar; echo $?
tar cf a.tar nofile; echo $?
tar tf
--- stdout
2
2
2
2
--- stderr
tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options
Try 'tar --help' or 'tar --usage' for more information.
tar: Cowardly refusing to create an empty archive
Try 'tar --help' or 'tar --usage' for more information.
tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option
Try 'tar --help' or 'tar --usage' for more information.
tar: nofile: Cannot stat: No such file or directory
tar: Exiting with failure status due to previous errors
tar: Old option 'f' requires an argument.
Try 'tar --help' or 'tar --usage' for more information.
--- exit 2

### errors: not an archive, missing archive, missing directory
--- setup
: > empty.tar; echo garbage > g.tar; printf 'x%.0s' $(seq 1 600) > x.tar
echo 1 > f && tar cf ok.tar f
--- command
tar tf empty.tar; echo $?
tar tf g.tar; echo $?
tar tf x.tar; echo $?
tar tf none.tar; echo $?
tar xf ok.tar -C nodir; echo $?
--- stdout
2
2
2
2
2
--- stderr
tar: This does not look like a tar archive
tar: Exiting with failure status due to previous errors
tar: This does not look like a tar archive
tar: Exiting with failure status due to previous errors
tar: This does not look like a tar archive
tar: Skipping to next header
tar: Exiting with failure status due to previous errors
tar: none.tar: Cannot open: No such file or directory
tar: Error is not recoverable: exiting now
tar: nodir: Cannot open: No such file or directory
tar: Error is not recoverable: exiting now

### truncated archives, and one ending in a lone zero block
--- setup
head -c 3000 /dev/zero | tr '\0' a > f && tar cf a.tar f && head -c 1500 a.tar > cut.tar
head -c 300 a.tar > cut2.tar; head -c 4096 a.tar > lone.tar
--- command
tar xf cut.tar; echo $?
tar tf cut.tar; echo $?
tar tf cut2.tar; echo $?
tar tf lone.tar; echo $?
--- stdout
2
f
2
2
f
0
--- stderr
tar: Unexpected EOF in archive
tar: Unexpected EOF in archive
tar: Error is not recoverable: exiting now
tar: Unexpected EOF in archive
tar: Error is not recoverable: exiting now
tar: This does not look like a tar archive
tar: Exiting with failure status due to previous errors
tar: A lone zero block at 8

### compressions the sandbox does not have [sandbox]
--- command
tar cjf a.tbz nothing
--- stderr
tar: bzip2 compression is not available in the sandbox (only gzip: -z)
--- exit 2
