#!/usr/bin/env bats
# relay.bats: the pump: chat, back-pressure and memory, buffer sizes,
# directions (-u/-U), timers (-t/-T), crlf, broken pipes.

load helper

@test "relay: two-way chat between two sockcat processes" {
	mkfifo "$W/fa" "$W/fb"
	local wa wb a b k
	# opened read-write so neither open blocks; we hold the only writers
	exec {wa}<>"$W/fa" {wb}<>"$W/fb"
	start_bg A -i "$W/fa" timeout 30 "$SOCKCAT" -v tcp-listen:127.0.0.1:0
	a=$BG_PID
	wait_for_line "$W/A.err" 'listening on' 10
	PORT=$(listen_port "$W/A.err")
	start_bg B -i "$W/fb" timeout 30 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
	b=$BG_PID
	for k in 1 2 3; do
		echo "from A $k" >&"$wa"
		wait_for_line "$W/B.out" "^from A $k\$" 5
		echo "from B $k" >&"$wb"
		wait_for_line "$W/A.out" "^from B $k\$" 5
	done
	# A ends its input: B sees end of input but can still talk
	exec {wa}>&-
	echo "after A's EOF" >&"$wb"
	wait_for_line "$W/A.out" "^after A's EOF\$" 5
	exec {wb}>&-
	wait_exit "$a" 5
	[[ $BG_STATUS -eq 0 ]]
	wait_exit "$b" 5
	[[ $BG_STATUS -eq 0 ]]
	printf 'from A %s\n' 1 2 3 >"$W/wantB"
	printf 'from B %s\n' 1 2 3 >"$W/wantA"
	echo "after A's EOF" >>"$W/wantA"
	cmp "$W/wantA" "$W/A.out"
	cmp "$W/wantB" "$W/B.out"
}

# bats test_tags=slow
@test "relay: 200 MiB to a reader throttled to 20 MiB/s; relay peak RSS < 16 MiB" {
	local total=$((200 * 1024 * 1024)) rate=$((20 * 1024 * 1024))
	start_py_tcp rd "$W/rd.port" throttle "$W/count" "$rate"
	start_listener relay tcp-listen:127.0.0.1:0 \
	    tcp:127.0.0.1:"$(cat "$W/rd.port")"
	local relay=$BG_PID rpid=$LPID hwm=0 v k
	[[ -n $rpid ]]
	start_bg src timeout 60 "$SOCKCAT" -u "exec:head -c $total /dev/zero" \
	    tcp:127.0.0.1:"$PORT"
	local src=$BG_PID
	# VmHWM is the peak resident set; keep the last value read before exit
	for ((k = 0; k < 40 * 20; k++)); do
		v=$(awk '$1 == "VmHWM:" { print $2 }' /proc/"$rpid"/status \
		    2>/dev/null) || true
		[[ -n $v ]] && hwm=$v
		is_alive "$rpid" || break
		sleep 0.05
	done
	echo "relay VmHWM: $hwm kB" >&2
	wait_exit "$relay" 5
	[[ $BG_STATUS -eq 0 ]]
	wait_exit "$src" 5
	[[ $BG_STATUS -eq 0 ]]
	wait_for_line "$W/count" '^[0-9]+$' 5
	[[ $(cat "$W/count") -eq $total ]]
	[[ $hwm -gt 0 && $hwm -lt 16384 ]]
}

