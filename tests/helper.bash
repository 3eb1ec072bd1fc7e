# helper.bash: shared setup, background-process and wait helpers for the bats suite.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# Every test file starts with `load helper`.  Rules kept here:
# - ports come from the kernel (listen on port 0, read the -v "listening on"
#   line, or let a python3 peer bind port 0 and print its port);
# - every wait is a bounded poll loop, never a bare sleep;
# - every command runs under `timeout`;
# - background processes are started by start_bg only, and teardown kills
#   exactly those PIDs (TERM, bounded wait, KILL), never by name.

bats_require_minimum_version 1.5.0

: "${SOCKCAT:=$BATS_TEST_DIRNAME/../sockcat}"
: "${SRCDIR:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
# The TLS module of an uninstalled build sits next to the binary (make
# check sets SOCKCAT_TLS_MODULE itself).
if [[ -z ${SOCKCAT_TLS_MODULE:-} &&
    -f $(dirname -- "${SOCKCAT_REAL:-$SOCKCAT}")/sockcat-tls.so ]]; then
	SOCKCAT_TLS_MODULE=$(dirname -- "${SOCKCAT_REAL:-$SOCKCAT}")/sockcat-tls.so
	export SOCKCAT_TLS_MODULE
fi

# Upper bound, in seconds, for any single foreground command.
TMO=${SOCKCAT_TEST_TIMEOUT:-20}

# ---------------------------------------------------------------------------
# setup / teardown

# Per-test setup: check the binary, make a short directory for unix sockets
# (sun_path holds only 108 bytes) and reset the list of background PIDs.
common_setup()
{
	if [[ ! -x $SOCKCAT ]]; then
		echo "SOCKCAT=$SOCKCAT is not an executable; build it first" >&2
		return 1
	fi
	SOCKDIR=$(mktemp -d /tmp/sc.XXXXXX)
	BG_PIDS=()
	BG_PID=
	W=$BATS_TEST_TMPDIR
}

# Per-test teardown: stop what start_bg started, remove the socket dir.
common_teardown()
{
	kill_bg
	if [[ -n ${SOCKDIR:-} && $SOCKDIR == /tmp/sc.* ]]; then
		rm -rf -- "$SOCKDIR"
	fi
}

# Default hooks; a file that needs more defines its own and calls these.
setup()
{
	common_setup
}

teardown()
{
	common_teardown
}

# ---------------------------------------------------------------------------
# background processes

# is_alive PID: true while PID exists and is not a zombie.
is_alive()
{
	local st
	kill -0 "$1" 2>/dev/null || return 1
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z && $st != X ]]
}

# start_bg NAME [-i INPUT] CMD [ARGS...]
# Start CMD in the background with stdin from INPUT (default /dev/null),
# stdout in $W/NAME.out and stderr in $W/NAME.err.  All descriptors above 2
# are closed first, so bats' fd 3 and the test's fifo ends do not leak into
# it.  Sets BG_PID and records it in BG_PIDS (and in $W/.bg_pids, in case
# the caller runs in a subshell).  Wrap CMD in `timeout` yourself when it
# should end on its own; teardown kills it anyway.
start_bg()
{
	local name=$1 input=/dev/null
	shift
	if [[ $1 == -i ]]; then
		input=$2
		shift 2
	fi
	(
		local f n
		for f in /proc/$BASHPID/fd/*; do
			n=${f##*/}
			if ((n > 2)); then
				eval "exec $n>&-" 2>/dev/null
			fi
		done
		exec "$@" <"$input" >"$W/$name.out" 2>"$W/$name.err"
	) &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
	echo "$BG_PID" >>"$W/.bg_pids"
}

