/* ep-stdio.c: the "-" address, standard input and output. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "sockcat.h"

/* Saved descriptor flags of fds 0 and 1, restored on close. */
struct stdio_ctx {
	int	flags[2];
};

static int	stdio_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	stdio_shutdown_wr(struct endpoint *);
static void	stdio_close(struct endpoint *);

static const struct ep_ops stdio_ops = {
	.name = "stdio",
	.read = ep_fd_read,
	.write = ep_fd_write,
	.shutdown_wr = stdio_shutdown_wr,
	.pending = ep_fd_pending,
	.close = stdio_close,
};

const struct addr_type at_stdio = {
	.name = "stdio",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY | G_STDIO,
	.syntax = "",
	.help = "standard input and output (also written -)",
	.open = stdio_open,
};

/* Is fd a socket? */
static int
stdio_is_socket(int fd)
{
	struct stat	sb;

	return fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

/*
 * Open fds 0 and 1 as one endpoint. They are made non-blocking, except a
 * terminal, whose flags the shell shares; the old flags come back on close.
 * A terminal on fd 0 is someone typing: tty.c puts its layer on top (the
 * escape key, line editing) and the session ends with the other side
 * (EP_INTERACTIVE). peer is NULL when this is ADDRESS1.
 */
static int
stdio_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	struct stdio_ctx	*c;
	int			 fd, tty[2];

	c = xcalloc(1, sizeof(*c));
	for (fd = 0; fd < 2; fd++) {
		c->flags[fd] = fcntl(fd, F_GETFL);
		tty[fd] = isatty(fd);
		if (c->flags[fd] != -1 && !tty[fd])
			fcntl(fd, F_SETFL, c->flags[fd] | O_NONBLOCK);
	}
	ep_init(ep, a->text, 0, 1, EP_PLAIN, &stdio_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF;
	ep->ctx = c;
	if (tty[0]) {
		ep->flags |= EP_INTERACTIVE;
		/* Is standard input read at all (-u, -U)? */
		if (cfg.dirs & (peer == NULL ? DIR_FWD : DIR_REV))
			return tty_attach(ep, a, tty[1]);
	}
	return 0;
}

/*
 * Half-close of stdout: shutdown(SHUT_WR) when it is a socket (inetd,
 * a parent sockcat), else replace it with /dev/null so the reader sees end
 * of input while fd 1 stays taken. Returns 0 or -1 with errno.
 */
static int
stdio_shutdown_wr(struct endpoint *ep)
{
	int	fd;

	if (ep->wfd == -1)
		return 0;
	if (stdio_is_socket(ep->wfd)) {
		if (shutdown(ep->wfd, SHUT_WR) == -1 && errno != ENOTCONN)
			return -1;
		return 0;
	}
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	dup2(fd, ep->wfd);
	close(fd);
	ep->wfd = -1;
	return 0;
}

/* Restore the flags of fds 0 and 1; they stay open for the program. */
static void
stdio_close(struct endpoint *ep)
{
	struct stdio_ctx	*c = ep->ctx;
	int			 fd;

	for (fd = 0; fd < 2; fd++)
		if (c->flags[fd] != -1)
			fcntl(fd, F_SETFL, c->flags[fd]);
	free(c);
	ep->ctx = NULL;
	ep->rfd = ep->wfd = -1;
}
