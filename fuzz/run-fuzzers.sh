#!/bin/sh
# run-fuzzers.sh: run each libFuzzer target for FUZZ_SECONDS and report.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# usage: run-fuzzers.sh CORPUSDIR TARGET...   (from the build directory,
# after `make fuzz`; `make fuzz-run` calls it)
# Each target fuzz/fuzz-T runs on a scratch copy of CORPUSDIR/T (new inputs
# go to fuzz/run/T, so the seed corpus in the repository stays small), for
# FUZZ_SECONDS (default 60) seconds. Prints per target one line
#     fuzz-T: N execs in S s, R execs/s, C crashes
# Exits 1 when a target crashed, leaked, or broke one of its checks; the
# input that did it is left in fuzz/artifacts/ (add it to CORPUSDIR/T and
# a test).

corpus=$1
shift
secs=${FUZZ_SECONDS:-60}
status=0
total=0

mkdir -p fuzz/run fuzz/artifacts
for t in "$@"; do
	bin=fuzz/fuzz-$t
	log=fuzz/run/$t.log
	if [ ! -x "$bin" ]; then
		echo "run-fuzzers: $bin missing: run make fuzz" >&2
		exit 1
	fi
	mkdir -p "fuzz/run/$t"
	# The seeds run first, as regression inputs.
	rc=0
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	    -rss_limit_mb=2048 -max_len=4096 \
	    -artifact_prefix="fuzz/artifacts/$t-" \
	    "fuzz/run/$t" "$corpus/$t" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" |
	    tail -n 1)
	crashes=$(ls "fuzz/artifacts/$t-"* 2>/dev/null | wc -l)
	echo "fuzz-$t: ${execs:-?} execs in ${secs} s, ${rate:-?} execs/s," \
	    "$crashes crashes (exit $rc)"
	total=$((total + ${execs:-0}))
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		status=1
		echo "---- tail of $log ----"
		tail -n 60 "$log"
	fi
done
echo "fuzz: $total execs in total"
exit $status
