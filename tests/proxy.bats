#!/usr/bin/env bats
# proxy.bats: proxies and chains (SPEC section 7): sockcat through
# microsocks, danted, tinyproxy, ncat and recorders of our own, chains of
# them with TLS on top, the errors and their exit codes, and sockcat's own
# socks5-listen and proxy-listen against curl.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# ---------------------------------------------------------------------------
# certificates and data, made once per file

mk_key()
{
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1" 2>/dev/null
}

# mk_leaf NAME CN SAN: a certificate for SAN signed by ca.
mk_leaf()
{
	mk_key "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" \
	    2>/dev/null
	printf '%s\n' "subjectAltName=$3" basicConstraints=CA:FALSE \
	    extendedKeyUsage=serverAuth >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.pem" \
	    2>/dev/null
}

setup_file()
{
	local pki=$BATS_FILE_TMPDIR/pki

	mkdir -p "$pki"
	(
		set -e
		cd "$pki"
		mk_key ca.key
		openssl req -x509 -new -key ca.key -out ca.pem -days 30 \
		    -subj "/CN=sockcat proxy test CA" \
		    -addext basicConstraints=critical,CA:TRUE \
		    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
		# The target: its name only, never the proxies' address.
		mk_leaf target localhost DNS:localhost
		mk_leaf wrong wrong.example DNS:wrong.example
		# An https proxy on 127.0.0.1, and one with the wrong name.
		mk_leaf proxy 127.0.0.1 IP:127.0.0.1
		mk_leaf badproxy proxy.example DNS:proxy.example
	)
	head -c 32M /dev/urandom >"$BATS_FILE_TMPDIR/up.bin"
	head -c 32M /dev/urandom >"$BATS_FILE_TMPDIR/down.bin"
}

setup()
{
	common_setup
	C=$BATS_FILE_TMPDIR/pki
	UP=$BATS_FILE_TMPDIR/up.bin
	DOWN=$BATS_FILE_TMPDIR/down.bin
}

# need CMD...: skip unless every CMD is installed.
need()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null ||
		    skip "$c is not installed (see README: proxy tests)"
	done
}

need_tls()
{
	"$SOCKCAT" -V 2>&1 | grep -q "OpenSSL [0-9]" ||
	    skip "sockcat built without OpenSSL"
}

# ---------------------------------------------------------------------------
# peers: each on 127.0.0.1 with a port the kernel chose (free_port where
# the program cannot take port 0), every wait bounded

