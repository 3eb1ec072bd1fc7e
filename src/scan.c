/* scan.c: -z, which TCP ports accept a connection, without sending data. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * nc's -z (SPEC 9): connect to each port of tcp:HOST:PORT or
 * tcp:HOST:LOW-HIGH and close at once, sending nothing. The ports of a
 * range are tried at the same time (at most SCAN_INFLIGHT at once), each
 * for at most connect-timeout (SCAN_TIMEOUT without it), through every
 * address HOST resolves to in turn, so a range takes about one timeout,
 * not one per port. With -v, one line per port in port order:
 *
 *	sockcat: HOST:PORT open
 *	sockcat: HOST:PORT failed: REASON
 *
 * (HOST as written, an IPv6 literal in brackets; REASON as strerror(3)
 * says it, e.g. "Connection refused", "Connection timed out").
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/* Time each port may take, ms, when connect-timeout= is not given. */
#define SCAN_TIMEOUT	2000
/* Most connections in flight at once. */
#define SCAN_INFLIGHT	256
/* Most addresses of HOST tried for each port. */
#define SCAN_MAXADDRS	16
/* The result of a port still being tried. */
#define SCAN_PENDING	(-1)

struct scan_port {
	int	 fd;		/* the connect in flight, or -1 */
	int	 next;		/* index of the next address to try */
	long	 deadline;	/* now_ms() when the port gives up */
	int	 result;	/* SCAN_PENDING, 0 (open) or an errno */
};

struct scan {
	const struct addr	*a;
	struct addrinfo		*ai[SCAN_MAXADDRS];
	size_t			 nai;
	unsigned		 lo, hi;
	long			 timeout;	/* ms per port */
	struct scan_port	*p;		/* one per port, lo first */
};

/*
 * Start the next connect of port i (port number lo + i). On an
 * immediate answer the port is done or goes on to its next address.
 * Returns 0, or -1 when no socket could be made now (too many open
 * files) and the port should wait for others to finish.
 */
static int
scan_start(struct scan *s, size_t i)
{
	struct scan_port	*p = &s->p[i];
	struct sockaddr_storage	 ss;
	struct addrinfo		*ai;
	int			 fd, error = p->result;

	p->result = SCAN_PENDING;
	while (p->next < (int)s->nai) {
		ai = s->ai[p->next];
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, IPPROTO_TCP);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE)
				return -1;
			error = errno;
			p->next++;
			continue;
		}
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		if (ss.ss_family == AF_INET6)
			((struct sockaddr_in6 *)(void *)&ss)->sin6_port =
			    htons((uint16_t)(s->lo + i));
		else
			((struct sockaddr_in *)(void *)&ss)->sin_port =
			    htons((uint16_t)(s->lo + i));
		p->next++;
		if (connect(fd, (struct sockaddr *)&ss, ai->ai_addrlen) == 0) {
			close(fd);
			p->result = 0;
			return 0;
		}
		if (errno == EINPROGRESS || errno == EINTR) {
			p->fd = fd;
			return 0;
		}
		error = errno;
		close(fd);
	}
	/* Every address failed: the last reason stands. */
	p->result = error > 0 ? error : ECONNREFUSED;
	return 0;
}

/* The connect of port i has an answer: open, or on to the next address. */
static void
scan_done(struct scan *s, size_t i)
{
	struct scan_port	*p = &s->p[i];
	socklen_t		 len = sizeof(int);
	int			 soerr = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	close(p->fd);
	p->fd = -1;
	if (soerr == 0) {
		p->result = 0;
		return;
	}
	p->result = soerr;
	if (p->next < (int)s->nai && now_ms() < p->deadline &&
	    scan_start(s, i) == -1)
		p->result = EMFILE;
}

/* The -v line of port i: "HOST:PORT open" or "HOST:PORT failed: why". */
static void
scan_report(const struct scan *s, size_t i)
{
	const char	*host = s->a->params[0];
	int		 v6 = strchr(host, ':') != NULL;

	if (s->p[i].result == 0)
		log_verbose(1, "%s%s%s:%u open", v6 ? "[" : "", host,
		    v6 ? "]" : "", s->lo + (unsigned)i);
	else
		log_verbose(1, "%s%s%s:%u failed: %s", v6 ? "[" : "", host,
		    v6 ? "]" : "", s->lo + (unsigned)i,
		    strerror(s->p[i].result));
}

