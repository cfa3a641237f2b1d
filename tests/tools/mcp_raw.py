#!/usr/bin/env python3
"""Raw JSON-RPC exchanges with an MCP server over stdio, written from the
MCP specification (2025-11-25 and the revisions it negotiates down to, and
the stateless 2026-07-28) and JSON-RPC 2.0; run by tests/e2e/mcp_stdio.sh.

    mcp_raw.py SERVER_COMMAND...   (the server: tests/tools/mcp_fake)

Each case starts its own server (flags appended per case), sends lines,
and checks every answer: exact error codes, ids, results, and that nothing
else reaches stdout. Prints "mcp_raw: N passed, M failed"; exits 1 on a
failure."""
import json, os, select, signal, subprocess, sys, tempfile, threading, time

SERVER = sys.argv[1:]
SKILLS = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "skills")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL mcp_raw: " + what, flush=True)


class Server:
    def __init__(self, *flags):
        self.p = subprocess.Popen(SERVER + list(flags), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        self.send_raw(json.dumps(obj).encode() + b"\n")

    def recv(self, timeout=10.0):
        """The next message, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.p.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)  # anything not JSON fails the test here

    def request(self, method, params=None, rid=1, timeout=10.0):
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.recv(timeout)

    def initialize(self, version="2025-11-25"):
        r = self.request("initialize", {"protocolVersion": version, "capabilities": {},
                                        "clientInfo": {"name": "mcp_raw", "version": "1"}}, rid=0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return r

    def ready(self, version="2025-11-25"):
        """initialize, then a ping answered first: the server has read the
        notifications/initialized before it, and answered it with nothing
        (handshake() checks that on its own for 0.3 s). An event, not a
        fixed wait: fifteen 5 s waits here made 75 s of the script's 95."""
        self.initialize(version)
        is_result(self.request("ping", rid="ready"), "ready", "a ping after initialize")

    def close(self, timeout=10.0):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        # Read what is left while the server ends (it may be waiting for
        # room on its stdout).
        rest, end = self.buf, time.monotonic() + timeout
        while time.monotonic() < end:
            if not select.select([self.p.stdout], [], [], max(0, end - time.monotonic()))[0]:
                continue
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                break
            rest += chunk
        try:
            self.p.wait(max(0.1, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None
        self.p.stdout.close()
        self.p.stderr.close()
        return rest


def error_code(msg):
    return msg.get("error", {}).get("code") if isinstance(msg, dict) else None


def is_error(msg, code, rid, what):
    check(isinstance(msg, dict) and msg.get("jsonrpc") == "2.0" and error_code(msg) == code
          and msg.get("id", "absent") == rid and isinstance(msg["error"].get("message"), str)
          and msg["error"]["message"] != "" and "result" not in msg,
          f"{what}: expected error {code} with id {rid!r}, got {msg!r}")


def is_result(msg, rid, what):
    ok = isinstance(msg, dict) and msg.get("id") == rid and "result" in msg and "error" not in msg
    check(ok, f"{what}: expected a result with id {rid!r}, got {msg!r}")
    return msg["result"] if ok else {}


def quiet(s, what, timeout=0.3):
    m = s.recv(timeout)
    check(m is None, f"{what}: expected no message, got {m!r}")


def handshake():
    s = Server()
    r = is_result(s.initialize(), 0, "initialize")
    check(r.get("protocolVersion") == "2025-11-25", f"initialize: version {r!r}")
    caps = r.get("capabilities", {})
    check(set(caps) >= {"tools", "prompts", "resources"}, f"capabilities {caps!r}")
    check(isinstance(r.get("serverInfo", {}).get("name"), str)
          and isinstance(r["serverInfo"].get("version"), str), f"serverInfo {r!r}")
    quiet(s, "notifications/initialized has no answer")
    is_result(s.request("ping", rid="p"), "p", "ping")
    check(s.request("ping", rid=7).get("result") == {}, "ping's result is {}")
    is_error(s.initialize(), -32600, 0, "a second initialize")
    check(s.close() == b"", "nothing more on stdout after end of input")
    check(s.p.returncode == 0, f"exit code at end of input: {s.p.returncode}")


def versions():
    for asked, answered in [("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"),
                            ("2025-03-26", "2025-03-26"), ("2024-11-05", "2024-11-05"),
                            ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25"),
                            ("2099-12-31", "2025-11-25"),
                            ("banana", "2025-11-25")]:
        s = Server()
        r = is_result(s.initialize(asked), 0, f"initialize {asked}")
        check(r.get("protocolVersion") == answered,
              f"asked {asked}: expected {answered}, got {r.get('protocolVersion')!r}")
        s.close()
    # Malformed initialize params.
    for params, what in [({}, "no fields"),
                         ({"protocolVersion": 20251125, "capabilities": {},
                           "clientInfo": {"name": "x", "version": "1"}}, "a number as version"),
                         ({"protocolVersion": "2025-11-25", "capabilities": {}}, "no clientInfo"),
                         ({"protocolVersion": "2025-11-25", "capabilities": [],
                           "clientInfo": {"name": "x", "version": "1"}}, "capabilities a list")]:
        s = Server()
        is_error(s.request("initialize", params, rid=3), -32602, 3, f"initialize with {what}")
        # Still not initialized: tools/list is refused, then a good initialize works.
        is_error(s.request("tools/list", rid=4), -32600, 4, f"tools/list after a failed initialize ({what})")
        is_result(s.initialize(), 0, f"initialize after {what}")
        s.close()


def before_initialize():
    s = Server()
    is_result(s.request("ping", rid=1), 1, "ping before initialize")
    for m in ["tools/list", "tools/call", "prompts/list", "resources/list"]:
        is_error(s.request(m, rid=m), -32600, m, f"{m} before initialize")
    s.close()


def malformed():
    s = Server()
    s.ready()
    cases = [
        (b"{not json", -32700, None, "malformed JSON"),
        (b'{"jsonrpc":"2.0","id":1,"method":"ping"} x', -32700, None, "text after the message"),
        (b'{"jsonrpc":"2.0","id":1,"method":"ping"}{"a":1}', -32700, None, "two messages on a line"),
        (b'{"jsonrpc":"2.0","id":1,"method":"p\xffing"}', -32700, None, "invalid UTF-8"),
        (b'{"jsonrpc":"2.0","id":1,"method":"\xed\xa0\x80"}', -32700, None, "a UTF-8 surrogate"),
        (b'"just a string"', -32600, None, "a string"),
        (b"42", -32600, None, "a number"),
        (b"null", -32600, None, "null"),
        (b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]', -32600, None, "a batch (2025-11-25 has none)"),
        (b"[]", -32600, None, "an empty batch"),
        (b'{"id":2,"method":"ping"}', -32600, 2, "no jsonrpc"),
        (b'{"jsonrpc":"1.0","id":3,"method":"ping"}', -32600, 3, "jsonrpc 1.0"),
        (b'{"jsonrpc":2.0,"id":4,"method":"ping"}', -32600, 4, "jsonrpc a number"),
        (b'{"jsonrpc":"2.0","id":null,"method":"ping"}', -32600, None, "id null"),
        (b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600, None, "id 1.5"),
        (b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', -32600, None, "id an object"),
        (b'{"jsonrpc":"2.0","id":[1],"method":"ping"}', -32600, None, "id an array"),
        (b'{"jsonrpc":"2.0","id":true,"method":"ping"}', -32600, None, "id true"),
        (b'{"jsonrpc":"2.0","id":5,"method":7}', -32600, 5, "method a number"),
        (b'{"jsonrpc":"2.0","id":6}', -32600, 6, "no method"),
        (b'{"jsonrpc":"2.0","id":7,"method":"ping","extra":1}', -32600, 7, "an unknown member"),
        (b'{"jsonrpc":"2.0","id":8,"method":"ping","id":9}', -32600, 8, "id twice"),
        (b'{"jsonrpc":"2.0","id":10,"method":"ping","result":{}}', -32600, 10, "a request with result"),
        (b'{"jsonrpc":"2.0","id":11,"method":"no/such/method"}', -32601, 11, "an unknown method"),
        (b'{"jsonrpc":"2.0","id":"s","method":"Ping"}', -32601, "s", "method names are case-sensitive"),
        (b'{"jsonrpc":"2.0","id":12,"method":"ping","params":[1]}', -32602, 12, "params a list"),
        (b'{"jsonrpc":"2.0","id":13,"method":"ping","params":"x"}', -32602, 13, "params a string"),
        (b'{"jsonrpc":"2.0","id":14,"method":"ping","params":{"x":1}}', -32602, 14, "ping with a parameter"),
        (b'{"jsonrpc":"2.0","id":15,"method":"tools/list","params":{"cursor":5}}', -32602, 15, "a cursor that is a number"),
        (b'{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{}}', -32602, 16, "tools/call without name"),
        (b'{"jsonrpc":"2.0","id":17,"method":"tools/call","params":{"name":3}}', -32602, 17, "tools/call name a number"),
        (b'{"jsonrpc":"2.0","id":18,"method":"tools/call","params":{"name":"nope"}}', -32602, 18, "an unknown tool"),
        (b'{"jsonrpc":"2.0","id":19,"method":"tools/call","params":{"name":"echo","arguments":[1]}}', -32602, 19, "arguments a list"),
        (b'{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":"echo","extra":1}}', -32602, 20, "tools/call with an unknown member"),
        (b'{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"echo","_meta":{"progressToken":1.5}}}', -32602, 21, "a fractional progress token"),
        (b'{"jsonrpc":"2.0","id":22,"method":"tools/call","params":{"name":"echo","_meta":[]}}', -32602, 22, "_meta a list"),
        (b"[" * 5000 + b"]" * 5000, -32700, None, "nesting 5000 deep"),
        (b'{"jsonrpc":"2.0","id":23,"method":"ping","params":{"_meta":{}}}' + b"\x00", -32700, None, "a NUL byte"),
    ]
    for line, code, rid, what in cases:
        s.send_raw(line + b"\n")
        is_error(s.recv(5), code, rid, what)
    # Notifications and responses are never answered, whatever they hold.
    for line, what in [(b'{"jsonrpc":"2.0","method":"notifications/unknown"}', "an unknown notification"),
                       (b'{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":999}}',
                        "a cancel of an unknown id"),
                       (b'{"jsonrpc":"2.0","method":"notifications/cancelled"}', "a cancel without params"),
                       (b'{"jsonrpc":"2.0","id":5,"result":{}}', "a response to nothing"),
                       (b'{"jsonrpc":"2.0","id":5,"error":{"code":1,"message":"x"}}', "an error response"),
                       (b"", "an empty line"), (b"   ", "a line of spaces")]:
        s.send_raw(line + b"\n")
        quiet(s, what, 0.2)
    is_result(s.request("ping", rid="after"), "after", "ping after the hostile lines")
    # CRLF line ends are taken.
    s.send_raw(b'{"jsonrpc":"2.0","id":"crlf","method":"ping"}\r\n')
    is_result(s.recv(5), "crlf", "a CRLF line")
    s.close()


def tools():
    s = Server()
    s.ready()
    r = is_result(s.request("tools/list", rid=1), 1, "tools/list")
    names = [t["name"] for t in r.get("tools", [])]
    check(names == ["echo", "sleep", "structured", "fail", "broken"], f"tool names {names}")
    check("nextCursor" not in r, "one page: no nextCursor")
    st = [t for t in r["tools"] if t["name"] == "structured"][0]
    check(st.get("outputSchema", {}).get("required") == ["n"], f"outputSchema {st!r}")
    check(all(t["inputSchema"].get("type") == "object" for t in r["tools"]), "inputSchema type object")
    check(all("outputSchema" not in t for t in r["tools"] if t["name"] != "structured"),
          "outputSchema only where declared")
    r = is_result(s.request("tools/call", {"name": "echo", "arguments": {"a": [1, "é"]}}, rid=2), 2, "echo")
    check(r.get("content") == [{"type": "text", "text": '{"a":[1,"é"]}'}], f"echo content {r!r}")
    check(r.get("isError") is False, "echo isError false")
    r = is_result(s.request("tools/call", {"name": "echo"}, rid=3), 3, "echo without arguments")
    check(r.get("content", [{}])[0].get("text") == "{}", f"no arguments is {{}}: {r!r}")
    r = is_result(s.request("tools/call", {"name": "structured", "arguments": {}}, rid=4), 4, "structured")
    check(r.get("structuredContent") == {"n": 42}, f"structuredContent {r!r}")
    r = is_result(s.request("tools/call", {"name": "fail", "arguments": {}}, rid=5), 5, "fail")
    check(r.get("isError") is True and r["content"][0]["type"] == "text", f"a tool error is a result: {r!r}")
    is_error(s.request("tools/call", {"name": "broken", "arguments": {}}, rid=6), -32603, 6,
             "a malformed tool result")
    s.close()
    # 2024-11-05 has no structuredContent and no outputSchema.
    s = Server()
    s.ready("2024-11-05")
    r = is_result(s.request("tools/list", rid=1), 1, "tools/list 2024-11-05")
    check(all("outputSchema" not in t for t in r.get("tools", [])), "no outputSchema in 2024-11-05")
    r = is_result(s.request("tools/call", {"name": "structured"}, rid=2), 2, "structured 2024-11-05")
    check("structuredContent" not in r and r.get("content"), f"no structuredContent in 2024-11-05: {r!r}")
    s.close()


def pagination():
    s = Server("--extra-tools", "7", "--page-size", "5")
    s.ready()
    seen, cursor, pages = [], None, 0
    while True:
        r = is_result(s.request("tools/list", {"cursor": cursor} if cursor else {}, rid=pages), pages,
                      f"tools/list page {pages}")
        seen += [t["name"] for t in r.get("tools", [])]
        pages += 1
        cursor = r.get("nextCursor")
        if not cursor or pages > 5:
            break
        check(isinstance(cursor, str), f"nextCursor is a string: {cursor!r}")
    want = ["echo", "sleep", "structured", "fail", "broken"] + [f"extra_{i:03d}" for i in range(7)]
    check(seen == want, f"every tool once, in order, across pages: {seen}")
    check(pages == 3, f"12 tools at 5 a page are 3 pages, got {pages}")
    for bad in ["", "garbage", "wbc1:", "wbc1:0", "wbc1:12", "wbc1:99999999999999999999", "wbc1:-1",
                "wbc1:5x"]:
        is_error(s.request("tools/list", {"cursor": bad}, rid="c"), -32602, "c", f"cursor {bad!r}")
    s.close()


def cancel_and_progress():
    s = Server("--jobs", "2")
    s.ready()
    # A long call, cancelled: no answer for it (the specification says so),
    # and the server goes on.
    s.send({"jsonrpc": "2.0", "id": "long", "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 20000}}})
    time.sleep(0.2)
    t0 = time.monotonic()
    s.send({"jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": {"requestId": "long", "reason": "the user pressed stop"}})
    is_result(s.request("ping", rid="next"), "next", "a request after a cancel")
    quiet(s, "no answer to a cancelled request", 0.5)
    # The id may be used again once its request is over.
    r = is_result(s.request("tools/call", {"name": "sleep", "arguments": {"ms": 10}}, rid="long"),
                  "long", "the cancelled id used again")
    check(r.get("content", [{}])[0].get("text") == "slept 10 ms", f"the new call ran: {r!r}")
    check(time.monotonic() - t0 < 5, "the cancelled call's worker was free again at once")
    # A call already answered: a late cancel is ignored.
    is_result(s.request("tools/call", {"name": "echo"}, rid=9), 9, "echo")
    s.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}})
    quiet(s, "a late cancel", 0.2)
    # Progress: notifications with the token, growing, all before the answer.
    s.send({"jsonrpc": "2.0", "id": 10, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 300}, "_meta": {"progressToken": "tok"}}})
    prog = []
    while True:
        m = s.recv(5)
        if m is None or "id" in m:
            break
        prog.append(m)
    check(m is not None and m.get("id") == 10, f"the answer after the progress: {m!r}")
    check(len(prog) >= 3, f"progress notifications for a 300 ms call: {len(prog)}")
    check(all(p.get("method") == "notifications/progress" and p["params"]["progressToken"] == "tok"
              and "id" not in p for p in prog), f"progress messages {prog[:2]!r}")
    values = [p["params"]["progress"] for p in prog]
    check(values == sorted(set(values)), f"progress grows with every notification: {values}")
    quiet(s, "no progress after the answer", 0.3)
    # No token, no progress.
    r = s.request("tools/call", {"name": "sleep", "arguments": {"ms": 100}}, rid=11)
    check(r is not None and r.get("id") == 11, f"no progress without a token: {r!r}")
    # An id still in use.
    s.send({"jsonrpc": "2.0", "id": 12, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 500}}})
    is_error(s.request("tools/call", {"name": "echo"}, rid=12), -32600, 12, "an id in use")
    is_result(s.recv(5), 12, "the first call with that id")
    s.close()


