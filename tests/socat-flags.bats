#!/usr/bin/env bats
# socat-flags.bats: socat's flags (-lf, -ls, -lp, -lu, -lh, -lm, -ly, -s,
# -d four times), seconds to the microsecond, and the socat grammar and
# listener options of issue 15: retry=, forever and accept-timeout= on
# listeners, range=, sourceport=, lowport, fork on a client and on ADDRESS2,
# end-close, nofork, the tcp4-connect family of aliases.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# The socat log line: date, time, program[pid], severity letter, message.
SOCAT_LINE='^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'

# A refused connect gives one error line to look at.
refused()
{
	echo "tcp:127.0.0.1:$(free_port)"
}

# ---------------------------------------------------------------------------
# logging flags

@test "socat flags: -ls writes errors in socat's format, E for error" {
	run -4 --separate-stderr sc -ls "$(refused)" </dev/null
	[[ -z $output ]]
	[[ $stderr =~ $SOCAT_LINE\ sockcat\[[0-9]+\]\ E\ tcp:127.0.0.1:[0-9]+:\ connect:\ Connection\ refused$ ]]
	[[ $(grep -c '' <<<"$stderr") -eq 1 ]]
}

@test "socat flags: without them, messages keep sockcat's own format" {
	run -4 --separate-stderr sc "$(refused)" </dev/null
	[[ $stderr == "sockcat: tcp:127.0.0.1:"*": connect: Connection refused" ]]
}

@test "socat flags: -v lines are N, I, D in socat's format" {
	run -0 --separate-stderr sc -ls -d -d -d -d - echo <<<"x"
	[[ $output == x ]]
	grep -Eq "$SOCAT_LINE sockcat\[[0-9]+\] N session end" <<<"$stderr"
	grep -Eq "$SOCAT_LINE sockcat\[[0-9]+\] I end of input" <<<"$stderr"
}

@test "socat flags: -lf FILE sends the messages to FILE, not to stderr" {
	run -4 --separate-stderr sc -lf "$W/log" "$(refused)" </dev/null
	[[ -z $stderr ]]
	grep -Eq "$SOCAT_LINE sockcat\[[0-9]+\] E .*Connection refused$" \
	    "$W/log"
	# Appended, as socat does.
	run -4 --separate-stderr sc -lf "$W/log" "$(refused)" </dev/null
	[[ $(grep -c 'Connection refused' "$W/log") -eq 2 ]]
}

@test "socat flags: -lp NAME names the program in messages" {
	run -4 --separate-stderr sc -lpmyname "$(refused)" </dev/null
	[[ $stderr =~ \ myname\[[0-9]+\]\ E\  ]]
	run -4 --separate-stderr sc -lp other "$(refused)" </dev/null
	[[ $stderr =~ \ other\[[0-9]+\]\ E\  ]]
}

@test "socat flags: -lp NAME is the prefix of the program variables" {
	start_listener srv -lpsocat tcp-listen:127.0.0.1:0 \
	    'system:echo "$SOCAT_PEERADDR $SOCAT_SOCKPORT $SOCKCAT_PEERADDR"'
	run -0 sc tcp:127.0.0.1:"$PORT" </dev/null
	[[ $output == "127.0.0.1 $PORT " ]]
}

