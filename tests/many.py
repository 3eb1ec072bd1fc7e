#!/usr/bin/env python3
# many.py: peers for tests/many.bats: servers that count concurrent
# sessions and clients that hold many sessions at once.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
#   many.py echo PORTFILE MAXFILE        echo server on 127.0.0.1:0; writes
#                                        its port, and the most sessions
#                                        it saw at once after each change
#   many.py late PORTFILE DELAY          reads to EOF, waits DELAY s, then
#                                        answers "late:" + what it read
#   many.py tlsstall PORTFILE CERT KEY   TLS server whose first connection
#                                        never speaks; the rest echo
#   many.py hold HOST PORT N [tls|unix|abstract]
#                                        N sessions at once, each sends its
#                                        own 1 KiB and must get it back
#                                        while all are open; prints "ok N"
#   many.py burst HOST PORT N THREADS    N short sessions (64 bytes each
#                                        way) from THREADS clients; prints
#                                        "ok N" or the failures
#   many.py halfclose HOST PORT N        N sessions at once, each sends,
#                                        half-closes and waits for the late
#                                        answer; prints "ok N"
import os
import socket
import ssl
import sys
import threading
import time

TIMEOUT = 30


def serve(handler, portfile, ctx=None):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(4096)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    n = 0
    while True:
        c, _ = ls.accept()
        n += 1
        threading.Thread(target=handler, args=(c, n), daemon=True).start()


def cmd_echo(portfile, maxfile):
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def handler(c, _n):
        with lock:
            state["now"] += 1
            if state["now"] > state["max"]:
                state["max"] = state["now"]
                with open(maxfile, "w") as f:
                    f.write("%d\n" % state["max"])
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            with lock:
                state["now"] -= 1
            c.close()

    serve(handler, portfile)


def cmd_late(portfile, delay):
    def handler(c, _n):
        data = b""
        while True:
            d = c.recv(65536)
            if not d:
                break
            data += d
        time.sleep(float(delay))
        c.sendall(b"late:" + data)
        c.close()

    serve(handler, portfile)


def cmd_tlsstall(portfile, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    held = []

    def handler(c, n):
        if n == 1:
            held.append(c)	# accepted, never a word
            return
        s = ctx.wrap_socket(c, server_side=True)
        while True:
            d = s.recv(65536)
            if not d:
                break
            s.sendall(d)
        s.close()

    serve(handler, portfile)


def connect(host, port, kind):
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(port)
        return s
    if kind == "abstract":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect("\0" + port)
        return s
    s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    if kind == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    return s


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        d = s.recv(n - len(data))
        if not d:
            break
        data += d
    return data


def cmd_hold(host, port, n, kind="tcp"):
    n = int(n)
    socks = []
    for i in range(n):
        s = connect(host, port, kind)
        s.settimeout(TIMEOUT)
        socks.append(s)
    # Every session is open: now each sends its own bytes.
    for i, s in enumerate(socks):
        s.sendall((("%06d" % i) * 171)[:1024].encode())
    bad = 0
    for i, s in enumerate(socks):
        want = (("%06d" % i) * 171)[:1024].encode()
        if recv_exact(s, 1024) != want:
            bad += 1
    print("open %d" % n, flush=True)
    # Held open until told to go (the test looks at the processes).
    if len(sys.argv) > 6:
        while not os.path.exists(sys.argv[6]):
            time.sleep(0.05)
    for s in socks:
        s.close()
    print("ok %d" % (n - bad) if bad == 0 else "bad %d" % bad)


def cmd_burst(host, port, n, threads):
    n, threads = int(n), int(threads)
    fails = []

    def worker(k):
        for i in range(k, n, threads):
            try:
                s = socket.create_connection((host, int(port)),
                                             timeout=TIMEOUT)
                msg = ("%063d\n" % i).encode()
                s.sendall(msg)
                s.shutdown(socket.SHUT_WR)
                got = b""
                while True:
                    d = s.recv(4096)
                    if not d:
                        break
                    got += d
                s.close()
                if got != msg:
                    fails.append(i)
            except OSError as e:
                fails.append((i, str(e)))

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("ok %d" % n if not fails else "fail %d %s" % (len(fails),
                                                        fails[:5]))


def cmd_halfclose(host, port, n):
    n = int(n)
    socks = []
    for i in range(n):
        s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        s.sendall(b"q%d" % i)
        s.shutdown(socket.SHUT_WR)
        socks.append(s)
    bad = 0
    for i, s in enumerate(socks):
        got = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
        if got != b"late:q%d" % i:
            bad += 1
        s.close()
    print("ok %d" % n if bad == 0 else "bad %d" % bad)


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:6])
