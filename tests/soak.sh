#!/usr/bin/env bash
# soak.sh: a bounded soak test of a fork listener (make soak; issue 6).
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# A sockcat fork listener (its sessions live in the event loop) forwards to
# a local python3 echo service while SOAK_CLIENTS (default 32) clients, for
# SOAK_SECONDS (default 300), open session after session, each moving a
# random amount (up to SOAK_MAXBYTES, default 1 MiB) of random data and
# checking the echo with sha256; SOAK_LONG (default 8) more clients keep
# long sessions, each open for 2 to 10 s and exchanging a small message
# every 50 ms, each echo checked. The listener's RSS and descriptor count
# are sampled once a second.
# Passes (exit 0) with zero mismatches, zero failed sessions, no zombies,
# the listener's descriptor count back where it started and its RSS flat
# (growth after the warm-up below SOAK_RSS_SLACK_KB, default 1024).
# Prints its figures at the end. Not part of make check.
#
# usage: SOCKCAT=./sockcat tests/soak.sh

set -euo pipefail

SOCKCAT=${SOCKCAT:-$(dirname "$0")/../sockcat}
SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_CLIENTS=${SOAK_CLIENTS:-32}
SOAK_MAXBYTES=${SOAK_MAXBYTES:-1048576}
SOAK_RSS_SLACK_KB=${SOAK_RSS_SLACK_KB:-1024}
SOAK_LONG=${SOAK_LONG:-8}

if [[ ! -x $SOCKCAT ]]; then
	echo "soak: SOCKCAT=$SOCKCAT is not an executable" >&2
	exit 1
fi
dir=$(mktemp -d /tmp/sockcat-soak.XXXXXX)
pids=()

cleanup()
{
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$dir"
}
trap cleanup EXIT

# The echo service: python3, one thread per connection.
timeout $((SOAK_SECONDS + 120)) python3 -c '
import os, socket, socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            d = self.request.recv(262144)
            if not d:
                break
            self.request.sendall(d)
class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
srv = S(("127.0.0.1", 0), H)
pf = sys.argv[1]
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(pf + ".tmp", pf)
srv.serve_forever()
' "$dir/echo.port" &
pids+=($!)

for ((i = 0; i < 200; i++)); do
	[[ -s $dir/echo.port ]] && break
	sleep 0.05
done
eport=$(cat "$dir/echo.port")

# The listener under test ($! is sockcat itself).
"$SOCKCAT" -v tcp-listen:127.0.0.1:0,fork tcp:127.0.0.1:"$eport" \
    2>"$dir/listener.err" &
lpid=$!
pids+=("$lpid")
for ((i = 0; i < 200; i++)); do
	grep -q 'listening on ' "$dir/listener.err" 2>/dev/null && break
	sleep 0.05
done
port=$(sed -nE 's/.*listening on .*:([0-9]+)$/\1/p' "$dir/listener.err" |
    head -n 1)
if [[ -z $port ]]; then
	echo "soak: the listener did not start:" >&2
	cat "$dir/listener.err" >&2
	exit 1
fi

echo "soak: $SOAK_CLIENTS clients and $SOAK_LONG long ones for" \
    "$SOAK_SECONDS s through" \
    "sockcat pid $lpid (port $port) to echo port $eport"

# The clients and the sampler, in one python3 process.
set +e
timeout $((SOAK_SECONDS + 90)) python3 -c '
import hashlib, os, random, socket, sys, threading, time

port, lpid = int(sys.argv[1]), int(sys.argv[2])
secs, nclients, maxbytes = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
slack, nlong = int(sys.argv[6]), int(sys.argv[7])
deadline = time.monotonic() + secs
lock = threading.Lock()
st = {"sessions": 0, "bytes": 0, "mismatch": 0, "failed": 0}
errors = []

def session(rng):
    n = rng.randint(1, maxbytes)
    data = rng.randbytes(n)
    want = hashlib.sha256(data).hexdigest()
    c = socket.create_connection(("127.0.0.1", port), timeout=30)
    def send():
        try:
            view = memoryview(data)
            while view:
                k = c.send(view[:65536])
                view = view[k:]
            c.shutdown(socket.SHUT_WR)
        except OSError as e:
            errors.append("send: %s" % e)
    t = threading.Thread(target=send)
    t.start()
    h = hashlib.sha256()
    got = 0
    while True:
        d = c.recv(262144)
        if not d:
            break
        h.update(d)
        got += len(d)
    t.join()
    c.close()
    return n, got, h.hexdigest() == want