def concurrency():
    s = Server("--jobs", "2")
    s.ready()
    s.send({"jsonrpc": "2.0", "id": "slow", "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 400}}})
    s.send({"jsonrpc": "2.0", "id": "fast", "method": "tools/call", "params": {"name": "echo"}})
    first, second = s.recv(5), s.recv(5)
    check(first and first.get("id") == "fast" and second and second.get("id") == "slow",
          f"answers out of order: the fast call first ({first!r}, {second!r})")
    s.close()


def flood():
    # Many more calls than the queue holds: each gets one answer, a result or
    # -32000, and the server goes on.
    s = Server("--jobs", "2", "--max-queue", "4")
    s.ready()
    n = 60
    for i in range(n):
        s.send({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                "params": {"name": "sleep", "arguments": {"ms": 100}}})
    got = {}
    for _ in range(n):
        m = s.recv(10)
        if m is None:
            break
        got.setdefault(m.get("id"), []).append(m)
    check(sorted(got) == list(range(n)) and all(len(v) == 1 for v in got.values()),
          f"one answer per call: {len(got)} ids")
    busy = sum(1 for v in got.values() if error_code(v[0]) == -32000)
    done = sum(1 for v in got.values() if "result" in v[0])
    check(busy > 0 and done >= 4 and busy + done == n, f"busy {busy}, done {done}")
    is_result(s.request("ping", rid="p"), "p", "ping after the flood")
    s.close()
    # 20,000 pings in one write: all answered, in order.
    s = Server()
    s.ready()
    # Written from a thread: the server stops reading while its answers wait.
    flood_bytes = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i for i in range(20000))
    writer = threading.Thread(target=s.send_raw, args=(flood_bytes,))
    writer.start()
    ids = []
    while len(ids) < 20000:
        m = s.recv(10)
        if m is None:
            break
        ids.append(m.get("id"))
    writer.join()
    check(ids == list(range(20000)), f"20000 pings answered in order ({len(ids)})")
    s.close()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def huge_and_slow_reader():
    s = Server("--max-message", "1000")
    s.ready()
    s.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"x":"' + b"a" * 5000 + b'"}}}\n')
    m = s.recv(5)
    is_error(m, -32600, None, "a message over --max-message")
    check("1000" in (m or {}).get("error", {}).get("message", ""), f"the error names the cap: {m!r}")
    s.send_raw(b'{"jsonrpc":"2.0","id":2,"method":"ping","params":{"_meta":{"x":"' + b"a" * 900 + b'"}}}\n')
    is_result(s.recv(5), 2, "a message under the cap")
    s.close()
    # 100 MB without a newline against the default cap (32 MiB): refused
    # whole, memory stays bounded, the next line is served.
    s = Server()
    s.ready()
    chunk = b"x" * (1 << 20)
    for _ in range(100):
        s.send_raw(chunk)
    check(rss_kb(s.p.pid) < 200 * 1024, f"memory while reading 100 MB: {rss_kb(s.p.pid)} kB")
    s.send_raw(b"\n")
    is_error(s.recv(10), -32600, None, "a 100 MB line")
    is_result(s.request("ping", rid=3), 3, "ping after the 100 MB line")
    s.close()
    # A client that sends and never reads: the server stops reading too
    # (back-pressure), memory stays bounded; once read, all is answered.
    s = Server()
    s.ready()
    payload = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"x":"' + b"y" * 60000 + b'"}}}\n'
    fd = s.p.stdin.fileno()
    os.set_blocking(fd, False)
    data = payload * 3000
    sent = 0
    t_end = time.monotonic() + 3
    while time.monotonic() < t_end and sent < len(data):
        try:
            sent += os.write(fd, data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.05)
    sent //= len(payload)
    check(sent < 3000, f"the server stopped reading when nobody read its answers ({sent} sent)")
    check(rss_kb(s.p.pid) < 300 * 1024, f"memory of a server nobody reads: {rss_kb(s.p.pid)} kB")
    s.close()


