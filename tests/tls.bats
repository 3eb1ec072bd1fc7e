#!/usr/bin/env bats
# tls.bats: tls and tls-listen against openssl, curl, socat and python peers.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper
load pki

# ---------------------------------------------------------------------------
# certificates, made once per file

# mk_expired: a localhost certificate that expired in 2020. OpenSSL 3.0's
# x509 command cannot set past dates, `openssl ca` can.
mk_expired()
{
	mk_key expired.key
	openssl req -new -key expired.key -out expired.csr -subj /CN=localhost \
	    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
	mkdir -p cadb
	: >cadb/index
	echo 01 >cadb/serial
	cat >ca.cnf <<-'EOF'
	[ca]
	default_ca = tca
	[tca]
	database = cadb/index
	new_certs_dir = cadb
	serial = cadb/serial
	default_md = sha256
	policy = pol
	copy_extensions = copy
	unique_subject = no
	[pol]
	commonName = supplied
	EOF
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key \
	    -in expired.csr -out expired.pem -notext \
	    -startdate 20200101000000Z -enddate 20200201000000Z 2>/dev/null
}

setup_file()
{
	local pki=$BATS_FILE_TMPDIR/pki

	mkdir -p "$pki"
	(
		set -e
		cd "$pki"
		mk_ca ca "sockcat test CA"
		mk_ca rogue "rogue CA"
		mk_leaf server ca localhost \
		    "DNS:localhost,IP:127.0.0.1,IP:::1"
		mk_leaf client ca "sockcat client" DNS:client.example
		mk_leaf other ca other.example DNS:other.example
		mk_leaf untrusted rogue localhost DNS:localhost,IP:127.0.0.1
		mk_expired
		# An encrypted key: sockcat must fail, never prompt.
		openssl pkey -in client.key -aes256 -passout pass:secret \
		    -out client-enc.key
		# A hashed directory for capath=.
		mkdir capath
		cp ca.pem capath/
		openssl rehash capath 2>/dev/null ||
		    ln -s ca.pem "capath/$(openssl x509 -hash -noout \
		    -in ca.pem).0"
	)
	head -c 32M /dev/urandom >"$BATS_FILE_TMPDIR/p32.bin"
}

setup()
{
	common_setup
	C=$BATS_FILE_TMPDIR/pki
	P32=$BATS_FILE_TMPDIR/p32.bin
	if ! "$SOCKCAT" -V 2>&1 | grep -q "OpenSSL [0-9]" &&
	    [[ $BATS_TEST_DESCRIPTION != *"without OpenSSL"* ]]; then
		skip "sockcat built without OpenSSL"
	fi
}

# ---------------------------------------------------------------------------
# peers

# start_s_server NAME [OPENSSL-S_SERVER-ARGS...]: openssl s_server on a free
# port, replying to each line with the line reversed (-rev); sets SPORT.
start_s_server()
{
	local name=$1
	shift
	SPORT=$(free_port)
	start_bg "$name" timeout 60 openssl s_server -rev -accept "$SPORT" \
	    "$@"
	wait_for_port "$SPORT" 10
}

# start_socat_server NAME [SOCAT-FLAGS...] ADDRESS2: socat OPENSSL-LISTEN on
# a free port with the server certificate, relaying to ADDRESS2; sets SPORT.
start_socat_server()
{
	local name=$1
	shift
	SPORT=$(free_port)
	start_bg "$name" timeout 60 socat -t 10 "${@:1:$#-1}" \
	    "OPENSSL-LISTEN:$SPORT,reuseaddr,cert=$C/server.pem,key=$C/server.key,verify=0" \
	    "${@: -1}"
	wait_for_port "$SPORT" 10
}

