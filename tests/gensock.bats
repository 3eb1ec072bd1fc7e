#!/usr/bin/env bats
# gensock.bats: generic sockets (issue 15): socket-connect, socket-listen,
# socket-sendto, socket-recvfrom, socket-recv, socket-datagram with socat's
# data notation for addresses, bind= and range=; pf=, type= (socktype=,
# so-type=) and protocol=.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# in4 PORT [ADDR-HEX]: the data of a sockaddr_in after its family: port,
# address (default 127.0.0.1), eight zero bytes.
in4()
{
	printf 'x%04xx%sx0000000000000000' "$1" "${2:-7f000001}"
}

@test "gensock: socket-connect to TCP, address in hex" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc socket-connect:2:6:"$(in4 "$PORT")" <<<"generic tcp"
	[[ $output == "generic tcp" ]]
	# The domain by name, and protocol 0.
	start_listener srv2 tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc socket-connect:ip4:0:"$(in4 "$PORT")" <<<"by name"
	[[ $output == "by name" ]]
}

@test "gensock: socket-connect to a unix path, with bind= in data form" {
	start_listener srv unix-listen:"$SOCKDIR/s" \
	    'system:echo "$SOCKCAT_PEERADDR"'
	run -0 sc - "socket-connect:1:0:\"$SOCKDIR/s\\0\",bind=\"$SOCKDIR/c\\0\"" \
	    </dev/null
	[[ $output == "$SOCKDIR/c" ]]
	# socat's test suite hands the quotes over escaped: \"path\0\".
	start_listener srv2 unix-listen:"$SOCKDIR/s2" exec:cat
	run -0 sc - "socket-connect:1:0:\\\"$SOCKDIR/s2\\0\\\"" <<<"escaped"
	[[ $output == escaped ]]
}

@test "gensock: socket-listen with fork, and range= in data form" {
	start_listener srv "socket-listen:2:6:$(in4 0 00000000),fork" exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"generic listener"
	[[ $output == "generic listener" ]]
	# Port and address masked: 127.0.0.1 is in, 127.0.0.2 is not.
	start_listener in "socket-listen:2:6:$(in4 0 00000000),fork,range=x0000x7f000001:x0000xffffffff" \
	    exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"in range"
	[[ $output == "in range" ]]
	start_listener out "socket-listen:2:6:$(in4 0 00000000),fork,range=x0000x7f000002:x0000xffffffff" \
	    exec:cat
	run sc tcp:127.0.0.1:"$PORT" <<<"out of range"
	[[ -z $output ]]
	wait_for_line "$W/out.err" 'not in range=' 5
}

@test "gensock: socket-sendto and socket-recvfrom over UDP" {
	start_listener r "socket-recvfrom:2:2:17:$(in4 0)" echo
	run -0 sc -t 0.5 - "socket-sendto:2:2:17:$(in4 "$PORT")" <<<"gen dgram"
	[[ $output == "gen dgram" ]]
}

@test "gensock: socket-recv reads only; socket-datagram takes anyone" {
	start_listener r -u "socket-recv:2:2:17:$(in4 0)" -
	run -0 sc -u - "socket-datagram:2:2:17:$(in4 "$PORT")" <<<"to recv"
	wait_for_line "$W/r.out" '^to recv$' 10
	start_listener e udp-recvfrom:127.0.0.1:0 echo
	run -0 sc -t 0.5 - "socket-datagram:2:2:17:$(in4 "$PORT")" <<<"back"
	[[ $output == back ]]
}

@test "gensock: protocol= is the third argument of socket(2)" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc socket-connect:2:0:"$(in4 "$PORT")",protocol=6 <<<"tcp"
	[[ $output == tcp ]]
	run -1 --separate-stderr sc socket-connect:2:0:"$(in4 "$PORT")",protocol=17
	[[ $stderr == *"socket: Protocol not supported"* ]]
	run -2 --separate-stderr sc socket-connect:2:0:"$(in4 "$PORT")",protocol=x
}

@test "gensock: type= (socktype=, so-type=) chooses the socket type" {
	start_listener sq unix-listen:"$SOCKDIR/sq",type=seqpacket,fork exec:cat
	run -0 sc - "socket-connect:1:0:\"$SOCKDIR/sq\\0\",socktype=5" <<<"seq"
	[[ $output == seq ]]
	run -4 --separate-stderr sc - "socket-connect:1:0:\"$SOCKDIR/sq\\0\"" \
	    </dev/null
	[[ $stderr == *"Protocol wrong type"* ]]
	# On unix clients type= tries only that type.
	start_listener st unix-listen:"$SOCKDIR/st",so-type=1 exec:cat
	run -1 --separate-stderr sc - unix:"$SOCKDIR/st",type=seqpacket \
	    </dev/null
	run -0 sc - unix:"$SOCKDIR/st" <<<"fallback"
	[[ $output == fallback ]]
}

@test "gensock: pf= restricts an IP address to one family" {
	have_ipv6 || skip "no ::1"
	start_listener srv tcp-listen:127.0.0.1:0,fork exec:cat
	run -0 sc tcp:localhost:"$PORT",pf=ip4 <<<"four"
	[[ $output == four ]]
	# Only IPv4 listens: with pf=ip6 localhost is either not found (3) or
	# ::1, where nobody listens (4).
	run --separate-stderr sc tcp:localhost:"$PORT",pf=ip6 </dev/null
	[[ $status -eq 3 || $status -eq 4 ]]
	run -2 --separate-stderr sc tcp4:127.0.0.1:"$PORT",pf=ip6
	[[ $stderr == *"pf=ip6 conflicts"* ]]
}

@test "gensock: malformed data and parameters are usage errors" {
	run -2 --separate-stderr sc - socket-connect:2:6:x7
	[[ $stderr == *"not socat data"* ]]
	run -2 --separate-stderr sc - socket-connect:2:zz:x00
	[[ $stderr == *"protocol zz: not a number"* ]]
	run -2 --separate-stderr sc - socket-listen:2:6
}
