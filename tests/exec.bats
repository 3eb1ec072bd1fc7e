#!/usr/bin/env bats
# exec.bats: exec and system: data, arguments, environment, descriptors.

load helper

setup_file()
{
	make_bigfile
}

@test "exec: 64 MiB through exec:cat, sha256 equal" {
	timeout 60 "$SOCKCAT" - exec:cat <"$BIG" >"$W/out.bin"
	[[ $(sha "$W/out.bin") == "$BIG_SHA" ]]
}

@test "exec: 64 MiB through exec:cat as ADDRESS1 with stdio implied" {
	timeout 60 "$SOCKCAT" exec:cat <"$BIG" >"$W/out.bin"
	[[ $(sha "$W/out.bin") == "$BIG_SHA" ]]
}

@test "exec: end of input closes the child's stdin (exec:wc -c)" {
	head -c 12345 /dev/urandom >"$W/in"
	run -0 sc - "exec:wc -c" <"$W/in"
	[[ $(echo $output) == 12345 ]]
}

@test "exec: output the child writes 1 s after our EOF still arrives" {
	run -0 sc - "system:cat >/dev/null; sleep 1; echo done" <<<"x"
	[[ $output == done ]]
}

@test "exec: arguments with shell metacharacters are passed literally" {
	cd "$W"
	run -0 sc - 'exec:printf %s a;b' </dev/null
	[[ $output == 'a;b' ]]
	run -0 sc - 'exec:printf %s $HOME|x>y&*' </dev/null
	[[ $output == '$HOME|x>y&*' ]]
	[[ ! -e $W/y ]]
}

@test "exec: colons inside the command belong to the command" {
	run -0 sc - 'exec:printf %s a:b:c' </dev/null
	[[ $output == a:b:c ]]
	run -0 sc - 'system:printf %s x:y' </dev/null
	[[ $output == x:y ]]
}

@test "exec: system runs a shell pipeline" {
	run -0 sc - 'system:tr a-z A-Z | rev' <<<"hello world"
	[[ $output == "DLROW OLLEH" ]]
}

@test "exec: a comma in a system command, escaped or quoted" {
	run -0 sc - 'system:printf %s a\,b' </dev/null
	[[ $output == a,b ]]
	run -0 sc - "system:printf '%s' 'x,y'" </dev/null
	[[ $output == x,y ]]
}

@test "exec: options after the command: exec:tee FILE,crlf" {
	printf 'a\nb\n' >"$W/in"
	sc - "exec:tee $W/got,crlf" <"$W/in" >"$W/out"
	# The program gets CRLF; what it writes back is read as LF again.
	printf 'a\r\nb\r\n' >"$W/want"
	cmp "$W/want" "$W/got"
	cmp "$W/in" "$W/out"
}

@test "exec: the child's stderr is not mixed into the data on stdout" {
	run -0 --separate-stderr sc - 'system:echo oops >&2; echo data' </dev/null
	[[ $output == data ]]
	[[ $stderr == *oops* ]]
}

@test "exec: children of a tcp listener get SOCKCAT_PEERADDR/PEERPORT/SOCKADDR/SOCKPORT" {
	start_listener srv tcp-listen:127.0.0.1:0 \
	    'system:echo "$SOCKCAT_PEERADDR $SOCKCAT_PEERPORT $SOCKCAT_SOCKADDR $SOCKCAT_SOCKPORT"'
	run -0 sc tcp:127.0.0.1:"$PORT" </dev/null
	local cport
	cport=$(sed -nE 's/.*accepted 127\.0\.0\.1:([0-9]+) on .*/\1/p' "$W/srv.err")
	[[ -n $cport ]]
	[[ $output == "127.0.0.1 $cport 127.0.0.1 $PORT" ]]
}

@test "exec: a tcp client's exec peer gets the server as SOCKCAT_PEERADDR" {
	start_listener srv tcp-listen:127.0.0.1:0 'system:echo hi'
	sc tcp:127.0.0.1:"$PORT" \
	    'system:cat >/dev/null; echo "$SOCKCAT_PEERADDR:$SOCKCAT_PEERPORT" >&2' \
	    </dev/null >"$W/out" 2>"$W/err"
	grep -Fxq "127.0.0.1:$PORT" "$W/err"
}

@test "exec: no SOCKCAT_PEERADDR when the other side is not a socket" {
	run -0 sc - 'system:echo "${SOCKCAT_PEERADDR-unset}"' </dev/null
	[[ $output == unset ]]
}

@test "exec: no descriptor leaks into programs run by a fork listener" {
	[[ -z ${VALGRIND:-} ]] || skip "valgrind's own log descriptors reach the child"
	# ls runs as a child of the shell (the trailing ':' keeps dash from
	# exec'ing it), so it lists exactly the shell's descriptors
	start_listener srv tcp-listen:127.0.0.1:0,fork \
	    'system:ls /proc/$$/fd; :'
	run -0 sc tcp:127.0.0.1:"$PORT" </dev/null
	[[ $(echo $output) == "0 1 2" ]]
	run -0 sc tcp:127.0.0.1:"$PORT" </dev/null
	[[ $(echo $output) == "0 1 2" ]]
}

@test "exec: a program that does not exist is exit 1 with one error line" {
	[[ -z ${VALGRIND:-} ]] || skip "under valgrind posix_spawn cannot report the exec error"
	run -1 --separate-stderr sc - exec:/nonexistent/prog </dev/null
	assert_one_error "exec:/nonexistent/prog"
}

@test "exec: EXEC and SYSTEM in capitals" {
	run -0 sc - EXEC:cat <<<"caps"
	[[ $output == caps ]]
	run -0 sc - 'SYSTEM:echo up' </dev/null
	[[ $output == up ]]
}
