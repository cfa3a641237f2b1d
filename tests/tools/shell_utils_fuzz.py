#!/usr/bin/env python3
"""Random invocations of the shell's checksum, encoding and file utilities.

Each run makes a fresh workspace holding a few files of random bytes, a
checksum file, a directory, a symlink, then runs one utility with options
drawn from its own list and operands drawn from those names (and "-",
"nope"), its stdin a file of random bytes. Every run must end with a valid
JSON result and, for the host build (under ASan/UBSan with SAN=1), exit 0
with no sanitizer report; through wasmbox, exit 0 (no trap).

The commands are only ever these utilities on names inside the workspace,
so running them on the host build is safe (unlike shell_fuzz.py's mutated
commands, which the host build only parses).

    shell_utils_fuzz.py --host H [--wasmbox W --tool T] [--seed N] [--runs N] [--wasm-runs N]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

UTILS = {
    "md5sum": ["-b", "-t", "-c", "--tag", "-z", "--quiet", "--status", "--strict", "-w", "--ignore-missing"],
    "sha1sum": ["-c", "--tag", "-z"],
    "sha256sum": ["-c", "--tag", "-z", "--strict"],
    "sha512sum": ["-c", "--tag", "-b"],
    "b2sum": ["-l", "8", "-l", "0", "-l", "512", "-l", "7", "-c", "--tag", "-z"],
    "cksum": ["-a", "md5", "-a", "sha1", "-a", "bsd", "-a", "sysv", "-a", "blake2b", "-a", "sm3", "-l", "16",
              "-c", "--untagged", "-z", "--tag"],
    "sum": ["-r", "-s"],
    "base64": ["-d", "-i", "-w", "0", "-w", "1", "-w", "7"],
    "base32": ["-d", "-i", "-w", "3"],
    "basenc": ["--base64url", "--base32hex", "--base16", "--base2msbf", "--base2lsbf", "--z85", "-d", "-i",
               "-w", "5"],
    "od": ["-A", "x", "-A", "n", "-A", "d", "-t", "x1z", "-t", "c", "-t", "a", "-t", "f4", "-t", "f8", "-t",
           "d8", "-t", "u2", "-t", "o4", "-N", "7", "-j", "3", "-w3", "-w8", "-w", "-v", "-c", "-b", "-x", "-i",
           "-l", "-s", "-f", "--endian=big"],
    "stat": ["-L", "-t", "-c", "%n %s %a %A %F %b %x %X %.4Y %10n %-4s %m", "--printf", "%N\\n%%\\x41\\101", "-c",
             "%", "-c", "%-"],
    "du": ["-a", "-s", "-c", "-h", "-d", "1", "-b", "-m", "--apparent-size", "-L", "-0"],
    "truncate": ["-s", "+5", "-s", "-3", "-s", "%7", "-s", "/2", "-s", ">9", "-s", "0", "-c", "-r"],
    "shred": ["-n", "1", "-z", "-x", "-s", "5", "-u", "-v"],
    "pathchk": ["-p", "-P", "--portability"],
    "mktemp": ["-d", "-u", "-q", "-p", ".", "--suffix=.x", "XXX", "aXXXXXX"],
    "chmod": ["-v", "-R", "-c", "755", "u+x", "a=r", "go-w", "-x", "+t", "9"],
    "df": ["-h", "-T", "-i", "--total"],
    "link": [],
    "unlink": [],
}
NAMES = ["f1", "f2", "bin", "sums", "d", "nope", "-", "l", "d/e", "--"]
CHECK_LINES = [b"MD5 (f1) = 0123", b"d41d8cd98f00b204e9800998ecf8427e  f1\n", b"# x\n\r\n", b"AAAA====\n",
               b"Zg==Zg\n", b"0101 0110", b"BLAKE2b-8 (f1) = ab\n", b"abcd", b"\\d41d8cd98f00b204e9800998ecf8427e  f\\n1\n",
               b"SHA1 (bin) = da39a3ee5e6b4b0d3255bfef95601890afd80709\n"]


def workspace(rng, ws):
    os.makedirs(os.path.join(ws, "d", "e"))
    with open(os.path.join(ws, "f1"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))))
    with open(os.path.join(ws, "bin"), "wb") as f:
        f.write(bytes(rng.choice(b"\0\n =A\x7f\xff\\Zg0") for _ in range(rng.randint(0, 200))))
    with open(os.path.join(ws, "f2"), "wb") as f:
        f.write(b"".join(rng.choice(CHECK_LINES) for _ in range(rng.randint(0, 4))))
    with open(os.path.join(ws, "sums"), "wb") as f:
        f.write(subprocess.run(["md5sum", "f1", "f2", "bin"], cwd=ws, capture_output=True).stdout)
    os.symlink("f1", os.path.join(ws, "l"))


def command(rng):
    u = rng.choice(sorted(UTILS))
    args = [u] + [rng.choice(UTILS[u]) for _ in range(rng.randint(0, 4)) if UTILS[u]]
    args += [rng.choice(NAMES) for _ in range(rng.randint(0, 3))]
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in args)
    return quoted + " < bin"


def run_one(argv, cmd, ws):
    r = subprocess.run(argv, input=json.dumps({"command": cmd}).encode(), capture_output=True, cwd=ws,
                       env={"PWD": ws, "HOME": ws, "PATH": "/usr/bin:/bin"}, timeout=120)
    problem = None
    if r.returncode != 0:
        problem = f"exit {r.returncode}"
    elif b"runtime error" in r.stderr or b"Sanitizer" in r.stderr:
        problem = "sanitizer report"
    else:
        try:
            json.loads(r.stdout)
        except ValueError:
            problem = "not a JSON result"
    if problem:
        print(f"shell_utils_fuzz: {cmd!r}: {problem}\n{r.stderr[-3000:].decode(errors='replace')}")
    return problem is None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--wasmbox")
    ap.add_argument("--tool")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--wasm-runs", type=int, default=40)
    a = ap.parse_args()
    a.host = os.path.abspath(a.host)  # the runs are in their workspaces
    if a.wasmbox:
        a.wasmbox, a.tool = os.path.abspath(a.wasmbox), os.path.abspath(a.tool)
    rng = random.Random(a.seed)
    top = tempfile.mkdtemp(prefix="shell-utils-fuzz.")
    failed = 0
    try:
        for i in range(a.runs + (a.wasm_runs if a.wasmbox else 0)):
            ws = os.path.join(top, str(i))
            workspace(rng, ws)
            cmd = command(rng)
            if i < a.runs:
                argv = [a.host]
            else:
                argv = [a.wasmbox, "run", "--timeout", "60000", "--dir", f"{ws}::{ws}", "--env", f"PWD={ws}",
                        "--env", f"HOME={ws}", a.tool]
            if not run_one(argv, cmd, ws):
                failed += 1
            shutil.rmtree(ws, ignore_errors=True)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    total = a.runs + (a.wasm_runs if a.wasmbox else 0)
    print(f"shell_utils_fuzz: {total - failed} of {total} runs ended well (seed {a.seed})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
