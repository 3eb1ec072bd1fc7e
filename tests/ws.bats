#!/usr/bin/env bats
# ws.bats: WebSocket (SPEC section 8) against python3-websockets, node's ws,
# headless Chromium and hand-written raw-socket peers.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# Debian's python3 has python3-websockets (the one on PATH may not).
PY=/usr/bin/python3
PEER=$SRCDIR/tests/ws-peer.py
PEERJS=$SRCDIR/tests/ws-peer.js
export NODE_PATH=/usr/share/nodejs

SIZES=0,1,125,126,65535,65536,8388608

need_websockets()
{
	[[ -x $PY ]] && "$PY" -c 'import websockets' 2>/dev/null ||
	    skip "python3-websockets is not installed (apt-get install python3-websockets)"
}

need_node_ws()
{
	command -v node >/dev/null && node -e 'require("ws")' 2>/dev/null ||
	    skip "node's ws is not installed (apt-get install node-ws)"
}

# py_serve NAME ARGS...: a websockets server (ws-peer.py serve); sets WSPORT.
py_serve()
{
	local name=$1
	shift
	need_websockets
	start_bg "$name" timeout 120 "$PY" "$PEER" serve "$W/$name.port" "$@"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	WSPORT=$(cat "$W/$name.port")
}

# node_serve NAME ARGS...: a node ws server (ws-peer.js serve); sets WSPORT.
node_serve()
{
	local name=$1
	shift
	need_node_ws
	start_bg "$name" timeout 120 node "$PEERJS" serve "$W/$name.port" "$@"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	WSPORT=$(cat "$W/$name.port")
}

# raw_serve NAME CASE ARGS...: a raw-socket server; sets WSPORT.
raw_serve()
{
	local name=$1
	shift
	start_bg "$name" timeout 60 python3 "$PEER" raw-server "$W/$name.port" \
	    "$@"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	WSPORT=$(cat "$W/$name.port")
}

# ask WANT INPUT ARGS...: run sockcat ARGS with the line INPUT on stdin and
# end its input only once the line WANT is on its output (in
# $W/ask.out), then expect exit 0. python3-websockets answers a Close at
# once and then sends nothing more, so an echo still due when our end of
# input sends Close 1000 would be lost.
ask()
{
	local want=$1 input=$2
	shift 2
	rm -f "$W/ask.in"
	mkfifo "$W/ask.in"
	start_bg ask -i "$W/ask.in" timeout "$TMO" "$SOCKCAT" "$@"
	exec 6>"$W/ask.in"
	printf '%s\n' "$input" >&6
	wait_for_line "$W/ask.out" "^$want\$" 10
	exec 6>&-
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
}

# mkcert: a CA and a localhost certificate in $BATS_FILE_TMPDIR (once).
mkcert()
{
	local d=$BATS_FILE_TMPDIR
	CA=$d/ca.pem
	CERT=$d/srv.pem
	KEY=$d/srv.key
	[[ -f $CERT ]] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$d/ca.key" -out "$CA" -days 2 -subj /CN=ws-test-ca \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign 2>/dev/null
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$KEY" -out "$d/srv.csr" -subj /CN=localhost 2>/dev/null
	printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    "extendedKeyUsage=serverAuth" >"$d/srv.ext"
	openssl x509 -req -in "$d/srv.csr" -CA "$CA" -CAkey "$d/ca.key" \
	    -CAcreateserial -days 2 -extfile "$d/srv.ext" -out "$CERT" \
	    2>/dev/null
}

# ---------------------------------------------------------------------------
# messages and bytes (SPEC section 8)

@test "ws: text messages of 0 B to 8 MiB from python websockets arrive as lines" {
	py_serve srv send "$SIZES" text
	"$PY" "$PEER" payload "$SIZES" text '\n' >"$W/want"
	sc -u "ws://127.0.0.1:$WSPORT/" - >"$W/got"
	cmp "$W/want" "$W/got"
}

