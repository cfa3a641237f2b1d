# factor: prime factors of 64-bit numbers, from operands or stdin.

### factor small numbers, 0 and 1
factor 0 1 2 12 97 360 +15 ' 21'
--- stdout
0:
1:
2: 2
12: 2 2 3
97: 97
360: 2 2 2 3 3 5
15: 3 5
21: 3 7

### factor large 64-bit numbers (Pollard rho)
factor 18446744073709551615 18446744073709551557 18446744030759878681 1000000016000000063
--- stdout
18446744073709551615: 3 5 17 257 641 65537 6700417
18446744073709551557: 18446744073709551557
18446744030759878681: 4294967291 4294967291
1000000016000000063: 1000000007 1000000009

### factor reads blank-separated numbers from stdin
printf '  6 35\n\t77\n' | factor
--- stdout
6: 2 3
35: 5 7
77: 7 11

### factor goes on after a bad number, status 1
factor 4 x -- -5 1x 9; echo "status $?"
--- stdout
4: 2 2
9: 3 3
status 1
--- stderr
factor: 'x' is not a valid positive integer
factor: '-5' is not a valid positive integer
factor: '1x' is not a valid positive integer

### factor stops at 2^64-1 [sandbox]
factor 18446744073709551616; echo "status $?"
--- stdout
status 1
--- stderr
factor: '18446744073709551616' is too large (the sandbox's factor handles numbers below 2^64)
