/* ep-file.c: the "open" and "create" addresses (files and devices). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sockcat.h"

static int	file_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	file_create(const struct addr *, const struct endpoint *,
		    struct endpoint *);

const struct addr_type at_open = {
	.name = "open",
	.params_min = 1,
	.params_max = 1,
	.groups = G_ANY,
	.syntax = "PATH",
	.help = "an existing file, read (and written when writable)",
	.open = file_open,
};

const struct addr_type at_create = {
	.name = "create",
	.params_min = 1,
	.params_max = 1,
	.groups = G_ANY,
	.syntax = "PATH",
	.help = "create or truncate a file and write to it",
	.open = file_create,
};

/* Set up ep around fd opened for `path` with the given EP_* flags. */
static void
file_endpoint(const struct addr *a, int fd, int flags, struct endpoint *ep)
{
	struct stat	sb;

	/* Sockets, pipes and files can be spliced; terminals fall back. */
	if (fstat(fd, &sb) == 0 && !S_ISCHR(sb.st_mode))
		flags |= EP_PLAIN;
	set_nonblock(fd, 1);
	ep_init(ep, a->text, fd, fd, flags, &fd_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF;
}

/*
 * open: read and write an existing file, as socat's OPEN does; a file we
 * may only read is opened read-only and nothing is written to it. Returns
 * 0, or EXIT_RUNTIME after "sockcat: open:PATH: open: reason".
 */
static int
file_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	int	fd, flags = 0;

	fd = open(a->params[0], O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd == -1 && (errno == EACCES || errno == EROFS ||
	    errno == EISDIR)) {
		fd = open(a->params[0], O_RDONLY | O_NOCTTY | O_CLOEXEC);
		flags = EP_RDONLY;
	}
	if (fd == -1) {
		warn("%s: open", a->text);
		return EXIT_RUNTIME;
	}
	file_endpoint(a, fd, flags, ep);
	return 0;
}

/*
 * create: create or truncate PATH (mode 0666 less the umask) and write what
 * the other side sends into it; nothing is read from it. Returns 0, or
 * EXIT_RUNTIME after one line naming the reason.
 */
static int
file_create(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	int	fd;

	fd = open(a->params[0], O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY |
	    O_CLOEXEC, 0666);
	if (fd == -1) {
		warn("%s: create", a->text);
		return EXIT_RUNTIME;
	}
	file_endpoint(a, fd, EP_WRONLY, ep);
	return 0;
}
