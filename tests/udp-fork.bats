#!/usr/bin/env bats
# udp-fork.bats: udp-listen with fork: one child per peer, each seeing only
# its own peer's datagrams; idle children end.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# The session of every test: each line a peer sends comes back prefixed with
# the peer's port as its child sees it (SOCKCAT_PEERPORT).
TAGGER='system:while IFS= read -r l; do echo "$SOCKCAT_PEERPORT $l"; done'

# setup_file: $BATS_FILE_TMPDIR/peer.py HOST PORT NAME BURST ROUNDS RESULT
# [SRCPORT]: a UDP peer (on port SRCPORT, default any) that sends BURST lines
# at once, then ROUNDS lines one at a time each waiting for its answer, and
# writes "ok" to RESULT when every answer line is "<its own port> NAME
# msgI", all of them, in order; else what it got. Its port goes to
# RESULT.port.
setup_file()
{
	cat >"$BATS_FILE_TMPDIR/peer.py" <<'EOF'
import os, socket, sys
host, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
burst, rounds, result = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((host, int(sys.argv[7]) if len(sys.argv) > 7 else 0))
me = s.getsockname()[1]
with open(result + ".port", "w") as f:
    f.write("%d\n" % me)
s.settimeout(5)
want, got, buf = [], [], b""
def expect(n):
    global buf
    while len(got) < n:
        buf += s.recv(70000)
        *lines, rest = buf.split(b"\n")
        got.extend(l.decode() for l in lines)
        buf = rest
try:
    for i in range(burst + rounds):
        msg = "%s msg%d" % (name, i)
        want.append("%d %s" % (me, msg))
        s.sendto(msg.encode() + b"\n", (host, port))
        if i >= burst:
            expect(i + 1)
    expect(burst + rounds)
except socket.timeout:
    pass
with open(result + ".tmp", "w") as f:
    f.write("ok\n" if got == want else "got %r\nwant %r\n" % (got, want))
os.rename(result + ".tmp", result)
EOF
}

# peers N HOST BURST ROUNDS [SRCPORT]: start N peers at once against
# HOST:$PORT, wait for all of them, and check each got exactly its own
# answers.
peers()
{
	local n=$1 host=$2 burst=$3 rounds=$4 i
	for ((i = 0; i < n; i++)); do
		start_bg "peer$i" timeout 60 python3 "$BATS_FILE_TMPDIR/peer.py" \
		    "$host" "$PORT" "peer$i" "$burst" "$rounds" "$W/peer$i.res" \
		    ${5:+"$5"}
	done
	for ((i = 0; i < n; i++)); do
		wait_for_file "$W/peer$i.res" 30
		if [[ $(cat "$W/peer$i.res") != ok ]]; then
			echo "peer$i:" >&2
			cat "$W/peer$i.res" >&2
			return 1
		fi
	done
}

