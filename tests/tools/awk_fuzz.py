#!/usr/bin/env python3
"""Mutation fuzzing of the sandbox shell's awk with a fixed seed.

The awk programs of tests/golden/shell/utils_awk.t (each 'single-quoted'
argument of an awk command) are mutated (bytes flipped, awk punctuation
and keywords inserted, spans deleted, repeated, truncated) and run as
`awk -f prog.awk in` on a small input:

- through `wasmbox run` (inside the sandbox, where whatever a mutation asks
  for cannot touch the host): every run must end with a valid result
  (exit 0) or be stopped by the run's fuel or time limit (137), never a
  trap or a crash;
- through the host build of the shell (under ASan/UBSan with SAN=1), but
  only mutations that cannot write a file or run a command (no '>', '|' or
  "system" in the program: awk has no other way to do either), in a
  temporary directory: the result must be valid and no sanitizer report
  may appear. A program that loops is stopped by a timeout (a limit, not
  a failure).

    awk_fuzz.py --wasmbox W --tool T --host H [--seed N] [--wasm-runs N] [--host-runs N] FILE.t
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shell_golden import parse  # noqa: E402

PUNCT = [b"{", b"}", b"(", b")", b"[", b"]", b"$", b"$NF", b"/", b"/[", b"\\", b'"', b";", b"\n",
         b",", b"++", b"--", b"=", b"+=", b"^", b"**", b"?", b":", b"~", b"!~", b"&&", b"||", b"!",
         b" in ", b"getline", b"getline x <", b"function f(a){return f(a)}", b"f(", b"BEGIN",
         b"END", b"next", b"nextfile", b"exit", b"delete", b"for(k in a)", b"while(", b"do ",
         b"if(", b"else", b"printf \"%", b"%*.*d", b"sprintf(", b"substr(", b"split(", b"gsub(",
         b"sub(", b"match(", b"length", b"NF=", b"$(1e9)", b"$(-1)", b"1e308*10", b"RS=\"\"",
         b"FS=\"[\"", b"RS=\"x*\"", b"\xff", b"\xc3", b"#", b"@", b"0x", b".5e", b"SUBSEP"]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        if op == 0 and data:  # flip a byte
            i = rng.randrange(len(data))
            data[i] = rng.randrange(1, 256)
        elif op == 1:  # insert awk punctuation or a keyword
            i = rng.randrange(len(data) + 1)
            data[i:i] = rng.choice(PUNCT)
        elif op == 2 and data:  # delete a span
            i = rng.randrange(len(data))
            del data[i:i + rng.randint(1, 8)]
        elif op == 3 and data:  # repeat a span
            i = rng.randrange(len(data))
            span = data[i:i + rng.randint(1, 16)]
            data[i:i] = span * rng.randint(2, 60)
        elif data:  # truncate
            del data[rng.randrange(len(data)):]
    return bytes(data).replace(b"\x00", b"")


def may_act(prog):
    """Could the program write a file or run a command?"""
    return b">" in prog or b"|" in prog or b"system" in prog


def result_ok(stdout):
    try:
        r = json.loads(stdout)
        return isinstance(r.get("content"), list) and isinstance(r.get("is_error"), bool)
    except Exception:
        return False


INPUT = b"a b c\n1 2 3\n\nfoo:bar baz\n" + b"x" * 3000 + b"\n\xff\xfe bin\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmbox", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wasm-runs", type=int, default=80)
    ap.add_argument("--host-runs", type=int, default=400)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    args.host = os.path.abspath(args.host)
    corpus = []
    for f in args.files:
        for c in parse(f):
            text = "\n".join(c.parts["command"])
            corpus += [m.encode() for m in re.findall(r"awk[^'\n]*'([^']+)'", text)]
    if not corpus:
        print("awk fuzz: no awk programs found in the corpus files")
        return 1
    rng = random.Random(args.seed)
    failures = limits = 0
    base = tempfile.mkdtemp(prefix="awk-fuzz-")
    ws = os.path.join(base, "ws")

    def fresh(prog):
        shutil.rmtree(ws, ignore_errors=True)
        os.mkdir(ws)
        with open(os.path.join(ws, "prog.awk"), "wb") as f:
            f.write(prog)
        with open(os.path.join(ws, "in"), "wb") as f:
            f.write(INPUT)
        return json.dumps({"command": "awk -f prog.awk in"}).encode()

    try:
        for n in range(args.wasm_runs):
            prog = mutate(rng, rng.choice(corpus))
            inp = fresh(prog)
            p = subprocess.run([args.wasmbox, "run", "--dir", f"{ws}::{ws}", "--env", f"PWD={ws}",
                                "--timeout", "5000", "--fuel", "300000000", "--max-memory", "512M",
                                args.tool], input=inp, capture_output=True)
            if p.returncode == 137:
                limits += 1
            elif not (p.returncode == 0 and result_ok(p.stdout)):
                failures += 1
                print(f"FAIL awk_fuzz wasm run {n} (seed {args.seed}): exit {p.returncode}\n"
                      f"  program: {prog!r}\n  stderr: {p.stderr[-600:]!r}")
        done = 0
        while done < args.host_runs:
            prog = mutate(rng, rng.choice(corpus))
            if may_act(prog):
                continue
            done += 1
            inp = fresh(prog)
            try:
                p = subprocess.run([args.host], input=inp, capture_output=True, cwd=ws,
                                   env={"PWD": ws, "HOME": ws}, timeout=10)
            except subprocess.TimeoutExpired:
                limits += 1
                continue
            if p.returncode != 0 or p.stderr or not result_ok(p.stdout):
                failures += 1
                print(f"FAIL awk_fuzz host run {done} (seed {args.seed}): exit {p.returncode}\n"
                      f"  program: {prog!r}\n  stderr: {p.stderr[-1500:]!r}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"awk fuzz (seed {args.seed}): {args.wasm_runs} sandboxed runs, {args.host_runs} host runs, "
          f"{limits} stopped by a limit, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
