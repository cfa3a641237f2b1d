# split: by lines, bytes, line bytes and chunks; GNU's file names.

### split -l into xaa, xab ...
seq 5 > f
split -l 2 f
for x in x*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
--- stdout
xaa: 1 2 
xab: 3 4 
xac: 5 

### split names: prefix, -d, -a, --additional-suffix, FROM, --verbose
seq 3 > f
split -l 1 -d f p_; ls p_*
split -l 1 -a 3 --additional-suffix=.txt f q; ls q*
split -l 1 --numeric-suffixes=7 f r; ls r*
split --verbose -l 2 -x f s
--- stdout
p_00
p_01
p_02
qaaa.txt
qaab.txt
qaac.txt
r07
r08
r09
creating file 's00'
creating file 's01'

### split widens the suffix after yz and 89
seq 680 | split -l 1; ls x* | head -652 | tail -4
rm x*; seq 92 | split -l 1 -d; ls x* | tail -3
--- stdout
xyy
xyz
xzaaa
xzaab
x89
x9000
x9001

### split -b, -C and the old -N
printf 'abcdefghij' | split -b 4 - b
cat -A baa; echo; cat -A bab; echo; cat -A bac; echo
printf 'aaaaaaaaaa\nb\nc\n' | split -C 4 - c
for x in c*; do echo "$x: $(cat -A "$x" | tr '\n' ' ')"; done
seq 4 | split -3 - d; ls d*
--- stdout
abcd
efgh
ij
caa: aaaa
cab: aaaa
cac: aa$ 
cad: b$ c$ 
daa
dab

### split -n: bytes, lines, round robin, one chunk on stdout
seq 10 > f
split -n 3 f b; for x in b*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
split -n l/3 f l; for x in l*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
split -n r/3 f r; for x in r*; do echo "$x: $(tr '\n' ' ' < "$x")"; done
split -n l/2/3 f | tr '\n' ' '; echo
split -n r/1/3 f | tr '\n' ' '; echo
--- stdout
baa: 1 2 3 4
bab:  5 6 7 
bac: 8 9 10 
laa: 1 2 3 4 
lab: 5 6 7 
lac: 8 9 10 
raa: 1 4 7 10 
rab: 2 5 8 
rac: 3 6 9 
5 6 7 
1 4 7 10 

### split -n makes every chunk, -e drops the empty ones
seq 3 > f
split -n l/5 f a; ls a*
split -n l/5 -e f e; ls e*
--- stdout
aaa
aab
aac
aad
aae
eaa
eab
eac

### split errors
seq 5 > f
split -l 0 f; echo "status $?"
split -l x f; echo "status $?"
split -l 2 -b 3 f; echo "status $?"
split -a 1 -n 30 f; echo "status $?"
split -n 4/3 f; echo "status $?"
split f a b; echo "status $?"
split nofile; echo "status $?"
seq 5 | split -n 2; echo "status $?"
seq 30 | split -l 1 -a 1; echo "status $?"; ls x* | tail -1
--- stdout
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
status 1
xz
--- stderr
split: invalid number of lines: '0': Numerical result out of range
split: invalid number of lines: 'x'
split: cannot split in more than one way
Try 'split --help' for more information.
split: the suffix length needs to be at least 2
split: invalid chunk number: '4': Numerical result out of range
split: extra operand 'b'
Try 'split --help' for more information.
split: cannot open 'nofile' for reading: No such file or directory
split: -: cannot determine file size
split: output file suffixes exhausted

### split will not overwrite its input
seq 3 > xaa
split -l 1 xaa; echo "status $?"
--- stdout
status 1
--- stderr
split: 'xaa' would overwrite input; aborting
