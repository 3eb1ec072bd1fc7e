#!/bin/sh
# autogen.sh: generate configure and Makefile.in from a fresh clone.
set -e
cd "$(dirname "$0")"
autoreconf -fi
