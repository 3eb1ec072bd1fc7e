/* ep-stdio.c: "-" (stdio), stdin, stdout and stderr: our own descriptors. */
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

/* Saved descriptor flags of fds 0, 1 and 2 (-1: untouched), for close. */
struct stdio_ctx {
	int	flags[3];
};

static int	stdio_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	stdin_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	stdout_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	stderr_open(const struct addr *, const struct endpoint *,
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
	.groups = G_ANY | G_TERMIOS | G_STDIO,
	.syntax = "",
	.help = "standard input and output (also written -)",
	.open = stdio_open,
};

const struct addr_type at_stdin = {
	.name = "stdin",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY | G_TERMIOS,
	.syntax = "",
	.help = "standard input only (socat's STDIN)",
	.open = stdin_open,
};

const struct addr_type at_stdout = {
	.name = "stdout",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY | G_TERMIOS,
	.syntax = "",
	.help = "standard output only (socat's STDOUT)",
	.open = stdout_open,
};

const struct addr_type at_stderr = {
	.name = "stderr",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY | G_TERMIOS,
	.syntax = "",
	.help = "standard error only (socat's STDERR)",
	.open = stderr_open,
};

/* Is fd a socket? */
static int
stdio_is_socket(int fd)
{
	struct stat	sb;

	return fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

/*
 * Our descriptors rfd (input, or -1) and wfd (output, or -1) as one
 * endpoint, with the EP_* flags given. They are made non-blocking, except
 * a terminal, whose flags the shell shares; termios options (raw, echo=,
 * b9600...) apply to a terminal among them. The old flags come back on
 * close. Returns 0 or EXIT_RUNTIME after a message.
 */
static int
stdio_fds(const struct addr *a, int rfd, int wfd, int flags,
    struct endpoint *ep)
{
	struct stdio_ctx	*c;
	int			 fd, i;

	/* Terminal options go to the terminal among them (one is enough). */
	fd = rfd != -1 && isatty(rfd) ? rfd : wfd != -1 && isatty(wfd) ? wfd :
	    rfd != -1 ? rfd : wfd;
	if (termios_check(a, fd) != 0)
		return EXIT_RUNTIME;
	c = xcalloc(1, sizeof(*c));
	for (i = 0; i < 3; i++)
		c->flags[i] = -1;
	for (i = 0; i < 2; i++) {
		fd = i == 0 ? rfd : wfd;
		if (fd == -1)
			continue;
		c->flags[fd] = fcntl(fd, F_GETFL);
		if (c->flags[fd] != -1 && !isatty(fd))
			fcntl(fd, F_SETFL, c->flags[fd] | O_NONBLOCK);
	}
	ep_init(ep, a->text, rfd, wfd, flags | EP_PLAIN, &stdio_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF_BOTH;
	ep->ctx = c;
	return 0;
}

/*
 * stdio and -: fds 0 and 1 (only one of them in a read or write role). A
 * terminal on fd 0 is someone typing: tty.c puts its layer on top (the
 * escape key, line editing) and the session ends with the other side
 * (EP_INTERACTIVE). peer is NULL when this is ADDRESS1.
 */
static int
stdio_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	int	r;

	if (a->role == ADDR_RDONLY)
		return stdio_fds(a, 0, -1, EP_RDONLY, ep);
	if (a->role == ADDR_WRONLY)
		return stdio_fds(a, -1, 1, EP_WRONLY, ep);
	if ((r = stdio_fds(a, 0, 1, 0, ep)) != 0 || !isatty(0))
		return r;
	/* Someone typing: the session ends with the other side (SPEC 9). */
	ep->flags |= EP_INTERACTIVE;
	/* Is standard input read at all (-u, -U)? */
	if (cfg.dirs & (peer == NULL ? DIR_FWD : DIR_REV))
		return tty_attach(ep, a, isatty(1));
	return 0;
}

/* stdin: fd 0, only read from. */
static int
stdin_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	return stdio_fds(a, 0, -1, EP_RDONLY, ep);
}

/* stdout: fd 1, only written to. */
static int
stdout_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	return stdio_fds(a, -1, 1, EP_WRONLY, ep);
}

/* stderr: fd 2, only written to. */
static int
stderr_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	return stdio_fds(a, -1, 2, EP_WRONLY, ep);
}

/*
 * Half-close of stdout: shutdown(SHUT_WR) when it is a socket (inetd,
 * a parent sockcat), else replace it with /dev/null so the reader sees end
 * of input while fd 1 stays taken; stderr is left open for messages.
 * Returns 0 or -1 with errno.
 */
static int
stdio_shutdown_wr(struct endpoint *ep)
{
	int	fd;

	if (ep->wfd == -1)
		return 0;
	if (ep->wfd == 2) {
		/* stderr stays: our own messages still go there. */
		ep->wfd = -1;
		return 0;
	}
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

/* Restore the flags of fds 0 to 2; they stay open for the program. */
static void
stdio_close(struct endpoint *ep)
{
	struct stdio_ctx	*c = ep->ctx;
	int			 fd;

	for (fd = 0; fd < 3; fd++)
		if (c->flags[fd] != -1)
			fcntl(fd, F_SETFL, c->flags[fd]);
	free(c);
	ep->ctx = NULL;
	ep->rfd = ep->wfd = -1;
}
