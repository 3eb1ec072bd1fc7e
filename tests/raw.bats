#!/usr/bin/env bats
# raw.bats: raw and raw-listen (ip-sendto, ip-recvfrom): raw IP datagrams.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# Protocol 253 is reserved for experiments (RFC 3692), so nothing else on
# the host answers it. Raw sockets need root or CAP_NET_RAW: those tests
# skip without it.

load helper

# need_raw: skip unless this process may open raw sockets.
need_raw()
{
	timeout 10 python3 -c 'import socket
socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)' 2>/dev/null ||
	    skip "raw sockets need root or CAP_NET_RAW"
}

# start_py_udp_echo NAME PORTFILE LOG [FAMILY]: a UDP server on the loopback
# address (127.0.0.1, or ::1 for FAMILY 6) that appends each datagram it
# gets to LOG as one line of hex and answers it with "re:" and the same
# bytes, to the sender.
start_py_udp_echo()
{
	start_bg "$1" timeout 120 python3 -c '
import os, socket, sys
pf, log = sys.argv[1], sys.argv[2]
v6 = len(sys.argv) > 3 and sys.argv[3] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
    socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind(("::1" if v6 else "127.0.0.1", 0))
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(pf + ".tmp", pf)
while True:
    d, a = s.recvfrom(70000)
    with open(log, "a") as f:
        f.write(d.hex() + "\n")
    s.sendto(b"re:" + d, a)
' "$2" "$3" "${4:-4}"
	wait_for_line "$2" '^[0-9]+$' 10
}

# py_udp_pingpong PORT SIZES [any]: send one datagram per size (comma list)
# to 127.0.0.1:PORT, each waiting for its answer (5 s bound), and check
# that the answer is "re:" and exactly what was sent (with "any": that one
# answer came). Prints the hex of each datagram sent, one per line; exits
# 1 on a wrong or missing answer.
py_udp_pingpong()
{
	timeout "$TMO" python3 -c '
import socket, sys
port, sizes = int(sys.argv[1]), sys.argv[2]
anyreply = len(sys.argv) > 3
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for k, n in enumerate(sizes.split(",")):
    d = bytes((i * 3 + k) % 256 for i in range(int(n)))
    s.sendto(d, ("127.0.0.1", port))
    print(d.hex(), flush=True)
    r = s.recv(70000)
    if r != b"re:" + d and not anyreply:
        sys.exit("answer %d: %d bytes, want %d" % (k, len(r), len(d) + 3))
' "$@"
}

# raw_chain ADDRESS: the chain this file tests, built around ADDRESS (a raw
# client address): python client -> udp-listen -> ADDRESS -> raw-listen:253
# -> udp -> python echo server, and the answers back the same way. Sets
# PORT to the udp-listen port the client sends to.
raw_chain()
{
	local rl=${2:-raw-listen:253}
	start_py_udp_echo srv "$W/srv.port" "$W/srv.log"
	start_listener rl "$rl" udp:127.0.0.1:"$(cat "$W/srv.port")"
	start_listener rc udp-listen:127.0.0.1:0 "$1"
}

@test "raw: raw-listen:253 gets exactly what raw:127.0.0.1:253 sends, datagram by datagram; answers come back" {
	need_raw
	raw_chain raw:127.0.0.1:253
	grep -Fxq 'sockcat: listening on 0.0.0.0, protocol 253' "$W/rl.err"
	run -0 py_udp_pingpong "$PORT" "1,100,1472,9000,60000,3"
	# the far end got each datagram once, whole, in order: no looped
	# copies of sockcat's own datagrams, nothing merged or cut
	[[ "$(cat "$W/srv.log")" == "$output" ]]
	grep -Fq 'sockcat: raw-listen:253: answering 127.0.0.1' "$W/rl.err"
}

@test "raw: the same over ::1 with raw:[::1]:253" {
	need_raw
	have_ipv6 || skip "no ::1 on lo"
	raw_chain 'raw:[::1]:253'
	grep -Fxq 'sockcat: listening on [::], protocol 253' "$W/rl.err"
	run -0 py_udp_pingpong "$PORT" "1,100,1452,9000,60000,3"
	[[ "$(cat "$W/srv.log")" == "$output" ]]
	grep -Fq 'sockcat: raw-listen:253: answering ::1' "$W/rl.err"
}

@test "raw: ip-sendto and ip-recvfrom aliases; bind=[::1] listens on IPv6 only" {
	need_raw
	have_ipv6 || skip "no ::1 on lo"
	start_py_udp_echo srv "$W/srv.port" "$W/srv.log"
	start_listener rl 'ip-recvfrom:253,bind=[::1]' \
	    udp:127.0.0.1:"$(cat "$W/srv.port")"
	grep -Fxq 'sockcat: listening on [::1], protocol 253' "$W/rl.err"
	run -1 grep -F '0.0.0.0' "$W/rl.err"
	start_listener rc udp-listen:127.0.0.1:0 'IP-SENDTO:[::1]:253'
	run -0 py_udp_pingpong "$PORT" "5,500"
	[[ "$(cat "$W/srv.log")" == "$output" ]]
}

@test "raw: -4 and -6 pick one family for raw-listen" {
	need_raw
	have_ipv6 || skip "no ::1 on lo"
	start_listener r4 -4 raw-listen:253 echo
	[[ $(grep -c 'listening on' "$W/r4.err") -eq 1 ]]
	grep -Fxq 'sockcat: listening on 0.0.0.0, protocol 253' "$W/r4.err"
	start_listener r6 -6 raw-listen:254 echo
	[[ $(grep -c 'listening on' "$W/r6.err") -eq 1 ]]
	grep -Fxq 'sockcat: listening on [::], protocol 254' "$W/r6.err"
	run -0 sc -t 1 'raw:[::1]:254' <<<"six"
	[[ $output == six ]]
}

