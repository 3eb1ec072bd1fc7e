#!/usr/bin/env bats
# tcp.bats: tcp and tcp-listen: relaying, half-close, forwarding, TCP options.

load helper

setup_file()
{
	make_bigfile
}

@test "tcp: -v listening line reports the kernel port of tcp-listen:0" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	grep -Eq '^sockcat: listening on 127\.0\.0\.1:[0-9]+$' "$W/srv.err"
	[[ $PORT -gt 0 && $PORT -lt 65536 ]]
	wait_for_port "$PORT" 5
}

@test "tcp: -v prints accepted and connected lines with addresses" {
	start_listener srv tcp-listen:127.0.0.1:0 echo
	run -0 --separate-stderr sc -v tcp:127.0.0.1:"$PORT" <<<"hi"
	[[ $output == hi ]]
	[[ ${stderr_lines[0]} == "sockcat: connected to 127.0.0.1:$PORT" ]]
	wait_for_line "$W/srv.err" \
	    "^sockcat: accepted 127\.0\.0\.1:[0-9]+ on 127\.0\.0\.1:$PORT\$" 5
}

@test "tcp: echo server with exec:cat returns the data" {
	start_listener srv tcp-listen:0 exec:cat
	printf 'hello\nworld\n' >"$W/in"
	run -0 sc tcp:127.0.0.1:"$PORT" <"$W/in"
	[[ $output == $'hello\nworld' ]]
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
}

@test "tcp: echo server with the echo address returns the data" {
	start_listener srv tcp-listen:0 echo
	head -c 100000 /dev/urandom >"$W/in"
	sc tcp:127.0.0.1:"$PORT" <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
}

@test "tcp: 64 MiB tcp-listen -> tcp and back, sha256 equal both ways" {
	start_listener srv tcp-listen:0 "exec:tee $SOCKDIR/recv.bin"
	timeout 60 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <"$BIG" >"$W/back.bin"
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	[[ $(sha "$SOCKDIR/recv.bin") == "$BIG_SHA" ]]
	[[ $(sha "$W/back.bin") == "$BIG_SHA" ]]
}

@test "tcp: 64 MiB through two relays (tcp-listen -> tcp -> echo server)" {
	start_listener echo tcp-listen:0 echo
	local eport=$PORT
	start_listener fwd tcp-listen:0 tcp:127.0.0.1:"$eport"
	timeout 60 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <"$BIG" >"$W/back.bin"
	[[ $(sha "$W/back.bin") == "$BIG_SHA" ]]
}

@test "tcp: half-close: client < words.txt gets the word count of system:'wc -w'" {
	start_listener srv tcp-listen:0 "system:wc -w"
	for k in $(seq 1 1000); do echo "word$k another$k third$k"; done \
	    >"$W/words.txt"
	run -0 sc tcp:127.0.0.1:"$PORT" <"$W/words.txt"
	[[ $(echo $output) == 3000 ]]
}

@test "tcp: half-close: answer that comes 2 s after EOF still arrives" {
	start_listener srv tcp-listen:0 "system:sleep 2; wc -w"
	printf 'one two three\nfour five\n' >"$W/words.txt"
	run -0 sc tcp:127.0.0.1:"$PORT" <"$W/words.txt"
	[[ $(echo $output) == 5 ]]
}

@test "tcp: tcp4 and tcp-l aliases, case-insensitive TCP-LISTEN" {
	start_listener srv TCP-LISTEN:0 exec:cat
	run -0 sc tcp4:127.0.0.1:"$PORT" <<<"alias"
	[[ $output == alias ]]
	start_listener srv2 tcp-l:0 exec:cat
	run -0 sc TCP:127.0.0.1:"$PORT" <<<"alias2"
	[[ $output == alias2 ]]
}

@test "tcp: IPv6 literal in brackets, listening line in brackets" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv 'tcp-listen:[::1]:0' exec:cat
	grep -Eq '^sockcat: listening on \[::1\]:[0-9]+$' "$W/srv.err"
	run -0 sc "tcp:[::1]:$PORT" <<<"six"
	[[ $output == six ]]
	start_listener srv6 'tcp6-listen:[::1]:0' exec:cat
	run -0 sc "tcp6:[::1]:$PORT" <<<"six again"
	[[ $output == "six again" ]]
}

@test "tcp: name resolving to loopback (localhost) connects" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc tcp:localhost:"$PORT" <<<"by name"
	[[ $output == "by name" ]]
}

@test "tcp: -4 resolves names to IPv4 only" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc -4 tcp:localhost:"$PORT" <<<"v4"
	[[ $output == v4 ]]
}

