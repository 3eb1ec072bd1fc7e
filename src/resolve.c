/* resolve.c: name resolution that never blocks an event loop. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * A lookup with glibc's getaddrinfo_a(3): the whole of getaddrinfo (NSS,
 * /etc/hosts, DNS) in glibc's own threads, with the completion signalled
 * on an eventfd(2) the caller polls. A lookup given up while still running
 * cannot be freed (its thread will write to the eventfd): it is parked on
 * a list and freed once it has finished (resolve_reap).
 */
struct resolve {
	struct gaicb	 cb;
	struct addrinfo	 hints;
	char		*host;
	char		*port;
	int		 fd;		/* eventfd, written on completion */
	int		 notified;	/* the completion was read from fd */
	struct resolve	*next;		/* on the parked list */
};

static struct resolve	*resolve_parked;

/* Completion (in a glibc thread): wake whoever polls the eventfd. */
static void
resolve_notify(union sigval sv)
{
	uint64_t	one = 1;
	ssize_t		n;

	n = write(sv.sival_int, &one, sizeof(one));
	(void)n;
}

/* Free r: its result, its strings, its eventfd. */
static void
resolve_free(struct resolve *r)
{
	if (r->cb.ar_result != NULL)
		freeaddrinfo(r->cb.ar_result);
	if (r->fd != -1)
		close(r->fd);
	free(r->host);
	free(r->port);
	free(r);
}

/*
 * Has r's completion been signalled? Reads the eventfd once it has, so
 * that it is never written again after we free r and close it.
 */
static int
resolve_notified(struct resolve *r)
{
	uint64_t	v;

	if (!r->notified && read(r->fd, &v, sizeof(v)) == sizeof(v))
		r->notified = 1;
	return r->notified;
}

/*
 * Free the parked lookups whose completion has been signalled since they
 * were given up (the glibc thread is done with their eventfd).
 */
void
resolve_reap(void)
{
	struct resolve	**rp, *r;

	for (rp = &resolve_parked; (r = *rp) != NULL;) {
		if (!resolve_notified(r)) {
			rp = &r->next;
			continue;
		}
		*rp = r->next;
		resolve_free(r);
	}
}

/*
 * Is host:port made of literals (an IPv4 or IPv6 address, maybe with a
 * %scope, and a port number), so that getaddrinfo(3) answers at once
 * without any lookup?
 */
int
resolve_is_literal(const char *host, const char *port)
{
	unsigned char	buf[16];
	char		tmp[INET6_ADDRSTRLEN + 1];
	const char	*pct;
	size_t		n;

	if (port != NULL && port[strspn(port, "0123456789")] != '\0')
		return 0;
	if (host == NULL)
		return 1;
	if (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1)
		return 1;
	/* fe80::1%lo: the scope is a name, but one the kernel knows. */
	if ((pct = strchr(host, '%')) == NULL ||
	    (n = (size_t)(pct - host)) >= sizeof(tmp))
		return 0;
	memcpy(tmp, host, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, buf) == 1;
}

/*
 * Start looking up host and port (either may be NULL, as for
 * getaddrinfo(3)) with hints. Returns the lookup, whose eventfd
 * (resolve_fd) becomes readable when resolve_result() can answer, or NULL
 * with errno set (no descriptor, no thread).
 */
struct resolve *
resolve_start(const char *host, const char *port,
    const struct addrinfo *hints)
{
	struct resolve	*r;
	struct gaicb	*list[1];
	struct sigevent	 sev;
	int		 e;

	resolve_reap();
	r = xcalloc(1, sizeof(*r));
	r->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->fd == -1) {
		free(r);
		return NULL;
	}
	r->hints = *hints;
	r->host = host != NULL ? xstrdup(host) : NULL;
	r->port = port != NULL ? xstrdup(port) : NULL;
	r->cb.ar_name = r->host;
	r->cb.ar_service = r->port;
	r->cb.ar_request = &r->hints;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = resolve_notify;
	sev.sigev_value.sival_int = r->fd;
	list[0] = &r->cb;
	if ((e = getaddrinfo_a(GAI_NOWAIT, list, 1, &sev)) != 0) {
		resolve_free(r);
		errno = e == EAI_AGAIN ? EAGAIN : ENOMEM;
		return NULL;
	}
	return r;
}

/* The descriptor to poll for readability until r has finished. */
int
resolve_fd(const struct resolve *r)
{
	return r->fd;
}

/*
 * The outcome of r: EAI_INPROGRESS while it runs (poll resolve_fd again),
 * else getaddrinfo(3)'s result: 0 with *res set (now the caller's, to
 * freeaddrinfo), or an EAI_* error (EAI_SYSTEM with errno).
 */
int
resolve_result(struct resolve *r, struct addrinfo **res)
{
	int	e;

	/* Done only once the notification is in: then fd is ours alone. */
	if (!resolve_notified(r))
		return EAI_INPROGRESS;
	e = gai_error(&r->cb);
	if (e == 0) {
		*res = r->cb.ar_result;
		r->cb.ar_result = NULL;
	}
	return e;
}

/*
 * Forget r, finished or not: a queued lookup is cancelled; a running or
 * finished one whose completion has not been read yet is parked until it
 * has (resolve_reap). No return value.
 */
void
resolve_cancel(struct resolve *r)
{
	if (r == NULL)
		return;
	/* A cancelled lookup is never notified; one that ran always is. */
	if (!resolve_notified(r) && gai_cancel(&r->cb) != EAI_CANCELED) {
		r->next = resolve_parked;
		resolve_parked = r;
		return;
	}
	resolve_free(r);
}
