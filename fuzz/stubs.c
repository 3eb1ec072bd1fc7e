/* stubs.c: main.c's globals and signal functions for the fuzz targets. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * The fuzz targets link every source file but main.c (the parsers need
 * the at_* type instances of the ep-*.c files, and those pull in the rest).
 * These stand in for what main.c defines; the parsers never call them.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <signal.h>
#include <stdlib.h>

#include "sockcat.h"

struct config cfg;
volatile sig_atomic_t sig_term;

static sigset_t	stubs_mask;

void
signals_defer(__unused int on)
{
}

const sigset_t *
signals_pollmask(void)
{
	sigemptyset(&stubs_mask);
	return &stubs_mask;
}
