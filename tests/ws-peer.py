# ws-peer.py: WebSocket peers for tests/ws.bats: python3-websockets servers
# and clients, hand-written raw-socket clients and servers that break the
# protocol on purpose, and a UDP echo server.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# Usage: python3 ws-peer.py COMMAND ARGS...  (the websockets commands need
# Debian's /usr/bin/python3, which has python3-websockets). Servers bind
# 127.0.0.1:0 and write their port to PORTFILE (renamed into place).
#
#   serve PORTFILE echo                 echo every message, as it came
#   serve PORTFILE send SIZES KIND      send one message per size (text or
#                                       binary), then Close 1000 "bye"
#   serve PORTFILE record OUT           write "KIND SIZE SHA256" per message
#                                       and "close CODE REASON" to OUT
#   serve PORTFILE headers OUT          write the request head to OUT, echo
#   connect URI sizes SIZES KIND        send a message per size, check each
#                                       echo; print "SIZE ok"
#   connect URI bulk FILE OUT N         send FILE as binary messages while
#                                       receiving N bytes into OUT
#   connect URI close CODE REASON       send a text, then Close CODE REASON
#   connect URI hello PROTOS ORIGIN     offer subprotocols (comma list, or
#                                       -) with Origin (or -), send "hi",
#                                       print the echo, the subprotocol
#                                       and the answer's headers
#   connect URI toobig N                send an N-byte binary message,
#                                       print the close code that follows
#   raw-client PORT CASE                a violation, print the Close got
#   raw-server PORTFILE CASE            a server that misbehaves (see below)
#   udp-echo PORTFILE                   UDP echo on 127.0.0.1:0
#   payload SIZES KIND [SEP]            write the messages of `send` to
#                                       stdout, each followed by SEP
#                                       (text: "\n" between them)
#   expect SIZES KIND                   the lines `record` writes for them

