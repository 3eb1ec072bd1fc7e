#!/usr/bin/env bats
# dual.bats: dual addresses A!!B (read from A, write to B, each with its
# own options), the types stdin, stdout and stderr, and the read and write
# roles that -u, -U and the halves of a dual address give an address, as
# socat has them (issue 15).
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

@test "dual: -u stdin stdout copies byte for byte" {
	head -c 200000 /dev/urandom >"$W/in"
	sc -u stdin stdout <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "dual: stdin!!stdout and -!!- are standard input and output" {
	head -c 100000 /dev/urandom >"$W/in"
	sc 'stdin!!stdout' echo <"$W/in" >"$W/out1"
	cmp "$W/in" "$W/out1"
	sc -!!- echo <"$W/in" >"$W/out2"
	cmp "$W/in" "$W/out2"
	# As ADDRESS2 too, after other flags.
	sc -t 0.5 echo -!!- <"$W/in" >"$W/out3"
	cmp "$W/in" "$W/out3"
}

@test "dual: stderr is an address that is only written to" {
	run -0 --separate-stderr sc -u - stderr <<<"to stderr"
	[[ -z $output ]]
	[[ $stderr == "to stderr" ]]
}

@test "dual: stdin is only read: nothing is written to standard output" {
	# What echo sends back would go to stdin's output: that direction is
	# off, where stdio would print it.
	run -0 sc -t 0.2 echo stdin <<<"not echoed"
	[[ -z $output ]]
	run -0 sc -t 0.2 echo stdio <<<"echoed"
	[[ $output == echoed ]]
}

@test "dual: each half has its own options (crlf only on the write half)" {
	run -0 sc 'stdin!!stdout,crlf' echo <<<"line"
	[[ $output == $'line\r' ]]
	run -0 sc 'stdin,crlf!!stdout' echo <<<"line"
	[[ $output == line ]]
}

@test "dual: system:...!!open:... reads a program, writes a file" {
	: >"$W/log"
	run -0 sc "system:printf 'from the program\\n'!!open:$W/log" echo \
	    </dev/null
	[[ $(cat "$W/log") == "from the program" ]]
}

@test "dual: fdout= and fdin= of two programs, as socat's test suite" {
	head -c 50000 /dev/urandom | od -An -tx1 >"$W/in"
	sc 'system:cat>&6,fdout=6!!system:cat<&7,fdin=7' echo \
	    <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "dual: a program read from keeps our stdin; one written to, our stdout" {
	# The first half's program reads sockcat's own standard input.
	run -0 sc 'system:tr a-z A-Z!!stdout' echo <<<"keep"
	[[ $output == KEEP ]]
	# The second half's program writes to sockcat's own standard output.
	run -0 sc -u - 'system:tr a-z A-Z' <<<"own"
	[[ $output == OWN ]]
}

@test "dual: -u opens a file only for reading (a FIFO ends with its writer)" {
	mkfifo "$W/fifo"
	start_bg w sh -c "echo through >$W/fifo"
	# Opened for reading and writing, the FIFO would never end.
	run -0 sc -u open:"$W/fifo" -
	[[ $output == through ]]
}

@test "dual: a listener as the read half" {
	start_bg l timeout 20 "$SOCKCAT" -v -u \
	    "tcp-listen:127.0.0.1:0!!stdout" "create:$W/never"
	wait_for_line "$W/l.err" 'listening on' 10
	PORT=$(listen_port "$W/l.err")
	run -0 sc -u - tcp:127.0.0.1:"$PORT" <<<"via the half"
	wait_exit "$BG_PID" 10
	[[ $(cat "$W/never") == "via the half" ]]
}

@test "dual: malformed halves and a second !! are usage errors" {
	run -2 --separate-stderr sc 'stdin!!nosuch:1' echo
	[[ $stderr == *"unknown address type 'nosuch'"* ]]
	run -2 --separate-stderr sc 'stdin!!stdout!!stdout' echo
	[[ $stderr == *"one '!!' per address"* ]]
	run -2 --separate-stderr sc 'tcp-listen:0,fork!!stdout' echo
	[[ $stderr == *"fork does not work in a dual address"* ]]
	# Quoted, !! is part of a command.
	run -0 sc - 'system:"echo a!!b"' </dev/null
	[[ $output == 'a!!b' ]]
}
