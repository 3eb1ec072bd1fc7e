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
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* Pause between retries (retry=N) when interval= is not given, ms. */
#define UNIX_INTERVAL	1000

static int	unix_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	unix_listen(const struct addr *, struct listener *);
static int	unix_check(const struct addr *, struct addr_error *);

const struct addr_type at_unix = {
	.name = "unix",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_CLIENT,
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
	.groups = G_ANY | G_SOCKET | G_LISTEN | G_MANY | G_ROOM |
	    G_UNIXLISTEN | G_UNIXFILE,
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
	.flags = AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_CLIENT,
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
	.flags = AT_LISTEN | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_LISTEN | G_MANY | G_ROOM | G_UNIXLISTEN,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "Linux abstract-namespace unix socket server",
	.listen = unix_listen,
	.check = unix_check,
};

/*
 * Fill sun with the address's path (or abstract name, after a NUL byte).
 * Returns the address length, or 0 after "path too long" (EXIT_USAGE).
 */
static socklen_t
unix_sockaddr(const struct addr *a, struct sockaddr_un *sun)
{
	const char	*path = a->params[0];
	size_t		 len = strlen(path);
	int		 abstract = a->type == &at_abstract ||
			    a->type == &at_abstract_listen;

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
static int
unix_check(const struct addr *a, struct addr_error *e)
{
	struct sockaddr_un	 sun;
	size_t			 max;

	max = sizeof(sun.sun_path) - 1 - (a->type == &at_abstract ||
	    a->type == &at_abstract_listen);
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
 * One connect to sun: stream first, then seqpacket, then datagram (whose
 * socket autobinds so replies can come back), as socat's UNIX-CLIENT
 * does. The kernel refuses a wrong type with EPROTOTYPE, or for an
 * abstract name (looked up with its type) with ECONNREFUSED. Returns the
 * socket with its type in *typep, or -1 with errno (ECONNREFUSED when
 * some type found nobody).
 */
static int
unix_try(const struct addr *a, const struct sockaddr_un *sun, socklen_t len,
    int *typep)
{
	static const int	types[] = { SOCK_STREAM, SOCK_SEQPACKET,
				    SOCK_DGRAM };
	size_t			i;
	int			fd, saved, refused = 0;
	struct sockaddr_un	any;

	for (i = 0; i < nitems(types); i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd == -1)
			return -1;
		if (opts_apply(fd, a, PH_SOCKET) == -1) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		/* Autobind: the kernel picks an abstract name for us. */
		memset(&any, 0, sizeof(any));
		any.sun_family = AF_UNIX;
		if (types[i] == SOCK_DGRAM && bind(fd,
		    (const struct sockaddr *)&any, sizeof(sa_family_t)) == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (connect(fd, (const struct sockaddr *)sun, len) == 0) {
			*typep = types[i];
			return fd;
		}
		saved = errno;
		close(fd);
		if (saved == ECONNREFUSED)
			refused = 1;
		else if (saved != EPROTOTYPE) {
			errno = saved;
			return -1;
		}
	}
	errno = refused ? ECONNREFUSED : EPROTOTYPE;
	return -1;
}

/*
 * unix and abstract clients: connect as unix_try() says, with retry= and
 * interval= as for TCP. Returns 0, or EXIT_CONNECT (EXIT_RUNTIME for a
 * missing or forbidden path) after "sockcat: ADDR: connect: reason".
 */
static int
unix_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct sockaddr_un	sun;
	struct timespec		ts;
	socklen_t		len;
	unsigned		attempt;
	long			interval;
	int			fd, type;

	if ((len = unix_sockaddr(a, &sun)) == 0)
		return EXIT_USAGE;
	interval = opts_isset(&a->opts, OPT_INTERVAL) ?
	    a->opts.interval_ms : UNIX_INTERVAL;
	for (attempt = 0;; attempt++) {
		if ((fd = unix_try(a, &sun, len, &type)) != -1)
			break;
		if (attempt >= a->opts.retry) {
			warn("%s: connect", a->text);
			return (errno == ENOENT || errno == EACCES ||
			    errno == ENOTDIR) ? EXIT_RUNTIME : EXIT_CONNECT;
		}
		ts.tv_sec = interval / 1000;
		ts.tv_nsec = (interval % 1000) * 1000000;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	}
	log_verbose(1, "connected to %s%s (%s)", a->type == &at_abstract ?
	    "@" : "", a->params[0], unix_type_name(type));
	return ep_socket_endpoint(a, fd, ep);
}

/*
 * unix-listen and abstract-listen: a socket of type= (stream by default)
 * bound to PATH, the file removed first with unlink-early and created with
 * mode= (the umask is narrowed while binding, so the file never has a wider
 * mode than asked). Fills l; the path is removed when the listener ends.
 * Returns 0, or EXIT_USAGE/EXIT_RUNTIME after a message.
 */
static int
unix_listen(const struct addr *a, struct listener *l)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	mode_t			old = 0;
	int			fd, r, saved, abstract;
	struct stat		sb;

	if ((len = unix_sockaddr(a, &sun)) == 0)
		return EXIT_USAGE;
	abstract = sun.sun_path[0] == '\0';
	fd = socket(AF_UNIX, a->opts.type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return EXIT_RUNTIME;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	if (!abstract && a->opts.unlink_early && unlink(a->params[0]) == -1 &&
	    errno != ENOENT) {
		warn("%s: unlink", a->text);
		close(fd);
		return EXIT_RUNTIME;
	}
	if (!abstract && opts_isset(&a->opts, OPT_MODE))
		old = umask(~(mode_t)a->opts.mode & 0777);
	r = bind(fd, (struct sockaddr *)&sun, len);
	saved = errno;
	if (!abstract && opts_isset(&a->opts, OPT_MODE)) {
		umask(old);
		if (r == 0 && chmod(a->params[0], (mode_t)a->opts.mode) == -1)
			warn("%s: chmod", a->text);
	}
	if (r == -1) {
		errno = saved;
		if (errno == EADDRINUSE && !abstract &&
		    stat(a->params[0], &sb) == 0 && S_ISSOCK(sb.st_mode))
			warnx("%s: bind: %s (a stale socket file? add "
			    ",unlink-early)", a->text, strerror(saved));
		else
			warn("%s: bind", a->text);
		close(fd);
		return EXIT_RUNTIME;
	}
	if (!abstract)
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
