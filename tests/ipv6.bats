#!/usr/bin/env bats
# ipv6.bats: the core TCP and UDP behaviour once more over ::1; dual-stack
# listeners; -4/-6, ipv6only, bind=[::1], scoped addresses.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

setup_file()
{
	make_bigfile
}

setup()
{
	common_setup
	have_ipv6 || skip "no ::1 on lo"
}

# Prints the peer address the session's program sees, then echoes.
WHO='system:echo "$SOCKCAT_PEERADDR"; cat'

# py_udp_text HOST PORT TEXT: one datagram from a fresh socket; prints the
# one answer (5 s bound).
py_udp_text()
{
	timeout "$TMO" python3 -c '
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
    socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(sys.argv[3].encode(), (host, port))
sys.stdout.write(s.recv(70000).decode())
' "$@"
}

# --- TCP over ::1 -----------------------------------------------------------

@test "ipv6: tcp6-listen on [::1] reports its port in brackets; tcp6 echo" {
	start_listener srv 'tcp6-listen:[::1]:0' echo
	grep -Eq '^sockcat: listening on \[::1\]:[0-9]+$' "$W/srv.err"
	run -0 --separate-stderr sc -v "tcp6:[::1]:$PORT" <<<"hello six"
	[[ $output == "hello six" ]]
	[[ ${stderr_lines[0]} == "sockcat: connected to [::1]:$PORT" ]]
	wait_for_line "$W/srv.err" "accepted \\[::1\\]:[0-9]+ on \\[::1\\]:$PORT" 5
}

@test "ipv6: 64 MiB tcp-listen -> tcp over ::1 and back, sha256 equal both ways" {
	start_listener srv 'tcp-listen:[::1]:0' "exec:tee $W/recv.bin"
	timeout 60 "$SOCKCAT" "tcp:[::1]:$PORT" <"$BIG" >"$W/back.bin"
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	[[ $(sha "$W/recv.bin") == "$BIG_SHA" ]]
	[[ $(sha "$W/back.bin") == "$BIG_SHA" ]]
}

@test "ipv6: half-close over ::1: the answer of wc -w comes after EOF" {
	start_listener srv 'tcp-listen:[::1]:0' system:'sleep 1; wc -w'
	run -0 sc "tcp:[::1]:$PORT" <<<"one two three four"
	[[ $output -eq 4 ]]
}

@test "ipv6: connection refused on ::1 is exit 4 with one error line" {
	local p
	p=$(free_port)
	run -4 --separate-stderr sc "tcp:[::1]:$p" </dev/null
	assert_one_error "tcp:[::1]:$p: connect: Connection refused"
}

@test "ipv6: tcp-listen,fork on [::1] serves several clients at once" {
	start_listener srv 'tcp-listen:[::1]:0,fork' exec:cat
	local i
	local -a pids=()
	for i in 1 2 3 4 5; do
		sc "tcp:[::1]:$PORT" <<<"client $i" >"$W/out$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in 1 2 3 4 5; do
		[[ $(cat "$W/out$i") == "client $i" ]]
	done
}

# --- UDP over ::1 -----------------------------------------------------------

@test "ipv6: udp datagram boundaries kept both ways over ::1" {
	local PY_HOST=::1
	start_py_udp srv "$W/srv.port" "$W/sizes" 5 0 "7,1,30000,65000,2"
	start_listener relay 'udp-listen:[::1]:0' \
	    "udp6:[::1]:$(cat "$W/srv.port")"
	run -0 py_udp_client "$PORT" "1,100,1452,9000,65000" 5
	[[ $(echo $output) == "7 1 30000 65000 2" ]]
	wait_for_line "$W/sizes" '^65000$' 5
	[[ $(echo $(cat "$W/sizes")) == "1 100 1452 9000 65000" ]]
}

@test "ipv6: a udp reply 0.2 s after the input ends still arrives over ::1" {
	local PY_HOST=::1
	start_py_udp srv "$W/srv.port" "$W/sizes" 1 0.2 "text:pong6"
	run -0 --separate-stderr sc "udp:[::1]:$(cat "$W/srv.port")" <<<"ping"
	[[ $output == pong6 ]]
}

