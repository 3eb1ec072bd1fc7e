#!/usr/bin/env bats
# file.bats: open and create.

load helper

@test "file: stdin -> create:PATH writes the file byte for byte" {
	head -c 1000000 /dev/urandom >"$W/in"
	run -0 sc - create:"$W/out" <"$W/in"
	[[ -z $output ]]
	cmp "$W/in" "$W/out"
}

@test "file: open:PATH -> stdout reads the file byte for byte" {
	head -c 1000000 /dev/urandom >"$W/in"
	cp "$W/in" "$W/orig"
	sc open:"$W/in" - </dev/null >"$W/out"
	cmp "$W/in" "$W/out"
	cmp "$W/orig" "$W/in"
}

@test "file: open:IN create:OUT copies, and IN is left unchanged" {
	head -c 3000000 /dev/urandom >"$W/in"
	cp "$W/in" "$W/orig"
	run -0 sc open:"$W/in" create:"$W/out"
	cmp "$W/in" "$W/out"
	cmp "$W/orig" "$W/in"
}

@test "file: create truncates an existing longer file" {
	head -c 100000 /dev/urandom >"$W/out"
	printf 'short\n' >"$W/in"
	run -0 sc - create:"$W/out" <"$W/in"
	cmp "$W/in" "$W/out"
}

@test "file: create of an empty input makes an empty file" {
	run -0 sc - create:"$W/empty" </dev/null
	[[ -f $W/empty && ! -s $W/empty ]]
}

@test "file: file: is an alias of open:, OPEN and CREATE in capitals" {
	printf 'alias\n' >"$W/in"
	run -0 sc file:"$W/in" - </dev/null
	[[ $output == alias ]]
	run -0 sc OPEN:"$W/in" CREATE:"$W/out"
	cmp "$W/in" "$W/out"
}

@test "file: open: with a comma in the path, escaped" {
	printf 'comma\n' >"$W/a,b"
	run -0 sc 'open:'"$W"'/a\,b' - </dev/null
	[[ $output == comma ]]
}

@test "file: open: writes what the other side sends when it is writable" {
	printf 'old content\n' >"$W/rw"
	# -U: only ADDRESS2 -> ADDRESS1, so the file is only written to
	run -0 sc -U open:"$W/rw" - <<<"new"
	[[ $(head -c 4 "$W/rw") == new ]]
}

@test "file: open: of a missing file is exit 1 with one error line" {
	run -1 --separate-stderr sc open:"$W/missing" - </dev/null
	assert_one_error "open:$W/missing"
	[[ $stderr == *"No such file"* ]]
	[[ -z $output ]]
}

@test "file: create: in a missing directory is exit 1 with one error line" {
	run -1 --separate-stderr sc - create:"$W/nodir/out" </dev/null
	assert_one_error "create:$W/nodir/out"
}

@test "file: open: of an unreadable file is exit 1" {
	[[ $(id -u) -ne 0 ]] || skip "root reads every file"
	printf 'secret\n' >"$W/secret"
	chmod 000 "$W/secret"
	run -1 --separate-stderr sc open:"$W/secret" - </dev/null
	assert_one_error "open:$W/secret"
}

@test "file: crlf on create: turns LF into CRLF in the file" {
	printf 'l1\nl2\n' >"$W/in"
	run -0 sc - create:"$W/out",crlf <"$W/in"
	printf 'l1\r\nl2\r\n' >"$W/want"
	cmp "$W/want" "$W/out"
}

@test "file: open:/dev/null as a sink" {
	run -0 sc - open:/dev/null <<<"discard"
	[[ -z $output ]]
}