def long_session(rng):
    c = socket.create_connection(("127.0.0.1", port), timeout=30)
    end = time.monotonic() + rng.uniform(2, 10)
    n = 0
    ok = True
    while time.monotonic() < end and time.monotonic() < deadline:
        msg = rng.randbytes(rng.randint(1, 512))
        c.sendall(msg)
        got = b""
        while len(got) < len(msg):
            d = c.recv(len(msg) - len(got))
            if not d:
                break
            got += d
        if got != msg:
            ok = False
            break
        n += len(msg)
        time.sleep(0.05)
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
    c.close()
    return n, n if ok else -1, ok

def client(i):
    rng = random.Random(i * 7919 + int(time.time()))
    while time.monotonic() < deadline:
        try:
            if i >= nclients:
                n, got, ok = long_session(rng)
            else:
                n, got, ok = session(rng)
        except OSError as e:
            with lock:
                st["failed"] += 1
                errors.append("client %d: %s" % (i, e))
            continue
        with lock:
            st["sessions"] += 1
            st["bytes"] += 2 * n
            if not ok:
                st["mismatch"] += 1
                errors.append("client %d: sent %d, got %d back" % (i, n, got))

def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def nfds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))

def children(pid):
    out = []
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/children" % (pid, t)) as f:
            out += [int(x) for x in f.read().split()]
    return out

def zombies(pid):
    n = 0
    for c in children(pid):
        try:
            with open("/proc/%d/stat" % c) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    n += 1
        except OSError:
            pass
    return n

fd0, rss0 = nfds(lpid), rss_kb(lpid)
t0 = time.monotonic()
ts = [threading.Thread(target=client, args=(i,), daemon=True)
      for i in range(nclients + nlong)]
for t in ts:
    t.start()
samples = []
warm = None
while any(t.is_alive() for t in ts):
    time.sleep(1)
    try:
        s = (time.monotonic() - t0, rss_kb(lpid), nfds(lpid),
             len(children(lpid)))
    except OSError:
        errors.append("the listener died")
        break
    samples.append(s)
    if warm is None and s[0] >= min(10, secs / 5):
        warm = s
for t in ts:
    t.join(60)
elapsed = time.monotonic() - t0
# Sessions are over: the children end and are reaped.
for i in range(100):
    if not children(lpid):
        break
    time.sleep(0.1)
fd1, rss1 = nfds(lpid), rss_kb(lpid)
left, zomb = len(children(lpid)), zombies(lpid)
if warm is None:
    warm = samples[0] if samples else (0, rss0, fd0, 0)
peak_rss = max([s[1] for s in samples] + [rss1])
peak_fd = max([s[2] for s in samples] + [fd1])
peak_children = max([s[3] for s in samples] + [0])

print("soak: %.0f s, %d+%d clients, %d sessions, %.1f MB moved (%.1f MB/s), "
      "%d mismatches, %d failed sessions"
      % (elapsed, nclients, nlong, st["sessions"], st["bytes"] / 1e6,
         st["bytes"] / 1e6 / elapsed, st["mismatch"], st["failed"]))
print("soak: listener RSS %d KiB at start, %d KiB after warm-up, "
      "%d KiB peak, %d KiB at the end" % (rss0, warm[1], peak_rss, rss1))
print("soak: listener fds %d at start, %d peak, %d at the end; "
      "children peak %d, %d left, %d zombies"
      % (fd0, peak_fd, fd1, peak_children, left, zomb))
bad = []
if st["mismatch"]:
    bad.append("%d mismatches" % st["mismatch"])
if st["failed"]:
    bad.append("%d failed sessions" % st["failed"])
if st["sessions"] == 0:
    bad.append("no session completed")
if fd1 != fd0:
    bad.append("descriptor count %d -> %d" % (fd0, fd1))
if rss1 - warm[1] > slack or peak_rss - warm[1] > slack:
    bad.append("RSS grew by %d KiB after the warm-up"
               % (max(rss1, peak_rss) - warm[1]))
if left or zomb:
    bad.append("%d children left, %d zombies" % (left, zomb))
for e in errors[:10]:
    print("soak: " + e)
if bad:
    print("soak: FAIL: " + "; ".join(bad))
    sys.exit(1)
print("soak: PASS")
' "$port" "$lpid" "$SOAK_SECONDS" "$SOAK_CLIENTS" "$SOAK_MAXBYTES" \
    "$SOAK_RSS_SLACK_KB" "$SOAK_LONG"
rc=$?
set -e
if ! kill -0 "$lpid" 2>/dev/null; then
	echo "soak: FAIL: the listener is gone" >&2
	rc=1
fi
n=$(grep -cv -e 'listening on' -e 'accepted ' -e 'connected to' \
    -e 'session end' "$dir/listener.err" || true)
if ((n > 0)); then
	echo "soak: $n unexpected lines from the listener:"
	grep -v -e 'listening on' -e 'accepted ' -e 'connected to' \
	    -e 'session end' "$dir/listener.err" | head -n 10
fi
exit "$rc"