# start_py_tls NAME MODE FILE: a python3 TLS server on a free port that
# sends FILE and then ends the connection without close_notify: MODE
# "eof" closes the socket, "reset" closes it with SO_LINGER 0 (a RST)
# once the client had time to read. Sets SPORT.
start_py_tls()
{
	SPORT=$(free_port)
	start_bg "$1" timeout 60 python3 -c '
import socket, ssl, struct, sys, time
port, mode, path, pki = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(pki + "/server.pem", pki + "/server.key")
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
t.sendall(open(path, "rb").read())
if mode == "reset":
    time.sleep(1)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
else:
    # FIN without close_notify; drain so close(2) sends no RST.
    t.shutdown(socket.SHUT_WR)
    while t.recv(65536):
        pass
t.close()
' "$SPORT" "$2" "$3" "$C"
	wait_for_port "$SPORT" 10
}

# py_tls_send_reset PORT FILE: connect with TLS (trusting the test CA), send
# FILE, wait 1 s so it arrives, then reset the connection without reading.
py_tls_send_reset()
{
	timeout "$TMO" python3 -c '
import socket, ssl, struct, sys, time
port, path, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile=ca)
c = socket.create_connection(("127.0.0.1", port))
t = ctx.wrap_socket(c, server_hostname="localhost")
t.sendall(open(path, "rb").read())
time.sleep(1)
t.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
t.close()
' "$1" "$2" "$C/ca.pem"
}

# ---------------------------------------------------------------------------
# client: verification

@test "tls: client with cafile= talks to openssl s_server" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -0 --separate-stderr sc -v tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    <<<"hello"
	[[ $output == olleh ]]
	[[ $stderr == *"TLS established: TLSv1.3, TLS_"* ]]
}

@test "tls: IP literal host is checked against the certificate's IP SAN" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -0 sc tls:127.0.0.1:"$SPORT",cafile="$C/ca.pem" <<<"abc"
	[[ $output == cba ]]
}

@test "tls: untrusted CA fails with exit 5 and the reason" {
	start_s_server srv -cert "$C/untrusted.pem" -key "$C/untrusted.key"
	run -5 --separate-stderr sc tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    <<<"x"
	assert_one_error "tls:localhost:$SPORT,cafile=$C/ca.pem: TLS handshake: certificate verify failed: unable to get local issuer certificate"
	[[ -z $output ]]
}

@test "tls: wrong host name fails with exit 5: hostname mismatch" {
	start_s_server srv -cert "$C/other.pem" -key "$C/other.key"
	run -5 --separate-stderr sc tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    <<<"x"
	assert_one_error "TLS handshake: certificate verify failed: hostname mismatch"
}

@test "tls: wrong IP address fails with exit 5: IP address mismatch" {
	start_s_server srv -cert "$C/other.pem" -key "$C/other.key"
	run -5 --separate-stderr sc tls:127.0.0.1:"$SPORT",cafile="$C/ca.pem" \
	    <<<"x"
	assert_one_error "TLS handshake: certificate verify failed: IP address mismatch"
}

@test "tls: expired certificate fails with exit 5: certificate has expired" {
	start_s_server srv -cert "$C/expired.pem" -key "$C/expired.key"
	run -5 --separate-stderr sc tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    <<<"x"
	assert_one_error "TLS handshake: certificate verify failed: certificate has expired"
}

@test "tls: system trust store by default rejects the test CA" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -5 --separate-stderr sc tls:localhost:"$SPORT" <<<"x"
	assert_one_error "TLS handshake: certificate verify failed: "
}

@test "tls: verify=0 succeeds against an untrusted certificate and warns" {
	start_s_server srv -cert "$C/untrusted.pem" -key "$C/untrusted.key"
	run -0 --separate-stderr sc tls:localhost:"$SPORT",verify=0 <<<"abc"
	[[ $output == cba ]]
	assert_one_error "tls:localhost:$SPORT,verify=0: certificate verification disabled (verify=0)"
}

@test "tls: capath= directory of hashed CA certificates is trusted" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -0 sc tls:localhost:"$SPORT",capath="$C/capath" <<<"abc"
	[[ $output == cba ]]
}

