# Hostile input for tac, rev, fold, nl, fmt, pr, ptx, shuf, split, expand:
# every byte value, and a 300,000-byte line without a newline.

### every byte value passes through
i=0; while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i+1)); done > bin
wc -c < bin
tac bin | wc -c
fold -b -w 100 bin | wc -c
nl -ba bin | wc -l
shuf bin | wc -c
--- stdout
256
256
258
2
257

### rev reverses bytes that are not UTF-8 one by one [sandbox]
i=0; while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i+1)); done > bin
rev bin | wc -c
--- stdout
256

### a long line without a newline
head -c 300000 /dev/zero | tr '\0' a > long
tac long | wc -c
rev long | wc -c
fold -w 1000 long | wc -l
nl long | wc -c
fmt long | wc -c
pr -t long | wc -c
ptx long | wc -l
expand long | wc -c
split -b 100000 long part; ls part* | wc -l
--- stdout
300000
300000
299
300008
300001
300001
1
300000
3
