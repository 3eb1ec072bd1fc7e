#!/usr/bin/env bats
# many.bats: many sessions in one process (SPEC 10): the event loop of a
# fork listener, workers, max-children, broker and chat.

load helper

PY=${BATS_TEST_DIRNAME}/many.py

setup_file()
{
	cd "$BATS_FILE_TMPDIR" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout many.key -out many.pem -days 30 -subj /CN=many \
	    -addext subjectAltName=IP:127.0.0.1 2>/dev/null
}

# start_py NAME SUBCOMMAND ARGS...: a many.py server; sets PYPORT.
start_py()
{
	local name=$1
	shift
	start_bg "$name" timeout 300 python3 "$PY" "$1" "$W/$name.port" \
	    "${@:2}"
	wait_for_file "$W/$name.port" 10
	PYPORT=$(cat "$W/$name.port")
}

# rss_kib PID: the resident set of PID, KiB.
rss_kib()
{
	awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status
}

# hold_check NAME FRONT-ADDRESS KIND CONNECT-TO: 500 sessions held open at
# once through a fork listener FRONT-ADDRESS to the echo server, each with
# its own bytes echoed; while they are open, the listener is one process
# (no child) of bounded RSS.
hold_check()
{
	local name=$1 front=$2 kind=$3 host port kids rss
	start_py echo echo "$W/echo.max"
	start_listener "$name" -b 16k "$front" "tcp:127.0.0.1:$PYPORT"
	host=127.0.0.1
	port=${4:-$PORT}
	start_bg hold timeout 120 python3 "$PY" hold "$host" "$port" 500 \
	    "$kind" "$W/release"
	wait_for_line "$W/hold.out" '^open 500$' 90
	kids=$(children_of "$LPID" | wc -l)
	rss=$(rss_kib "$LPID")
	echo "children $kids, RSS $rss KiB" >&3
	[[ $kids -eq 0 ]]
	# ASan's shadow memory makes RSS meaningless there.
	sanitized || ((rss < 40000))
	[[ $(cat "$W/echo.max") -ge 500 ]]
	touch "$W/release"
	wait_for_line "$W/hold.out" '^ok 500$' 60
}

@test "many: 500 held-open TCP sessions, unique data each, one process" {
	hold_check front tcp-listen:0,fork tcp
}

@test "many: 500 held-open sessions through unix-listen,fork" {
	hold_check front "unix-listen:$SOCKDIR/f.sock,fork" unix \
	    "$SOCKDIR/f.sock"
}

@test "many: 500 held-open sessions through abstract-listen,fork" {
	hold_check front "abstract-listen:sc-many-$$-$BATS_TEST_NUMBER,fork" \
	    abstract "sc-many-$$-$BATS_TEST_NUMBER"
}

@test "many: 500 held-open sessions through tls-listen,fork" {
	local C=$BATS_FILE_TMPDIR
	hold_check front \
	    "tls-listen:127.0.0.1:0,fork,cert=$C/many.pem,key=$C/many.key" tls
}

@test "many: max-children bounds the sessions at the backend" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork,max-children=5 \
	    "tcp:127.0.0.1:$PYPORT"
	run -0 timeout 60 python3 "$PY" hold 127.0.0.1 "$PORT" 5
	[[ $output == *"ok 5" ]]
	run -0 timeout 60 python3 "$PY" burst 127.0.0.1 "$PORT" 60 20
	[[ $output == "ok 60" ]]
	[[ $(cat "$W/echo.max") -le 5 ]]
}

@test "many: max-sessions is max-children, counted across workers" {
	start_py echo echo "$W/echo.max"
	start_listener front \
	    tcp-listen:127.0.0.1:0,fork,max-sessions=3,workers=2 \
	    "tcp:127.0.0.1:$PYPORT"
	run -0 timeout 60 python3 "$PY" burst 127.0.0.1 "$PORT" 80 16
	[[ $output == "ok 80" ]]
	[[ $(cat "$W/echo.max") -le 3 ]]
}