/* Run every port to its end; returns how many are open. */
static size_t
scan_loop(struct scan *s)
{
	struct pollfd	*pfd;
	size_t		*idx, n = s->hi - s->lo + 1, started = 0, shown = 0;
	size_t		 i, k, inflight, open = 0;
	long		 now, wait;
	int		 full;

	pfd = xcalloc(SCAN_INFLIGHT, sizeof(*pfd));
	idx = xcalloc(SCAN_INFLIGHT, sizeof(*idx));
	while (shown < n) {
		/* Start ports while there is room; their time starts. */
		inflight = 0;
		for (i = shown; i < started; i++)
			inflight += s->p[i].fd != -1;
		full = 0;
		while (started < n && inflight < SCAN_INFLIGHT && !full) {
			s->p[started].deadline = now_ms() + s->timeout;
			if (scan_start(s, started) == -1) {
				if (inflight == 0) {
					s->p[started].result = EMFILE;
					started++;
				}
				full = 1;
				continue;
			}
			inflight += s->p[started].fd != -1;
			started++;
		}
		/* Poll what is in flight until its first deadline. */
		now = now_ms();
		wait = -1;
		for (i = shown, k = 0; i < started; i++) {
			if (s->p[i].fd == -1)
				continue;
			if (now >= s->p[i].deadline) {
				close(s->p[i].fd);
				s->p[i].fd = -1;
				s->p[i].result = ETIMEDOUT;
				continue;
			}
			if (wait == -1 || s->p[i].deadline - now < wait)
				wait = s->p[i].deadline - now;
			pfd[k].fd = s->p[i].fd;
			pfd[k].events = POLLOUT;
			pfd[k].revents = 0;
			idx[k++] = i;
		}
		if (k > 0 && poll(pfd, (nfds_t)k, (int)wait) > 0) {
			for (i = 0; i < k; i++)
				if (pfd[i].revents != 0)
					scan_done(s, idx[i]);
		}
		/* Report the ports that are done, in order. */
		while (shown < started && s->p[shown].result != SCAN_PENDING &&
		    s->p[shown].fd == -1) {
			scan_report(s, shown);
			open += s->p[shown].result == 0;
			shown++;
		}
	}
	free(pfd);
	free(idx);
	return open;
}

/*
 * -z: check the ports of address a (a TCP client, main.c made sure; its
 * port may be a range LOW-HIGH) as described above; -4/-6 and
 * connect-timeout= apply. Returns 0 when at least one port is open,
 * EXIT_CONNECT when none is, EXIT_RESOLVE (after the message) when HOST
 * does not resolve.
 */
int
scan_run(const struct addr *a)
{
	struct scan		 s;
	struct addrinfo		*res, *ai;
	struct sockaddr_in	*sin;
	const char		*port = a->nparams >= 2 ? a->params[1] : "23";
	unsigned		 lo, hi;
	size_t			 i, n, open;
	int			 r;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.timeout = opts_isset(&a->opts, OPT_CONNECT_TIMEOUT) ?
	    a->opts.connect_timeout_ms : SCAN_TIMEOUT;
	if (addr_port_range(port, &lo, &hi) == 0)
		port = "0";
	if ((r = inet_resolve(a, a->params[0], port, SOCK_STREAM, 0,
	    &res)) != 0)
		return r;
	if (strcmp(port, "0") != 0) {
		/* One port, maybe a service name: as getaddrinfo says. */
		sin = (struct sockaddr_in *)(void *)res->ai_addr;
		lo = hi = res->ai_family == AF_INET6 ? ntohs(((struct
		    sockaddr_in6 *)(void *)res->ai_addr)->sin6_port) :
		    ntohs(sin->sin_port);
	}
	for (ai = res; ai != NULL && s.nai < SCAN_MAXADDRS; ai = ai->ai_next)
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			s.ai[s.nai++] = ai;
	s.lo = lo;
	s.hi = hi;
	n = hi - lo + 1;
	s.p = xcalloc(n, sizeof(*s.p));
	for (i = 0; i < n; i++) {
		s.p[i].fd = -1;
		s.p[i].result = SCAN_PENDING;
	}
	open = scan_loop(&s);
	free(s.p);
	freeaddrinfo(res);
	return open > 0 ? 0 : EXIT_CONNECT;
}
