#!/usr/bin/env python3
"""Tool-call latency: each built-in tool through `wasmbox tool call`, as a
whole process, against node's WASI (V8) running the same module on the same
workspace, in the same run; and the shell tool's pipeline against the host's
own bash and coreutils (bench/README.md, "Tool calls"). The grep cases
have a second peer, the host's own GNU grep (`grep -r -l -E`, `grep -rn -E`)
on the same checkout, so their distance from native grep on this machine
(whose system calls dominate a native grep) is measured every run.

    bench/tools.py BUILD [--runs N] [--case NAME]...

The workspace is a checkout of this repository (`git archive HEAD`) plus a
100 KB text file for `read`. Every run's result is checked (exit code 0, a
JSON result with is_error false; the shell's stdout equal to the host's), so
a fast wrong answer is never a figure. Runs of the two sides alternate, so a
change in the machine's load hits both. Prints p50 and p99 (nearest rank)
per side and the ratio of the p50s, the median user and system CPU time of
a call (getrusage of the child: unlike the wall clock, little moved by other
jobs on the machine), and the wasm instructions wasmbox's
guest ran (`meta.fuel_used`: exact, the same every run and on any load,
so it shows the guest's own cost when the wall clock is noisy).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

PIPELINE = "cat vm/*.c wasi/*.c | grep -o '[a-z_][a-z_0-9]*(' | sort | uniq -c | sort -rn | head -20"


def make_workspace(root):
    ws = os.path.join(root, "ws")
    os.mkdir(ws)
    archive = subprocess.run(["git", "-C", REPO, "archive", "HEAD"], check=True,
                             stdout=subprocess.PIPE).stdout
    subprocess.run(["tar", "-x", "-C", ws], input=archive, check=True)
    # 100 KB of real source text, cut at a line end.
    text = b""
    for name in sorted(os.listdir(os.path.join(ws, "vm"))):
        if name.endswith(".c"):
            with open(os.path.join(ws, "vm", name), "rb") as f:
                text += f.read()
        if len(text) >= 102400:
            break
    text = text[:102400]
    text = text[:text.rfind(b"\n") + 1]
    with open(os.path.join(ws, "bench-100k.c"), "wb") as f:
        f.write(text)
    return ws


def host_grep_files(text):
    """The paths `grep -r -l` printed, as the tool prints them."""
    return sorted(line[2:] if line.startswith("./") else line for line in text.splitlines())


def tool_grep_files(r):
    """The paths of a files_with_matches result (its first line is "Found N files")."""
    return sorted(r["content"][0]["text"].splitlines()[1:])


def host_grep_lines(text):
    return sorted(line[2:] if line.startswith("./") else line for line in text.splitlines())


def tool_grep_lines(r):
    return sorted(r["content"][0]["text"].splitlines())


def cases(ws):
    """(name, tool, input, setup or None, host shell command or None,
    native peer or None: (argv run in the workspace, its stdout to a list,
    the tool's result to a list; the two lists must be equal))."""
    edit_file = os.path.join(ws, "bench-edit.txt")

    def reset_write():
        shutil.rmtree(os.path.join(ws, "out"), ignore_errors=True)

    def reset_edit():
        with open(edit_file, "w") as f:
            f.write("alpha\n" * 2000)

    return [
        ("read 100 KB", "read", {"file_path": "bench-100k.c", "limit": 100000}, None, None, None),
        ("read 20 lines", "read", {"file_path": "README.md", "offset": 10, "limit": 20}, None, None, None),
        ("write 10 KB", "write", {"file_path": "out/bench-write.txt", "content": "x" * 10239 + "\n"}, reset_write,
         None, None),
        ("edit replace_all", "edit", {"file_path": "bench-edit.txt", "old_string": "alpha",
                                      "new_string": "beta", "replace_all": True}, reset_edit, None, None),
        ("glob **/*.c", "glob", {"pattern": "**/*.c"}, None, None, None),
        ("grep repo (files)", "grep", {"pattern": "wb_store_[a-z_]+"}, None, None,
         (["grep", "-r", "-l", "-E", "wb_store_[a-z_]+", "."], host_grep_files, tool_grep_files)),
        ("grep repo (content)", "grep", {"pattern": "TODO|FIXME|XXX", "output_mode": "content"}, None, None,
         (["grep", "-rn", "-E", "TODO|FIXME|XXX", "."], host_grep_lines, tool_grep_lines)),
        ("shell pipeline", "shell", {"command": PIPELINE}, None, PIPELINE, None),
    ]


class Ran:
    """What run() gives: returncode, stdout, stderr, and the child's CPU time."""

    def __init__(self, returncode, stdout, stderr, user, system):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        self.user, self.system = user, system


def run(cmd, stdin, cwd=None):
    """Runs cmd; its wall time and a Ran. The CPU time is the child's own
    (os.wait4's rusage), so other jobs on the machine barely move it."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    # communicate() reaps the child itself (losing its rusage), so read
    # stdout and stderr on threads, then reap it here with wait4
    out, err = [], []
    threads = [threading.Thread(target=lambda f, acc: acc.append(f.read()), args=(f, acc))
               for f, acc in ((p.stdout, out), (p.stderr, err))]
    for t in threads:
        t.start()
    try:
        p.stdin.write(stdin or b"")
    except BrokenPipeError:
        pass
    p.stdin.close()
    for t in threads:
        t.join()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, Ran(p.returncode, out[0], err[0], ru.ru_utime * 1000, ru.ru_stime * 1000)


def result_of(p, who):
    if p.returncode != 0:
        raise SystemExit(f"{who}: exit code {p.returncode}: {p.stderr.decode(errors='replace')[-400:]}")
    try:
        r = json.loads(p.stdout)
    except ValueError as e:
        raise SystemExit(f"{who}: not a JSON result ({e}): {p.stdout[:200]!r}")
    if r.get("is_error") is not False:
        raise SystemExit(f"{who}: is_error: {json.dumps(r)[:400]}")
    return r


def nearest_rank(xs, q):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, -(-len(xs) * q // 100) - 1))
    return xs[int(k)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--case", action="append", default=[])
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    wb = os.path.join(build, "wasmbox")
    node = shutil.which("node")
    if not node:
        raise SystemExit("bench/tools.py: node is not installed (apt install nodejs)")
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(tmp)
        print(f"tool calls: {a.runs} runs per side, workspace: a checkout of this repository "
              f"({sum(len(f) for _, _, f in os.walk(ws))} files)")
        print(f"{'case':22} {'wasmbox p50':>11} {'p99':>8} {'user':>6} {'sys':>6} {'peer':>6} {'peer p50':>9}"
              f" {'p99':>8} {'user':>6} {'sys':>6} {'peer/wasmbox':>12} {'fuel':>13}")

        def row(name, ours, peer_name, peer, fuel):
            """ours, peer: lists of (wall ms, user ms, system ms)."""
            w, q = [x[0] for x in ours], [x[0] for x in peer]
            p50, p99, q50, q99 = statistics.median(w), nearest_rank(w, 99), statistics.median(q), nearest_rank(q, 99)
            cpu = [statistics.median(x[k] for x in side) for side in (ours, peer) for k in (1, 2)]
            print(f"{name:22} {p50:9.1f}ms {p99:6.1f}ms {cpu[0]:4.1f}ms {cpu[1]:4.1f}ms {peer_name:>6} {q50:7.1f}ms"
                  f" {q99:6.1f}ms {cpu[2]:4.1f}ms {cpu[3]:4.1f}ms {q50 / p50:11.2f}x"
                  + (f" {fuel:13,}" if fuel is not None else f"  (wasmbox: {p50 / q50:.2f}x the host's time)"))

        for name, tool, inp, setup, host_cmd, native in cases(ws):
            if a.case and name not in a.case:
                continue
            data = json.dumps(inp).encode()
            ours = [wb, "tool", "call", tool, "--workspace", ws]
            if host_cmd:
                peer_name, peer = "host", ["bash", "-c", host_cmd]
            else:
                peer_name, peer = "node", [node, os.path.join(HERE, "node_wasi_tool.mjs"),
                                           os.path.join(build, "tools", tool + ".wasm"), ws]
            t_ours, t_peer, t_native = [], [], []
            for i in range(a.runs + 3):           # 3 warm-up runs each, not counted
                if setup:
                    setup()
                dt, p = run(ours, data)
                r = result_of(p, f"{name}: wasmbox")
                if setup:
                    setup()
                dt2, p2 = run(peer, data, cwd=ws)
                if host_cmd:
                    if p2.returncode != 0 or r["structuredContent"]["stdout"].encode() != p2.stdout:
                        raise SystemExit(f"{name}: the shell's output differs from the host's")
                else:
                    r2 = result_of(p2, f"{name}: node")
                    if r2["content"] != r["content"]:
                        raise SystemExit(f"{name}: node's result differs from wasmbox's:\n"
                                         f"  {json.dumps(r2['content'])[:300]}\n  {json.dumps(r['content'])[:300]}")
                if native:
                    argv, host_list, tool_list = native
                    dt3, p3 = run(argv, b"", cwd=ws)
                    if p3.returncode != 0:
                        raise SystemExit(f"{name}: {' '.join(argv)}: exit code {p3.returncode}")
                    got, want = tool_list(r), host_list(p3.stdout.decode(errors="replace"))
                    if got != want:
                        raise SystemExit(f"{name}: wasmbox's result differs from `{' '.join(argv)}`'s: "
                                         f"only wasmbox {sorted(set(got) - set(want))[:5]}, "
                                         f"only the host {sorted(set(want) - set(got))[:5]}")
                if i >= 3:
                    t_ours.append((dt * 1000, p.user, p.system))
                    t_peer.append((dt2 * 1000, p2.user, p2.system))
                    if native:
                        t_native.append((dt3 * 1000, p3.user, p3.system))
            row(name, t_ours, peer_name, t_peer, r["meta"]["fuel_used"])
            if native:
                row("  (host grep)", t_ours, "host", t_native, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