@test "many: 2,000 short connections from 4 clients, none fails" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:127.0.0.1:$PYPORT"
	run -0 timeout 120 python3 "$PY" burst 127.0.0.1 "$PORT" 2000 4
	[[ $output == "ok 2000" ]]
	[[ $(children_of "$LPID" | wc -l) -eq 0 ]]
}

@test "many: workers=2 serves from two processes sharing the socket" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork,workers=2 \
	    "tcp:127.0.0.1:$PYPORT"
	[[ $(children_of "$LPID" | wc -l) -eq 1 ]]
	run -0 timeout 60 python3 "$PY" burst 127.0.0.1 "$PORT" 400 8
	[[ $output == "ok 400" ]]
	# Session ids are unique across the workers.
	[[ $(grep -c accepted "$W/front.err") -eq 400 ]]
	[[ $(awk -F'[][ ]' '/accepted/ { print $2 }' "$W/front.err" |
	    sort -u | wc -l) -eq 400 ]]
}

@test "many: a client that never reads does not slow a 10 MiB transfer" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:127.0.0.1:$PYPORT"
	# A peer that sends and never reads: its session stalls on back-pressure.
	start_bg stuck timeout 60 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.setblocking(False)
sent = 0
end = time.time() + 50
while time.time() < end:
    try:
        sent += s.send(b"x" * 65536)
    except BlockingIOError:
        time.sleep(0.01)
' "$PORT"
	head -c 10M /dev/urandom >"$W/ten"
	local t0 t1
	t0=$(now)
	sc tcp:127.0.0.1:"$PORT" <"$W/ten" >"$W/ten.back"
	t1=$(now)
	cmp "$W/ten" "$W/ten.back"
	elapsed_between "$t0" "$t1" 0 10
}

@test "many: 20 clients each get a late answer after their half-close" {
	start_py late late 0.5
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:127.0.0.1:$PYPORT"
	run -0 timeout 60 python3 "$PY" halfclose 127.0.0.1 "$PORT" 20
	[[ $output == "ok 20" ]]
}

@test "many: SIGTERM ends every session and leaves no process" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork,workers=2 \
	    "tcp:127.0.0.1:$PYPORT"
	local worker
	worker=$(children_of "$LPID")
	start_bg hold timeout 60 python3 "$PY" hold 127.0.0.1 "$PORT" 20 tcp \
	    "$W/never"
	wait_for_line "$W/hold.out" '^open 20$' 30
	kill -TERM "$LPID"
	local k
	for ((k = 0; k < 60; k++)); do
		is_alive "$LPID" || is_alive "$worker" || break
		sleep 0.05
	done
	! is_alive "$LPID"
	! is_alive "$worker"
}

@test "many: a stalled TLS handshake to ADDRESS2 delays no other session" {
	local C=$BATS_FILE_TMPDIR
	start_py tls tlsstall "$C/many.pem" "$C/many.key"
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tls:127.0.0.1:$PYPORT,cafile=$C/many.pem,connect-timeout=20"
	# The first session's handshake never ends ...
	start_bg first timeout 30 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
	wait_for_line "$W/front.err" 'accepted' 5
	# ... the second one works at once.
	run -0 timeout 5 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <<<"second"
	[[ $output == "second" ]]
}

@test "many: a name in ADDRESS2 is resolved without blocking the loop" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:localhost:$PYPORT"
	run -0 timeout 10 "$SOCKCAT" -4 tcp:127.0.0.1:"$PORT" <<<"by name"
	[[ $output == "by name" ]]
}

# session_ends: how many sessions front.err says have ended.
session_ends()
{
	grep -c 'session end' "$W/front.err"
}

@test "many: -v lines of loop sessions carry their id and peer" {
	start_py echo echo "$W/echo.max"
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:127.0.0.1:$PYPORT"
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"one"
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"two"
	wait_for_counter session_ends 2 10
	grep -Eq '^sockcat\[1 127\.0\.0\.1:[0-9]+\]: session end: 4 bytes >, 4 bytes <' \
	    "$W/front.err"
	grep -Eq '^sockcat\[2 127\.0\.0\.1:[0-9]+\]: session end: 4 bytes >, 4 bytes <' \
	    "$W/front.err"
}

