# stat, du, df, shred. File sizes in blocks are counted as a 4 KiB-block
# file system counts them (GNU's du and stat agree on ext4, where these
# expectations were checked).

### stat -c: names, sizes, types, modes, times
printf 'hello\n' > a; touch -d '2020-01-02 03:04:05.5' a; mkdir d; ln -s a l; touch e
touch -d '2021-03-04 05:06:07' d e
stat -c '%n|%N|%s|%F|%a|%A|%f|%h' a d l e
stat -c '%x|%y|%X|%Y|%.3Y|%b|%B|%o' a
stat -L -c '%N %F %s' l
--- stdout
a|'a'|6|regular file|644|-rw-r--r--|81a4|1
d|'d'|4096|directory|755|drwxr-xr-x|41ed|2
l|'l' -> 'a'|1|symbolic link|777|lrwxrwxrwx|a1ff|1
e|'e'|0|regular empty file|644|-rw-r--r--|81a4|1
2020-01-02 03:04:05.500000000 +0000|2020-01-02 03:04:05.500000000 +0000|1577934245|1577934245|1577934245.500|8|512|4096
'l' regular file 6

### stat: widths, flags, --printf escapes, %%, unknown directives
printf 'hello\n' > a
stat -c '[%10s|%-5s|%05s|%+s|%.2n|%%|%q]' a
stat --printf '%n\t%s\n' a
stat --printf '%s\x41\101\\\n' a
--- stdout
[         6|6    |00006|+6|a|%|?]
a	6
6AA\

### stat: the default form and -t
printf 'hello\n' > a; touch -d '2020-01-02 03:04:05' a
stat a | head -2; stat a | head -6 | tail -2; stat -t a | cut -d' ' -f1-4
--- stdout
  File: a
  Size: 6         	Blocks: 8          IO Block: 4096   regular file
Access: 2020-01-02 03:04:05.000000000 +0000
Modify: 2020-01-02 03:04:05.000000000 +0000
a 6 8 81a4

### stat: the default form, owner and birth [sandbox]
printf 'hello\n' > a
stat a | head -4 | tail -1; stat a | tail -1; stat -c '%u %U %g %G %w %W' a
--- stdout
Access: (0644/-rw-r--r--)  Uid: ( 1000/    user)   Gid: ( 1000/    user)
 Birth: -
1000 user 1000 user - 0

### stat errors, -f refused [sandbox]
stat nope; stat -c; stat; stat -f .; echo "status $?"
--- stdout
status 1
--- stderr
stat: cannot statx 'nope': No such file or directory
stat: option requires an argument -- 'c'
Try 'stat --help' for more information.
stat: missing operand
Try 'stat --help' for more information.
stat: -f (--file-system) is not available in the sandbox: WASI cannot ask about file systems

### du: directories, -s, -a, -c, -d
mkdir -p d/e; printf 'hello\n' > d/a; head -c 5000 /dev/zero > d/e/b
du d | sort -k2; du -s d; du -c d d/e
du -a d | sort -k2; du -d 0 d; du --max-depth=1 d | sort -k2
--- stdout
20	d
12	d/e
20	d
12	d/e
20	d
20	total
20	d
4	d/a
12	d/e
8	d/e/b
20	d
20	d
12	d/e

### du: -h, --apparent-size, -b, -m, -k, a file operand, hard links once
mkdir -p d/e; printf 'hello\n' > d/a; head -c 5000 /dev/zero > d/e/b; ln d/a d/h
du -sh d; du -s --apparent-size d; du -sb d; du -sm d; du -k d/a; du -sb d/e/b
du -ab d | sort -k2 | cut -f1 | sort -n | tr '\n' ' '; echo
--- stdout
20K	d
13	d
13198	d
1	d
4	d/a
5000	d/e/b
6 5000 9096 13198 

### du errors
du nope; du -d x .; du -s -d 1 .; echo "status $?"
--- stdout
status 1
--- stderr
du: cannot access 'nope': No such file or directory
du: invalid maximum depth 'x'
Try 'du --help' for more information.
du: warning: summarizing conflicts with --max-depth=1
Try 'du --help' for more information.

### df: the mapped directory, no sizes [sandbox wasm]
mkdir d
df d | cut -c1-45; df -h . | head -1; df -T d | cut -c1-19; df nope; echo "status $?"
df | tail -1 | tr -s ' ' | cut -d' ' -f1-5
--- stdout
Filesystem     1K-blocks  Used Available Use%
wasmbox                -     -         -    -
Filesystem          Size  Used     Avail Use% Mounted on
Filesystem     Type
wasmbox        wasi
status 1
wasmbox - - - -
--- stderr
df: nope: No such file or directory
df: no file systems processed

### shred overwrites in place, -u removes, -z zeros
printf 'secret' > f; shred f; wc -c < f
[ "$(head -c 6 f | md5sum)" != "$(printf secret | md5sum)" ] && echo overwritten
printf 'secret' > g; shred -x -n 1 g; wc -c < g
printf 'secret' > z; shred -n 0 -z -s 10 z; od -An -c z
printf 'secret' > u; shred -u u; ls
--- stdout
4096
overwritten
6
  \0  \0  \0  \0  \0  \0  \0  \0  \0  \0
f
g
z

### shred -v and -u say each step
printf 'secret' > f; mkdir d; printf x > d/abc
shred -v -n 2 -z -u f; shred -u -v -n 1 d/abc; ls d | wc -l
--- stdout
0
--- stderr
shred: f: pass 1/3 (random)...
shred: f: pass 2/3 (random)...
shred: f: pass 3/3 (000000)...
shred: f: removing
shred: f: renamed to 0
shred: f: removed
shred: d/abc: pass 1/1 (random)...
shred: d/abc: removing
shred: d/abc: renamed to d/000
shred: d/000: renamed to d/00
shred: d/00: renamed to d/0
shred: d/abc: removed

### shred errors
mkdir d
shred; shred nope; shred d; shred -n x f; echo "status $?"
--- stdout
status 1
--- stderr
shred: missing file operand
Try 'shred --help' for more information.
shred: nope: failed to open for writing: No such file or directory
shred: d: failed to open for writing: Is a directory
shred: invalid number of passes: 'x'

### stat: huge widths, a lone %
touch a
stat --printf '%99999s' a | wc -c; stat -c 'x%' a; stat -c '%-' a; echo "status $?"
--- stdout
99999
x%
status 1
--- stderr
stat: '%-': invalid directive

### du --exclude
mkdir -p d/node_modules/x d/src; printf 'hello\n' > d/src/a.c; printf 'x\n' > d/log.txt
du --exclude=node_modules d | sort -k2
du -a --exclude='*.txt' --exclude=x d | sort -k2
--- stdout
16	d
8	d/src
16	d
4	d/node_modules
8	d/src
4	d/src/a.c
