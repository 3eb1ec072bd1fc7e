#!/usr/bin/env bats
# readme.bats: every recipe of the README runs, as written, against local
# peers, so that the README cannot go stale.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# A recipe is a line "Recipe NAME: ..." in $SRCDIR/README followed, after its
# description, by command lines indented by four spaces; the block ends at
# the next line that is neither blank nor indented. The commands are taken
# from the README at run time and changed only as the README says (see
# recipe_subst); then recipe_NAME below starts the peers the recipe needs,
# runs the commands and checks what they did. A recipe without a driver, or a
# driver without a recipe, fails the first test.

load helper

README=$SRCDIR/README

# ---------------------------------------------------------------------------
# certificates, made once per file

setup_file()
{
	local pki=$BATS_FILE_TMPDIR/pki

	mkdir -p "$pki"
	(
		set -e
		cd "$pki"
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out ca.key 2>/dev/null
		openssl req -x509 -new -key ca.key -out ca.pem -days 30 \
		    -subj "/CN=sockcat readme CA" \
		    -addext basicConstraints=critical,CA:TRUE \
		    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out srv.key 2>/dev/null
		openssl req -new -key srv.key -out srv.csr -subj /CN=localhost \
		    2>/dev/null
		printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
		    basicConstraints=CA:FALSE extendedKeyUsage=serverAuth \
		    >srv.ext
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 30 -extfile srv.ext -out srv.pem \
		    2>/dev/null
	)
}

# Per test: a working directory RUN holding README, the certificates and
# bin/sockcat (a link to the binary under test, first in PATH).
setup()
{
	common_setup
	RUN=$W/run
	mkdir -p "$RUN/bin"
	ln -s "$SOCKCAT" "$RUN/bin/sockcat"
	ln -s "$SOCKCAT" "$RUN/sockcat"
	cp "$README" "$RUN/README"
	cp "$BATS_FILE_TMPDIR"/pki/{ca.pem,srv.pem,srv.key} "$RUN/"
	declare -gA PORT_OF=()
	CMDS=()
}

# ---------------------------------------------------------------------------
# finding and rewriting recipes

# recipe_names: the NAME of every "Recipe NAME:" line of the README.
recipe_names()
{
	sed -n 's/^Recipe \([a-z0-9-]*\):.*/\1/p' "$README"
}

# recipe_lines NAME: the command lines of recipe NAME, one per line,
# without their indentation.
recipe_lines()
{
	awk -v name="$1" '
		/^Recipe [a-z0-9-]+:/ {
			on = ($2 == name ":")
			seen = 0
			next
		}
		!on { next }
		/^    [^ ]/ { sub(/^    /, ""); print; seen = 1; next }
		/^[ \t]*$/ { next }
		seen { on = 0 }' "$README"
}

# port_assign NUMBER: choose the free local port that stands for port
# NUMBER in the current recipe, unless one is chosen already (PORT_OF).
port_assign()
{
	local n=$1 p q taken
	[[ -n ${PORT_OF[$n]:-} ]] && return 0
	while :; do
		p=$(free_port)
		taken=
		for q in "${PORT_OF[@]}"; do
			[[ $q == "$p" ]] && taken=1
		done
		[[ -z $taken ]] && break
	done
	PORT_OF[$n]=$p
}

# port_of NUMBER: print the local port that stands for port NUMBER.
port_of()
{
	port_assign "$1"
	echo "${PORT_OF[$1]}"
}