@test "ipv6: udp-listen,fork on [::1] serves each peer" {
	start_listener srv 'udp-listen:[::1]:0,fork' echo
	run -0 py_udp_text ::1 "$PORT" "first"
	[[ $output == first ]]
	run -0 py_udp_text ::1 "$PORT" "second"
	[[ $output == second ]]
}

# --- dual stack -------------------------------------------------------------

@test "ipv6: tcp-listen:0 is dual-stack: reached over 127.0.0.1 and ::1" {
	start_listener srv tcp-listen:0,fork "$WHO"
	grep -Fxq "sockcat: listening on [::]:$PORT" "$W/srv.err"
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"over v4"
	[[ $output == $'127.0.0.1\nover v4' ]]
	run -0 sc "tcp:[::1]:$PORT" <<<"over v6"
	[[ $output == $'::1\nover v6' ]]
}

@test "ipv6: udp-listen:0 is dual-stack: reached over 127.0.0.1 and ::1" {
	start_listener srv udp-listen:0 echo
	run -0 py_udp_text 127.0.0.1 "$PORT" "v4 datagram"
	[[ $output == "v4 datagram" ]]
	start_listener srv6 udp-listen:0 echo
	run -0 py_udp_text ::1 "$PORT" "v6 datagram"
	[[ $output == "v6 datagram" ]]
}

@test "ipv6: -6 and tcp6-listen take IPv6 only; ipv6only=0 makes them dual again" {
	start_listener a -6 tcp-listen:0,fork echo
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT" </dev/null
	run -0 sc "tcp:[::1]:$PORT" <<<"six"
	[[ $output == six ]]
	start_listener b tcp6-listen:0,fork echo
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT" </dev/null
	start_listener c tcp6-listen:0,fork,ipv6only=0 echo
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"four"
	[[ $output == four ]]
}

@test "ipv6: ipv6only on tcp-listen:0 refuses IPv4; -4 refuses ::1" {
	start_listener a tcp-listen:0,fork,ipv6only echo
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT" </dev/null
	run -0 sc "tcp:[::1]:$PORT" <<<"six"
	[[ $output == six ]]
	start_listener b -4 tcp-listen:0,fork echo
	grep -Fxq "sockcat: listening on 0.0.0.0:$PORT" "$W/b.err"
	run -4 --separate-stderr sc "tcp:[::1]:$PORT" </dev/null
}

@test "ipv6: udp6-listen takes IPv6 only" {
	start_listener srv udp6-listen:0,fork echo
	run -0 py_udp_text ::1 "$PORT" "six"
	[[ $output == six ]]
	run timeout "$TMO" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.send(b"four")
try:
    print("answer", s.recv(100))
except (socket.timeout, ConnectionRefusedError):
    print("no answer")
' "$PORT"
	[[ $output == "no answer" ]]
}

# --- addresses --------------------------------------------------------------

@test "ipv6: bind=[::1] sets the client's source address" {
	start_listener srv 'tcp-listen:0' "$WHO"
	run -0 sc "tcp:[::1]:$PORT,bind=[::1]" <<<"x"
	[[ ${lines[0]} == ::1 ]]
	start_listener srv2 'udp-listen:[::1]:0' system:'echo "$SOCKCAT_PEERPORT"'
	run -0 sc -t 1 "udp:[::1]:$PORT,bind=[::1]:0" <<<"x"
	[[ $output =~ ^[0-9]+$ ]]
}

@test "ipv6: -6 with an IPv4 literal, udp6 with an IPv4 literal: usage errors" {
	assert_usage 'udp6:127.0.0.1:53' -- 'udp6:127.0.0.1:53'
	assert_usage 'tcp-listen:127.0.0.1:0' -- -6 'tcp-listen:127.0.0.1:0' echo
	assert_usage 'tcp:::1:80' -- 'tcp:::1:80'
}

