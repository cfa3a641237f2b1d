#!/usr/bin/env python3
"""wasmbox beside its peers on the same workloads, in the same run.

    python3 bench/run.py BUILD [--quick] [--out FILE.md] [--runs N] [WORKLOAD...]

(`make bench`, `make bench QUICK=1`; bench/README.md says what each figure
means.) For every workload (bench/workloads/*.c, and EEMBC's CoreMark from
bench/coremark/) built to wasm32-wasi and natively, and for every runtime
found (wasmbox, wasmbox without fuel, wasm3, WAMR fast, WAMR fast with
metering, node), it measures:

- host instructions per wasm instruction under callgrind: the runtime's
  instruction count at a large size minus a small size, divided by the wasm
  instructions executed between them (wasmbox's fuel difference: the same
  module executes the same wasm instructions whatever runs it);
- CPU time (user + system, from wait4's rusage) of wasmbox and each peer at
  a longer size, runs alternating, the median of the per-pair ratios;
- start-up: host instructions and peak RSS of an empty module and of hello
  world; binary sizes; the cost of fuel against a build with metering
  compiled out (build-nofuel/, bench only);
- start-up of a large module (bench/gen_large_module.py): wasmbox, wasmbox
  with a warm translation cache, node;

and reads issue 12's goals off those figures (the first table).

Every run's output is compared with the native build's (CoreMark: its CRC
lines), so a fast wrong answer never counts. A runtime that is missing is
named and left out; nothing here fails because a peer is absent.

Writes FILE.md (default bench/results.md; --quick: BUILD/bench/results-quick.md)
and the chart beside it (FILE.svg) when python3-matplotlib is installed.
"""
import argparse
import datetime
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name: (small, large, timed) sizes, the workload's first argument(s). The
# callgrind difference (large - small) is ~15-20 M wasm instructions; the
# timed size runs a few hundred ms in wasmbox.
SIZES = {
    'coremark-mix': ('20', '420', '4000'),
    'fib': ('18', '28', '32'),
    'nbody': ('100', '10100', '200000'),
    'sha256': ('2', '32', '400'),
    'sieve': ('2', '42', '500'),
    # EEMBC CoreMark: seeds of its performance run, then the iteration count.
    'coremark': ('0x0 0x0 0x66 2', '0x0 0x0 0x66 22', '0x0 0x0 0x66 300'),
}
QUICK_SIZES = {'fib': ('10', '16', '22')}
KERNELS = ('fib', 'nbody', 'sha256', 'sieve')  # the "kernels" geomean


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Runtime:
    """One way of running a .wasm: argv for (file, args), or why it is missing."""

    def __init__(self, key, label, argv=None, missing=None, peer=True):
        self.key, self.label, self.argv, self.missing, self.peer = key, label, argv, missing, peer
        self.callgrind = True  # node's ~550 M instructions of start-up take ~25 s there

    def cmd(self, wasm, args):
        return self.argv + [wasm] + list(args)


def find_runtimes(build, nofuel_build, peers_dir):
    def exe(env, path, label):
        p = os.environ.get(env) or path
        if p and os.path.isfile(p) and os.access(p, os.X_OK):
            return p, None
        return None, f'{label}: not found at {p} (set {env})'

    rts = []
    wb = os.path.join(build, 'wasmbox')
    rts.append(Runtime('wasmbox', 'wasmbox', [wb, 'run'], peer=False))
    nf = os.path.join(nofuel_build, 'wasmbox')
    if os.path.isfile(nf):
        rts.append(Runtime('nofuel', 'wasmbox, no fuel', [nf, 'run'], peer=False))
    else:
        rts.append(Runtime('nofuel', 'wasmbox, no fuel', missing=f'{nf} not built (make bench builds it)',
                           peer=False))
    for key, label, env, name in (('wasm3', 'wasm3', 'WASM3', 'wasm3'),
                                  ('wamr', 'WAMR fast', 'IWASM', 'iwasm'),
                                  ('wamr-m', 'WAMR fast+metering', 'IWASM_METERING', 'iwasm-metering')):
        p, why = exe(env, os.path.join(peers_dir, name), label)
        rts.append(Runtime(key, label, [p] if p else None, why))
    node, why = exe('NODE', shutil.which('node') or 'node', 'node')
    rts.append(Runtime('node', 'node (V8)',
                       [node, '--no-warnings', os.path.join(HERE, 'node_wasi_run.mjs')] if node else None, why))
    return rts


