#!/usr/bin/env bats
# addr.bats: the address grammar: accepted spellings, escapes and quotes,
# and malformed addresses (each one exit 2, one stderr line naming it).

load helper

# ---------------------------------------------------------------------------
# accepted spellings

@test "addr: type keywords are case-insensitive" {
	run -0 sc - Exec:cat <<<"mixed"
	[[ $output == mixed ]]
	start_listener srv TcP-LiStEn:127.0.0.1:0 EXEC:cat
	run -0 sc TCP:127.0.0.1:"$PORT" <<<"upper"
	[[ $output == upper ]]
}

@test "addr: socat spellings: tcp-connect, unix-client, pipe" {
	start_listener srv tcp-listen:127.0.0.1:0 exec:cat
	run -0 sc tcp-connect:127.0.0.1:"$PORT" <<<"tcp-connect"
	[[ $output == tcp-connect ]]
	start_listener usrv unix-listen:"$SOCKDIR/s" exec:cat
	run -0 sc unix-client:"$SOCKDIR/s" <<<"unix-client"
	[[ $output == unix-client ]]
	run -0 sc - pipe <<<"pipe is echo"
	[[ $output == "pipe is echo" ]]
	run -0 sc - echo <<<"echo"
	[[ $output == echo ]]
}

@test "addr: tcp-listen takes [HOST:]PORT" {
	start_listener srv tcp-listen:0 exec:cat
	grep -Eq 'listening on .*:[0-9]+$' "$W/srv.err"
	run -0 sc tcp:127.0.0.1:"$PORT" <<<"no host"
	[[ $output == "no host" ]]
}

@test "addr: a service name is a port" {
	if awk '$4 == "0A" && $2 ~ /:0009$/ { f = 1 } END { exit !f }' \
	    /proc/net/tcp /proc/net/tcp6; then
		skip "something listens on port 9"
	fi
	# discard is port 9: nobody listens, so this is a refused connect,
	# not a usage error
	run -4 sc tcp:127.0.0.1:discard </dev/null
}

@test "addr: \\, escapes a comma in a system command" {
	run -0 sc - 'system:printf %s a\,b' </dev/null
	[[ $output == a,b ]]
}

@test "addr: a double-quoted system command keeps its commas" {
	run -0 sc - 'system:"printf %s a,b"' </dev/null
	[[ $output == a,b ]]
	# The option after the quotes applies: the program gets CRLF, which
	# od -c spells out.
	run -0 sc - 'system:"tr a-z A-Z | od -An -c",crlf' <<<"quoted"
	[[ $output == *'Q   U   O   T   E   D  \r  \n'* ]]
}

@test "addr: \\: and \\\\ escape in a path" {
	printf 'colon\n' >"$W/x:y"
	run -0 sc 'open:'"$W"'/x\:y' - </dev/null
	[[ $output == colon ]]
	printf 'backslash\n' >"$W/b\\s"
	run -0 sc 'open:'"$W"'/b\\s' - </dev/null
	[[ $output == backslash ]]
}

@test "addr: a single-quoted path keeps its comma" {
	printf 'quoted\n' >"$W/q,r"
	run -0 sc "open:'$W/q,r'" - </dev/null
	[[ $output == quoted ]]
}

@test "addr: boolean options take 0/1 and no value" {
	start_listener srv tcp-listen:127.0.0.1:0,reuseaddr=1,fork exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT",nodelay=1,keepalive=0 <<<"bools"
	[[ $output == bools ]]
	run -0 sc tcp:127.0.0.1:"$PORT",nodelay <<<"bare"
	[[ $output == bare ]]
}

@test "addr: options may follow in any order" {
	start_listener srv tcp-listen:127.0.0.1:0,backlog=5,fork,reuseaddr \
	    exec:cat
	run -0 sc tcp:127.0.0.1:"$PORT",retry=1,nodelay,interval=0.1 <<<"order"
	[[ $output == order ]]
}

# ---------------------------------------------------------------------------
# malformed addresses: exit 2, nothing on stdout, one "sockcat: " line on
# stderr naming the address

