#!/usr/bin/env python3
"""Mutation fuzzing of the sandbox shell with a fixed seed.

Commands from the golden tests (tests/golden/shell/*.t) are mutated (bytes
flipped, inserted, deleted, spans repeated, truncated, shell punctuation
and invalid UTF-8 added) and run:

- through `wasmbox run` (inside the sandbox, so whatever a mutation asks
  for cannot touch the host): every run must end with a valid result
  (exit 0) or be stopped by the run's fuel or time limit (137), never a
  trap or a crash of the shell;
- through the host build of the shell (under ASan/UBSan with SAN=1) with
  `set -n` first, so that only the parser runs (a mutated command must
  never be executed outside the sandbox): it must exit 0 with no sanitizer
  report.

    shell_fuzz.py --wasmbox W --tool T --host H [--seed N] [--wasm-runs N] [--host-runs N] FILE.t...
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shell_golden import parse  # noqa: E402

PUNCT = [b"$(", b"`", b"${", b"}", b"((", b"))", b"[[", b"]]", b"<<", b"<<<", b"|", b"&&", b"||",
         b";", b";;", b"&", b">", b"<(", b"'", b'"', b"\\", b"\n", b"{", b"*", b"?", b"[", b"#",
         b"$((", b"${x:-", b"${#", b"case x in", b"if", b"fi", b"do", b"done", b"EOF", b"\xff", b"\xc3",
         b"\x00"[:0], b"$@", b"$*", b"$?", b"f(){", b" f", b"!", b"2>&1", b"{1..", b"..9}"]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if op == 0 and data:  # flip a byte
            i = rng.randrange(len(data))
            data[i] = rng.randrange(1, 256)
        elif op == 1:  # insert punctuation
            i = rng.randrange(len(data) + 1)
            data[i:i] = rng.choice(PUNCT)
        elif op == 2 and data:  # delete a span
            i = rng.randrange(len(data))
            del data[i:i + rng.randint(1, 8)]
        elif op == 3 and data:  # repeat a span
            i = rng.randrange(len(data))
            span = data[i:i + rng.randint(1, 16)]
            data[i:i] = span * rng.randint(2, 40)
        elif op == 4 and data:  # truncate
            del data[rng.randrange(len(data)):]
        else:  # nest
            data = bytearray(b"$(" * rng.randint(1, 3)) + data + bytearray(b")" * rng.randint(0, 3))
    return bytes(data).replace(b"\x00", b"")


def result_ok(stdout):
    try:
        r = json.loads(stdout)
        return isinstance(r.get("content"), list) and isinstance(r.get("is_error"), bool)
    except Exception:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmbox", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wasm-runs", type=int, default=120)
    ap.add_argument("--host-runs", type=int, default=600)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    args.host = os.path.abspath(args.host)
    corpus = []
    for f in args.files:
        for c in parse(f):
            corpus.append("\n".join(c.parts["command"]).encode())
    rng = random.Random(args.seed)
    failures = 0
    base = tempfile.mkdtemp(prefix="shell-fuzz-")
    ws = os.path.join(base, "ws")
    try:
        for n in range(args.wasm_runs):
            cmd = mutate(rng, rng.choice(corpus))
            shutil.rmtree(ws, ignore_errors=True)
            os.mkdir(ws)
            # the command as JSON text: invalid UTF-8 is passed as escapes of U+FFFD
            inp = json.dumps({"command": cmd.decode("utf-8", "replace")}).encode()
            p = subprocess.run([args.wasmbox, "run", "--dir", f"{ws}::{ws}", "--env", f"PWD={ws}",
                                "--timeout", "5000", "--fuel", "300000000", "--max-memory", "512M",
                                args.tool], input=inp, capture_output=True)
            if not ((p.returncode == 0 and result_ok(p.stdout)) or p.returncode == 137):
                failures += 1
                print(f"FAIL shell_fuzz wasm run {n} (seed {args.seed}): exit {p.returncode}\n"
                      f"  command: {cmd!r}\n  stderr: {p.stderr[-600:]!r}")
        for n in range(args.host_runs):
            cmd = mutate(rng, rng.choice(corpus))
            text = "set -n\n" + cmd.decode("utf-8", "replace")
            inp = json.dumps({"command": text}).encode()
            p = subprocess.run([args.host], input=inp, capture_output=True, cwd=base,
                               env={"PWD": base, "HOME": base}, timeout=60)
            if p.returncode != 0 or p.stderr or not result_ok(p.stdout):
                failures += 1
                print(f"FAIL shell_fuzz host parse {n} (seed {args.seed}): exit {p.returncode}\n"
                      f"  command: {cmd!r}\n  stderr: {p.stderr[-1500:]!r}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"shell fuzz (seed {args.seed}): {args.wasm_runs} sandboxed runs, {args.host_runs} host parses, "
          f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