@test "tls: SNI defaults to HOST; sni= sends and checks another name" {
	# s_server presents cert2 only to clients whose SNI is -servername.
	start_s_server srv -cert "$C/other.pem" -key "$C/other.key" \
	    -servername localhost -cert2 "$C/server.pem" -key2 "$C/server.key"
	run -0 sc tls:localhost:"$SPORT",cafile="$C/ca.pem" <<<"abc"
	[[ $output == cba ]]
	kill_bg || true
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key" \
	    -servername other.example -cert2 "$C/other.pem" \
	    -key2 "$C/other.key"
	run -0 sc tls:127.0.0.1:"$SPORT",cafile="$C/ca.pem",sni=other.example \
	    <<<"abc"
	[[ $output == cba ]]
}

@test "tls: client certificate with cert= and key= for mutual TLS" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key" \
	    -Verify 1 -CAfile "$C/ca.pem"
	run -0 sc tls:localhost:"$SPORT",cafile="$C/ca.pem",cert="$C/client.pem",key="$C/client.key" \
	    <<<"abc"
	[[ $output == cba ]]
}

@test "tls: alpn= is offered and the choice logged under -v" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key" \
	    -alpn http/1.1
	run -0 --separate-stderr sc -v \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",alpn=h2+http/1.1 <<<"abc"
	[[ $output == cba ]]
	[[ $stderr == *"TLS established: TLSv1.3, TLS_"*", ALPN http/1.1"* ]]
}

@test "tls: min-version=1.3 refuses a TLS 1.2 server with exit 5" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key" -tls1_2
	run -5 --separate-stderr sc \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",min-version=1.3 <<<"x"
	assert_one_error "TLS handshake: "
}

@test "tls: ciphers= picks TLS 1.3 suites and TLS 1.2 ciphers" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -0 --separate-stderr sc -v \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",ciphers=TLS_CHACHA20_POLY1305_SHA256 \
	    <<<"abc"
	[[ $output == cba ]]
	[[ $stderr == *"TLS established: TLSv1.3, TLS_CHACHA20_POLY1305_SHA256"* ]]
	kill_bg || true
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key" -tls1_2
	run -0 --separate-stderr sc -v \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",ciphers=ECDHE-ECDSA-AES128-GCM-SHA256 \
	    <<<"abc"
	[[ $output == cba ]]
	[[ $stderr == *"TLS established: TLSv1.2, ECDHE-ECDSA-AES128-GCM-SHA256"* ]]
}

@test "tls: a ciphers= list that matches nothing is a usage error" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -2 --separate-stderr sc \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",ciphers=NO-SUCH-CIPHER \
	    </dev/null
	assert_one_error "ciphers NO-SUCH-CIPHER"
}

@test "tls: handshake bounded by connect-timeout= against a silent server" {
	start_py_tcp sink "$W/port" sink "$W/count"
	local t0 t1
	t0=$(now)
	run -5 --separate-stderr sc \
	    tls:127.0.0.1:"$(cat "$W/port")",cafile="$C/ca.pem",connect-timeout=1 \
	    </dev/null
	t1=$(now)
	assert_one_error "TLS handshake: Connection timed out"
	elapsed_between "$t0" "$t1" 0.8 5
}

@test "tls: a server that does not speak TLS fails with exit 5" {
	start_py_tcp peer "$W/port" peer "$W/peers"
	run -5 --separate-stderr sc tls:127.0.0.1:"$(cat "$W/port")",verify=0 \
	    </dev/null
	[[ $stderr == *"TLS handshake: "* ]]
}

# ---------------------------------------------------------------------------
# files

@test "tls: missing cafile is a runtime error (exit 1) naming the file" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -1 --separate-stderr sc tls:localhost:"$SPORT",cafile="$W/nope.pem" \
	    </dev/null
	assert_one_error "cafile $W/nope.pem: No such file or directory"
}

@test "tls: missing client cert is a runtime error (exit 1) naming the file" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -1 --separate-stderr sc \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",cert="$W/nope.pem" </dev/null
	assert_one_error "cert $W/nope.pem: No such file or directory"
}

