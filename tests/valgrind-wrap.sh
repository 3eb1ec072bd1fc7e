#!/bin/sh
# valgrind-wrap.sh: run sockcat under valgrind memcheck, for check-valgrind.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# `make check-valgrind` points SOCKCAT at this script, so the bats tests
# run it in place of the binary (SOCKCAT_REAL). Each process, fork
# children included, writes its report to VALGRIND_LOGDIR/vg.PID.log;
# programs that sockcat execs (exec:, system:) are not traced. With
# --quiet a clean run leaves an empty report.
#
#   valgrind-wrap.sh ARGS...        run SOCKCAT_REAL ARGS under valgrind
#   valgrind-wrap.sh --check DIR    list the reports in DIR that are not
#                                   empty; exit 1 if there is one

if [ "${1:-}" = --check ]; then
	dir=$2
	n=$(ls "$dir"/vg.*.log 2>/dev/null | wc -l)
	bad=0
	for f in "$dir"/vg.*.log; do
		[ -s "$f" ] || continue
		bad=$((bad + 1))
		echo "---- $f ----"
		cat "$f"
	done
	echo "valgrind: $n processes checked, $bad with errors or" \
	    "definite leaks"
	[ "$bad" -eq 0 ]
	exit
fi

: "${SOCKCAT_REAL:?SOCKCAT_REAL must name the sockcat binary}"
: "${VALGRIND_LOGDIR:?VALGRIND_LOGDIR must name a directory}"
exec valgrind --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --quiet --trace-children=no --child-silent-after-fork=no \
    --log-file="$VALGRIND_LOGDIR/vg.%p.log" "$SOCKCAT_REAL" "$@"