@test "socat flags: -lu gives microseconds, -lh the host name" {
	run -4 --separate-stderr sc -lu "$(refused)" </dev/null
	[[ $stderr =~ $SOCAT_LINE\.[0-9]{6}\ sockcat\[ ]]
	run -4 --separate-stderr env HOSTNAME=myhost "$SOCKCAT" -lh \
	    "$(refused)" </dev/null
	[[ $stderr =~ $SOCAT_LINE\ myhost\ sockcat\[ ]]
}

@test "socat flags: -lm logs to stderr until the session starts, -ly never" {
	start_bg lm timeout 20 "$SOCKCAT" -lm -d tcp-listen:127.0.0.1:0 echo
	wait_for_line "$W/lm.err" 'N listening on ' 10
	PORT=$(listen_port "$W/lm.err")
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"mixed"
	[[ $output == mixed ]]
	wait_exit "$BG_PID" 10
	# The session's lines went to syslog, not here.
	! grep -q 'session end' "$W/lm.err"
	run -4 --separate-stderr sc -ly "$(refused)" </dev/null
	[[ -z $stderr ]]
}

@test "socat flags: -d up to four times, and -dddd" {
	run -0 --separate-stderr sc -d -d -d -d - echo <<<"d"
	[[ $output == d ]]
	grep -q 'session end' <<<"$stderr"
	run -0 --separate-stderr sc -dddd - echo <<<"d"
	grep -q 'end of input' <<<"$stderr"
}

@test "socat flags: a wrong two-letter flag is a usage error" {
	run -2 --separate-stderr sc -lx - echo
	[[ $stderr == *"unknown flag -lx"* ]]
	run -2 --separate-stderr sc -lf
	[[ $stderr == *"-lf needs a file name"* ]]
}

# ---------------------------------------------------------------------------
# -s, seconds

@test "socat flags: -s turns an option that cannot be applied into a warning" {
	echo data >"$W/f"
	run -1 --separate-stderr sc -u open:"$W/f",raw -
	[[ $stderr == *"terminal options"*"Inappropriate ioctl"* ]]
	run -0 --separate-stderr sc -s -u open:"$W/f",raw -
	[[ $output == data ]]
	[[ $stderr == *"terminal options"* ]]
}

@test "socat flags: seconds take six decimals; below 1 ms counts as 1 ms" {
	local t0 t1
	t0=$(now)
	# Two microseconds of idleness end the session at once (1 ms).
	run -0 sc -T 0.000002 - 'exec:sleep 5'
	t1=$(now)
	elapsed_between "$t0" "$t1" 0 3
	run -0 sc -t 0.500001 - echo <<<"ok"
	[[ $output == ok ]]
	run -2 --separate-stderr sc -t 0.0000001 - echo
	[[ $stderr == *"expects seconds"* ]]
	run -2 --separate-stderr sc - tcp:127.0.0.1:1,connect-timeout=0.1234567
	run -0 sc - tcp:127.0.0.1:1,connect-timeout=0.123456 </dev/null ||
	    [[ $status -eq 4 ]]
}

# ---------------------------------------------------------------------------
# grammar and aliases

@test "socat flags: tcp4-connect, tcp6-connect, udp4-connect, udp6-connect" {
	start_listener srv tcp-listen:127.0.0.1:0,fork exec:cat
	run -0 sc tcp4-connect:127.0.0.1:"$PORT" <<<"four"
	[[ $output == four ]]
	run -2 --separate-stderr sc tcp4-connect:[::1]:"$PORT"
	start_listener u udp-listen:127.0.0.1:0 exec:cat
	run -0 sc -t 0.5 udp4-connect:127.0.0.1:"$PORT" <<<"udp four"
	[[ $output == "udp four" ]]
	if have_ipv6; then
		start_listener s6 tcp-listen:[::1]:0,fork exec:cat
		run -0 sc tcp6-connect:[::1]:"$PORT" <<<"six"
		[[ $output == six ]]
		start_listener u6 udp-listen:[::1]:0 exec:cat
		run -0 sc -t 0.5 udp6-connect:[::1]:"$PORT" <<<"udp six"
		[[ $output == "udp six" ]]
	fi
}

@test "socat flags: an option word after 'ADDR,' is still a split address" {
	run -2 --separate-stderr sc 'tcp-listen:0,' fork
	[[ $stderr == *"split by a space"* ]]
}

# ---------------------------------------------------------------------------
# listeners: retry, forever, interval, accept-timeout

# hold_port NAME SECS: a python listener holding a TCP port for SECS
# seconds; sets HELD to its port.
hold_port()
{
	start_bg "$1" timeout 20 python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(float(sys.argv[1]))
' "$2"
	wait_for_line "$W/$1.out" '^[0-9]+$' 10
	HELD=$(cat "$W/$1.out")
}

@test "socat flags: retry= and interval= retry a listener's bind" {
	hold_port hold 1
	run -1 --separate-stderr sc -u tcp-listen:127.0.0.1:"$HELD" -
	[[ $stderr == *"Address already in use"* ]]
	start_bg l timeout 20 "$SOCKCAT" -v -u \
	    tcp-listen:127.0.0.1:"$HELD",retry=20,interval=0.2 -
	wait_for_line "$W/l.err" "listening on 127.0.0.1:$HELD" 10
	run -0 sc -u - tcp:127.0.0.1:"$HELD" <<<"after the retry"
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/l.out") == "after the retry" ]]
}

@test "socat flags: forever retries a listener's bind without limit" {
	hold_port hold 1.5
	start_bg l timeout 20 "$SOCKCAT" -v -u \
	    tcp-listen:127.0.0.1:"$HELD",forever,interval=0.1 -
	wait_for_line "$W/l.err" "listening on 127.0.0.1:$HELD" 10
	grep -q 'retrying' "$W/l.err" || true
	run -0 sc -u - tcp:127.0.0.1:"$HELD" <<<"forever"
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/l.out") == forever ]]
}

@test "socat flags: accept-timeout= ends a listener without a peer, status 0" {
	local t0 t1
	t0=$(now)
	run -0 --separate-stderr sc tcp-listen:127.0.0.1:0,accept-timeout=0.3 \
	    echo
	t1=$(now)
	elapsed_between "$t0" "$t1" 0.25 5
	run -0 sc abstract-listen:sc-at-$$,accept-timeout=0.05 echo
}

@test "socat flags: accept-timeout= on a fork listener stops accepting" {
	start_bg l timeout 20 "$SOCKCAT" -v \
	    tcp-listen:127.0.0.1:0,fork,accept-timeout=3 exec:cat
	wait_for_line "$W/l.err" 'listening on' 10
	PORT=$(listen_port "$W/l.err")
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"one"
	[[ $output == one ]]
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
}

# ---------------------------------------------------------------------------
# listeners: range, sourceport, lowport

@test "socat flags: range= takes ADDR/BITS and ADDR:MASK" {
	start_listener a tcp-listen:127.0.0.1:0,fork,range=127.0.0.0/8 \
	    exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"in range"
	[[ $output == "in range" ]]
	start_listener b tcp-listen:127.0.0.1:0,fork,range=127.0.0.2:255.255.255.255 \
	    exec:cat
	run sc tcp:127.0.0.1:"$PORT" <<<"out of range"
	[[ -z $output ]]
	wait_for_line "$W/b.err" 'refused 127.0.0.1:[0-9]+: not in range=' 5
	run -2 --separate-stderr sc tcp-listen:0,range=10.0.0.0:255.0 echo
}

@test "socat flags: sourceport= and lowport refuse other peers" {
	start_listener a tcp-listen:127.0.0.1:0,fork,sourceport=1017 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT",bind=127.0.0.1:1017 <<<"from 1017"
	[[ $output == "from 1017" ]]
	run sc tcp:127.0.0.1:"$PORT" <<<"from elsewhere"
	[[ -z $output ]]
	wait_for_line "$W/a.err" 'is not sourceport=1017' 5
	start_listener b tcp-listen:127.0.0.1:0,fork,lowport exec:cat
	run sc tcp:127.0.0.1:"$PORT" <<<"high"
	[[ -z $output ]]
	wait_for_line "$W/b.err" 'not below 1024' 5
	if [[ $(id -u) -eq 0 ]]; then
		run -0 sc tcp:127.0.0.1:"$PORT",bind=127.0.0.1:1018 <<<"low"
		[[ $output == low ]]
	fi
}

# ---------------------------------------------------------------------------
# fork on a client and on ADDRESS2; end-close; nofork

@test "socat flags: fork on a client serves each connection in a child" {
	# A one-connection server: the first connect works, the second is
	# refused, which ends the forking client with status 4.
	start_listener srv tcp-listen:127.0.0.1:0 'system:echo served'
	run -4 --separate-stderr sc tcp:127.0.0.1:"$PORT",fork \
	    "system:cat >>$W/got"
	[[ $(cat "$W/got") == served ]]
}

@test "socat flags: fork on a listener as ADDRESS2 shares ADDRESS1" {
	start_bg l timeout 20 "$SOCKCAT" -v -U create:"$W/all" \
	    unix-listen:"$SOCKDIR/s",fork,max-children=1
	wait_for_line "$W/l.err" 'listening on' 10
	run -0 sc -u - unix:"$SOCKDIR/s" <<<"first"
	run -0 sc -u - unix:"$SOCKDIR/s" <<<"second"
	wait_for_size "$W/all" 13 10
	[[ $(cat "$W/all") == $'first\nsecond' ]]
}

@test "socat flags: end-close leaves the program running after the session" {
	run -0 sc - "system:exec >&- 2>&-; sleep 1; echo late >$W/late",end-close \
	    </dev/null
	[[ ! -e $W/late ]]
	wait_for_file "$W/late" 10
	# Without it the program is ended with the session.
	run -0 sc - "system:exec >&- 2>&-; sleep 1; echo late >$W/late2" </dev/null
	! wait_for_file "$W/late2" 2
}

@test "socat flags: nofork runs the program in place of sockcat" {
	run -0 sc -u /dev/null 'system:ps -o comm= -p $PPID',nofork
	[[ $output != sockcat* ]]
	run -0 sc -u /dev/null 'system:ps -o comm= -p $PPID'
	[[ $output == sockcat* ]]
	run -0 sc -u /dev/null 'exec:echo "a  b"',nofork
	[[ $output == "a  b" ]]
	run -0 sc - exec:cat,nofork <<<"in place"
	[[ $output == "in place" ]]
}
