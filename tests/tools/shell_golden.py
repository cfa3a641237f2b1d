#!/usr/bin/env python3
"""Golden tests of the sandbox shell (tests/golden/shell/*.t).

Each case runs in a fresh workspace (a temporary directory, mapped into the
sandbox at its own path, as the tool bridge maps it) and its stdout, stderr
and exit code are compared with the expected text written in the .t file.

    shell_golden.py --wasmbox BUILD/wasmbox --tool BUILD/tools/shell.wasm FILE.t...
    shell_golden.py --host BUILD/tests/tools/shell_host FILE.t...   (under ASan)
    shell_golden.py --bash FILE.t...  (the expectations against bash + GNU coreutils)

The .t format (tests/golden/shell/README.md):

    ### title [tags]
    --- setup            optional: bash run on the host in the workspace first
    touch -d '2020-01-02 03:04:05' old
    --- command          optional header: the command follows the title
    echo "$x" | tr a-z A-Z
    --- stdout           (-n: no newline at the end)
    HELLO
    --- stderr
    --- exit 0           (default 0)

Trailing empty lines of a section are ignored; <empty> stands for an empty
line. {WS} stands for the workspace's path. Tags: sandbox (the sandbox
differs from bash on purpose: not run with --bash), stderr (bash's stderr
differs in wording: --bash compares stdout and exit only), wasm (not run
with --host: it is about confinement).
"""
import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

SECTIONS = ("setup", "command", "stdout", "stderr", "exit")


class Case:
    def __init__(self, file, line, title, tags):
        self.file, self.line, self.title, self.tags = file, line, title, tags
        self.parts = {"command": []}
        self.nonl = False

    def text(self, name):
        lines = list(self.parts.get(name, []))
        while lines and lines[-1] == "":
            lines.pop()
        lines = ["" if l == "<empty>" else l for l in lines]
        if not lines:
            return ""
        s = "\n".join(lines)
        return s if (name == "stdout" and self.nonl) else s + "\n"


def parse(path):
    cases, cur, section = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("### "):
                title, tags = line[4:].strip(), set()
                if title.endswith("]") and "[" in title:
                    title, t = title[:-1].rsplit("[", 1)
                    tags = set(t.split())
                    title = title.strip()
                cur = Case(path, n, title, tags)
                cases.append(cur)
                section = "command"
                continue
            if cur is None:
                continue
            if line.startswith("--- "):
                words = line[4:].split()
                if not words or words[0] not in SECTIONS:
                    sys.exit(f"{path}:{n}: unknown section {line!r}")
                section = words[0]
                if section == "exit":
                    cur.parts["exit"] = [words[1]]
                    continue
                if section == "stdout" and "-n" in words[1:]:
                    cur.nonl = True
                cur.parts.setdefault(section, [])
                continue
            cur.parts.setdefault(section, []).append(line)
    return cases


def run_wasm(args, ws, command):
    inp = json.dumps({"command": command})
    # through the tool bridge, as an agent calls it: the built-in tools are
    # the directory of --tool (the shell's manifest beside its module)
    p = subprocess.run(
        [args.wasmbox, "tool", "call", "shell", "--builtin-dir", os.path.dirname(args.tool),
         "--workspace", ws, "--timeout", str(args.timeout)],
        input=inp.encode(), capture_output=True)
    return decode(p, "wasmbox")


def run_host(args, ws, command):
    inp = json.dumps({"command": command})
    env = {"PWD": ws, "HOME": ws, "PATH": "/usr/bin:/bin"}
    p = subprocess.run([args.host], input=inp.encode(), capture_output=True, cwd=ws, env=env,
                       timeout=args.timeout / 1000)
    if p.returncode != 0 or p.stderr:  # a sanitizer's report, a leak, a crash
        return None, f"shell_host exited {p.returncode}: {p.stderr[-2000:]!r}", -1
    return decode(p, "shell_host")


def decode(p, what):
    try:
        r = json.loads(p.stdout)
        s = r["structuredContent"]
        return s["stdout"], s["stderr"], s["exit_code"]
    except Exception:
        return None, f"{what} exited {p.returncode}: {p.stdout[:400]!r} {p.stderr[-800:]!r}", -1


def run_bash(args, ws, command):
    env = {"PATH": "/usr/bin:/bin", "HOME": ws, "PWD": ws, "LC_ALL": "C", "TZ": "UTC"}
    p = subprocess.run(["bash", "-c", command, "shell"], capture_output=True, cwd=ws, env=env,
                       stdin=subprocess.DEVNULL, timeout=60)
    return (p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), p.returncode)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmbox")
    ap.add_argument("--tool")
    ap.add_argument("--host")
    ap.add_argument("--bash", action="store_true")
    ap.add_argument("--timeout", type=int, default=30000)
    ap.add_argument("--only", help="run the cases whose title contains this")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.host:
        args.host = os.path.abspath(args.host)
    if args.bash:
        runner, mode = run_bash, "bash"
    elif args.host:
        runner, mode = run_host, "host"
    else:
        runner, mode = run_wasm, "wasm"
    fixture = os.path.join(os.path.dirname(os.path.abspath(args.files[0])), "fixture")
    passed = failed = skipped = 0
    for path in args.files:
        for c in parse(path):
            if args.only and args.only not in c.title:
                continue
            if (mode == "bash" and "sandbox" in c.tags) or (mode == "host" and "wasm" in c.tags):
                skipped += 1
                continue
            base = tempfile.mkdtemp(prefix="shell-golden-")
            ws = os.path.join(base, "ws")
            try:
                if os.path.isdir(fixture):
                    shutil.copytree(fixture, ws, symlinks=True)
                else:
                    os.mkdir(ws)
                setup = "\n".join(c.parts.get("setup", []))
                if setup:
                    subprocess.run(["bash", "-e", "-c", setup], cwd=ws, check=True,
                                   env={"PATH": "/usr/bin:/bin", "TZ": "UTC", "LC_ALL": "C"})
                command = "\n".join(c.parts["command"]).rstrip("\n")
                out, err, code = runner(args, ws, command)
            finally:
                shutil.rmtree(base, ignore_errors=True)
            if out is None:
                failed += 1
                print(f"FAIL {c.file}:{c.line}: {c.title}: {err}")
                continue
            out, err = out.replace(ws, "{WS}"), err.replace(ws, "{WS}")
            want_out, want_err = c.text("stdout"), c.text("stderr")
            want_code = int(c.parts.get("exit", ["0"])[0])
            problems = []
            if out != want_out:
                problems.append(("stdout", want_out, out))
            if err != want_err and not (mode == "bash" and "stderr" in c.tags):
                problems.append(("stderr", want_err, err))
            if code != want_code:
                problems.append(("exit", f"{want_code}\n", f"{code}\n"))
            if not problems:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {c.file}:{c.line}: {c.title} ({mode})")
            for what, want, got in problems:
                for d in difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                              f"expected {what}", f"{mode} {what}"):
                    sys.stdout.write("    " + d if d.endswith("\n") else "    " + d + "\n")
    print(f"shell golden ({mode}): {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
