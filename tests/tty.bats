#!/usr/bin/env bats
# tty.bats: sockcat at a real terminal (SPEC 9, issue 13): the other side
# closing ends the session, line editing, history, the escape key, the
# chat between two terminals. Each sockcat runs in the pane of a private
# tmux server (tests/helper.bash, tm_*); the peers are python3 servers
# that record what they receive.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

setup()
{
	common_setup
	tm_need
	EDIT=
	if "$SOCKCAT" -V | grep -q '^line editing: libedit'; then
		EDIT=1
	fi
}

# need_edit: skip a test of line editing in a build without it.
need_edit()
{
	[[ -n $EDIT ]] || skip "built without libedit (--without-libedit)"
}

# tm_ready NAME: wait until sockcat has the terminal of NAME: line editing
# (raw mode), or, without it, the escape key as end-of-line character.
tm_ready()
{
	if [[ -n $EDIT ]]; then
		tm_wait_mode "$1" -icanon 10
	else
		tm_wait_mode "$1" 'eol = ^' 10
	fi
}

teardown()
{
	tm_kill
	common_teardown
}

# peer NAME MODE: a TCP server on 127.0.0.1:0 for one client, which writes
# its port to $W/NAME.port, the bytes it receives to $W/NAME.got (as they
# come), and behaves as MODE:
#   record     receive until the client closes
#   smtp       "220" greeting, "250 ok" to each line, "221 bye" and close
#              after QUIT
#   ticks      "tick N" lines every 0.2 s (N = 1..8), receive meanwhile
#   prompt     "Password: " without a newline, then record
#   eofreply   receive until end of input, then answer how many bytes and
#              close
#   halfclose  "bye" then shutdown(SHUT_WR) at once; receive until the
#              client closes, then write "done" to $W/NAME.done
peer()
{
	start_bg "$1" timeout 120 python3 -c '
import os, socket, sys, threading, time
name, mode = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
with open(name + ".port.tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(name + ".port.tmp", name + ".port")
c, a = s.accept()
got = open(name + ".got", "wb")
def keep(d):
    got.write(d)
    got.flush()
def recv_all():
    while True:
        d = c.recv(4096)
        if not d:
            return
        keep(d)
if mode == "smtp":
    c.sendall(b"220 mail.test ESMTP\r\n")
    buf = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        keep(d)
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip().upper() == b"QUIT":
                c.sendall(b"221 bye\r\n")
                c.close()
                sys.exit(0)
            c.sendall(b"250 ok\r\n")
elif mode == "ticks":
    def tick():
        for k in range(1, 9):
            time.sleep(0.2)
            c.sendall(b"tick %d\r\n" % k)
    threading.Thread(target=tick, daemon=True).start()
    recv_all()
elif mode == "prompt":
    c.sendall(b"Password: ")
    recv_all()
elif mode == "eofreply":
    n = 0
    while True:
        d = c.recv(4096)
        if not d:
            break
        keep(d)
        n += len(d)
    c.sendall(b"got %d bytes\n" % n)
    c.close()
elif mode == "halfclose":
    c.sendall(b"bye\n")
    c.shutdown(socket.SHUT_WR)
    recv_all()
    open(name + ".done", "w").write("done\n")
else:
    recv_all()
time.sleep(1)
' "$W/$1" "$2"
	wait_for_line "$W/$1.port" '^[0-9]+$' 10
	PEER_PORT=$(cat "$W/$1.port")
}

# wait_got NAME BYTES-AS-PRINTF: wait until peer NAME received exactly
# the bytes that printf makes of the argument.
wait_got()
{
	local want k
	want=$(printf "$2" | od -An -tx1 | tr -d ' \n')
	for ((k = 0; k < 200; k++)); do
		[[ $(od -An -tx1 "$W/$1.got" 2>/dev/null | tr -d ' \n') == \
		    "$want" ]] && return 0
		sleep 0.05
	done
	echo "peer $1 received:" >&2
	od -c "$W/$1.got" >&2
	echo "and not what was wanted:" >&2
	printf "$2" | od -c >&2
	return 1
}

# last_row NAME: the last non-empty row of NAME's screen (not counting
# tmux's own "Pane is dead" line).
last_row()
{
	tm_screen "$1" | awk 'NF && !/^Pane is dead/ { l = $0 }
	    END { print l }'
}

@test "tty: HTTP/1.0 by hand: the server closing ends the session, notice, exit 0" {
	mkdir -p "$W/www"
	printf 'hello from the server\n' >"$W/www/hello.txt"
	start_http_server www "$W/www" "$W/www.port"
	local port
	port=$(cat "$W/www.port")
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$port,crlf"
	tm_ready t
	tm_type t "GET /hello.txt HTTP/1.0"
	tm_keys t Enter
	tm_keys t Enter
	# Nothing more is typed: it ends by itself.
	tm_wait_dead t 10
	echo "the terminal, at the end:"
	tm_screen t
	[[ $TM_STATUS == 0 ]]
	tm_screen t | grep -q '^HTTP/1.0 200 OK'
	tm_screen t | grep -qx 'hello from the server'
	[[ $(last_row t) == "sockcat: tcp:127.0.0.1:$port,crlf: connection closed by peer" ]]
	# No "Broken pipe", nothing about lost data.
	! tm_screen t | grep -q 'Broken pipe'
}

@test "tty: SMTP: the server closing after QUIT ends the session" {
	peer smtp smtp
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT,crlf"
	tm_ready t
	tm_wait_screen t '^220 mail.test ESMTP' 10
	tm_type t "HELO me"
	tm_keys t Enter
	tm_wait_screen t '^250 ok' 10
	tm_type t "QUIT"
	tm_keys t Enter
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
	wait_got smtp 'HELO me\r\nQUIT\r\n'
	tm_screen t | grep -qx '221 bye'
	[[ $(last_row t) == "sockcat: tcp:127.0.0.1:$PEER_PORT,crlf: connection closed by peer" ]]
}

@test "tty: without a terminal the half-close stays; at a terminal the end of the other side ends it" {
	# A pipe on standard input: the server's end of output is only a
	# half-close, sockcat goes on sending until its own input ends.
	peer pipe halfclose
	local fifo=$W/in kbd
	mkfifo "$fifo"
	start_bg client -i "$fifo" "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	local pid=$BG_PID
	exec {kbd}>"$fifo"
	wait_for_line "$W/client.out" '^bye$' 10
	echo "still sent after the server's end" >&"$kbd"
	wait_got pipe "still sent after the server's end\n"
	exec {kbd}>&-
	wait_exit "$pid" 10
	[[ $BG_STATUS == 0 ]]
	wait_for_file "$W/pipe.done" 10
	[[ ! -s $W/client.err ]]

	# The same server, someone at a terminal: the session ends at once.
	peer term halfclose
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_dead t 10
	tm_screen t
	[[ $TM_STATUS == 0 ]]
	tm_screen t | grep -qx bye
	[[ $(last_row t) == "sockcat: tcp:127.0.0.1:$PEER_PORT: connection closed by peer" ]]
}

@test "tty: a program ending at a terminal ends the session, without a notice" {
	tm_start t "$SOCKCAT" "system:echo from the program"
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
	[[ $(last_row t) == "from the program" ]]
}

@test "tty: cursor keys edit the line; the server gets the edited line only" {
	need_edit
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode t -icanon 10
	# "helo" + Left + "l" = "hello"; then " world" at the end.
	tm_type t "helo"
	tm_keys t Left
	tm_type t "l"
	tm_keys t End
	tm_type t " world"
	# Home, a word in front, Right over it, Backspace on a typo.
	tm_keys t Enter
	tm_type t "line two"
	tm_keys t Home
	tm_type t "my "
	tm_keys t End BSpace BSpace BSpace
	tm_type t "TWO"
	tm_keys t Enter
	wait_got rec 'hello world\nmy line TWO\n'
	tm_keys t 'C-]'
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
}

@test "tty: Up recalls the history of the session" {
	need_edit
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode t -icanon 10
	tm_type t "first"
	tm_keys t Enter
	tm_type t "second"
	tm_keys t Enter
	tm_keys t Up Up Enter
	tm_keys t Up Enter
	wait_got rec 'first\nsecond\nfirst\nfirst\n'
	tm_keys t 'C-]'
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
}

@test "tty: history=FILE keeps the lines for the next session" {
	need_edit
	local hist=$W/hist
	peer one record
	tm_start one "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" "stdio,history=$hist"
	tm_wait_mode one -icanon 10
	tm_type one "remember me"
	tm_keys one Enter
	wait_got one 'remember me\n'
	tm_keys one 'C-]'
	tm_wait_dead one 10
	[[ $TM_STATUS == 0 ]]
	[[ -s $hist ]]

	peer two record
	tm_start two "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" "stdio,history=$hist"
	tm_wait_mode two -icanon 10
	tm_keys two Up Enter
	wait_got two 'remember me\n'
	tm_keys two 'C-]'
	tm_wait_dead two 10
	[[ $TM_STATUS == 0 ]]

	# Without history=, the next session starts with an empty history.
	peer three record
	tm_start three "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode three -icanon 10
	tm_keys three Up
	tm_type three "x"
	tm_keys three Enter
	wait_got three 'x\n'
	tm_keys three 'C-]'
	tm_wait_dead three 10
}

@test "tty: Ctrl-] ends a session with a silent server within a second" {
	need_edit
	peer quiet record
	# The shell around it shows the status and the terminal afterwards.
	tm_start t bash -c '"$1" "tcp:127.0.0.1:$2"; echo "status=$?";
	    stty -a > "$3"; sleep 30' sh "$SOCKCAT" "$PEER_PORT" "$W/stty"
	tm_wait_mode t -icanon 10
	tm_type t "never sent"
	local t0 t1
	t0=$(now)
	tm_keys t 'C-]'
	tm_wait_screen t '^status=' 5
	t1=$(now)
	elapsed_between "$t0" "$t1" 0 1
	tm_screen t | grep -qx 'status=0'
	# The typed line is neither sent nor left on the screen.
	! tm_screen t | grep -q 'never sent'
	[[ ! -s $W/quiet.got ]]
	# The terminal is back in its line mode.
	wait_for_file "$W/stty" 5
	grep -q -- ' icanon' "$W/stty"
}

@test "tty: Ctrl-] without line editing (noedit) ends the session at once too" {
	peer quiet record
	tm_start t bash -c '"$1" "tcp:127.0.0.1:$2" stdio,noedit;
	    echo "status=$?"; stty -a > "$3"; sleep 30' sh "$SOCKCAT" \
	    "$PEER_PORT" "$W/stty"
	tm_wait_mode t 'eol = ^]' 10
	tm_type t "sent"
	tm_keys t Enter
	wait_got quiet 'sent\n'
	tm_type t "not sent"
	local t0 t1
	t0=$(now)
	tm_keys t 'C-]'
	tm_wait_screen t '^status=' 5
	t1=$(now)
	elapsed_between "$t0" "$t1" 0 1
	tm_screen t | grep -qx 'status=0'
	wait_got quiet 'sent\n'
	# The end-of-line character is put back as it was.
	wait_for_file "$W/stty" 5
	grep -q 'eol = <undef>' "$W/stty"
}

@test "tty: escape=none sends Ctrl-] as a byte, with and without editing" {
	need_edit
	peer ed record
	tm_start ed "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" stdio,escape=none
	tm_wait_mode ed -icanon 10
	tm_type ed "a"
	tm_keys ed 'C-]'
	tm_type ed "b"
	tm_keys ed Enter
	wait_got ed 'a\035b\n'
	# It goes on: Ctrl-D on the empty line ends it.
	tm_keys ed C-d
	tm_wait_dead ed 10
	[[ $TM_STATUS == 0 ]]

	peer raw record
	tm_start raw "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" \
	    stdio,escape=none,noedit
	# The terminal keeps its modes (no escape key): keys typed early wait
	# in its line buffer.
	tm_type raw "c"
	tm_keys raw 'C-]'
	tm_type raw "d"
	tm_keys raw Enter
	wait_got raw 'c\035d\n'
	tm_keys raw C-d
	tm_wait_dead raw 10
	[[ $TM_STATUS == 0 ]]
}

@test "tty: escape=^A makes Ctrl-A the escape key and Ctrl-] an ordinary key" {
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" 'stdio,escape=^A'
	tm_ready t
	tm_type t "x"
	tm_keys t 'C-]'
	tm_keys t Enter
	wait_got rec 'x\035\n'
	tm_keys t C-a
	tm_wait_dead t 5
	[[ $TM_STATUS == 0 ]]
	wait_got rec 'x\035\n'
}

@test "tty: the server's lines appear above the line being typed, which stays whole" {
	need_edit
	peer tick ticks
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode t -icanon 10
	tm_type t "typed while"
	tm_wait_screen t '^tick 8$' 10
	# Every tick on a row of its own, the typed text on the last row.
	[[ $(tm_screen t | grep -c '^tick [1-8]$') == 8 ]]
	[[ $(last_row t) == "typed while" ]]
	tm_type t " ticking"
	tm_keys t Enter
	wait_got tick 'typed while ticking\n'
	tm_keys t 'C-]'
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
}

@test "tty: the server's unfinished line is the prompt of the line typed" {
	need_edit
	peer pw prompt
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode t -icanon 10
	tm_wait_screen t '^Password: $|^Password:$' 10
	tm_type t "secret"
	tm_wait_screen t '^Password: secret$' 10
	tm_keys t Enter
	wait_got pw 'secret\n'
	tm_keys t 'C-]'
	tm_wait_dead t 10
	# The prompt was shown once, before the line.
	tm_screen t
	[[ $(tm_screen t | grep -c 'Password:') == 1 ]]
}

@test "tty: prompt= is shown before the line and not sent" {
	need_edit
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" 'stdio,prompt=sc> '
	tm_wait_mode t -icanon 10
	tm_wait_screen t '^sc> ?$' 10
	tm_type t "hi"
	tm_wait_screen t '^sc> hi$' 10
	tm_keys t Enter
	wait_got rec 'hi\n'
	tm_keys t 'C-]'
	tm_wait_dead t 10
}

@test "tty: Ctrl-D on an empty line is a half-close; the answer still comes" {
	need_edit
	peer half eofreply
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_wait_mode t -icanon 10
	tm_type t "12345"
	tm_keys t Enter
	wait_got half '12345\n'
	# Ctrl-D on a line that is not empty does not end the input.
	tm_type t "ab"
	tm_keys t C-d
	tm_keys t BSpace BSpace
	tm_keys t C-d
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
	tm_screen t | grep -qx 'got 6 bytes'
	[[ $(last_row t) == "sockcat: tcp:127.0.0.1:$PEER_PORT: connection closed by peer" ]]
}

@test "tty: noedit sends the keys as the terminal gives them" {
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" stdio,noedit
	tm_wait_mode t 'eol = ^]' 10
	tm_type t "ab"
	tm_keys t Left
	tm_type t "c"
	tm_keys t Enter
	# No editing: the Left key reaches the server as its escape sequence.
	wait_got rec 'ab\033[Dc\n'
	tm_keys t C-d
	tm_wait_dead t 10
	[[ $TM_STATUS == 0 ]]
}

@test "tty: chat: two terminals edit lines, see each other's, and one leaving ends both" {
	need_edit
	local port
	tm_start a "$SOCKCAT" -v tcp-listen:127.0.0.1:0
	tm_wait_screen a 'listening on ' 10
	port=$(tm_screen a | sed -nE 's/.*listening on .*:([0-9]+)$/\1/p')
	[[ -n $port ]]
	tm_start b "$SOCKCAT" "tcp:127.0.0.1:$port"
	tm_wait_mode a -icanon 10
	tm_wait_mode b -icanon 10
	tm_type a "hello from a"
	tm_keys a Enter
	tm_wait_screen b '^hello from a$' 10
	# b is typing when a's next line comes: it goes above b's line.
	tm_type b "half a li"
	tm_type a "second from a"
	tm_keys a Enter
	tm_wait_screen b '^second from a$' 10
	[[ $(last_row b) == "half a li" ]]
	tm_type b "ne from b"
	tm_keys b Enter
	tm_wait_screen a '^half a line from b$' 10
	# b leaves with the escape key: a is told and ends too.
	tm_keys b 'C-]'
	tm_wait_dead b 10
	[[ $TM_STATUS == 0 ]]
	tm_wait_dead a 10
	[[ $TM_STATUS == 0 ]]
	tm_screen a | grep -qx "sockcat: tcp-listen:127.0.0.1:0: connection closed by peer"
	[[ $(last_row a) == "sockcat: session end: "* ]]
}

@test "tty: escape=0x01 is Ctrl-A too; bad escape values are usage errors" {
	peer rec record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT" stdio,escape=0x01
	tm_ready t
	tm_keys t C-a
	tm_wait_dead t 5
	[[ $TM_STATUS == 0 ]]
	local v
	for v in '^1' '0x100' '0x' 'ab' 'nonex'; do
		assert_usage "escape" -- tcp:127.0.0.1:9 "stdio,escape=$v"
	done
	assert_usage "escape" -- tcp:127.0.0.1:9 "stdio,escape="
	assert_usage "does not apply to tcp" -- tcp:127.0.0.1:9,escape=^A
	assert_usage "does not apply to tcp-listen" -- tcp-listen:0,telnet
}

@test "tty: libedit is loaded at a terminal only; -V says it is built in" {
	run -0 sc -V
	[[ $output == *"line editing: libedit ("*")"* ]] ||
	    skip "built without libedit"
	# Standard input a pipe: the library is not even in the process.
	peer pipe record
	mkfifo "$W/in"
	start_bg p -i "$W/in" "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	local pid=$BG_PID kbd
	exec {kbd}>"$W/in"
	echo piped >&"$kbd"
	wait_got pipe 'piped\n'
	! grep -q libedit "/proc/$pid/maps"
	exec {kbd}>&-
	wait_exit "$pid" 10
	# At a terminal it is.
	peer term record
	tm_start t "$SOCKCAT" "tcp:127.0.0.1:$PEER_PORT"
	tm_ready t
	pid=$(pgrep -f -n -- "^$SOCKCAT tcp:127.0.0.1:$PEER_PORT\$")
	grep -q libedit "/proc/$pid/maps"
	tm_keys t 'C-]'
	tm_wait_dead t 10
}

@test "tty: Ctrl-Z and fg: the terminal is set up again, editing goes on" {
	need_edit
	peer rec record
	# An interactive shell with job control runs sockcat; without
	# readline, so that its prompt leaves the terminal in canonical mode.
	tm_start t env PS1='$ ' bash --norc --noprofile --noediting -i
	tm_wait_screen t '^\$' 10
	tm_type t "$SOCKCAT tcp:127.0.0.1:$PEER_PORT"
	tm_keys t Enter
	tm_wait_mode t -icanon 10
	tm_type t "abc"
	# Read and echoed first: a Ctrl-Z flushes what is still unread.
	tm_wait_screen t 'abc$' 10
	tm_keys t C-z
	tm_wait_screen t 'Stopped' 10
	tm_wait_mode t ' icanon' 10
	tm_type t "fg"
	tm_keys t Enter
	# Raw mode again, from the SIGCONT handler, before any key.
	tm_wait_mode t -icanon 10
	tm_type t "def"
	tm_keys t Left
	tm_type t "X"
	tm_keys t Enter
	wait_got rec 'abcdeXf\n'
	tm_keys t 'C-]'
	tm_wait_screen t '^\$ $' 10
}