# nchildren PID: how many child processes PID has.
nchildren()
{
	local c
	c=$(cat /proc/"$1"/task/*/children 2>/dev/null)
	set -- $c
	echo $#
}

# wait_children PID N SECS: poll until PID has exactly N children.
wait_children()
{
	local pid=$1 want=$2 secs=${3:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		(($(nchildren "$pid") == want)) && return 0
		sleep 0.05
	done
	echo "$pid has $(nchildren "$pid") children after ${secs}s, want $want" >&2
	return 1
}

@test "udp-fork: 10 concurrent peers each get only their own answers, in order" {
	start_listener srv -T 3 udp-listen:127.0.0.1:0,fork "$TAGGER"
	peers 10 127.0.0.1 5 10
	# one child per peer, each found its own peer in SOCKCAT_PEERPORT
	[[ $(grep -c 'accepted 127\.0\.0\.1:' "$W/srv.err") -eq 10 ]]
	is_alive "$LPID"
}

@test "udp-fork: the same on a dual-stack listener, IPv4 and IPv6 peers mixed" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv -T 3 udp-listen:0,fork "$TAGGER"
	grep -Fq "listening on [::]:$PORT" "$W/srv.err"
	local i
	for ((i = 0; i < 10; i++)); do
		start_bg "peer$i" timeout 60 python3 "$BATS_FILE_TMPDIR/peer.py" \
		    "$( ((i % 2)) && echo ::1 || echo 127.0.0.1)" "$PORT" \
		    "peer$i" 5 10 "$W/peer$i.res"
	done
	for ((i = 0; i < 10; i++)); do
		wait_for_file "$W/peer$i.res" 30
		[[ $(cat "$W/peer$i.res") == ok ]]
	done
}

@test "udp-fork: idle children end after -T; a peer that comes back gets a new child" {
	start_listener srv -vv -T 1 udp-listen:127.0.0.1:0,fork "$TAGGER"
	peers 4 127.0.0.1 2 2
	# the sessions are over, the listener is not
	wait_children "$LPID" 0 5
	is_alive "$LPID"
	[[ $(grep -c 'idle for 1000 ms (-T): ending session' "$W/srv.err") -eq 4 ]]
	local back
	back=$(cat "$W/peer0.res.port")
	rm -f "$W/peer0.res"
	peers 1 127.0.0.1 1 1 "$back"
	[[ $(grep -c "accepted 127\.0\.0\.1:$back " "$W/srv.err") -eq 2 ]]
}

@test "udp-fork: without -T a child outlives the datagram linger (default idle 60 s)" {
	start_listener srv udp-listen:127.0.0.1:0,fork "$TAGGER"
	peers 1 127.0.0.1 1 1
	wait_children "$LPID" 1 5
	sleep 2		# well past -t's 0.5 s default for datagrams
	[[ $(nchildren "$LPID") -eq 1 ]]
}

# bats test_tags=slow
@test "udp-fork: without -T an idle child ends after 60 s" {
	[[ -n ${SOCKCAT_SLOW_TESTS:-} ]] ||
	    skip "takes 60 s; set SOCKCAT_SLOW_TESTS=1 to run it"
	start_listener srv udp-listen:127.0.0.1:0,fork "$TAGGER"
	peers 1 127.0.0.1 1 1
	wait_children "$LPID" 1 5
	sleep 55
	[[ $(nchildren "$LPID") -eq 1 ]]
	wait_children "$LPID" 0 10
}

@test "udp-fork: max-children=2 serves 4 peers, never more than 2 at once" {
	start_listener srv -T 1 udp-listen:127.0.0.1:0,fork,max-children=2 \
	    "$TAGGER"
	local i max=0 n
	for ((i = 0; i < 4; i++)); do
		start_bg "peer$i" timeout 60 python3 "$BATS_FILE_TMPDIR/peer.py" \
		    127.0.0.1 "$PORT" "peer$i" 1 0 "$W/peer$i.res"
	done
	# peers wait up to 5 s for their answer; the last two get theirs
	# once the first children have been idle for 1 s
	for ((i = 0; i < 100; i++)); do
		n=$(nchildren "$LPID")
		((n > max)) && max=$n
		[[ -f $W/peer3.res && -f $W/peer2.res && -f $W/peer1.res &&
		    -f $W/peer0.res ]] && break
		sleep 0.05
	done
	for ((i = 0; i < 4; i++)); do
		wait_for_file "$W/peer$i.res" 10
		[[ $(cat "$W/peer$i.res") == ok ]]
	done
	((max <= 2))
}

@test "udp-fork: allow= drops peers outside it and keeps listening" {
	start_listener srv -T 1 udp-listen:127.0.0.1:0,fork,allow=10.0.0.0/8 \
	    "$TAGGER"
	run -0 timeout "$TMO" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(b"let me in\n", ("127.0.0.1", int(sys.argv[1])))
try:
    print("answered:", s.recv(100))
except socket.timeout:
    print("no answer")
' "$PORT"
	[[ $output == "no answer" ]]
	wait_for_line "$W/srv.err" 'refused 127\.0\.0\.1:[0-9]+: not in (the )?allow=' 5
	[[ $(nchildren "$LPID") -eq 0 ]]
	is_alive "$LPID"
}

@test "udp-fork: SIGTERM ends the listener and its children" {
	start_listener srv udp-listen:127.0.0.1:0,fork "$TAGGER"
	peers 3 127.0.0.1 1 1
	wait_children "$LPID" 3 5
	local kids
	kids=$(cat /proc/"$LPID"/task/*/children)
	kill -TERM "$LPID"
	assert_dead "$LPID" 5
	for pid in $kids; do
		assert_dead "$pid" 5
	done
}
