#!/usr/bin/env python3
"""`wasmbox mcp` against the reference MCP filesystem server
(@modelcontextprotocol/server-filesystem, pinned in bench/mcp/package.json,
run by node): the same file reads, the same number of requests in flight,
over stdio, one server process each. Prints calls/s and p50/p99 latency for
both and the ratio (bench/README.md, "MCP server").

    bench_mcp.py WASMBOX [--calls N] [--clients C] [--files F] [--runs R]
    bench_mcp.py WASMBOX --rounds N [--before OLD_WASMBOX] [--clients C] ...

Each of C clients keeps one request in flight on the server's connection
(ids "cK-M"), C in flight in all, until N calls were answered; every answer
is checked to be the file it asked for (a wrong or error answer fails the
run: a fast wrong server is no result). wasmbox runs `read` (each call a
fresh sandbox: the guest reads the file through WASI and numbers its
lines); the reference runs `read_text_file` (node's fs in the server's own
process, nothing confined but the path check). The files: F text files of 1
to 64 KiB (whole lines) in a fresh directory given to both (`--workspace` / the allowed
directory). A first pass of F calls warms each server (module compiled,
files in the page cache) and is not counted. Latency is from writing the
request to reading its answer. The best of R runs (by calls/s) is shown."""
import argparse, json, os, select, shutil, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))