def run(cmd, timeout=900, stdout=subprocess.PIPE):
    return subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)


def callgrind(cmd):
    """(instructions, stdout) of one run under callgrind, or (None, why)."""
    # WAMR touches its whole native stack bound up front: valgrind's default
    # 8 MB main stack is not enough for it.
    # --trace-children: a runtime started through a wrapper script is
    # counted whole (every process's count is summed).
    r = run(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null',
             '--main-stacksize=67108864', '--trace-children=yes'] + cmd)
    counts = re.findall(rb'Collected : (\d+)', r.stderr)
    if not counts:
        tail = r.stderr.decode(errors='replace').strip().splitlines()[-1:] or ['no output']
        return None, f'callgrind failed: {tail[0]}'
    return sum(int(c) for c in counts), r.stdout


def cpu_run(cmd):
    """(CPU seconds, exit status) of one run, output discarded: wait4's
    rusage, user + system, to the microsecond."""
    with open(os.devnull, 'wb') as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)


def rss_run(cmd, tmp):
    """(peak RSS in KB, exit status) of one run, through GNU time. Not from
    this process's wait4: a child's maxrss includes the memory it had
    between fork and exec, which here is a copy of Python (~16 MB); GNU
    time forks from a process of ~1 MB."""
    out = os.path.join(tmp, 'rss')
    with open(os.devnull, 'wb') as null:
        code = subprocess.call(['/usr/bin/time', '-f', '%M', '-o', out] + cmd, stdout=null, stderr=null)
    with open(out) as f:
        kb = f.read().strip().splitlines()[-1]
    return int(kb), code


def fuel_used(wasmbox, wasm, args, tmp):
    report = os.path.join(tmp, 'report.json')
    run([wasmbox, 'run', '--report', report, wasm] + list(args))
    with open(report) as f:
        m = re.search(r'"fuel_used":\s*(\d+)', f.read())
    return int(m.group(1)) if m else None


def comparable(name, out):
    """The part of a workload's output every correct run prints the same."""
    if name == 'coremark':  # timing lines differ; the CRCs must not
        return b'\n'.join(l for l in out.splitlines() if b'crc' in l)
    return out


def build_workloads(names, out):
    """Compile each workload to OUT/NAME.wasm and OUT/NAME.native."""
    cm = os.path.join(HERE, 'coremark')
    cm_src = [os.path.join(cm, f) for f in ('core_list_join.c', 'core_main.c', 'core_matrix.c',
                                            'core_state.c', 'core_util.c', 'posix/core_portme.c')]
    cm_flags = ['-I' + cm, '-I' + os.path.join(cm, 'posix'), '-DFLAGS_STR="-O2"']
    for name in names:
        wasm, native = os.path.join(out, name + '.wasm'), os.path.join(out, name + '.native')
        if name == 'coremark':
            src, flags = cm_src, cm_flags
        else:
            src, flags = [os.path.join(HERE, 'workloads', name + '.c')], []
        for cmd in (['clang', '--target=wasm32-wasi', '-O2'] + flags + ['-o', wasm] + src,
                    ['gcc', '-O2'] + flags + ['-o', native] + src + ['-lm']):
            r = run(cmd)
            if r.returncode:
                sys.exit(f'bench: building {name} failed: {" ".join(cmd)}\n{r.stderr.decode()}')


def build_startup(out):
    empty, hello = os.path.join(out, 'empty.wasm'), os.path.join(out, 'hello.wasm')
    for cmd in (['wat2wasm', os.path.join(HERE, 'startup', 'empty.wat'), '-o', empty],
                ['clang', '--target=wasm32-wasi', '-O2', '-o', hello, os.path.join(HERE, 'startup', 'hello.c')]):
        r = run(cmd)
        if r.returncode:
            sys.exit(f'bench: {" ".join(cmd)} failed\n{r.stderr.decode()}')
    return [('empty module', empty), ('hello world', hello)]


