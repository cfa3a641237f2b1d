#!/usr/bin/env python3
"""wasmbox alone: host instructions per wasm instruction, bench/run.py's way.

    python3 bench/ipw.py BUILD [--nofuel NOFUEL_BUILD] [WORKLOAD...]

The quick loop of engine work: the same two sizes, the same callgrind
difference divided by the fuel difference as `make bench`'s first table,
without the peers or the CPU pairs. With --nofuel (a build-nofuel/ made by
`make bench-nofuel`) it prints fuel's cost as well. Workloads are built once
into BUILD/ipw/. Callgrind counts are deterministic: the machine's load does
not move them."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as R  # noqa: E402  (bench/run.py)


def main():
    args = sys.argv[1:]
    nofuel = None
    if '--nofuel' in args:
        i = args.index('--nofuel')
        nofuel = args[i + 1]
        del args[i:i + 2]
    if not args or args[0].startswith('-'):
        sys.exit(__doc__)
    build, names = args[0], args[1:] or list(R.SIZES)
    out = os.path.join(build, 'ipw')
    os.makedirs(out, exist_ok=True)
    need = [n for n in names if not os.path.exists(os.path.join(out, n + '.wasm'))]
    if need:
        R.build_workloads(need, out)
    wb = os.path.join(build, 'wasmbox')
    for n in names:
        small, large, _ = (s.split() for s in R.SIZES[n])
        w = os.path.join(out, n + '.wasm')
        f1, f2 = R.fuel_used(wb, w, small, out), R.fuel_used(wb, w, large, out)
        i1, _ = R.callgrind([wb, 'run', w] + small)
        i2, _ = R.callgrind([wb, 'run', w] + large)
        line = f'{n:14s} {(i2 - i1) / (f2 - f1):.3f}'
        if nofuel:
            nf = os.path.join(nofuel, 'wasmbox')
            j1, _ = R.callgrind([nf, 'run', w] + small)
            j2, _ = R.callgrind([nf, 'run', w] + large)
            line += f'  no fuel {(j2 - j1) / (f2 - f1):.3f}  fuel costs {100 * ((i2 - i1) / (j2 - j1) - 1):+.1f}%'
        print(line, flush=True)


if __name__ == '__main__':
    main()