def shutdown():
    # End of input: the calls under way are answered, then exit 0.
    s = Server()
    s.ready()
    s.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 300}}})
    rest = s.close()
    lines = [json.loads(l) for l in (rest or b"").splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].get("id") == 1, f"the call in flight answered at end of input: {lines}")
    check(s.p.returncode == 0, f"exit 0 at end of input: {s.p.returncode}")
    # SIGTERM: calls cancelled, exit at once.
    s = Server()
    s.ready()
    s.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 30000}}})
    time.sleep(0.2)
    t0 = time.monotonic()
    s.p.send_signal(signal.SIGTERM)
    try:
        s.p.wait(5)
    except subprocess.TimeoutExpired:
        s.p.kill()
    check(time.monotonic() - t0 < 2, f"SIGTERM ends the server at once ({time.monotonic() - t0:.2f} s)")


def prompts_resources():
    tmp = tempfile.mkdtemp()
    os.makedirs(f"{tmp}/linky/sub")
    with open(f"{tmp}/linky/SKILL.md", "w") as f:
        f.write("---\nname: linky\ndescription: a skill with links\n---\nbody {{ not an arg\n")
    with open(f"{tmp}/linky/sub/ok.txt", "w") as f:
        f.write("fine\n")
    with open(f"{tmp}/linky/bin.dat", "wb") as f:
        f.write(b"\x00\xff\x01")
    os.symlink("/etc/passwd", f"{tmp}/linky/passwd")
    os.symlink("..", f"{tmp}/linky/up")
    with open(f"{tmp}/linky/.hidden", "w") as f:
        f.write("hidden")
    s = Server("--skills", SKILLS, "--skills", tmp, "--page-size", "2")
    s.ready()
    prompts, cursor, i = [], None, 0
    while i < 5:
        r = is_result(s.request("prompts/list", {"cursor": cursor} if cursor else {}, rid=i), i, "prompts/list")
        prompts += r.get("prompts", [])
        cursor = r.get("nextCursor")
        i += 1
        if not cursor:
            break
    names = [p["name"] for p in prompts]
    check(names == ["code-review", "find-and-fix", "summarise-page", "linky"], f"prompt names {names}")
    cr = prompts[0]
    check(cr.get("arguments") == [
        {"name": "path", "description": "The file or directory to review, relative to the workspace.", "required": True},
        {"name": "focus", "description": "What to look at most closely (e.g. \"error handling\", \"bounds checks\"); all of it if left out.", "required": False}],
        f"code-review's arguments {cr!r}")
    r = is_result(s.request("prompts/get", {"name": "code-review", "arguments": {"path": "src/main.c"}}, rid="g"),
                  "g", "prompts/get")
    msgs = r.get("messages", [])
    check(len(msgs) == 1 and msgs[0]["role"] == "user" and msgs[0]["content"]["type"] == "text",
          f"one user text message: {msgs!r}")
    text = msgs[0]["content"]["text"] if msgs else ""
    check(text.startswith("Review the code at `src/main.c` in the workspace. Focus:  (if empty"),
          f"the argument filled in: {text[:80]!r}")
    check("{{" not in text, "no placeholder left")
    is_error(s.request("prompts/get", {"name": "code-review"}, rid="m"), -32602, "m", "a required argument missing")
    is_error(s.request("prompts/get", {"name": "code-review", "arguments": {"path": "a", "colour": "b"}}, rid="u"),
             -32602, "u", "an argument the prompt does not take")
    is_error(s.request("prompts/get", {"name": "code-review", "arguments": {"path": 3}}, rid="n"),
             -32602, "n", "an argument that is not a string")
    is_error(s.request("prompts/get", {"name": "nope"}, rid="x"), -32602, "x", "an unknown prompt")
    r = is_result(s.request("prompts/get", {"name": "linky"}, rid="l"), "l", "a prompt with literal braces")
    check(r.get("messages", [{}])[0].get("content", {}).get("text") == "body {{ not an arg\n", f"{r!r}")
    # Resources: every file once, symlinks and dot files not listed.
    uris, cursor, i = [], None, 0
    while i < 20:
        r = is_result(s.request("resources/list", {"cursor": cursor} if cursor else {}, rid=i), i, "resources/list")
        uris += [x["uri"] for x in r.get("resources", [])]
        cursor = r.get("nextCursor")
        i += 1
        if not cursor:
            break
    check(uris == ["skill://code-review/SKILL.md", "skill://code-review/checklist.md",
                   "skill://find-and-fix/SKILL.md", "skill://summarise-page/SKILL.md",
                   "skill://linky/SKILL.md", "skill://linky/bin.dat", "skill://linky/sub/ok.txt"],
          f"resource URIs {uris}")
    r = is_result(s.request("resources/read", {"uri": "skill://code-review/checklist.md"}, rid="r"), "r", "read")
    with open(os.path.join(SKILLS, "code-review", "checklist.md")) as f:
        want = f.read()
    c = r.get("contents", [{}])[0]
    check(c.get("text") == want and c.get("mimeType") == "text/markdown"
          and c.get("uri") == "skill://code-review/checklist.md", f"the file's text: {c!r}")
    r = is_result(s.request("resources/read", {"uri": "skill://linky/bin.dat"}, rid="b"), "b", "read binary")
    check(r.get("contents", [{}])[0].get("blob") == "AP8B", f"binary as base64: {r!r}")
    for uri in ["skill://linky/passwd", "skill://linky/up/linky/SKILL.md", "skill://linky/../linky/SKILL.md",
                "skill://linky/.hidden", "skill://linky/sub/../sub/ok.txt", "skill://linky//sub/ok.txt",
                "skill://linky/sub%2fok.txt", "skill://linky/%73ub/ok.txt", "skill://linky/%00", "file:///etc/passwd", "skill://nope/SKILL.md",
                "skill://linky", "skill:///etc/passwd", ""]:
        is_error(s.request("resources/read", {"uri": uri}, rid="e"), -32002, "e", f"resources/read {uri!r}")
    # A listed file swapped for a symlink after the server started.
    os.remove(f"{tmp}/linky/sub/ok.txt")
    os.symlink("/etc/passwd", f"{tmp}/linky/sub/ok.txt")
    m = s.request("resources/read", {"uri": "skill://linky/sub/ok.txt"}, rid="swap")
    check(error_code(m) is not None and "root:" not in json.dumps(m), f"a swapped-in symlink is not followed: {m!r}")
    is_error(s.request("resources/read", {}, rid="e2"), -32602, "e2", "resources/read without uri")
    r = is_result(s.request("resources/templates/list", rid="t"), "t", "resources/templates/list")
    check(r.get("resourceTemplates") == [], f"no templates: {r!r}")
    s.close()