@test "addr bad: misspelt option suggests the right one (nodlay)" {
	assert_usage 'tcp:127.0.0.1:80,nodlay' -- 'tcp:127.0.0.1:80,nodlay'
	[[ $stderr == *"did you mean nodelay"* ]]
}

@test "addr bad: misspelt option suggests the right one (reuseadr)" {
	assert_usage 'tcp-listen:0,reuseadr' -- 'tcp-listen:0,reuseadr' exec:cat
	[[ $stderr == *"did you mean reuseaddr"* ]]
}

@test "addr bad: misspelt type suggests the right one (tpc)" {
	assert_usage 'tpc:127.0.0.1:80' -- 'tpc:127.0.0.1:80'
	[[ $stderr == *"did you mean tcp"* ]]
}

@test "addr bad: misspelt type suggests the right one (unix-lisen)" {
	assert_usage 'unix-lisen:/tmp/s' -- 'unix-lisen:/tmp/s' exec:cat
	[[ $stderr == *"did you mean unix-listen"* ]]
}

@test "addr bad: unknown type" {
	assert_usage 'frobnicate:1:2' -- 'frobnicate:1:2'
}

@test "addr bad: 'unix-listen:/tmp/s, fork' as one word is explained as a split" {
	assert_usage 'unix-listen:/tmp/s, fork' -- 'unix-listen:/tmp/s, fork' exec:cat
	[[ ${stderr,,} == *space* ]]
}

@test "addr bad: 'unix-listen:/tmp/s,' 'fork' as two words is explained as a split" {
	assert_usage 'unix-listen:/tmp/s,' -- 'unix-listen:/tmp/s,' fork
	[[ ${stderr,,} == *space* ]]
}

@test "addr bad: 'tcp-listen:0,' 'fork' 'exec:cat' is explained as a split" {
	assert_usage 'tcp-listen:0,' -- 'tcp-listen:0,' fork exec:cat
	[[ ${stderr,,} == *space* ]]
}

@test "addr bad: missing ']'" {
	assert_usage 'tcp:[::1:80' -- 'tcp:[::1:80'
}

@test "addr bad: junk after ']'" {
	assert_usage 'tcp:[::1]x:80' -- 'tcp:[::1]x:80'
}

@test "addr bad: a ']' without '[' is exit 2 pointing at it, not a host name" {
	assert_usage 'tcp:]:80' -- 'tcp:]:80'
	[[ $stderr == "sockcat: 'tcp:]:80': ']' without '[' at 4" ]]
	assert_usage 'tcp:host]:80' -- 'tcp:host]:80'
	[[ $stderr == *"']' without '[' at 8" ]]
	assert_usage 'tcp-listen:]:0' -- 'tcp-listen:]:0'
	[[ $stderr == *"']' without '[' at 11" ]]
	assert_usage 'raw:]:253' -- 'raw:]:253'
	[[ $stderr == *"']' without '[' at 4" ]]
	# a second ']' after a bracketed host keeps its own message
	assert_usage 'udp:[::1]]:53' -- 'udp:[::1]]:53'
	[[ $stderr == *"unexpected character after ']' at 9" ]]
}

@test "addr bad: port 99999" {
	assert_usage 'tcp:127.0.0.1:99999' -- 'tcp:127.0.0.1:99999'
}

@test "addr bad: port 65536 on a listener" {
	assert_usage 'tcp-listen:65536' -- 'tcp-listen:65536' exec:cat
}

@test "addr bad: negative port" {
	assert_usage 'tcp:127.0.0.1:-1' -- 'tcp:127.0.0.1:-1'
}

@test "addr bad: port 0 on a client" {
	assert_usage 'tcp:127.0.0.1:0' -- 'tcp:127.0.0.1:0'
}

@test "addr bad: port 0 on a udp client" {
	assert_usage 'udp:127.0.0.1:0' -- 'udp:127.0.0.1:0'
}

@test "addr bad: empty host" {
	assert_usage 'tcp::80' -- 'tcp::80'
}

@test "addr bad: empty port" {
	assert_usage 'tcp:127.0.0.1:' -- 'tcp:127.0.0.1:'
}

