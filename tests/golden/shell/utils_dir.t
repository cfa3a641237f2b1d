# dir and vdir: ls in columns with escapes, and ls -l.

### dir lays the names out in columns, down or across (-x), to the width
for i in 1 2 3 4 5 6 7; do touch "file_$i"; done
touch a_much_longer_name.txt
dir -w 40 | cat -A
dir -x -w 40 | cat -A
dir -w 0
--- stdout
a_much_longer_name.txt^Ifile_3^Ifile_6$
file_1^I^I^Ifile_4^Ifile_7$
file_2^I^I^Ifile_5$
a_much_longer_name.txt^Ifile_1^Ifile_2$
file_3^I^I^Ifile_4^Ifile_5$
file_6^I^I^Ifile_7$
a_much_longer_name.txt  file_1  file_2  file_3  file_4  file_5  file_6  file_7

### dir escapes names as C does; -N, -1
touch 'a b' "$(printf 'k\tl')" 'back\slash'
dir
dir -N | cat -A
dir -1
--- stdout
a\ b  back\\slash  k\tl
a b  back\slash  k^Il$
a\ b
back\\slash
k\tl

### dir with directories, COLUMNS, errors
mkdir d1 d2; touch d1/x d1/y d2/z
COLUMNS=10 dir d1 d2
dir nofile; echo "status $?"
dir -w x; echo "status $?"
--- stdout
d1:
x  y
<empty>
d2:
z
status 2
status 2
--- stderr
dir: cannot access 'nofile': No such file or directory
dir: invalid line width: 'x'

### vdir is a long listing
mkdir d; touch d/f
vdir d | tail -n 1 | cut -c1-10
vdir d | head -n 1
--- stdout
-rw-r--r--
total 0
