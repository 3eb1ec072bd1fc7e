#!/usr/bin/env bats
# listen-fork.bats: listeners with fork: concurrency, max-children, allow,
# reaping, robustness and signals.

load helper

@test "fork: 20 concurrent clients each get exactly their own data back" {
	start_listener srv tcp-listen:127.0.0.1:0,fork exec:cat
	local k
	local -a pids=()
	for k in $(seq 1 20); do
		{ echo "client $k"; head -c 200000 /dev/urandom; } >"$W/in$k"
	done
	for k in $(seq 1 20); do
		start_bg "c$k" -i "$W/in$k" timeout 60 "$SOCKCAT" \
		    tcp:127.0.0.1:"$PORT"
		pids+=("$BG_PID")
	done
	for k in $(seq 1 20); do
		wait_exit "${pids[k - 1]}" 30
		[[ $BG_STATUS -eq 0 ]]
		cmp "$W/in$k" "$W/c$k.out"
	done
	is_alive "$LPID"
}

@test "fork: the listener keeps serving one client after another" {
	start_listener srv tcp-listen:0,fork echo
	local k
	for k in $(seq 1 10); do
		run -0 sc tcp:127.0.0.1:"$PORT" <<<"round $k"
		[[ $output == "round $k" ]]
	done
}

@test "fork: children are reaped (no zombies after the sessions end)" {
	start_listener srv tcp-listen:0,fork echo
	local k
	for k in 1 2 3 4 5; do
		run -0 sc tcp:127.0.0.1:"$PORT" <<<"x"
	done
	for ((k = 0; k < 100; k++)); do
		[[ -z $(children_of "$LPID") && $(zombies_of "$LPID") -eq 0 ]] &&
		    break
		sleep 0.05
	done
	[[ -z $(children_of "$LPID") ]]
	[[ $(zombies_of "$LPID") -eq 0 ]]
}

@test "fork: max-children=2 runs at most 2 sessions at once" {
	start_listener srv tcp-listen:0,fork,max-children=2 \
	    "system:echo + >>$SOCKDIR/log; sleep 1; echo - >>$SOCKDIR/log; echo x"
	local k t0 t1
	local -a pids=()
	t0=$(now)
	for k in 1 2 3 4 5; do
		start_bg "c$k" timeout 30 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
		pids+=("$BG_PID")
	done
	for k in 1 2 3 4 5; do
		wait_exit "${pids[k - 1]}" 20
		[[ $BG_STATUS -eq 0 ]]
		[[ $(cat "$W/c$k.out") == x ]]
	done
	t1=$(now)
	# five one-second sessions, two at a time: at least three rounds
	elapsed_between "$t0" "$t1" 2.8 15
	run -0 awk '$1 == "+" { n++; if (n > m) m = n }
	    $1 == "-" { n-- } END { print m }' "$SOCKDIR/log"
	[[ $output -eq 2 ]]
}

@test "fork: allow=10.0.0.0/8 closes a 127.0.0.1 client with no data and keeps listening" {
	start_listener srv tcp-listen:0,fork,allow=10.0.0.0/8 'system:echo secret'
	run --separate-stderr timeout "$TMO" "$SOCKCAT" tcp:127.0.0.1:"$PORT" \
	    <<<"hello"
	assert_no_crash
	[[ $output != *secret* ]]
	[[ -z $output ]]
	is_alive "$LPID"
	# the refusal is logged with the peer's address
	wait_for_line "$W/srv.err" '127\.0\.0\.1' 5
	run --separate-stderr timeout "$TMO" "$SOCKCAT" tcp:127.0.0.1:"$PORT" \
	    </dev/null
	[[ -z $output ]]
	is_alive "$LPID"
}

@test "fork: allow=127.0.0.1/32 and allow=10.0.0.0/8+127.0.0.0/8 accept 127.0.0.1" {
	start_listener srv tcp-listen:0,fork,allow=127.0.0.1/32 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"allowed"
	[[ $output == allowed ]]
	start_listener srv2 tcp-listen:0,fork,allow=10.0.0.0/8+127.0.0.0/8 exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"allowed too"
	[[ $output == "allowed too" ]]
}