@test "ipv6: -6 resolves localhost to ::1" {
	getent ahostsv6 localhost | grep -q '^::1 ' ||
	    skip "localhost has no ::1 in this resolver"
	start_listener srv 'tcp-listen:[::1]:0' echo
	run -0 sc -6 tcp:localhost:"$PORT" <<<"by name"
	[[ $output == "by name" ]]
}

@test "ipv6: scoped link-local [fe80::1%lo] in a private network namespace" {
	command -v unshare >/dev/null && command -v ip >/dev/null ||
	    skip "needs unshare(1) and ip(8)"
	unshare -n true 2>/dev/null || skip "cannot make a network namespace"
	run -0 timeout "$TMO" unshare -n bash -c '
		set -e
		ip link set lo up
		ip -6 addr add fe80::1/64 dev lo nodad
		"$1" -v "tcp-listen:[fe80::1%lo]:0" echo 2>"$2/l.err" &
		l1=$!
		for i in $(seq 100); do
			grep -q "listening on" "$2/l.err" && break
			sleep 0.05
		done
		p=$(sed -nE "s/.*listening on .*:([0-9]+)\$/\1/p" "$2/l.err")
		echo scoped | timeout 5 "$1" "tcp:[fe80::1%lo]:$p"
		"$1" -v -T 1 "udp-listen:[fe80::1%lo]:0" echo 2>"$2/u.err" &
		l2=$!
		for i in $(seq 100); do
			grep -q "listening on" "$2/u.err" && break
			sleep 0.05
		done
		p=$(sed -nE "s/.*listening on .*:([0-9]+)\$/\1/p" "$2/u.err")
		echo scoped-udp | timeout 8 "$1" -t 3 "udp:[fe80::1%lo]:$p"
		wait "$l1" "$l2"
	' _ "$SOCKCAT" "$W"
	[[ $output == $'scoped\nscoped-udp' ]]
}

@test "ipv6: -v shows the scope of a link-local address: [fe80::1%lo]" {
	command -v unshare >/dev/null && command -v ip >/dev/null ||
	    skip "needs unshare(1) and ip(8)"
	unshare -n true 2>/dev/null || skip "cannot make a network namespace"
	# lo has no link-local address outside; a private namespace gets one
	run -0 timeout "$TMO" unshare -n bash -c '
		set -e
		ip link set lo up
		ip -6 addr add fe80::1/64 dev lo nodad
		"$1" -v "tcp-listen:[fe80::1%lo]:0" echo 2>"$2/l.err" &
		l1=$!
		for i in $(seq 100); do
			grep -q "listening on" "$2/l.err" && break
			sleep 0.05
		done
		p=$(sed -nE "s/.*listening on .*:([0-9]+)\$/\1/p" "$2/l.err")
		echo scoped | timeout 5 "$1" -v "tcp:[fe80::1%lo]:$p" \
		    2>"$2/c.err"
		wait "$l1"
		echo "$p"
	' _ "$SOCKCAT" "$W"
	cat "$W/l.err" "$W/c.err" >&2
	[[ ${lines[0]} == scoped ]]
	local p=${lines[1]}
	grep -Fxq "sockcat: listening on [fe80::1%lo]:$p" "$W/l.err"
	grep -Eq "^sockcat: accepted \[fe80::1%lo\]:[0-9]+ on \[fe80::1%lo\]:$p\$" \
	    "$W/l.err"
	grep -Fxq "sockcat: connected to [fe80::1%lo]:$p" "$W/c.err"
}

@test "ipv6: -4 with a scoped IPv6 literal is a usage error (exit 2)" {
	assert_usage 'tcp:[fe80::1%lo]:80' -- -4 'tcp:[fe80::1%lo]:80'
	[[ $stderr == *"IPv4 only, but fe80::1%lo is an IPv6 address"* ]]
	assert_usage 'udp-listen:[fe80::1%lo]:0' -- -4 \
	    'udp-listen:[fe80::1%lo]:0' echo
}