@test "many: exec and system sessions still fork, and are reaped" {
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    system:'echo "pid $$"; cat'
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"a"
	local p1=${lines[0]}
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"b"
	[[ ${lines[0]} == "pid "* && ${lines[0]} != "$p1" ]]
	[[ ${lines[1]} == "b" ]]
	local k
	for ((k = 0; k < 40; k++)); do
		[[ $(children_of "$LPID" | wc -l) -eq 0 &&
		    $(zombies_of "$LPID") -eq 0 ]] && break
		sleep 0.05
	done
	[[ $(zombies_of "$LPID") -eq 0 ]]
}

# ---- broker and chat ---------------------------------------------------

# start_room NAME INPUT ARGS...: a listener reading stdin from INPUT (a
# fifo fed by the test); sets PORT and LPID as start_listener does.
start_room()
{
	local name=$1 input=$2
	shift 2
	start_bg "$name" -i "$input" timeout 120 "$SOCKCAT" -v "$@"
	wait_for_line "$W/$name.err" 'listening on ' 10 || return 1
	PORT=$(listen_port "$W/$name.err")
	LPID=$(child_pid "$BG_PID")
}

@test "broker: every byte of one client goes to the others and ADDRESS2" {
	mkfifo "$W/in"
	start_bg feeder timeout 60 sh -c "exec 3>'$W/in'; echo 'from stdio' >&3; sleep 30"
	start_room brk "$W/in" tcp-listen:127.0.0.1:0,broker -
	run -0 timeout 30 python3 -c '
import socket, sys, time
p = int(sys.argv[1])
c = [socket.create_connection(("127.0.0.1", p)) for i in range(3)]
time.sleep(0.3)
c[0].sendall(b"one says hi\n")
def upto(s, want):
    s.settimeout(10)
    got = b""
    while want not in got:
        d = s.recv(65536)
        if not d:
            break
        got += d
    return got
for k in (1, 2):
    g = upto(c[k], b"one says hi\n")
    assert b"one says hi\n" in g, (k, g)
c[0].settimeout(0.5)
try:
    g = c[0].recv(65536)
except socket.timeout:
    g = b""
assert b"one says hi" not in g, g
print("ok")
' "$PORT"
	[[ $output == ok ]]
	wait_for_line "$W/brk.out" '^one says hi$' 5
	# What stdio sent before anyone came went to nobody; a client joining
	# now gets what stdio sends next: that is covered by chat below.
}

@test "chat: lines are prefixed <userN>, arrivals and departures announced" {
	mkfifo "$W/in"
	start_bg feeder timeout 60 sh -c "exec 3>'$W/in'; sleep 2; echo 'room notice' >&3; sleep 30"
	start_room chat "$W/in" tcp-listen:127.0.0.1:0,chat -
	run -0 timeout 30 python3 -c '
import socket, sys, time
p = int(sys.argv[1])
def upto(s, want):
    s.settimeout(10)
    got = b""
    while want not in got:
        d = s.recv(65536)
        if not d:
            break
        got += d
    return got
a = socket.create_connection(("127.0.0.1", p))
time.sleep(0.2)
b = socket.create_connection(("127.0.0.1", p))
g = upto(a, b"joined\n")
assert g.startswith(b"<announce> <user2> (127.0.0.1:"), g
a.sendall(b"hello ")
time.sleep(0.2)
a.sendall(b"there\nsecond line\n")
g = upto(b, b"<user1> second line\n")
assert g == b"<user1> hello there\n<user1> second line\n", g
g = upto(a, b"<user0> room notice\n")
assert b"<user0> room notice\n" in g, g
b.close()
g = upto(a, b"<announce> <user2> left\n")
assert g.endswith(b"<announce> <user2> left\n"), g
print("ok")
' "$PORT"
	[[ $output == ok ]]
	wait_for_line "$W/chat.out" '^<user1> second line$' 5
	grep -q '^<announce> <user1> (127\.0\.0\.1:[0-9]*) joined$' "$W/chat.out"
}

