# rev (util-linux): characters of each line in reverse.

### rev lines, a last line without newline, empty lines
printf 'hello world\n\nab\nxyz' > f
rev f; echo '|'
--- stdout
dlrow olleh
<empty>
ba
zyx|

### rev reads stdin, and several files
printf 'abc\n' > a; printf '123\n' > b
echo 'stdin' | rev
rev a b
--- stdout
nidts
cba
321

### rev keeps UTF-8 characters whole [sandbox]
printf 'h\303\251llo\n' | rev
--- stdout
olléh

### rev errors: a missing file, "-" is a file name
rev nofile; echo "status $?"
echo x | rev -; echo "status $?"
--- stdout
status 1
status 1
--- stderr
rev: cannot open nofile: No such file or directory
rev: cannot open -: No such file or directory
