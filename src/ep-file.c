/* ep-file.c: open, create and gopen: files, devices and named entries. */
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
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* How long a read at end of file waits with ignoreeof, ms (tail -f). */
#define FILE_IGNOREEOF_MS	100

/* Private state of a file endpoint (ep->ctx). */
struct file_ctx {
	char	*unlink_path;	/* removed at close (unlink-close), or NULL */
	int	 ignoreeof;	/* end of file is not the end of input */
};

static int	file_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	file_create(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	file_gopen(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	file_read(struct endpoint *, void *, size_t);
static void	file_close(struct endpoint *);

#define FILE_GROUPS	(G_ANY | G_FILE | G_NAMED | G_TERMIOS)

const struct addr_type at_open = {
	.name = "open",
	.params_min = 1,
	.params_max = 1,
	.groups = FILE_GROUPS,
	.syntax = "PATH",
	.help = "an existing file, read (and written when writable)",
	.open = file_open,
};

const struct addr_type at_create = {
	.name = "create",
	.params_min = 1,
	.params_max = 1,
	.groups = FILE_GROUPS,
	.syntax = "PATH",
	.help = "create or truncate a file and write to it",
	.open = file_create,
};

/* Also what a bare path as an address is (addr.c). */
const struct addr_type at_gopen = {
	.name = "gopen",
	.params_min = 1,
	.params_max = 1,
	.groups = FILE_GROUPS | G_SOCKET | G_UNIX,
	.syntax = "PATH",
	.help = "any file system entry: a file (appended), a device, a unix "
	    "socket",
	.open = file_gopen,
};

static const struct ep_ops file_ops = {
	.name = "file",
	.read = file_read,
	.write = ep_fd_write,
	.shutdown_wr = ep_fd_shutdown_wr,
	.pending = ep_fd_pending,
	.close = file_close,
};

/*
 * Read: at end of file with ignoreeof, wait FILE_IGNOREEOF_MS and say
 * "nothing yet", so a growing file is followed as tail -f does. Returns
 * what ep_fd_read() returns.
 */
static ssize_t
file_read(struct endpoint *ep, void *buf, size_t len)
{
	struct file_ctx	*c = ep->ctx;
	struct timespec	 ts;
	ssize_t		 n;

	n = ep_fd_read(ep, buf, len);
	if (n != 0 || !c->ignoreeof)
		return n;
	ts.tv_sec = 0;
	ts.tv_nsec = FILE_IGNOREEOF_MS * 1000000L;
	nanosleep(&ts, NULL);
	return EP_WANT_READ;
}

/* Close the descriptor and remove the file with unlink-close. */
static void
file_close(struct endpoint *ep)
{
	struct file_ctx	*c = ep->ctx;
	int		 saved = errno;

	ep_fd_close(ep);
	if (c->unlink_path != NULL) {
		unlink(c->unlink_path);
		free(c->unlink_path);
	}
	free(c);
	ep->ctx = NULL;
	errno = saved;
}

/*
 * user=NAME or a number: the uid it names. Returns 0, or -1 after a
 * message "sockcat: ADDR: user NAME: unknown".
 */
int
file_user(const struct addr *a, uid_t *uid)
{
	struct passwd	*pw;
	unsigned long	 v;

	if (parse_uint(a->opts.user, 0, 0x7fffffff, &v) == 0) {
		*uid = (uid_t)v;
		return 0;
	}
	if ((pw = getpwnam(a->opts.user)) == NULL) {
		warnx("%s: user %s: no such user", a->text, a->opts.user);
		return -1;
	}
	*uid = pw->pw_uid;
	return 0;
}

/*
 * The options that follow the creation of the file system entry `path`
 * of address a: mode= (perm=) and user= (socat's NAMED group). Returns 0,
 * or -1 after a message.
 */
int
file_named(const struct addr *a, const char *path)
{
	uid_t	uid;

	if (opts_isset(&a->opts, OPT_MODE) &&
	    chmod(path, (mode_t)a->opts.mode) == -1) {
		warn("%s: chmod %s", a->text, path);
		return -1;
	}
	if (opts_isset(&a->opts, OPT_USER)) {
		if (file_user(a, &uid) == -1)
			return -1;
		if (chown(path, uid, (gid_t)-1) == -1) {
			warn("%s: chown %s", a->text, path);
			return -1;
		}
	}
	return 0;
}

/*
 * Open PATH (a->params[0]) with the open(2) flags given plus those of the
 * options (o-append, o-creat, o-excl, o-nonblock, o-trunc; perm= for a
 * created file), after unlink-early, and make ep of it with the EP_*
 * flags given: a terminal gets the termios options, user= and mode= are
 * applied, unlink-close removes the file at the end. Returns 0, or
 * EXIT_RUNTIME after "sockcat: ADDR: what: reason".
 */
static int
file_endpoint_open(const struct addr *a, int oflags, int flags,
    const char *what, struct endpoint *ep)
{
	const char	*path = a->params[0];
	struct file_ctx	*c;
	struct stat	 sb;
	mode_t		 mode = 0666;
	int		 fd;

	if (a->opts.o_append)
		oflags |= O_APPEND;
	if (a->opts.o_creat)
		oflags |= O_CREAT;
	if (a->opts.o_excl)
		oflags |= O_EXCL;
	if (a->opts.o_nonblock)
		oflags |= O_NONBLOCK;
	if (a->opts.o_trunc)
		oflags |= O_TRUNC;
	if (opts_isset(&a->opts, OPT_MODE))
		mode = (mode_t)a->opts.mode;
	if (a->opts.unlink_early && unlink(path) == -1 && errno != ENOENT) {
		warn("%s: unlink", a->text);
		return EXIT_RUNTIME;
	}
	fd = open(path, oflags | O_NOCTTY | O_CLOEXEC, mode);
	if (fd == -1) {
		warn("%s: %s", a->text, what);
		return EXIT_RUNTIME;
	}
	/* Only what we created gets perm= and user=: as socat's NAMED. */
	if ((oflags & O_CREAT) && file_named(a, path) == -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	if (termios_check(a, fd) != 0) {
		close(fd);
		return EXIT_RUNTIME;
	}
	/* Sockets, pipes and files can be spliced; terminals fall back. */
	if (fstat(fd, &sb) == 0 && !S_ISCHR(sb.st_mode) && !a->opts.ignoreeof)
		flags |= EP_PLAIN;
	set_nonblock(fd, 1);
	ep_init(ep, a->text, fd, fd, flags, &file_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF_BOTH;
	c = xcalloc(1, sizeof(*c));
	c->ignoreeof = a->opts.ignoreeof;
	/* Files stay unless asked (socat: unlink-close defaults to 0). */
	if (opts_isset(&a->opts, OPT_UNLINK_CLOSE) && a->opts.unlink_close)
		c->unlink_path = xstrdup(path);
	ep->ctx = c;
	return 0;
}

/* The open(2) access mode and EP_* flags of a's role (socat: -u, -U, !!). */
static int
file_access(const struct addr *a, int *flags)
{
	switch (a->role) {
	case ADDR_RDONLY:
		*flags = EP_RDONLY;
		return O_RDONLY;
	case ADDR_WRONLY:
		*flags = EP_WRONLY;
		return O_WRONLY;
	default:
		*flags = 0;
		return O_RDWR;
	}
}

/*
 * open: read and write an existing file, as socat's OPEN does; a file we
 * may only read is opened read-only and nothing is written to it. In a
 * read or write role it is opened for that only. Returns 0, or
 * EXIT_RUNTIME after "sockcat: open:PATH: open: reason".
 */
static int
file_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct stat	 sb;
	int		 oflags, flags;

	oflags = file_access(a, &flags);
	if (oflags == O_RDWR && ((stat(a->params[0], &sb) == 0 &&
	    S_ISDIR(sb.st_mode)) || (access(a->params[0], W_OK) == -1 &&
	    (errno == EACCES || errno == EROFS))))
		return file_endpoint_open(a, O_RDONLY, EP_RDONLY, "open", ep);
	return file_endpoint_open(a, oflags, flags, "open", ep);
}

/*
 * create: create or truncate PATH (mode 0666 less the umask, or perm=) and
 * write what the other side sends into it; nothing is read from it.
 * Returns 0, or EXIT_RUNTIME after one line naming the reason.
 */
static int
file_create(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	return file_endpoint_open(a, O_WRONLY | O_CREAT | O_TRUNC, EP_WRONLY,
	    "create", ep);
}

/*
 * gopen (and a bare path): as socat's GOPEN, by what PATH is: a unix
 * socket is connected to (stream, seqpacket, datagram: the unix type); a
 * directory is an error; anything else is opened (created when missing)
 * and written at its end (O_APPEND), a terminal with the termios
 * options. Returns 0, or EXIT_RUNTIME (EXIT_CONNECT for a socket nobody
 * listens on) after a message.
 */
static int
file_gopen(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	struct stat	 sb;
	int		 oflags, flags;

	if (stat(a->params[0], &sb) == 0) {
		if (S_ISSOCK(sb.st_mode))
			return ep_unix_open(a, peer, ep);
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			warn("%s: open", a->text);
			return EXIT_RUNTIME;
		}
	}
	oflags = file_access(a, &flags);
	return file_endpoint_open(a, oflags | O_APPEND | O_CREAT, flags,
	    "open", ep);
}