@test "tcp: HTTP GET by hand through a tcp-listen,fork forwarder to python http.server" {
	mkdir "$W/www"
	head -c 300000 /dev/urandom >"$W/www/file.bin"
	start_http_server http "$W/www" "$W/http.port"
	local hport
	hport=$(cat "$W/http.port")
	start_listener fwd tcp-listen:0,fork tcp:127.0.0.1:"$hport"
	local k
	for k in 1 2 3; do
		printf 'GET /file.bin HTTP/1.0\r\nHost: x\r\n\r\n' |
		    sc tcp:127.0.0.1:"$PORT" >"$W/resp$k"
		head -n 1 "$W/resp$k" | grep -q '^HTTP/1.[01] 200'
		strip_http "$W/resp$k" >"$W/body$k"
		cmp "$W/www/file.bin" "$W/body$k"
	done
	# the forwarder is still there after three clients
	is_alive "$BG_PID"
}

@test "tcp: curl through a tcp-listen,fork forwarder" {
	mkdir "$W/www"
	head -c 2000000 /dev/urandom >"$W/www/big.bin"
	start_http_server http "$W/www" "$W/http.port"
	start_listener fwd tcp-listen:0,fork tcp:127.0.0.1:"$(cat "$W/http.port")"
	timeout "$TMO" curl -sS -o "$W/out" "http://127.0.0.1:$PORT/big.bin"
	cmp "$W/www/big.bin" "$W/out"
}

@test "tcp: bind=127.0.0.2 sets the client's source address" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT",bind=127.0.0.2 <<<"from .2"
	[[ $output == "from .2" ]]
	grep -Eq "accepted 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$PORT\$" \
	    "$W/srv.err"
}

@test "tcp: bind=127.0.0.1:PORT sets the client's source port" {
	start_py_tcp peer "$W/peer.port" peer "$W/peers"
	local cport
	cport=$(free_port)
	run -0 sc tcp:127.0.0.1:"$(cat "$W/peer.port")",bind=127.0.0.1:"$cport" \
	    <<<"x"
	[[ $output == x ]]
	[[ $(cat "$W/peers") == "127.0.0.1 $cport" ]]
}

@test "tcp: connect-timeout=1 gives up on a silent listener with exit 4 in about 1 s" {
	start_py_tcp full "$W/full.port" fullbacklog
	local t0 t1
	t0=$(now)
	run -4 --separate-stderr sc tcp:127.0.0.1:"$(cat "$W/full.port")",connect-timeout=1 \
	    </dev/null
	t1=$(now)
	elapsed_between "$t0" "$t1" 0.8 4
	assert_one_error "tcp:127.0.0.1:"
}

@test "tcp: connect-timeout is accepted on a working connection" {
	start_listener srv tcp-listen:0 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT",connect-timeout=2.5 <<<"ok"
	[[ $output == ok ]]
}

@test "tcp: retry=2,interval=0.1 on a refused port exits 4 after >= 0.2 s" {
	local p t0 t1
	p=$(free_port)
	t0=$(now)
	run -4 sc tcp:127.0.0.1:"$p",retry=2,interval=0.1 </dev/null
	t1=$(now)
	elapsed_between "$t0" "$t1" 0.19 5
}

