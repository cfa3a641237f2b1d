#!/usr/bin/env python3
"""Tool-call latency: each built-in tool through `wasmbox tool call`, as a
whole process, against node's WASI (V8) running the same module on the same
workspace, in the same run; and the shell tool's pipeline against the host's
own bash and coreutils (bench/README.md, "Tool calls").

    bench/tools.py BUILD [--runs N] [--case NAME]...

The workspace is a checkout of this repository (`git archive HEAD`) plus a
100 KB text file for `read`. Every run's result is checked (exit code 0, a
JSON result with is_error false; the shell's stdout equal to the host's), so
a fast wrong answer is never a figure. Runs of the two sides alternate, so a
change in the machine's load hits both. Prints p50 and p99 (nearest rank)
per side and the ratio of the p50s, and the wasm instructions wasmbox's
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


def cases(ws):
    """(name, tool, input, setup or None, host shell command or None)."""
    edit_file = os.path.join(ws, "bench-edit.txt")

    def reset_write():
        shutil.rmtree(os.path.join(ws, "out"), ignore_errors=True)

    def reset_edit():
        with open(edit_file, "w") as f:
            f.write("alpha\n" * 2000)

    return [
        ("read 100 KB", "read", {"file_path": "bench-100k.c", "limit": 100000}, None, None),
        ("read 20 lines", "read", {"file_path": "README.md", "offset": 10, "limit": 20}, None, None),
        ("write 10 KB", "write", {"file_path": "out/bench-write.txt", "content": "x" * 10239 + "\n"}, reset_write, None),
        ("edit replace_all", "edit", {"file_path": "bench-edit.txt", "old_string": "alpha",
                                      "new_string": "beta", "replace_all": True}, reset_edit, None),
        ("glob **/*.c", "glob", {"pattern": "**/*.c"}, None, None),
        ("grep repo (files)", "grep", {"pattern": "wb_store_[a-z_]+"}, None, None),
        ("grep repo (content)", "grep", {"pattern": "TODO|FIXME|XXX", "output_mode": "content"}, None, None),
        ("shell pipeline", "shell", {"command": PIPELINE}, None, PIPELINE),
    ]


def run(cmd, stdin, cwd=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    return time.perf_counter() - t0, p


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
        print(f"{'case':22} {'wasmbox p50':>11} {'p99':>8} {'peer':>6} {'peer p50':>9} {'p99':>8} {'peer/wasmbox':>12}"
              f" {'fuel':>13}")
        for name, tool, inp, setup, host_cmd in cases(ws):
            if a.case and name not in a.case:
                continue
            data = json.dumps(inp).encode()
            ours = [wb, "tool", "call", tool, "--workspace", ws]
            if host_cmd:
                peer_name, peer = "host", ["bash", "-c", host_cmd]
            else:
                peer_name, peer = "node", [node, os.path.join(HERE, "node_wasi_tool.mjs"),
                                           os.path.join(build, "tools", tool + ".wasm"), ws]
            t_ours, t_peer = [], []
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
                if i >= 3:
                    t_ours.append(dt * 1000)
                    t_peer.append(dt2 * 1000)
            p50, p99 = statistics.median(t_ours), nearest_rank(t_ours, 99)
            q50, q99 = statistics.median(t_peer), nearest_rank(t_peer, 99)
            fuel = r["meta"]["fuel_used"]
            print(f"{name:22} {p50:9.1f}ms {p99:6.1f}ms {peer_name:>6} {q50:7.1f}ms {q99:6.1f}ms {q50 / p50:11.2f}x"
                  f" {fuel:13,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
