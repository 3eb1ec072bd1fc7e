/* ep-echo.c: the built-in "echo" endpoint, which sends back what it gets. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <fcntl.h>
#include <unistd.h>

#include "sockcat.h"

static int	echo_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);

const struct addr_type at_echo = {
	.name = "echo",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY,
	.syntax = "",
	.help = "send back what is received (socat's pipe)",
	.open = echo_open,
};

/*
 * A pipe is the echo: what the relay writes into one end comes back out of
 * the other, with the pipe's capacity as back-pressure and closing the
 * write end (the half-close) as end of input. Returns 0 or EXIT_RUNTIME.
 */
static int
echo_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	int	p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1) {
		warn("%s: pipe", a->text);
		return EXIT_RUNTIME;
	}
	ep_init(ep, a->text, p[0], p[1], EP_PLAIN, &fd_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF_BOTH;
	return 0;
}
