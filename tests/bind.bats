#!/usr/bin/env bats
# bind.bats: bind= on listeners: the socket is bound to exactly that
# address (read back from /proc/net), other local addresses are refused;
# HOST with bind=, and a port in a listener's bind=, are usage errors.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# 127.0.0.2 and ::1 as /proc/net/{tcp,udp}[6] print them (host-order
# 32-bit words in hex), and the wildcards.
HEX_127_0_0_2=0200007F
HEX_V6_LOOPBACK=00000000000000000000000001000000
HEX_ANY4=00000000
HEX_ANY6=00000000000000000000000000000000

setup_file()
{
	# A self-signed certificate for 127.0.0.2, for tls-listen.
	cd "$BATS_FILE_TMPDIR" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout bind.key -out bind.pem -days 30 -subj /CN=bind \
	    -addext subjectAltName=IP:127.0.0.2 2>/dev/null
}

# proc_local FILE PORT [STATE]: the local address (kernel hex) of every
# socket of /proc/net/FILE bound to PORT (in state STATE, hex, when
# given), one a line.
proc_local()
{
	[[ -r /proc/net/$1 ]] || return 0
	awk -v h="$(printf '%04X' "$2")" -v st="${3:-}" 'NR > 1 {
		n = split($2, p, ":")
		if (p[n] == h && (st == "" || $4 == st))
			print p[1]
	}' "/proc/net/$1"
}

# assert_bound PROTO PORT STATE HEX: the sockets on PORT in STATE are
# bound to HEX and to nothing else: no wildcard in PROTO nor PROTO6.
assert_bound()
{
	local proto=$1 port=$2 st=$3 want=$4 got
	got=$(proc_local "$proto" "$port" "$st"; proc_local "${proto}6" \
	    "$port" "$st")
	echo "sockets on $proto port $port (state $st): $got" >&2
	grep -qx "$want" <<<"$got" || return 1
	! grep -qx -e "$HEX_ANY4" -e "$HEX_ANY6" <<<"$got"
}

@test "bind: tcp-listen,bind=127.0.0.2 listens there only; 127.0.0.1 is refused" {
	start_listener srv tcp-listen:0,bind=127.0.0.2 'system:echo hi'
	grep -Eq "listening on 127\.0\.0\.2:$PORT\$" "$W/srv.err"
	assert_bound tcp "$PORT" 0A "$HEX_127_0_0_2"
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT" </dev/null
	assert_one_error "Connection refused"
	run -0 sc tcp:127.0.0.2:"$PORT" </dev/null
	[[ $output == hi ]]
}

@test "bind: tcp-listen,fork,bind=[::1] listens on ::1 only; 127.0.0.1 is refused" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv 'tcp-listen:0,fork,bind=[::1]' 'system:echo hi'
	grep -Eq "listening on \[::1\]:$PORT\$" "$W/srv.err"
	assert_bound tcp "$PORT" 0A "$HEX_V6_LOOPBACK"
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT" </dev/null
	assert_one_error "Connection refused"
	run -0 sc "tcp:[::1]:$PORT" </dev/null
	[[ $output == hi ]]
	run -0 sc "tcp:[::1]:$PORT" </dev/null
	[[ $output == hi ]]
}

@test "bind: udp-listen,bind=127.0.0.2 is bound there only; 127.0.0.1 is refused" {
	start_listener srv udp-listen:0,bind=127.0.0.2 echo
	grep -Eq "listening on 127\.0\.0\.2:$PORT\$" "$W/srv.err"
	assert_bound udp "$PORT" 07 "$HEX_127_0_0_2"
	# nothing is bound on 127.0.0.1:PORT: ICMP port unreachable
	run -4 --separate-stderr sc -t 2 udp:127.0.0.1:"$PORT" <<<"wrong"
	assert_one_error "Connection refused"
	run -0 sc -t 2 udp:127.0.0.2:"$PORT" <<<"right"
	[[ $output == right ]]
}

@test "bind: udp-listen,fork,bind=[::1] is bound on ::1 only; 127.0.0.1 is refused" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv 'udp-listen:0,fork,bind=[::1]' echo
	grep -Eq "listening on \[::1\]:$PORT\$" "$W/srv.err"
	assert_bound udp "$PORT" 07 "$HEX_V6_LOOPBACK"
	run -4 --separate-stderr sc -t 2 udp:127.0.0.1:"$PORT" <<<"wrong"
	assert_one_error "Connection refused"
	run -0 sc -t 2 "udp:[::1]:$PORT" <<<"right"
	[[ $output == right ]]
	# the peer's own socket (in the child) is bound to ::1 too
	assert_bound udp "$PORT" "" "$HEX_V6_LOOPBACK"
}

@test "bind: tls-listen,bind=127.0.0.2 listens there only; 127.0.0.1 is refused" {
	local d=$BATS_FILE_TMPDIR
	start_listener srv \
	    tls-listen:0,bind=127.0.0.2,cert="$d/bind.pem",key="$d/bind.key" \
	    'system:echo hi'
	grep -Eq "listening on 127\.0\.0\.2:$PORT\$" "$W/srv.err"
	assert_bound tcp "$PORT" 0A "$HEX_127_0_0_2"
	run -4 --separate-stderr sc tls:127.0.0.1:"$PORT",cafile="$d/bind.pem" \
	    </dev/null
	assert_one_error "Connection refused"
	run -0 sc tls:127.0.0.2:"$PORT",cafile="$d/bind.pem" </dev/null
	[[ $output == hi ]]
}

@test "bind: HOST with bind=, or a port in a listener's bind=, is exit 2 before anything opens" {
	local d=$BATS_FILE_TMPDIR t
	local tls=cert=$d/bind.pem,key=$d/bind.key
	for t in tcp-listen udp-listen tls-listen; do
		local o=
		[[ $t == tls-listen ]] && o=,$tls
		assert_usage "$t:127.0.0.1:0,bind=127.0.0.2" -- \
		    "$t:127.0.0.1:0,bind=127.0.0.2$o"
		[[ $stderr == *"HOST 127.0.0.1 and bind=127.0.0.2"* ]]
		assert_usage "$t:0,bind=127.0.0.2:5000" -- \
		    "$t:0,bind=127.0.0.2:5000$o"
		[[ $stderr == *"takes no port"* ]]
		# as ADDRESS2: reported before ADDRESS1 listens
		run -2 --separate-stderr timeout 10 "$SOCKCAT" -v tcp-listen:0 \
		    "$t:0,bind=[::1]:5000$o" </dev/null
		[[ $stderr != *"listening on"* ]]
		assert_one_error "takes no port"
	done
	assert_usage 'tcp:127.0.0.1:1,bind=[::1' -- 'tcp:127.0.0.1:1,bind=[::1'
	[[ $stderr == *"malformed"* ]]
}
