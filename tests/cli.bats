#!/usr/bin/env bats
# cli.bats: flags, help, version, verbose statistics and the hex dump.

load helper

@test "cli: -h prints usage, flags and address types on stdout, exit 0" {
	run -0 --separate-stderr sc -h
	[[ -z $stderr ]]
	[[ $output == *Usage* || $output == *usage* ]]
	local w
	for w in -4 -6 -u -U -b -t -T -v -x -V tcp tcp-listen udp udp-listen \
	    unix unix-listen exec system open create echo; do
		[[ $output == *"$w"* ]] || { echo "-h lacks $w" >&2; false; }
	done
}

@test "cli: --help is -h" {
	run -0 sc -h
	local h=$output
	run -0 sc --help
	[[ $output == "$h" ]]
}

@test "cli: -h TYPE prints that type and its options" {
	run -0 --separate-stderr sc -h tcp-listen
	[[ -z $stderr ]]
	[[ $output == *tcp-listen* ]]
	[[ $output == *fork* && $output == *backlog* && $output == *allow* ]]
	[[ $output != *unlink-early* ]]
	run -0 sc -h tcp
	[[ $output == *connect-timeout* && $output == *nodelay* ]]
	[[ $output != *backlog* ]]
	run -0 sc -h unix-listen
	[[ $output == *unlink-early* && $output == *mode* ]]
}

@test "cli: -h with an alias or capitals finds the type" {
	run -0 sc -h TCP-L
	[[ $output == *fork* ]]
}

@test "cli: -h of an unknown type is exit 2" {
	run -2 --separate-stderr sc -h nosuchtype
	assert_one_error nosuchtype
}

@test "cli: -V prints the version, exit 0" {
	run -0 --separate-stderr sc -V
	[[ -z $stderr ]]
	[[ $output == *sockcat* ]]
	[[ $output =~ [0-9]+\.[0-9]+\.[0-9]+ ]]
	run -0 sc -h
	if [[ $output == *tls-listen* ]]; then
		run -0 sc -V
		[[ ${output,,} == *openssl* ]]
	fi
}

@test "cli: --version is -V" {
	run -0 sc -V
	local v=$output
	run -0 sc --version
	[[ $output == "$v" ]]
}

@test "cli: one address means the other is stdio" {
	run -0 sc exec:cat <<<"implied stdio"
	[[ $output == "implied stdio" ]]
	run -0 sc - exec:cat <<<"explicit"
	[[ $output == explicit ]]
	run -0 sc stdio exec:cat <<<"stdio word"
	[[ $output == "stdio word" ]]
	run -0 sc STDIO exec:cat <<<"STDIO word"
	[[ $output == "STDIO word" ]]
}

@test "cli: -- ends the flags" {
	run -0 sc -- - exec:cat <<<"dashdash"
	[[ $output == dashdash ]]
}

@test "cli: -v prints the session statistics with exact byte counts" {
	run -0 --separate-stderr sc -v - "system:cat; printf xy" \
	    < <(printf 'abc')
	[[ $output == abcxy ]]
	[[ $stderr =~ (^|$'\n')"sockcat: session end: 3 bytes >, 5 bytes <, "[0-9]+\.[0-9]{3}" s, "[0-9]+\.[0-9]{2}" MB/s"($'\n'|$) ]]
}

@test "cli: -v statistics of a 1 MB TCP session" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	head -c 1048576 /dev/urandom >"$W/in"
	run -0 --separate-stderr sc -v tcp:127.0.0.1:"$PORT" <"$W/in"
	[[ $stderr =~ "sockcat: session end: 1048576 bytes >, 1048576 bytes <, " ]]
	wait_for_line "$W/srv.err" \
	    '^sockcat: session end: 1048576 bytes >, 1048576 bytes <, [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9]{2} MB/s$' 5
}

@test "cli: -d is socat's spelling of -v" {
	run -0 --separate-stderr sc -d - "system:printf 1234" </dev/null
	[[ $output == 1234 ]]
	[[ $stderr =~ "session end: 0 bytes >, 4 bytes <" ]]
}

@test "cli: -vv works and still keeps stdout clean" {
	run -0 --separate-stderr sc -vv - exec:cat <<<"verbose"
	[[ $output == verbose ]]
	[[ $stderr == *"session end"* ]]
}

@test "cli: without -v nothing is written to stderr" {
	run -0 --separate-stderr sc - exec:cat <<<"quiet"
	[[ $output == quiet ]]
	[[ -z $stderr ]]
}

@test "cli: -x dumps both directions in hex on stderr, stdout unchanged" {
	run -0 --separate-stderr sc -x - "system:cat >/dev/null; printf world" \
	    < <(printf 'hello')
	[[ $output == world ]]
	grep -q '^>' <<<"$stderr"
	grep -q '^<' <<<"$stderr"
	local flat=${stderr//[^0-9a-fA-F]/}
	flat=${flat,,}
	[[ $flat == *68656c6c6f* ]]
	[[ $flat == *776f726c64* ]]
}

@test "cli: -x leaves binary data intact" {
	head -c 100000 /dev/urandom >"$W/in"
	sc -x - exec:cat <"$W/in" >"$W/out" 2>"$W/dump"
	cmp "$W/in" "$W/out"
	[[ -s $W/dump ]]
}

@test "cli: combined flags (-vx) and -b with suffixes" {
	head -c 300000 /dev/urandom >"$W/in"
	sc -vx -b 64k - exec:cat <"$W/in" >"$W/out" 2>"$W/err"
	cmp "$W/in" "$W/out"
	grep -q 'session end: 300000 bytes >, 300000 bytes <' "$W/err"
	sc -b 4K - exec:cat <"$W/in" >"$W/out2"
	cmp "$W/in" "$W/out2"
}

@test "cli: -t and -T take decimal seconds" {
	run -0 sc -t 0.25 -T 5 - exec:cat <<<"timers"
	[[ $output == timers ]]
}

@test "cli: -4 and -6 with addresses of their own family work" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc -4 tcp:127.0.0.1:"$PORT" <<<"four"
	[[ $output == four ]]
	have_ipv6 || skip "no ::1 on lo"
	start_listener srv6 'tcp-listen:[::1]:0' exec:cat
	run -0 sc -6 "tcp:[::1]:$PORT" <<<"six"
	[[ $output == six ]]
}

@test "cli: SIGTERM ends a waiting one-shot listener promptly" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	kill -TERM "$LPID"
	assert_dead "$LPID" 3
	wait_exit "$BG_PID" 3
	[[ $BG_STATUS -ne 124 ]]
}