def fmt(x, spec='.2f'):
    return '—' if x is None else format(x, spec)


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def measure_instrs(names, sizes, rts, out, tmp, no_callgrind):
    """{name: {'fuel': dfuel, key: host/instr or None, 'notes': [...]}}."""
    wasmbox = rts[0].argv[0]
    res = {}
    for name in names:
        small, large, _ = (s.split() for s in sizes[name])
        wasm, native = os.path.join(out, name + '.wasm'), os.path.join(out, name + '.native')
        f1, f2 = fuel_used(wasmbox, wasm, small, tmp), fuel_used(wasmbox, wasm, large, tmp)
        row = {'fuel': f2 - f1, 'notes': [], 'dir': {}, 'wrong': set()}
        if no_callgrind:  # outputs are still checked, from plain runs
            n1, n2 = None, None
            ref = run([native] + large).stdout
        else:
            n1, _ = callgrind([native] + small)
            n2, ref = callgrind([native] + large)
        row['native'] = (n2 - n1) / row['fuel'] if n1 is not None else None
        for rt in rts:
            if rt.missing:
                continue
            if no_callgrind or not rt.callgrind:
                o2 = run(rt.cmd(wasm, large)).stdout
                if comparable(name, o2) != comparable(name, ref):
                    row['notes'].append(f'{rt.label}: output differs from the native build\'s; not counted')
                    row['wrong'].add(rt.key)
                continue
            log(f'bench: {name}: {rt.label} under callgrind')
            i1, o1 = callgrind(rt.cmd(wasm, small))
            i2, o2 = callgrind(rt.cmd(wasm, large))
            if i1 is None or i2 is None:
                row['notes'].append(f'{rt.label}: {o1 if i1 is None else o2}')
                row[rt.key] = None
            elif comparable(name, o2) != comparable(name, ref):
                row['notes'].append(f'{rt.label}: output differs from the native build\'s; not counted')
                row['wrong'].add(rt.key)
                row[rt.key] = None
            else:
                row['dir'][rt.key] = i2 - i1
                row[rt.key] = (i2 - i1) / row['fuel']
        res[name] = row
    return res


def measure_cpu(names, sizes, rts, out, runs, instrs):
    """{name: {peer key: (median ratio wasmbox/peer, median wb s, median peer s)}};
    a runtime whose output was wrong (instrs[name]['wrong']) is not timed."""
    wb = rts[0]
    res = {}
    for name in names:
        args = sizes[name][2].split()
        wasm = os.path.join(out, name + '.wasm')
        res[name] = {}
        for rt in rts[1:]:
            if rt.missing or not rt.peer or rt.key in instrs[name]['wrong']:
                continue
            log(f'bench: {name}: CPU time, wasmbox and {rt.label} alternating x{runs}')
            ratios, tw, tp = [], [], []
            for i in range(runs):
                order = (wb, rt) if i % 2 == 0 else (rt, wb)
                t = {}
                for r in order:
                    secs, code = cpu_run(r.cmd(wasm, args))
                    t[r.key] = secs if code == 0 else None
                if t[wb.key] and t[rt.key]:
                    ratios.append(t[wb.key] / t[rt.key])
                    tw.append(t[wb.key])
                    tp.append(t[rt.key])
            res[name][rt.key] = ((statistics.median(ratios), statistics.median(tw), statistics.median(tp))
                                 if ratios else None)
    return res


def measure_startup(modules, rts, runs, tmp, no_callgrind):
    """[(module, runtime label, instructions or None, median peak RSS KB or None, note)]."""
    rows = []
    for mname, wasm in modules:
        for rt in rts:
            if rt.missing or rt.key == 'nofuel':
                continue
            log(f'bench: start-up, {mname}: {rt.label}')
            if no_callgrind or not rt.callgrind:
                ir, note = None, '(not run under callgrind)'
            else:
                ir, note = callgrind(rt.cmd(wasm, []))
                note = note if ir is None else ''
            rss = []
            for _ in range(runs):
                kb, code = rss_run(rt.cmd(wasm, []), tmp)
                if code == 0:
                    rss.append(kb)
            rows.append((mname, rt.label, ir, statistics.median(rss) if rss else None, note))
    return rows