@test "ws: binary messages of 0 B to 8 MiB arrive as they are" {
	py_serve srv send "$SIZES" binary
	"$PY" "$PEER" payload "$SIZES" binary >"$W/want"
	sc -u "ws://127.0.0.1:$WSPORT/,binary" - >"$W/got"
	cmp "$W/want" "$W/got"
	# Without binary the same messages get a newline each (text mode).
	sc -u "ws://127.0.0.1:$WSPORT/" - >"$W/got2"
	"$PY" "$PEER" payload "$SIZES" binary '\n' >"$W/want2"
	cmp "$W/want2" "$W/got2"
}

@test "ws: each line sent is one text message, 0 B to 8 MiB (python records them)" {
	py_serve srv record "$W/rec"
	"$PY" "$PEER" payload "$SIZES" text '\n' >"$W/in"
	run -0 sc "ws://127.0.0.1:$WSPORT/chat" <"$W/in"
	wait_for_line "$W/rec" '^close ' 10
	"$PY" "$PEER" expect "$SIZES" text >"$W/want"
	echo "close 1000 " >>"$W/want"
	diff "$W/want" "$W/rec"
}

@test "ws: binary: each read is one message, up to 8 MiB with -b 16m" {
	local n
	py_serve srv record "$W/rec"
	: >"$W/want"
	for n in 1 125 126 65535 65536 8388608; do
		"$PY" "$PEER" payload "$n" binary >"$W/in.$n"
		run -0 sc -b 16m "ws://127.0.0.1:$WSPORT/,binary" <"$W/in.$n"
		"$PY" "$PEER" expect "$n" binary >>"$W/want"
		echo "close 1000 " >>"$W/want"
		wait_for_lines "$W/rec" "$(wc -l <"$W/want")" 10
	done
	diff "$W/want" "$W/rec"
}

