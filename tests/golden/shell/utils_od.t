# od: offsets, types and sizes, aligned columns, -j -N -w -v, repeats.

### the default: octal words, octal offsets
printf 'abcdefgh\n\001\377 ' > o
od o
--- stdout
0000000 061141 062143 063145 064147 000412 020377
0000014

### -c, -t a, -b, -x and -t x1z
printf 'abcdefgh\n\001\377 ' > o
od -c o; od -t a o; od -b o; od -x o; od -A x -t x1z o
--- stdout
0000000   a   b   c   d   e   f   g   h  \n 001 377    
0000014
0000000   a   b   c   d   e   f   g   h  nl soh del  sp
0000014
0000000 141 142 143 144 145 146 147 150 012 001 377 040
0000014
0000000 6261 6463 6665 6867 010a 20ff
0000014
000000 61 62 63 64 65 66 67 68 0a 01 ff 20              >abcdefgh... <
00000c

### several types: one line each, columns aligned
printf 'abcdefgh\n\001\377 ' > o
od -A d -t d1 -t u1 o
printf ab | od -t x1z -t c
od -t d8 -t o8 o
--- stdout
0000000   97   98   99  100  101  102  103  104   10    1   -1   32
          97   98   99  100  101  102  103  104   10    1  255   32
0000012
0000000  61  62                                                          >ab<
          a   b
0000002
0000000    7523094288207667809              553582858
        0641473146254430661141 0000000000004077600412
0000014

### sizes, signed and unsigned, the last block filled with zeros
printf 'abcdefgh\n\001\377 ' > o
od -i o; od -s o; od -t u4 o; od -t x8 -A n o
printf abc | od -t x2
--- stdout
0000000  1684234849  1751606885   553582858
0000014
0000000  25185  25699  26213  26727    266   8447
0000014
0000000 1684234849 1751606885  553582858
0000014
 6867666564636261 0000000020ff010a
0000000 6261 0063
0000003

### floats: the fewest digits that read back
printf '\0\0\200\77\0\0\0\0\0\0\360\77\315\314\314\75' | od -t f4 -t f8
printf '\0\0\300\177' | od -A n -f
--- stdout
0000000               1               0           1.875             0.1
                       5.263544247e-315           5.238690730535343e-11
0000020
             nan

### -j, -N, -w, --endian
printf 'abcdefgh\n\001\377 ' > o
od -w4 -N 6 -j 2 -t x1 o
od -t x4 -w8 o
od -t x2 --endian=big -N 4 o
od -j 0x4 -N 2 -c o
--- stdout
0000002 63 64 65 66
0000006 67 68
0000010
0000000 64636261 68676665
0000010 20ff010a
0000014
0000000 6162 6364
0000004
0000004   e   f
0000006

### repeated blocks are one "*", -v shows them
printf '%048d' 0 > z; printf 'end' >> z
od -c z; od -v -A d -t x1 -w16 z | head -3
--- stdout
0000000   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0
*
0000060   e   n   d
0000063
0000000 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30
0000016 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30
0000032 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30

### several files are one input; stdin
printf ab > a; printf cd > b
od -c a - b < a
--- stdout
0000000   a   b   a   b   c   d
0000006

### errors
printf ab > a
od -t x3 a; od -t q a; od -A q a; od -N x a; od -j 10 a; od -w5 a; od nope a; echo "status $?"
--- stdout
0000000 061141
0000002
0000000 061141
0000002
status 1
--- stderr
od: invalid type string 'x3';
this system doesn't provide a 3-byte integral type
od: invalid character 'q' in type string 'q'
od: invalid output address radix 'q'; it must be one character from [doxn]
od: invalid -N argument 'x'
od: cannot skip past end of combined input
od: warning: invalid width 5; using 2 instead
od: nope: No such file or directory

### large widths and offsets
printf 'abc' > a
od -w1048576 -An -tx1 a; od -j 99999999999 a; echo "status $?"
od -N 0 a; od -An -c -N 1 -j 2 a
--- stdout
 61 62 63
status 1
0000000
   c
--- stderr
od: cannot skip past end of combined input