@test "broker: a stuck reader is dropped while 100 MiB reach the others" {
	mkfifo "$W/in"
	start_bg feeder timeout 120 sh -c "exec 3>'$W/in'; sleep 100"
	start_room brk "$W/in" -b 256k tcp-listen:127.0.0.1:0,broker -
	run -0 timeout 100 python3 -c '
import hashlib, os, socket, sys, threading, time
p = int(sys.argv[1])
stuck = socket.create_connection(("127.0.0.1", p))
stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
reader = socket.create_connection(("127.0.0.1", p))
sender = socket.create_connection(("127.0.0.1", p))
time.sleep(0.3)
total = 100 * 1024 * 1024
h = hashlib.sha256()
got = [0, hashlib.sha256()]
def read():
    while got[0] < total:
        d = reader.recv(1 << 20)
        if not d:
            break
        got[0] += len(d)
        got[1].update(d)
t = threading.Thread(target=read)
t.start()
block = os.urandom(1 << 20)
for i in range(100):
    sender.sendall(block)
    h.update(block)
t.join(60)
assert got[0] == total, got[0]
assert got[1].hexdigest() == h.hexdigest()
print("ok", stuck.getsockname()[1])
' "$PORT"
	[[ $output == "ok "* ]]
	# The one that never read was dropped, the others were not.
	grep -Eq "127\.0\.0\.1:${output#ok }: dropped: it stopped reading" \
	    "$W/brk.err"
	[[ $(grep -c 'dropped:' "$W/brk.err") -eq 1 ]]
	local rss
	rss=$(rss_kib "$LPID")
	echo "broker RSS after 100 MiB: $rss KiB" >&3
	sanitized || ((rss < 32768))
	# stdout (ADDRESS2) got it all too.
	wait_for_size "$W/brk.out" $((100 * 1024 * 1024)) 20
}

@test "broker: options are for ADDRESS1 and one worker" {
	run -2 --separate-stderr "$SOCKCAT" - tcp-listen:0,broker
	[[ $stderr == *"broker works on ADDRESS1 only"* ]]
	run -2 --separate-stderr "$SOCKCAT" tcp-listen:0,chat,workers=2 -
	[[ $stderr == *"chat needs one worker"* ]]
}

@test "many: workers= without an event loop is refused, not ignored" {
	run -2 --separate-stderr timeout 10 "$SOCKCAT" tcp-listen:0,fork,workers=2 \
	    exec:cat
	[[ $stderr == "sockcat: "*"workers needs fork"* ]]
	run -2 --separate-stderr timeout 10 "$SOCKCAT" tcp-listen:0,workers=2 \
	    tcp:127.0.0.1:9
	[[ $stderr == "sockcat: "*"workers needs fork"* ]]
	run -2 --separate-stderr timeout 10 "$SOCKCAT" tcp-listen:0,broker,accept-timeout=1 -
	[[ $stderr == *"broker rooms take no accept-timeout"* ]]
}

@test "many: accept-timeout= stops a fork listener whose sessions would loop" {
	start_py echo echo "$W/echo.max"
	start_bg l timeout 20 "$SOCKCAT" -v \
	    tcp-listen:127.0.0.1:0,fork,accept-timeout=1 "tcp:127.0.0.1:$PYPORT"
	wait_for_line "$W/l.err" 'listening on' 10
	PORT=$(listen_port "$W/l.err")
	run -0 timeout 10 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <<<"one"
	[[ $output == one ]]
	# A second of no peer ends it, status 0, as socat's accept-timeout.
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	grep -q 'accept-timeout: no more peers' "$W/l.err"
}

