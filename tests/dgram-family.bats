#!/usr/bin/env bats
# dgram-family.bats: socat's datagram addresses (issue 15): udp-sendto,
# udp-recvfrom (with fork), udp-recv, udp-datagram (broadcast, multicast),
# unix-sendto, unix-recvfrom, unix-recv, the abstract ones, IPv6; range=,
# sourceport=, lowport; shut-null and null-eof; ancillary messages
# (ip-recvttl, ip-recvtos, ip-recvopts, ip-pktinfo, so-timestamp) and the
# options that set what they report (ip-ttl, ip-tos, ip-options).
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# py_send PORT TEXT [SRCPORT]: one datagram to 127.0.0.1:PORT from
# SRCPORT (default: any); prints the answer if one comes within 2 s.
py_send()
{
	timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[3]) if len(sys.argv) > 3 else 0))
s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
s.settimeout(2)
try:
    print(s.recv(70000).decode(), end="")
except socket.timeout:
    pass
' "$@"
}

# py_peer NAME: a UDP socket on 127.0.0.1 that echoes what it gets with a
# "peer:" prefix; sets PEER to its port.
py_peer()
{
	start_bg "$1" timeout 30 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    d, a = s.recvfrom(70000)
    s.sendto(b"peer:" + d, a)
'
	wait_for_line "$W/$1.out" '^[0-9]+$' 10
	PEER=$(head -n 1 "$W/$1.out")
}

# ---------------------------------------------------------------------------
# UDP

@test "dgram: udp-sendto and udp-recvfrom echo, with bind=" {
	start_listener r udp-recvfrom:127.0.0.1:0 echo
	local src
	src=$(free_port)
	run -0 sc -t 0.5 - udp-sendto:127.0.0.1:"$PORT",bind=127.0.0.1:"$src" \
	    <<<"sendto"
	[[ $output == sendto ]]
	grep -q "received a datagram from 127.0.0.1:$src" "$W/r.err"
}

@test "dgram: udp-sendto takes answers from its peer only" {
	py_peer p
	local lp
	lp=$(free_port)
	start_bg s timeout 20 "$SOCKCAT" -v \
	    udp-sendto:127.0.0.1:"$PEER",bind=127.0.0.1:"$lp" \
	    "system:echo hi; sleep 1.5!!create:$W/got"
	wait_for_size "$W/got" 8 10
	# A stranger's datagram to our port is dropped.
	py_send "$lp" stranger >/dev/null
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/got") == "peer:hi" ]]
}

@test "dgram: udp-datagram takes datagrams from anyone range= allows" {
	py_peer p
	run -0 --separate-stderr sc -t 0.3 - udp-datagram:127.0.0.1:"$PEER" \
	    <<<"dg"
	[[ $output == "peer:dg" ]]
	run -0 --separate-stderr sc -v -t 0.3 - \
	    udp-datagram:127.0.0.1:"$PEER",range=10.0.0.0/8 <<<"dg"
	[[ -z $output ]]
	[[ $stderr == *"not in range="* ]]
}

