#!/usr/bin/env bats
# dgram.bats: unix datagram and seqpacket sockets keep message boundaries;
# the unix client's type fallback; abstract sockets with fork.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# setup_file: the python peer used by most tests, in $BATS_FILE_TMPDIR/dg.py.
#   dg.py server TYPE PATH N LOG READY  listen on PATH (TYPE dgram or
#       seqpacket), receive N messages and write the sha256 of each to LOG,
#       and meanwhile send N messages (seed 2) to the first sender
#   dg.py client TYPE PATH N LOG        connect to PATH (autobound for
#       dgram), send N messages (seed 1) and meanwhile receive N messages,
#       writing the sha256 of each to LOG
#   dg.py expect SEED N                 the sha256 lines the far side logs
# Sizes vary from 1 byte to 60000 bytes; content is random per message.
setup_file()
{
	cat >"$BATS_FILE_TMPDIR/dg.py" <<'EOF'
import hashlib, os, random, socket, sys, threading

def messages(seed, n):
    rng = random.Random(seed)
    for k in range(n):
        kind = rng.random()
        if kind < 0.5:
            size = rng.randint(1, 64)
        elif kind < 0.9:
            size = rng.randint(65, 4096)
        else:
            size = rng.randint(4097, 60000)
        yield rng.randbytes(size)

def sha(d):
    return "%d %s" % (len(d), hashlib.sha256(d).hexdigest()[:16])

def receive(recv, n, log):
    with open(log, "w") as f:
        for k in range(n):
            f.write(sha(recv()) + "\n")
            f.flush()

mode = sys.argv[1]
if mode == "expect":
    for d in messages(int(sys.argv[2]), int(sys.argv[3])):
        print(sha(d))
    sys.exit(0)
typ = {"dgram": socket.SOCK_DGRAM,
       "seqpacket": socket.SOCK_SEQPACKET}[sys.argv[2]]
path, n, log = sys.argv[3], int(sys.argv[4]), sys.argv[5]
s = socket.socket(socket.AF_UNIX, typ)
if mode == "server":
    s.bind(path)
    if typ == socket.SOCK_SEQPACKET:
        s.listen(1)
    open(sys.argv[6], "w").close()
    if typ == socket.SOCK_SEQPACKET:
        c, _ = s.accept()
        recv = lambda: c.recv(70000)
        send = c.send
        first = None
    else:
        first = s.recvfrom(70000)
        peer = first[1]
        recv = lambda: s.recv(70000)
        send = lambda d: s.sendto(d, peer)
    if first is not None:
        with open(log, "w") as f:
            f.write(sha(first[0]) + "\n")
        t = threading.Thread(target=receive, args=(recv, n - 1, log + ".more"))
    else:
        t = threading.Thread(target=receive, args=(recv, n, log + ".more"))
    t.start()
    for d in messages(2, n):
        send(d)
    t.join()
    with open(log, "a") as f:
        f.write(open(log + ".more").read())
else:
    if typ == socket.SOCK_DGRAM:
        s.bind("")	# autobind: answers need an address to go to
    s.connect(path)
    s.settimeout(20)
    t = threading.Thread(target=receive, args=(lambda: s.recv(70000), n, log))
    t.start()
    for d in messages(1, n):
        s.send(d)
    t.join()
EOF
}

# dg ARGS...: run dg.py under timeout.
dg()
{
	timeout 60 python3 "$BATS_FILE_TMPDIR/dg.py" "$@"
}

# boundaries TYPE: 1,000 messages each way between two python peers through
# unix-listen,type=TYPE -> unix; each side gets every message whole, alone
# and in order.
boundaries()
{
	local type=$1
	start_bg far timeout 120 python3 "$BATS_FILE_TMPDIR/dg.py" server \
	    "$type" "$SOCKDIR/far" 1000 "$W/far.log" "$W/far.ready"
	wait_for_file "$W/far.ready" 10
	start_listener mid unix-listen:"$SOCKDIR/mid",type="$type" \
	    unix:"$SOCKDIR/far"
	dg client "$type" "$SOCKDIR/mid" 1000 "$W/near.log"
	wait_exit "${BG_PIDS[0]}" 20
	[[ $BG_STATUS -eq 0 ]]
	dg expect 1 1000 >"$W/want1"
	dg expect 2 1000 >"$W/want2"
	cmp "$W/want1" "$W/far.log"
	cmp "$W/want2" "$W/near.log"
	grep -Fq "sockcat: connected to $SOCKDIR/far ($type)" "$W/mid.err"
}

@test "dgram: unix datagram: 1,000 messages of varied sizes keep their boundaries both ways" {
	boundaries dgram
}

@test "dgram: unix seqpacket: 1,000 messages of varied sizes keep their boundaries both ways" {
	boundaries seqpacket
}

@test "dgram: the unix client tries stream, then seqpacket, then datagram" {
	local type
	for type in stream seqpacket dgram; do
		start_listener "srv-$type" \
		    unix-listen:"$SOCKDIR/$type",type="$type" echo
		run -0 --separate-stderr sc -v -t 1 unix:"$SOCKDIR/$type" \
		    <<<"via $type"
		[[ $output == "via $type" ]]
		[[ ${stderr_lines[0]} == "sockcat: connected to $SOCKDIR/$type ($type)" ]]
	done
}

