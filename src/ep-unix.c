/* ep-unix.c: unix domain sockets: unix, unix-listen, abstract(-listen). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* Pause between retries (retry=N) when interval= is not given, ms. */
#define UNIX_INTERVAL	1000

static int	unix_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	unix_listen(const struct addr *, struct listener *);
static void	unix_close(struct endpoint *);

#define UNIX_CLIENT_GROUPS	(G_ANY | G_SOCKET | G_CLIENT | G_RETRY | \
				    G_UNIX | G_NAMED)
#define UNIX_LISTEN_GROUPS	(G_ANY | G_SOCKET | G_LISTEN | G_RETRY | \
				    G_UNIXLISTEN | G_UNIX | G_REUSE | G_NAMED | \
				    G_MANY | G_ROOM)

const struct addr_type at_unix = {
	.name = "unix",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_LOOP,
	.groups = UNIX_CLIENT_GROUPS,
	.family = AF_UNIX,
	.syntax = "PATH",
	.help = "unix socket client (stream, seqpacket or dgram)",
	.open = unix_open,
	.check = unix_check,
};

const struct addr_type at_unix_listen = {
	.name = "unix-listen",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_LISTEN | AT_LOOP,
	.groups = UNIX_LISTEN_GROUPS | G_UNIXFILE,
	.family = AF_UNIX,
	.syntax = "PATH",
	.help = "unix socket server; fork as for TCP",
	.listen = unix_listen,
	.check = unix_check,
};

const struct addr_type at_abstract = {
	.name = "abstract",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_ABSTRACT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_CLIENT | G_RETRY | G_UNIX,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "Linux abstract-namespace unix socket client",
	.open = unix_open,
	.check = unix_check,
};

const struct addr_type at_abstract_listen = {
	.name = "abstract-listen",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_LISTEN | AT_ABSTRACT | AT_LOOP,
	.groups = UNIX_LISTEN_GROUPS,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "Linux abstract-namespace unix socket server",
	.listen = unix_listen,
	.check = unix_check,
};

/* A unix client socket: plain descriptors, and the bind= file to remove. */
static const struct ep_ops unix_ops = {
	.name = "unix socket",
	.read = ep_fd_read,
	.write = ep_fd_write,
	.shutdown_wr = ep_fd_shutdown_wr,
	.pending = ep_fd_pending,
	.close = unix_close,
};

/*
 * Fill sun with path, or with the abstract name (after a NUL byte) when
 * abstract is set; a's text names the address in the message. Returns the
 * address length, or 0 after "path too long" (EXIT_USAGE).
 */
socklen_t
unix_sockaddr(const struct addr *a, const char *path, int abstract,
    struct sockaddr_un *sun)
{
	size_t		 len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len + (abstract ? 1 : 0) >= sizeof(sun->sun_path)) {
		warnx("%s: path too long: %zu bytes, at most %zu", a->text,
		    len, sizeof(sun->sun_path) - 1 - (abstract ? 1 : 0));
		return 0;
	}
	if (abstract) {
		memcpy(sun->sun_path + 1, path, len);
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
		    len);
	}
	memcpy(sun->sun_path, path, len + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
}

/*
 * Parse-time check of the unix types (struct addr_type check): sun_path
 * holds a path and its NUL, or a NUL and an abstract name. Pure. Returns
 * 0, or AE_CHECK with e->detail saying why.
 */
int
unix_check(const struct addr *a, struct addr_error *e)
{
	struct sockaddr_un	 sun;
	size_t			 max;

	max = sizeof(sun.sun_path) - 1 - ((a->type->flags & AT_ABSTRACT) ?
	    1 : 0);
	if (a->nparams != 1 || strlen(a->params[0]) <= max)
		return 0;
	snprintf(e->detail, sizeof(e->detail), "socket path too long: %zu "
	    "bytes, at most %zu", strlen(a->params[0]), max);
	e->code = AE_CHECK;
	return AE_CHECK;
}

/* The name of a unix socket type, for -v. */
static const char *
unix_type_name(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_SEQPACKET:
		return "seqpacket";
	default:
		return "dgram";
	}
}

/*
 * bind= of a unix client: bind fd to the path (the abstract name for
 * abstract types), removing a stale file first with unlink-early; mode=
 * and user= then apply to it. Writes the path to remove at the end
 * (unlink-close, on by default) to *unlinkp, or NULL. Without bind=, a
 * datagram socket is autobound (the kernel picks an abstract name) so that
 * answers can come back. Returns 0, or -1 with errno (message done for
 * other errors than bind's).
 */