@test "addr bad: missing port" {
	assert_usage 'tcp:127.0.0.1' -- 'tcp:127.0.0.1'
}

@test "addr bad: missing parameters" {
	assert_usage 'tcp' -- 'tcp'
}

@test "addr bad: one parameter too many" {
	assert_usage 'tcp:127.0.0.1:80:90' -- 'tcp:127.0.0.1:80:90'
}

@test "addr bad: a parameter on echo" {
	assert_usage 'echo:foo' -- 'echo:foo'
}

@test "addr bad: empty unix path" {
	assert_usage 'unix:' -- 'unix:'
}

@test "addr bad: empty exec command" {
	assert_usage 'exec:' -- - 'exec:'
}

@test "addr bad: empty address" {
	run -2 --separate-stderr timeout 10 "$SOCKCAT" '' </dev/null
	assert_one_error ""
}

@test "addr bad: fork on stdio (option on the wrong type)" {
	assert_usage 'stdio,fork' -- 'stdio,fork'
}

@test "addr bad: nodelay on udp (TCP option on UDP)" {
	assert_usage 'udp:127.0.0.1:80,nodelay' -- 'udp:127.0.0.1:80,nodelay'
}

@test "addr bad: unlink-early on tcp-listen" {
	assert_usage 'tcp-listen:0,unlink-early' -- 'tcp-listen:0,unlink-early' exec:cat
}

@test "addr bad: fork on open:" {
	assert_usage 'open:/etc/hostname,fork' -- 'open:/etc/hostname,fork'
}

@test "addr bad: duplicate option" {
	assert_usage 'tcp-listen:0,fork,fork' -- 'tcp-listen:0,fork,fork' exec:cat
}

@test "addr: a trailing comma and an empty option (,,) are nothing, as in socat" {
	start_listener srv tcp-listen:127.0.0.1:0,,fork, exec:cat
	run -0 sc 'tcp:127.0.0.1:'"$PORT"',,nodelay,' <<<"commas"
	[[ $output == commas ]]
}

@test "addr bad: unterminated double quote" {
	assert_usage 'system:"echo hi' -- - 'system:"echo hi'
}

@test "addr bad: unterminated single quote" {
	assert_usage "open:'/tmp/x" -- "open:'/tmp/x"
}

@test "addr bad: backslash at the end" {
	assert_usage 'system:echo a\' -- - 'system:echo a\'
}

@test "addr bad: non-numeric option value (retry=abc)" {
	assert_usage 'tcp:127.0.0.1:80,retry=abc' -- 'tcp:127.0.0.1:80,retry=abc'
}

@test "addr bad: negative connect-timeout" {
	assert_usage 'tcp:127.0.0.1:80,connect-timeout=-1' -- \
	    'tcp:127.0.0.1:80,connect-timeout=-1'
}

@test "addr bad: bad boolean value (nodelay=maybe)" {
	assert_usage 'tcp:127.0.0.1:80,nodelay=maybe' -- \
	    'tcp:127.0.0.1:80,nodelay=maybe'
}

@test "addr bad: empty option value (backlog=)" {
	assert_usage 'tcp-listen:0,backlog=' -- 'tcp-listen:0,backlog=' exec:cat
}

@test "addr bad: non-octal mode (mode=999)" {
	assert_usage 'unix-listen:/tmp/x,mode=999' -- \
	    'unix-listen:/tmp/x,mode=999' exec:cat
}

@test "addr bad: bad CIDR address (allow=300.0.0.0/8)" {
	assert_usage 'tcp-listen:0,allow=300.0.0.0/8' -- \
	    'tcp-listen:0,allow=300.0.0.0/8' exec:cat
}

@test "addr bad: bad CIDR prefix (allow=10.0.0.0/33)" {
	assert_usage 'tcp-listen:0,allow=10.0.0.0/33' -- \
	    'tcp-listen:0,allow=10.0.0.0/33' exec:cat
}

@test "addr bad: size with a bad suffix (rcvbuf=1x)" {
	assert_usage 'tcp-listen:0,rcvbuf=1x' -- 'tcp-listen:0,rcvbuf=1x' exec:cat
}

