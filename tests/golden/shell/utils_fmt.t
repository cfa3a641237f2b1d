# fmt: paragraphs filled with GNU's line-breaking costs. Where the
# breaks come from the cost function (not from the width alone), the
# expected lines are GNU fmt 9.1's, checked with shell_golden.py --bash.

### fmt fills a paragraph to a width, keeping blank lines and indents
printf 'The quick brown fox jumps over the lazy dog. It barks.\nThen it sleeps all day long in the sun.\n\n  An indented paragraph with several words\n  on two lines.\n' > f
fmt -w 30 f
--- stdout
The quick brown fox jumps
over the lazy dog. It barks.
Then it sleeps all day long
in the sun.
<empty>
  An indented paragraph with
  several words on two lines.

### fmt -N as the first option, -u uniform spacing, -s only splits
printf 'one  two   three.  four\nfive\n' | fmt -u
printf 'short line\nanother one\n' | fmt -s -w 8
printf 'a b c d e f\n' | fmt -5
--- stdout
one two three.  four five
short
line
another
one
a b
c d
e f

### fmt -p formats only the lines with the prefix
printf '# one two three four five six\n# seven\ncode line stays as it is\n' | fmt -p '#' -w 20
--- stdout
# one two three
# four five six
# seven
code line stays as it is

### fmt -c keeps the first two indents, -t wants them different
printf '  first line of it\nsecond line and more words\n' | fmt -c -w 20
printf 'tag: one two three four five six\n' | fmt -t -w 20
--- stdout
  first line of
it second line and
more words
tag: one two three
   four five six

### fmt errors
echo a | fmt -w x; echo "status $?"
echo a | fmt -w 3000; echo "status $?"
echo a | fmt -w 5 -7; echo "status $?"
fmt nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
--- stderr
fmt: invalid width: 'x'
fmt: invalid width: '3000': Numerical result out of range
fmt: invalid option -- 7; -WIDTH is recognized only when it is the first
option; use -w N instead
Try 'fmt --help' for more information.
fmt: cannot open 'nofile' for reading: No such file or directory