# recipe_subst LINE: set SUBST to LINE with the README's substitutions
# made: example host names become localhost, each port number after ':' a
# free local port (PORT_OF), /run/ and /tmp/ the scratch directories. Runs
# in the current shell so that PORT_OF keeps the ports it chose.
recipe_subst()
{
	local s=$1 n
	s=$(sed -E 's/\<example\.org\>/localhost/g;
	    s/\<[A-Za-z0-9-]+\.example\>/localhost/g' <<<"$s")
	s=${s//\/tmp\//$W/}
	s=${s//\/run\//$SOCKDIR/}
	# A port: 2 to 5 digits after ':', then neither a digit nor '.'
	# (so the 127 of tcp:127.0.0.1:80 is not one). Marked first, so that
	# a chosen port is never taken for a number still to replace.
	s=$(sed -E 's/:([0-9]{2,5})([^0-9.]|$)/:@PORT\1@\2/g' <<<"$s")
	for n in $(grep -oE '@PORT[0-9]+@' <<<"$s" | tr -d '@PORT' |
	    sort -u); do
		port_assign "$n"
		s=${s//@PORT$n@/${PORT_OF[$n]}}
	done
	SUBST=$s
}

# load_recipe NAME: fill CMDS with the rewritten command lines of NAME.
load_recipe()
{
	local l
	CMDS=()
	while IFS= read -r l; do
		recipe_subst "$l"
		CMDS+=("$SUBST")
	done < <(recipe_lines "$1")
	((${#CMDS[@]} > 0)) || {
		echo "README has no command lines for recipe $1"
		return 1
	}
	printf 'recipe %s:\n' "$1"
	printf '    %s\n' "${CMDS[@]}"
}

# rsh CMD: run a recipe line in the foreground, in RUN, with bash.
rsh()
{
	(cd "$RUN" && PATH="$RUN/bin:$PATH" timeout "$TMO" bash -c "$1")
}

# rbg NAME CMD: run a recipe line in the background (start_bg), in RUN.
rbg()
{
	start_bg "$1" timeout 120 bash -c \
	    'cd "$1" && PATH="$1/bin:$PATH" && eval "$2"' rbg "$RUN" "$2"
}

# ---------------------------------------------------------------------------
# peers

# http_backend PORT: a python3 HTTP server on 127.0.0.1:PORT serving $W/www,
# which holds index.html (a few lines) and big.bin (1 MiB).
http_backend()
{
	mkdir -p "$W/www"
	printf 'hello from the readme test\n' >"$W/www/index.html"
	head -c 1M /dev/urandom >"$W/www/big.bin"
	start_bg www timeout 120 python3 -m http.server "$1" \
	    --bind 127.0.0.1 --directory "$W/www"
	wait_for_port "$1" 10
}

# py_peer NAME PORT SCRIPT: a python3 TCP (or UDP) peer on 127.0.0.1:PORT
# running SCRIPT with `s` bound and listening (TCP) or bound (UDP, when
# SCRIPT starts with "#udp"), and `out` the name of a file to write to
# ($W/NAME.got); its working directory is RUN.
py_peer()
{
	local name=$1 port=$2 script=$3
	start_bg "$name" timeout 120 env -C "$RUN" python3 -c '
import socket, ssl, sys
port, script = int(sys.argv[1]), sys.argv[2]
udp = script.startswith("#udp")
s = socket.socket(socket.AF_INET,
    socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
if not udp:
    s.listen(8)
out = sys.argv[4]
open(sys.argv[3], "w").close()
exec(script)
' "$port" "$script" "$W/$name.ready" "$W/$name.got"
	wait_for_file "$W/$name.ready" 10
}

# ---------------------------------------------------------------------------
# one driver per recipe: recipe_NAME, with the rewritten lines in CMDS

recipe_http_get()
{
	http_backend "$(port_of 80)"
	run -0 rsh "${CMDS[0]}"
	[[ ${lines[0]} == "HTTP/1.0 200"* ]]
	[[ $output == *"hello from the readme test" ]]
}

recipe_forward()
{
	local round
	http_backend "$(port_of 80)"
	rbg fwd "${CMDS[0]}"
	wait_for_port "$(port_of 8080)" 10
	for round in 1 2; do
		run -0 timeout "$TMO" curl -sS -o "$W/got$round" \
		    "http://127.0.0.1:$(port_of 8080)/big.bin"
		cmp "$W/www/big.bin" "$W/got$round"
	done
}

recipe_unix_listen()
{
	local round
	http_backend "$(port_of 9000)"
	rbg ul "${CMDS[0]}"
	wait_for_file "$SOCKDIR/app.sock" 10
	[[ $(stat -c %a "$SOCKDIR/app.sock") == 660 ]]
	for round in 1 2; do
		run -0 timeout "$TMO" curl -sS -o "$W/got$round" \
		    --unix-socket "$SOCKDIR/app.sock" http://localhost/big.bin
		cmp "$W/www/big.bin" "$W/got$round"
	done
}

recipe_unix_connect()
{
	local round
	head -c 300k /dev/urandom >"$W/data"
	start_bg svc timeout 120 "$SOCKCAT" "unix-listen:$SOCKDIR/app.sock,fork" \
	    echo
	wait_for_file "$SOCKDIR/app.sock" 10
	rbg uc "${CMDS[0]}"
	wait_for_port "$(port_of 2375)" 10
	for round in 1 2; do
		timeout "$TMO" "$SOCKCAT" "tcp:127.0.0.1:$(port_of 2375)" \
		    <"$W/data" >"$W/got$round"
		cmp "$W/data" "$W/got$round"
	done
}

recipe_telnet()
{
	py_peer smtp "$(port_of 25)" '
c, a = s.accept()
c.sendall(b"220 mail.example ESMTP\r\n")
got = b""
while not got.endswith(b"QUIT\r\n"):
    d = c.recv(4096)
    if not d:
        break
    got += d
open(out, "wb").write(got)
c.sendall(b"250 hello\r\n221 bye\r\n")
c.close()
'
	run -0 rsh "printf 'HELO me\nQUIT\n' | ${CMDS[0]}"
	[[ $(od -An -c "$W/smtp.got" | tr -s ' ') == \
	    " H E L O m e \r \n Q U I T \r \n" ]]
	[[ ${lines[0]} == "220 mail.example ESMTP"* ]]
	[[ $output == *"221 bye"* ]]
}

recipe_telnet_login()
{
	local got line p kbd
	py_peer tn "$(port_of 23)" '
c, a = s.accept()
# IAC DO TERMINAL-TYPE, IAC WILL ECHO, a subnegotiation, then a prompt.
c.sendall(b"\xff\xfd\x18\xff\xfb\x01\xff\xfa\x18\x01\xff\xf0login: ")
got = b""
while b"\r\n" not in got or got.count(b"\xff") < 2:
    d = c.recv(4096)
    if not d:
        break
    got += d
open(out, "wb").write(got)
c.sendall(b"\r\nWelcome, admin\r\n")
c.close()
'
	# The keyboard is a fifo, open until the answer is in: an end of
	# input would half-close the connection before the refusals go out.
	mkfifo "$W/kbd"
	rbg tn-client "${CMDS[0]} <'$W/kbd'"
	p=$BG_PID
	exec {kbd}>"$W/kbd"
	echo admin >&"$kbd"
	wait_for_line "$W/tn-client.out" 'Welcome, admin' 10
	exec {kbd}>&-
	wait_exit "$p" 10
	[[ $BG_STATUS == 0 ]]
	output=$(cat "$W/tn-client.out")
	# The refusals (WONT TERMINAL-TYPE, DONT ECHO) and the line, CRLF;
	# the line may go out before the server's requests come in.
	got=$(od -An -tx1 "$W/tn.got" | tr -d ' \n')
	line=$(printf 'admin\r\n' | od -An -tx1 | tr -d ' \n')
	[[ $got == fffc18fffe01$line || $got == ${line}fffc18fffe01 ]]
	# The server's CRLF is read as LF (crlf, both ways as socat's).
	[[ $output == "login: "$'\n'"Welcome, admin" ]]
	[[ $output != *$'\xff'* ]]
	[[ ! -s $W/tn-client.err ]]
}

recipe_echo_server()
{
	local c round
	head -c 300k /dev/urandom >"$W/data"
	for c in "${CMDS[@]}"; do
		rbg echo "$c"
		wait_for_port "$(port_of 7000)" 10
		for round in 1 2; do
			timeout "$TMO" "$SOCKCAT" "tcp:127.0.0.1:$(port_of 7000)" \
			    <"$W/data" >"$W/got"
			cmp "$W/data" "$W/got"
		done
		kill_bg || true
	done
}

recipe_chat()
{
	local p1 p2 in1 in2
	mkfifo "$W/in1" "$W/in2"
	# Each terminal's keyboard is a fifo the test writes to.
	rbg t1 "${CMDS[0]} <'$W/in1'"
	p1=$BG_PID
	exec {in1}>"$W/in1"
	wait_for_port "$(port_of 9000)" 10
	rbg t2 "${CMDS[1]} <'$W/in2'"
	p2=$BG_PID
	exec {in2}>"$W/in2"
	echo "hello from terminal 1" >&"$in1"
	wait_for_line "$W/t2.out" '^hello from terminal 1$' 10
	echo "hello from terminal 2" >&"$in2"
	wait_for_line "$W/t1.out" '^hello from terminal 2$' 10
	# Ctrl-D in terminal 2, then in terminal 1: both end, status 0.
	exec {in2}>&-
	exec {in1}>&-
	wait_exit "$p2" 10
	[[ $BG_STATUS == 0 ]]
	wait_exit "$p1" 10
	[[ $BG_STATUS == 0 ]]
}

recipe_chat_room()
{
	local in0 in1 in2 p1 p2
	mkfifo "$W/in0" "$W/in1" "$W/in2"
	rbg room "${CMDS[0]} <'$W/in0'"
	exec {in0}>"$W/in0"
	wait_for_port "$(port_of 9000)" 10
	rbg u1 "${CMDS[1]} <'$W/in1'"
	p1=$BG_PID
	exec {in1}>"$W/in1"
	wait_for_line "$W/room.out" '^<announce> <user1> ' 10
	rbg u2 "${CMDS[1]} <'$W/in2'"
	p2=$BG_PID
	exec {in2}>"$W/in2"
	wait_for_line "$W/u1.out" '^<announce> <user2> \(127\.0\.0\.1:[0-9]+\) joined$' 10
	echo "hi all" >&"$in1"
	wait_for_line "$W/u2.out" '^<user1> hi all$' 10
	wait_for_line "$W/room.out" '^<user1> hi all$' 10
	echo "from the room" >&"$in0"
	wait_for_line "$W/u1.out" '^<user0> from the room$' 10
	wait_for_line "$W/u2.out" '^<user0> from the room$' 10
	# user2 leaves (Ctrl-D); user1 hears of it.
	exec {in2}>&-
	wait_exit "$p2" 10
	wait_for_line "$W/u1.out" '^<announce> <user2> left$' 10
	! grep -q 'hi all' "$W/u1.out"
	exec {in1}>&- {in0}>&-
	wait_exit "$p1" 10
}

recipe_port_check()
{
	py_peer db "$(port_of 5432)" 'import time; time.sleep(100)'
	run -0 --separate-stderr rsh "${CMDS[0]}"
	[[ $stderr == "sockcat: localhost:$(port_of 5432) open" ]]
	kill_bg || true
	run -4 --separate-stderr rsh "${CMDS[0]}"
	[[ $stderr == "sockcat: localhost:$(port_of 5432) failed: "* ]]
}

recipe_word_count()
{
	rbg wc "${CMDS[0]}"
	wait_for_port "$(port_of 9000)" 10
	run -0 rsh "${CMDS[1]}"
	[[ $(echo $output) == "$(wc -w <"$README")" ]]
	# It is a fork listener: a second client is served too.
	run -0 rsh "${CMDS[1]}"
	[[ $(echo $output) == "$(wc -w <"$README")" ]]
}

recipe_chat_bot()
{
	rbg bot "${CMDS[0]}"
	wait_for_port "$(port_of 9001)" 10
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" \
	    "tcp:127.0.0.1:$(port_of 9001)" <<<$'hi there\nbye'
	[[ $output == $'hello 127.0.0.1\nyou said: hi there\nbye' ]]
}

recipe_hexdump()
{
	http_backend "$(port_of 80)"
	rbg hex "${CMDS[0]}"
	wait_for_port "$(port_of 8080)" 10
	run -0 timeout "$TMO" curl -sS "http://127.0.0.1:$(port_of 8080)/"
	[[ $output == "hello from the readme test" ]]
	wait_for_line "$W/hex.err" 'session end: ' 10
	grep -Eq '^> .*offset=0 length=[0-9]+$' "$W/hex.err"
	grep -Eq '^ 00000000  47 45 54 20 2f 20 48 54 .*GET / HT' "$W/hex.err"
	grep -Eq '^< .*offset=0 length=[0-9]+$' "$W/hex.err"
	grep -q '^--$' "$W/hex.err"
	grep -Eq '^sockcat: listening on ' "$W/hex.err"
	grep -Eq '^sockcat(\[[0-9]+ [^]]+\])?: accepted 127\.0\.0\.1:[0-9]+ on ' \
	    "$W/hex.err"
	grep -Eq '^sockcat\[[0-9]+ [^]]+\]: connected to 127\.0\.0\.1:' "$W/hex.err"
}

recipe_port_zero()
{
	local port
	rbg p0 "${CMDS[0]}"
	wait_for_line "$W/p0.err" '^sockcat: listening on .*:[0-9]+$' 10
	port=$(listen_port "$W/p0.err")
	((port > 0))
	run -0 timeout "$TMO" "$SOCKCAT" "tcp:127.0.0.1:$port" <<<"ping"
	[[ $output == ping ]]
}

recipe_copy_file()
{
	run -0 rsh "${CMDS[0]}"
	cmp /etc/hosts "$W/hosts.copy"
}

recipe_udp()
{
	py_peer udp "$(port_of 5353)" '#udp
while True:
    d, a = s.recvfrom(65536)
    s.sendto(b"pong to " + d, a)
'
	run -0 rsh "${CMDS[0]}"
	[[ $output == "pong to ping" ]]
}

recipe_tls_listen()
{
	local round
	http_backend "$(port_of 8080)"
	rbg tlsl "${CMDS[0]}"
	wait_for_port "$(port_of 8443)" 10
	for round in 1 2; do
		run -0 timeout "$TMO" curl -sS --cacert "$RUN/ca.pem" \
		    -o "$W/got$round" "https://localhost:$(port_of 8443)/big.bin"
		cmp "$W/www/big.bin" "$W/got$round"
	done
}

recipe_tls_connect()
{
	# Reads until the client's close_notify, then answers in capitals
	# and closes with its own close_notify.
	py_peer tlss "$(port_of 443)" '
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("srv.pem", "srv.key")
c, a = s.accept()
t = ctx.wrap_socket(c, server_side=True)
got = b""
while True:
    d = t.recv(65536)
    if not d:
        break
    got += d
t.sendall(got.upper())
try:
    t.unwrap()
except (OSError, ssl.SSLError):
    pass
c.close()
'
	run -0 --separate-stderr rsh "printf 'hello tls\n' | ${CMDS[0]}"
	[[ $output == "HELLO TLS" ]]
}

recipe_socks_client()
{
	local fifo=$W/in.fifo fd
	start_bg s5 timeout 120 "$SOCKCAT" -v \
	    "socks5-listen:127.0.0.1:$(port_of 1080),fork"
	wait_for_port "$(port_of 1080)" 10
	start_bg db timeout 120 "$SOCKCAT" \
	    "tcp-listen:127.0.0.1:$(port_of 5432),fork" echo
	wait_for_port "$(port_of 5432)" 10
	# An interactive session: the line comes back, then input ends.
	mkfifo "$fifo"
	rbg cli "${CMDS[0]} <'$fifo'"
	exec {fd}>"$fifo"
	echo "select 1;" >&"$fd"
	wait_for_line "$W/cli.out" '^select 1;$' 10
	exec {fd}>&-
	wait_exit "$BG_PID" 10
	((BG_STATUS == 0))
	grep -q "asks for localhost:$(port_of 5432)" "$W/s5.err"
}

recipe_ssh_proxycommand()
{
	command -v ssh >/dev/null ||
	    skip "ssh is not installed (apt-get install openssh-client)"
	start_bg s5 timeout 120 "$SOCKCAT" -v \
	    "socks5-listen:127.0.0.1:$(port_of 1080),fork"
	wait_for_port "$(port_of 1080)" 10
	# An SSH server that sends its version line, takes the client's and
	# hangs up: enough to show both directions crossed the proxy.
	py_peer sshd "$(port_of 2222)" '
c, a = s.accept()
c.sendall(b"SSH-2.0-sockcat_readme_test\r\n")
got = b""
while not got.endswith(b"\n"):
    d = c.recv(1)
    if not d:
        break
    got += d
open(out, "wb").write(got)
c.close()
'
	run rsh "HOME='$W' ${CMDS[0]} -v -o BatchMode=yes </dev/null"
	[[ $output == *"remote software version sockcat_readme_test"* ]]
	grep -q '^SSH-2\.0-OpenSSH' "$W/sshd.got"
	grep -q "asks for localhost:$(port_of 2222)" "$W/s5.err"
}

recipe_proxy_chain()
{
	start_bg hp timeout 120 "$SOCKCAT" -v \
	    "proxy-listen:127.0.0.1:$(port_of 3128),fork"
	wait_for_port "$(port_of 3128)" 10
	start_bg s5 timeout 120 "$SOCKCAT" -v \
	    "socks5-listen:127.0.0.1:$(port_of 1080),fork"
	wait_for_port "$(port_of 1080)" 10
	start_bg www timeout 120 "$SOCKCAT" \
	    "tls-listen:127.0.0.1:$(port_of 443),cert=$RUN/srv.pem,key=$RUN/srv.key" \
	    system:'tr a-z A-Z'
	wait_for_port "$(port_of 443)" 10 || {
		cat "$W/www.err"
		false
	}
	run -0 --separate-stderr rsh "${CMDS[0]}"
	[[ $output == "HELLO CHAIN" ]]
	grep -q "asks for 127.0.0.1:$(port_of 1080)" "$W/hp.err"
	grep -q "asks for localhost:$(port_of 443)" "$W/s5.err"
}

recipe_proxy_servers()
{
	local page
	start_bg page timeout 120 "$SOCKCAT" -v tcp-listen:127.0.0.1:0,fork \
	    system:'printf "HTTP/1.0 200 OK\r\n\r\nvia proxy\n"'
	wait_for_line "$W/page.err" 'listening on ' 10
	page=$(listen_port "$W/page.err")
	rbg s5 "${CMDS[0]}"
	wait_for_port "$(port_of 1080)" 10
	rbg hp "${CMDS[1]}"
	wait_for_port "$(port_of 3128)" 10
	run -0 timeout "$TMO" curl -sS --socks5-hostname \
	    "127.0.0.1:$(port_of 1080)" "http://localhost:$page/"
	[[ $output == "via proxy" ]]
	run -0 timeout "$TMO" curl -sS -p -x \
	    "http://alice:s3cret@127.0.0.1:$(port_of 3128)" "http://localhost:$page/"
	[[ $output == "via proxy" ]]
	run timeout "$TMO" curl -sS -p -x "http://127.0.0.1:$(port_of 3128)" \
	    "http://localhost:$page/"
	((status != 0))
}

# WebSocket peers of tests/ws-peer.py need Debian's python3-websockets.
WSPY=/usr/bin/python3
WSPEER=$SRCDIR/tests/ws-peer.py

need_ws_python()
{
	"$WSPY" -c 'import websockets' 2>/dev/null ||
	    skip "python3-websockets is not installed"
}

recipe_ws_client()
{
	need_ws_python
	# A python3-websockets echo server over TLS, with the test's
	# certificate for localhost.
	start_bg wss timeout 120 "$WSPY" -c '
import asyncio, ssl, sys, websockets
async def echo(ws, path=None):
    async for m in ws:
        await ws.send(m.upper())
async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    async with websockets.serve(echo, "127.0.0.1", int(sys.argv[1]),
                                ssl=ctx):
        await asyncio.Future()
asyncio.run(main())' "$(port_of 8443)" "$RUN/srv.pem" "$RUN/srv.key"
	wait_for_port "$(port_of 8443)" 10
	# Typed lines; Ctrl-D only once the answers are in (python3-websockets
	# sends nothing more once it has answered our Close).
	mkfifo "$W/tty"
	start_bg cli -i "$W/tty" timeout 60 bash -c \
	    'cd "$1" && PATH="$1/bin:$PATH" && eval "$2"' rbg "$RUN" "${CMDS[0]}"
	exec 6>"$W/tty"
	printf 'hello\nweb socket\n' >&6
	wait_for_line "$W/cli.out" '^WEB SOCKET$' 10
	exec 6>&-
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS == 0 ]]
	[[ $(cat "$W/cli.out") == $'HELLO\nWEB SOCKET' ]]
}

recipe_ws_service()
{
	rbg wss "${CMDS[0]}"
	wait_for_port "$(port_of 8080)" 10
	# Each client its own wc; the Close ends wc's input, its count comes
	# back before the server's Close.
	run -0 rsh "printf 'one two\nthree\n' | sockcat ws://127.0.0.1:$(port_of 8080)/count"
	[[ $(echo $output) == 3 ]]
	run -0 rsh "sockcat ws://localhost:$(port_of 8080)/count < README"
	[[ $(echo $output) == "$(wc -w <"$README")" ]]
	run -4 rsh "sockcat ws://127.0.0.1:$(port_of 8080)/other </dev/null"
	run -0 timeout "$TMO" curl -sS -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$(port_of 8080)/count"
	[[ $output == 426 ]]
}

recipe_ws_browser()
{
	need_ws_python
	start_bg app timeout 120 "$SOCKCAT" \
	    "unix-listen:$SOCKDIR/app.sock,fork" echo
	wait_for_file "$SOCKDIR/app.sock" 10
	rbg wsb "${CMDS[0]}"
	wait_for_port "$(port_of 8080)" 10
	# What the browser sends: its page's origin. Binary mode: the
	# service's answer comes back as a binary message.
	run -0 timeout "$TMO" "$WSPY" "$WSPEER" connect \
	    "ws://127.0.0.1:$(port_of 8080)/" hello - \
	    "http://localhost:$(port_of 8000)"
	[[ ${lines[0]} == "echo b'hi'" ]]
	run -1 timeout "$TMO" "$WSPY" "$WSPEER" connect \
	    "ws://127.0.0.1:$(port_of 8080)/" hello - "http://evil.example"
	[[ $output == *"HTTP 403"* ]]
}

# run_recipe NAME: load recipe NAME from the README and run its driver.
run_recipe()
{
	load_recipe "$1"
	"recipe_${1//-/_}"
}

# ---------------------------------------------------------------------------

@test "readme: every recipe has a test here, and every test a recipe" {
	local names n fn bad=
	names=$(recipe_names)
	echo "recipes: $(echo $names)"
	(($(wc -l <<<"$names") >= 15))
	for n in $names; do
		declare -F "recipe_${n//-/_}" >/dev/null || bad+=" no-test:$n"
		[[ -n $(recipe_lines "$n") ]] || bad+=" no-command:$n"
	done
	for fn in $(declare -F | awk '$3 ~ /^recipe_/ { print $3 }'); do
		case $fn in
		recipe_names|recipe_lines|recipe_subst) continue ;;
		esac
		n=${fn#recipe_}
		grep -qx -- "${n//_/-}" <<<"$names" || bad+=" no-recipe:$n"
	done
	# The same name twice would hide one of them.
	[[ -z $(sort <<<"$names" | uniq -d) ]] || bad+=" duplicate"
	[[ -z $bad ]] || {
		echo "README recipes and readme.bats disagree:$bad"
		false
	}
}

@test "readme: the substitutions are the documented ones" {
	recipe_subst 'tcp:example.org:80 tcp:a.example:80,x=1 tcp:b-1.example:8080 tcp-listen:0 /run/a /tmp/b [::1]:8080 -t 0.5'
	[[ ${PORT_OF[80]} =~ ^[0-9]+$ && ${PORT_OF[8080]} =~ ^[0-9]+$ ]]
	[[ ${PORT_OF[80]} != "${PORT_OF[8080]}" ]]
	[[ $SUBST == "tcp:localhost:${PORT_OF[80]} tcp:localhost:${PORT_OF[80]},x=1 tcp:localhost:${PORT_OF[8080]} tcp-listen:0 $SOCKDIR/a $W/b [::1]:${PORT_OF[8080]} -t 0.5" ]]
}

@test "readme: set-up command (a) relays for real after its build steps" {
	local line
	line=$(grep -E '^    apt-get .*&& make && \{' "$README")
	[[ -n $line ]]
	# What runs once `make` has built ./sockcat.
	line=${line##*&& make && }
	recipe_subst "$line"
	echo "runs: $SUBST"
	run -0 rsh "$SUBST"
	[[ $(echo $output) == "$(wc -w <"$README")" ]]
}

@test "readme: the packages of the set-up commands are in .ci/run" {
	local ci=$SRCDIR/.ci/run pkgs p bad=
	[[ -r $ci ]] || skip ".ci/run is not in this tree"
	pkgs=$(sed -n '/^PACKAGES=(/,/^)/p' "$ci")
	for p in $(grep -oE 'apt-get install -y [^&]*' "$README" |
	    sed 's/apt-get install -y //' | tr ' ' '\n' | sort -u); do
		grep -qw -- "$p" <<<"$pkgs" || bad+=" $p"
	done
	[[ -z $bad ]] || {
		echo "in README but not in the PACKAGES of .ci/run:$bad"
		false
	}
}

@test "recipe http-get: a request from printf, the whole reply printed" {
	run_recipe http-get
}

@test "recipe forward: a fork listener forwards to a backend" {
	run_recipe forward
}

@test "recipe unix-listen: a TCP service on a unix socket, mode 660" {
	run_recipe unix-listen
}

@test "recipe unix-connect: a unix socket service over TCP, with allow=" {
	run_recipe unix-connect
}

@test "recipe telnet: crlf turns typed LF into CRLF" {
	run_recipe telnet
}

@test "recipe telnet-login: options refused, commands taken out, CRLF" {
	run_recipe telnet-login
}

@test "recipe echo-server: built-in echo and exec:cat" {
	run_recipe echo-server
}

@test "recipe chat: two terminals talk, Ctrl-D in both ends it" {
	run_recipe chat
}

@test "recipe chat-room: lines prefixed <userN>, joins and leaves announced" {
	run_recipe chat-room
}

@test "recipe port-check: -z -v open, then failed with exit 4" {
	run_recipe port-check
}

@test "recipe word-count: system:'wc -w' answers after the half-close" {
	run_recipe word-count
}

@test "recipe chat-bot: greets the peer by address and answers lines" {
	run_recipe chat-bot
}

@test "recipe hexdump: -v -x shows both directions and the session" {
	run_recipe hexdump
}

@test "recipe port-zero: -v prints the port the kernel picked" {
	run_recipe port-zero
}

@test "recipe copy-file: -u open: to create:" {
	run_recipe copy-file
}

@test "recipe udp: one datagram out, the answer printed" {
	run_recipe udp
}

@test "recipe tls-listen: TLS in front of a plain HTTP service" {
	run_recipe tls-listen
}

@test "recipe tls-connect: a verified TLS client, half-close by close_notify" {
	run_recipe tls-connect
}

@test "recipe socks-client: a session through a SOCKS5 proxy" {
	run_recipe socks-client
}

@test "recipe ssh-proxycommand: ssh through sockcat and a SOCKS5 proxy" {
	run_recipe ssh-proxycommand
}

@test "recipe proxy-chain: TLS to the target through HTTP then SOCKS5" {
	run_recipe proxy-chain
}

@test "recipe proxy-servers: socks5-listen and proxy-listen with curl" {
	run_recipe proxy-servers
}

@test "recipe ws-client: a wss URL pasted, lines as text messages" {
	run_recipe ws-client
}

@test "recipe ws-service: wc -w as a WebSocket service, 404 and 426" {
	run_recipe ws-service
}

@test "recipe ws-browser: a page's origin reaches a unix socket service" {
	run_recipe ws-browser
}