@test "relay: -b 1k moves 1 MB intact" {
	head -c 1000000 /dev/urandom >"$W/in"
	sc -b 1k - exec:cat <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "relay: -b 1 (one byte at a time) moves 20 kB intact" {
	head -c 20000 /dev/urandom >"$W/in"
	sc -b 1 - exec:cat <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "relay: -b 1m moves 5 MB intact" {
	head -c 5000000 /dev/urandom >"$W/in"
	sc -b 1m - exec:cat <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "relay: 100000 small lines keep their order" {
	seq 1 100000 >"$W/in"
	sc - "system:while read l; do echo \"\$l\"; done" <"$W/in" >"$W/out"
	cmp "$W/in" "$W/out"
}

@test "relay: empty input gives empty output and exit 0" {
	run -0 sc - exec:cat </dev/null
	[[ -z $output ]]
}

@test "relay: -u relays ADDRESS1 -> ADDRESS2 only" {
	# what a program writes back under -u is not relayed; whether it
	# may write at all is not specified, so this one only reads
	run -0 sc -u - "system:cat >$W/got" <<<"forward"
	[[ -z $output ]]
	wait_for_size "$W/got" 8 5
	[[ $(cat "$W/got") == forward ]]
}

@test "relay: -U relays ADDRESS2 -> ADDRESS1 only" {
	run -0 sc -U - "system:echo back" <<<"ignored"
	[[ $output == back ]]
}

@test "relay: -u with a tcp client: nothing from stdin goes to the server" {
	start_listener srv tcp-listen:127.0.0.1:0 "system:echo from-server"
	run -0 sc -u tcp:127.0.0.1:"$PORT" - <<<"not sent"
	[[ $output == from-server ]]
	wait_exit "$BG_PID" 5
	# the server's statistics: nothing arrived, 12 bytes went out
	grep -Eq '^sockcat: session end: 0 bytes >, 12 bytes <' "$W/srv.err"
}

@test "relay: -t 0.5 ends the session 0.5 s after input ends, exit 0" {
	start_listener srv tcp-listen:127.0.0.1:0 \
	    "system:cat >/dev/null; sleep 4; echo late"
	local t0 t1
	t0=$(now)
	run -0 sc -t 0.5 tcp:127.0.0.1:"$PORT" <<<"x"
	t1=$(now)
	[[ -z $output ]]
	elapsed_between "$t0" "$t1" 0.3 3
}

@test "relay: without -t a stream session waits for the slow answer" {
	start_listener srv tcp-listen:127.0.0.1:0 \
	    "system:cat >/dev/null; sleep 1; echo late"
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"x"
	[[ $output == late ]]
}

@test "relay: -T 1 ends an idle session with exit 0 in about 1 s" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	mkfifo "$W/idle"
	local hold t0 t1
	exec {hold}<>"$W/idle"
	t0=$(now)
	run -0 sc -T 1 tcp:127.0.0.1:"$PORT" <"$W/idle"
	t1=$(now)
	exec {hold}>&-
	elapsed_between "$t0" "$t1" 0.8 3
}

@test "relay: -T 1 keeps a session alive while bytes move" {
	start_listener srv tcp-listen:127.0.0.1:0 \
	    "system:for k in 1 2 3 4; do echo \$k; sleep 0.5; done"
	run -0 sc -T 1 tcp:127.0.0.1:"$PORT" </dev/null
	[[ $(echo $output) == "1 2 3 4" ]]
}

@test "relay: -T cutting a session with data in flight is exit 6" {
	# the server never reads, so the client is left holding unsent bytes
	start_listener srv tcp-listen:127.0.0.1:0 "exec:sleep 30"
	# (the error message itself is checked in errors.bats)
	run -6 --separate-stderr sc -T 1 tcp:127.0.0.1:"$PORT" </dev/zero
}

@test "relay: crlf on stdio turns LF into CRLF toward stdout only" {
	sc stdio,crlf "system:printf 'x\\ny\\n'; cat >$W/got" \
	    <<<"a" >"$W/out"
	printf 'x\r\ny\r\n' >"$W/want"
	cmp "$W/want" "$W/out"
	wait_for_size "$W/got" 2 5
	printf 'a\n' >"$W/wantgot"
	cmp "$W/wantgot" "$W/got"
}

@test "relay: crlf on a tcp client (as for SMTP by hand)" {
	start_listener srv tcp-listen:127.0.0.1:0 "exec:tee $SOCKDIR/got"
	printf 'HELO x\nQUIT\n' | sc tcp:127.0.0.1:"$PORT",crlf >"$W/out"
	printf 'HELO x\r\nQUIT\r\n' >"$W/want"
	cmp "$W/want" "$SOCKDIR/got"
	# the way back, read from tcp, has CRLF turned into LF, as socat's
	printf 'HELO x\nQUIT\n' >"$W/want"
	cmp "$W/want" "$W/out"
}

@test "relay: crlf reads CRLF as LF, also split across reads; a lone CR stays" {
	# The CR ends one write of the program and its LF starts the next.
	sc - "system:printf 'a\\r'; sleep 0.3; printf '\\nb\\rc\\r\\n\\r',crlf" \
	    </dev/null >"$W/out"
	printf 'a\nb\rc\n\r' >"$W/want"
	cmp "$W/want" "$W/out"
	# What a script reads from a crlf listener has no CR (socat's
	# proxyecho.sh reads HTTP lines so).
	start_listener srv tcp-listen:127.0.0.1:0,crlf \
	    "system:read -r l; printf '%s|' \"\$l\""
	# The client sends CRLF (crlf on it too) and the script reads LF.
	run -0 sc tcp:127.0.0.1:"$PORT",crlf <<<"GET / HTTP/1.0"
	[[ $output == "GET / HTTP/1.0|" ]]
}

@test "relay: a program that exits at once does not kill sockcat (SIGPIPE), exit 6" {
	run -6 --separate-stderr sc - exec:true </dev/zero
	[[ ${stderr_lines[0]} == "sockcat: "* ]]
}

@test "relay: stdout closed by the reader ends sockcat without a signal" {
	run -0 bash -c '
	    timeout 20 "$1" - "exec:yes" </dev/null 2>"$2" |
	        head -c 10 >/dev/null
	    echo "${PIPESTATUS[0]}"' _ "$SOCKCAT" "$W/err"
	[[ $output -eq 6 ]]
	[[ $(wc -l <"$W/err") -eq 1 ]]
	grep -q '^sockcat: ' "$W/err"
}

@test "relay: SIGINT mid-session ends sockcat and the program it runs" {
	mkfifo "$W/idle"
	local hold
	exec {hold}<>"$W/idle"
	start_bg s -i "$W/idle" timeout 60 "$SOCKCAT" - \
	    "system:echo \$\$ >$SOCKDIR/pid; exec sleep 60"
	local spid
	spid=$(child_pid "$BG_PID")
	wait_for_lines "$SOCKDIR/pid" 1 5
	kill -INT "$spid"
	assert_dead "$spid" 3
	assert_dead "$(cat "$SOCKDIR/pid")" 3
	exec {hold}>&-
}