@test "tls: a key that does not match the cert fails without printing it" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -1 --separate-stderr sc \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",cert="$C/client.pem",key="$C/other.key" \
	    </dev/null
	assert_one_error "key $C/other.key: "
	[[ $stderr != *PRIVATE* && $stderr != *BEGIN* ]]
}

@test "tls: an encrypted key fails at once instead of prompting" {
	start_s_server srv -cert "$C/server.pem" -key "$C/server.key"
	run -1 --separate-stderr timeout 10 setsid "$SOCKCAT" \
	    tls:localhost:"$SPORT",cafile="$C/ca.pem",cert="$C/client.pem",key="$C/client-enc.key" \
	    </dev/null
	assert_one_error "key $C/client-enc.key: "
}

@test "tls-listen: missing cert file is a runtime error before listening" {
	run -1 --separate-stderr timeout 10 "$SOCKCAT" -v \
	    tls-listen:127.0.0.1:0,cert="$W/nope.pem" echo
	assert_one_error "cert $W/nope.pem: No such file or directory"
	[[ $stderr != *"listening on"* ]]
}

# ---------------------------------------------------------------------------
# listener

@test "tls-listen: serves curl https:// through to a python3 http.server" {
	mkdir "$W/www"
	head -c 300000 /dev/urandom >"$W/www/f.bin"
	start_http_server http "$W/www" "$W/hport"
	start_listener srv tls-listen:0,fork,cert="$C/server.both" \
	    tcp:127.0.0.1:"$(cat "$W/hport")"
	timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    "https://localhost:$PORT/f.bin" -o "$W/got1"
	cmp "$W/www/f.bin" "$W/got1"
	timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    "https://127.0.0.1:$PORT/f.bin" -o "$W/got2"
	cmp "$W/www/f.bin" "$W/got2"
	grep -q "TLS established: TLSv1.3" "$W/srv.err"
}

@test "tls-listen: cert= and key= in separate files" {
	start_listener srv tls-listen:0,cert="$C/server.pem",key="$C/server.key" \
	    echo
	run -0 sc tls:localhost:"$PORT",cafile="$C/ca.pem" <<<"ping"
	[[ $output == ping ]]
}

@test "tls-listen: mutual TLS accepts a client certificate, rejects none" {
	mkdir "$W/www"
	echo "hello from https" >"$W/www/index.html"
	start_http_server http "$W/www" "$W/hport"
	start_listener srv \
	    tls-listen:0,fork,cert="$C/server.both",cafile="$C/ca.pem" \
	    tcp:127.0.0.1:"$(cat "$W/hport")"
	run -0 timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    --cert "$C/client.pem" --key "$C/client.key" \
	    "https://localhost:$PORT/"
	[[ $output == "hello from https" ]]
	run timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    "https://localhost:$PORT/"
	((status != 0 && status < 124))
	[[ $output != *"hello from https"* ]]
	wait_for_line "$W/srv.err" \
	    "TLS handshake: peer did not return a certificate" 5
	# A client from another CA is refused with the verify reason.
	run timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    --cert "$C/untrusted.pem" --key "$C/untrusted.key" \
	    "https://localhost:$PORT/"
	((status != 0 && status < 124))
	[[ $output != *"hello from https"* ]]
	wait_for_line "$W/srv.err" \
	    "TLS handshake: certificate verify failed: unable to get local issuer certificate" 5
	# The fork listener keeps serving.
	run -0 timeout "$TMO" curl -sS --cacert "$C/ca.pem" \
	    --cert "$C/client.pem" --key "$C/client.key" \
	    "https://localhost:$PORT/"
	[[ $output == "hello from https" ]]
}

@test "tls-listen: alpn= selects the server's first choice the client offers" {
	start_listener srv tls-listen:0,cert="$C/server.both",alpn=h2+http/1.1 \
	    echo
	run -0 timeout "$TMO" openssl s_client -connect 127.0.0.1:"$PORT" \
	    -CAfile "$C/ca.pem" -alpn foo,http/1.1 </dev/null
	[[ $output == *"ALPN protocol: http/1.1"* ]]
	wait_for_line "$W/srv.err" "TLS established: .*, ALPN http/1.1" 5
}

