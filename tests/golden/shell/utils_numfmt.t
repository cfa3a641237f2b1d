# numfmt: to and from human sizes, fields, padding, formats, errors.

### numfmt --to=iec and --to=si
numfmt --to=iec 999 1024 1500 1048575 123456789
numfmt --to=si 1000 1500 999999
numfmt --to=iec-i 2048
--- stdout
999
1.0K
1.5K
1.0M
118M
1.0K
1.5K
1.0M
2.0Ki

### numfmt --from
numfmt --from=iec 1K 1.5M
numfmt --from=si 1K
numfmt --from=auto 1K 1Ki
numfmt 1.5 007
--- stdout
1024
1572864
1000
1000
1024
1.5
7

### numfmt rounding, suffix, format, units
numfmt --round=down --to=iec 1500
numfmt --round=nearest --to=iec 1535
numfmt --to=iec --suffix=B 4096
numfmt --format='%.2f' 3.14159
numfmt --to=iec --format='[%-8f]' 2048
numfmt --from-unit=1024 --to=iec 1
--- stdout
1.4K
1.5K
4.0KB
3.15
[2.0K    ]
1.0K

### numfmt fields keep their blanks; --padding, --header, -d
printf 'size name\n1024  a\n2097152 b\n' | numfmt --header --to=iec | cat -A
echo 'x 4096 y' | numfmt --field 2 --to=iec --padding 6 | cat -A
echo 'a:4096:b' | numfmt -d: --field=2 --to=iec
echo '1K 2K 3K' | numfmt --field=1,3 --from=iec
--- stdout
size name$
1.0K  a$
2.0M b$
x   4.0K y$
a:4.0K:b
1024 2K 3072

### numfmt invalid input: abort (2), fail, warn
numfmt 1 x 2; echo "status $?"
numfmt --invalid=fail 1 x 2; echo "status $?"
numfmt --invalid=warn 1Q; echo "status $?"
--- stdout
1
status 2
1
x
2
status 2
1Q
status 0
--- stderr
numfmt: invalid number: 'x'
numfmt: invalid number: 'x'
numfmt: invalid suffix in input: '1Q'

### numfmt option errors
numfmt --to=x 1; echo "status $?"
numfmt --padding=0 1; echo "status $?"
numfmt --format='%d' 1; echo "status $?"
numfmt 1.5K; echo "status $?"
--- stdout
status 1
status 1
status 1
status 2
--- stderr
numfmt: invalid argument 'x' for '--to'
Valid arguments are:
  - 'none'
  - 'si'
  - 'iec'
  - 'iec-i'
Try 'numfmt --help' for more information.
numfmt: invalid padding value '0'
numfmt: invalid format '%d', directive must be %[0]['][-][N][.][N]f
numfmt: rejecting suffix in input: '1.5K' (consider using --from)