@test "dgram: a unix datagram client autobinds, so a python server can answer it" {
	start_bg far timeout 60 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
d, a = s.recvfrom(100)
with open(sys.argv[3], "w") as f:
    f.write(a.hex() if isinstance(a, bytes) else a.encode().hex())
s.sendto(b"answer to " + d, a)
' "$SOCKDIR/far" "$W/ready" "$W/addr"
	wait_for_file "$W/ready" 10
	run -0 sc -t 1 unix:"$SOCKDIR/far" < <(printf 'ping')
	[[ $output == "answer to ping" ]]
	# an autobound address is abstract: a NUL byte, then 5 hex digits
	grep -Eq '^00([0-9a-f]{2}){5}$' "$W/addr"
}

@test "dgram: unix-listen,type=dgram serves the first sender, not later ones" {
	start_listener srv unix-listen:"$SOCKDIR/s",type=dgram \
	    system:'sed -u s/^/got:/'
	run -0 timeout "$TMO" python3 -c '
import socket, sys, time
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
b = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a.bind(""); b.bind("")
a.settimeout(3); b.settimeout(0.5)
a.sendto(b"from a 1\n", sys.argv[1])
try:
    b.sendto(b"from b\n", sys.argv[1])
except PermissionError:
    pass	# the listener is connected to a already: the kernel refuses b
a.sendto(b"from a 2\n", sys.argv[1])
got = b""
while got.count(b"\n") < 2:
    got += a.recv(100)
print(got.decode(), end="")
try:
    print("b got", b.recv(100))
except socket.timeout:
    pass
' "$SOCKDIR/s"
	[[ $output == $'got:from a 1\ngot:from a 2' ]]
}

@test "dgram: a datagram listener's socket file stays while it serves, then goes" {
	start_listener srv -T 1 unix-listen:"$SOCKDIR/s",type=dgram echo
	run -0 timeout "$TMO" python3 -c '
import socket, sys
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a.bind("")
a.settimeout(3)
for k in range(3):
    # unconnected: each datagram goes to the path again
    a.sendto(b"%d" % k, sys.argv[1])
    print(a.recv(100).decode())
' "$SOCKDIR/s"
	[[ $output == $'0\n1\n2' ]]
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
	[[ ! -e $SOCKDIR/s ]]
}

@test "dgram: unix-listen,type=dgram,fork is refused with a reason" {
	run -2 --separate-stderr sc unix-listen:"$SOCKDIR/s",type=dgram,fork echo
	assert_one_error "fork needs type=stream or type=seqpacket"
}

@test "dgram: seqpacket passes end of input on as a half-close" {
	start_listener srv unix-listen:"$SOCKDIR/s",type=seqpacket \
	    system:'wc -c'
	run -0 sc unix:"$SOCKDIR/s" <<<"twelve bytes"
	[[ $output -eq 13 ]]
}

@test "dgram: curl --abstract-unix-socket through abstract-listen,fork -> tcp to http.server" {
	curl --help all 2>/dev/null | grep -q -- --abstract-unix-socket ||
	    skip "this curl has no --abstract-unix-socket"
	local name=sockcat-test-$$-$RANDOM i
	mkdir "$W/www"
	head -c 300000 /dev/urandom >"$W/www/f.bin"
	printf 'abstract index\n' >"$W/www/index.txt"
	start_http_server http "$W/www" "$W/http.port"
	start_listener fwd abstract-listen:"$name",fork \
	    tcp:127.0.0.1:"$(cat "$W/http.port")"
	for i in 1 2 3; do
		timeout "$TMO" curl -sS --abstract-unix-socket "$name" \
		    -o "$W/out$i" http://localhost/f.bin
		cmp "$W/www/f.bin" "$W/out$i"
	done
	run -0 timeout "$TMO" curl -sS --abstract-unix-socket "$name" \
	    http://localhost/index.txt
	[[ $output == "abstract index" ]]
	is_alive "$BG_PID"
	grep -Fq "sockcat: listening on @$name" "$W/fwd.err"
}

@test "dgram: abstract-listen,fork serves clients at once; abstract seqpacket" {
	local name=sockcat-test-$$-$RANDOM i
	local -a pids=()
	start_listener srv abstract-listen:"$name",fork exec:cat
	for i in 1 2 3; do
		sc abstract:"$name" <<<"client $i" >"$W/out$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in 1 2 3; do
		[[ $(cat "$W/out$i") == "client $i" ]]
	done
	start_listener sp abstract-listen:"$name-sp",type=seqpacket echo
	run -0 --separate-stderr sc -v abstract:"$name-sp" <<<"seqpacket"
	[[ $output == seqpacket ]]
	[[ ${stderr_lines[0]} == "sockcat: connected to @$name-sp (seqpacket)" ]]
}

@test "dgram: abstract names leave no file behind" {
	local name=sockcat-test-$$-$RANDOM
	start_listener srv abstract-listen:"$name" exec:cat
	run -0 sc abstract:"$name" <<<"x"
	[[ ! -e $name && ! -e @$name ]]
}
