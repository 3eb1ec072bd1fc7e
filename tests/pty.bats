#!/usr/bin/env bats
# pty.bats: programs and terminals (issue 15): exec/system with pty, ctty,
# setsid, stderr, the termios options raw, echo=, opost= on the program's
# terminal, and the pty address with link= and wait-slave.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# A python3 user of a terminal: open PATH, write LINE, print what comes
# back up to the first newline, close.
PTY_USER='
import os, sys, select
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
os.write(fd, sys.argv[2].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        break
    b = os.read(fd, 100)
    if not b:
        break
    buf += b
sys.stdout.write(buf.decode().replace("\r", ""))
os.close(fd)
'

# A program that answers each line at once: "<LINE>".
ANSWER='system:while read -r l; do echo "<$l>"; done'

# stty_has WORD: the stty -a listing in $output shows WORD (echo, -echo).
stty_has()
{
	tr ' ' '\n' <<<"$output" | grep -qx -- "$1"
}

@test "pty: exec with pty runs the program on a terminal" {
	run -0 sc -U - 'system:tty; test -t 0 && echo isatty',pty </dev/null
	[[ $output == *"/dev/pts/"* && $output == *isatty* ]]
	# Without pty: pipes.
	run -0 sc -U - 'system:test -t 0 || echo pipe',pipes </dev/null
	[[ $output == pipe ]]
}

@test "pty: raw, echo=0 and opost=0 set the program's terminal" {
	run -0 sc -U - 'system:stty -a',pty </dev/null
	stty_has echo && stty_has icanon && stty_has opost
	run -0 sc -U - 'system:stty -a',pty,raw </dev/null
	stty_has -echo && stty_has -icanon
	run -0 sc -U - 'system:stty -a',pty,echo=0 </dev/null
	stty_has -echo && stty_has icanon
	run -0 sc -U - 'system:stty -a',pty,opost=0 </dev/null
	stty_has -opost && stty_has echo
	# The effect: echo=0 sends our input back only once, from cat.
	run -0 sc -t 0.5 - exec:cat,pty,echo=0 <<<"once"
	[[ $output == "once"$'\r' ]]
	run -0 sc -t 0.5 - exec:cat,pty <<<"twice"
	[[ $(grep -c twice <<<"$output") -eq 2 ]]
}

@test "pty: setsid starts a new session; ctty makes the terminal its own" {
	run -0 sc -U - \
	    'exec:python3 -c "import os; print(os.getsid(0) == os.getpid())"',setsid </dev/null
	[[ $output == True ]]
	run -0 sc -U - \
	    'exec:python3 -c "import os; print(os.getsid(0) == os.getpid())"' </dev/null
	[[ $output == False ]]
	# /dev/tty opens only with a controlling terminal.
	run -0 sc -U - \
	    'system:(: </dev/tty) 2>/dev/null && echo has-ctty || echo no-ctty',pty,setsid </dev/null
	[[ $output == *no-ctty* ]]
	run -0 sc -U - \
	    'system:(: </dev/tty) 2>/dev/null && echo has-ctty || echo no-ctty',pty,ctty </dev/null
	[[ $output == *has-ctty* ]]
}

@test "pty: stderr sends the program's stderr along" {
	run -0 --separate-stderr sc -U - 'system:echo oops >&2',stderr </dev/null
	[[ $output == oops && -z $stderr ]]
	run -0 --separate-stderr sc -U - 'system:echo oops >&2' </dev/null
	[[ -z $output && $stderr == oops ]]
	# On a pty, too.
	run -0 sc -U - 'system:echo tty-err >&2',pty,stderr </dev/null
	[[ $output == *tty-err* ]]
}

@test "pty: the pty address with link= relays a program on the terminal" {
	start_bg p "$SOCKCAT" -v pty,link="$W/tty",raw,echo=0 "$ANSWER"
	wait_for_file "$W/tty" 10
	[[ -L $W/tty && $(readlink "$W/tty") == /dev/pts/* ]]
	run -0 timeout 10 python3 -c "$PTY_USER" "$W/tty" "hello"
	[[ $output == "<hello>" ]]
	# unlink-close (the default) removes the link at the end.
	kill -TERM "$BG_PID"
	wait_exit "$BG_PID" 5
	[[ ! -e $W/tty && ! -L $W/tty ]]
}

@test "pty: wait-slave opens ADDRESS2 only once the terminal is opened" {
	start_bg p "$SOCKCAT" -v pty,link="$W/tty",raw,echo=0,wait-slave \
	    "system:touch $W/started; ${ANSWER#system:}"
	wait_for_file "$W/tty" 10
	sleep 0.5
	[[ ! -e $W/started ]]
	run -0 timeout 10 python3 -c "$PTY_USER" "$W/tty" "wait"
	[[ $output == "<wait>" ]]
	[[ -e $W/started ]]
	# The last user closed the terminal: the session ends.
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
}

@test "pty: without wait-slave the session outlives a user of the terminal" {
	start_bg p "$SOCKCAT" -v pty,link="$W/tty",raw,echo=0 \
	    "system:touch $W/started; ${ANSWER#system:}"
	wait_for_file "$W/started" 10
	run -0 timeout 10 python3 -c "$PTY_USER" "$W/tty" "1"
	run -0 timeout 10 python3 -c "$PTY_USER" "$W/tty" "2"
	[[ $output == "<2>" ]]
	is_alive "$BG_PID"
}