@test "tls-listen: a client limited to TLS 1.1 is refused" {
	start_listener srv tls-listen:0,cert="$C/server.both" echo
	run timeout "$TMO" openssl s_client -connect 127.0.0.1:"$PORT" \
	    -tls1_1 -cipher DEFAULT@SECLEVEL=0 </dev/null
	((status != 0 && status < 124))
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 5 ]]
	grep -Eq "TLS handshake: (unsupported protocol|.*version)" "$W/srv.err"
}

@test "tls-listen: min-version=1.3 refuses a TLS 1.2 client" {
	start_listener srv tls-listen:0,cert="$C/server.both",min-version=1.3 echo
	run timeout "$TMO" curl -sS --cacert "$C/ca.pem" --tls-max 1.2 \
	    "https://localhost:$PORT/"
	((status != 0 && status < 124))
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 5 ]]
}

@test "tls-listen: fork survives clients that reset or send garbage" {
	start_listener srv tls-listen:0,fork,cert="$C/server.both" echo
	py_reset_client "$PORT"
	printf 'GET / HTTP/1.0\r\n\r\n' |
	    timeout "$TMO" "$SOCKCAT" - tcp:127.0.0.1:"$PORT" >/dev/null || true
	run -0 sc tls:localhost:"$PORT",cafile="$C/ca.pem" <<<"still here"
	[[ $output == "still here" ]]
}

# ---------------------------------------------------------------------------
# data: TLS on both sides, big payloads, half-close, truncation, reset

@test "tls: TLS on both sides of one sockcat" {
	head -c 1000000 /dev/urandom >"$W/in"
	start_listener be tls-listen:0,cert="$C/server.both" echo
	local bport=$PORT
	start_listener mid tls-listen:0,cert="$C/server.both" \
	    tls:localhost:"$bport",cafile="$C/ca.pem"
	sc tls:localhost:"$PORT",cafile="$C/ca.pem" <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	(($(grep -c "TLS established" "$W/mid.err") == 2))
}

