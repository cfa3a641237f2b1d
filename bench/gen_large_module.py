#!/usr/bin/env python3
"""Writes a large, valid WASI command module for the start-up benchmark
(bench/large.sh, `make bench-large`).

    python3 bench/gen_large_module.py OUT.wasm [--mb 55] [--seed 1]

The same arguments always give the same bytes. The module has tens of
thousands of functions of type (i32, i32) -> i32 made of varied statements:
i32/i64/f64 arithmetic on locals, loads and stores, bounded loops, if/else,
br_table, direct and indirect calls (only to later functions, and only while
the first argument, a depth, is positive, so every run is short). _start
calls a handful of them with depth 2, writes "ok\\n" with fd_write and
returns: most of the module is never run, as in a large program whose
command touches a little of it. It is generated rather than compiled so
that no toolchain beyond python3 is needed and its size is chosen.
"""
import argparse
import random
import struct


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def name(s):
    return uleb(len(s)) + s.encode()


def section(sid, body):
    return bytes([sid]) + uleb(len(body)) + body


# opcodes used below
BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE = 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E
CALL, CALL_INDIRECT = 0x10, 0x11
LGET, LSET, LTEE = 0x20, 0x21, 0x22
I32_LOAD, I32_STORE = 0x28, 0x36
I32C, I64C, F64C = 0x41, 0x42, 0x44
I32_LT_S, I32_GE_U, I32_GT_S = 0x48, 0x4F, 0x4A
I32_BIN = [0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77]  # add sub mul and or xor shl shr_u rotl
I64_ADD, I64_MUL, I64_XOR = 0x7C, 0x7E, 0x85
F64_ADD, F64_MUL = 0xA0, 0xA2
I32_WRAP_I64, I64_EXTEND_I32_U, F64_CONVERT_I32_S = 0xA7, 0xAD, 0xB7
EMPTY = 0x40
# locals: 0 depth, 1 x (params); 2-4 i32 scratch; 5 loop counter; 6-7 i64; 8-9 f64
I32_LOCALS = [1, 2, 3, 4]


