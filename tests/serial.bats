#!/usr/bin/env bats
# serial.bats: serial lines on device files (issue 15): gopen: and a bare
# path on a terminal device with the termios options b9600 ... b4000000,
# speed=, raw, echo=, opost=, cs5..cs8 (csize=), parenb, crtscts, clocal.
# The line is a pseudo terminal from python's os.openpty(): sockcat opens
# its terminal side as it would /dev/ttyS0, python plays the far end on
# the master and reads the settings back with tcgetattr.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

bats_require_minimum_version 1.5.0

# LINE_PY SOCKCAT ADDRESS-PREFIX OPTIONS: open a pty, run "SOCKCAT
# PREFIX/dev/pts/N,OPTIONS -", send "down\n" through sockcat and "up\n"
# back, then print what the master got, what sockcat printed, and the
# settings of the line as "name=value" lines.
LINE_PY='
import os, sys, select, subprocess, termios
sc, prefix, opts = sys.argv[1], sys.argv[2], sys.argv[3]
m, s = os.openpty()
name = os.ttyname(s)
addr = prefix + name + ("," + opts if opts else "")
p = subprocess.Popen([sc, "-t", "0.5", addr, "-"], stdin=subprocess.PIPE,
    stdout=subprocess.PIPE)
got = out = b""
try:
    p.stdin.write(b"down\n")
    p.stdin.flush()
except BrokenPipeError:
    pass
# Until the line is through, or sockcat gave up.
for i in range(100):
    if got.endswith(b"\n") or p.poll() is not None:
        break
    r, _, _ = select.select([m], [], [], 0.1)
    if r:
        got += os.read(m, 100)
# sockcat has the line open and set: read the settings.
iflag, oflag, cflag, lflag, ispeed, ospeed, cc = termios.tcgetattr(s)
if p.poll() is None:
    os.write(m, b"up\n")
    out = p.stdout.readline()
try:
    p.stdin.close()
except BrokenPipeError:
    pass
p.wait(10)
print("master=%r" % got)
print("sockcat=%r" % out)
print("rc=%d" % p.returncode)
speeds = {getattr(termios, n): n[1:] for n in dir(termios)
    if n.startswith("B") and n[1:].isdigit()}
print("speed=%s" % speeds.get(ospeed, "?"))
print("ispeed=%s" % speeds.get(ispeed, "?"))
sizes = {termios.CS5: 5, termios.CS6: 6, termios.CS7: 7, termios.CS8: 8}
print("csize=%d" % sizes[cflag & termios.CSIZE])
for f in ("PARENB", "CRTSCTS", "CLOCAL"):
    print("%s=%d" % (f.lower(), bool(cflag & getattr(termios, f))))
for f in ("ECHO", "ICANON"):
    print("%s=%d" % (f.lower(), bool(lflag & getattr(termios, f))))
print("opost=%d" % bool(oflag & termios.OPOST))
'

# line PREFIX OPTIONS: run LINE_PY; its lines (and sockcat's stderr) land
# in $output.
line()
{
	run -0 timeout 30 python3 -c "$LINE_PY" "$SOCKCAT" "$@"
}

# is NAME VALUE: line() printed NAME=VALUE.
is()
{
	grep -qxF -- "$1=$2" <<<"$output"
}

@test "serial: gopen on a terminal device relays both ways" {
	line gopen: ""
	is rc 0
	is master "b'down\r\n'"
	is sockcat "b'up\n'"
	# A bare path is gopen too.
	line "" ""
	is rc 0
	is sockcat "b'up\n'"
}

@test "serial: raw and opost=0 send the bytes as they are" {
	line gopen: raw
	is master "b'down\n'"
	is echo 0
	is icanon 0
	line gopen: opost=0
	is master "b'down\n'"
	is echo 1
	is icanon 1
}

@test "serial: b9600, b115200, b4000000 and speed= set the line speed" {
	line gopen: b9600
	is rc 0
	is speed 9600
	is ispeed 9600
	line "" b115200
	is speed 115200
	line gopen: b4000000
	is speed 4000000
	line gopen: speed=57600
	is speed 57600
	run -2 --separate-stderr sc - /dev/null,b12345
	[[ $stderr == *"not a line speed"* ]]
	run -2 --separate-stderr sc - gopen:/dev/null,speed=x
}

@test "serial: parenb, crtscts, clocal and echo= set their flags" {
	line gopen: crtscts,clocal,echo=0
	is rc 0
	is crtscts 1
	is clocal 1
	is echo 0
	line gopen: parenb=0,crtscts=0,clocal=0,echo=1
	is rc 0
	is parenb 0
	is crtscts 0
	is clocal 0
	is echo 1
}

# A pseudo terminal keeps 8 bits without parity (Linux): cs7 and parenb
# must not be lost silently.
@test "serial: cs5 ... cs8 (csize=) and parenb the device refuses are errors" {
	line gopen: cs8
	is rc 0
	is csize 8
	line gopen: cs7
	is rc 1
	[[ $output == *"terminal options:"* ]]
	line gopen: csize=5,raw
	is rc 1
	line gopen: parenb
	is rc 1
	# On a bare path too.
	line "" cs6
	is rc 1
	run -2 --separate-stderr sc - gopen:/dev/null,cs9
	run -2 --separate-stderr sc - gopen:/dev/null,csize=4
}

@test "serial: termios options on a file that is no terminal fail" {
	: >"$W/plain"
	run -1 --separate-stderr sc -u /dev/null "$W/plain",b9600
	[[ $stderr == *"terminal options"* ]]
	# -s goes on with a warning.
	run -0 --separate-stderr sc -s -u /dev/null "$W/plain",b9600
	[[ $stderr == *"terminal options"* ]]
}