int
unix_bind(const struct addr *a, int fd, int type, char **unlinkp)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 abstract = (a->type->flags & AT_ABSTRACT) != 0;

	*unlinkp = NULL;
	if (!opts_isset(&a->opts, OPT_BIND)) {
		if (type != SOCK_DGRAM)
			return 0;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		return bind(fd, (struct sockaddr *)&sun, sizeof(sa_family_t));
	}
	if ((len = unix_sockaddr(a, a->opts.bind, abstract, &sun)) == 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!abstract && a->opts.unlink_early && unlink(a->opts.bind) == -1 &&
	    errno != ENOENT)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, len) == -1)
		return -1;
	if (!abstract) {
		if (file_named(a, a->opts.bind) == -1) {
			unlink(a->opts.bind);
			errno = EPERM;
			return -1;
		}
		if (a->opts.unlink_close)
			*unlinkp = xstrdup(a->opts.bind);
	}
	return 0;
}

/*
 * One connect to sun: stream first, then seqpacket, then datagram (whose
 * socket autobinds so replies can come back), as socat's UNIX-CLIENT
 * does; type= tries only that type. The kernel refuses a wrong type with
 * EPROTOTYPE, or for an abstract name (looked up with its type) with
 * ECONNREFUSED. Returns the socket with its type in *typep and the bound
 * file to remove in *unlinkp, or -1 with errno (ECONNREFUSED when some
 * type found nobody).
 */
static int
unix_try(const struct addr *a, const struct sockaddr_un *sun, socklen_t len,
    int *typep, char **unlinkp)
{
	static const int	types[] = { SOCK_STREAM, SOCK_SEQPACKET,
				    SOCK_DGRAM };
	size_t			i;
	int			fd, saved, refused = 0, type;

	*unlinkp = NULL;
	for (i = 0; i < nitems(types); i++) {
		type = opts_isset(&a->opts, OPT_TYPE) ? a->opts.type :
		    types[i];
		fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
		if (fd == -1)
			return -1;
		if (opts_apply(fd, a, PH_SOCKET) == -1) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		if (unix_bind(a, fd, type, unlinkp) == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (connect(fd, (const struct sockaddr *)sun, len) == 0) {
			*typep = type;
			return fd;
		}
		saved = errno;
		close(fd);
		if (*unlinkp != NULL) {
			unlink(*unlinkp);
			free(*unlinkp);
			*unlinkp = NULL;
		}
		if (saved == ECONNREFUSED)
			refused = 1;
		else if (saved != EPROTOTYPE) {
			errno = saved;
			return -1;
		}
		if (opts_isset(&a->opts, OPT_TYPE)) {
			errno = saved;
			return -1;
		}
	}
	errno = refused ? ECONNREFUSED : EPROTOTYPE;
	return -1;
}

/* Close the socket and remove the bind= file (unlink-close). */
static void
unix_close(struct endpoint *ep)
{
	char	*path = ep->ctx;
	int	 saved = errno;

	ep_fd_close(ep);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	ep->ctx = NULL;
	errno = saved;
}

/*
 * The exit status of a failed connect to path (an abstract name when
 * abstract is set) with errno error: a missing or forbidden path, or one
 * that is no socket at all (a file, a directory), or a socket of another
 * type, is a runtime error (EXIT_RUNTIME); a socket nobody listens on is a
 * refused connection (EXIT_CONNECT, SPEC section 2).
 */
int
unix_error_status(const char *path, int abstract, int error)
{
	struct stat	sb;

	if (error == ENOENT || error == EACCES || error == ENOTDIR ||
	    error == EPROTOTYPE || error == ENAMETOOLONG)
		return EXIT_RUNTIME;
	if (!abstract && error == ECONNREFUSED && stat(path, &sb) == 0 &&
	    !S_ISSOCK(sb.st_mode))
		return EXIT_RUNTIME;
	return EXIT_CONNECT;
}

/*
 * unix and abstract clients (and gopen of a socket): connect as unix_try()
 * says, with retry= and interval= as for TCP. Returns 0, or EXIT_CONNECT
 * (EXIT_RUNTIME for a missing or forbidden path, or one that is not a
 * socket) after "sockcat: ADDR: connect: reason".
 */
int
ep_unix_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct sockaddr_un	sun;
	struct timespec		ts;
	socklen_t		len;
	unsigned		attempt;
	long			interval;
	int			fd, type, r, abstract;
	char			*unlink_path;

	abstract = (a->type->flags & AT_ABSTRACT) != 0;
	if ((len = unix_sockaddr(a, a->params[0], abstract, &sun)) == 0)
		return EXIT_USAGE;
	interval = opts_isset(&a->opts, OPT_INTERVAL) ?
	    a->opts.interval_ms : UNIX_INTERVAL;
	for (attempt = 0;; attempt++) {
		if ((fd = unix_try(a, &sun, len, &type, &unlink_path)) != -1)
			break;
		if (attempt >= a->opts.retry && !a->opts.forever) {
			r = unix_error_status(a->params[0], abstract, errno);
			if (r == EXIT_RUNTIME && errno == ECONNREFUSED)
				warnx("%s: connect: %s (not a socket)",
				    a->text, strerror(errno));
			else
				warn("%s: connect", a->text);
			return r;
		}
		ts.tv_sec = interval / 1000;
		ts.tv_nsec = (interval % 1000) * 1000000;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	}
	log_verbose(1, "connected to %s%s (%s)", abstract ? "@" : "",
	    a->params[0], unix_type_name(type));
	if ((r = ep_socket_endpoint(a, fd, ep)) != 0) {
		if (unlink_path != NULL)
			unlink(unlink_path);
		free(unlink_path);
		return r;
	}
	ep->ops = &unix_ops;
	ep->ctx = unlink_path;
	return 0;
}