def stateless():
    """2026-07-28: no handshake; each request names its revision in _meta."""
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "mcp_raw", "version": "1"}}

    def req(s, method, params=None, rid=1, m=meta):
        p = dict(params or {})
        if m is not None:
            p["_meta"] = m
        return s.request(method, p, rid=rid)

    def cached(r, what):
        check(r.get("resultType") == "complete" and isinstance(r.get("ttlMs"), int) and r["ttlMs"] >= 0
              and r.get("cacheScope") in ("public", "private"), f"{what}: resultType and cache hints: {r!r}")

    s = Server("--skills", SKILLS)
    r = is_result(req(s, "server/discover", rid="d"), "d", "server/discover")
    check(r.get("supportedVersions") == ["2026-07-28"], f"supportedVersions {r!r}")
    check(set(r.get("capabilities", {})) >= {"tools", "prompts", "resources"}, f"capabilities {r!r}")
    check(r.get("serverInfo", {}).get("name") == "wasmbox", f"serverInfo {r!r}")
    cached(r, "server/discover")
    # No initialize: every method works on its own request.
    r = is_result(req(s, "tools/list", rid=2), 2, "stateless tools/list")
    check(len(r.get("tools", [])) == 5, f"tools {r!r}")
    cached(r, "tools/list")
    r = is_result(req(s, "tools/call", {"name": "structured"}, rid=3), 3, "stateless tools/call")
    check(r.get("resultType") == "complete" and r.get("structuredContent") == {"n": 42} and "ttlMs" not in r,
          f"a call result: resultType, no cache hint: {r!r}")
    r = is_result(req(s, "tools/call", {"name": "fail"}, rid=4), 4, "stateless tool error")
    check(r.get("isError") is True and r.get("resultType") == "complete", f"{r!r}")
    cached(is_result(req(s, "prompts/list", rid=5), 5, "prompts/list"), "prompts/list")
    cached(is_result(req(s, "resources/list", rid=6), 6, "resources/list"), "resources/list")
    cached(is_result(req(s, "resources/templates/list", rid=7), 7, "templates"), "resources/templates/list")
    r = is_result(req(s, "resources/read", {"uri": "skill://code-review/checklist.md"}, rid=8), 8, "read")
    cached(r, "resources/read")
    r = is_result(req(s, "prompts/get", {"name": "code-review", "arguments": {"path": "x"}}, rid=9), 9, "get")
    check(r.get("resultType") == "complete" and "ttlMs" not in r, f"prompts/get: {r!r}")
    # Errors of the revision.
    for v in ["2025-11-25", "2024-11-05", "2027-01-01", ""]:
        m = req(s, "tools/list", rid="v", m=dict(meta, **{"io.modelcontextprotocol/protocolVersion": v}))
        is_error(m, -32022, "v", f"_meta version {v!r}")
        data = (m or {}).get("error", {}).get("data", {})
        check(data.get("supported") == ["2026-07-28"] and data.get("requested") == v, f"-32022 data {data!r}")
    is_error(req(s, "tools/list", rid="n", m=dict(meta, **{"io.modelcontextprotocol/protocolVersion": 20260728})),
             -32602, "n", "a version that is not a string")
    nocaps = dict(meta)
    del nocaps["io.modelcontextprotocol/clientCapabilities"]
    is_error(req(s, "tools/list", rid="c", m=nocaps), -32602, "c", "no clientCapabilities")
    is_error(req(s, "tools/list", rid="i", m=dict(meta, **{"io.modelcontextprotocol/clientInfo": "me"})),
             -32602, "i", "clientInfo not an object")
    is_error(req(s, "server/discover", rid="dm", m=None), -32602, "dm", "server/discover without _meta")
    is_error(req(s, "ping", rid="p"), -32601, "p", "ping is gone in 2026-07-28")
    is_error(req(s, "no/such", rid="u"), -32601, "u", "an unknown stateless method")
    # Nothing is inferred from earlier requests: a request without _meta is
    # still a legacy one, and no initialize was made.
    is_error(s.request("tools/list", rid="l"), -32600, "l", "a legacy request after stateless ones")
    # Cancel works the same.
    s.send({"jsonrpc": "2.0", "id": "long", "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"ms": 20000}, "_meta": meta}})
    time.sleep(0.1)
    s.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "long"}})
    is_result(req(s, "tools/list", rid="after"), "after", "a request after the cancel")
    quiet(s, "no answer to the cancelled stateless call", 0.3)
    s.close()
    # Both eras on one connection: each request as its own revision says.
    s = Server()
    s.ready("2024-11-05")
    r = is_result(req(s, "tools/call", {"name": "structured"}, rid=1), 1, "stateless after a 2024-11-05 initialize")
    check(r.get("structuredContent") == {"n": 42} and r.get("resultType") == "complete", f"{r!r}")
    r = is_result(s.request("tools/call", {"name": "structured"}, rid=2), 2, "legacy 2024-11-05 call")
    check("structuredContent" not in r and "resultType" not in r, f"{r!r}")
    r = is_result(s.request("tools/list", rid=3), 3, "legacy tools/list")
    check("ttlMs" not in r and "resultType" not in r, f"no hints in legacy results: {r!r}")
    s.close()


