#!/usr/bin/env bats
# dtls.bats: dtls:HOST:PORT and dtls-listen:[HOST:]PORT (socat's
# openssl-dtls-client and openssl-dtls-server): DTLS 1.2 over UDP, verified
# by default like tls, against openssl s_server -dtls / s_client -dtls and
# sockcat itself.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper
load pki

setup_file()
{
	local pki=$BATS_FILE_TMPDIR/pki

	mkdir -p "$pki"
	(
		set -e
		cd "$pki"
		mk_ca ca "sockcat test CA"
		mk_ca rogue "rogue CA"
		mk_leaf server ca localhost "DNS:localhost,IP:127.0.0.1"
		mk_leaf client ca "sockcat client" DNS:client.example
		mk_leaf untrusted rogue "rogue client" DNS:client.example
	)
}

setup()
{
	common_setup
	C=$BATS_FILE_TMPDIR/pki
	if ! "$SOCKCAT" -V 2>&1 | grep -q "OpenSSL [0-9]"; then
		skip "sockcat built without OpenSSL"
	fi
}

# free_udp_port: a UDP port nobody uses right now.
free_udp_port()
{
	python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_for_udp PORT SECS: poll /proc/net/udp until a socket is bound to
# UDP PORT.
wait_for_udp()
{
	local hex n i
	hex=$(printf '%04X' "$1")
	n=$(awk -v s="${2:-10}" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		if awk -v h=":$hex" 'substr($2, length($2) - 4) == h \
		    { f = 1 } END { exit !f }' /proc/net/udp 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out waiting for a UDP socket on port $1" >&2
	return 1
}

# start_s_server NAME [OPENSSL-S_SERVER-ARGS...]: openssl s_server -dtls on
# a free UDP port with the server certificate; what it receives lands in
# $W/NAME.out. Its input is a pipe that stays open (at the end of its
# input s_server may drop a client's data). Sets SPORT.
start_s_server()
{
	local name=$1
	shift
	SPORT=$(free_udp_port)
	start_bg "$name" timeout 60 sh -c 'sleep 60 | openssl s_server "$@"' \
	    sh -dtls -quiet -accept 127.0.0.1:"$SPORT" \
	    -cert "$C/server.pem" -key "$C/server.key" "$@"
	wait_for_udp "$SPORT" 10
}

# s_client PORT [ARGS...]: openssl s_client -dtls to 127.0.0.1:PORT trusting
# the test CA, sending "hello dtls" and printing what comes back.
s_client()
{
	local port=$1
	shift
	(echo "hello dtls"; sleep 2) | timeout "$TMO" openssl s_client -dtls \
	    -quiet -connect 127.0.0.1:"$port" -CAfile "$C/ca.pem" \
	    -verify_return_error "$@" 2>"$W/s_client.err"
}

@test "dtls: client with cafile= talks to openssl s_server -dtls" {
	start_s_server srv
	run -0 --separate-stderr sc -v -t 0.5 \
	    dtls:localhost:"$SPORT",cafile="$C/ca.pem" <<<"hello dtls"
	[[ $stderr == *"DTLS established: DTLSv1.2, "* ]]
	wait_for_line "$W/srv.out" '^hello dtls$' 5
	# socat's spelling; the host is checked as an IP address.
	start_s_server srv2
	run -0 sc -t 0.5 \
	    openssl-dtls-client:127.0.0.1:"$SPORT",cafile="$C/ca.pem" \
	    <<<"hello socat"
	wait_for_line "$W/srv2.out" '^hello socat$' 5
}

@test "dtls: the server certificate is verified by default (exit 5)" {
	start_s_server srv
	run -5 --separate-stderr sc dtls:localhost:"$SPORT" <<<"x"
	[[ $stderr == *"DTLS handshake: certificate verify failed"* ]]
	[[ ! -s $W/srv.out ]]
	# verify=0 goes on, with a warning.
	run -0 --separate-stderr sc -t 0.5 dtls:localhost:"$SPORT",verify=0 \
	    <<<"unverified"
	[[ $stderr == *"certificate verification disabled"* ]]
	wait_for_line "$W/srv.out" '^unverified$' 5
}

@test "dtls: commonname= is the name checked instead of HOST" {
	start_s_server srv
	run -5 --separate-stderr sc \
	    dtls:127.0.0.1:"$SPORT",cafile="$C/ca.pem",commonname=other.example \
	    <<<"x"
	[[ $stderr == *"hostname mismatch"* ]]
	start_s_server srv2
	run -0 sc -t 0.5 \
	    dtls:127.0.0.1:"$SPORT",cafile="$C/ca.pem",cn=localhost <<<"cn"
	wait_for_line "$W/srv2.out" '^cn$' 5
}

@test "dtls-listen: serves openssl s_client -dtls" {
	local port
	port=$(free_udp_port)
	start_bg srv timeout 60 "$SOCKCAT" -v \
	    dtls-listen:127.0.0.1:"$port",cert="$C/server.pem",key="$C/server.key" \
	    'system:read -r l; echo "got $l"'
	wait_for_line "$W/srv.err" 'listening on ' 10
	run -0 s_client "$port"
	[[ $output == "got hello dtls" ]]
	wait_for_line "$W/srv.err" 'DTLS established: DTLSv1.2' 5
}

@test "dtls: sockcat to sockcat, openssl-dtls-server with fork" {
	start_listener srv openssl-dtls-server:127.0.0.1:0,fork,cert="$C/server.both" \
	    'system:read -r l; echo "<$l>"'
	run -0 sc -t 1 dtls:localhost:"$PORT",cafile="$C/ca.pem" <<<"one"
	[[ $output == "<one>" ]]
	run -0 sc -t 1 dtls:localhost:"$PORT",cafile="$C/ca.pem" <<<"two"
	[[ $output == "<two>" ]]
	# Many records both ways, each line in order.
	start_listener cat dtls-listen:127.0.0.1:0,cert="$C/server.both" exec:cat
	seq 1 500 >"$W/lines"
	run -0 sc -t 1 dtls:localhost:"$PORT",cafile="$C/ca.pem" <"$W/lines"
	[[ $output == "$(cat "$W/lines")" ]]
}

@test "dtls-listen: cafile= asks for a client certificate and checks it" {
	start_listener srv dtls-listen:127.0.0.1:0,fork,cert="$C/server.both",cafile="$C/ca.pem" \
	    'system:read -r l; echo "<$l>"'
	run -0 sc -t 1 \
	    dtls:localhost:"$PORT",cafile="$C/ca.pem",cert="$C/client.both" \
	    <<<"mutual"
	[[ $output == "<mutual>" ]]
	run sc -t 1 dtls:localhost:"$PORT",cafile="$C/ca.pem" <<<"none"
	((status != 0))
	[[ $output != *"<none>"* ]]
	wait_for_line "$W/srv.err" \
	    "DTLS handshake: peer did not return a certificate" 5
	run sc -t 1 \
	    dtls:localhost:"$PORT",cafile="$C/ca.pem",cert="$C/untrusted.both" \
	    <<<"rogue"
	((status != 0))
	[[ $output != *"<rogue>"* ]]
}

@test "dtls: nobody there is exit 4; a silent peer times out with exit 5" {
	local port t0 t1
	port=$(free_udp_port)
	run -4 --separate-stderr sc dtls:127.0.0.1:"$port",verify=0 </dev/null
	[[ $stderr == *"DTLS handshake: Connection refused"* ]]
	# A UDP socket that never answers: the handshake's retransmissions
	# end at connect-timeout=.
	start_listener sink -u udp-recv:127.0.0.1:0 /dev/null
	port=$PORT
	t0=$(now)
	run -5 --separate-stderr sc \
	    dtls:127.0.0.1:"$port",verify=0,connect-timeout=1 </dev/null
	t1=$(now)
	[[ $stderr == *"DTLS handshake: Connection timed out"* ]]
	elapsed_between "$t0" "$t1" 0.8 5
}

@test "dtls: option values it cannot use are usage errors" {
	run -2 --separate-stderr sc - dtls:127.0.0.1:9,compress=bogus
	[[ $stderr == *"compress=bogus: expects auto or none"* ]]
	run -2 --separate-stderr sc - dtls:127.0.0.1:9,min-version=1.3
	[[ $stderr == *"DTLS has only 1.2"* ]]
	run -2 --separate-stderr sc - dtls:127.0.0.1
	run -2 --separate-stderr sc - dtls-listen:127.0.0.1:0:1
	# compress=none and max-version=1.2 are fine.
	start_s_server srv
	run -0 sc -t 0.5 dtls:localhost:"$SPORT",cafile="$C/ca.pem",compress=none,max-version=1.2 \
	    <<<"ok"
	wait_for_line "$W/srv.out" '^ok$' 5
}

@test "dtls: a missing TLS module is one runtime error, before any datagram" {
	SOCKCAT_TLS_MODULE=$W/nope.so run -1 --separate-stderr \
	    sc - dtls:127.0.0.1:9 </dev/null
	[[ $stderr == *"TLS module $W/nope.so"* ]]
	[[ $(wc -l <<<"$stderr") -eq 1 ]]
}