def timed_run(cmd):
    """(wall s, CPU s, peak RSS KB, stdout) of one run: wait4's rusage (user +
    system of all its threads, to the microsecond; ru_maxrss, which here
    cannot be the fork's copy of Python: the runs measured take several
    times its ~16 MB)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, out if p.returncode == 0 else None


def measure_large(rts, out, tmp, runs):
    """Start-up of the large module (bench/gen_large_module.py, 56.6 MB):
    wasmbox without and with a warm translation cache, and node, runs
    alternating; each run's time is its time to the first instruction plus
    a few ms (its _start runs 16 functions and prints ok). {side: (median
    wall, median CPU, median peak RSS KB)} and the module's size, or a
    sentence saying why not."""
    module = os.path.join(out, 'large.wasm')
    if not os.path.isfile(module):
        log('bench: generating the large module (bench/gen_large_module.py --mb 55)')
        r = run([sys.executable, os.path.join(HERE, 'gen_large_module.py'), module, '--mb', '55'])
        if r.returncode:
            return f'not measured: gen_large_module.py failed: {r.stderr.decode(errors="replace")[-200:]}'
    wb, node = rts[0], next(rt for rt in rts if rt.key == 'node')
    cache = os.path.join(tmp, 'large-cache')
    sides = [('wasmbox', wb.argv + [module]),
             ('wasmbox, cache warm', [wb.argv[0], 'run', '--cache-dir', cache, module])]
    if not node.missing:
        sides.append(('node (V8)', node.argv + [module]))
    if (timed_run(sides[1][1])[3] or b'').strip() != b'ok':  # fills the cache
        return 'not measured: the large module did not print ok under wasmbox'
    got = {name: [] for name, _ in sides}
    log(f'bench: large module: {", ".join(got)} alternating x{runs}')
    for _ in range(runs):
        for name, cmd in sides:
            wall, cpu, rss, o = timed_run(cmd)
            if (o or b'').strip() != b'ok':
                return f'not measured: {name} printed {o!r}, not ok'
            got[name].append((wall, cpu, rss))
    med = {name: tuple(statistics.median(r[i] for r in rows) for i in range(3)) for name, rows in got.items()}
    return med, os.path.getsize(module)


def startup_list_check(build, tmp):
    """Whether tools/startup_functions.txt still names every function of
    wasmbox a plain start runs (the link places those first; a stale list
    costs peak RSS: bench/README.md "Start-up"). A sentence for results.md."""
    fresh = os.path.join(tmp, 'startup_functions.txt')
    r = run(['bash', os.path.join(HERE, 'startup_functions.sh'), build, fresh], stdout=subprocess.DEVNULL)
    if r.returncode != 0:
        why = r.stderr.decode(errors='replace').strip()[-200:]
        return f'The start-up list was not checked: bench/startup_functions.sh failed ({why}).'
    def names(path):
        with open(path) as f:
            return {l.strip() for l in f if l.strip() and not l.startswith('#')}
    missing = sorted(names(fresh) - names(os.path.join(ROOT, 'tools', 'startup_functions.txt')))
    if not missing:
        return 'tools/startup_functions.txt names every function a start runs.'
    return (f'tools/startup_functions.txt is stale: {len(missing)} function(s) a start runs are not in it '
            f'({", ".join(missing[:8])}{", ..." if len(missing) > 8 else ""}); '
            'rerun `bench/startup_functions.sh build` and commit the list.')


def nofuel_works(nofuel, out):
    """Whether the no-fuel build really has metering compiled out: with fuel,
    fib(22) stops at --fuel 1000 (exit 137); without, it finishes."""
    r = run([nofuel, 'run', '--fuel', '1000', os.path.join(out, 'fib.wasm'), '22'], stdout=subprocess.DEVNULL)
    return r.returncode == 0


def binary_sizes(rts, tmp):
    rows = []
    for rt in rts:
        if rt.missing or rt.key in ('nofuel', 'node'):
            continue
        path = rt.argv[0]
        size = os.path.getsize(path)
        stripped = os.path.join(tmp, 'stripped')
        r = run(['strip', '-o', stripped, path])
        ssize = os.path.getsize(stripped) if r.returncode == 0 else None
        ldd = run(['ldd', path]).stdout.decode(errors='replace').splitlines()
        libs = [l.split()[0] for l in ldd if '=>' in l]
        rows.append((rt.label, size, ssize, libs))
    return rows


def git(*args):
    r = subprocess.run(['git', '-C', ROOT] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout.decode().strip()


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            m = re.search(r'model name\s*:\s*(.*)', f.read())
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    gcc = run(['gcc', '--version']).stdout.decode().splitlines()[0]
    clang = run(['clang', '--version']).stdout.decode().splitlines()[0]
    return (f'{cpu}, {os.cpu_count()} CPUs, Linux {platform.release()} {platform.machine()}; '
            f'{gcc}; {clang}')


def chart(path, names, instrs, cpu, rts):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return 'chart not drawn: python3-matplotlib is not installed (.ci/install-deps installs it)'
    peers = [rt for rt in rts if rt.peer and not rt.missing]
    fig, axes = plt.subplots(2, 1, figsize=(9, 8))
    width = 0.8 / max(1, len(peers))
    for ax, title, value in (
            (axes[0], 'host instructions per wasm instruction, wasmbox ÷ peer (callgrind)',
             lambda n, k: (instrs[n]['wasmbox'] / instrs[n][k]) if instrs[n].get(k) and instrs[n].get('wasmbox') else None),
            (axes[1], 'CPU time, wasmbox ÷ peer (median of alternating runs)',
             lambda n, k: cpu.get(n, {}).get(k, [None])[0] if cpu.get(n, {}).get(k) else None)):
        for i, rt in enumerate(peers):
            xs, ys = [], []
            for j, n in enumerate(names):
                v = value(n, rt.key)
                if v is not None:
                    xs.append(j + (i - (len(peers) - 1) / 2) * width)
                    ys.append(v)
            ax.bar(xs, ys, width, label=rt.label)
        ax.axhline(1.0, color='black', linewidth=0.8)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names)
        ax.set_title(title + '; below 1: wasmbox better', fontsize=10)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format='svg')
    return None


def goal_rows(names, instrs, cpu, startup, large):
    """Issue 12's goals, each as (goal, the measured figure, 'met' / 'not met'
    / 'not measured'), from this run's figures (bench/README.md "What is measured")."""
    rows = []

    def verdict(ok):
        return 'not measured' if ok is None else ('met' if ok else '**not met**')

    for n in ('coremark-mix', 'coremark'):
        if n not in names:
            continue
        x = instrs[n].get('wasmbox')
        rows.append((f'{n}: ≤ 2.9 host instructions per wasm instruction', fmt(x),
                     verdict(None if x is None else x <= 2.9)))
        c = cpu[n].get('wasm3')
        rows.append((f'{n}: CPU time ≤ 0.6 of wasm3\'s', fmt(c[0] if c else None),
                     verdict(None if not c else c[0] <= 0.6)))
    kern = [n for n in names if n in KERNELS]
    if kern:
        g = geomean([cpu[n]['wasm3'][0] for n in kern if cpu[n].get('wasm3')])
        rows.append(('kernels (' + ', '.join(kern) + '): CPU time ≤ 0.45 of wasm3\'s, geomean', fmt(g),
                     verdict(None if g is None else g <= 0.45)))
    fuel = {n: instrs[n]['dir']['wasmbox'] / instrs[n]['dir']['nofuel'] for n in names
            if instrs[n]['dir'].get('wasmbox') and instrs[n]['dir'].get('nofuel')}
    if fuel:
        over = [f'{n} +{(f - 1) * 100:.1f}%' for n, f in fuel.items() if f > 1.05]
        worst = max(fuel, key=fuel.get)
        rows.append(('fuel costs ≤ 5% of host instructions (each workload)',
                     f'highest {worst} +{(fuel[worst] - 1) * 100:.1f}%' + (f'; over: {", ".join(over)}' if over else ''),
                     verdict(not over)))
    by = {(m, label): (ir, rss) for m, label, ir, rss, _ in startup}
    for m in ('empty module', 'hello world'):
        wb, w3 = by.get((m, 'wasmbox')), by.get((m, 'wasm3'))
        if not wb:
            continue
        ok = None if not (wb[0] and w3 and w3[0]) else wb[0] <= w3[0]
        rows.append((f'start-up, {m}: host instructions ≤ wasm3\'s',
                     f'{fmt(wb[0] / 1e6 if wb[0] else None)} M against {fmt(w3[0] / 1e6 if w3 and w3[0] else None)} M',
                     verdict(ok)))
        rows.append((f'start-up, {m}: peak RSS ≤ 2.0 MB', f'{fmt(wb[1] / 1024 if wb[1] else None, ".1f")} MB',
                     verdict(None if not wb[1] else wb[1] / 1024 <= 2.0)))
    if isinstance(large, tuple):
        med, size = large
        wb, cached, node = med.get('wasmbox'), med.get('wasmbox, cache warm'), med.get('node (V8)')
        if node:
            rows.append(('large module: time to the first instruction ≤ node\'s (wall and CPU)',
                         f'wall {wb[0]:.2f} s against {node[0]:.2f} s, CPU {wb[1]:.2f} s against {node[1]:.2f} s',
                         verdict(wb[0] <= node[0] and wb[1] <= node[1])))
        empty = by.get(('empty module', 'wasmbox'))
        if empty and empty[1]:
            extra = wb[2] * 1024 - size - empty[1] * 1024
            rows.append(('large module: peak RSS ≤ the module + an empty start + 0.5 × the module',
                         f'{wb[2] / 1024:.1f} MB: the module {size / 2**20:.1f} MB + {empty[1] / 1024:.1f} MB '
                         f'+ {extra / 2**20:.1f} MB ({extra / size:.2f} × the module)',
                         verdict(extra <= 0.5 * size)))
        rows.append(('large module: a cached start under a fifth of an uncached one (CPU)',
                     f'{cached[1] * 1000:.0f} ms against {wb[1] * 1000:.0f} ms: {cached[1] / wb[1]:.3f}',
                     verdict(cached[1] < 0.2 * wb[1])))
    return rows


