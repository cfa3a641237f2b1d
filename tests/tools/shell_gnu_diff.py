#!/usr/bin/env python3
"""Differential test of the sandbox shell's diff, patch, cmp, comm, join,
paste and tsort against GNU diffutils, GNU patch and GNU coreutils on this
machine (tests/e2e/shell_gnu_diff.sh).

For each utility, a fixed seed generates many small cases (files of few
distinct lines, so that ties and repeats are common; perturbed targets for
patch, unsorted input now and then for comm and join). Every case is laid
out twice; the same commands run once under bash with the GNU programs
(LC_ALL=C) and once in one run of the shell's host build; each case's
stdout, stderr, exit status and, for patch, the files it leaves (.orig and
.rej included) must be the same.

    shell_gnu_diff.py SHELL_HOST [--seed N] [--cases N]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

TOKENS = ["a", "b", "A", "a ", "", "  ", "a  b", "a b", "B", "\t", "c", "d", "e", "f", "x1", "x2", "}", "{"]


def lines(rng, n, alpha):
    return [rng.choice(TOKENS[:alpha]) for _ in range(n)]


def edit(rng, seq, alpha, k):
    seq = list(seq)
    for _ in range(k):
        op = rng.random()
        if op < 0.35 and seq:
            del seq[rng.randrange(len(seq))]
        elif op < 0.7:
            seq.insert(rng.randint(0, len(seq)), rng.choice(TOKENS[:alpha]) + "n")
        elif seq:
            seq[rng.randrange(len(seq))] = rng.choice(TOKENS[:alpha]) + "m"
    return seq


def text(seq, final_newline=True):
    s = "".join(x + "\n" for x in seq)
    return s if final_newline or not s else s[:-1]


def gen_diff(rng, i):
    alpha = rng.choice([3, 5, 10, len(TOKENS)])
    a = lines(rng, rng.randint(0, rng.choice([5, 30, 120])), alpha)
    b = edit(rng, a, alpha, rng.randint(0, 8)) if rng.random() < 0.8 else lines(rng, rng.randint(0, 40), alpha)
    opts = rng.choice(["", "-u", "-U1", "-U0", "-i", "-w -u", "-b", "-B -u", "-B", "-q", "--minimal -u",
                       "--strip-trailing-cr -u", "-a -u", "-c", "-C1", "-C0", "-B -c", "-w -c"])
    files = {"A": text(a), "B": text(b, rng.random() < 0.8)}
    return files, f"diff {opts} --label x --label y A B" if any(f in opts for f in ("-u", "-U", "-c", "-C")) \
        else f"diff {opts} A B"


def gen_patch(rng, i, gnu_diff):
    alpha = rng.choice([3, 10, 18])
    a = [str(rng.randrange(alpha)) for _ in range(rng.randint(0, 50))]
    b = edit(rng, a, alpha, rng.randint(1, 6))
    ctx = rng.choice([0, 1, 2, 3, 3])
    la, lb, strip = rng.choice([("f", "f", ""), ("a/f", "b/f", "-p1"), ("f", "f\t2024-01-01 00:00:00", "")])
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "A"), "w") as f:
            f.write(text(a))
        with open(os.path.join(d, "B"), "w") as f:
            f.write(text(b))
        p = subprocess.run([gnu_diff, f"-U{ctx}", "--label", la, "--label", lb, "A", "B"], cwd=d,
                           capture_output=True).stdout.decode()
    target = edit(rng, a, alpha, rng.randint(0, 4)) if rng.random() < 0.8 else a
    opts = rng.choice(["", "", "-N", "-t", "-f", "-F0", "-F1", "--dry-run", "-R", "-s", "-l",
                       "--no-backup-if-mismatch", "-E"])
    return {"f": text(target), "p.diff": p}, f"patch {opts} {strip} -i p.diff; cat f.rej"


def gen_table(rng, i):
    def table():
        keys = sorted(rng.choice("abcdefA") for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.15:
            rng.shuffle(keys)
        out = []
        for k in keys:
            sep = rng.choice([" ", " ", "  ", "\t"])
            rest = sep.join(rng.choice(["1", "2", "x", "yy", ""]) for _ in range(rng.randint(0, 3)))
            out.append(rng.choice(["", "", " "]) + k + (sep + rest if rest or rng.random() < 0.2 else ""))
        return text(out)
    tool = rng.choice(["join", "comm", "paste", "cmp"])
    pick = {
        "join": ["-a1", "-a2", "-v1", "-v2", "-i", "-e E", "-o auto", "-o 0,1.2,2.2", "--check-order",
                 "--nocheck-order", "-t ' '", "-j 2", "-1 2", "--header"],
        "comm": ["-1", "-2", "-3", "--total", "--check-order", "--nocheck-order", "--output-delimiter=::"],
        "paste": ["-s", "-d ,", "-d ',;'", "-d '\\n'"],
        "cmp": ["-l", "-b", "-s", "-n 7", "-i 2", "-i 1:3"],
    }[tool]
    opts = " ".join(rng.sample(pick, rng.randint(0, 3 if tool != "cmp" else 2)))
    return {"A": table(), "B": table()}, f"{tool} {opts} A B"


def gen_tsort(rng, i):
    names = [rng.choice(["a", "b", "c", "d", "e", "f", "g", "x1", "x2", "zz"]) for _ in range(rng.randint(1, 12))]
    pairs = []
    for _ in range(rng.randint(0, 15)):
        x, y = rng.randrange(len(names)), rng.randrange(len(names))
        if rng.random() < 0.8 and x > y:
            x, y = y, x
        pairs.append(f"{names[x]}{rng.choice([' ', chr(9), chr(10)])}{names[y]}")
    t = "\n".join(pairs) + ("\n" if pairs else "")
    if rng.random() < 0.1:
        t += " odd"
    return {"in": t}, "tsort in"


def lay_out(root, cases):
    for i, (files, _) in enumerate(cases):
        d = os.path.join(root, f"c{i}")
        os.makedirs(d)
        for name, body in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(body)


def script(cases):
    # each case in its directory; its outputs beside the directories
    return "".join(f"cd c{i}; {{ {cmd} ; }} > ../o{i} 2> ../e{i}; echo $? > ../s{i}; cd ..\n"
                   for i, (_, cmd) in enumerate(cases))


def snapshot(root, n):
    out = []
    for i in range(n):
        files = {}
        d = os.path.join(root, f"c{i}")
        for dirpath, _, names in os.walk(d):
            for name in names:
                p = os.path.join(dirpath, name)
                with open(p, "rb") as f:
                    files[os.path.relpath(p, d)] = f.read()
        res = []
        for pre in ("o", "e", "s"):
            with open(os.path.join(root, f"{pre}{i}"), "rb") as f:
                res.append(f.read())
        out.append((res, files))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=150)
    args = ap.parse_args()
    args.host = os.path.abspath(args.host)
    gnu_diff = shutil.which("diff")
    rng = random.Random(args.seed)
    suites = {
        "diff": [gen_diff(rng, i) for i in range(args.cases)],
        "patch": [gen_patch(rng, i, gnu_diff) for i in range(args.cases)],
        "cmp/comm/join/paste": [gen_table(rng, i) for i in range(args.cases)],
        "tsort": [gen_tsort(rng, i) for i in range(args.cases)],
    }
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"}
    failed = 0
    for name, cases in suites.items():
        results = []
        for runner in ("gnu", "ours"):
            root = tempfile.mkdtemp()
            lay_out(root, cases)
            cmd = script(cases)
            if runner == "gnu":
                subprocess.run(["bash", "-c", cmd], cwd=root, env=env, stdin=subprocess.DEVNULL, check=False)
            else:
                p = subprocess.run([args.host], input=json.dumps({"command": cmd}).encode(), cwd=root,
                                   env={"PWD": root, "HOME": root, "PATH": "/usr/bin:/bin"}, capture_output=True)
                if p.returncode != 0 or p.stderr:  # a crash, or a sanitizer's report
                    print(f"FAIL {name}: shell_host exited {p.returncode}: {p.stderr[-2000:]!r}")
                    failed += 1
                    shutil.rmtree(root)
                    results = None
                    break
            results.append(snapshot(root, len(cases)))
            shutil.rmtree(root)
        if results is None:
            continue
        bad = [i for i in range(len(cases)) if results[0][i] != results[1][i]]
        for i in bad[:3]:
            print(f"FAIL {name} case {i}: {cases[i][1]!r}")
            print(f"  files: {json.dumps(cases[i][0])[:600]}")
            print(f"  gnu:  {results[0][i][0]!r}")
            print(f"  ours: {results[1][i][0]!r}")
            for f in sorted(set(results[0][i][1]) | set(results[1][i][1])):
                if results[0][i][1].get(f) != results[1][i][1].get(f):
                    print(f"  file {f}: gnu {results[0][i][1].get(f)!r} ours {results[1][i][1].get(f)!r}")
        print(f"{name}: {len(cases) - len(bad)} of {len(cases)} cases as GNU's")
        failed += len(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