@test "dgram: udp-recvfrom with fork: a child per datagram, each answered" {
	start_listener r udp-recvfrom:127.0.0.1:0,fork \
	    'system:read l; echo "$l from $$"'
	local a b
	a=$(py_send "$PORT" one)
	b=$(py_send "$PORT" two)
	[[ $a == "one from "* && $b == "two from "* ]]
	[[ ${a##* } != "${b##* }" ]]
}

@test "dgram: udp-recvfrom,fork removes a unix socket file on SIGTERM" {
	start_bg r timeout 20 "$SOCKCAT" -v unix-recvfrom:"$SOCKDIR/r",fork echo
	wait_for_file "$SOCKDIR/r" 10
	kill -TERM "$BG_PID"
	wait_exit "$BG_PID" 10
	[[ ! -e $SOCKDIR/r ]]
}

@test "dgram: udp-recv merges datagrams from several senders, read only" {
	start_listener r -u udp-recv:127.0.0.1:0 -
	py_send "$PORT" $'a\n' >/dev/null
	py_send "$PORT" $'b\n' >/dev/null
	wait_for_line "$W/r.out" '^b$' 10
	[[ $(cat "$W/r.out") == $'a\nb' ]]
}

@test "dgram: range=, sourceport= and lowport drop other senders" {
	local sp
	sp=$(free_port)
	start_listener a udp-recvfrom:127.0.0.1:0,fork,sourceport="$sp" \
	    'system:read l; echo "ok $l"'
	run -0 py_send "$PORT" hi "$sp"
	[[ $output == "ok hi" ]]
	run -0 py_send "$PORT" hi
	[[ -z $output ]]
	wait_for_line "$W/a.err" "is not sourceport=$sp" 5
	start_listener b udp-recvfrom:127.0.0.1:0,fork,range=127.0.0.2/32 \
	    'system:read l; echo "ok $l"'
	run -0 py_send "$PORT" hi
	[[ -z $output ]]
	wait_for_line "$W/b.err" 'not in range=' 5
	start_listener c udp-recvfrom:127.0.0.1:0,fork,lowport \
	    'system:read l; echo "ok $l"'
	run -0 py_send "$PORT" hi
	[[ -z $output ]]
	if [[ $(id -u) -eq 0 ]]; then
		run -0 py_send "$PORT" hi 1019
		[[ $output == "ok hi" ]]
	fi
}

@test "dgram: broadcast allows sending to a broadcast address" {
	start_listener r udp-recvfrom:0,reuseaddr echo
	run -0 sc -t 0.5 - udp-datagram:127.255.255.255:"$PORT",broadcast \
	    <<<"bcast"
	[[ $output == bcast ]]
	run -1 --separate-stderr sc -t 0.5 - \
	    udp-datagram:127.255.255.255:"$PORT" <<<"bcast"
	[[ $stderr == *"Permission denied"* ]]
}

@test "dgram: multicast: ip-add-membership, ip-multicast-if, -loop, -ttl" {
	[[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null ||
	    skip "needs root and unshare for a private network namespace"
	# Only lo in the namespace: the group is joined and sent on it.
	run -0 timeout 60 unshare -n bash -c '
	set -e
	ip link set lo up
	S=$1 W=$2
	g=224.1.2.3
	rx() { # OPTS: receive one group datagram with -vv, print ttl
		timeout 3 "$S" -vv -u udp-recv:40001,reuseaddr,$1 - \
		    >"$W/rx.out" 2>"$W/rx.err" &
		rp=$!
		for i in $(seq 50); do
			grep -q listening "$W/rx.err" 2>/dev/null && break
			sleep 0.05
		done
	}
	send() { echo "$1" | "$S" -u - "udp-sendto:$g:40001,$2"; }
	# Joined: the datagram arrives, with the multicast TTL we set.
	rx "ip-add-membership=$g:127.0.0.1,ip-recvttl"
	send one ip-multicast-if=127.0.0.1,ip-multicast-ttl=7
	wait $rp || true
	grep -qx one "$W/rx.out"
	grep -q "ttl=7" "$W/rx.err"
	# Not joined: nothing.
	rx "ip-recvttl"
	send two ip-multicast-if=127.0.0.1
	wait $rp || true
	! grep -q two "$W/rx.out"
	# No loop back to this host: nothing either.
	rx "ip-add-membership=$g:lo"
	send three ip-multicast-if=127.0.0.1,ip-multicast-loop=0
	wait $rp || true
	! grep -q three "$W/rx.out"
	# Without ip-multicast-if there is no route for the group here.
	! send four "" 2>/dev/null
	echo ok
	' bash "$SOCKCAT" "$W"
	[[ $output == ok ]]
}

@test "dgram: shut-null sends an empty datagram, null-eof takes it as the end" {
	start_bg r timeout 20 "$SOCKCAT" -v -u udp-recv:127.0.0.1:0,null-eof -
	wait_for_line "$W/r.err" 'listening on' 10
	PORT=$(listen_port "$W/r.err")
	run -0 sc -u - udp-sendto:127.0.0.1:"$PORT",shut-null <<<"last"
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/r.out") == last ]]
	# Without null-eof the empty datagram is skipped: it runs on.
	start_bg s timeout 20 "$SOCKCAT" -v -u udp-recv:127.0.0.1:0 -
	wait_for_line "$W/s.err" 'listening on' 10
	PORT=$(listen_port "$W/s.err")
	run -0 sc -u - udp-sendto:127.0.0.1:"$PORT",shut-null <<<"last"
	! wait_exit "$BG_PID" 1
	# Without shut-null nothing ends the receiver.
	start_bg t timeout 20 "$SOCKCAT" -v -u udp-recv:127.0.0.1:0,null-eof -
	wait_for_line "$W/t.err" 'listening on' 10
	PORT=$(listen_port "$W/t.err")
	run -0 sc -u - udp-sendto:127.0.0.1:"$PORT" <<<"last"
	! wait_exit "$BG_PID" 1
}

@test "dgram: udp-connect with shut-null and null-eof both ways" {
	start_bg r timeout 20 "$SOCKCAT" -v udp-recvfrom:127.0.0.1:0,null-eof,shut-null \
	    echo
	wait_for_line "$W/r.err" 'listening on' 10
	PORT=$(listen_port "$W/r.err")
	run -0 sc udp:127.0.0.1:"$PORT",shut-null,null-eof <<<"both ways"
	[[ $output == "both ways" ]]
	wait_exit "$BG_PID" 10
}

# ---------------------------------------------------------------------------
# ancillary messages

# anc_env OPTS SENDOPTS VAR: the value of VAR a program started by
# udp-recvfrom (with OPTS) sees for a datagram sent with SENDOPTS. The
# receiver goes on (a datagram source has no end); teardown ends it.
anc_env()
{
	local n=r$RANDOM
	start_listener "$n" -u "udp4-recvfrom:127.0.0.1:0,$1" \
	    "system:echo \"\$$3\""
	sc -u - "udp4-sendto:127.0.0.1:$PORT${2:+,$2}" <<<"x"
	wait_for_size "$W/$n.out" 1 10
	cat "$W/$n.out"
}

@test "dgram: ip-recvttl reports the TTL that ip-ttl= set" {
	run -0 anc_env ip-recvttl ip-ttl=53 SOCKCAT_IP_TTL
	[[ $output == 53 ]]
	run -0 anc_env ip-recvttl "" SOCKCAT_IP_TTL
	[[ $output == 64 ]]
	run -0 anc_env "" ip-ttl=53 SOCKCAT_IP_TTL
	[[ -z $output ]]
}

@test "dgram: ip-recvtos reports the TOS that ip-tos= set" {
	run -0 anc_env ip-recvtos ip-tos=32 SOCKCAT_IP_TOS
	[[ $output == 32 ]]
	run -0 anc_env ip-recvtos "" SOCKCAT_IP_TOS
	[[ $output == 0 ]]
}

@test "dgram: ip-recvopts reports the IP options that ip-options= set" {
	run -0 anc_env ip-recvopts ip-options=x01000000 SOCKCAT_IP_OPTIONS
	[[ $output == x01000000 ]]
	run -0 anc_env ip-recvopts "" SOCKCAT_IP_OPTIONS
	[[ -z $output ]]
	run -2 --separate-stderr sc -u - udp4-sendto:127.0.0.1:9,ip-options=zz
}

@test "dgram: ip-pktinfo reports addresses and interface, -vv logs them" {
	run -0 anc_env ip-pktinfo "" SOCKCAT_IP_DSTADDR
	[[ $output == 127.0.0.1 ]]
	run -0 anc_env ip-pktinfo "" SOCKCAT_IP_IF
	[[ $output == lo ]]
	start_listener r -vv -u udp4-recv:127.0.0.1:0,ip-pktinfo -
	sc -u - udp4-sendto:127.0.0.1:"$PORT" <<<"x"
	wait_for_line "$W/r.err" 'ancillary message: IP_PKTINFO: locaddr=127.0.0.1$' 10
}

@test "dgram: so-timestamp reports the receive time; -lp names the variables" {
	start_listener r -lpsocat -u "udp4-recvfrom:127.0.0.1:0,so-timestamp" \
	    'system:echo "$SOCAT_TIMESTAMP"'
	sc -u - "udp4-sendto:127.0.0.1:$PORT" <<<"x"
	wait_for_size "$W/r.out" 1 10
	grep -Eq "^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}, [0-9]{6} usecs$" \
	    "$W/r.out"
}

# ---------------------------------------------------------------------------
# unix, abstract, IPv6

@test "dgram: unix-sendto with bind= and unix-recvfrom answer each other" {
	start_bg r timeout 20 "$SOCKCAT" -v unix-recvfrom:"$SOCKDIR/srv" echo
	wait_for_file "$SOCKDIR/srv" 10
	run -0 sc -t 0.5 - unix-sendto:"$SOCKDIR/srv",bind="$SOCKDIR/cli" \
	    <<<"unix datagram"
	[[ $output == "unix datagram" ]]
	# The bound file goes at the end (unlink-close), the server's stays.
	[[ ! -e $SOCKDIR/cli && -S $SOCKDIR/srv ]]
	run -0 sc -t 0.5 - unix-send:"$SOCKDIR/srv" <<<"autobound"
	[[ $output == autobound ]]
}

@test "dgram: unix-recv: read only; perm=, user=, unlink-close=0" {
	start_bg r timeout 20 "$SOCKCAT" -u \
	    unix-recv:"$SOCKDIR/rcv",perm=600,unlink-close=0 -
	wait_for_file "$SOCKDIR/rcv" 10
	[[ $(stat -c %a "$SOCKDIR/rcv") == 600 ]]
	run -0 sc -u - unix-sendto:"$SOCKDIR/rcv" <<<"to recv"
	wait_for_line "$W/r.out" '^to recv$' 10
	kill -TERM "$BG_PID"
	wait_exit "$BG_PID" 10
	[[ -S $SOCKDIR/rcv ]]
	if [[ $(id -u) -eq 0 ]]; then
		start_bg u timeout 20 "$SOCKCAT" -u \
		    unix-recv:"$SOCKDIR/usr",user=nobody -
		wait_for_file "$SOCKDIR/usr" 10
		[[ $(stat -c %U "$SOCKDIR/usr") == nobody ]]
	fi
}

@test "dgram: unix-sendto to a missing or wrong socket: exit 1, one line" {
	run -1 --separate-stderr sc -u - unix-sendto:"$SOCKDIR/none" <<<"x"
	[[ $stderr == *"connect: No such file or directory" ]]
	start_listener s unix-listen:"$SOCKDIR/stream" echo
	run -1 --separate-stderr sc -u - unix-sendto:"$SOCKDIR/stream" <<<"x"
	[[ $(grep -c '' <<<"$stderr") -eq 1 ]]
}

@test "dgram: abstract-sendto, abstract-recvfrom, abstract-recv" {
	local n=sc-abs-$$-$RANDOM
	start_bg r timeout 20 "$SOCKCAT" -v abstract-recvfrom:"$n" echo
	wait_for_line "$W/r.err" 'listening on' 10
	run -0 sc -t 0.5 - abstract-sendto:"$n",bind="$n-c" <<<"abstract"
	[[ $output == abstract ]]
	start_bg v timeout 20 "$SOCKCAT" -v -u abstract-recv:"$n-r" -
	wait_for_line "$W/v.err" 'listening on' 10
	run -0 sc -u - abstract-sendto:"$n-r" <<<"recv"
	wait_for_line "$W/v.out" '^recv$' 10
}

@test "dgram: IPv6: udp6-sendto and udp6-recvfrom" {
	have_ipv6 || skip "no ::1"
	start_listener r udp6-recvfrom:[::1]:0 echo
	run -0 sc -t 0.5 - udp6-sendto:[::1]:"$PORT" <<<"six"
	[[ $output == six ]]
	run -2 --separate-stderr sc - udp6-sendto:127.0.0.1:"$PORT"
}
