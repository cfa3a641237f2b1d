# diff: normal and unified output, what counts as equal, directories,
# errors and exit statuses (0 same, 1 different, 2 trouble).

### normal output: change, delete, add
printf 'a\nb\nc\nd\ne\n' > old
printf 'a\nB\nc\ne\nf\n' > new
diff old new; echo "status $?"
--- stdout
2c2
< b
---
> B
4d3
< d
5a5
> f
status 1

### identical files: nothing, status 0; -s says so
printf 'x\n' > a; cp a b
diff a b; echo "status $?"
diff -s a b
--- stdout
status 0
Files a and b are identical

### ranges of several lines
printf '1\n2\n3\n4\n5\n6\n' > a
printf '1\n4\n5\n6\nx\ny\n' > b
diff a b
--- stdout
2,3d1
< 2
< 3
6a5,6
> x
> y
--- exit 1

### a file against an empty one
printf 'a\nb\n' > f; : > e
diff e f; diff f e
--- stdout
0a1,2
> a
> b
1,2d0
< a
< b
--- exit 1

### unified output with labels
--- setup
printf 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n' > a
sed 's/^five$/FIVE/' a > b
--- command
diff -u --label a/f --label b/f a b > out; echo "status $?"; tail -n +2 out
--- stdout
status 1
+++ b/f
@@ -2,7 +2,7 @@
 two
 three
 four
-five
+FIVE
 six
 seven
 eight

### unified hunks merge when their context touches
--- setup
seq 1 20 > a
sed 's/^5$/x/; s/^12$/y/; s/^20$/z/' a > b
--- command
diff -u --label a --label b a b | tail -n +2
--- stdout
+++ b
@@ -2,14 +2,14 @@
 2
 3
 4
-5
+x
 6
 7
 8
 9
 10
 11
-12
+y
 13
 14
 15
@@ -17,4 +17,4 @@
 17
 18
 19
-20
+z

### -U N sets the context; -U 0 shows changes only
--- setup
seq 1 9 > a
sed 's/^5$/five/' a > b
--- command
diff -U 1 --label a --label b a b | tail -n +2
diff -U0 --label a --label b a b | tail -n +2
printf 'x\n' > c; : > e
diff -U0 --label e --label c e c | tail -n +2
--- stdout
+++ b
@@ -4,3 +4,3 @@
 4
-5
+five
 6
+++ b
@@ -5 +5 @@
-5
+five
+++ c
@@ -0,0 +1 @@
+x

### unified headers carry the modification times
--- setup
printf 'a\n' > x; printf 'b\n' > y
touch -d '2024-01-02 03:04:05' x; touch -d '2024-02-03 04:05:06' y
--- command
diff -u x y | cat -n
--- stdout
     1	--- x	2024-01-02 03:04:05.000000000 +0000
     2	+++ y	2024-02-03 04:05:06.000000000 +0000
     3	@@ -1 +1 @@
     4	-a
     5	+b

### a last line without a newline
printf 'a\nb\n' > x; printf 'a\nb' > y
diff x y
diff -u --label x --label y y x | tail -n +2
--- stdout
2c2
< b
---
> b
\ No newline at end of file
+++ y
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b

### -q only says whether they differ
printf 'a\n' > x; printf 'b\n' > y; cp x z
diff -q x y; echo "status $?"
diff -q x z; echo "status $?"
diff --brief x y
--- stdout
Files x and y differ
status 1
status 0
Files x and y differ
--- exit 1

### -i, -w, -b: what counts as equal
printf 'Hello World\nfoo  bar\nend \n' > a
printf 'hello world\nfoo bar\nend\n' > b
diff a b > /dev/null; echo "plain $?"
diff -i a b > /dev/null; echo "-i $?"
diff -b a b > /dev/null; echo "-b $?"
diff -ib a b; echo "-ib $?"
printf 'foobar\n' > c; printf 'foo bar\n' > d
diff -b c d > /dev/null; echo "-b $?"
diff -w c d; echo "-w $?"
--- stdout
plain 1
-i 1
-b 1
-ib 0
-b 1
-w 0

### -w and -b ignore a missing newline; -B blank-line changes
printf 'a\nb\n' > x; printf 'a\nb' > y
diff -w x y; echo "-w $?"
printf 'a\n\nb\nc\n' > p; printf 'a\nb\n\nc\nd\n' > q
diff -B p q; echo "-B $?"
printf 'a\n\nb\n' > r; printf 'a\nb\n\n' > s
diff -B r s; echo "-B $?"
--- stdout
-w 0
4a5
> d
-B 1
-B 0

### -B in unified output leaves out hunks of blank lines only
printf 'a\nx\nx\nx\nx\nx\nx\n\nz\n' > p
printf 'b\nx\nx\nx\nx\nx\nx\nz\n' > q
diff -B -u --label p --label q p q | tail -n +2
--- stdout
+++ q
@@ -1,4 +1,4 @@
-a
+b
 x
 x
 x

