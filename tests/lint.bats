#!/usr/bin/env bats
# lint.bats: rules the test files themselves must keep. A bare `wait`
# (no PID) waits for every background child of the test shell, the
# listeners started by start_bg or start_listener too, so the test sits
# until their `timeout 120` ends them: wait for the client PIDs instead.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# bare_waits FILE...: "FILE:LINE: TEXT" for each `wait` command without a
# PID or job operand (redirections aside), outside comments. Every test
# here has a background process (start_bg, start_listener, setup), so any
# bare `wait` in a test file waits for one.
bare_waits()
{
	awk '
	/^[ \t]*#/ { next }
	{
		line = $0
		# the command word: at the start, or after ; & | ( { or a
		# keyword that starts a command list
		if (match(line, /(^|[;&|({]|[ \t](then|do|else|time|!))[ \t]*wait([ \t]+[0-9]*[<>][^ \t;&|)}]*)*[ \t]*($|[;&|)}#])/))
			print FILENAME ":" FNR ": " $0
	}' "$@"
}

@test "lint: the bare-wait check finds a bare wait and passes a wait with PIDs" {
	local w=wait
	printf '%s\n' \
	    "	$w" \
	    "	sc x & $w" \
	    "	for i in 1 2; do sc & done; $w" \
	    "	$w 2>/dev/null" \
	    "	if true; then $w; fi" \
	    "	( $w )" >"$W/bad.bats"
	printf '%s\n' \
	    "	$w \"\$pid\"" \
	    "	$w \"\${pids[@]}\"" \
	    "	$w %1" \
	    "	wait_for_line \"\$W/x\" re 5" \
	    "	wait_exit \"\$BG_PID\" 5" \
	    "	# a comment may say $w" \
	    "	echo \"clients $w in the backlog\"" \
	    "	$w \$!" >"$W/good.bats"
	run -0 bare_waits "$W/bad.bats"
	((${#lines[@]} == 6))
	run -0 bare_waits "$W/good.bats"
	[[ -z $output ]]
}

@test "lint: no test waits for every background process (a bare wait)" {
	run -0 bare_waits "$BATS_TEST_DIRNAME"/*.bats \
	    "$BATS_TEST_DIRNAME"/helper.bash
	if [[ -n $output ]]; then
		echo "bare wait (waits for the listeners too; wait for PIDs):"
		echo "$output"
		false
	fi
}