def write_results(path, svg, a, names, instrs, cpu, startup, sizes_rows, fuel_note, rts, chart_note, list_note,
                  large):
    lines = []
    w = lines.append
    # the results file and chart themselves do not count (the chart is
    # written first, and a rerun finds the last run's results modified)
    status = git('status', '--porcelain', '--untracked-files=no', '--', '.',
                 ':!bench/results.md', ':!bench/results.svg')
    commit = git('rev-parse', 'HEAD') + (' (with uncommitted changes)' if status else '')
    w('# Benchmark results' + (' (quick smoke run: tiny sizes, not figures to quote)' if a.quick else '')
      + (' (start-up only)' if a.startup_only else ''))
    w('')
    w(f'Written by `bench/run.py` (`make bench{" QUICK=1" if a.quick else ""}'
      f'{" STARTUP=1" if a.startup_only else ""}`) on '
      f'{datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}.')
    w(f'Commit: `{commit}`.')
    w(f'Machine: {machine()}.')
    w('Fuel is on in every wasmbox figure except the "no fuel" column. How each figure is taken: '
      'bench/README.md.')
    w('')
    missing = [rt for rt in rts if rt.missing]
    if missing:
        w('Not measured: ' + '; '.join(rt.missing for rt in missing) + '.')
        w('')
    if not a.startup_only:
        w('## Goals (issue 12; bench/README.md "What is measured" says how each is read)')
        w('')
        w('| goal | this run | |')
        w('|---|---|---|')
        for goal, fig, v in goal_rows(names, instrs, cpu, startup, large):
            w(f'| {goal} | {fig} | {v} |')
        w('')
    if not a.startup_only:
        cols = [rt for rt in rts if not rt.missing]
        w('## Host instructions per wasm instruction (callgrind; lower is better)')
        w('')
        w('| workload | wasm instrs | ' + ' | '.join(rt.label for rt in cols) + ' | native |')
        w('|---|---|' + '---|' * (len(cols) + 1))
        for n in names:
            r = instrs[n]
            w(f'| {n} | {r["fuel"] / 1e6:.2f} M | ' + ' | '.join(fmt(r.get(rt.key)) for rt in cols) +
              f' | {fmt(r["native"])} |')
        w('')
        w('node runs JIT-compiled code: its figure includes V8 compiling the module (tiering up as it runs)'
          + (' (not run under callgrind with --quick).' if a.quick else '.'))
        notes = [f'{n}: {x}' for n in names for x in instrs[n]['notes']]
        for x in notes:
            w(f'- {x}')
        w('')
        w('## Cost of fuel')
        w('')
        if fuel_note:
            w(fuel_note)
        else:
            w('| workload | host instructions with fuel ÷ without |')
            w('|---|---|')
            for n in names:
                d = instrs[n]['dir']
                w(f'| {n} | {fmt(d["wasmbox"] / d["nofuel"] if d.get("wasmbox") and d.get("nofuel") else None, ".3f")} |')
        w('')
        peers = [rt for rt in rts if rt.peer and not rt.missing]
        w(f'## CPU time, wasmbox ÷ peer (median of {a.runs} alternating pairs; below 1: wasmbox faster)')
        w('')
        w('| workload | size | ' + ' | '.join(rt.label for rt in peers) + ' |')
        w('|---|---|' + '---|' * len(peers))
        for n in names:
            cells = []
            for rt in peers:
                c = cpu[n].get(rt.key)
                cells.append('—' if not c else f'{c[0]:.2f} ({c[1] * 1000:.0f} / {c[2] * 1000:.0f} ms)')
            w(f'| {n} | {a.sizes[n][2]} | ' +
              ' | '.join(cells) + ' |')
        kern = [n for n in names if n in KERNELS]
        if kern:
            w('| kernels (geomean) | | ' + ' | '.join(
                fmt(geomean([cpu[n][rt.key][0] for n in kern if cpu[n].get(rt.key)])) for rt in peers) + ' |')
        w('')
        w('Whole processes (start-up included) at the size shown; in parentheses the medians of '
          'wasmbox and the peer.')
        w('')
    w(f'## Start-up (whole process; peak RSS the median of {a.startup_runs} runs)')
    w('')
    w('| module | runtime | host instructions | peak RSS |')
    w('|---|---|---|---|')
    for mname, label, ir, rss, note in startup:
        w(f'| {mname} | {label} | {fmt(ir / 1e6 if ir else None, ".2f") + " M" if ir else "— " + note} | '
          f'{fmt(rss / 1024 if rss else None, ".1f")} MB |')
    w('')
    if list_note:
        w(list_note)
        w('')
    if isinstance(large, tuple):
        med, size = large
        w(f'## Large module (start-up of {size / 2**20:.1f} MB, bench/gen_large_module.py; medians of {a.large_runs} '
          'alternating runs)')
        w('')
        w('| runtime | wall | CPU | peak RSS |')
        w('|---|---|---|---|')
        for name, (wall, c, rss) in med.items():
            w(f'| {name} | {wall:.3f} s | {c:.3f} s | {rss / 1024:.0f} MB |')
        w('')
    elif large:
        w(f'## Large module')
        w('')
        w(large[0].upper() + large[1:] + '.')
        w('')
    w('## Binary sizes')
    w('')
    w('| runtime | file | stripped | shared libraries loaded at start |')
    w('|---|---|---|---|')
    for label, size, ssize, libs in sizes_rows:
        w(f'| {label} | {size / 1024:.0f} KB | {fmt(ssize / 1024 if ssize else None, ".0f")} KB | '
          f'{", ".join(os.path.basename(l) for l in libs)} |')
    if not a.startup_only:
        w('')
        w('## Chart')
        w('')
        w(chart_note or f'![ratios against each peer]({os.path.basename(svg)})')
    w('')
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('build')
    ap.add_argument('workloads', nargs='*')
    ap.add_argument('--quick', action='store_true', help='smoke run: fib at tiny sizes, 2 runs')
    ap.add_argument('--out', help='results file (default bench/results.md; --quick: BUILD/bench/results-quick.md)')
    ap.add_argument('--runs', type=int, help='CPU-time pairs per workload and peer (default 7; --quick 2)')
    ap.add_argument('--no-callgrind', action='store_true',
                    help='no instruction counts (a sanitized build cannot run under valgrind); '
                         'outputs are still checked')
    ap.add_argument('--startup-only', action='store_true',
                    help='measure only start-up and binary sizes (no workloads, no CPU pairs); '
                         'default output BUILD/bench/results-startup.md')
    ap.add_argument('--startup-runs', type=int, help='peak-RSS runs per start-up module and runtime '
                                                     '(the median is reported; default 15; --quick 2)')
    ap.add_argument('--large-runs', type=int, default=9,
                    help='alternating runs of the large module\'s start-up (wasmbox, cached, node; default 9; '
                         '0 leaves it out; not with --quick or --startup-only)')
    ap.add_argument('--nofuel-build', default=os.path.join(ROOT, 'build-nofuel'))
    ap.add_argument('--peers', default=os.environ.get('PEERS_DIR', os.path.join(ROOT, '..', 'shared', 'peers')),
                    help='directory of the prebuilt peers (PEERS_DIR; default ../shared/peers)')
    a = ap.parse_args()
    a.runs = a.runs or (2 if a.quick else 7)
    # 15, not 5: peak RSS moves by up to 300 KB from run to run of one
    # binary (address-space randomisation shifts where the kernel's 64 KB
    # fault-around windows cut the code; bench/README.md "Start-up").
    a.startup_runs = a.startup_runs or (2 if a.quick else 15)
    build = os.path.abspath(a.build)
    if not os.access(os.path.join(build, 'wasmbox'), os.X_OK):
        sys.exit(f'bench: {build}/wasmbox not built (make BUILD={os.path.basename(build)})')
    for tool in ('clang', 'gcc', 'wat2wasm', '/usr/bin/time') + (() if a.no_callgrind else ('valgrind',)):
        if not shutil.which(tool):
            sys.exit(f'bench: {tool} is not installed (.ci/install-deps installs it)')
    sizes = a.sizes = QUICK_SIZES if a.quick else SIZES
    names = a.workloads or list(sizes)
    for n in names:
        if n not in sizes:
            sys.exit(f'bench: unknown workload {n!r} (known: {", ".join(sizes)})')
    out = os.path.join(build, 'bench')
    os.makedirs(out, exist_ok=True)
    if a.startup_only:
        names = []
    default_out = (os.path.join(out, 'results-startup.md') if a.startup_only
                   else os.path.join(out, 'results-quick.md') if a.quick
                   else os.path.join(HERE, 'results.md'))
    path = os.path.abspath(a.out or default_out)
    svg = os.path.splitext(path)[0] + '.svg'

    rts = find_runtimes(build, a.nofuel_build, a.peers)
    for rt in rts:
        rt.callgrind = not (a.quick and rt.key == 'node')
    for rt in rts:
        if rt.missing:
            log(f'bench: {rt.missing}; left out')
    if not a.startup_only:
        build_workloads(sorted(set(names) | {'fib'}), out)
    modules = build_startup(out)
    fuel_note = None
    nf = next(rt for rt in rts if rt.key == 'nofuel')
    if a.startup_only:
        fuel_note = 'Not measured: --startup-only.'
    elif nf.missing:
        fuel_note = f'Not measured: {nf.missing}.'
    elif not nofuel_works(nf.argv[0], out):
        fuel_note = ('Not measured: the no-fuel build still meters fuel (vm/ does not implement '
                     '`WB_NO_FUEL` yet), so its figures would be wasmbox\'s again.')
        nf.missing = 'wasmbox, no fuel: WB_NO_FUEL not implemented by vm/'
    with tempfile.TemporaryDirectory() as tmp:
        instrs = {} if a.startup_only else measure_instrs(names, sizes, rts, out, tmp, a.no_callgrind)
        cpu = {} if a.startup_only else measure_cpu(names, sizes, rts, out, a.runs, instrs)
        startup = measure_startup(modules, rts, a.startup_runs, tmp, a.no_callgrind)
        list_note = (None if a.no_callgrind or a.quick
                     else startup_list_check(build, tmp))
        sizes_rows = binary_sizes(rts, tmp)
        large = (None if a.startup_only or a.quick or a.large_runs == 0
                 else measure_large(rts, out, tmp, a.large_runs))
    chart_note = ('no chart: --startup-only measures no workloads' if a.startup_only
                  else chart(svg, names, instrs, cpu, rts))
    write_results(path, svg, a, names, instrs, cpu, startup, sizes_rows, fuel_note, rts, chart_note, list_note,
                  large)
    print(open(path).read())
    log(f'bench: wrote {path}' + ('' if chart_note else f' and {svg}'))


if __name__ == '__main__':
    main()
