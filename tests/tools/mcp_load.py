#!/usr/bin/env python3
"""Load test of `wasmbox mcp` over stdio: 1,000 tools/call requests from 16
clients' worth of traffic (ids "cN-M", interleaved, all in flight together up
to the queue cap), each reading a file only it knows or echoing its own
token through the shell. Every answer must be its own (no cross-talk) and
arrive exactly once; the server must exit 0 at the end of input (under
SAN=1 that includes LeakSanitizer finding no leak). Prints calls per second
and p50/p99 latency (informative: speed is not checked).

    mcp_load.py WASMBOX WORKSPACE_DIR"""
import json, os, select, subprocess, sys, time

wb, ws = sys.argv[1], sys.argv[2]
CLIENTS, CALLS = 16, 1000
for c in range(CLIENTS):
    os.makedirs(f"{ws}/c{c}", exist_ok=True)
    for m in range(CALLS // CLIENTS + 1):
        with open(f"{ws}/c{c}/f{m}.txt", "w") as f:
            f.write(f"secret of c{c} call {m}\n")
p = subprocess.Popen([wb, "mcp", "--workspace", ws, "--max-queue", "64"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
buf = b""


def recv(timeout):
    global buf
    end = time.monotonic() + timeout
    while b"\n" not in buf:
        left = end - time.monotonic()
        if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
            return None
        chunk = os.read(p.stdout.fileno(), 1 << 20)
        if not chunk:
            return None
        buf += chunk
    line, buf = buf.split(b"\n", 1)
    return json.loads(line)


def send(obj):
    p.stdin.write(json.dumps(obj).encode() + b"\n")
    p.stdin.flush()


send({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "load", "version": "1"}}})
assert recv(30)["id"] == "init"
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
calls = []  # (id, tool, args, expected text)
for n in range(CALLS):
    c, m = n % CLIENTS, n // CLIENTS
    if n % 2:
        calls.append((f"c{c}-{m}", "read", {"file_path": f"c{c}/f{m}.txt"}, f"     1\tsecret of c{c} call {m}\n"))
    else:
        calls.append((f"c{c}-{m}", "shell", {"command": f"echo token-c{c}-{m}"}, f"token-c{c}-{m}\n[exit code 0]"))
want = {cid: text for cid, _, _, text in calls}
sent, got, started, lat, bad, busy = 0, {}, {}, [], [], 0
t0 = time.monotonic()
inflight = 0
while len(got) < CALLS and time.monotonic() - t0 < 600:
    # Keep up to 48 calls in flight (under the queue cap of 64).
    while sent < CALLS and inflight < 48:
        cid, tool, args, _ = calls[sent]
        started[cid] = time.monotonic()
        send({"jsonrpc": "2.0", "id": cid, "method": "tools/call", "params": {"name": tool, "arguments": args}})
        sent += 1
        inflight += 1
    m = recv(120)
    if m is None:
        break
    cid = m.get("id")
    inflight -= 1
    if cid in got:
        bad.append(f"two answers for {cid}")
        continue
    got[cid] = m
    lat.append(time.monotonic() - started[cid])
    text = "".join(c.get("text", "") for c in m.get("result", {}).get("content", []))
    if text != want.get(cid):
        bad.append(f"{cid}: {json.dumps(m)[:300]}")
elapsed = time.monotonic() - t0
p.stdin.close()
p.wait(120)
err = p.stderr.read().decode(errors="replace")
fails = 0
for b in bad[:10]:
    print(f"FAIL mcp_load: cross-talk or error: {b}")
fails += len(bad)
if len(got) != CALLS:
    print(f"FAIL mcp_load: {len(got)} of {CALLS} calls answered")
    fails += 1
if p.returncode != 0:
    print(f"FAIL mcp_load: the server exited {p.returncode}:\n{err[-3000:]}")
    fails += 1
lat.sort()
if lat:
    print(f"mcp_load: {CALLS} calls from {CLIENTS} clients in {elapsed:.2f} s: {CALLS / elapsed:.0f} calls/s, "
          f"p50 {lat[len(lat) // 2] * 1000:.1f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.1f} ms")
print(f"mcp_load: {CALLS - len(bad) if len(got) == CALLS else 0} passed, {fails} failed")
sys.exit(1 if fails else 0)
