#!/usr/bin/env bats
# gopen.bats: gopen and a bare path as an address (socat's GOPEN: chosen by
# the file type), and the file options of issue 15: o-trunc, o-append,
# o-creat, o-excl, o-nonblock, perm= (mode=), user=, unlink-early,
# unlink-close, ignoreeof.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# mode_of FILE: its permission bits in octal, as 640.
mode_of()
{
	stat -c %a "$1"
}

@test "gopen: a bare path is gopen: /dev/null" {
	run -0 --separate-stderr sc - /dev/null <<<"gone"
	[[ -z $output && -z $stderr ]]
}

@test "gopen: a file is appended to and created when missing" {
	echo first >"$W/f"
	run -0 sc -u - gopen:"$W/f" <<<"second"
	[[ $(cat "$W/f") == $'first\nsecond' ]]
	run -0 sc -u - "$W/new" <<<"made"
	[[ $(cat "$W/new") == made ]]
}

@test "gopen: a unix stream, seqpacket or datagram socket file" {
	start_listener s unix-listen:"$SOCKDIR/st" exec:cat
	run -0 sc - "$SOCKDIR/st" <<<"stream"
	[[ $output == stream ]]
	start_listener q unix-listen:"$SOCKDIR/sq",type=seqpacket exec:cat
	run -0 sc - gopen:"$SOCKDIR/sq" <<<"seqpacket"
	[[ $output == seqpacket ]]
	start_bg d timeout 20 "$SOCKCAT" -v -u unix-recv:"$SOCKDIR/dg" -
	wait_for_line "$W/d.err" 'listening on' 10
	run -0 sc -u - "$SOCKDIR/dg" <<<"datagram"
	wait_for_line "$W/d.out" '^datagram$' 10
}

@test "gopen: a directory is an error (exit 1, one line)" {
	mkdir "$W/dir"
	run -1 --separate-stderr sc -u - gopen:"$W/dir" </dev/null
	[[ $stderr == *"Is a directory" ]]
	[[ $(grep -c '' <<<"$stderr") -eq 1 ]]
}

@test "gopen: o-trunc empties the file, o-append writes at its end" {
	echo "old old old" >"$W/f"
	run -0 sc -u - open:"$W/f",o-trunc <<<"new"
	[[ $(cat "$W/f") == new ]]
	echo "old old old" >"$W/g"
	run -0 sc -u - open:"$W/g" <<<"new"
	[[ $(cat "$W/g") == $'new\nold old' ]]
	run -0 sc -u - open:"$W/g",o-append <<<"end"
	[[ $(tail -n 1 "$W/g") == end ]]
}

@test "gopen: o-creat creates, o-excl refuses an existing file" {
	run -1 --separate-stderr sc -u - open:"$W/c" <<<"x"
	[[ $stderr == *"No such file or directory" ]]
	run -0 sc -u - open:"$W/c",o-creat <<<"created"
	[[ $(cat "$W/c") == created ]]
	run -1 --separate-stderr sc -u - open:"$W/c",o-creat,o-excl <<<"x"
	[[ $stderr == *"File exists" ]]
	run -0 sc -u - open:"$W/d",creat,excl <<<"socat's names"
	[[ $(cat "$W/d") == "socat's names" ]]
}

@test "gopen: o-nonblock opens a FIFO without waiting for a writer" {
	mkfifo "$W/fifo" "$W/fifo2"
	# ADDRESS2 is opened once ADDRESS1 is: at once with o-nonblock.
	start_bg n timeout 20 "$SOCKCAT" -u open:"$W/fifo",o-nonblock \
	    "system:echo opened >$W/mark; cat"
	wait_for_file "$W/mark" 10
	echo "through the fifo" >"$W/fifo"
	wait_for_line "$W/n.out" '^through the fifo$' 10
	# Without it, the open waits for a writer.
	start_bg b timeout 20 "$SOCKCAT" -u open:"$W/fifo2" \
	    "system:echo opened >$W/mark2; cat"
	! wait_for_file "$W/mark2" 1
	echo late >"$W/fifo2"
	wait_for_file "$W/mark2" 10
}

@test "gopen: perm= (mode=) sets the mode of a created file" {
	(umask 022 && sc -u - create:"$W/p",perm=640 <<<"x")
	[[ $(mode_of "$W/p") == 640 ]]
	(umask 022 && sc -u - "$W/q",mode=600 <<<"x")
	[[ $(mode_of "$W/q") == 600 ]]
}

@test "gopen: user= sets the owner of a created file" {
	[[ $(id -u) -eq 0 ]] || skip "chown needs root"
	run -0 sc -u - create:"$W/u",user=nobody <<<"x"
	[[ $(stat -c %U "$W/u") == nobody ]]
	run -1 --separate-stderr sc -u - create:"$W/v",user=no-such-user-x <<<"x"
	[[ $stderr == *"no such user"* ]]
}

@test "gopen: unlink-early removes the old file first, unlink-close at the end" {
	echo stale >"$W/e"
	run -0 sc -u - gopen:"$W/e",unlink-early <<<"fresh"
	[[ $(cat "$W/e") == fresh ]]
	run -0 sc -u - create:"$W/gone",unlink-close <<<"x"
	[[ ! -e $W/gone ]]
	# Files stay by default.
	run -0 sc -u - create:"$W/stays" <<<"x"
	[[ -e $W/stays ]]
}

@test "gopen: ignoreeof follows a growing file as tail -f" {
	echo one >"$W/grow"
	start_bg t timeout 20 "$SOCKCAT" -u open:"$W/grow",ignoreeof -
	wait_for_line "$W/t.out" '^one$' 10
	echo two >>"$W/grow"
	wait_for_line "$W/t.out" '^two$' 10
	# Without it the end of the file ends the session.
	run -0 sc -u open:"$W/grow" -
	[[ $output == $'one\ntwo' ]]
}
