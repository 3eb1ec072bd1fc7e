#!/usr/bin/env bats
# unix.bats: unix and unix-listen (and abstract): relaying, forwarding, options.

load helper

setup_file()
{
	make_bigfile
}

# make_stale PATH: leave a unix socket file at PATH that nobody listens on.
make_stale()
{
	timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
' "$1"
	[[ -S $1 ]]
}

@test "unix: -v reports the socket path in the listening line" {
	start_listener srv unix-listen:"$SOCKDIR/s" exec:cat
	grep -Fxq "sockcat: listening on $SOCKDIR/s" "$W/srv.err"
	[[ -S $SOCKDIR/s ]]
}

@test "unix: echo through unix-listen -> unix" {
	start_listener srv unix-listen:"$SOCKDIR/s" exec:cat
	run -0 sc unix:"$SOCKDIR/s" <<<"over unix"
	[[ $output == "over unix" ]]
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
}

@test "unix: 64 MiB unix-listen -> unix and back, sha256 equal both ways" {
	start_listener srv unix-listen:"$SOCKDIR/s" "exec:tee $SOCKDIR/recv.bin"
	timeout 60 "$SOCKCAT" unix:"$SOCKDIR/s" <"$BIG" >"$W/back.bin"
	wait_exit "$BG_PID" 10
	[[ $BG_STATUS -eq 0 ]]
	[[ $(sha "$SOCKDIR/recv.bin") == "$BIG_SHA" ]]
	[[ $(sha "$W/back.bin") == "$BIG_SHA" ]]
}

@test "unix: curl --unix-socket through unix-listen,fork -> tcp to http.server" {
	mkdir "$W/www"
	head -c 500000 /dev/urandom >"$W/www/f.bin"
	printf 'hello index\n' >"$W/www/index.txt"
	start_http_server http "$W/www" "$W/http.port"
	start_listener fwd unix-listen:"$SOCKDIR/h.sock",fork \
	    tcp:127.0.0.1:"$(cat "$W/http.port")"
	timeout "$TMO" curl -sS --unix-socket "$SOCKDIR/h.sock" \
	    -o "$W/out" http://localhost/f.bin
	cmp "$W/www/f.bin" "$W/out"
	run -0 timeout "$TMO" curl -sS --unix-socket "$SOCKDIR/h.sock" \
	    http://localhost/index.txt
	[[ $output == "hello index" ]]
}

@test "unix: unix-connect and UNIX-LISTEN aliases" {
	start_listener srv UNIX-LISTEN:"$SOCKDIR/s" exec:cat
	run -0 sc unix-connect:"$SOCKDIR/s" <<<"alias"
	[[ $output == alias ]]
}

@test "unix: a stale socket file makes unix-listen fail with exit 1" {
	make_stale "$SOCKDIR/s"
	run -1 --separate-stderr sc unix-listen:"$SOCKDIR/s" exec:cat
	assert_one_error "unix-listen:$SOCKDIR/s"
}

@test "unix: unlink-early replaces a stale socket file" {
	make_stale "$SOCKDIR/s"
	start_listener srv unix-listen:"$SOCKDIR/s",unlink-early exec:cat
	run -0 sc unix:"$SOCKDIR/s" <<<"fresh"
	[[ $output == fresh ]]
}

@test "unix: mode=600 and mode=660 set the socket file's permissions" {
	start_listener srv unix-listen:"$SOCKDIR/a",mode=600 exec:cat
	[[ $(stat -c %a "$SOCKDIR/a") == 600 ]]
	start_listener srv2 unix-listen:"$SOCKDIR/b",mode=660 exec:cat
	[[ $(stat -c %a "$SOCKDIR/b") == 660 ]]
	run -0 sc unix:"$SOCKDIR/b" <<<"mode"
	[[ $output == mode ]]
}

@test "unix: the socket file is removed when the listener exits" {
	start_listener srv unix-listen:"$SOCKDIR/s" exec:cat
	run -0 sc unix:"$SOCKDIR/s" <<<"bye"
	wait_exit "$BG_PID" 5
	[[ $BG_STATUS -eq 0 ]]
	[[ ! -e $SOCKDIR/s ]]
}

@test "unix: connecting to a socket file nobody listens on is exit 4" {
	make_stale "$SOCKDIR/s"
	run -4 --separate-stderr sc unix:"$SOCKDIR/s" </dev/null
	assert_one_error "unix:$SOCKDIR/s"
}

@test "unix: unix-listen,fork serves several clients" {
	start_listener srv unix-listen:"$SOCKDIR/s",fork exec:cat
	local k
	for k in 1 2 3 4 5; do
		run -0 sc unix:"$SOCKDIR/s" <<<"client $k"
		[[ $output == "client $k" ]]
	done
	is_alive "$BG_PID"
}

@test "unix: type=seqpacket listener; unix client finds the type itself" {
	start_listener srv unix-listen:"$SOCKDIR/s",type=seqpacket exec:cat
	run -0 sc unix:"$SOCKDIR/s" <<<"seqpacket"
	[[ $output == seqpacket ]]
}

@test "unix: abstract-listen and abstract" {
	local name=sockcat-test-$$-$RANDOM
	start_listener srv abstract-listen:"$name" exec:cat
	run -0 sc abstract:"$name" <<<"abstract"
	[[ $output == abstract ]]
}

@test "unix: a path longer than sun_path is an error, not a crash" {
	local long
	long=$SOCKDIR/$(printf 'x%.0s' {1..120})
	run --separate-stderr timeout 10 "$SOCKCAT" unix-listen:"$long" exec:cat
	[[ $status -eq 1 || $status -eq 2 ]]
	assert_one_error "unix-listen:$SOCKDIR/"
}