@test "many: the descriptor limit capping sessions is said once" {
	start_py echo echo "$W/echo.max"
	start_bg front timeout 60 bash -c \
	    'ulimit -n 40 && exec "$1" -v tcp-listen:127.0.0.1:0,fork "$2"' \
	    lim "$SOCKCAT" "tcp:127.0.0.1:$PYPORT"
	wait_for_line "$W/front.err" 'listening on ' 10
	PORT=$(listen_port "$W/front.err")
	run -0 timeout 30 python3 -c '
import select, socket, sys, time
p = int(sys.argv[1])
cs = [socket.create_connection(("127.0.0.1", p)) for i in range(40)]
for c in cs:
    c.sendall(b"x")
end, ok = time.time() + 3, set()
while time.time() < end and len(ok) < len(cs):
    r, _, _ = select.select([c for c in cs if c not in ok], [], [], 0.2)
    for c in r:
        try:
            if c.recv(1) == b"x":
                ok.add(c)
        except ConnectionResetError:
            cs.remove(c)	# closed for want of a descriptor
print(len(ok))
' "$PORT"
	echo "sessions served at once: $output" >&3
	((output > 5 && output < 40))
	[[ $(grep -c 'descriptor limit caps the sessions' "$W/front.err") -eq 1 ]]
	# The held ones are gone: the listener serves again.
	run -0 timeout 10 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <<<"again"
	[[ $output == again ]]
}

@test "many: socks5-listen,fork serves its clients from one process" {
	start_py echo echo "$W/echo.max"
	start_listener socks socks5-listen:127.0.0.1:0,fork
	local sp=$PORT
	start_listener front tcp-listen:127.0.0.1:0,fork \
	    "tcp:127.0.0.1:$PYPORT,proxy=socks5h://127.0.0.1:$sp"
	start_bg hold timeout 60 python3 "$PY" hold 127.0.0.1 "$PORT" 50 tcp \
	    "$W/release"
	wait_for_line "$W/hold.out" '^open 50$' 30
	[[ $(children_of "$(child_pid "${BG_PIDS[1]}")" | wc -l) -eq 0 ]]
	[[ $(children_of "$LPID" | wc -l) -eq 0 ]]
	touch "$W/release"
	wait_for_line "$W/hold.out" '^ok 50$' 30
}

@test "many: ws-listen,fork holds WebSocket sessions in one process" {
	/usr/bin/python3 -c 'import websockets' 2>/dev/null ||
	    skip "python3-websockets is not installed"
	start_py echo echo "$W/echo.max"
	start_listener front ws-listen:127.0.0.1:0,fork "tcp:127.0.0.1:$PYPORT"
	start_bg wsc timeout 60 /usr/bin/python3 -c '
import asyncio, os, sys, websockets
async def main(port, release):
    conns = [await websockets.connect("ws://127.0.0.1:%d/" % port)
             for i in range(50)]
    for i, c in enumerate(conns):
        await c.send("session %d" % i)
    for i, c in enumerate(conns):
        assert await c.recv() == "session %d" % i
    print("open 50", flush=True)
    while not os.path.exists(release):
        await asyncio.sleep(0.05)
    for c in conns:
        await c.close()
    print("ok 50", flush=True)
asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
' "$PORT" "$W/release"
	wait_for_line "$W/wsc.out" '^open 50$' 30
	[[ $(children_of "$LPID" | wc -l) -eq 0 ]]
	touch "$W/release"
	wait_for_line "$W/wsc.out" '^ok 50$' 30
}

@test "chat: a WebSocket chat room on ws-listen" {
	/usr/bin/python3 -c 'import websockets' 2>/dev/null ||
	    skip "python3-websockets is not installed"
	mkfifo "$W/in"
	start_bg feeder timeout 60 sh -c "exec 3>'$W/in'; sleep 30"
	start_room room "$W/in" ws-listen:127.0.0.1:0,chat -
	run -0 timeout 30 /usr/bin/python3 -c '
import asyncio, sys, websockets
async def main(port):
    a = await websockets.connect("ws://127.0.0.1:%d/" % port)
    b = await websockets.connect("ws://127.0.0.1:%d/" % port)
    m = await a.recv()
    assert m.startswith("<announce> <user2> (127.0.0.1:"), m
    await a.send("hello room")
    m = await b.recv()
    assert m == "<user1> hello room", m
    print("ok")
asyncio.run(main(int(sys.argv[1])))
' "$PORT"
	[[ $output == ok ]]
	wait_for_line "$W/room.out" '^<user1> hello room$' 5
}