### stdin as one of the files
printf 'a\nb\n' > f
printf 'a\nc\n' | diff f -
printf 'a\nb\n' | diff - f; echo "status $?"
--- stdout
2c2
< b
---
> c
status 0

### binary files
printf 'a\0b' > x; printf 'a\0c' > y
diff x y; echo "status $?"
diff -q x y
cp x z; diff x z; echo "status $?"
diff -a x y | tr '\0' @
--- stdout
Binary files x and y differ
status 1
Files x and y differ
status 0
1c1
< a@b
\ No newline at end of file
---
> a@c
\ No newline at end of file

### directories: one level, then -r
mkdir -p a/sub b/sub a/only
echo 1 > a/f; echo 2 > b/f; echo z > b/g; echo s > a/sub/s; echo t > b/sub/s
echo h > a/h; mkdir b/h; : > a/e; mkdir b/e
diff a b; echo "status $?"
echo ---
diff -r a b; echo "status $?"
--- stdout
File a/e is a regular empty file while file b/e is a directory
diff a/f b/f
1c1
< 1
---
> 2
Only in b: g
File a/h is a regular file while file b/h is a directory
Only in a: only
Common subdirectories: a/sub and b/sub
status 1
---
File a/e is a regular empty file while file b/e is a directory
diff -r a/f b/f
1c1
< 1
---
> 2
Only in b: g
File a/h is a regular file while file b/h is a directory
Only in a: only
diff -r a/sub/s b/sub/s
1c1
< s
---
> t
status 1

### -ru repeats the options in each file's header; -qr; -x leaves names out
--- setup
mkdir -p a/d b/d; echo 1 > a/d/f; echo 2 > b/d/f; echo x > a/skip.o
touch -d '2024-05-06 07:08:09' a/d/f b/d/f
--- command
diff -ru a b > out; echo "status $?"; cat -n out
diff -qr a b
diff -r -x '*.o' -q a b
diff -r -x d a b; echo "status $?"
--- stdout
status 1
     1	diff -ru a/d/f b/d/f
     2	--- a/d/f	2024-05-06 07:08:09.000000000 +0000
     3	+++ b/d/f	2024-05-06 07:08:09.000000000 +0000
     4	@@ -1 +1 @@
     5	-1
     6	+2
     7	Only in a: skip.o
Files a/d/f and b/d/f differ
Only in a: skip.o
Files a/d/f and b/d/f differ
Only in a: skip.o
status 1

### -N treats absent files as empty
mkdir a b; printf 'x\n' > a/f; mkdir a/d; printf 'y\n' > a/d/g
diff -rN a b; echo "status $?"
diff -N nofile a/f; echo "status $?"
--- stdout
diff -rN a/d/g b/d/g
1d0
< y
diff -rN a/f b/f
1d0
< x
status 1
0a1
> x
status 1

### a directory and a file: the file of that name in the directory
mkdir d; printf 'a\n' > d/f; printf 'b\n' > f
diff d f; echo "status $?"
diff f d > /dev/null; echo "status $?"
diff d nofile; echo "status $?"
--- stdout
1c1
< a
---
> b
status 1
status 1
status 2
--- stderr
diff: nofile: No such file or directory

### errors: missing files, operands, bad context, stdin and a directory
diff nofile x; echo "status $?"
diff onlyone; echo "status $?"
diff a b c; echo "status $?"
diff -U x a b; echo "status $?"
mkdir d; diff - d < /dev/null; echo "status $?"
--- stdout
status 2
status 2
status 2
status 2
status 2
--- stderr
diff: nofile: No such file or directory
diff: x: No such file or directory
diff: missing operand after 'onlyone'
diff: Try 'diff --help' for more information.
diff: extra operand 'c'
diff: Try 'diff --help' for more information.
diff: invalid context length 'x'
diff: Try 'diff --help' for more information.
diff: cannot compare '-' to a directory

### a change far into a file, and lines that repeat
seq 1 1000 > a
{ seq 1 499; echo new; seq 501 1000; } > b
diff a b
printf 'x\nx\nx\n' > r; printf 'x\nx\n' > s
diff r s; diff -u --label r --label s s r | tail -n +2
--- stdout
500c500
< 500
---
> new
3d2
< x
+++ s
@@ -1,2 +1,3 @@
 x
 x
+x

### context output: -c and -C N
--- setup
printf 'a\nb\nc\nd\ne\nf\ng\n' > x; printf 'a\nB\nc\ne\nf\ng\nh\n' > y
--- command
diff -c --label x --label y x y | tail -n +3 | tr - =
diff -C 0 --label x --label y x y | tail -n +3 | tr - =
--- stdout
***************
*** 1,7 ****
  a
! b
  c
= d
  e
  f
  g
=== 1,7 ====
  a
! B
  c
  e
  f
  g
+ h
***************
*** 2 ****
! b
=== 2 ====
! B
***************
*** 4 ****
= d
=== 3 ====
***************
*** 7 ****
=== 7 ====
+ h
--- exit 0
