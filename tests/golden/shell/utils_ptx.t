# ptx: the permuted index, its fields, references, formats, errors.

### ptx lists each word in its context, sorted
printf 'The quick brown fox\njumps over the lazy dog\n' > s
ptx s
--- stdout
   lazy dog                            The quick brown fox jumps over the
                           The quick   brown fox jumps over the lazy dog
       brown fox jumps over the lazy   dog                        The quick
                     The quick brown   fox jumps over the lazy dog
                 The quick brown fox   jumps over the lazy dog
      quick brown fox jumps over the   lazy dog                         The
           The quick brown fox jumps   over the lazy dog
   lazy dog                      The   quick brown fox jumps over the
      The quick brown fox jumps over   the lazy dog

### ptx -w narrows the fields, with / for what is cut
printf 'The quick brown fox\njumps over the lazy dog\n' > s
ptx -w 40 s | head -n 3
--- stdout
   fox jumps/          The quick brown
           The quick   brown fox jumps/
       over the lazy   dog       /fox jumps

### ptx -A references; the text is one context (no sentence end); -G lines as contexts in roff; -T TeX
printf 'b a\nc\n' > f
ptx -A f
ptx -G f
ptx -T f
--- stdout
f:1:                               b   a c
f:1:                                   b a c
f:2:                             b a   c
.xx "" "b" "a" ""
.xx "" "" "b a" ""
.xx "" "" "c" ""
\xx {}{b}{a}{ c}{}
\xx {}{}{b}{ a c}{}
\xx {}{b a}{c}{}{}

### ptx -o only these words, -i not these, -f folds case
printf 'Dog cat dog Bird\n' > w
printf 'dog\n' > only
ptx -o only w
ptx -i only -f w
--- stdout
                             Dog cat   dog Bird
                         Dog cat dog   Bird
                                 Dog   cat dog Bird

### ptx errors
printf 'a\n\nb\n' > e
ptx -G e; echo "status $?"
ptx -w x e; echo "status $?"
ptx nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
--- stderr
ptx: error: regular expression has a match of length zero: '\n'
ptx: invalid line width: 'x'
ptx: nofile: No such file or directory