# bats test_tags=slow
@test "tls: 32 MiB through TLS termination, both directions (socat client)" {
	start_listener be tcp-listen:0 echo
	start_listener term tls-listen:0,cert="$C/server.both" \
	    tcp:127.0.0.1:"$PORT"
	timeout 60 socat -t 30 - \
	    OPENSSL:localhost:"$PORT",cafile="$C/ca.pem" <"$P32" >"$W/back"
	[[ $(sha "$W/back") == "$(sha "$P32")" ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
}

# bats test_tags=slow
@test "tls: 32 MiB through TLS origination, both directions (socat server)" {
	start_socat_server tsrv "SYSTEM:tee $W/recv"
	start_listener orig tcp-listen:0 tls:localhost:"$SPORT",cafile="$C/ca.pem"
	timeout 60 "$SOCKCAT" tcp:127.0.0.1:"$PORT" <"$P32" >"$W/back"
	[[ $(sha "$W/back") == "$(sha "$P32")" ]]
	[[ $(sha "$W/recv") == "$(sha "$P32")" ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
}

# bats test_tags=slow
@test "tls: 32 MiB sent to and received from a TLS server, sockcat as client" {
	start_socat_server tsrv -u "CREATE:$W/recv"
	timeout 60 "$SOCKCAT" -u - tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    <"$P32"
	wait_exit "$BG_PID" 20
	[[ $(sha "$W/recv") == "$(sha "$P32")" ]]
	start_socat_server tsrv2 -U "OPEN:$P32,rdonly"
	timeout 60 "$SOCKCAT" tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    </dev/null >"$W/back"
	[[ $(sha "$W/back") == "$(sha "$P32")" ]]
}

@test "tls: half-close over TLS lets system:'wc -w' answer a sent file" {
	start_listener srv tls-listen:0,fork,cert="$C/server.both" "system:wc -w"
	printf 'one two three\nfour five\n%.0s' {1..1000} >"$W/in"
	run -0 sc tls:localhost:"$PORT",cafile="$C/ca.pem" <"$W/in"
	[[ $(echo $output) == 5000 ]]
	# The same with socat as the TLS client.
	run -0 timeout "$TMO" socat -t 10 - \
	    OPENSSL:localhost:"$PORT",cafile="$C/ca.pem" <"$W/in"
	[[ $(echo $output) == 5000 ]]
}

@test "tls: early close_notify from the client does not cost the reply" {
	head -c 1000000 /dev/urandom >"$W/reply"
	start_listener srv tls-listen:0,fork,cert="$C/server.both" \
	    "system:cat >/dev/null; sleep 1; cat $W/reply"
	# socat sends close_notify as soon as its input ends.
	echo request | timeout "$TMO" socat -t 10 - \
	    OPENSSL:localhost:"$PORT",cafile="$C/ca.pem" >"$W/got1"
	cmp "$W/reply" "$W/got1"
	echo request | sc tls:localhost:"$PORT",cafile="$C/ca.pem" >"$W/got2"
	cmp "$W/reply" "$W/got2"
}

@test "tls: a server that closes without close_notify: data kept, -v says so" {
	head -c 500000 /dev/urandom >"$W/data"
	start_py_tls srv eof "$W/data"
	status=0
	sc -v tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    </dev/null >"$W/got" 2>"$W/err" || status=$?
	assert_no_crash
	cmp "$W/data" "$W/got"
	grep -q "peer closed without close_notify (truncation)" "$W/err"
}

@test "tls: a server that resets after sending: all its data is delivered" {
	head -c 1000000 /dev/urandom >"$W/data"
	start_py_tls srv reset "$W/data"
	status=0
	sc tls:localhost:"$SPORT",cafile="$C/ca.pem" \
	    </dev/null >"$W/got" 2>"$W/err" || status=$?
	assert_no_crash
	cmp "$W/data" "$W/got"
}

@test "tls: a server that half-closes without close_notify still gets our data" {
	head -c 1000000 /dev/urandom >"$W/data"
	SPORT=$(free_port)
	# Python's SSLObject on memory BIOs: send a line, shutdown(SHUT_WR)
	# without close_notify, then count what still arrives over TLS.
	start_bg srv timeout 60 python3 -c '
import os, socket, ssl, sys
port, pki, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(pki + "/server.pem", pki + "/server.key")
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
c, _ = s.accept()
inc, outg = ssl.MemoryBIO(), ssl.MemoryBIO()
o = ctx.wrap_bio(inc, outg, server_side=True)
def flush():
    d = outg.read()
    if d:
        c.sendall(d)
while True:
    try:
        o.do_handshake()
        break
    except ssl.SSLWantReadError:
        flush()
        d = c.recv(65536)
        if not d:
            sys.exit(1)
        inc.write(d)
flush()
o.write(b"hello\n")
flush()
c.shutdown(socket.SHUT_WR)
total = 0
while True:
    try:
        d = o.read(65536)
        if not d:
            break
        total += len(d)
    except ssl.SSLWantReadError:
        d = c.recv(65536)
        if not d:
            break
        inc.write(d)
    except ssl.SSLZeroReturnError:
        break
with open(out + ".tmp", "w") as f:
    f.write("%d\n" % total)
os.rename(out + ".tmp", out)
' "$SPORT" "$C" "$W/count"
	wait_for_port "$SPORT" 10
	# Our data starts only after the server's end of input has arrived.
	(sleep 1; cat "$W/data") |
	    sc -v tls:localhost:"$SPORT",cafile="$C/ca.pem" >"$W/got" 2>"$W/err"
	[[ $(cat "$W/got") == hello ]]
	wait_for_line "$W/count" '^[0-9]+$' 10
	[[ $(cat "$W/count") == 1000000 ]]
	grep -q "peer closed without close_notify (truncation)" "$W/err"
}

@test "tls-listen: a client that resets after sending: its data reaches the backend" {
	head -c 1000000 /dev/urandom >"$W/data"
	start_py_tcp sink "$W/sport" sink "$W/count"
	start_listener srv tls-listen:0,cert="$C/server.both" \
	    tcp:127.0.0.1:"$(cat "$W/sport")"
	py_tls_send_reset "$PORT" "$W/data"
	wait_for_line "$W/count" '^[0-9]+$' 10
	[[ $(cat "$W/count") == 1000000 ]]
}

# ---------------------------------------------------------------------------
# the TLS module (sockcat-tls.so, loaded only for TLS addresses)

@test "tls: a missing TLS module is one runtime error naming it, before connecting" {
	start_listener lst tcp-listen:127.0.0.1:0 echo
	SOCKCAT_TLS_MODULE=$W/nope.so run -1 --separate-stderr timeout 10 \
	    "$SOCKCAT" tls:127.0.0.1:"$PORT" </dev/null
	assert_one_error "sockcat: tls:127.0.0.1:$PORT: TLS module $W/nope.so: "
	[[ $stderr == *"No such file or directory" ]]
	# Nothing was opened: the listener never saw a connection.
	is_alive "$LPID"
}

@test "tls-listen: a missing TLS module fails before listening" {
	SOCKCAT_TLS_MODULE=$W/nope.so run -1 --separate-stderr timeout 10 \
	    "$SOCKCAT" -v \
	    tls-listen:127.0.0.1:0,fork,cert="$C/server.pem",key="$C/server.key" \
	    echo
	assert_one_error "TLS module $W/nope.so: "
	[[ $stderr != *"listening on"* ]]
}

@test "tls-listen: a TLS server without cert= is a usage error before listening" {
	# Each would listen, then fail at its first peer.
	assert_usage "a TLS server needs cert=" -- -v tls-listen:127.0.0.1:0 echo
	assert_usage "a TLS server needs cert=" -- -v wss-listen:127.0.0.1:0 echo
	assert_usage "a TLS server needs cert=" -- -v dtls-listen:127.0.0.1:0 echo
	assert_usage "key= needs cert=" -- - tls:127.0.0.1:1,key="$C/server.key"
}

@test "tls: a file that is not a sockcat TLS module is refused" {
	local lib
	lib=$(awk '$NF ~ /libc\.so/ { print $NF; exit }' /proc/self/maps)
	SOCKCAT_TLS_MODULE=$lib run -1 --separate-stderr timeout 10 \
	    "$SOCKCAT" tls:127.0.0.1:1 </dev/null
	assert_one_error "TLS module $lib: not a sockcat TLS module"
}

@test "tls: -V says why the TLS module cannot be loaded" {
	SOCKCAT_TLS_MODULE=$W/nope.so run -0 sc -V
	[[ $output == *"TLS: unavailable (TLS module $W/nope.so: "* ]]
}

@test "tls: sessions without TLS do not load OpenSSL; TLS ones do" {
	start_listener plain tcp-listen:127.0.0.1:0 echo
	! grep -E 'lib(ssl|crypto)\.so' "/proc/$LPID/maps"
	start_listener tls \
	    tls-listen:127.0.0.1:0,cert="$C/server.pem",key="$C/server.key" echo
	grep -qE 'libcrypto\.so' "/proc/$LPID/maps"
}

# ---------------------------------------------------------------------------
# version and builds without OpenSSL

@test "tls: -V names the OpenSSL version in use" {
	run -0 sc -V
	[[ $output == *"OpenSSL "[0-9]* ]]
}

@test "tls: TLS addresses without OpenSSL give a clear usage error" {
	if "$SOCKCAT" -V 2>&1 | grep -q "OpenSSL [0-9]"; then
		skip "sockcat built with OpenSSL"
	fi
	assert_usage "tls:localhost:443" -- tls:localhost:443
	assert_usage "tls-listen:0" -- tls-listen:0,cert=x.pem echo
}