class Gen:
    def __init__(self, rng, nfuncs):
        self.r = rng
        self.n = nfuncs

    def i32c(self, v):
        return bytes([I32C]) + sleb(v)

    def arith(self):
        r = self.r
        a, b, c = r.choice(I32_LOCALS), r.choice(I32_LOCALS), r.choice(I32_LOCALS[1:])
        return (bytes([LGET, a]) + self.i32c(r.randrange(-5000, 5000)) + bytes([r.choice(I32_BIN)]) +
                bytes([LGET, b, r.choice(I32_BIN), LSET, c]))

    def memory(self):
        r = self.r
        a, b, c = r.choice(I32_LOCALS), r.choice(I32_LOCALS), r.choice(I32_LOCALS[1:])
        # addresses masked into the first page, above the 16 bytes _start uses
        return (bytes([LGET, a]) + self.i32c(0x7FF0) + bytes([0x71]) + self.i32c(16) + bytes([0x6A]) +
                bytes([LGET, b, I32_STORE, 2]) + uleb(r.randrange(0, 8)) +
                bytes([LGET, b]) + self.i32c(0x7FF0) + bytes([0x71, I32_LOAD, 2]) + uleb(16 + 4 * r.randrange(4)) +
                bytes([LSET, c]))

    def loop(self):
        r = self.r
        body = b"".join(self.arith() for _ in range(r.randrange(1, 4)))
        return (self.i32c(0) + bytes([LSET, 5, BLOCK, EMPTY, LOOP, EMPTY, LGET, 5]) +
                self.i32c(r.randrange(2, 9)) + bytes([I32_GE_U, BR_IF, 1]) + body +
                bytes([LGET, 5]) + self.i32c(1) + bytes([0x6A, LSET, 5, BR, 0, END, END]))

    def if_else(self):
        r = self.r
        return (bytes([LGET, r.choice(I32_LOCALS)]) + self.i32c(r.randrange(-100, 100)) +
                bytes([I32_LT_S, IF, EMPTY]) + self.arith() + self.memory() + bytes([ELSE]) + self.arith() +
                bytes([END]))

    def wide(self):
        r = self.r
        if r.random() < 0.5:
            l = r.choice([6, 7])
            return (bytes([LGET, r.choice(I32_LOCALS), I64_EXTEND_I32_U, I64C]) + sleb(r.randrange(-(1 << 40), 1 << 40)) +
                    bytes([r.choice([I64_MUL, I64_XOR]), LGET, l, I64_ADD, LSET, l]))
        l = r.choice([8, 9])
        return (bytes([LGET, r.choice(I32_LOCALS), F64_CONVERT_I32_S, F64C]) + struct.pack("<d", r.uniform(-4, 4)) +
                bytes([F64_MUL, LGET, l, F64_ADD, LSET, l]))

    def call(self, me):
        r = self.r
        if me + 1 >= self.n:
            return self.arith()
        callee = r.randrange(me + 1, min(self.n, me + 2000))
        args = bytes([LGET, 0]) + self.i32c(1) + bytes([0x6B, LGET, r.choice(I32_LOCALS)])
        if r.random() < 0.7:
            callit = args + bytes([CALL]) + uleb(1 + callee)  # after the one import
        else:  # through the table, which holds every generated function in order
            callit = args + self.i32c(callee) + bytes([CALL_INDIRECT]) + uleb(0) + b"\x00"
        return (bytes([LGET, 0]) + self.i32c(0) + bytes([I32_GT_S, IF, EMPTY]) + callit +
                bytes([LSET, r.choice(I32_LOCALS[1:]), END]))

    def br_table(self):
        return (bytes([BLOCK, EMPTY, BLOCK, EMPTY, BLOCK, EMPTY, LGET, self.r.choice(I32_LOCALS)]) +
                self.i32c(3) + bytes([0x71, BR_TABLE, 2, 0, 1, 2, END]) + self.arith() + bytes([END]) +
                self.arith() + bytes([END]))

    def body(self, me):
        r = self.r
        kinds = [self.arith] * 4 + [self.memory] * 2 + [self.loop, self.if_else, self.wide, self.wide,
                                                         self.br_table]
        parts = [b"\x03\x04\x7f\x02\x7e\x02\x7c"]  # locals: 4 i32, 2 i64, 2 f64
        for _ in range(r.randrange(2, 4)):
            parts.append(self.call(me))
        for _ in range(int(r.expovariate(1 / 40)) + 4):
            parts.append(r.choice(kinds)())
        # result: the i32 scratch locals plus the wide ones, narrowed
        parts.append(bytes([LGET, 2, LGET, 3, 0x6A, LGET, 6, I32_WRAP_I64, 0x6A, LGET, 8,
                            0xFC, 0x02, 0x6A, END]))  # i32.trunc_sat_f64_s
        code = b"".join(parts)
        return uleb(len(code)) + code


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=55.0, help="size to reach, in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    target = int(a.mb * 1e6)
    # an upper bound on the count: the table and function section need it up
    # front, and calls only go to later functions, so generate bodies first
    avg = 1150
    n = max(16, target // avg)
    g = Gen(random.Random(a.seed), n)
    bodies = []
    size = 0
    for i in range(n):
        b = g.body(i)
        bodies.append(b)
        size += len(b)
    ft = b"\x60"
    types = [ft + vec([b"\x7f", b"\x7f"]) + vec([b"\x7f"]),  # 0: generated
             ft + vec([]) + vec([]),  # 1: _start
             ft + vec([b"\x7f"] * 4) + vec([b"\x7f"])]  # 2: fd_write
    start_idx = 1 + n
    imports = [name("wasi_snapshot_preview1") + name("fd_write") + b"\x00" + uleb(2)]
    funcs = [uleb(0)] * n + [uleb(1)]
    table = [b"\x70\x00" + uleb(n)]
    memory = [b"\x00\x01"]
    exports = [name("memory") + b"\x02" + uleb(0), name("_start") + b"\x00" + uleb(start_idx)]
    elem = [b"\x00" + bytes([I32C]) + sleb(0) + bytes([END]) + vec([uleb(1 + i) for i in range(n)])]
    # _start: a few functions across the module, depth 2; then "ok\n"
    calls = b""
    for k in range(16):
        f = (k * n) // 16
        calls += bytes([I32C]) + sleb(2) + bytes([I32C]) + sleb(k) + bytes([CALL]) + uleb(1 + f) + b"\x1a"  # drop
    write = (bytes([I32C]) + sleb(1) + bytes([I32C]) + sleb(0) + bytes([I32C]) + sleb(1) + bytes([I32C]) +
             sleb(12) + bytes([CALL]) + uleb(0) + b"\x1a")
    sbody = b"\x00" + calls + write + bytes([END])
    code = [uleb(len(sbody)) + sbody]
    # iovec at 0: {ptr 8, len 3}; "ok\n" at 8
    data = [b"\x00" + bytes([I32C]) + sleb(0) + bytes([END]) + vec([bytes([x]) for x in
                                                                   struct.pack("<II", 8, 3) + b"ok\n"])]
    out = bytearray(b"\x00asm\x01\x00\x00\x00")
    out += section(1, vec(types))
    out += section(2, vec(imports))
    out += section(3, vec(funcs))
    out += section(4, vec(table))
    out += section(5, vec(memory))
    out += section(7, vec(exports))
    out += section(9, vec(elem))
    code_sec = bytearray(uleb(n + 1))
    for b in bodies:
        code_sec += b
    code_sec += code[0]
    out += section(10, bytes(code_sec))
    out += section(11, vec(data))
    with open(a.out, "wb") as f:
        f.write(out)
    print(f"{a.out}: {len(out)} bytes, {n} functions")


if __name__ == "__main__":
    main()