@test "fork: allow= without fork: a refused peer does not end the listener" {
	start_listener srv tcp-listen:0,allow=10.0.0.0/8 'system:echo secret'
	run --separate-stderr timeout "$TMO" "$SOCKCAT" tcp:127.0.0.1:"$PORT" \
	    </dev/null
	[[ -z $output ]]
	wait_for_line "$W/srv.err" '127\.0\.0\.1' 5
	is_alive "$LPID"
}

@test "fork: the listener survives clients that reset or send garbage" {
	start_listener srv tcp-listen:0,fork exec:cat
	local k
	for k in 1 2 3 4 5; do
		py_reset_client "$PORT"
	done
	printf '\0\377\r\n' | sc tcp:127.0.0.1:"$PORT" >/dev/null
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"still here"
	[[ $output == "still here" ]]
	is_alive "$LPID"
}

@test "fork: a failing ADDRESS2 in a child is a warning; the parent keeps serving" {
	local p
	p=$(free_port)
	start_listener srv tcp-listen:0,fork tcp:127.0.0.1:"$p"
	run --separate-stderr timeout "$TMO" "$SOCKCAT" tcp:127.0.0.1:"$PORT" \
	    </dev/null
	assert_no_crash
	[[ -z $output ]]
	wait_for_line "$W/srv.err" "tcp:127\.0\.0\.1:$p.*[Rr]efused" 5
	is_alive "$LPID"
	run timeout "$TMO" "$SOCKCAT" tcp:127.0.0.1:"$PORT" </dev/null
	assert_no_crash
	is_alive "$LPID"
}

@test "fork: -v lines of fork sessions carry sockcat[ID PEER]:" {
	start_listener srv tcp-listen:0,fork exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"abc"
	wait_for_line "$W/srv.err" \
	    '^sockcat\[[0-9]+ 127\.0\.0\.1:[0-9]+\]: session end: 4 bytes >, 4 bytes <, [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9]{2} MB/s$' 5
	# the parent keeps the plain prefix
	grep -Eq '^sockcat: listening on ' "$W/srv.err"
}

@test "fork: SIGTERM ends the listener, its sessions and their programs" {
	start_listener srv tcp-listen:0,fork \
	    "system:echo \$\$ >>$SOCKDIR/pids; exec sleep 60"
	local fifo=$W/idle hold p
	mkfifo "$fifo"
	exec {hold}<>"$fifo"
	start_bg c1 -i "$fifo" timeout 60 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
	start_bg c2 -i "$fifo" timeout 60 "$SOCKCAT" tcp:127.0.0.1:"$PORT"
	wait_for_lines "$SOCKDIR/pids" 2 10
	kill -TERM "$LPID"
	# the listener ends promptly, and nothing it started is left running
	assert_dead "$LPID" 5
	for p in $(cat "$SOCKDIR/pids"); do
		assert_dead "$p" 5
	done
	exec {hold}>&-
}

@test "fork: a typo in ADDRESS2 is reported before listening" {
	run -2 --separate-stderr timeout 10 "$SOCKCAT" -v tcp-listen:0,fork \
	    tpc:127.0.0.1:80
	assert_one_error "tpc:127.0.0.1:80"
	[[ $stderr != *"listening on"* ]]
}

@test "fork: fork on a unix listener serves concurrent clients" {
	start_listener srv unix-listen:"$SOCKDIR/s",fork exec:cat
	local k
	local -a pids=()
	for k in $(seq 1 5); do
		{ echo "unix client $k"; head -c 100000 /dev/urandom; } >"$W/in$k"
		start_bg "c$k" -i "$W/in$k" timeout 30 "$SOCKCAT" \
		    unix:"$SOCKDIR/s"
		pids+=("$BG_PID")
	done
	for k in $(seq 1 5); do
		wait_exit "${pids[k - 1]}" 20
		[[ $BG_STATUS -eq 0 ]]
		cmp "$W/in$k" "$W/c$k.out"
	done
}
