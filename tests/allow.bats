#!/usr/bin/env bats
# allow.bats: peers outside allow= are logged on stderr without -v, one
# line each, at most 10 lines a second plus a count of the others; for
# stream listeners, one-peer datagram listeners and datagram fork
# listeners.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# free_udp_port: a UDP port nobody is bound to on 127.0.0.1 right now.
free_udp_port()
{
	python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_for_udp PORT SECS: poll /proc/net/udp until something is bound to
# UDP PORT.
wait_for_udp()
{
	local hex n i
	hex=$(printf '%04X' "$1")
	n=$(awk -v s="${2:-10}" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		awk -v h=":$hex" 'substr($2, length($2) - 4) == h { f = 1 }
		    END { exit !f }' /proc/net/udp && return 0
		sleep 0.05
	done
	echo "nothing bound to UDP port $1" >&2
	return 1
}

# send_udp PORT TEXT: one datagram from 127.0.0.1 to 127.0.0.1:PORT.
send_udp()
{
	timeout "$TMO" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
' "$1" "$2"
}

# assert_refused_only FILE ADDR: FILE holds exactly one line, the refusal
# of a peer of 127.0.0.1 by the listener ADDR.
assert_refused_only()
{
	local lines
	lines=$(wc -l <"$1")
	cat "$1" >&2
	((lines == 1)) || return 1
	grep -Eqx "sockcat: $2: refused 127\.0\.0\.1:[0-9]+: not in the allow= list" \
	    "$1"
}

@test "allow: tcp-listen logs a refused peer without -v, one line" {
	local p a
	p=$(free_port)
	a="tcp-listen:127.0.0.1:$p,fork,allow=10.0.0.0/8"
	start_bg srv timeout 120 "$SOCKCAT" "$a" 'system:echo secret'
	wait_for_port "$p" 10
	run -0 sc tcp:127.0.0.1:"$p" </dev/null
	[[ -z $output ]]
	wait_for_line "$W/srv.err" 'refused' 5
	assert_refused_only "$W/srv.err" "${a//./\\.}"
}

@test "allow: udp-listen (one peer) logs a refused datagram without -v" {
	local p a
	p=$(free_udp_port)
	a="udp-listen:127.0.0.1:$p,allow=10.0.0.0/8"
	start_bg srv timeout 120 "$SOCKCAT" "$a" echo
	wait_for_udp "$p" 10
	send_udp "$p" "let me in"
	wait_for_line "$W/srv.err" 'refused' 5
	assert_refused_only "$W/srv.err" "${a//./\\.}"
	is_alive "$BG_PID"
}

@test "allow: udp-listen,fork logs a refused datagram without -v" {
	local p a
	p=$(free_udp_port)
	a="udp-listen:127.0.0.1:$p,fork,allow=10.0.0.0/8"
	start_bg srv timeout 120 "$SOCKCAT" "$a" echo
	wait_for_udp "$p" 10
	send_udp "$p" "let me in"
	wait_for_line "$W/srv.err" 'refused' 5
	assert_refused_only "$W/srv.err" "${a//./\\.}"
	is_alive "$BG_PID"
}

@test "allow: a flood of refused peers prints at most 10 lines a second and counts the rest" {
	local p a t0 t1 lines hidden secs
	p=$(free_port)
	a="tcp-listen:127.0.0.1:$p,allow=127.0.0.2/32"
	start_bg srv timeout 120 "$SOCKCAT" "$a" 'system:echo in'
	wait_for_port "$p" 10
	t0=$(now)
	# 200 peers from 127.0.0.1, all queued before the allowed one
	timeout "$TMO" python3 -c '
import socket, sys
hold = []
for i in range(200):
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    hold.append(c)
' "$p"
	run -0 sc tcp:127.0.0.1:"$p",bind=127.0.0.2 </dev/null
	[[ $output == in ]]
	# the one-peer listener closes after the allowed peer: count told
	wait_exit "$BG_PID" 10
	t1=$(now)
	# the seconds the refusals may span: ceil(t1 - t0), plus one
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; n = int(d);
	    if (n < d) n++; print n + 1 }')
	cat "$W/srv.err" >&2
	# each line starts with the listener's address (a regular expression)
	local re="^sockcat: ${a//./\\.}: "
	local one='refused 127\.0\.0\.1:[0-9]+: not in the allow= list$'
	local more='([0-9]+) more peers refused, not in the allow= list'
	more+=' \(at most 10 lines a second\)$'
	lines=$(grep -Ec "$re$one" "$W/srv.err")
	hidden=$(sed -nE "s#$re$more#\1#p" "$W/srv.err" |
	    awk '{ n += $1 } END { print n + 0 }')
	echo "lines $lines, hidden $hidden, over $secs s" >&2
	((lines + hidden == 200))
	((hidden > 0))
	((lines <= 10 * secs))
	# nothing else was printed
	(($(wc -l <"$W/srv.err") == lines + $(grep -c 'more peers refused' \
	    "$W/srv.err")))
}