def batches():
    """JSON-RPC batches: 2025-03-26 must receive them (its "JSON-RPC
    Batching"); later revisions removed them (-32600, the malformed case)."""
    def ids(msg):
        return sorted(str(m.get("id")) for m in msg) if isinstance(msg, list) else msg

    s = Server("--jobs", "2")
    r = is_result(s.initialize("2025-03-26"), 0, "initialize 2025-03-26")
    check(r.get("protocolVersion") == "2025-03-26", f"negotiated {r!r}")
    # Requests and a notification: one array with a response per request.
    s.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"},
            {"jsonrpc": "2.0", "method": "notifications/unknown"},
            {"jsonrpc": "2.0", "id": "t", "method": "tools/list"}])
    m = s.recv(5)
    check(isinstance(m, list) and ids(m) == ["1", "t"], f"a batch's answer: {m!r}")
    check(isinstance(m, list) and all(x.get("jsonrpc") == "2.0" and "result" in x for x in m),
          f"every response a result: {m!r}")
    quiet(s, "nothing more after the batch's answer", 0.2)
    # Tool calls run on the workers (out of order); the array waits for all.
    t0 = time.monotonic()
    s.send([{"jsonrpc": "2.0", "id": "slow", "method": "tools/call", "params": {"name": "sleep", "arguments": {"ms": 400}}},
            {"jsonrpc": "2.0", "id": "fast", "method": "tools/call", "params": {"name": "echo", "arguments": {"a": 1}}},
            {"jsonrpc": "2.0", "id": 3, "method": "ping"}])
    m = s.recv(5)
    check(isinstance(m, list) and ids(m) == ["3", "fast", "slow"], f"calls in a batch: {m!r}")
    check(time.monotonic() - t0 >= 0.35, "the batch's answer waited for its slowest call")
    by = {str(x.get("id")): x for x in m} if isinstance(m, list) else {}
    check(by.get("slow", {}).get("result", {}).get("content", [{}])[0].get("text") == "slept 400 ms",
          f"the slow call's result: {by.get('slow')!r}")
    # Errors in a batch are its responses, each with its id (or null).
    s.send([{"jsonrpc": "2.0", "id": 4, "method": "no/such"}, 5,
            {"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": {"name": "nope"}},
            {"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": {}}])
    m = s.recv(5)
    codes = sorted((str(x.get("id")), x.get("error", {}).get("code")) for x in m) if isinstance(m, list) else m
    check(codes == [("4", -32601), ("6", -32602), ("7", -32600), ("None", -32600)],
          f"errors in a batch: {codes!r}")
    # Only notifications: nothing is answered.
    s.send([{"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 99}}])
    quiet(s, "a batch of notifications", 0.3)
    # A call of a batch cancelled: the batch answers without it.
    s.send([{"jsonrpc": "2.0", "id": "c", "method": "tools/call", "params": {"name": "sleep", "arguments": {"ms": 20000}}},
            {"jsonrpc": "2.0", "id": 8, "method": "ping"}])
    time.sleep(0.2)
    s.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "c"}})
    m = s.recv(5)
    check(isinstance(m, list) and ids(m) == ["8"], f"a batch with a cancelled call: {m!r}")
    # Progress of a call in a batch goes out at once, as notifications.
    s.send([{"jsonrpc": "2.0", "id": 9, "method": "tools/call",
             "params": {"name": "sleep", "arguments": {"ms": 600}, "_meta": {"progressToken": "b"}}}])
    first = s.recv(5)
    check(isinstance(first, dict) and first.get("method") == "notifications/progress", f"progress first: {first!r}")
    while isinstance(first, dict):
        first = s.recv(5)
    check(isinstance(first, list) and ids(first) == ["9"], f"then the batch's answer: {first!r}")
    is_result(s.request("ping", rid="end"), "end", "ping after the batches")
    check(s.close() == b"", "nothing more at the end")
    # Before initialize, a batch is refused (initialize is never in one).
    s = Server()
    s.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
    is_error(s.recv(5), -32600, None, "a batch before initialize")
    s.close()
    # At most 1000 messages in a batch (each would get a response).
    s = Server()
    s.initialize("2025-03-26")
    s.send_raw(b"[" + b",".join([b"1"] * 1001) + b"]\n")
    m = s.recv(5)
    check(isinstance(m, dict) and error_code(m) == -32600 and m.get("id", "absent") is None,
          f"a batch of 1001 messages: one -32600 error, got {str(m)[:200]}")
    s.send_raw(b"[" + b",".join([b"1"] * 1000) + b"]\n")
    m = s.recv(5)
    check(isinstance(m, list) and len(m) == 1000 and all(x.get("error", {}).get("code") == -32600 for x in m),
          f"a batch of 1000 bad messages: {str(m)[:200]}")
    s.close()
    # 2025-06-18 removed them.
    s = Server()
    s.initialize("2025-06-18")
    s.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
    is_error(s.recv(5), -32600, None, "a batch in 2025-06-18")
    s.close()


for case in [handshake, versions, before_initialize, malformed, tools, pagination, cancel_and_progress,
             concurrency, batches, flood, huge_and_slow_reader, shutdown, prompts_resources, stateless]:
    before = failed
    try:
        case()
    except Exception as e:  # a crash of the test is a failure, never a pass
        failed += 1
        print(f"FAIL mcp_raw: {case.__name__}: {type(e).__name__}: {e}", flush=True)
    if failed == before:
        print(f"ok {case.__name__}", flush=True)
print(f"mcp_raw: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
