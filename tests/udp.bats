#!/usr/bin/env bats
# udp.bats: udp and udp-listen: datagram boundaries, late replies, -t, fork.

load helper

# py_udp_text PORT TEXT: send TEXT as one datagram to 127.0.0.1:PORT from a
# fresh socket and print the one datagram that comes back (5 s bound).
py_udp_text()
{
	timeout "$TMO" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
sys.stdout.write(s.recv(70000).decode())
' "$@"
}

@test "udp: udp-listen:0 reports its kernel port with -v" {
	start_listener rx udp-listen:127.0.0.1:0 echo
	grep -Eq '^sockcat: listening on 127\.0\.0\.1:[0-9]+$' "$W/rx.err"
	[[ $PORT -gt 0 ]]
}

@test "udp: datagram boundaries are kept both ways through udp-listen -> udp" {
	start_py_udp srv "$W/srv.port" "$W/sizes" 5 0 "7,1,30000,65507,2"
	start_listener relay udp-listen:127.0.0.1:0 \
	    udp:127.0.0.1:"$(cat "$W/srv.port")"
	run -0 py_udp_client "$PORT" "1,100,1472,9000,65507" 5
	# what came back to the client, one size per datagram
	[[ $(echo $output) == "7 1 30000 65507 2" ]]
	# what reached the server, one size per datagram
	wait_for_line "$W/sizes" '^65507$' 5
	[[ $(echo $(cat "$W/sizes")) == "1 100 1472 9000 65507" ]]
}

@test "udp: a reply 0.2 s after the client's input ends still arrives" {
	start_py_udp srv "$W/srv.port" "$W/sizes" 1 0.2 "text:pong"
	run -0 --separate-stderr sc udp:127.0.0.1:"$(cat "$W/srv.port")" \
	    <<<"ping"
	[[ $output == pong ]]
	[[ $(cat "$W/sizes") == 5 ]]
}

@test "udp: default -t for datagrams is about 0.5 s: a reply after 2 s is not waited for" {
	start_py_udp srv "$W/srv.port" "$W/sizes" 1 2 "text:late"
	local t0 t1
	t0=$(now)
	run -0 sc udp:127.0.0.1:"$(cat "$W/srv.port")" <<<"ping"
	t1=$(now)
	[[ -z $output ]]
	elapsed_between "$t0" "$t1" 0.3 1.8
}

@test "udp: -t 3 waits long enough for a reply after 1 s" {
	start_py_udp srv "$W/srv.port" "$W/sizes" 1 1 "text:slow pong"
	run -0 sc -t 3 udp:127.0.0.1:"$(cat "$W/srv.port")" <<<"ping"
	[[ $output == "slow pong" ]]
}

@test "udp: udp-listen talks to the sender of the first datagram" {
	start_listener rx udp-listen:127.0.0.1:0 echo
	run -0 py_udp_text "$PORT" "hello udp"
	[[ $output == "hello udp" ]]
}

@test "udp: udp-listen,fork serves each peer in its own child" {
	start_listener rx udp-listen:127.0.0.1:0,fork echo
	run -0 py_udp_text "$PORT" "first peer"
	[[ $output == "first peer" ]]
	run -0 py_udp_text "$PORT" "second peer"
	[[ $output == "second peer" ]]
	run -0 py_udp_text "$PORT" "third peer"
	[[ $output == "third peer" ]]
	is_alive "$BG_PID"
}

@test "udp: -T 1 ends an idle udp-listen session; the datagrams were written" {
	start_listener rx -T 1 -u udp-listen:127.0.0.1:0 create:"$W/out"
	run -0 py_udp_client "$PORT" "3,4,5" 0
	wait_exit "$BG_PID" 6
	[[ $BG_STATUS -eq 0 ]]
	[[ $(stat -c %s "$W/out") -eq 12 ]]
}

@test "udp: udp to a port nobody listens on does not hang or crash" {
	local p
	p=$(free_port)
	run timeout 10 "$SOCKCAT" udp:127.0.0.1:"$p" <<<"into the void"
	assert_no_crash
}

@test "udp: udp6 over [::1]" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener rx 'udp-listen:[::1]:0' echo
	grep -Eq 'listening on \[::1\]:[0-9]+$' "$W/rx.err"
	run -0 sc "udp6:[::1]:$PORT" <<<"v6 datagram"
	[[ $output == "v6 datagram" ]]
}