@test "tcp: retry/interval: the client connects once the listener appears" {
	local p
	p=$(free_port)
	head -c 50000 /dev/urandom >"$W/in"
	local fails
	fails=$(tcp_attempt_fails)
	start_bg cli -i "$W/in" timeout 30 "$SOCKCAT" \
	    tcp:127.0.0.1:"$p",retry=100,interval=0.1
	local cli=$BG_PID
	# let it fail at least twice (the kernel counts refused connects)
	wait_for_counter tcp_attempt_fails $((fails + 2)) 5
	start_bg srv timeout 30 "$SOCKCAT" -v tcp-listen:127.0.0.1:"$p" \
	    create:"$W/out"
	wait_exit "$cli" 15
	[[ $BG_STATUS -eq 0 ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	cmp "$W/in" "$W/out"
}

@test "tcp: nodelay, keepalive, rcvbuf, sndbuf are accepted and the session works" {
	start_listener srv \
	    tcp-listen:0,nodelay,keepalive,rcvbuf=131072,sndbuf=131072 exec:cat
	head -c 1000000 /dev/urandom >"$W/in"
	sc tcp:127.0.0.1:"$PORT",nodelay,keepalive,rcvbuf=64k,sndbuf=64k \
	    <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "tcp: keepalive shows a keepalive timer in ss" {
	command -v ss >/dev/null || skip "no ss"
	start_listener srv tcp-listen:0,keepalive "system:sleep 3"
	local fifo=$W/idle
	mkfifo "$fifo"
	exec {hold}<>"$fifo"
	start_bg cli -i "$fifo" timeout 10 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
	wait_for_line "$W/srv.err" accepted 5
	run -0 ss -tnoH state established "( sport = :$PORT )"
	exec {hold}>&-
	[[ $output == *keepalive* ]]
}

@test "tcp: rcvbuf and sndbuf reach the sockets (ss -m shows them doubled)" {
	command -v ss >/dev/null || skip "no ss"
	start_listener srv tcp-listen:127.0.0.1:0,rcvbuf=65536,sndbuf=32k \
	    "system:sleep 3"
	local fifo=$W/idle hold
	mkfifo "$fifo"
	exec {hold}<>"$fifo"
	start_bg cli -i "$fifo" timeout 10 "$SOCKCAT" \
	    tcp:127.0.0.1:"$PORT",rcvbuf=100000
	wait_for_line "$W/srv.err" accepted 5
	# server side of the connection
	run -0 ss -tmnH state established "( sport = :$PORT )"
	[[ $output == *rb131072,* && $output == *tb65536,* ]]
	# client side
	run -0 ss -tmnH state established "( dport = :$PORT )"
	exec {hold}>&-
	[[ $output == *rb200000,* ]]
}

@test "tcp: backlog=3 is the listen backlog (ss Send-Q)" {
	command -v ss >/dev/null || skip "no ss"
	start_listener srv tcp-listen:0,backlog=3 exec:cat
	run -0 ss -ltnH "( sport = :$PORT )"
	[[ $(awk '{ print $3 }' <<<"$output") == 3 ]]
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"bl"
	[[ $output == bl ]]
}

@test "tcp: reuseaddr is on by default: rebind while the old port is in TIME_WAIT" {
	start_listener srv tcp-listen:127.0.0.1:0 "system:echo first"
	local p=$PORT
	# the python client waits for the server to close first, which
	# leaves the server's side of the connection in TIME_WAIT
	run -0 py_recv_all "$p"
	[[ $output == first ]]
	wait_exit "$BG_PID" 5
	start_bg srv2 timeout 30 "$SOCKCAT" -v tcp-listen:127.0.0.1:"$p" \
	    "system:echo second"
	wait_for_line "$W/srv2.err" 'listening on' 5
	run -0 py_recv_all "$p"
	[[ $output == second ]]
}

@test "tcp: reuseaddr=0: rebinding a port in TIME_WAIT fails with exit 1" {
	start_listener srv tcp-listen:127.0.0.1:0 "system:echo first"
	local p=$PORT
	run -0 py_recv_all "$p"
	wait_exit "$BG_PID" 5
	ss -tnH state time-wait "( sport = :$p )" | grep -q . ||
	    skip "no TIME_WAIT entry on the server side"
	run -1 --separate-stderr sc tcp-listen:127.0.0.1:"$p",reuseaddr=0 exec:cat
	assert_one_error "tcp-listen:127.0.0.1:$p"
}

@test "tcp: bind failure on a port in use is exit 1 naming the address" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -1 --separate-stderr sc tcp-listen:127.0.0.1:"$PORT" exec:cat
	assert_one_error "tcp-listen:127.0.0.1:$PORT"
}

@test "tcp: connection refused is exit 4 with one error line" {
	local p
	p=$(free_port)
	run -4 --separate-stderr sc tcp:127.0.0.1:"$p" </dev/null
	assert_one_error "tcp:127.0.0.1:$p"
	[[ $stderr == *[Rr]efused* ]]
}

@test "tcp: ipv6only=1 on [::] refuses IPv4 clients, =0 accepts them" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv6 'tcp-listen:[::]:0,ipv6only=1,fork' exec:cat
	grep -Eq 'listening on \[::\]:[0-9]+$' "$W/srv6.err"
	run -0 sc "tcp:[::1]:$PORT" <<<"six"
	[[ $output == six ]]
	run -4 sc tcp:127.0.0.1:"$PORT" </dev/null
	start_listener dual 'tcp-listen:[::]:0,ipv6only=0,fork' exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"four"
	[[ $output == four ]]
}

@test "tcp: a listener without fork serves one client and exits 0" {
	start_listener srv tcp-listen:0 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"one"
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
	run -4 sc tcp:127.0.0.1:"$PORT" </dev/null
}

@test "tcp: ADDRESS2 is opened only after the listener accepts" {
	start_listener srv tcp-listen:127.0.0.1:0 \
	    "system:echo opened >>$SOCKDIR/log; echo hi"
	# the listener is up and waiting: nothing has run yet
	[[ ! -e $SOCKDIR/log ]]
	run -0 sc tcp:127.0.0.1:"$PORT" </dev/null
	[[ $output == hi ]]
	[[ $(cat "$SOCKDIR/log") == opened ]]
}

@test "tcp: a name with IPv6 and IPv4 addresses reaches a listener on either" {
	have_ipv6 || skip "no ::1 on lo"
	local fams
	fams=$(getent ahosts localhost | awk '{ print $1 }' | sort -u)
	[[ $fams == *::1* && $fams == *127.0.0.1* ]] ||
	    skip "localhost does not resolve to both ::1 and 127.0.0.1"
	start_listener v4 tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc tcp:localhost:"$PORT" <<<"to v4"
	[[ $output == "to v4" ]]
	start_listener v6 'tcp-listen:[::1]:0' exec:cat
	run -0 sc tcp:localhost:"$PORT" <<<"to v6"
	[[ $output == "to v6" ]]
}
