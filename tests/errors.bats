#!/usr/bin/env bats
# errors.bats: bad flags, and each exit status of SPEC section 2 provoked
# once, each with one "sockcat: " line on stderr.

load helper

# ---------------------------------------------------------------------------
# usage errors from flags and argument counts (exit 2)

@test "errors: unknown flag" {
	assert_usage "" -- -Z - exec:cat
	[[ $stderr == *Z* ]]
}

@test "errors: unknown long option" {
	assert_usage "frobnicate" -- --frobnicate - exec:cat
}

@test "errors: -b junk" {
	assert_usage "junk" -- -b junk - exec:cat
}

@test "errors: -b 0" {
	assert_usage "" -- -b 0 - exec:cat
}

@test "errors: -b with a bad suffix" {
	assert_usage "12q" -- -b 12q - exec:cat
}

@test "errors: -b without its argument" {
	assert_usage "" -- -b
}

@test "errors: -t junk" {
	assert_usage "junk" -- -t junk - exec:cat
}

@test "errors: -t negative" {
	assert_usage "" -- -t -1 - exec:cat
}

@test "errors: -T junk" {
	assert_usage "1s2" -- -T 1s2 - exec:cat
}

@test "errors: no address at all" {
	assert_usage ""
}

@test "errors: too many addresses" {
	assert_usage "" -- - exec:cat exec:cat
}

@test "errors: -4 with an IPv6 literal" {
	assert_usage 'tcp:[::1]:80' -- -4 'tcp:[::1]:80'
}

@test "errors: -6 with an IPv4 literal" {
	assert_usage 'tcp:127.0.0.1:80' -- -6 'tcp:127.0.0.1:80'
}

@test "errors: -4 with an IPv6 listener literal" {
	assert_usage 'tcp-listen:[::1]:0' -- -4 'tcp-listen:[::1]:0' exec:cat
}

@test "errors: -6 with an IPv4 udp literal" {
	assert_usage 'udp:127.0.0.1:53' -- -6 'udp:127.0.0.1:53'
}

# ---------------------------------------------------------------------------
# each exit status once

@test "errors: exit 2: usage (malformed address)" {
	assert_usage 'tcp:127.0.0.1' -- tcp:127.0.0.1
}

@test "errors: exit 3: a name that does not resolve" {
	run -3 --separate-stderr sc tcp:nosuchhost.invalid:80 </dev/null
	assert_one_error "tcp:nosuchhost.invalid:80"
	[[ -z $output ]]
}

@test "errors: exit 3: a udp name that does not resolve" {
	run -3 --separate-stderr sc udp:nosuchhost.invalid:53 </dev/null
	assert_one_error "udp:nosuchhost.invalid:53"
}

@test "errors: exit 3: a listener host that does not resolve" {
	run -3 --separate-stderr sc tcp-listen:nosuchhost.invalid:0 exec:cat
	assert_one_error "tcp-listen:nosuchhost.invalid:0"
}

@test "errors: exit 4: connection refused" {
	local p
	p=$(free_port)
	run -4 --separate-stderr sc tcp:127.0.0.1:"$p" </dev/null
	assert_one_error "tcp:127.0.0.1:$p"
	[[ $stderr == *connect* && $stderr == *[Rr]efused* ]]
}

@test "errors: exit 4: refused ADDRESS2 after ADDRESS1 opened" {
	local p
	p=$(free_port)
	run -4 --separate-stderr sc - tcp:127.0.0.1:"$p" <<<"lost?"
	assert_one_error "tcp:127.0.0.1:$p"
}

@test "errors: exit 1: open: of a missing file" {
	run -1 --separate-stderr sc open:"$W/nope" - </dev/null
	assert_one_error "open:$W/nope"
	[[ $stderr == *"No such file or directory"* ]]
}

@test "errors: exit 1: listening on a port already in use" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -1 --separate-stderr sc tcp-listen:127.0.0.1:"$PORT" exec:cat
	assert_one_error "tcp-listen:127.0.0.1:$PORT"
	[[ $stderr == *"in use"* ]]
}

@test "errors: exit 6: peer resets while sockcat is still sending" {
	head -c 20M /dev/zero >"$W/big"
	start_py_tcp rst "$W/rst.port" reset 100000
	run -6 --separate-stderr sc tcp:127.0.0.1:"$(cat "$W/rst.port")" \
	    <"$W/big"
	assert_one_error "tcp:127.0.0.1:"
}

@test "errors: exit 6: -T cuts off data in flight" {
	start_listener srv tcp-listen:127.0.0.1:0 "exec:sleep 30"
	run -6 --separate-stderr sc -T 1 tcp:127.0.0.1:"$PORT" </dev/zero
	assert_one_error ""
}

@test "errors: exit 0: a normal session" {
	run -0 --separate-stderr sc - exec:cat <<<"fine"
	[[ $output == fine && -z $stderr ]]
}

@test "errors: diagnostics never go to stdout" {
	local p
	p=$(free_port)
	run -4 --separate-stderr sc tcp:127.0.0.1:"$p" </dev/null
	[[ -z $output ]]
	run -2 --separate-stderr sc 'tcp:[::1' </dev/null
	[[ -z $output ]]
}