@test "raw: PROTO may be a name of /etc/protocols" {
	need_raw
	getent protocols rohc >/dev/null || skip "no 'rohc' in /etc/protocols"
	raw_chain raw:127.0.0.1:rohc raw-listen:rohc
	grep -Fxq "sockcat: listening on 0.0.0.0, protocol $(getent protocols \
	    rohc | awk '{ print $2 }')" "$W/rl.err"
	run -0 py_udp_pingpong "$PORT" "10,20"
	[[ "$(cat "$W/srv.log")" == "$output" ]]
}

@test "raw: iphdr keeps the IPv4 header of received datagrams" {
	need_raw
	raw_chain raw:127.0.0.1:253 raw-listen:253,iphdr
	run -0 py_udp_pingpong "$PORT" "7" any
	# 20 bytes of header: version 4 and IHL 5, protocol 253 at byte 9,
	# source 127.0.0.1 at 12..15; then the 7 bytes sent
	local h
	h=$(cat "$W/srv.log")
	[[ ${#h} -eq $(((20 + 7) * 2)) ]]
	[[ ${h:0:2} == 45 ]]
	[[ ${h:18:2} == fd ]]
	[[ ${h:24:8} == 7f000001 ]]
	[[ ${h:40} == "$output" ]]
}

@test "raw: iphdr on the raw client: answers arrive with their header" {
	need_raw
	start_listener rl raw-listen:253 echo
	printf 'ping' >"$W/in"
	timeout "$TMO" "$SOCKCAT" -t 1 raw:127.0.0.1:253,iphdr <"$W/in" \
	    >"$W/out"
	[[ $(stat -c %s "$W/out") -eq 24 ]]
	[[ $(head -c 1 "$W/out" | od -An -tx1 | tr -d ' ') == 45 ]]
	[[ $(tail -c 4 "$W/out") == ping ]]
}

@test "raw: raw-listen echo answers each datagram once (no loop of its own copies)" {
	need_raw
	start_listener rl raw-listen:253 echo
	start_listener rc udp-listen:127.0.0.1:0 raw:127.0.0.1:253
	# echo is a pipe, so answers may merge: count the words instead
	run -0 timeout "$TMO" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.5)
port = int(sys.argv[1])
for k in range(20):
    s.sendto(b"<%d>" % k, ("127.0.0.1", port))
got = b""
try:
    while True:
        got += s.recv(1000)
except socket.timeout:
    pass
print(" ".join(sorted(got.decode().replace("<", " ").replace(">",
    " ").split(), key=int)))
' "$PORT"
	[[ $output == "$(seq -s ' ' 0 19)" ]]
}

@test "raw: data for raw-listen waits for the first sender, then goes to it" {
	need_raw
	start_listener rl raw-listen:253 system:'echo early; cat >/dev/null'
	run -0 --separate-stderr sc -t 1 raw:127.0.0.1:253 <<<"knock"
	[[ $output == early ]]
}

@test "raw: without CAP_NET_RAW: a clear error and exit 1" {
	[[ -z ${VALGRIND:-} ]] || skip "valgrind cannot write its log as nobody"
	local dir cmd
	dir=$(mktemp -d /tmp/sc-raw.XXXXXX)
	cp "$SOCKCAT" "$dir/sockcat"
	chmod 755 "$dir" "$dir/sockcat"
	if command -v setpriv >/dev/null &&
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    --inh-caps=-all true 2>/dev/null; then
		cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups
		    --inh-caps=-all)
	elif command -v unshare >/dev/null && unshare -U true 2>/dev/null; then
		# a new user namespace has no capability over this network
		cmd=(unshare -U)
	elif [[ $EUID -ne 0 ]]; then
		cmd=()
	else
		rm -rf -- "$dir"
		skip "neither setpriv nor unshare -U can drop CAP_NET_RAW"
	fi
	run -1 --separate-stderr timeout 10 "${cmd[@]}" "$dir/sockcat" \
	    raw:127.0.0.1:253 </dev/null
	assert_one_error "raw:127.0.0.1:253"
	[[ $stderr == "sockcat: raw:127.0.0.1:253: socket: Operation not permitted (raw sockets need root or CAP_NET_RAW)" ]]
	run -1 --separate-stderr timeout 10 "${cmd[@]}" "$dir/sockcat" \
	    raw-listen:253 </dev/null
	[[ $stderr == "sockcat: raw-listen:253: socket: Operation not permitted (raw sockets need root or CAP_NET_RAW)" ]]
	rm -rf -- "$dir"
}

@test "raw: a protocol above 255 is exit 2, an unknown name exit 3" {
	run -2 --separate-stderr sc raw:127.0.0.1:256 </dev/null
	assert_one_error "'raw:127.0.0.1:256': protocol 256"
	run -3 --separate-stderr sc raw-listen:no-such-proto </dev/null
	assert_one_error "raw-listen:no-such-proto: protocol no-such-proto"
}

@test "raw: address errors: IPv6 needs brackets, -4 with [::1], no fork, bind with a port" {
	assert_usage 'raw:::1:253' -- 'raw:::1:253'
	assert_usage 'raw:[::1:253' -- 'raw:[::1:253'
	assert_usage 'raw:[::1]:253' -- -4 'raw:[::1]:253'
	assert_usage 'raw-listen:253,fork' -- 'raw-listen:253,fork'
	assert_usage 'raw:127.0.0.1' -- 'raw:127.0.0.1'
	run -2 --separate-stderr sc raw-listen:253,bind=127.0.0.1:9 </dev/null
	assert_one_error "bind=127.0.0.1:9: malformed address"
}
