#!/usr/bin/env python3
"""A loopback HTTP/1.1 server for the shell's curl and wget tests
(tests/e2e/shell_curl.sh). It binds 127.0.0.1 only, writes its port to
PORT_FILE once it listens, and appends one line per request to LOG:
"METHOD PATH". Routes:

  /hello                 200 "hello\\n"
  /headers[?only=a,b]    200, the request's header lines (sorted, lower-case
                         names; Host left out; with only=, those names only)
  /echo                  200, "method=M\\nbody=B\\n" (and content-type=...)
  /status/N              status N, body "status N\\n"
  /redirect/N            302 to /redirect/N-1; /redirect/0 goes to /hello
  /see-other             303 to /echo
  /gzip, /deflate        "compressed hello\\n" x 200 with Content-Encoding gzip / deflate
  /badgzip               Content-Encoding gzip with bytes that are not gzip
  /slow                  waits 3 s, then 200 "late\\n"
  /file.txt              200 "a file\\n"
  /json                  200 {"ok": true} as application/json
  /archive.tgz           a gzip'd tar: pkg/README ("read me\n"), pkg/bin/run.sh

Usage: curl_test_server.py PORT_FILE LOG
"""
import gzip
import http.server
import io
import tarfile
import sys
import time
import zlib

port_file, log_file = sys.argv[1], sys.argv[2]
BODY = b"compressed hello\n" * 200


def archive():
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        for name, data in (("pkg/README", b"read me\n"), ("pkg/bin/run.sh", b"#!/bin/sh\necho run\n")):
            i = tarfile.TarInfo(name)
            i.size = len(data)
            t.addfile(i, io.BytesIO(data))
    return gzip.compress(raw.getvalue())


ARCHIVE = archive()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, headers=()):
        # No Server or Date: the tests compare whole heads.
        self.send_response_only(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        with open(log_file, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        p = self.path.split("?")[0]
        if p == "/hello":
            self.reply(200, b"hello\n", [("Content-Type", "text/plain")])
        elif p == "/headers":
            only = None
            if "only=" in self.path:
                only = self.path.split("only=", 1)[1].split(",")
            lines = sorted("%s: %s" % (k.lower(), v) for k, v in self.headers.items()
                           if k.lower() != "host" and (only is None or k.lower() in only))
            self.reply(200, ("\n".join(lines) + "\n").encode())
        elif p == "/echo":
            out = "method=%s\nbody=%s\n" % (self.command, body.decode("latin-1"))
            if self.headers.get("Content-Type"):
                out += "content-type=%s\n" % self.headers["Content-Type"]
            self.reply(200, out.encode())
        elif p.startswith("/status/"):
            code = int(p[8:])
            self.reply(code, b"status %d\n" % code)
        elif p.startswith("/redirect/"):
            n = int(p[10:])
            to = "/hello" if n <= 0 else "/redirect/%d" % (n - 1)
            self.reply(302, b"moved\n", [("Location", to)])
        elif p == "/see-other":
            self.reply(303, b"", [("Location", "/echo")])
        elif p == "/gzip":
            self.reply(200, gzip.compress(BODY), [("Content-Encoding", "gzip")])
        elif p == "/deflate":
            self.reply(200, zlib.compress(BODY), [("Content-Encoding", "deflate")])
        elif p == "/badgzip":
            self.reply(200, b"\x1f\x8b\x08\x00garbage-garbage", [("Content-Encoding", "gzip")])
        elif p == "/slow":
            time.sleep(3)
            self.reply(200, b"late\n")
        elif p == "/file.txt":
            self.reply(200, b"a file\n")
        elif p == "/archive.tgz":
            self.reply(200, ARCHIVE, [("Content-Type", "application/gzip")])
        elif p == "/json":
            self.reply(200, b'{"ok": true}\n', [("Content-Type", "application/json")])
        else:
            self.reply(404, b"not found\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
