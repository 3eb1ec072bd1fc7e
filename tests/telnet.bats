#!/usr/bin/env bats
# telnet.bats: the telnet option and the telnet type (SPEC 9, issue 13),
# against python3 servers that speak Telnet and against GNU inetutils
# telnetd, started per connection by a small inetd.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

teardown()
{
	tm_kill
	common_teardown
}

# tn_server NAME SEND [MODE]: a TCP server on 127.0.0.1:0 for one client
# that sends the bytes SEND (a python bytes literal), one byte at a time
# with a pause when MODE is "split"; it writes what it receives to
# $W/NAME.got until the client closes, then closes. Port in PEER_PORT.
tn_server()
{
	start_bg "$1" timeout 120 python3 -c '
import os, socket, sys, time
name, send, mode = sys.argv[1], eval(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
with open(name + ".port.tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(name + ".port.tmp", name + ".port")
c, a = s.accept()
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
if mode == "split":
    for b in send:
        c.sendall(bytes([b]))
        time.sleep(0.002)
else:
    c.sendall(send)
got = open(name + ".got", "wb")
c.settimeout(20)
while True:
    d = c.recv(65536)
    if not d:
        break
    got.write(d)
    got.flush()
c.close()
' "$W/$1" "$2" "${3:-whole}"
	wait_for_line "$W/$1.port" '^[0-9]+$' 10
	PEER_PORT=$(cat "$W/$1.port")
}

# hex FILE: the bytes of FILE in hex, one string.
hex()
{
	od -An -tx1 -v "$1" | tr -d ' \n'
}

# The requests of the tests: IAC DO ECHO, IAC WILL SGA, IAC DO NAWS, a
# subnegotiation (IAC SB TERMINAL-TYPE SEND IAC SE), around the data.
REQUESTS='b"hello \xff\xfd\x01\xff\xfb\x03wor\xff\xfd\x1fld\xff\xfa\x18\x01\xff\xf0\r\n"'
# What a client that refuses everything answers: WONT ECHO, DONT SGA,
# WONT NAWS.
REFUSALS=fffc01fffe03fffc1f

# run_telnet SERVER-NAME ADDRESS...: sockcat ADDRESS with a fifo for its
# input, kept open until the server's line is in, then closed (an end of
# input sooner would half-close before the refusals are sent).
run_telnet()
{
	local name=$1 kbd pid k
	shift
	mkfifo "$W/$name.in"
	start_bg "$name-client" -i "$W/$name.in" "$SOCKCAT" "$@"
	pid=$BG_PID
	exec {kbd}>"$W/$name.in"
	wait_for_line "$W/$name-client.out" "hello world" 10
	for ((k = 0; k < 200; k++)); do
		[[ $(hex "$W/$name.got" 2>/dev/null) == "$REFUSALS" ]] && break
		sleep 0.05
	done
	exec {kbd}>&-
	wait_exit "$pid" 10
	CLIENT_STATUS=$BG_STATUS
}

@test "telnet: every DO gets WONT, every WILL DONT; commands are taken out" {
	tn_server tn "$REQUESTS"
	run_telnet tn "tcp:127.0.0.1:$PEER_PORT,telnet"
	[[ $CLIENT_STATUS == 0 ]]
	[[ $(hex "$W/tn.got") == "$REFUSALS" ]]
	# What the user sees: the data, not one 0xff byte.
	printf 'hello world\r\n' >"$W/want"
	cmp "$W/want" "$W/tn-client.out"
	[[ ! -s $W/tn-client.err ]]
}

@test "telnet: commands split anywhere across reads are taken out the same" {
	tn_server tn "$REQUESTS" split
	run_telnet tn "tcp:127.0.0.1:$PEER_PORT,telnet"
	[[ $CLIENT_STATUS == 0 ]]
	[[ $(hex "$W/tn.got") == "$REFUSALS" ]]
	printf 'hello world\r\n' >"$W/want"
	cmp "$W/want" "$W/tn-client.out"
}

@test "telnet: without the option the commands reach the user as they are" {
	tn_server tn "$REQUESTS"
	mkfifo "$W/in"
	start_bg plain -i "$W/in" "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	local pid=$BG_PID kbd
	exec {kbd}>"$W/in"
	wait_for_size "$W/plain.out" 27 10
	exec {kbd}>&-
	wait_exit "$pid" 10
	[[ $BG_STATUS == 0 ]]
	[[ ! -s $W/tn.got ]]
	[[ $(hex "$W/plain.out") == *fffd01fffb03* ]]
}

@test "telnet: IAC IAC is one 0xff; CR NUL is CR" {
	tn_server tn 'b"a\xff\xffb\r\x00c\r\n"'
	printf 'x\n' >"$W/in"
	sc "tcp:127.0.0.1:$PEER_PORT,telnet" <"$W/in" >"$W/got"
	printf 'a\377b\rc\r\n' >"$W/want"
	cmp "$W/want" "$W/got"
}

@test "telnet: 0xff sent is doubled; LF stays LF (no crlf by itself)" {
	tn_server tn 'b""'
	printf 'a\377b\n\377\n' >"$W/in"
	run -0 sc "tcp:127.0.0.1:$PEER_PORT,telnet" <"$W/in"
	wait_for_size "$W/tn.got" 8 10
	printf 'a\377\377b\n\377\377\n' >"$W/want"
	cmp "$W/want" "$W/tn.got"
}

@test "telnet: the telnet type sends CRLF and speaks Telnet" {
	tn_server tn "$REQUESTS"
	run_telnet tn "telnet:127.0.0.1:$PEER_PORT"
	[[ $CLIENT_STATUS == 0 ]]
	# crlf both ways: the server's CRLF is read as LF.
	printf 'hello world\n' >"$W/want"
	cmp "$W/want" "$W/tn-client.out"

	tn_server crlf 'b""'
	printf 'one\ntwo\n' >"$W/in"
	run -0 sc "telnet:127.0.0.1:$PEER_PORT" <"$W/in"
	wait_for_size "$W/crlf.got" 10 10
	printf 'one\r\ntwo\r\n' >"$W/want"
	cmp "$W/want" "$W/crlf.got"
}

@test "telnet: the telnet type's port is 23 by default" {
	# -z connects without sending: the port tried shows in its -v line.
	run --separate-stderr sc -v -z -4 telnet:127.0.0.1,connect-timeout=1
	[[ $stderr == "sockcat: 127.0.0.1:23 "* ]]
}

@test "telnet: refusals the server does not read yet wait, in order, without blocking" {
	# 20000 requests: their 60 KB of refusals overflow the small socket
	# buffers while the server sends and then sleeps without reading.
	start_bg flood timeout 120 python3 -c '
import os, socket, sys, time
name = sys.argv[1]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("127.0.0.1", 0))
s.listen(1)
with open(name + ".port.tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(name + ".port.tmp", name + ".port")
c, a = s.accept()
n = 20000
c.sendall(b"".join(b"\xff\xfd" + bytes([k % 256]) for k in range(n)) +
    b"done\r\n")
time.sleep(0.5)
want = b"".join(b"\xff\xfc" + bytes([k % 256]) for k in range(n))
got = b""
c.settimeout(30)
while len(got) < len(want):
    d = c.recv(65536)
    if not d:
        break
    got += d
open(name + ".ok", "w").write("%s\n" % (got == want))
c.close()
' "$W/flood"
	wait_for_line "$W/flood.port" '^[0-9]+$' 10
	mkfifo "$W/in"
	start_bg client -i "$W/in" "$SOCKCAT" \
	    "tcp:127.0.0.1:$(cat "$W/flood.port"),telnet,sndbuf=4096"
	local pid=$BG_PID kbd
	exec {kbd}>"$W/in"
	wait_for_line "$W/flood.ok" '^(True|False)$' 60
	[[ $(cat "$W/flood.ok") == True ]]
	wait_for_line "$W/client.out" '^done' 10
	exec {kbd}>&-
	wait_exit "$pid" 10
	[[ $BG_STATUS == 0 ]]
	printf 'done\r\n' >"$W/want"
	cmp "$W/want" "$W/client.out"
}

# inetd NAME PROGRAM [ARGS...]: a small inetd on 127.0.0.1:0 that runs
# PROGRAM for each connection with the socket as its standard input and
# output, as inetd(8) does; port in PEER_PORT.
inetd()
{
	local name=$1
	shift
	start_bg "$name" timeout 120 python3 -c '
import os, socket, sys
name, argv = sys.argv[1], sys.argv[2:]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(name + ".port.tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(name + ".port.tmp", name + ".port")
while True:
    c, a = s.accept()
    if os.fork() == 0:
        s.close()
        os.dup2(c.fileno(), 0)
        os.dup2(c.fileno(), 1)
        os.execv(argv[0], argv)
    c.close()
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass
' "$W/$name" "$@"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	PEER_PORT=$(cat "$W/$name.port")
}

@test "telnet: GNU telnetd as the server: what is typed comes back clean" {
	[[ -x /usr/sbin/telnetd ]] ||
	    skip "no /usr/sbin/telnetd (apt-get install inetutils-telnetd)"
	tm_need
	# telnetd runs cat instead of login: each line typed comes back.
	inetd tnd /usr/sbin/telnetd -h -E /bin/cat
	# At a terminal, output to a file: the bytes the user gets.
	tm_start t sh -c '"$1" "telnet:127.0.0.1:$2" >"$3"' sh \
	    "$SOCKCAT" "$PEER_PORT" "$W/screen.bin"
	tm_wait_mode t 'eol = ^]' 10
	tm_type t "hello telnetd"
	tm_keys t Enter
	wait_for_line "$W/screen.bin" 'hello telnetd' 10
	tm_type t "second line"
	tm_keys t Enter
	wait_for_line "$W/screen.bin" 'second line' 10
	tm_keys t 'C-]'
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
	od -c "$W/screen.bin"
	# No Telnet command reached the user, and the text came back.
	! grep -q $'\xff' "$W/screen.bin"
	tr -d '\r\0' <"$W/screen.bin" | grep -qx 'hello telnetd'
	tr -d '\r\0' <"$W/screen.bin" | grep -qx 'second line'

	# With line editing, on the screen.
	"$SOCKCAT" -V | grep -q '^line editing: libedit' || return 0
	tm_start e "$SOCKCAT" "telnet:127.0.0.1:$PEER_PORT"
	tm_wait_mode e -icanon 10
	tm_type e "edited"
	tm_keys e Left Left
	tm_type e "X"
	tm_keys e Enter
	# Typed once (the edited line), and once back from cat.
	for ((k = 0; k < 100; k++)); do
		(($(tm_screen e | grep -c '^editXed$') == 2)) && break
		sleep 0.05
	done
	[[ $(tm_screen e | grep -c '^editXed$') == 2 ]]
	tm_keys e 'C-]'
	tm_wait_dead e 10
	[[ $TM_STATUS == 0 ]]
}