# pid_port PID: the TCP port PID listens on (IPv4 first), by matching its
# socket inodes with /proc/net/tcp; empty when none yet.
pid_port()
{
	local f l ino=()
	for f in /proc/"$1"/fd/*; do
		l=$(readlink "$f" 2>/dev/null) || continue
		[[ $l == socket:\[*\] ]] && ino+=("${l//[^0-9]/}")
	done
	((${#ino[@]} > 0)) || return 0
	awk -v list=" ${ino[*]} " '$4 == "0A" && index(list, " " $10 " ") {
		split($2, a, ":"); print a[2]; exit }' \
	    /proc/net/tcp /proc/net/tcp6 | while read -r hex; do
		echo $((16#$hex))
	done
}

# wait_pid_port PID SECS: poll until PID listens; prints its port.
wait_pid_port()
{
	local pid=$1 n i p
	n=$((${2:-10} * 20))
	for ((i = 0; i <= n; i++)); do
		p=$(pid_port "$pid")
		if [[ -n $p ]]; then
			echo "$p"
			return 0
		fi
		sleep 0.05
	done
	echo "process $pid listens on no TCP port after ${2:-10}s" >&2
	return 1
}

# start_microsocks NAME [ARGS...]: microsocks on 127.0.0.1, port 0; sets
# MS_PORT.
start_microsocks()
{
	local name=$1 pid
	shift
	need microsocks
	start_bg "$name" timeout 120 microsocks -i 127.0.0.1 -p 0 "$@"
	pid=$(child_pid "$BG_PID")
	MS_PORT=$(wait_pid_port "$pid" 10)
}

# start_danted NAME: dante's danted in the foreground with a config of
# ours (SOCKS4 and SOCKS5, no authentication, connect and disconnect
# logged to $W/NAME.log); sets DT_PORT. danted cannot take port 0.
start_danted()
{
	local name=$1 try
	need danted
	[[ $(id -u) == 0 ]] || skip "danted needs root to start (test as root)"
	for ((try = 0; try < 3; try++)); do
		DT_PORT=$(free_port)
		cat >"$W/$name.conf" <<-EOF
		logoutput: $W/$name.log
		internal: 127.0.0.1 port = $DT_PORT
		external: 127.0.0.1
		socksmethod: none
		clientmethod: none
		user.privileged: root
		user.unprivileged: nobody
		client pass {
			from: 127.0.0.0/8 to: 0.0.0.0/0
			log: connect disconnect error
		}
		socks pass {
			from: 127.0.0.0/8 to: 0.0.0.0/0
			command: connect
			protocol: tcp
			log: connect disconnect error
		}
		EOF
		start_bg "$name" timeout 120 danted -f "$W/$name.conf"
		if wait_for_port "$DT_PORT" 10 2>/dev/null; then
			return 0
		fi
	done
	echo "danted did not start:" >&2
	cat "$W/$name.log" "$W/$name.err" >&2
	return 1
}

# start_tinyproxy NAME [USER PASS]: tinyproxy in the foreground (-d), its
# log on stdout ($W/NAME.out); with USER PASS it wants Basic credentials.
# Sets TP_PORT.
start_tinyproxy()
{
	local name=$1
	need tinyproxy
	TP_PORT=$(free_port)
	{
		echo "Port $TP_PORT"
		echo "Listen 127.0.0.1"
		echo "Timeout 60"
		echo "LogLevel Connect"
		echo "MaxClients 100"
		echo "Allow 127.0.0.1"
		[[ -n ${2:-} ]] && echo "BasicAuth $2 $3"
	} >"$W/$name.conf"
	start_bg "$name" timeout 120 tinyproxy -d -c "$W/$name.conf"
	wait_for_port "$TP_PORT" 10
}

# start_ncat_proxy NAME: ncat's HTTP proxy; it listens on every address
# whatever it is told, so only 127.0.0.1 may use it. Sets NC_PORT.
start_ncat_proxy()
{
	local name=$1 pid
	need ncat
	start_bg "$name" timeout 120 ncat -vv -l -k 127.0.0.1 0 \
	    --proxy-type http --allow 127.0.0.1
	pid=$(child_pid "$BG_PID")
	NC_PORT=$(wait_pid_port "$pid" 10)
}

# start_echo NAME: sockcat's echo on a fork listener; sets ECHO_PORT.
start_echo()
{
	start_listener "$1" tcp-listen:127.0.0.1:0,fork echo
	ECHO_PORT=$PORT
}

# start_sha NAME: a fork listener that answers the sha256 of all it got,
# once the client half-closed; sets SHA_PORT.
start_sha()
{
	start_listener "$1" tcp-listen:127.0.0.1:0,fork \
	    system:'sha256sum | cut -c1-64'
	SHA_PORT=$PORT
}

# start_bidi NAME: a python3 server that, on one connection, sends
# $DOWN while it reads what comes into $W/NAME.got, both at once, and
# closes once both are done; sets BIDI_PORT. NAME is used once a test.
start_bidi()
{
	local name=$1
	start_bg "$name" timeout 120 python3 -c '
import os, socket, sys, threading
pf, down, got = sys.argv[1:4]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(pf + ".tmp", pf)
c, _ = s.accept()
def send():
    with open(down, "rb") as f:
        while True:
            d = f.read(1 << 16)
            if not d:
                break
            c.sendall(d)
t = threading.Thread(target=send)
t.start()
with open(got, "wb") as f:
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        f.write(d)
t.join()
c.close()
' "$W/$name.port" "$DOWN" "$W/$name.got"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	BIDI_PORT=$(cat "$W/$name.port")
}

# start_recorder NAME MODE [CERT KEY]: a proxy of our own on 127.0.0.1:0
# that writes each request it gets, in hex, to $W/NAME.req, answers it
# with its success reply and the line "banner" in ONE send (so a client
# that reads past its reply would lose the banner), then echoes. MODE:
# socks4 (SOCKS4 and SOCKS4a), socks5, http; with CERT and KEY, http over
# TLS (an https proxy). Sets REC_PORT.
start_recorder()
{
	local name=$1
	start_bg "$name" timeout 120 python3 -c '
import binascii, os, socket, ssl, sys
pf, mode, log = sys.argv[1:4]
cert = sys.argv[4] if len(sys.argv) > 4 else None
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(pf + ".tmp", pf)
def need(c, n):
    d = b""
    while len(d) < n:
        x = c.recv(n - len(d))
        if not x:
            raise EOFError
        d += x
    return d
def upto(c, end):
    d = b""
    while not d.endswith(end):
        x = c.recv(1)
        if not x:
            raise EOFError
        d += x
    return d
while True:
    c, _ = s.accept()
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, sys.argv[5])
        c = ctx.wrap_socket(c, server_side=True)
    try:
        if mode == "socks4":
            req = need(c, 8)
            req += upto(c, b"\0")
            if req[4:7] == b"\0\0\0" and req[7] != 0:
                req += upto(c, b"\0")
            reply = b"\0\x5a" + req[2:8]
        elif mode == "socks5":
            g = need(c, 2)
            g += need(c, g[1])
            c.sendall(b"\5\0")
            req = need(c, 5)
            n = {1: 3, 3: req[4], 4: 15}[req[3]]
            req += need(c, n + 2)
            reply = b"\5\0\0\1\x7f\0\0\1\0\x50"
        else:
            req = upto(c, b"\r\n\r\n")
            reply = b"HTTP/1.1 200 Connection established\r\n\r\n"
        with open(log, "a") as f:
            f.write(binascii.hexlify(req).decode() + "\n")
        c.sendall(reply + b"banner\n")
        while True:
            d = c.recv(65536)
            if not d:
                break
            c.sendall(d)
    except (EOFError, OSError, ssl.SSLError):
        pass
    c.close()
' "$W/$name.port" "$2" "$W/$name.req" "${@:3}"
	wait_for_line "$W/$name.port" '^[0-9]+$' 10
	REC_PORT=$(cat "$W/$name.port")
}

# hexof TEXT: TEXT in lower-case hex.
hexof()
{
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# converse NAME ADDRESS LINE ANSWER [FLAGS...]: sockcat FLAGS - ADDRESS
# sends LINE and keeps its input open until ANSWER came back (the proxies
# that end a tunnel on a half-close get it only then); then its input
# ends. Checks that it printed exactly ANSWER and exited 0.
converse()
{
	local name=$1 addr=$2 line=$3 answer=$4 fifo=$W/$1.fifo fd
	shift 4
	mkfifo "$fifo"
	start_bg "$name" -i "$fifo" timeout "$TMO" "$SOCKCAT" "$@" - "$addr"
	exec {fd}>"$fifo"
	printf '%s\n' "$line" >&"$fd"
	wait_for_line "$W/$name.out" "^$answer\$" 10 || {
		exec {fd}>&-
		cat "$W/$name.err" >&2
		return 1
	}
	exec {fd}>&-
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]] || {
		echo "sockcat exit $BG_STATUS: $(cat "$W/$name.err")" >&2
		return 1
	}
	printf '%s\n' "$answer" | cmp - "$W/$name.out"
}

# through NAME PROXYURL: a line through sockcat with proxy=PROXYURL to
# the echo server and back (converse).
through()
{
	converse "$1" "tcp:127.0.0.1:$ECHO_PORT,proxy=$2" "ping through $1" \
	    "ping through $1"
}

# halfclose URL: $UP through sockcat to the sha256 server, the half-close
# passed on through the proxy, and the server's answer back.
halfclose()
{
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:127.0.0.1:$SHA_PORT,proxy=$1" <"$UP"
	[[ $output == "$(sha "$UP")" ]]
}

# bulk URL: 32 MiB up and 32 MiB down at once through sockcat with
# proxy=URL, to the bidi server; stdin stays open until all came down
# (most proxies end the tunnel on a half-close); sha256 equal both ways.
BULK_N=0
bulk()
{
	local url=$1 n=$((++BULK_N))
	start_bidi "bidi$n"
	{
		cat "$UP"
		wait_for_size "$W/down$n.got" 33554432 60
	} | timeout 90 "$SOCKCAT" - "tcp:127.0.0.1:$BIDI_PORT,proxy=$url" \
	    >"$W/down$n.got" 2>"$W/bulk$n.err"
	echo "sockcat: $(cat "$W/bulk$n.err")"
	wait_exit "$BG_PID" 20
	[[ $(sha "$W/down$n.got") == "$(sha "$DOWN")" ]]
	[[ $(sha "$W/bidi$n.got") == "$(sha "$UP")" ]]
}

# ---------------------------------------------------------------------------
# through each proxy

@test "microsocks: bytes both ways; 32 MiB each way at once" {
	start_microsocks ms
	start_echo echo
	through c1 "socks5://127.0.0.1:$MS_PORT"
	through c2 "socks5h://localhost:$MS_PORT"
	bulk "socks5h://127.0.0.1:$MS_PORT"
}

@test "microsocks -u/-P: RFC 1929 credentials, percent-decoded; bad ones exit 4" {
	start_microsocks ms -u alice -P 'p@ss:w0rd'
	start_echo echo
	through c1 "socks5://alice:p%40ss%3Aw0rd@127.0.0.1:$MS_PORT"
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://alice:nope@127.0.0.1:$MS_PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$MS_PORT: user name or password rejected"
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://127.0.0.1:$MS_PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$MS_PORT: no acceptable authentication method"
}

@test "danted: SOCKS5 and SOCKS4 with half-close passed on; 32 MiB each way" {
	start_danted dt
	start_sha sha
	start_echo echo
	halfclose "socks5://127.0.0.1:$DT_PORT"
	halfclose "socks4://127.0.0.1:$DT_PORT"
	# socat's spellings, with socksport=.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "socks4:127.0.0.1:127.0.0.1:$SHA_PORT,socksport=$DT_PORT" <"$UP"
	[[ $output == "$(sha "$UP")" ]]
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "socks5-connect:127.0.0.1:127.0.0.1:$SHA_PORT,socksport=$DT_PORT" \
	    <"$UP"
	[[ $output == "$(sha "$UP")" ]]
	bulk "socks5://127.0.0.1:$DT_PORT"
	grep -q "127.0.0.1.$SHA_PORT" "$W/dt.log"
}

@test "socksport= and proxyport= are the ports of proxies that give none" {
	start_danted dt
	start_tinyproxy tp
	start_sha sha
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:127.0.0.1:$SHA_PORT,proxy=socks5://127.0.0.1,socksport=$DT_PORT" \
	    <"$UP"
	[[ $output == "$(sha "$UP")" ]]
	# Ignored, the port would be 1080 and 8080, where nothing listens.
	run -4 --separate-stderr sc - \
	    "tcp:127.0.0.1:$SHA_PORT,proxy=socks5://127.0.0.1" </dev/null
	assert_one_error "proxy 127.0.0.1:1080: connect"
	start_echo echo
	through c1 "http://127.0.0.1,proxyport=$TP_PORT"
}

@test "SOCKS4a: the name goes to the proxy after 0.0.0.1; bytes after the reply kept" {
	start_recorder rec socks4
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "socks4a:127.0.0.1:target.example:4242,socksport=$REC_PORT" \
	    </dev/null
	# The banner came in the same segment as the reply.
	[[ $output == banner ]]
	# VN 4, CONNECT, port 4242, 0.0.0.1, empty user id, the name.
	[[ $(head -n 1 "$W/rec.req") == "0401109200000001""00$(hexof target.example)00" ]]
	# A user id from the URL; an IPv4 literal goes as SOCKS4 does.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:192.0.2.7:80,proxy=socks4a://bob@127.0.0.1:$REC_PORT" \
	    </dev/null
	[[ $(sed -n 2p "$W/rec.req") == "04010050c0000207$(hexof bob)00" ]]
	# SOCKS4 resolves here: localhost goes as 127.0.0.1.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:localhost:80,proxy=socks4://127.0.0.1:$REC_PORT" </dev/null
	[[ $(sed -n 3p "$W/rec.req") == "040100507f00000100" ]]
	# socat's socksuser= is the user id of a hop without one ...
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "socks4:127.0.0.1:127.0.0.2:4242,socksport=$REC_PORT,socksuser=nobody" \
	    </dev/null
	[[ $(sed -n 4p "$W/rec.req") == "04011092""7f000002$(hexof nobody)00" ]]
	# ... and not of one whose URL has its own.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:192.0.2.7:80,proxy=socks4://bob@127.0.0.1:$REC_PORT,socksuser=nobody" \
	    </dev/null
	[[ $(sed -n 5p "$W/rec.req") == "04010050c0000207$(hexof bob)00" ]]
}

@test "SOCKS5: socks5 resolves here, socks5h sends the name; bytes after the reply kept" {
	start_recorder rec socks5
	# -4: localhost is 127.0.0.1, not ::1.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" -4 - \
	    "tcp:localhost:80,proxy=socks5://127.0.0.1:$REC_PORT" </dev/null
	[[ $output == banner ]]
	[[ $(sed -n 1p "$W/rec.req") == 050100017f0000010050 ]]
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:target.example:80,proxy=socks5h://127.0.0.1:$REC_PORT" \
	    </dev/null
	[[ $output == banner ]]
	[[ $(sed -n 2p "$W/rec.req") == "050100030e$(hexof target.example)0050" ]]
	# An IPv6 target: ATYP 4.
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:[2001:db8::1]:443,proxy=socks5h://127.0.0.1:$REC_PORT" \
	    </dev/null
	[[ $(sed -n 3p "$W/rec.req") == 0501000420010db800000000000000000000000101bb ]]
}

@test "HTTP CONNECT: request, Basic credentials, bytes after the response kept" {
	start_recorder rec http
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:[2001:db8::1]:8443,proxy=http://u%20ser:p%3Ass@127.0.0.1:$REC_PORT" \
	    </dev/null
	[[ $output == banner ]]
	local req
	req=$(sed -n 1p "$W/rec.req" | xxd -r -p)
	[[ $req == "CONNECT [2001:db8::1]:8443 HTTP/1.1"$'\r\n'* ]]
	[[ $req == *$'\r\n'"Host: [2001:db8::1]:8443"$'\r\n'* ]]
	# base64 of "u ser:p:ss"
	[[ $req == *$'\r\n'"Proxy-Authorization: Basic $(printf 'u ser:p:ss' | base64)"$'\r\n'* ]]
}

@test "https proxy: TLS to the proxy under CONNECT; bytes after the response kept" {
	need_tls
	start_recorder rec http "$C/proxy.pem" "$C/proxy.key"
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:target.example:80,proxy=https://127.0.0.1:$REC_PORT,proxy-cafile=$C/ca.pem" \
	    </dev/null
	[[ $output == banner ]]
	[[ $(sed -n 1p "$W/rec.req" | xxd -r -p) == "CONNECT target.example:80 HTTP/1.1"* ]]
	# Without proxy-cafile= the proxy's certificate is not trusted: 5.
	run -5 --separate-stderr sc - \
	    "tcp:target.example:80,proxy=https://127.0.0.1:$REC_PORT" \
	    </dev/null
	assert_one_error "proxy 127.0.0.1:$REC_PORT: TLS handshake: certificate verify failed"
}

@test "tinyproxy: CONNECT with Basic credentials (URL and proxyauth=); 407 exits 4" {
	start_tinyproxy tp alice s3cret
	start_echo echo
	through c1 "http://alice:s3cret@127.0.0.1:$TP_PORT"
	run -4 --separate-stderr sc - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$TP_PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$TP_PORT: CONNECT 127.0.0.1:$ECHO_PORT: 407 Proxy Authentication Required"
	# socat's spelling: proxy:PROXY:HOST:PORT,proxyport=,proxyauth=.
	local fifo=$W/in.fifo fd
	mkfifo "$fifo"
	start_bg c2 -i "$fifo" timeout "$TMO" "$SOCKCAT" - \
	    "proxy:127.0.0.1:127.0.0.1:$ECHO_PORT,proxyport=$TP_PORT,proxyauth=alice:s3cret"
	exec {fd}>"$fifo"
	echo socat-spelling >&"$fd"
	wait_for_line "$W/c2.out" '^socat-spelling$' 10
	exec {fd}>&-
	wait_exit "$BG_PID" 10
	((BG_STATUS == 0))
	grep -q "CONNECT 127.0.0.1:$ECHO_PORT" "$W/tp.out"
}

@test "tinyproxy: proxyauth-file= reads the credentials from a file, its newline not in them" {
	start_tinyproxy tp alice s3cret
	start_echo echo
	printf 'alice:s3cret\n' >"$W/auth"
	# socat's name for it; tinyproxy would refuse "s3cret\n" (401).
	through c1 "http://127.0.0.1:$TP_PORT,proxy-authorization-file=$W/auth"
	# socat's name for proxyauth= too.
	through c2 "http://127.0.0.1:$TP_PORT,proxy-authorization=alice:s3cret"
	printf 'alice:wrong\r\n' >"$W/bad"
	run -4 --separate-stderr sc - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$TP_PORT,proxyauth-file=$W/bad" </dev/null
	assert_one_error "401 Unauthorized"
	[[ $stderr != *wrong* ]]
	run -1 --separate-stderr sc - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$TP_PORT,proxyauth-file=$W/none" </dev/null
	assert_one_error "proxyauth-file=$W/none: No such file or directory"
	printf 'alice\n' >"$W/nocolon"
	run -2 --separate-stderr sc - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$TP_PORT,proxyauth-file=$W/nocolon" </dev/null
	assert_one_error "expects USER:PASS"
	assert_usage "give one" -- - "tcp:h:1,proxy=http://h,proxyauth=a:b,proxyauth-file=$W/auth"
}

@test "tinyproxy: 32 MiB each way at once" {
	start_tinyproxy tp
	bulk "http://127.0.0.1:$TP_PORT"
}

@test "ncat --proxy-type http: bytes both ways; 32 MiB each way at once" {
	start_ncat_proxy nc
	start_echo echo
	through c1 "http://127.0.0.1:$NC_PORT"
	bulk "http://127.0.0.1:$NC_PORT"
}

@test "sockcat's own servers: 32 MiB each way at once through each" {
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	local s5=$PORT
	start_listener hp proxy-listen:127.0.0.1:0,fork
	bulk "socks5h://127.0.0.1:$s5"
	bulk "http://127.0.0.1:$PORT"
}

# ---------------------------------------------------------------------------
# chains

@test "chain of two: danted (SOCKS5) then tinyproxy (HTTP); each log shows its hop" {
	start_danted dt
	start_tinyproxy tp
	start_echo echo
	through c1 "socks5://127.0.0.1:$DT_PORT+http://127.0.0.1:$TP_PORT"
	# danted connected to tinyproxy; tinyproxy to the echo server.
	grep -E "tcp/connect .*-> .* 127\.0\.0\.1\.$TP_PORT" "$W/dt.log"
	grep -q "CONNECT 127.0.0.1:$ECHO_PORT" "$W/tp.out"
}

@test "chain of three with TLS on top: SNI and name are the target's" {
	need_tls
	need openssl
	start_danted dt
	start_tinyproxy tp
	start_listener s5 -v socks5-listen:127.0.0.1:0,fork
	local s5=$PORT
	# s_server sends the right certificate only to a client whose SNI
	# is localhost; its default one is for wrong.example.
	local sport
	sport=$(free_port)
	start_bg ss timeout 60 openssl s_server -rev -accept "$sport" \
	    -cert "$C/wrong.pem" -key "$C/wrong.key" -servername localhost \
	    -cert2 "$C/target.pem" -key2 "$C/target.key"
	wait_for_port "$sport" 10
	converse tls3 "tls:localhost:$sport,cafile=$C/ca.pem,proxy=socks4://127.0.0.1:$DT_PORT+http://127.0.0.1:$TP_PORT+socks5h://127.0.0.1:$s5" \
	    olleh hello -v
	local stderr
	stderr=$(cat "$W/tls3.err")
	# Every proxy's log shows its hop.
	grep -E "tcp/connect .*-> .* 127\.0\.0\.1\.$TP_PORT" "$W/dt.log"
	grep -q "CONNECT 127.0.0.1:$s5" "$W/tp.out"
	grep -q "asks for localhost:$sport" "$W/s5.err"
	# sockcat's -v shows each hop too.
	[[ $stderr == *"proxy 127.0.0.1:$DT_PORT: SOCKS4 tunnel to 127.0.0.1:$TP_PORT"* ]]
	[[ $stderr == *"proxy 127.0.0.1:$TP_PORT: HTTP CONNECT tunnel to 127.0.0.1:$s5"* ]]
	[[ $stderr == *"proxy 127.0.0.1:$s5: SOCKS5 tunnel to localhost:$sport"* ]]
	# A target name the certificate does not carry fails with 5, though
	# the proxy is that very address.
	run -5 --separate-stderr sc - \
	    "tls:127.0.0.1:$sport,cafile=$C/ca.pem,proxy=socks5h://127.0.0.1:$s5" \
	    </dev/null
	assert_one_error "TLS handshake"
}

@test "chain with an https hop: sockcat's TLS in front of proxy-listen" {
	need_tls
	start_listener hp proxy-listen:127.0.0.1:0,fork
	local hp=$PORT
	start_listener tl tls-listen:127.0.0.1:0,fork,cert=$C/proxy.pem,key=$C/proxy.key \
	    "tcp:127.0.0.1:$hp"
	local tl=$PORT
	start_listener bad tls-listen:127.0.0.1:0,fork,cert=$C/badproxy.pem,key=$C/badproxy.key \
	    "tcp:127.0.0.1:$hp"
	local bad=$PORT
	start_microsocks ms
	start_echo echo
	through c1 "socks5h://127.0.0.1:$MS_PORT+https://127.0.0.1:$tl,proxy-cafile=$C/ca.pem"
	# The proxy's certificate must carry the proxy's name (127.0.0.1).
	run -5 --separate-stderr sc - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=https://127.0.0.1:$bad,proxy-cafile=$C/ca.pem" \
	    </dev/null
	assert_one_error "proxy 127.0.0.1:$bad: TLS handshake:"
}

@test "IPv6: proxies and targets in brackets" {
	have_ipv6 || skip "no ::1 on lo"
	start_listener s5 'socks5-listen:[::1]:0,fork'
	local s5=$PORT
	start_listener hp 'proxy-listen:[::1]:0,fork'
	local hp=$PORT
	start_listener e6 'tcp-listen:[::1]:0,fork' echo
	ECHO_PORT=$PORT
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:[::1]:$ECHO_PORT,proxy=socks5://[::1]:$s5+http://[::1]:$hp" \
	    <<<"six"
	[[ $output == six ]]
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "socks5:[::1]:[::1]:$ECHO_PORT,socksport=$s5" <<<"socat six"
	[[ $output == "socat six" ]]
	grep -q "asks for \[::1\]:$hp" "$W/s5.err"
}

# ---------------------------------------------------------------------------
# errors: exit status and a message naming the hop

@test "errors: unresolvable proxy 3, refused 4, target refused 4 by name" {
	run -3 --separate-stderr sc - "tcp:127.0.0.1:9,proxy=socks5://nosuch.invalid:1080" </dev/null
	assert_one_error "nosuch.invalid"
	local dead
	dead=$(free_port)
	run -4 --separate-stderr sc - "tcp:127.0.0.1:9,proxy=http://127.0.0.1:$dead" </dev/null
	assert_one_error "proxy 127.0.0.1:$dead: connect: Connection refused"
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$dead,proxy=socks5://127.0.0.1:$PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$PORT: 127.0.0.1:$dead: connection refused by destination (SOCKS5 reply 5)"
	start_listener hp proxy-listen:127.0.0.1:0,fork
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$dead,proxy=http://127.0.0.1:$PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$PORT: CONNECT 127.0.0.1:$dead: 502 Bad Gateway"
	# The second hop of a chain is named, not the first.
	run -4 --separate-stderr sc - "tcp:127.0.0.1:9,proxy=http://127.0.0.1:$PORT+socks5://127.0.0.1:$dead" </dev/null
	assert_one_error "proxy 127.0.0.1:$PORT: CONNECT 127.0.0.1:$dead: 502 Bad Gateway"
	# Resolved here for socks5://: a name that does not resolve is 3.
	run -3 --separate-stderr sc - "tcp:nosuch.invalid:80,proxy=socks5://127.0.0.1:$PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$PORT: nosuch.invalid"
}

@test "errors: danted's SOCKS4 refusal by name; tinyproxy's 500" {
	start_danted dt
	local dead
	dead=$(free_port)
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$dead,proxy=socks4://127.0.0.1:$DT_PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$DT_PORT: 127.0.0.1:$dead: request rejected or failed (SOCKS4 reply 91)"
	start_tinyproxy tp
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$dead,proxy=http://127.0.0.1:$TP_PORT" </dev/null
	assert_one_error "proxy 127.0.0.1:$TP_PORT: CONNECT 127.0.0.1:$dead: 500 "
}

@test "errors: a proxy that never answers is bounded by connect-timeout, the chain as a whole" {
	start_py_tcp mute "$W/mute.port" sink "$W/mute.count"
	local mute
	mute=$(cat "$W/mute.port")
	local t0 t1
	t0=$(now)
	run -4 --separate-stderr sc - "tcp:127.0.0.1:9,proxy=socks5://127.0.0.1:$mute,connect-timeout=1" </dev/null
	t1=$(now)
	assert_one_error "proxy 127.0.0.1:$mute: SOCKS5 handshake: Connection timed out"
	elapsed_between "$t0" "$t1" 0.9 5
	# Second hop mute: the same deadline covers the first hop too.
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	t0=$(now)
	run -4 --separate-stderr sc - "tcp:127.0.0.1:9,proxy=socks5://127.0.0.1:$PORT+http://127.0.0.1:$mute,connect-timeout=1.5" </dev/null
	t1=$(now)
	assert_one_error "proxy 127.0.0.1:$mute: HTTP CONNECT: Connection timed out"
	elapsed_between "$t0" "$t1" 1.4 5
}

@test "errors: malformed proxy URLs are usage errors before anything opens" {
	local bad
	for bad in 'socks9://h' 'socks5://' 'http://h:0' 'http://h:99999' \
	    'socks5://[::1:1080' 'socks5://::1:1080' 'http://h/path' \
	    'socks5://u:p%zz@h' 'http://h+' 'socks5://u@h' \
	    'socks4://u:p@h' 'socks5h://bad_host!:1'; do
		assert_usage "proxy" -- tcp-listen:0 "tcp:127.0.0.1:9,proxy=$bad"
	done
	# A SOCKS4 hop cannot carry an IPv6 target.
	assert_usage "SOCKS4 cannot carry" -- - "tcp:[::1]:80,proxy=socks4://h"
	assert_usage "does not apply" -- - "udp:h:1,proxy=http://h"
	assert_usage "expects USER:PASS" -- - "tcp:h:1,proxy=http://h,proxyauth=nocolon"
	# More than 16 hops.
	local many=socks5://h k
	for ((k = 0; k < 16; k++)); do many+=+socks5://h; done
	assert_usage "more than 16 proxies" -- - "tcp:h:1,proxy=$many"
}

@test "passwords never printed, not even with -vv, nor left in ps" {
	start_microsocks ms -u alice -P TopSecret1
	start_tinyproxy tp bob TopSecret2
	start_echo echo
	run -4 --separate-stderr sc -vv - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://alice:TopSecret9@127.0.0.1:$MS_PORT" </dev/null
	[[ $stderr == *"user name or password rejected"* ]]
	[[ $stderr != *TopSecret* ]]
	run -4 --separate-stderr sc -vv - "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$TP_PORT,proxyauth=bob:TopSecret8" </dev/null
	# tinyproxy says 401 to wrong credentials, 407 to none.
	[[ $stderr == *"CONNECT 127.0.0.1:$ECHO_PORT: 401 Unauthorized"* ]]
	[[ $stderr != *TopSecret* ]]
	run --separate-stderr sc -vv - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://alice:TopSecret1@127.0.0.1:$MS_PORT+http://bob:TopSecret2@127.0.0.1:$TP_PORT" </dev/null
	[[ $stderr == *"HTTP CONNECT tunnel"* ]]
	[[ $stderr != *TopSecret* ]]
	# Usage errors quote the address masked too, an escaped comma in
	# the user name included (found by fuzz-proxyurl).
	run -2 --separate-stderr sc - "tcp:h:1,proxy=socks5://u:TopSecret3@h:0"
	[[ $stderr != *TopSecret* ]]
	run -2 --separate-stderr sc - 'tcp:h:1,proxy=socks5://a\,b:TopSecret5@h'
	[[ $stderr == *"%2C"* ]]
	[[ $stderr != *TopSecret* ]]
	# ps(1): the argument of a running sockcat is masked.
	start_listener srv socks5-listen:127.0.0.1:0,auth=carol:TopSecret4
	! tr '\0' ' ' <"/proc/$LPID/cmdline" | grep -q TopSecret
	tr '\0' ' ' <"/proc/$LPID/cmdline" | grep -q 'auth=carol:\*\*\*\*\*\*\*\*\*\*'
}

# ---------------------------------------------------------------------------
# socks5-listen and proxy-listen

@test "socks5-listen: curl --socks5-hostname and --socks5; IPv4, IPv6 and names" {
	need curl
	start_http_server web "$W" "$W/web.port"
	echo "page" >"$W/page.txt"
	local web
	web=$(cat "$W/web.port")
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	local s5=$PORT
	run -0 timeout "$TMO" curl -sS --socks5-hostname "127.0.0.1:$s5" \
	    "http://localhost:$web/page.txt"
	[[ $output == page ]]
	run -0 timeout "$TMO" curl -sS --socks5 "127.0.0.1:$s5" \
	    "http://127.0.0.1:$web/page.txt"
	[[ $output == page ]]
	grep -q "asks for localhost:$web" "$W/s5.err"
	grep -q "asks for 127.0.0.1:$web" "$W/s5.err"
	if have_ipv6; then
		start_listener e6 'tcp-listen:[::1]:0' \
		    system:'printf "HTTP/1.0 200 OK\r\n\r\nv6\n"'
		run -0 timeout "$TMO" curl -sS --socks5 "127.0.0.1:$s5" \
		    "http://[::1]:$PORT/"
		[[ $output == v6 ]]
		grep -q "asks for \[::1\]:$PORT" "$W/s5.err"
	fi
}

@test "socks5-listen: reply codes when the target cannot be reached" {
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	local dead
	dead=$(free_port)
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$dead,proxy=socks5h://127.0.0.1:$PORT" </dev/null
	assert_one_error "connection refused by destination (SOCKS5 reply 5)"
	run -4 --separate-stderr sc - "tcp:nosuch.invalid:80,proxy=socks5h://127.0.0.1:$PORT" </dev/null
	assert_one_error "host unreachable (SOCKS5 reply 4)"
	grep -q "client 127.0.0.1:[0-9]*: 127.0.0.1:$dead: connection refused" "$W/s5.err"
	if command -v curl >/dev/null; then
		run timeout "$TMO" curl -sS --socks5 "127.0.0.1:$PORT" "http://127.0.0.1:$dead/"
		((status != 0))
	fi
}

@test "socks5-listen auth=: RFC 1929 with curl and sockcat; wrong ones refused" {
	start_listener s5 socks5-listen:127.0.0.1:0,fork,auth=alice:s3cret
	start_echo echo
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://alice:s3cret@127.0.0.1:$(listen_port "$W/s5.err")" <<<"in"
	[[ $output == in ]]
	local s5
	s5=$(listen_port "$W/s5.err")
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://alice:wrong@127.0.0.1:$s5" </dev/null
	assert_one_error "user name or password rejected (RFC 1929 status 1)"
	run -4 --separate-stderr sc - "tcp:127.0.0.1:$ECHO_PORT,proxy=socks5://127.0.0.1:$s5" </dev/null
	assert_one_error "no acceptable authentication method"
	if command -v curl >/dev/null; then
		start_listener page tcp-listen:127.0.0.1:0,fork system:'printf "HTTP/1.0 200 OK\r\n\r\nauthed\n"'
		run -0 timeout "$TMO" curl -sS -x "socks5h://alice:s3cret@127.0.0.1:$s5" "http://127.0.0.1:$PORT/"
		[[ $output == authed ]]
		run timeout "$TMO" curl -sS -x "socks5h://alice:nope@127.0.0.1:$s5" "http://127.0.0.1:$PORT/"
		((status != 0))
	fi
}

@test "proxy-listen: curl -p -x with and without auth=; 407, 405 and 502" {
	need curl
	start_listener page tcp-listen:127.0.0.1:0,fork system:'printf "HTTP/1.0 200 OK\r\n\r\ntunnel\n"'
	local page=$PORT
	start_listener hp proxy-listen:127.0.0.1:0,fork
	run -0 timeout "$TMO" curl -sS -p -x "http://127.0.0.1:$PORT" "http://localhost:$page/"
	[[ $output == tunnel ]]
	start_listener ha proxy-listen:127.0.0.1:0,fork,auth=alice:s3cret
	run -0 timeout "$TMO" curl -sS -p -x "http://alice:s3cret@127.0.0.1:$PORT" "http://localhost:$page/"
	[[ $output == tunnel ]]
	run timeout "$TMO" curl -sS -v -p -x "http://127.0.0.1:$PORT" "http://localhost:$page/"
	((status != 0))
	[[ $output == *"HTTP/1.1 407 Proxy Authentication Required"* ]]
	[[ $output == *'Proxy-Authenticate: Basic realm="sockcat"'* ]]
	run timeout "$TMO" curl -sS -v -p -x "http://alice:wrong@127.0.0.1:$PORT" "http://localhost:$page/"
	((status != 0))
	[[ $output == *"407 Proxy Authentication Required"* ]]
	# A plain GET through it is not CONNECT.
	run timeout "$TMO" curl -sS -v -x "http://alice:s3cret@127.0.0.1:$PORT" "http://localhost:$page/"
	[[ $output == *"HTTP/1.1 405 Method Not Allowed"* ]]
	local dead
	dead=$(free_port)
	run timeout "$TMO" curl -sS -v -p -x "http://alice:s3cret@127.0.0.1:$PORT" "http://127.0.0.1:$dead/"
	((status != 0))
	[[ $output == *"HTTP/1.1 502 Bad Gateway"* ]]
	# A control byte in the method is a bad request, not another
	# method (found by fuzz-http).
	run -0 timeout "$TMO" python3 -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"CON\0NECT localhost:1 HTTP/1.1\r\n\r\n")
print(c.recv(100).split(b"\r\n")[0].decode())' "$PORT"
	[[ $output == "HTTP/1.1 400 Bad Request" ]]
}

@test "proxy servers: allow=, and 20 concurrent clients with fork" {
	need curl
	start_listener page tcp-listen:127.0.0.1:0,fork system:'sleep 0.3; printf "HTTP/1.0 200 OK\r\n\r\nok\n"'
	local page=$PORT
	start_listener s5 socks5-listen:127.0.0.1:0,fork,max-children=30
	local s5=$PORT
	start_listener hp proxy-listen:127.0.0.1:0,fork
	local hp=$PORT k
	for ((k = 0; k < 10; k++)); do
		timeout "$TMO" curl -sS --socks5-hostname "127.0.0.1:$s5" \
		    "http://localhost:$page/" >"$W/cs.$k" 2>&1 &
		timeout "$TMO" curl -sS -p -x "http://127.0.0.1:$hp" \
		    "http://localhost:$page/" >"$W/ch.$k" 2>&1 &
	done
	wait_for_counter_files 20 20
	for ((k = 0; k < 10; k++)); do
		[[ $(cat "$W/cs.$k") == ok ]]
		[[ $(cat "$W/ch.$k") == ok ]]
	done
	# allow=: a peer outside the list is closed at once and logged.
	start_listener nope socks5-listen:127.0.0.1:0,allow=10.0.0.0/8
	run timeout "$TMO" curl -sS --socks5 "127.0.0.1:$PORT" "http://127.0.0.1:$page/"
	((status != 0))
	wait_for_line "$W/nope.err" "refused 127.0.0.1:[0-9]+: not in the allow= list" 5
	start_listener yes proxy-listen:127.0.0.1:0,allow=127.0.0.0/8
	run -0 timeout "$TMO" curl -sS -p -x "http://127.0.0.1:$PORT" "http://localhost:$page/"
	[[ $output == ok ]]
}

# wait_for_counter_files N SECS: until N of $W/cs.* and $W/ch.* say ok.
wait_for_counter_files()
{
	local want=$1 n i got
	n=$((${2:-10} * 20))
	for ((i = 0; i <= n; i++)); do
		got=$(cat "$W"/cs.* "$W"/ch.* 2>/dev/null | grep -c '^ok$' ||
		    true)
		((got >= want)) && return 0
		sleep 0.05
	done
	echo "only $got of $want clients got their answer:" >&2
	head "$W"/cs.* "$W"/ch.* >&2
	return 1
}

@test "proxy servers take no ADDRESS2, and are ADDRESS1" {
	assert_usage "takes no ADDRESS2" -- socks5-listen:0 tcp:127.0.0.1:9
	assert_usage "takes no ADDRESS2" -- proxy-listen:0,fork -
	assert_usage "a proxy server is ADDRESS1" -- - socks5-listen:0
	assert_usage "does not apply" -- tcp-listen:0,auth=a:b -
	assert_usage "expects USER:PASS" -- socks5-listen:0,auth=ab
}

@test "proxy-listen without fork serves one client, then exits" {
	start_echo echo
	start_listener one proxy-listen:127.0.0.1:0
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" - \
	    "tcp:127.0.0.1:$ECHO_PORT,proxy=http://127.0.0.1:$PORT" <<<"once"
	[[ $output == once ]]
	wait_exit "$BG_PID" 10
	((BG_STATUS == 0))
}

@test "a SOCKS5 tunnel leaves the splice path as it found it" {
	command -v strace >/dev/null || skip "strace is not installed"
	sanitized && skip "LeakSanitizer does not run under strace (ptrace)"
	start_listener s5 socks5-listen:127.0.0.1:0,fork
	local s5=$PORT
	start_listener sink tcp-listen:127.0.0.1:0 system:'wc -c'
	head -c 4M /dev/zero >"$W/z"
	run -0 timeout "$TMO" strace -f -c -e trace=splice,read -o "$W/st" \
	    "$SOCKCAT" - "tcp:127.0.0.1:$PORT,proxy=socks5://127.0.0.1:$s5" <"$W/z"
	[[ ${lines[-1]} == 4194304 ]]
	# Bulk moves by splice(2), not by read(2) through a layer.
	awk '$NF == "splice" && $4 > 4 { f = 1 } END { exit !f }' "$W/st"
}