@test "ws-listen: python websockets client, text messages 0 B to 8 MiB echoed" {
	need_websockets
	start_listener srv ws-listen:127.0.0.1:0 echo
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    sizes "$SIZES" text
	[[ ${lines[6]} == "8388608 ok" ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
	grep -q 'WebSocket Close from the peer: 1000' "$W/srv.err"
}

@test "ws-listen: node ws client, text messages 0 B to 8 MiB echoed" {
	need_node_ws
	start_listener srv ws-listen:127.0.0.1:0 echo
	run -0 timeout "$TMO" node "$PEERJS" connect "ws://127.0.0.1:$PORT/" \
	    sizes "$SIZES" text
	[[ ${#lines[@]} == 7 && ${lines[6]} == "8388608 ok" ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
}

@test "ws-listen to ws keeps binary messages: node client, sockcat, node server" {
	node_serve back echo
	start_listener srv -b 16m ws-listen:127.0.0.1:0,binary \
	    "ws://127.0.0.1:$WSPORT/,binary"
	run -0 timeout "$TMO" node "$PEERJS" connect "ws://127.0.0.1:$PORT/" \
	    sizes 1,125,126,65535,65536,8388608 binary
	[[ ${#lines[@]} == 6 && ${lines[5]} == "8388608 ok" ]]
}

@test "ws: node ws server echoes lines as text messages" {
	node_serve srv echo
	printf 'one\n\ntwo \xc3\xa9\nlast without newline' >"$W/in"
	run -0 sc "ws://127.0.0.1:$WSPORT/" <"$W/in"
	[[ $output == $'one\n\ntwo \xc3\xa9\nlast without newline' ]]
}

@test "ws: a line that is not UTF-8 goes as a binary message, unchanged" {
	py_serve srv record "$W/rec"
	printf 'ok\n\xff\xfe\n' >"$W/in"
	run -0 sc "ws://127.0.0.1:$WSPORT/" <"$W/in"
	wait_for_line "$W/rec" '^close ' 10
	grep -q "^text 2 $(printf ok | sha256sum | cut -c1-64)\$" "$W/rec"
	grep -q "^binary 2 $(printf '\xff\xfe' | sha256sum | cut -c1-64)\$" \
	    "$W/rec"
}

@test "ws: server frames with 7, 16 and 64-bit lengths" {
	raw_serve srv frames
	sc -u "ws://127.0.0.1:$WSPORT/,binary" - >"$W/got"
	python3 -c 'import sys
sys.stdout.buffer.write(b"".join(bytes([n % 256]) * n
    for n in (0, 125, 126, 65535, 65536)))' >"$W/want"
	cmp "$W/want" "$W/got"
}

@test "ws-listen: fragments, a ping between them, empty messages, Close with reason" {
	start_listener srv -u ws-listen:127.0.0.1:0 -
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" fragments
	[[ ${lines[0]} == "op 10 7" && ${lines[1]} == "close 4000 " ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
	[[ $(od -An -c "$W/srv.out" | tr -d ' \n') == '342202254andmore!\n\n\n' ]]
	grep -q 'WebSocket Close from the peer: 4000 app reason' "$W/srv.err"
}

@test "ws: 32 MiB of random bytes both ways at once (sha256)" {
	head -c 32M /dev/urandom >"$W/up"
	head -c 32M /dev/urandom >"$W/down"
	start_listener srv ws-listen:127.0.0.1:0,binary \
	    "system:cat '$W/down' & sha256sum >'$W/srv.sha'; wait"
	sc "ws://127.0.0.1:$PORT/,binary" <"$W/up" >"$W/got"
	wait_exit "$BG_PID" 20
	[[ $BG_STATUS == 0 ]]
	[[ $(sha "$W/got") == "$(sha "$W/down")" ]]
	[[ $(cut -c1-64 "$W/srv.sha") == "$(sha "$W/up")" ]]
}

@test "ws-listen: python websockets sends and receives 32 MiB at once" {
	need_websockets
	head -c 32M /dev/urandom >"$W/up"
	head -c 32M /dev/urandom >"$W/down"
	start_listener srv ws-listen:127.0.0.1:0,binary \
	    "system:cat '$W/down' & sha256sum >'$W/srv.sha'; wait"
	run -0 timeout 60 "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" bulk \
	    "$W/up" "$W/got" 33554432
	wait_exit "$BG_PID" 20
	[[ $(cat "$W/got") == "33554432 $(sha "$W/down")" ]]
	[[ $(cut -c1-64 "$W/srv.sha") == "$(sha "$W/up")" ]]
}

@test "ws-listen facing udp: one message is one datagram, both ways" {
	need_websockets
	start_bg udp timeout 60 python3 "$PEER" udp-echo "$W/udp.port"
	wait_for_line "$W/udp.port" '^[0-9]+$' 10
	start_listener srv ws-listen:127.0.0.1:0 "udp:127.0.0.1:$(cat "$W/udp.port")"
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    sizes 1,125,126,1000,8000,65000 text
	[[ ${#lines[@]} == 6 ]]
	# Datagrams of binary bytes come back as binary messages.
	start_listener srv2 ws-listen:127.0.0.1:0,binary \
	    "udp:127.0.0.1:$(cat "$W/udp.port")"
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    sizes 1,2,3,125,126,1000,65000 binary
	[[ ${#lines[@]} == 7 ]]
}

@test "udp-listen to ws: each datagram is one message and back" {
	py_serve srv echo
	start_listener srv udp-listen:127.0.0.1:0 "ws://127.0.0.1:$WSPORT/"
	run -0 py_udp_client "$PORT" 5,1000,30000,65000 4
	[[ $output == $'5\n1000\n30000\n65000' ]]
}

# ---------------------------------------------------------------------------
# the protocol, broken on purpose

@test "ws-listen: each protocol violation is closed with its code, exit 1" {
	local c want got
	for c in unmasked:1002 rsv:1002 opcode:1002 fragctl:1002 \
	    bigctl:1002 cont:1002 newmsg:1002 len64:1002 closecode:1002 \
	    close1:1002 utf8:1007 utf8trunc:1007 surrogate:1007 \
	    overlong:1007 closeutf8:1007 toobig:1009 toobigfrag:1009; do
		start_listener "srv.${c%%:*}" -u \
		    ws-listen:127.0.0.1:0,max-message=1000 -
		got=$(timeout "$TMO" python3 "$PEER" raw-client "$PORT" \
		    "${c%%:*}")
		want="close ${c##*:} "
		[[ $got == "$want" ]] || {
			echo "${c%%:*}: got '$got', want '$want'"
			return 1
		}
		wait_exit "$BG_PID" 10
		[[ $BG_STATUS == 1 ]] || {
			echo "${c%%:*}: exit $BG_STATUS"
			return 1
		}
		grep -q "WebSocket: .*(sent Close ${c##*:})" \
		    "$W/srv.${c%%:*}.err"
	done
}

@test "ws-listen: a ping is answered with the same payload" {
	start_listener srv -u ws-listen:127.0.0.1:0 -
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" ping
	[[ ${lines[0]} == "op 10 8" && ${lines[1]} == "close 1000 " ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
	grep -q 'WebSocket Close from the peer: 1000 bye' "$W/srv.err"
}

@test "ws: a masked frame from the server is closed with 1002, exit 1" {
	raw_serve srv masked
	run -1 --separate-stderr sc -u "ws://127.0.0.1:$WSPORT/" -
	[[ $stderr == *"masked frame from the server (sent Close 1002)"* ]]
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/srv.out") == "close 1002 " ]]
}

@test "ws: a wrong Sec-WebSocket-Accept exits 4" {
	raw_serve srv badaccept
	run -4 --separate-stderr sc "ws://127.0.0.1:$WSPORT/" </dev/null
	assert_one_error "WebSocket handshake: wrong Sec-WebSocket-Accept"
}

@test "ws: a 403 answer exits 4 with its status line" {
	raw_serve srv 403
	run -4 --separate-stderr sc "ws://127.0.0.1:$WSPORT/" </dev/null
	assert_one_error "the server answered 403 Forbidden"
}

@test "ws: the TCP connection dropped in the middle of a message exits 6" {
	raw_serve srv dropmid
	run -6 --separate-stderr sc -u "ws://127.0.0.1:$WSPORT/" -
	[[ $stderr == *"closed without a Close, in the middle of a message"* ]]
}

@test "ws: a reset while sending exits 6" {
	make_bigfile
	raw_serve srv rst 100000
	run -6 --separate-stderr sc "ws://127.0.0.1:$WSPORT/,binary" <"$BIG"
}

@test "ws: a connection closed without a Close and nothing in flight: a warning, exit 0" {
	raw_serve srv dropidle
	run -0 --separate-stderr sc -u "ws://127.0.0.1:$WSPORT/" -
	[[ $output == "one message" ]]
	assert_one_error "closed without a Close (1006)"
}

# ---------------------------------------------------------------------------
# ending: the WebSocket half-close

@test "ws: after our Close, late messages still arrive; -v shows the peer's Close" {
	raw_serve srv late "$W/frames"
	run -0 --separate-stderr sc -v "ws://127.0.0.1:$WSPORT/" <<<"early"
	[[ $output == $'late one\nlate two' ]]
	[[ $stderr == *"WebSocket Close from the peer: 1000 after late"* ]]
	wait_exit "$BG_PID" 10
	grep -q "^op 1 b'early'" "$W/frames"
	grep -q "^op 8 b'\\\\x03\\\\xe8'" "$W/frames"
}

@test "ws-listen: the client's Close is end of input; the answer still goes back" {
	start_listener srv ws-listen:127.0.0.1:0 "system:cat; echo late"
	run -0 sc "ws://127.0.0.1:$PORT/" <<<"early"
	[[ $output == $'early\nlate' ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
}

@test "ws: -v prints the peer's close code and reason (node ws)" {
	node_serve srv closewith 4001 "custom reason"
	run -0 --separate-stderr sc -v "ws://127.0.0.1:$WSPORT/" <<<"x"
	[[ $stderr == *"WebSocket Close from the peer: 4001 custom reason"* ]]
}

@test "ws: ping=SECONDS sends pings (node ws counts them)" {
	node_serve srv ping "$W/pings"
	mkfifo "$W/in"
	start_bg cli -i "$W/in" timeout 30 "$SOCKCAT" \
	    "ws://127.0.0.1:$WSPORT/,ping=0.2"
	exec 5>"$W/in"
	wait_for_line "$W/pings" '^ping 3$' 10
	exec 5>&-
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
}

@test "ws: without ping= no ping is sent" {
	node_serve srv ping "$W/pings"
	run -0 sc "ws://127.0.0.1:$WSPORT/" <<<"x"
	[[ ! -s $W/pings ]]
}

# ---------------------------------------------------------------------------
# handshake options

@test "ws: protocol=, origin= and header= go into the request" {
	py_serve srv headers "$W/head"
	ask x x "ws://127.0.0.1:$WSPORT/p?q=1,protocol=chat.v1+chat.v2,origin=https://app.example,header=X-One:1+Authorization:Basic YQ+b"
	grep -qx 'path /p?q=1' "$W/head"
	grep -qx "Host: 127.0.0.1:$WSPORT" "$W/head"
	grep -qx 'Sec-WebSocket-Protocol: chat.v1, chat.v2' "$W/head"
	grep -qx 'Origin: https://app.example' "$W/head"
	grep -qx 'X-One: 1' "$W/head"
	grep -qx 'Authorization: Basic YQ+b' "$W/head"
	grep -qx 'subprotocol chat.v2' "$W/head"
}

@test "ws: a subprotocol the client did not offer is refused (exit 4)" {
	raw_serve srv badproto
	run -4 --separate-stderr sc "ws://127.0.0.1:$WSPORT/,protocol=mine" \
	    </dev/null
	assert_one_error "chose subprotocol unasked, which was not offered"
}

@test "ws: a server that picks no subprotocol is fine" {
	py_serve srv headers "$W/head"
	ask y y "ws://127.0.0.1:$WSPORT/,protocol=other"
	grep -qx 'subprotocol None' "$W/head"
}

@test "ws-listen: protocol= picks a subprotocol, header= adds to the answer" {
	need_websockets
	start_listener srv ws-listen:127.0.0.1:0,protocol=b.v1+a.v1,header=X-Served-By:sockcat echo
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    hello a.v1,b.v1 -
	[[ ${lines[0]} == "echo hi" && ${lines[1]} == "subprotocol b.v1" ]]
	[[ $output == *"X-Served-By: sockcat"* ]]
}

@test "ws-listen: origin= allows listed origins and answers others 403" {
	need_websockets
	start_listener srv ws-listen:127.0.0.1:0,origin=https://ok.example+http://also.example echo
	run -1 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    hello - https://evil.example
	[[ $output == *"HTTP 403"* ]]
	run -4 --separate-stderr sc "ws://127.0.0.1:$PORT/,origin=https://no.example" </dev/null
	[[ $stderr == *"the server answered 403 Forbidden"* ]]
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    hello - http://also.example
	[[ ${lines[0]} == "echo hi" ]]
	grep -q 'answered 403 Forbidden: Origin https://evil.example is not allowed' "$W/srv.err"
}

@test "ws-listen: path= answers other paths 404, a plain GET 426, and keeps serving" {
	start_listener srv ws-listen:127.0.0.1:0,path=/chat echo
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" \
	    'http:GET /chat HTTP/1.1\r\nHost: x\r\n\r\n'
	[[ $output == "HTTP/1.1 426 Upgrade Required" ]]
	run -4 --separate-stderr sc "ws://127.0.0.1:$PORT/other" </dev/null
	[[ $stderr == *"the server answered 404 Not Found"* ]]
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" \
	    'http:POST /chat HTTP/1.1\r\nHost: x\r\n\r\n'
	[[ $output == "HTTP/1.1 426 Upgrade Required" ]]
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" \
	    'http:GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n'
	[[ $output == "HTTP/1.1 400 Bad Request" ]]
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" 'http:garbage\r\n\r\n'
	[[ $output == "HTTP/1.1 400 Bad Request" ]]
	# Still the one session to serve: a real client gets it.
	run -0 sc "ws://127.0.0.1:$PORT/chat" <<<"finally"
	[[ $output == finally ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
	[[ $(grep -c 'WebSocket handshake: answered' "$W/srv.err") == 5 ]]
}

@test "ws-listen: max-message= is 16 MiB by default (1009 above it)" {
	need_websockets
	start_listener srv -u ws-listen:127.0.0.1:0,binary -
	run -0 timeout "$TMO" "$PY" "$PEER" connect "ws://127.0.0.1:$PORT/" \
	    toobig 16777217
	[[ $output == "close 1009 " ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 1 ]]
	grep -q 'message of more than 16777216 bytes' "$W/srv.err"
}

@test "ws-listen: text and binary options exclude each other" {
	assert_usage "text and binary exclude each other" -- \
	    ws-listen:0,text,binary -
	assert_usage "protocol=: 'a b' is not a token" -- \
	    "ws://h/,protocol=a b" -
	assert_usage "header=: 'nocolon' is not NAME:VALUE" -- \
	    "ws://h/,header=nocolon" -
	assert_usage "path=chat: a path starts with '/'" -- \
	    ws-listen:0,path=chat -
	assert_usage "does not apply to ws" -- "ws://h/,path=/x" -
}

# ---------------------------------------------------------------------------
# addresses

@test "ws: URLs as pasted, ws:HOST:PORT/PATH, IPv6 in brackets" {
	py_serve srv headers "$W/head"
	ask 1 1 "ws:127.0.0.1:$WSPORT/a/b"
	grep -qx 'path /a/b' "$W/head"
	ask 2 2 "WS://127.0.0.1:$WSPORT"
	grep -qx 'path /' "$W/head"
	ask 3 3 "ws://127.0.0.1:$WSPORT?x=y#frag"
	grep -qx 'path /?x=y' "$W/head"
}

@test "ws: IPv6 URLs" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv ws-listen:[::1]:0 echo
	run -0 sc "ws://[::1]:$PORT/v6" <<<"six"
	[[ $output == six ]]
}

@test "ws: malformed URLs are usage errors" {
	assert_usage "brackets" -- "ws://::1:80/" -
	assert_usage "missing ']'" -- "ws://[::1:80/" -
	assert_usage "port '70000' out of range" -- "ws://h:70000/" -
	assert_usage "empty parameter" -- "ws:///path" -
	assert_usage "missing parameter" -- "ws" -
	assert_usage "bad port" -- "wss://h:x y/" -
}

@test "ws-listen: fork serves concurrent clients and survives bad requests" {
	start_listener srv ws-listen:127.0.0.1:0,fork echo
	run -0 timeout "$TMO" python3 "$PEER" raw-client "$PORT" 'http:GET / HTTP/1.0\r\n\r\n'
	[[ $output == "HTTP/1.1 400 Bad Request" ]]
	local k
	for k in a b c; do
		echo "$k" >"$W/in.$k"
		start_bg "cli.$k" -i "$W/in.$k" timeout "$TMO" "$SOCKCAT" \
		    "ws://127.0.0.1:$PORT/"
	done
	for k in a b c; do
		wait_for_size "$W/cli.$k.out" 2 10
		[[ $(cat "$W/cli.$k.out") == "$k" ]]
	done
	is_alive "$LPID"
}

@test "ws-listen: allow= refuses peers outside it" {
	start_listener srv ws-listen:127.0.0.1:0,fork,allow=10.0.0.0/8 echo
	run -4 sc "ws://127.0.0.1:$PORT/" </dev/null
	grep -q 'refused 127.0.0.1' "$W/srv.err"
}

# ---------------------------------------------------------------------------
# TLS, browsers, proxies

@test "wss: both ways with verification; a wrong name exits 5" {
	need_websockets
	mkcert
	start_listener srv wss-listen:0,cert="$CERT",key="$KEY" echo
	run -0 sc "wss://localhost:$PORT/secure,cafile=$CA" <<<"over tls"
	[[ $output == "over tls" ]]
	start_listener srv2 wss-listen:0,cert="$CERT",key="$KEY" echo
	run -5 --separate-stderr sc "wss://127.0.0.2:$PORT/,cafile=$CA" \
	    </dev/null
	[[ $stderr == *"certificate verify failed"* ]]
	# Without cafile= the system store does not know our CA either.
	run -5 sc "wss://localhost:$PORT/" </dev/null
}

@test "wss: against python websockets over TLS, both ways" {
	need_websockets
	mkcert
	start_bg srv timeout 60 "$PY" -c '
import asyncio, os, ssl, sys, websockets
async def echo(ws, path=None):
    async for m in ws:
        await ws.send(m)
async def main():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    async with websockets.serve(echo, "127.0.0.1", 0, ssl=ctx) as srv:
        open(sys.argv[3] + ".tmp", "w").write("%d\n" % srv.sockets[0].getsockname()[1])
        os.rename(sys.argv[3] + ".tmp", sys.argv[3])
        await asyncio.Future()
asyncio.run(main())' "$CERT" "$KEY" "$W/srv.port"
	wait_for_line "$W/srv.port" '^[0-9]+$' 10
	ask "to python" "to python" "wss://localhost:$(cat "$W/srv.port")/,cafile=$CA"
	start_listener srv2 wss-listen:127.0.0.1:0,cert="$CERT",key="$KEY" echo
	run -0 timeout "$TMO" "$PY" -c '
import asyncio, ssl, sys, websockets
async def main():
    ctx = ssl.create_default_context(cafile=sys.argv[2])
    async with websockets.connect(sys.argv[1], ssl=ctx) as ws:
        await ws.send("from python"); print(await ws.recv())
asyncio.run(main())' "wss://localhost:$PORT/" "$CA"
	[[ $output == "from python" ]]
}

@test "ws-listen: headless Chromium page talks to it, messages echoed" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	mkdir -p "$W/www"
	cat >"$W/www/index.html" <<-'EOF'
	<!DOCTYPE html><html><body><pre id="out"></pre><script>
	const q = new URLSearchParams(location.search);
	const out = document.getElementById('out');
	const msgs = ['hello from chromium', 'unicode \u00e9\u2713', '',
	    'x'.repeat(70000)];
	const got = [];
	const say = (s) => { out.textContent += s + '\n'; };
	const ws = new WebSocket('ws://127.0.0.1:' + q.get('port') + '/chat',
	    ['echo.v1']);
	ws.onopen = () => { say('open ' + ws.protocol); msgs.forEach((m) => ws.send(m)); };
	ws.onmessage = (e) => {
	  got.push(e.data);
	  say('echo ' + (e.data.length > 40 ? e.data.length + ' chars' : JSON.stringify(e.data)));
	  if (got.length === msgs.length) {
	    say('result ' + (got.every((g, i) => g === msgs[i]) ? 'ok' : 'MISMATCH'));
	    ws.close(1000, 'page done');
	  }
	};
	ws.onclose = (e) => {
	  say('close ' + e.code);
	  fetch('/report?' + encodeURIComponent(out.textContent));
	};
	</script></body></html>
	EOF
	start_http_server http "$W/www" "$W/http.port"
	start_listener srv ws-listen:127.0.0.1:0,protocol=echo.v1,origin="http://127.0.0.1:$(cat "$W/http.port")" echo
	start_bg chrome timeout 60 chromium --headless --no-sandbox \
	    --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$W/chrome" \
	    "http://127.0.0.1:$(cat "$W/http.port")/index.html?port=$PORT"
	wait_for_line "$W/http.err" 'GET /report' 40
	python3 -c 'import sys, urllib.parse
for l in open(sys.argv[1]):
    if "GET /report?" in l:
        print(urllib.parse.unquote(l.split("?", 1)[1].split(" ")[0]))' \
	    "$W/http.err" >"$W/page"
	cat "$W/page"
	grep -qx 'open echo.v1' "$W/page"
	grep -qx 'echo "hello from chromium"' "$W/page"
	grep -qx 'echo ""' "$W/page"
	grep -qx 'echo 70000 chars' "$W/page"
	grep -qx 'result ok' "$W/page"
	grep -qx 'close 1000' "$W/page"
	grep -q 'WebSocket Close from the peer: 1000 page done' "$W/srv.err"
}

@test "ws: through a SOCKS5 proxy (proxy=)" {
	timeout "$TMO" "$SOCKCAT" -h options | grep -q '^  proxy=' ||
	    skip "this sockcat has no proxy= option yet (the proxy issue)"
	command -v microsocks >/dev/null || skip "microsocks is not installed"
	local pport
	pport=$(free_port)
	start_bg socks timeout 60 microsocks -i 127.0.0.1 -p "$pport"
	wait_for_port "$pport" 10
	start_listener srv ws-listen:127.0.0.1:0 echo
	run -0 sc "ws://127.0.0.1:$PORT/,proxy=socks5://127.0.0.1:$pport" \
	    <<<"via socks"
	[[ $output == "via socks" ]]
}
