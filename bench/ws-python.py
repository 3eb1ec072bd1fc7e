# ws-python.py: python3-websockets doing bench/run's WebSocket bulk job.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
#   python3 ws-python.py server       print "port N" on stderr, take one
#                                   client, write every message to stdout,
#                                   exit at its Close
#   python3 ws-python.py client URL   send stdin as binary messages (64 KiB
#                                   chunks), then Close 1000
# The same job as sockcat's ws_bulk row. Needs python3-websockets
# (/usr/bin/python3 on Debian).
import asyncio
import os
import sys

import websockets


async def server():
    done = asyncio.get_running_loop().create_future()
    out = sys.stdout.buffer

    async def handler(ws, path=None):
        async for m in ws:
            out.write(m)
        out.flush()
        done.set_result(None)
    async with websockets.serve(handler, "127.0.0.1", 0, max_size=None,
                                compression=None) as srv:
        print("port %d" % srv.sockets[0].getsockname()[1], file=sys.stderr,
              flush=True)
        await done


async def client(url):
    loop = asyncio.get_running_loop()
    fd = sys.stdin.fileno()
    async with websockets.connect(url, max_size=None,
                                  compression=None) as ws:
        while True:
            chunk = await loop.run_in_executor(None, os.read, fd, 65536)
            if not chunk:
                break
            await ws.send(chunk)


if sys.argv[1] == "server":
    asyncio.run(server())
else:
    asyncio.run(client(sys.argv[2]))