import base64, hashlib, os, socket, struct, sys

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def report_port(pf, port):
    with open(pf + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(pf + ".tmp", pf)


def payload(n, kind):
    """Deterministic message of n bytes (text: valid UTF-8, 2-byte chars)."""
    if kind == "text":
        return ("\u00e9" * (n // 2) + "a" * (n % 2))
    return bytes((i * 7 + n) % 251 for i in range(min(n, 251))) * \
        (n // 251 + 1)


def msg_bytes(m):
    return m.encode() if isinstance(m, str) else m


# ---- python3-websockets peers ----------------------------------------------

def serve(pf, mode, args):
    import asyncio
    import websockets

    async def handler(ws, path=None):
        if mode == "echo":
            async for m in ws:
                await ws.send(m)
        elif mode == "send":
            for n in args[0].split(","):
                await ws.send(payload(int(n), args[1])[:int(n)])
            await ws.close(1000, "bye")
        elif mode == "record":
            with open(args[0], "a") as f:
                try:
                    async for m in ws:
                        b = msg_bytes(m)
                        f.write("%s %d %s\n" % (
                            "text" if isinstance(m, str) else "binary",
                            len(b), hashlib.sha256(b).hexdigest()))
                        f.flush()
                finally:
                    f.write("close %s %s\n" % (ws.close_code,
                                               ws.close_reason))
        elif mode == "headers":
            with open(args[0], "w") as f:
                f.write("path %s\n" % ws.path)
                for k, v in ws.request_headers.raw_items():
                    f.write("%s: %s\n" % (k, v))
                f.write("subprotocol %s\n" % ws.subprotocol)
            async for m in ws:
                await ws.send(m)

    async def main():
        kw = {"max_size": None}
        if mode == "headers":
            kw["subprotocols"] = ["chat.v2"]
        async with websockets.serve(handler, "127.0.0.1", 0, **kw) as srv:
            report_port(pf, srv.sockets[0].getsockname()[1])
            await asyncio.Future()

    asyncio.run(main())


def connect(uri, mode, args):
    import asyncio
    import websockets

    async def main():
        kw = {"max_size": None}
        if mode == "hello":
            if args[0] != "-":
                kw["subprotocols"] = args[0].split(",")
            if args[1] != "-":
                kw["origin"] = args[1]
        async with websockets.connect(uri, **kw) as ws:
            if mode == "hello":
                await ws.send("hi")
                print("echo %s" % await ws.recv())
                print("subprotocol %s" % ws.subprotocol)
                for k, v in ws.response_headers.raw_items():
                    print("%s: %s" % (k, v))
            elif mode == "toobig":
                try:
                    await ws.send(b"z" * int(args[0]))
                    await ws.recv()
                except websockets.ConnectionClosed:
                    pass
                await ws.wait_closed()
                print("close %s %s" % (ws.close_code, ws.close_reason))
            elif mode == "sizes":
                for n in args[0].split(","):
                    m = payload(int(n), args[1])[:int(n)]
                    await ws.send(m)
                    r = await ws.recv()
                    if r != m or type(r) != type(m):
                        print("%s mismatch: got %d %s" % (
                            n, len(msg_bytes(r)), type(r).__name__))
                        sys.exit(1)
                    print("%s ok" % n, flush=True)
            elif mode == "bulk":
                data = open(args[0], "rb").read()
                want = int(args[2])

                async def sender():
                    for i in range(0, len(data), 65536):
                        await ws.send(data[i:i + 65536])

                async def receiver():
                    h = hashlib.sha256()
                    got = 0
                    while got < want:
                        m = msg_bytes(await ws.recv())
                        h.update(m)
                        got += len(m)
                    with open(args[1], "w") as f:
                        f.write("%d %s\n" % (got, h.hexdigest()))
                await asyncio.gather(sender(), receiver())
            elif mode == "close":
                await ws.send("before close")
                await ws.close(int(args[0]), args[1])
    asyncio.run(main())


# ---- raw-socket peers --------------------------------------------------------

def frame(op, data, fin=True, mask=True, rsv=0):
    n = len(data)
    h = bytes([(0x80 if fin else 0) | rsv | op])
    m = 0x80 if mask else 0
    if n < 126:
        h += bytes([m | n])
    elif n < 65536:
        h += bytes([m | 126]) + struct.pack("!H", n)
    else:
        h += bytes([m | 127]) + struct.pack("!Q", n)
    if mask:
        k = os.urandom(4)
        data = bytes(b ^ k[i % 4] for i, b in enumerate(data))
        h += k
    return h + data


class FrameReader:
    """Frames from a socket; bytes of a frame cut short wait in buf."""

    def __init__(self, s):
        self.s, self.buf = s, b""

    def parse(self):
        """Take the whole frames at the start of buf: [(op, payload)]."""
        out, buf, i = [], self.buf, 0
        while i + 2 <= len(buf):
            op, n, j = buf[i] & 15, buf[i + 1] & 127, i + 2
            masked = buf[i + 1] & 0x80
            if n == 126:
                if j + 2 > len(buf):
                    break
                n, j = struct.unpack("!H", buf[j:j + 2])[0], j + 2
            elif n == 127:
                if j + 8 > len(buf):
                    break
                n, j = struct.unpack("!Q", buf[j:j + 8])[0], j + 8
            if masked:
                if j + 4 > len(buf):
                    break
                k, j = buf[j:j + 4], j + 4
            if j + n > len(buf):
                break
            p = buf[j:j + n]
            if masked:
                p = bytes(b ^ k[x % 4] for x, b in enumerate(p))
            out.append((op, p))
            i = j + n
        self.buf = buf[i:]
        return out

    def until(self, stop):
        """Frames until one makes stop(op) true, or the peer closes."""
        out = []
        while True:
            for f in self.parse():
                out.append(f)
                if stop(f[0]):
                    return out
            try:
                d = self.s.recv(65536)
            except ConnectionResetError:
                d = b""
            if not d:
                return out
            self.buf += d


def read_frames(s):
    """Every frame until the peer closes: [(op, payload)]."""
    return FrameReader(s).until(lambda op: False)


def show_close(frames):
    for op, p in frames:
        if op == 8:
            code = struct.unpack("!H", p[:2])[0] if len(p) >= 2 else "-"
            print("close %s %s" % (code, p[2:].decode(errors="replace")))
            return
        print("op %d %d" % (op, len(p)))
    print("no close")


RAW_CASES = {
    "unmasked": lambda: frame(1, b"hi", mask=False),
    "rsv": lambda: frame(1, b"hi", rsv=0x40),
    "opcode": lambda: frame(3, b"hi"),
    "fragctl": lambda: frame(9, b"x", fin=False),
    "bigctl": lambda: frame(9, b"x" * 126),
    "cont": lambda: frame(0, b"x"),
    "newmsg": lambda: frame(1, b"a", fin=False) + frame(1, b"b"),
    "utf8": lambda: frame(1, b"ok\xff\xfe"),
    "utf8trunc": lambda: frame(1, b"ok\xe2\x82"),
    "surrogate": lambda: frame(1, b"\xed\xa0\x80"),
    "overlong": lambda: frame(1, b"\xc0\xaf"),
    "toobig": lambda: frame(2, b"x" * 2000),
    "toobigfrag": lambda: frame(2, b"x" * 600, fin=False) +
    frame(0, b"x" * 600),
    "len64": lambda: bytes([0x82, 0xff]) + b"\x80" + b"\0" * 7 + b"kkkk",
    "closecode": lambda: frame(8, struct.pack("!H", 1005)),
    "close1": lambda: frame(8, b"\x03"),
    "closeutf8": lambda: frame(8, struct.pack("!H", 1000) + b"\xff"),
    # Not violations: a ping, fragments with a ping between them.
    "ping": lambda: frame(9, b"pingdata") +
    frame(8, struct.pack("!H", 1000) + b"bye"),
    "fragments": lambda: frame(1, b"\xe2\x82", fin=False) +
    frame(9, b"between") + frame(0, b"\xac and more", fin=False) +
    frame(0, b"!") + frame(2, b"") + frame(1, b"") +
    frame(8, struct.pack("!H", 4000) + b"app reason"),
}


def handshake_request(s, extra=""):
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET / HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n%s\r\n" % (key, extra)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        d = s.recv(1)
        if not d:
            break
        head += d
    return head


def raw_client(port, case):
    s = socket.create_connection(("127.0.0.1", port))
    if case.startswith("http:"):
        # A plain HTTP request: print the status line of the answer.
        s.sendall(case[5:].encode().decode("unicode_escape").encode())
        d = b""
        while True:
            x = s.recv(4096)
            if not x:
                break
            d += x
        print(d.split(b"\r\n")[0].decode())
        return
    head = handshake_request(s)
    if not head.startswith(b"HTTP/1.1 101"):
        print(head.split(b"\r\n")[0].decode())
        return
    s.sendall(RAW_CASES[case]())
    show_close(read_frames(s))


def accept_of(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest())


def raw_server(pf, case, args):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    report_port(pf, ls.getsockname()[1])
    c, _ = ls.accept()
    head = b""
    while b"\r\n\r\n" not in head:
        d = c.recv(1)
        if not d:
            return
        head += d
    key = ""
    for line in head.decode().split("\r\n"):
        if line.lower().startswith("sec-websocket-key:"):
            key = line.split(":", 1)[1].strip()
    ok = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept_of(key) +
          b"\r\n\r\n")
    if case == "badaccept":
        c.sendall(ok.replace(accept_of(key), accept_of("x" + key)))
    elif case == "badproto":
        c.sendall(ok.replace(b"\r\n\r\n",
                             b"\r\nSec-WebSocket-Protocol: unasked\r\n\r\n"))
    elif case == "403":
        c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    elif case == "masked":
        c.sendall(ok + frame(1, b"masked!", mask=True))
        show_close(read_frames(c))
    elif case == "dropmid":
        # A frame that says 1000 bytes, 10 of them, then the end.
        c.sendall(ok + frame(2, b"y" * 1000, mask=False)[:14])
    elif case == "dropidle":
        c.sendall(ok + frame(1, b"one message", mask=False))
    elif case == "rst":
        # Read some of what the client sends, then reset.
        c.sendall(ok)
        got = 0
        while got < int(args[0]):
            d = c.recv(65536)
            if not d:
                break
            got += len(d)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
    elif case == "late":
        # The half-close: after the client's Close, two more messages,
        # then our Close.
        c.sendall(ok)
        frames = FrameReader(c).until(lambda op: op == 8)
        c.sendall(frame(1, b"late one", mask=False) +
                  frame(1, b"late two", mask=False) +
                  frame(8, struct.pack("!H", 1000) + b"after late",
                        mask=False))
        with open(args[0], "w") as f:
            for op, p in frames:
                f.write("op %d %r\n" % (op, p))
        while c.recv(65536):
            pass
    elif case == "frames":
        # Server frames of each length form: 7, 16 and 64-bit lengths.
        c.sendall(ok + b"".join(frame(2, bytes([n % 256]) * n, mask=False)
                                for n in (0, 125, 126, 65535, 65536)) +
                  frame(8, struct.pack("!H", 1000), mask=False))
        while c.recv(65536):
            pass
    c.close()


def udp_echo(pf):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    report_port(pf, s.getsockname()[1])
    while True:
        d, a = s.recvfrom(70000)
        s.sendto(d, a)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(args[0], args[1], args[2:])
    elif cmd == "connect":
        connect(args[0], args[1], args[2:])
    elif cmd == "raw-client":
        raw_client(int(args[0]), args[1])
    elif cmd == "raw-server":
        raw_server(args[0], args[1], args[2:])
    elif cmd == "udp-echo":
        udp_echo(args[0])
    elif cmd == "payload":
        sep = args[2].encode().decode("unicode_escape").encode() \
            if len(args) > 2 else b""
        for n in args[0].split(","):
            sys.stdout.buffer.write(
                msg_bytes(payload(int(n), args[1])[:int(n)]) + sep)
    elif cmd == "expect":
        for n in args[0].split(","):
            b = msg_bytes(payload(int(n), args[1])[:int(n)])
            print("%s %d %s" % (args[1], len(b), hashlib.sha256(b).hexdigest()))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