@test "addr bad: value on an option that takes none (fork=yes please)" {
	assert_usage 'tcp-listen:0,fork=yes please' -- \
	    'tcp-listen:0,fork=yes please' exec:cat
}

@test "addr bad: unknown socket type (type=circle)" {
	assert_usage 'unix-listen:/tmp/x,type=circle' -- \
	    'unix-listen:/tmp/x,type=circle' exec:cat
}

@test "addr bad: more parameters than the parser holds" {
	local a
	a=tcp$(printf ':%s' $(seq 1 200))
	assert_usage 'tcp:1:2:3' -- "$a"
}

@test "addr bad: a very long address" {
	local a
	a=$(head -c 100000 /dev/zero | tr '\0' a)
	run -2 --separate-stderr timeout 10 "$SOCKCAT" "$a" </dev/null
	assert_one_error ""
}

@test "addr bad: printf directives in an address are printed literally" {
	assert_usage '%s%n%x' -- 'tcp:%s%n%x:80,%s%n'
}

@test "addr bad: control characters and high bytes" {
	run -2 --separate-stderr timeout 10 "$SOCKCAT" $'tcp:\x01\x7f\xff:80,\x02' </dev/null
	assert_one_error ""
	run -2 --separate-stderr timeout 10 "$SOCKCAT" $'\xc3\xa9\xff:x' </dev/null
	assert_one_error ""
}

@test "addr bad: a typo in ADDRESS2 is reported before ADDRESS1 is opened" {
	local p
	p=$(free_port)
	assert_usage 'exce:cat' -- tcp-listen:127.0.0.1:"$p" 'exce:cat'
	[[ $stderr == *"did you mean exec"* ]]
}

@test "addr bad: a type's own check is a usage error before anything opens" {
	local long
	long=/tmp/$(printf 'p%.0s' {1..120})
	# raw PROTO out of range, and a unix path too long, as ADDRESS2
	run -2 --separate-stderr timeout 10 "$SOCKCAT" -v tcp-listen:0 \
	    raw:127.0.0.1:256 </dev/null
	[[ $stderr != *"listening on"* ]]
	assert_one_error "'raw:127.0.0.1:256': protocol 256: not a number from 0 to 255"
	run -2 --separate-stderr timeout 10 "$SOCKCAT" -v udp-listen:0 \
	    raw-listen:300 </dev/null
	[[ $stderr != *"listening on"* ]]
	assert_one_error "'raw-listen:300': protocol 300"
	run -2 --separate-stderr timeout 10 "$SOCKCAT" -v tcp-listen:0 \
	    abstract:"${long:1}" </dev/null
	[[ $stderr != *"listening on"* ]]
	assert_one_error "socket path too long: 124 bytes, at most 106"
	run -2 --separate-stderr timeout 10 "$SOCKCAT" -v tcp-listen:0 \
	    unix:"$long" </dev/null
	assert_one_error "socket path too long: 125 bytes, at most 107"
}

@test "addr bad: every prefix of long addresses fails cleanly, never crashes or hangs" {
	local base a k
	local -a bases=(
	    'tcp:[::1]:1,bind=[::1],connect-timeout=0.5,retry=1,interval=0.1,nodelay'
	    'system:"printf %s a\,b",crlf'
	    'open:/nonexistent/x\:y,crlf'
	    'unix:/nonexistent/s,rcvbuf=64k,crlf'
	    'udp:127.0.0.1:9,sndbuf=4096'
	)
	for base in "${bases[@]}"; do
		for ((k = 1; k <= ${#base}; k++)); do
			a=${base:0:k}
			run --separate-stderr timeout 5 "$SOCKCAT" -t 0.1 "$a" \
			    </dev/null
			if ((status >= 124)); then
				echo "'$a': status $status" >&2
				false
			fi
			if ((status == 2)) && ((${#stderr_lines[@]} != 1)); then
				echo "'$a': ${#stderr_lines[@]} stderr lines: $stderr" >&2
				false
			fi
			if ((status != 0)) && [[ $stderr != "sockcat: "* ]]; then
				echo "'$a': stderr: $stderr" >&2
				false
			fi
		done
	done
}
