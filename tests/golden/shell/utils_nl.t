# nl: numbering styles, formats, sections, errors.

### nl numbers non-empty lines; empty ones get blanks
printf 'a\n\nb\n' | nl | cat -A
--- stdout
     1^Ia$
       $
     2^Ib$

### nl -ba -l2, formats, width, separator, start and increment
printf 'a\n\n\n\nb\n' | nl -ba -l2 | cat -A
printf 'x\ny\n' | nl -n ln -w 3 -s ': '
printf 'x\ny\n' | nl -n rz -w 4 -v 9
printf 'x\ny\nz\n' | nl -v -2 -i 2 -w 2
--- stdout
     1^Ia$
       $
     2^I$
       $
     3^Ib$
1  : x
2  : y
0009	x
0010	y
-2	x
 0	y
 2	z

### nl -bp numbers the lines a regular expression matches
printf 'foo\nbar\nfood\n' | nl -b p^foo -w 1
--- stdout
1	foo
  bar
2	food

### nl sections: header, body, footer restart the numbers unless -p
printf '\\:\\:\\:\nh\n\\:\\:\nb1\nb2\n\\:\nf\n' > s
nl -ha -fa s | cat -A
nl -p -ha -w 1 s
--- stdout
$
     1^Ih$
$
     1^Ib1$
     2^Ib2$
$
     1^If$
<empty>
1	h
<empty>
2	b1
3	b2
<empty>
  f

### nl -d names the delimiter (one character: ':' is the second); a last line without newline gets one
printf '@@\n@:@:\nx\n' | nl -d @ -w 1
printf 'last' | nl -w 1
--- stdout
1	@@
<empty>
1	x
1	last

### nl errors
nl -n xx; echo "status $?"
nl -b q; echo "status $?"
nl -w 0; echo "status $?"
nl nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
--- stderr
nl: invalid line numbering format: 'xx'
Try 'nl --help' for more information.
nl: invalid body numbering style: 'q'
Try 'nl --help' for more information.
nl: invalid line number field width: '0': Numerical result out of range
nl: nofile: No such file or directory