/* The client's open op: ep_unix_open(). */
static int
unix_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	return ep_unix_open(a, peer, ep);
}

/*
 * Bind fd to sun (len bytes) for address a: a stale file removed first
 * with unlink-early, created with mode= (the umask is narrowed while
 * binding, so the file never has a wider mode than asked), owned by
 * user=. retry=/interval=/forever retry a bind that fails with EADDRINUSE
 * (socat's RETRY group on listeners). Returns 0, or EXIT_RUNTIME after a
 * message.
 */
int
unix_bind_listen(const struct addr *a, int fd, const struct sockaddr_un *sun,
    socklen_t len)
{
	struct timespec	 ts;
	struct stat	 sb;
	mode_t		 old = 0;
	uid_t		 uid;
	unsigned	 attempt;
	long		 interval;
	int		 r, saved, abstract = sun->sun_path[0] == '\0';
	const char	*path = sun->sun_path;

	if (!abstract && a->opts.unlink_early && unlink(path) == -1 &&
	    errno != ENOENT) {
		warn("%s: unlink", a->text);
		return EXIT_RUNTIME;
	}
	interval = opts_isset(&a->opts, OPT_INTERVAL) ?
	    a->opts.interval_ms : UNIX_INTERVAL;
	for (attempt = 0;; attempt++) {
		if (!abstract && opts_isset(&a->opts, OPT_MODE))
			old = umask(~(mode_t)a->opts.mode & 0777);
		r = bind(fd, (const struct sockaddr *)sun, len);
		saved = errno;
		if (!abstract && opts_isset(&a->opts, OPT_MODE))
			umask(old);
		if (r == 0 || saved != EADDRINUSE ||
		    (attempt >= a->opts.retry && !a->opts.forever))
			break;
		ts.tv_sec = interval / 1000;
		ts.tv_nsec = (interval % 1000) * 1000000;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		errno = saved;
		if (errno == EADDRINUSE && !abstract &&
		    stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
			warnx("%s: bind: %s (a stale socket file? add "
			    ",unlink-early)", a->text, strerror(saved));
		else
			warn("%s: bind", a->text);
		return EXIT_RUNTIME;
	}
	if (!abstract && file_named(a, path) == -1) {
		unlink(path);
		return EXIT_RUNTIME;
	}
	/* No file: user= owns the socket itself (socat: fchown). */
	if (abstract && opts_isset(&a->opts, OPT_USER)) {
		if (file_user(a, &uid) == -1)
			return EXIT_RUNTIME;
		if (fchown(fd, uid, (gid_t)-1) == -1) {
			warn("%s: fchown", a->text);
			return EXIT_RUNTIME;
		}
	}
	return 0;
}

/*
 * unix-listen and abstract-listen: a socket of type= (stream by default)
 * bound to PATH as unix_bind_listen() says. Fills l; the path is removed
 * when the listener ends (unless unlink-close=0). Returns 0, or
 * EXIT_USAGE/EXIT_RUNTIME after a message.
 */
static int
unix_listen(const struct addr *a, struct listener *l)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, r, abstract;

	abstract = (a->type->flags & AT_ABSTRACT) != 0;
	if ((len = unix_sockaddr(a, a->params[0], abstract, &sun)) == 0)
		return EXIT_USAGE;
	fd = socket(AF_UNIX, a->opts.type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return EXIT_RUNTIME;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	if ((r = unix_bind_listen(a, fd, &sun, len)) != 0) {
		close(fd);
		return r;
	}
	if (!abstract && a->opts.unlink_close)
		l->unlink_path = xstrdup(a->params[0]);
	if (a->opts.type != SOCK_DGRAM &&
	    listen(fd, (int)a->opts.backlog) == -1) {
		warn("%s: listen", a->text);
		close(fd);
		return EXIT_RUNTIME;
	}
	l->fd = fd;
	l->family = AF_UNIX;
	l->socktype = a->opts.type;
	l->protocol = 0;
	l->locallen = len;
	memcpy(&l->local, &sun, len);
	listen_log(l);
	return 0;
}
