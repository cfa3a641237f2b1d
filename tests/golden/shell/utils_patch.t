# patch: unified diffs applied as GNU patch 2.7 applies them, with its
# messages (on stdout), its answers when there is no terminal, .orig and
# .rej files, creation and deletion, and exit 0 / 1 (hunks failed or
# ignored) / 2 (trouble).

### a patch applies exactly: no message but the file's name
--- setup
seq 1 30 > f
printf -- '--- f\n+++ f\n@@ -9,7 +9,7 @@\n 9\n 10\n 11\n-12\n+twelve\n 13\n 14\n 15\n' > p.diff
--- command
patch < p.diff; echo "status $?"
head -13 f | tail -2; ls
--- stdout
patching file f
status 0
twelve
13
f
p.diff

### offsets and fuzz are reported, and the original kept as .orig
--- setup
{ echo 0; echo 00; seq 1 30 | sed 's/^25$/x/'; } > f
printf -- '--- f\n+++ f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -22,7 +22,7 @@\n 22\n 23\n 24\n-25\n+XXV\n 26\n 27\n 28\n@@ -25,3 +25,3 @@\n x\n-27\n+twenty-seven\n 28\n' > p.diff
--- command
patch -i p.diff; echo "status $?"
cat f | head -7 | tail -1; ls
--- stdout
patching file f
Hunk #1 succeeded at 4 (offset 2 lines).
Hunk #2 FAILED at 22.
Hunk #3 succeeded at 28 with fuzz 1 (offset 3 lines).
1 out of 3 hunks FAILED -- saving rejects to file f.rej
status 1
five
f
f.orig
f.rej
p.diff

### the .rej file holds the failed hunks in unified form
--- setup
seq 1 10 > f
printf -- '--- a/f\t2024-01-01 00:00:00.000000000 +0000\n+++ b/f\t2024-01-02 00:00:00.000000000 +0000\n@@ -1,3 +1,3 @@ fn main\n 1\n-X\n+two\n 3\n' > p.diff
--- command
patch -p1 < p.diff; echo "status $?"
tail -n +2 f.rej
--- stdout
patching file f
Hunk #1 FAILED at 1.
1 out of 1 hunk FAILED -- saving rejects to file f.rej
status 1
+++ f	2024-01-02 00:00:00.000000000 +0000
@@ -1,3 +1,3 @@ fn main
 1
-X
+two
 3

### -p strips leading directories; without it only the base name is used
--- setup
mkdir -p src/lib; printf 'a\n' > src/lib/x.c; printf 'a\n' > x.c
printf -- '--- a/src/lib/x.c\n+++ b/src/lib/x.c\n@@ -1 +1 @@\n-a\n+b\n' > p.diff
--- command
patch -p1 < p.diff; cat src/lib/x.c x.c
patch < p.diff; cat x.c
--- stdout
patching file src/lib/x.c
b
a
patching file x.c
b

### several files in one patch, git style headers
--- setup
printf '1\n2\n3\n' > x; printf 'a\nb\n' > y
printf -- 'diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1,2 +1,3 @@\n a\n b\n+c\n' > p.diff
--- command
patch -p1 < p.diff; echo "status $?"; cat x y
--- stdout
patching file x
patching file y
status 0
1
two
3
a
b
c

### creating and deleting files
--- setup
printf 'bye\n' > old
printf -- '--- /dev/null\n+++ b/sub/dir/new\n@@ -0,0 +1,2 @@\n+hello\n+world\n--- a/old\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' > p.diff
--- command
patch -p1 < p.diff; echo "status $?"; ls; cat sub/dir/new
--- stdout
patching file sub/dir/new
patching file old
status 0
p.diff
sub
hello
world

### -R reverses; --dry-run changes nothing
--- setup
seq 1 5 > f
printf -- '--- f\n+++ f\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n' > p.diff
--- command
patch --dry-run < p.diff; echo "status $?"; cat f | tr '\n' ' '; echo
patch < p.diff > /dev/null; cat f | tr '\n' ' '; echo
patch -R < p.diff; echo "status $?"; cat f | tr '\n' ' '; echo
--- stdout
checking file f
status 0
1 2 3 4 5 
1 2 three 4 5 
patching file f
status 0
1 2 3 4 5 

### a patch applied twice: reversed, skipped (no terminal to ask), -N, -t
--- setup
seq 1 5 > f
printf -- '--- f\n+++ f\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n' > p.diff
patch -s < p.diff
--- command
patch < p.diff; echo "status $?"; ls; rm f.rej
patch -N < p.diff; echo "status $?"; rm f.rej
patch -t < p.diff; echo "status $?"; cat f | tr '\n' ' '; echo
--- stdout
patching file f
Reversed (or previously applied) patch detected!  Assume -R? [n] 
Apply anyway? [n] 
Skipping patch.
1 out of 1 hunk ignored -- saving rejects to file f.rej
status 1
f
f.rej
p.diff
patching file f
Reversed (or previously applied) patch detected!  Skipping patch.
1 out of 1 hunk ignored -- saving rejects to file f.rej
status 1
patching file f
Reversed (or previously applied) patch detected!  Assuming -R.
status 0
1 2 3 4 5 

### -o writes elsewhere; -s is silent unless something fails
--- setup
seq 1 5 > f
printf -- '--- f\n+++ f\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n' > p.diff
--- command
patch -o out f < p.diff; echo "status $?"; cat f | tr '\n' ' '; cat out | tr '\n' ' '; echo
patch -s < p.diff; echo "status $?"
patch -s -f < p.diff; echo "status $?"
--- stdout
patching file out (read from f)
status 0
1 2 3 4 5 1 2 three 4 5 
status 0
1 out of 1 hunk FAILED -- saving rejects to file f.rej
status 1

