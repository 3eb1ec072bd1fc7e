#!/usr/bin/env bats
# scan.bats: -z, port checks (SPEC 9, issue 13): open, closed, unresolvable,
# ranges checked at the same time, each port bounded by connect-timeout.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

# ports NAME COUNT OPEN... -- SILENT...: COUNT consecutive free ports on
# 127.0.0.1 (from 20000 to 32000), the first in BASE; the offsets OPEN listen and accept (and
# count the connections and bytes they get in $W/NAME.OFFSET), the
# offsets SILENT listen with a full backlog, so that a connect to them
# gets no answer at all; the others are closed.
ports()
{
	local name=$1
	shift
	start_bg "$name" timeout 120 python3 -c '
import os, random, socket, sys, threading, time
name, count = sys.argv[1], int(sys.argv[2])
args = sys.argv[3:]
k = args.index("--")
open_, silent = [int(x) for x in args[:k]], [int(x) for x in args[k + 1:]]
# Below the ephemeral range (32768 and up on Linux), where the kernel
# does not hand out the ports of other tests. SO_REUSEADDR: a port of an
# earlier connection still in TIME_WAIT will do.
for attempt in range(500):
    base = random.randrange(20000, 32000 - count)
    socks = []
    try:
        for off in range(count):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            socks.append(s)
            s.bind(("127.0.0.1", base + off))
        break
    except OSError:
        for s in socks:
            s.close()
else:
    sys.exit("no free block of ports")
def serve(off, s):
    conns = nbytes = 0
    while True:
        c, a = s.accept()
        conns += 1
        c.settimeout(5)
        try:
            while True:
                d = c.recv(4096)
                if not d:
                    break
                nbytes += len(d)
        except OSError:
            pass
        c.close()
        with open("%s.%d" % (name, off), "w") as f:
            f.write("%d %d\n" % (conns, nbytes))
hold = []
for off, s in enumerate(socks):
    if off in open_:
        s.listen(8)
        threading.Thread(target=serve, args=(off, s), daemon=True).start()
    elif off in silent:
        s.listen(0)
        for j in range(4):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", base + off))
            except BlockingIOError:
                pass
            hold.append(c)
    else:
        s.close()
time.sleep(0.3)
with open(name + ".base.tmp", "w") as f:
    f.write("%d\n" % base)
os.rename(name + ".base.tmp", name + ".base")
time.sleep(1000)
' "$W/$name" "$@"
	wait_for_line "$W/$name.base" '^[0-9]+$' 10
	BASE=$(cat "$W/$name.base")
}

@test "scan: -z on an open port: exit 0, nothing sent, silent without -v" {
	ports p 1 0 --
	run -0 --separate-stderr sc -z "tcp:127.0.0.1:$BASE"
	[[ -z $output && -z $stderr ]]
	# The server saw one connection and not one byte.
	wait_for_line "$W/p.0" '^1 0$' 10
	run -0 --separate-stderr sc -v -z "tcp:127.0.0.1:$BASE"
	[[ -z $output ]]
	[[ $stderr == "sockcat: 127.0.0.1:$BASE open" ]]
	wait_for_line "$W/p.0" '^2 0$' 10
}

@test "scan: -z on a closed port: exit 4, and with -v why" {
	local port
	port=$(free_port)
	run -4 --separate-stderr sc -z "tcp:127.0.0.1:$port"
	[[ -z $output && -z $stderr ]]
	run -4 --separate-stderr sc -v -z "tcp:127.0.0.1:$port"
	[[ $stderr == "sockcat: 127.0.0.1:$port failed: Connection refused" ]]
}

@test "scan: -z on a host that does not resolve: exit 3" {
	run -3 --separate-stderr sc -z tcp:no-such-host.invalid:80
	assert_one_error "no-such-host.invalid"
}

@test "scan: a range of 20 with 2 open: one line per port, in about one timeout" {
	# Open at offsets 3 and 14, no answer at 7 and 11, the rest closed.
	ports r 20 3 14 -- 7 11
	local t0 t1 hi=$((BASE + 19)) off want=
	t0=$(now)
	run -0 --separate-stderr sc -v -z \
	    "tcp:127.0.0.1:$BASE-$hi,connect-timeout=1"
	t1=$(now)
	# Concurrent: one timeout (1 s) for all, not one per silent port.
	elapsed_between "$t0" "$t1" 0.9 1.8
	for ((off = 0; off < 20; off++)); do
		case $off in
		3|14)	want+="sockcat: 127.0.0.1:$((BASE + off)) open"$'\n' ;;
		7|11)	want+="sockcat: 127.0.0.1:$((BASE + off)) failed: Connection timed out"$'\n' ;;
		*)	want+="sockcat: 127.0.0.1:$((BASE + off)) failed: Connection refused"$'\n' ;;
		esac
	done
	[[ $stderr == "${want%$'\n'}" ]]
	[[ -z $output ]]
}

@test "scan: a range with none open exits 4" {
	ports n 5 -- 2
	run -4 --separate-stderr sc -z \
	    "tcp:127.0.0.1:$BASE-$((BASE + 4)),connect-timeout=0.5"
	[[ -z $stderr ]]
}

@test "scan: without connect-timeout, a port that does not answer gives up after 2 s" {
	ports s 1 -- 0
	local t0 t1
	t0=$(now)
	run -4 --separate-stderr sc -v -z "tcp:127.0.0.1:$BASE"
	t1=$(now)
	elapsed_between "$t0" "$t1" 1.9 3.5
	[[ $stderr == "sockcat: 127.0.0.1:$BASE failed: Connection timed out" ]]
}

@test "scan: a port range without -z, or -z where it does not apply, is a usage error" {
	assert_usage "a port range needs -z" -- tcp:127.0.0.1:20-25
	assert_usage "a port range needs -z" -- - tcp:127.0.0.1:20-25
	assert_usage "bad port range '25-20'" -- -z tcp:127.0.0.1:25-20
	assert_usage "bad port range '0-20'" -- -z tcp:127.0.0.1:0-20
	assert_usage "udp:127.0.0.1:53" -- -z udp:127.0.0.1:53
	assert_usage "tcp-listen:0" -- -z tcp-listen:0
	assert_usage "-z takes one address" -- -z tcp:127.0.0.1:80 -
	assert_usage "no option but connect-timeout" -- \
	    -z tcp:127.0.0.1:80,bind=127.0.0.1
}