def make_files(root, n):
    paths = []
    for i in range(n):
        size = 1024 << (i % 7)  # 1 KiB .. 64 KiB
        line = f"file {i}: the quick brown fox jumps over the lazy dog 0123456789\n"
        text = line * max(1, size // len(line))  # whole lines, under read's 2000
        p = os.path.join(root, f"f{i:03d}.txt")
        with open(p, "w") as f:
            f.write(text)
        paths.append((p, text))
    return paths


class Server:
    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.buf = b""

    def send(self, obj):
        self.p.stdin.write(json.dumps(obj).encode() + b"\n")
        self.p.stdin.flush()

    def recv(self, timeout=60.0):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.p.stdout], [], [], left)[0]:
                raise RuntimeError("no answer within %.0f s" % timeout)
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("the server closed its output")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def initialize(self):
        self.send({"jsonrpc": "2.0", "id": "init", "method": "initialize",
                   "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                              "clientInfo": {"name": "bench_mcp", "version": "1"}}})
        while True:
            m = self.recv()
            if m.get("id") == "init":
                break
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def close(self):
        self.p.stdin.close()
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def text_of(result):
    return "".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")


def run(server, call, files, calls, clients):
    """calls tools/call requests, clients in flight; files holds (path, the
    exact answer text); returns (seconds, latencies)."""
    sent = {}
    lat = []
    nxt = 0
    t0 = time.monotonic()

    def issue(c):
        nonlocal nxt
        path, want = files[nxt % len(files)]
        rid = f"c{c}-{nxt}"
        nxt += 1
        sent[rid] = (time.monotonic(), c, want)
        server.send({"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": call(path)})

    for c in range(min(clients, calls)):
        issue(c)
    done = 0
    while done < calls:
        m = server.recv()
        rid = m.get("id")
        if rid not in sent:
            continue  # a notification
        start, c, want = sent.pop(rid)
        lat.append(time.monotonic() - start)
        if "result" not in m or m["result"].get("isError") or text_of(m["result"]) != want:
            raise RuntimeError(f"a wrong answer to {rid}: {json.dumps(m)[:300]}")
        done += 1
        if nxt < calls:
            issue(c)
    return time.monotonic() - t0, lat


def numbered(text):
    return "".join(f"{i + 1:6d}\t{line}\n" for i, line in enumerate(text.split("\n")[:-1]))


def one_run(name, argv, call, files, args):
    """One server process: warm-up, then args.calls calls; calls/s, p50, p99."""
    s = Server(argv)
    try:
        s.initialize()
        run(s, call, files, len(files), args.clients)  # warm-up, not counted
        secs, lat = run(s, call, files, args.calls, args.clients)
    finally:
        s.close()
    lat.sort()
    return {"name": name, "cps": args.calls / secs, "p50": lat[len(lat) // 2] * 1000,
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000}


def expected(files, expect):
    # The answers expected are made before the clock starts: the checker
    # shares the 2 cores with the server, and making wasmbox's numbered
    # listing in Python for every answer took CPU the reference's plain
    # comparison did not.
    return [(path, expect(text)) for path, text in files]


def show(r):
    print(f"{r['name']:<28} {r['cps']:9.0f} calls/s   p50 {r['p50']:7.2f} ms   "
          f"p99 {r['p99']:7.2f} ms", flush=True)


def measure(name, argv, call, expect, files, args):
    files = expected(files, expect)
    best = None
    for _ in range(args.runs):
        r = one_run(name, argv, call, files, args)
        if not best or r["cps"] > best["cps"]:
            best = r
    show(best)
    return best


def rounds(servers, files, args):
    """--rounds N: N rounds of one run of each server, back to back (the
    order turned each round), so that a loaded machine's swings fall on all
    of them alike; each round's figures, then the median of each and in how
    many rounds wasmbox's p50 and p99 were below the reference's."""
    servers = [(name, argv, call, expected(files, expect)) for name, argv, call, expect in servers]
    got = {name: [] for name, *_ in servers}
    for i in range(args.rounds):
        order = servers if i % 2 == 0 else servers[::-1]
        for name, argv, call, f in order:
            r = one_run(name, argv, call, f, args)
            got[name].append(r)
        print(f"round {i + 1}: " + "; ".join(
            f"{name.split(' (')[0]} p50 {got[name][-1]['p50']:.2f} p99 {got[name][-1]['p99']:.2f} ms"
            for name, *_ in servers), flush=True)
    med = lambda xs: sorted(xs)[len(xs) // 2]
    print(f"medians of {args.rounds} rounds (min-max):")
    for name, *_ in servers:
        rs = got[name]
        print(f"{name:<28} {med([r['cps'] for r in rs]):9.0f} calls/s   "
              f"p50 {med([r['p50'] for r in rs]):6.2f} ms ({min(r['p50'] for r in rs):.2f}-"
              f"{max(r['p50'] for r in rs):.2f})   p99 {med([r['p99'] for r in rs]):6.2f} ms "
              f"({min(r['p99'] for r in rs):.2f}-{max(r['p99'] for r in rs):.2f})")
    wb, fs = got[servers[0][0]], got[servers[-1][0]]
    p50 = sum(a["p50"] < b["p50"] for a, b in zip(wb, fs))
    p99 = sum(a["p99"] < b["p99"] for a, b in zip(wb, fs))
    print(f"wasmbox below the reference in the same round: p50 {p50}/{args.rounds}, "
          f"p99 {p99}/{args.rounds}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wasmbox")
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--files", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=0,
                    help="N rounds of one run each, order turned each round; medians")
    ap.add_argument("--before", help="another wasmbox (e.g. an older build) run in each round")
    args = ap.parse_args()
    ref = os.path.join(here, "mcp", "node_modules", ".bin", "mcp-server-filesystem")
    if not os.path.exists(ref):
        sys.exit(f"bench_mcp: {ref} is missing: run `npm ci` in bench/mcp (make bench-mcp does)")
    root = tempfile.mkdtemp(prefix="bench-mcp-")
    try:
        ws = os.path.realpath(root)
        files = make_files(ws, args.files)
        wb_call = lambda p: {"name": "read", "arguments": {"file_path": p}}
        fs_call = lambda p: {"name": "read_text_file", "arguments": {"path": p}}
        wb_argv = lambda exe: [exe, "mcp", "--workspace", ws]
        fs_argv = ["node", ref, ws]
        how = f"{args.rounds} rounds" if args.rounds else f"best of {args.runs}"
        print(f"{args.calls} reads of {args.files} files (1-64 KiB) from {args.clients} clients, "
              f"one request in flight each, over stdio; {os.cpu_count()} cores; {how}")
        if args.rounds:
            servers = [("wasmbox mcp (read)", wb_argv(args.wasmbox), wb_call, numbered)]
            if args.before:
                servers.append(("before: wasmbox mcp", wb_argv(args.before), wb_call, numbered))
            servers.append(("server-filesystem (node)", fs_argv, fs_call, lambda text: text))
            rounds(servers, files, args)
            return
        wb = measure("wasmbox mcp (read)", wb_argv(args.wasmbox), wb_call, numbered, files, args)
        fs = measure("server-filesystem (node)", fs_argv, fs_call, lambda text: text, files, args)
        print(f"ratio wasmbox/reference: {wb['cps'] / fs['cps']:.2f}x calls/s, "
              f"p50 {wb['p50'] / fs['p50']:.2f}x, p99 {wb['p99'] / fs['p99']:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