### a missing file: GNU's dialog, answered as without a terminal
--- setup
printf -- '--- nofile\n+++ nofile\n@@ -1 +1 @@\n-a\n+b\n' > p.diff
--- command
patch < p.diff; echo "status $?"
patch -t < p.diff; echo "status $?"
--- stdout
can't find file to patch at input line 3
Perhaps you should have used the -p or --strip option?
The text leading up to this was:
--------------------------
|--- nofile
|+++ nofile
--------------------------
File to patch: 
Skip this patch? [y] 
Skipping patch.
1 out of 1 hunk ignored
status 1
can't find file to patch at input line 3
Perhaps you should have used the -p or --strip option?
The text leading up to this was:
--------------------------
|--- nofile
|+++ nofile
--------------------------
No file to patch.  Skipping patch.
1 out of 1 hunk ignored
status 1

### names that are absolute or go up are never used
--- setup
mkdir d; printf 'a\n' > x
printf -- '--- ../x\n+++ ../x\n@@ -1 +1 @@\n-a\n+b\n' > d/p.diff
--- command
cd d; patch -s < p.diff; echo "status $?"; cat ../x
--- stdout
The text leading up to this was:
--------------------------
|--- ../x
|+++ ../x
--------------------------
File to patch: 
Skip this patch? [y] 
1 out of 1 hunk ignored
status 1
a

### creating a file that exists, deleting one that does not
--- setup
printf 'hi\n' > new
printf -- '--- /dev/null\n+++ new\n@@ -0,0 +1 @@\n+hi\n' > c.diff
printf -- '--- gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n' > d.diff
--- command
patch < c.diff; echo "status $?"
patch < d.diff; echo "status $?"
--- stdout
The next patch would create the file new,
which already exists!  Assume -R? [n] 
Apply anyway? [n] 
Skipping patch.
1 out of 1 hunk ignored
status 1
The next patch would delete the file gone,
which does not exist!  Assume -R? [n] 
Apply anyway? [n] 
Skipping patch.
1 out of 1 hunk ignored
status 1

### uneven context must be at the file's ends, else it costs fuzz
--- setup
seq 1 20 > f
printf -- '--- f\n+++ f\n@@ -7,5 +7,5 @@\n 7\n 8\n 9\n-10\n+ten\n 11\n' > p.diff
printf -- '--- f\n+++ f\n@@ -18,2 +18,2 @@\n 18\n-19\n+nineteen\n' > q.diff
--- command
patch < p.diff; patch --no-backup-if-mismatch < q.diff; ls
--- stdout
patching file f
Hunk #1 succeeded at 7 with fuzz 2.
patching file f
Hunk #1 succeeded at 18 with fuzz 1.
f
f.orig
p.diff
q.diff

### last lines without a newline, and blank context lines
--- setup
printf 'a\nb' > f; printf 'x\n\ny\n' > g
printf -- '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n' > p.diff
printf -- '--- g\n+++ g\n@@ -1,3 +1,3 @@\n x\n\n-y\n+z\n' > q.diff
--- command
patch < p.diff; cat -A f; echo
patch < q.diff; cat g
--- stdout
patching file f
a$
c
patching file g
x
<empty>
z

### errors: malformed hunks, garbage, an unreadable patch file, bad numbers
--- setup
printf 'a\nb\nc\n' > f
printf -- '--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n@@ -5,1 +5,1 @@\n-x\n+y\n' > bad.diff
--- command
patch < bad.diff; echo "status $?"; cat f
echo hello | patch; echo "status $?"
patch < /dev/null; echo "status $?"
patch -i nofile; echo "status $?"
patch -p x < /dev/null; echo "status $?"
--- stdout
patching file f
status 2
a
b
c
status 2
status 0
status 2
status 2
--- stderr
patch: **** malformed patch at line 7: @@ -5,1 +5,1 @@
<empty>
patch: **** Only garbage was found in the patch input.
patch: **** Can't open patch file nofile : No such file or directory
patch: **** strip count x is not a number

### ORIGFILE and PATCHFILE operands; -d; -E removes emptied files
--- setup
mkdir d; printf 'a\n' > d/t; printf 'a\n' > other
printf -- '--- t\n+++ t\n@@ -1 +1 @@\n-a\n+b\n' > p.diff
printf -- '--- e\n+++ e\n@@ -1 +0,0 @@\n-a\n' > e.diff
--- command
patch other p.diff; cat other
patch -d d < p.diff; cat d/t
cp other e; patch -E < e.diff; echo "status $?"; ls
--- stdout
patching file other
b
patching file t
b
patching file e
Reversed (or previously applied) patch detected!  Assume -R? [n] 
Apply anyway? [n] 
Skipping patch.
1 out of 1 hunk ignored -- saving rejects to file e.rej
status 1
d
e
e.diff
e.rej
other
p.diff

### only unified diffs are read here [sandbox]
printf 'a\n' > x
printf '1c1\n< a\n---\n> b\n' | patch x; echo "status $?"
printf '*** x\n--- x\n***************\n*** 1 ****\n! a\n--- 1 ----\n! b\n' | patch; echo "status $?"
--- stdout
status 2
status 2
--- stderr
patch: **** this is a normal diff; only unified diffs (diff -u, git diff) can be applied in this sandbox
patch: **** this is a context diff; only unified diffs (diff -u, git diff) can be applied in this sandbox