# kill_pid PID: TERM, wait up to 3 s, then KILL.  When PID leads its own
# process group (timeout(1) makes one), the group gets the KILL too, so a
# program started under `timeout` cannot outlive it.
kill_pid()
{
	local pid=$1 pgid i
	is_alive "$pid" || return 0
	pgid=$(awk '{ print $5 }' "/proc/$pid/stat" 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		is_alive "$pid" || break
		sleep 0.05
	done
	if is_alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null
	fi
	if [[ $pgid == "$pid" ]]; then
		kill -KILL -- "-$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# kill_bg: kill every process start_bg recorded in this test.
kill_bg()
{
	local pid
	local -a pids=("${BG_PIDS[@]}")
	if [[ -f $W/.bg_pids ]]; then
		mapfile -t -O "${#pids[@]}" pids <"$W/.bg_pids"
	fi
	for pid in "${pids[@]}"; do
		[[ -n $pid ]] && kill_pid "$pid"
	done
	BG_PIDS=()
	rm -f "$W/.bg_pids"
}

# wait_exit PID SECS: wait at most SECS for a start_bg process to end; set
# BG_STATUS to its exit status.  Returns 1 (and prints) when it is still
# running.
wait_exit()
{
	local pid=$1 secs=${2:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i < n; i++)); do
		is_alive "$pid" || break
		sleep 0.05
	done
	if is_alive "$pid"; then
		echo "process $pid still running after ${secs}s" >&2
		return 1
	fi
	BG_STATUS=0
	wait "$pid" || BG_STATUS=$?
	return 0
}

# child_pid PID: the first child of PID (the program timeout(1) runs).
child_pid()
{
	local c i
	for ((i = 0; i < 100; i++)); do
		c=$(cat /proc/"$1"/task/*/children 2>/dev/null)
		c=${c%% *}
		c=${c//[^0-9]/}
		if [[ -n $c ]]; then
			echo "$c"
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------------------
# bounded waits

# wait_for_line FILE REGEX SECS: poll (0.05 s steps) until a line of FILE
# matches the extended REGEX.  On timeout print FILE and return 1.
wait_for_line()
{
	local file=$1 re=$2 secs=${3:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		if [[ -f $file ]] && grep -Eq -- "$re" "$file"; then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for /$re/ in $file:" >&2
	cat "$file" >&2 2>/dev/null
	return 1
}

# wait_for_size FILE BYTES SECS: poll until FILE holds at least BYTES.
wait_for_size()
{
	local file=$1 size=$2 secs=${3:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		if [[ -f $file ]] && (($(stat -c %s "$file") >= size)); then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for $file to hold $size bytes" >&2
	return 1
}

# wait_for_port PORT SECS: poll /proc/net/tcp{,6} until something listens
# on TCP PORT.  Reading /proc does not connect, so a one-shot listener is
# not used up by the check.
wait_for_port()
{
	local port=$1 secs=${2:-10} hex n i
	hex=$(printf '%04X' "$port")
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		if awk -v h=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == h \
		    { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 \
		    2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for a listener on port $port" >&2
	return 1
}

# wait_for_file PATH SECS: poll until PATH exists (a unix socket, a file).
wait_for_file()
{
	local path=$1 secs=${2:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		[[ -e $path ]] && return 0
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for $path" >&2
	return 1
}

# ---------------------------------------------------------------------------
# ports and listeners

# listen_port FILE: the port of the first -v "listening on" line of FILE.
listen_port()
{
	sed -nE 's/.*listening on .*:([0-9]+)$/\1/p' "$1" | head -n 1
}

# free_port: a TCP port nobody listens on right now, for peers that cannot
# report a kernel-chosen port (and for "connection refused" tests).
free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_listener NAME [FLAGS...] ADDRESS1 [ADDRESS2]
# Start `sockcat -v ARGS` in the background and wait for its "listening on"
# line.  Sets PORT (for IP listeners) and LPID (the sockcat process, child
# of timeout) besides BG_PID.
start_listener()
{
	local name=$1
	shift
	start_bg "$name" timeout 120 "$SOCKCAT" -v "$@"
	wait_for_line "$W/$name.err" 'listening on ' 10 || return 1
	PORT=$(listen_port "$W/$name.err")
	LPID=$(child_pid "$BG_PID")
}

# sc ARGS...: run sockcat under timeout in the foreground.
sc()
{
	timeout "$TMO" "$SOCKCAT" "$@"
}

# ---------------------------------------------------------------------------
# data

# make_bigfile: 64 MiB of random bytes in $BATS_FILE_TMPDIR/big.bin, made
# once per file; sets BIG and BIG_SHA.
make_bigfile()
{
	BIG=$BATS_FILE_TMPDIR/big.bin
	if [[ ! -f $BIG ]]; then
		head -c 64M /dev/urandom >"$BIG.tmp" && mv "$BIG.tmp" "$BIG"
	fi
	BIG_SHA=$(sha256sum <"$BIG")
	BIG_SHA=${BIG_SHA%% *}
	export BIG BIG_SHA
}

# sha FILE: the sha256 of FILE, hex only.
sha()
{
	local s
	s=$(sha256sum <"$1")
	echo "${s%% *}"
}

# now: wall clock in seconds with decimals.
now()
{
	date +%s.%N
}

# elapsed_between T0 T1 MIN MAX: true when MIN <= T1 - T0 <= MAX.
elapsed_between()
{
	awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" \
	    'BEGIN { d = b - a; print "elapsed " d " s" > "/dev/stderr";
	    exit !(d >= lo && d <= hi) }'
}

# have_ipv6: true when ::1 is configured on lo.
have_ipv6()
{
	[[ -r /proc/net/if_inet6 ]] &&
	    grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6
}

# ---------------------------------------------------------------------------
# python3 peers: each binds port 0 and writes its port to a file, so the
# test waits for that file instead of guessing.

# HTTP server on 127.0.0.1:0 serving DIR; writes the port to PORTFILE.
# usage: start_http_server NAME DIR PORTFILE
start_http_server()
{
	start_bg "$1" timeout 120 python3 -c '
import functools, http.server, os, sys
d, pf = sys.argv[1], sys.argv[2]
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=d)
class S(http.server.ThreadingHTTPServer):
    daemon_threads = True
srv = S(("127.0.0.1", 0), h)
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(pf + ".tmp", pf)
srv.serve_forever()
' "$2" "$3"
	wait_for_line "$3" '^[0-9]+$' 10
}

# A TCP server on 127.0.0.1:0 running one of a few behaviours on each
# connection (serially), writing its port to PORTFILE.
# usage: start_py_tcp NAME PORTFILE MODE [ARGS...]
# MODE:
#   peer OUT         write "ADDR PORT" of each peer to OUT, then echo data
#   reset N          read N bytes, then close with SO_LINGER 0 (a RST)
#   throttle OUT R   read all at R bytes/s (64 KiB chunks), write count to OUT
#   sink OUT         read all, write the byte count to OUT
#   fullbacklog      listen(0), fill the accept queue, never accept
start_py_tcp()
{
	local name=$1 pf=$2
	shift 2
	start_bg "$name" timeout 120 python3 -c '
import os, socket, struct, sys, time
pf, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
hold = []
if mode == "fullbacklog":
    s.listen(0)
    port = s.getsockname()[1]
    for i in range(4):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        hold.append(c)
    time.sleep(0.3)
else:
    s.listen(16)
def report():
    with open(pf + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(pf + ".tmp", pf)
report()
if mode == "fullbacklog":
    time.sleep(1000)
while True:
    c, a = s.accept()
    if mode == "peer":
        with open(args[0], "a") as f:
            f.write("%s %d\n" % a)
        while True:
            d = c.recv(65536)
            if not d:
                break
            c.sendall(d)
        c.close()
    elif mode == "reset":
        n = int(args[0])
        got = 0
        while got < n:
            d = c.recv(n - got)
            if not d:
                break
            got += len(d)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        c.close()
    elif mode in ("throttle", "sink"):
        rate = float(args[1]) if mode == "throttle" else 0
        total = 0
        t0 = time.monotonic()
        while True:
            d = c.recv(65536)
            if not d:
                break
            total += len(d)
            if rate:
                ahead = total / rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
        c.close()
        with open(args[0] + ".tmp", "w") as f:
            f.write("%d\n" % total)
        os.rename(args[0] + ".tmp", args[0])
' "$pf" "$@"
	wait_for_line "$pf" '^[0-9]+$' 10
}

# UDP server on $PY_HOST:0 (default 127.0.0.1; ::1 makes it IPv6): records
# the size of every datagram it receives (one per line in SIZES), and after
# COUNT datagrams waits DELAY seconds and sends one datagram per size in
# REPLY (comma-separated sizes, or a literal text prefixed with "text:")
# back to the last sender.  Then starts over.
# usage: [PY_HOST=::1] start_py_udp NAME PORTFILE SIZES COUNT DELAY REPLY
start_py_udp()
{
	local name=$1
	shift
	start_bg "$name" timeout 120 python3 -c '
import os, socket, sys, time
pf, sizes, count, delay, reply, host = sys.argv[1:7]
count, delay = int(count), float(delay)
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
    socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind((host, 0))
with open(pf + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(pf + ".tmp", pf)
while True:
    for i in range(count):
        d, a = s.recvfrom(70000)
        with open(sizes, "a") as f:
            f.write("%d\n" % len(d))
    time.sleep(delay)
    if reply.startswith("text:"):
        s.sendto(reply[5:].encode(), a)
    else:
        for n in reply.split(","):
            s.sendto(bytes((i * 7) % 251 for i in range(int(n))), a)
' "$@" "${PY_HOST:-127.0.0.1}"
	wait_for_line "$1" '^[0-9]+$' 10
}

# py_udp_client PORT SIZES COUNT: send one datagram per size (comma list) to
# $PY_HOST:PORT (default 127.0.0.1) from one socket, then print the size of
# each of COUNT datagrams received back on it (5 s bound each), one a line.
py_udp_client()
{
	timeout "$TMO" python3 -c '
import socket, sys
port, sizes, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
host = sys.argv[4]
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
    socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.settimeout(5)
for n in sizes.split(","):
    s.sendto(bytes((i * 3) % 253 for i in range(int(n))), (host, port))
for i in range(count):
    d = s.recv(70000)
    print(len(d), flush=True)
' "$@" "${PY_HOST:-127.0.0.1}"
}

# py_reset_client PORT: connect, send a few bytes, then reset the connection
# (SO_LINGER 0) without reading.
py_reset_client()
{
	timeout "$TMO" python3 -c '
import socket, struct, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"garbage\x00\xff\r\n" * 100)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
' "$1"
}

# py_recv_all PORT: connect to 127.0.0.1:PORT, send nothing, print what the
# server sends until it closes (so the server side closes first).
py_recv_all()
{
	timeout "$TMO" python3 -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
while True:
    d = c.recv(65536)
    if not d:
        break
    sys.stdout.buffer.write(d)
c.close()
' "$1"
}

# strip_http FILE: the body of the HTTP response in FILE (after the first
# blank line), byte for byte, on stdout.
strip_http()
{
	python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"\r\n\r\n")
sys.stdout.buffer.write(d[i + 4:] if i >= 0 else b"")
' "$1"
}

# ---------------------------------------------------------------------------
# assertions

# assert_usage ADDRTEXT -- ARGS...: sockcat ARGS exits 2 with nothing on
# stdout and exactly one stderr line that starts with "sockcat: " and
# contains ADDRTEXT (pass "" when no address is involved).
assert_usage()
{
	local want=$1
	shift
	[[ $1 == -- ]] && shift
	run -2 --separate-stderr timeout 10 "$SOCKCAT" "$@" </dev/null
	assert_one_error "$want"
	if [[ -n $output ]]; then
		echo "stdout not empty: $output" >&2
		return 1
	fi
}

# assert_one_error TEXT: after `run --separate-stderr`, stderr is exactly one
# line, starting with "sockcat: " and containing TEXT.
assert_one_error()
{
	local want=$1
	if ((${#stderr_lines[@]} != 1)); then
		echo "want exactly one stderr line, got ${#stderr_lines[@]}:" >&2
		printf '%s\n' "${stderr_lines[@]}" >&2
		return 1
	fi
	if [[ ${stderr_lines[0]} != "sockcat: "* ]]; then
		echo "stderr does not start with 'sockcat: ': $stderr" >&2
		return 1
	fi
	if [[ -n $want && $stderr != *"$want"* ]]; then
		echo "stderr does not name '$want': $stderr" >&2
		return 1
	fi
}

# assert_no_crash: after `run`, the status is a normal exit, not a
# signal (>= 128) nor timeout(1)'s 124.
assert_no_crash()
{
	if ((status >= 124)); then
		echo "status $status (timeout or signal) for: $*" >&2
		return 1
	fi
}

# tcp_attempt_fails: the kernel's count of failed active TCP opens in this
# network namespace (refused connects among them).
tcp_attempt_fails()
{
	awk '$1 == "Tcp:" && $8 ~ /^[0-9]+$/ { print $8 }' /proc/net/snmp
}

# wait_for_counter FUNC N SECS: poll until the number FUNC prints is >= N.
wait_for_counter()
{
	local fn=$1 want=$2 secs=${3:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		(($($fn) >= want)) && return 0
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for $fn >= $want" >&2
	return 1
}

# wait_for_lines FILE N SECS: poll until FILE has at least N lines.
wait_for_lines()
{
	local file=$1 want=$2 secs=${3:-10} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		if [[ -f $file ]] && (($(wc -l <"$file") >= want)); then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for $want lines in $file" >&2
	return 1
}

# assert_dead PID SECS: PID ends within SECS, else fail.
assert_dead()
{
	local pid=$1 secs=${2:-5} n i
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((i = 0; i <= n; i++)); do
		is_alive "$pid" || return 0
		sleep 0.05
	done
	echo "process $pid still running after ${secs}s:" >&2
	tr '\0' ' ' <"/proc/$pid/cmdline" >&2
	echo >&2
	return 1
}

# Note for test authors: bats 1.8's `run` assigns a variable named `i`
# without declaring it local, which clobbers a loop counter `i` of the
# calling test.  Tests use other names (k) for loop counters around `run`.

# children_of PID: the PIDs of PID's live (non-zombie) children, one a line.
children_of()
{
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		is_alive "$c" && echo "$c"
	done
	return 0
}

# zombies_of PID: how many zombie children PID has.
zombies_of()
{
	local c n=0 st
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		st=$(awk '{ print $3 }' /proc/"$c"/stat 2>/dev/null)
		[[ $st == Z ]] && n=$((n + 1))
	done
	echo "$n"
}

# ---------------------------------------------------------------------------
# terminals: sockcat at a real terminal, the pane of a private tmux server
# (issue 13). The server's socket is $W/tmux.sock; tm_kill, called from the
# teardown of a file that uses these, ends that server and nothing else.

# tm_need: skip the test when tmux is missing.
tm_need()
{
	command -v tmux >/dev/null ||
	    skip "tmux is not installed (apt-get install tmux)"
}

# tm ARGS...: a command to the test's own tmux server.
tm()
{
	timeout 10 tmux -S "$W/tmux.sock" -f "$W/tmux.conf" "$@"
}

# tm_start NAME CMD [ARGS...]: a session NAME whose one pane, a 100x30
# terminal, runs CMD (no shell) under sh, which writes its exit status to
# $W/NAME.status for tm_wait_dead (tmux itself may miss the exit of a
# program that ends at once). The pane stays when CMD exits, for
# tm_screen.
tm_start()
{
	local name=$1
	shift
	if [[ ! -f $W/tmux.conf ]]; then
		printf '%s\n' 'set -g remain-on-exit on' \
		    'set -g history-limit 10000' 'set -s escape-time 0' \
		    >"$W/tmux.conf"
	fi
	rm -f "$W/$name.status"
	tm new-session -d -s "$name" -x 100 -y 30 \
	    sh -c '"$@"; echo "$?" >"$0.tmp"; mv "$0.tmp" "$0"' \
	    "$W/$name.status" "$@"
}

# tm_keys NAME KEY...: press keys in NAME's pane (tmux key names: Enter,
# Left, Up, C-], ...); tm_type NAME TEXT types TEXT as it stands.
tm_keys()
{
	local name=$1
	shift
	tm send-keys -t "$name" "$@"
}

tm_type()
{
	tm send-keys -t "$1" -l "$2"
}

# tm_screen NAME: what NAME's pane shows, history included (tmux may
# scroll the first rows out of a new pane), one line per row (wrapped rows
# joined), trailing blanks cut.
tm_screen()
{
	tm capture-pane -p -J -S - -t "$1"
}

# tm_wait_screen NAME REGEX SECS: poll until a row of NAME's screen
# matches the extended REGEX; on time-out print the screen, return 1.
tm_wait_screen()
{
	local name=$1 re=$2 secs=${3:-10} n k
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((k = 0; k <= n; k++)); do
		tm_screen "$name" | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for /$re/ on the screen:" >&2
	tm_screen "$name" >&2
	return 1
}

# tm_wait_mode NAME WORD SECS: poll until `stty -a` of NAME's terminal
# shows WORD (-icanon: line editing has the terminal; "eol = ^]": the
# escape key is set without editing), so keys are not typed too early.
tm_wait_mode()
{
	local name=$1 word=$2 secs=${3:-10} tty n k
	tty=$(tm display -p -t "$name" '#{pane_tty}')
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
	for ((k = 0; k <= n; k++)); do
		stty -a -F "$tty" 2>/dev/null | grep -qF -- "$word" && return 0
		sleep 0.05
	done
	echo "timed out after ${secs}s waiting for '$word' in stty -a:" >&2
	stty -a -F "$tty" >&2
	return 1
}

# tm_wait_dead NAME SECS: wait until the program of NAME's pane has ended;
# TM_STATUS is its exit status. Returns 1 (with the screen) on time-out.
tm_wait_dead()
{
	local name=$1 secs=${2:-10} n k
	n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 50 }')
	for ((k = 0; k <= n; k++)); do
		if [[ -s $W/$name.status ]]; then
			TM_STATUS=$(cat "$W/$name.status")
			return 0
		fi
		sleep 0.02
	done
	echo "$name still running after ${secs}s:" >&2
	tm_screen "$name" >&2
	return 1
}

# tm_kill: end the test's tmux server, if it started one.
tm_kill()
{
	if [[ -S $W/tmux.sock ]]; then
		tm kill-server 2>/dev/null || true
	fi
}

# sanitized: true when the binary under test is built with ASan (make
# check of --enable-sanitize): its memory figures mean nothing, and
# LeakSanitizer cannot run under ptrace (strace).
sanitized()
{
	grep -q __asan_init "${SOCKCAT_REAL:-$SOCKCAT}" 2>/dev/null
}
