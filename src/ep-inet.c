/* ep-inet.c: IP code shared by TCP, UDP and TLS: resolve, connect, listen. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* RFC 8305 section 5: "Connection Attempt Delay", 250 ms recommended. */
#define INET_ATTEMPT_DELAY	250
/* Pause between retries (retry=N) when interval= is not given, ms. */
#define INET_INTERVAL		1000
/* Most addresses raced for one name. */
#define INET_MAXADDRS		16

/*
 * The address family an address may use: the alias (tcp4, tcp6), pf=, or
 * -4/-6, else AF_UNSPEC. main checks beforehand that they do not conflict.
 */
int
inet_family(const struct addr *a)
{
	if (a->family != AF_UNSPEC)
		return a->family;
	if (a->opts.pf == AF_INET || a->opts.pf == AF_INET6)
		return a->opts.pf;
	return cfg.family;
}

/*
 * getaddrinfo(3) for host (NULL: the wildcard of a listener) and port
 * (number or service name) with the address's family and socktype;
 * passive for bind/listen. Returns 0 with *res set, or EXIT_RESOLVE after
 * "sockcat: ADDR: HOST: reason".
 */
int
inet_resolve(const struct addr *a, const char *host, const char *port,
    int socktype, int passive, struct addrinfo **res)
{
	struct addrinfo	hints;
	int		error;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = inet_family(a);
	hints.ai_socktype = socktype;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	error = getaddrinfo(host, port, &hints, res);
	if (error == 0)
		return 0;
	if (error == EAI_SYSTEM)
		warn("%s: %s", a->text, host ? host : port);
	else if (error == EAI_SERVICE)
		warnx("%s: port %s: %s", a->text, port, gai_strerror(error));
	else
		warnx("%s: %s: %s", a->text, host ? host : port,
		    gai_strerror(error));
	return EXIT_RESOLVE;
}

/*
 * Split the bind= value "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT" into
 * host and port (port NULL when absent) inside buf. Returns 0 or -1.
 */
static int
inet_split_bind(const char *value, char *buf, size_t len, char **host,
    char **port)
{
	char	*p, *colon;

	if (strlen(value) >= len)
		return -1;
	memcpy(buf, value, strlen(value) + 1);
	*port = NULL;
	if (buf[0] == '[') {
		p = strchr(buf, ']');
		if (p == NULL)
			return -1;
		*p++ = '\0';
		*host = buf + 1;
		if (*p == ':')
			*port = p + 1;
		else if (*p != '\0')
			return -1;
		return 0;
	}
	*host = buf;
	colon = strchr(buf, ':');
	/* One colon is HOST:PORT; more is a bare IPv6 literal. */
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		*port = colon + 1;
	}
	return 0;
}

/* Fill e with AE_CHECK and the printf-style reason; returns AE_CHECK. */
static int __printflike(2, 3)
inet_check_fail(struct addr_error *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	e->code = AE_CHECK;
	return AE_CHECK;
}

/*
 * Parse-time check of an IP address type (struct addr_type check; a new
 * IP type sets it too): the proxy chain (proxy_check()) and the WebSocket
 * options (ws_addr_check()) of the types that take them; bind= is HOST,
 * HOST:PORT, [V6] or [V6]:PORT. On a listener bind= is the address to
 * listen on, as HOST would be, so it cannot come with a HOST parameter
 * and takes no port (the PORT parameter is the port). A TLS or DTLS
 * listener needs cert=, and key= comes only with cert=, so neither waits
 * for a peer to fail. Pure. Returns 0, or AE_CHECK with e->detail saying
 * why.
 */
int
inet_check(const struct addr *a, struct addr_error *e)
{
	char	 buf[256], *host, *port, why[sizeof(e->detail) - 8];

	if ((a->type->groups & G_TLS) && !opts_isset(&a->opts, OPT_CERT)) {
		if (opts_isset(&a->opts, OPT_KEY))
			return inet_check_fail(e, "key= needs cert=");
		if (a->type->flags & AT_LISTEN)
			return inet_check_fail(e, "a TLS server needs "
			    "cert=FILE (and key=FILE unless the key is in it)");
	}
	if (proxy_check(a, why, sizeof(why)) == -1)
		return inet_check_fail(e, "proxy: %s", why);
	if ((a->type->groups & G_WS) &&
	    ws_addr_check(a, why, sizeof(why)) == -1)
		return inet_check_fail(e, "%s", why);
	if (!opts_isset(&a->opts, OPT_BIND))
		return 0;
	if (inet_split_bind(a->opts.bind, buf, sizeof(buf), &host, &port) ==
	    -1)
		return inet_check_fail(e, "bind=%.64s: malformed address",
		    a->opts.bind);
	if ((a->type->flags & AT_LISTEN) == 0)
		return 0;
	if (a->nparams == 2)
		return inet_check_fail(e, "HOST %.64s and bind=%.64s both give "
		    "the address to listen on; give one", a->params[0],
		    a->opts.bind);
	if (port != NULL)
		return inet_check_fail(e, "bind=%.64s: a listener's bind= takes "
		    "no port; the port is PORT", a->opts.bind);
	if (*host == '\0')
		return inet_check_fail(e, "bind=%.64s: no address",
		    a->opts.bind);
	return 0;
}

/*
 * bind= for a socket of the given family: bind fd to the option's address
 * (and port). Returns 0 (also when the option is not set), or EXIT_RESOLVE
 * or EXIT_RUNTIME after a message.
 */
static int
inet_bind_opt(const struct addr *a, int fd, int family, int socktype)
{
	struct addrinfo	hints, *res, *ai;
	char		buf[256], *host, *port;
	int		error;

	if (!opts_isset(&a->opts, OPT_BIND))
		return 0;
	if (inet_split_bind(a->opts.bind, buf, sizeof(buf), &host, &port) ==
	    -1) {
		warnx("%s: bind=%s: malformed address", a->text, a->opts.bind);
		return EXIT_USAGE;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_PASSIVE;
	error = getaddrinfo(*host ? host : NULL, port ? port : "0", &hints,
	    &res);
	if (error != 0) {
		warnx("%s: bind=%s: %s", a->text, a->opts.bind,
		    gai_strerror(error));
		return EXIT_RESOLVE;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
	if (ai == NULL) {
		warn("%s: bind %s", a->text, a->opts.bind);
		freeaddrinfo(res);
		return EXIT_RUNTIME;
	}
	freeaddrinfo(res);
	return 0;
}

/*
 * Start a non-blocking connect to ai. Returns the socket (connecting or
 * connected), or -1 with errno; EXIT_* in *fatal for errors that must stop
 * the whole connect (bind= problems).
 */
static int
inet_start(const struct addr *a, struct addrinfo *ai, int *fatal)
{
	int	fd, r, saved;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		*fatal = EXIT_RUNTIME;
		close(fd);
		return -1;
	}
	if ((r = inet_bind_opt(a, fd, ai->ai_family, ai->ai_socktype)) != 0) {
		*fatal = r;
		close(fd);
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	    errno == EINPROGRESS || errno == EINTR)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * Order the resolved addresses as RFC 8305 section 4 says: alternate the
 * families, starting with the family of the first address. Fills v with
 * at most INET_MAXADDRS entries; returns how many.
 */
static size_t
inet_interleave(struct addrinfo *res, struct addrinfo **v)
{
	struct addrinfo	*fam[2][INET_MAXADDRS], *ai;
	size_t		 nf[2] = { 0, 0 }, n = 0, i;
	int		 first = res->ai_family, k;

	for (ai = res; ai != NULL; ai = ai->ai_next) {
		k = ai->ai_family == first ? 0 : 1;
		if (nf[k] < INET_MAXADDRS)
			fam[k][nf[k]++] = ai;
	}
	for (i = 0; n < INET_MAXADDRS && (i < nf[0] || i < nf[1]); i++) {
		if (i < nf[0])
			v[n++] = fam[0][i];
		if (i < nf[1] && n < INET_MAXADDRS)
			v[n++] = fam[1][i];
	}
	return n;
}

/* States of a client connect (inet_conn_step). */
enum inet_state {
	INET_RESOLVE,		/* looking up HOST:PORT */
	INET_RACE,		/* connect attempts under way */
	INET_PAUSE		/* between retries (retry=, interval=) */
};

/*
 * A client connect as a non-blocking state machine: the handshake op of
 * the bottom layer of a TCP (or UDP) client endpoint until it has its
 * socket, so that one session can wait for it with poll and an event loop
 * can run thousands at once.
 */
struct inet_conn {
	const struct addr	*a;
	char			*host;		/* where to connect */
	char			*port;
	char			*label;		/* "proxy H:P: " or "" */
	int			 socktype;
	int			 protocol;
	int			 async;		/* resolve with resolve.c */
	enum inet_state		 state;
	struct resolve		*rq;		/* lookup under way */
	struct addrinfo		*res;
	struct addrinfo		*v[INET_MAXADDRS]; /* in RFC 8305 order */
	size_t			 nv;
	size_t			 next;		/* v[next] starts next */
	long			 next_at;	/* when it may start, ms */
	int			 fd[INET_MAXADDRS]; /* attempts under way */
	size_t			 nfd;
	int			 epfd;		/* epoll of several attempts */
	int			 error;		/* errno of the last failure */
	unsigned		 attempt;	/* retries done */
	long			 resume_at;	/* INET_PAUSE: until when */
};

/* Resolve connects with resolve.c (an event loop) rather than block. */
static int	inet_async;

static int	inet_conn_step(struct endpoint *);
static ssize_t	inet_conn_io(struct endpoint *, void *, size_t);
static ssize_t	inet_conn_wio(struct endpoint *, const void *, size_t);
static int	inet_conn_shutdown(struct endpoint *);
static void	inet_conn_close(struct endpoint *);

/* The bottom layer of a client endpoint while it connects. */
static const struct ep_ops inet_conn_ops = {
	.name = "connect",
	.handshake = inet_conn_step,
	.read = inet_conn_io,
	.write = inet_conn_wio,
	.shutdown_wr = inet_conn_shutdown,
	.pending = ep_fd_pending,
	.close = inet_conn_close,
};

/*
 * Resolve names for client connects with getaddrinfo_a(3) (resolve.c)
 * instead of getaddrinfo(3), for an event loop that must never block.
 * on: 1 or 0. No return value.
 */
void
inet_set_async(int on)
{
	inet_async = on;
}

/* No data moves before the connect is done: EP_ERROR, EINVAL. */
static ssize_t
inet_conn_io(struct endpoint *ep __unused, void *buf __unused,
    size_t len __unused)
{
	errno = ENOTCONN;
	return EP_ERROR;
}

static ssize_t
inet_conn_wio(struct endpoint *ep __unused, const void *buf __unused,
    size_t len __unused)
{
	errno = ENOTCONN;
	return EP_ERROR;
}

static int
inet_conn_shutdown(struct endpoint *ep __unused)
{
	return 0;
}

/* Close the attempts under way, forget the addresses. */
static void
inet_conn_reset(struct inet_conn *c)
{
	size_t	i;

	for (i = 0; i < c->nfd; i++)
		close(c->fd[i]);
	c->nfd = 0;
	if (c->epfd != -1)
		close(c->epfd);
	c->epfd = -1;
	if (c->res != NULL)
		freeaddrinfo(c->res);
	c->res = NULL;
	resolve_cancel(c->rq);
	c->rq = NULL;
}

static void
inet_conn_close(struct endpoint *ep)
{
	struct inet_conn	*c = ep->ctx;

	inet_conn_reset(c);
	free(c->host);
	free(c->port);
	free(c->label);
	free(c);
	ep->ctx = NULL;
	ep->rfd = ep->wfd = -1;
}

/* Fail the handshake with errmsg "fmt..." and exit status ex: EP_ERROR. */
static int __printflike(3, 4)
inet_conn_fail(struct endpoint *ep, int ex, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ep->errmsg, sizeof(ep->errmsg), fmt, ap);
	va_end(ap);
	ep->errexit = ex;
	return EP_ERROR;
}

/*
 * INET_RESOLVE: look up host and port, at once for literals (and always
 * when not async), else through resolve.c, waiting on its eventfd.
 * Returns 0 with c->res set, EP_WANT_READ, or EP_ERROR (EXIT_RESOLVE).
 */
static int
inet_conn_resolve(struct endpoint *ep, struct inet_conn *c)
{
	struct addrinfo	hints;
	int		e;

	if (c->rq == NULL) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = inet_family(c->a);
		hints.ai_socktype = c->socktype;
		if (!inet_async || resolve_is_literal(c->host, c->port))
			e = getaddrinfo(c->host, c->port, &hints, &c->res);
		else if ((c->rq = resolve_start(c->host, c->port, &hints)) ==
		    NULL)
			return inet_conn_fail(ep, EXIT_RESOLVE, "%s%s: %s",
			    c->label, c->host, strerror(errno));
		else
			e = EAI_INPROGRESS;
	} else
		e = resolve_result(c->rq, &c->res);
	if (e == EAI_INPROGRESS) {
		ep->rfd = ep->wfd = resolve_fd(c->rq);
		return EP_WANT_READ;
	}
	resolve_cancel(c->rq);
	c->rq = NULL;
	if (e == 0)
		return 0;
	if (e == EAI_SYSTEM)
		return inet_conn_fail(ep, EXIT_RESOLVE, "%s%s: %s", c->label,
		    c->host, strerror(errno));
	if (e == EAI_SERVICE)
		return inet_conn_fail(ep, EXIT_RESOLVE, "%sport %s: %s",
		    c->label, c->port, gai_strerror(e));
	return inet_conn_fail(ep, EXIT_RESOLVE, "%s%s: %s", c->label,
	    c->host, gai_strerror(e));
}

/* The connected socket fd won: close the rest, become a plain socket. */
static int
inet_conn_won(struct endpoint *ep, struct inet_conn *c, size_t i)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	const struct addr	*a = c->a;
	char			 buf[128];
	int			 fd = c->fd[i];

	c->fd[i] = c->fd[--c->nfd];
	inet_conn_close(ep);
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0)
		log_verbose(1, "connected to %s", log_sockaddr(
		    (struct sockaddr *)&ss, sslen, buf, sizeof(buf)));
	if (ep_socket_endpoint(a, fd, ep) != 0) {
		/* opts_apply() said why; fd is closed, ep holds nothing. */
		ep_init(ep, a->text, -1, -1, EP_SOCKET, &fd_ops);
		ep->errexit = EXIT_RUNTIME;
		return EP_ERROR;
	}
	return 0;
}

/* Attempt i failed with errno e: close it; the next one may start now. */
static void
inet_conn_lost(struct inet_conn *c, size_t i, int e, long now)
{
	if (c->epfd != -1)
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->fd[i], NULL);
	close(c->fd[i]);
	c->fd[i] = c->fd[--c->nfd];
	c->error = e;
	c->next_at = now;
}

/*
 * Look at the attempts under way without waiting: one poll(2) finds those
 * that are done, SO_ERROR says how. Failed ones are closed. Returns the
 * index of a connected attempt, or -1.
 */
static int
inet_conn_check(struct inet_conn *c, long now)
{
	struct pollfd	pfd[INET_MAXADDRS];
	socklen_t	len;
	size_t		i, n;
	int		soerr;

	n = c->nfd;
	for (i = 0; i < n; i++) {
		pfd[i].fd = c->fd[i];
		pfd[i].events = POLLOUT;
		pfd[i].revents = 0;
	}
	if (n == 0 || poll(pfd, (nfds_t)n, 0) <= 0)
		return -1;
	for (i = n; i-- > 0;) {
		if (pfd[i].revents == 0)
			continue;
		len = sizeof(soerr);
		soerr = 0;
		if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &soerr,
		    &len) == -1)
			soerr = errno;
		if (soerr == 0)
			return (int)i;
		inet_conn_lost(c, i, soerr, now);
	}
	return -1;
}

/*
 * INET_RACE, the race of RFC 8305 section 5 as a step: start the first
 * address, start the next one every 250 ms while none has answered (or at
 * once when one fails), keep the first that connects. Waits on the one
 * socket under way, or on an epoll(7) descriptor holding several, and
 * until the next start (ep->wake_at). Returns 0 when connected (ep is a
 * plain socket now), EP_WANT_*, or EP_ERROR (EXIT_CONNECT, or a bind=
 * problem's status).
 */
static int
inet_conn_race(struct endpoint *ep, struct inet_conn *c)
{
	struct epoll_event	ev;
	long			now;
	int			i, fd, fatal;

	for (;;) {
		now = now_ms();
		if ((i = inet_conn_check(c, now)) != -1)
			return inet_conn_won(ep, c, (size_t)i);
		if (c->next < c->nv && now >= c->next_at) {
			fatal = 0;
			fd = inet_start(c->a, c->v[c->next++], &fatal);
			if (fatal) {
				/* inet_start() said why. */
				ep->errmsg[0] = '\0';
				ep->errexit = fatal;
				return EP_ERROR;
			}
			if (fd == -1) {
				c->error = errno;
				c->next_at = now;
				continue;
			}
			c->fd[c->nfd++] = fd;
			c->next_at = now + INET_ATTEMPT_DELAY;
			continue;
		}
		if (c->nfd > 0)
			break;
		if (c->next < c->nv)
			continue;	/* nothing under way: start the next */
		/* Every address failed: retry (retry=, interval=) or give up. */
		inet_conn_reset(c);
		if ((c->attempt >= c->a->opts.retry && !c->a->opts.forever) ||
		    (ep->deadline != -1 && now >= ep->deadline)) {
			inet_conn_fail(ep, EXIT_CONNECT, "%sconnect: %s",
			    c->label, strerror(c->error));
			errno = c->error;	/* for a proxy server's reply */
			return EP_ERROR;
		}
		c->attempt++;
		log_verbose(1, "%s: %sconnect: %s; retrying", c->a->text,
		    c->label, strerror(c->error));
		c->state = INET_PAUSE;
		c->resume_at = now + (opts_isset(&c->a->opts, OPT_INTERVAL) ?
		    c->a->opts.interval_ms : INET_INTERVAL);
		if (ep->deadline != -1 && c->resume_at > ep->deadline)
			c->resume_at = ep->deadline;
		return inet_conn_step(ep);
	}
	ep->wake_at = c->next < c->nv ? c->next_at : -1;
	if (c->nfd == 1) {
		ep->rfd = ep->wfd = c->fd[0];
		return EP_WANT_WRITE;
	}
	if (c->epfd == -1 &&
	    (c->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return inet_conn_fail(ep, EXIT_RUNTIME, "epoll: %s",
		    strerror(errno));
	for (i = 0; i < (int)c->nfd; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLOUT;
		ev.data.fd = c->fd[i];
		if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->fd[i], &ev) == -1 &&
		    errno != EEXIST)
			return inet_conn_fail(ep, EXIT_RUNTIME, "epoll: %s",
			    strerror(errno));
	}
	ep->rfd = ep->wfd = c->epfd;
	return EP_WANT_READ;
}

/* The handshake op of a connecting client endpoint (inet_conn_ops). */
static int
inet_conn_step(struct endpoint *ep)
{
	struct inet_conn	*c = ep->ctx;
	int			 r;

	switch (c->state) {
	case INET_PAUSE:
		if (now_ms() < c->resume_at) {
			ep->rfd = ep->wfd = -1;
			ep->wake_at = c->resume_at;
			return EP_WANT_READ;
		}
		c->state = INET_RESOLVE;
		FALLTHROUGH;
	case INET_RESOLVE:
		if ((r = inet_conn_resolve(ep, c)) != 0)
			return r;
		if (c->protocol != 0)
			for (struct addrinfo *ai = c->res; ai; ai = ai->ai_next)
				ai->ai_protocol = c->protocol;
		c->nv = inet_interleave(c->res, c->v);
		c->next = 0;
		c->next_at = 0;
		c->state = INET_RACE;
		FALLTHROUGH;
	case INET_RACE:
		break;
	}
	return inet_conn_race(ep, c);
}

/*
 * Start a client connect of address a to host:port (both copied; the first
 * proxy of a chain, or a's own HOST:PORT) with the given socket type and
 * protocol, as the bottom layer of ep; label ("proxy H:P: " or "") goes
 * before "connect" in messages, so they name the hop. ep's
 * handshake (layer_handshake, layer_wait) resolves the name, races every
 * address it resolves to, IPv6 and IPv4 as RFC 8305 describes, and
 * retries as retry=N and interval=S say (socat's retry/interval); then ep
 * is a plain connected socket. connect-timeout= is the layer's deadline.
 * Failures are EXIT_RESOLVE ("HOST: reason") or EXIT_CONNECT ("connect:
 * reason"). No return value: nothing is done yet.
 */
void
inet_connect_start(const struct addr *a, const char *host, const char *port,
    const char *label, int socktype, int protocol, struct endpoint *ep)
{
	struct inet_conn	*c;

	c = xcalloc(1, sizeof(*c));
	c->a = a;
	c->host = xstrdup(host);
	c->port = xstrdup(port);
	c->label = xstrdup(label);
	c->socktype = socktype;
	c->protocol = protocol;
	c->epfd = -1;
	c->error = ECONNREFUSED;
	c->state = INET_RESOLVE;
	ep_init(ep, a->text, -1, -1, EP_SOCKET, &inet_conn_ops);
	ep->ctx = c;
	ep->errexit = EXIT_CONNECT;
	if (opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		ep->deadline = now_ms() + a->opts.connect_timeout_ms;
}

/*
 * Connect to HOST:PORT (a->params[0], a->params[1]) and wait for it, as
 * inet_connect_start() describes, for callers that want the socket at
 * once (UDP). Returns 0 with the connected non-blocking socket in *fdp,
 * or EXIT_RESOLVE or EXIT_CONNECT after "sockcat: ADDR: connect: reason".
 */
int
inet_connect(const struct addr *a, int socktype, int protocol, int *fdp)
{
	struct endpoint	ep;
	int		r;

	inet_connect_start(a, a->params[0], a->params[1], "", socktype,
	    protocol, &ep);
	if ((r = layer_wait(&ep, -1)) != 0) {
		ep.ops->close(&ep);
		return r;
	}
	*fdp = ep.rfd;
	return 0;
}

/*
 * One attempt to bind a listening socket: a socket for each address of
 * res in turn (dual-stack unless family, the asked one, is AF_INET6 or
 * ipv6only= says otherwise), with the PH_SOCKET options, until one binds.
 * Returns the bound socket with its address in *aip, -1 with errno in
 * *saved when none would bind, or -2 after an option's message.
 */
static int
inet_bind_any(const struct addr *a, struct addrinfo *res, int protocol,
    int family, struct addrinfo **aip, int *saved)
{
	struct addrinfo	*ai;
	int		 fd, v6only;

	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, protocol);
		if (fd == -1) {
			*saved = errno;
			continue;
		}
		/* Dual stack, unless -6 or tcp6-listen asked for IPv6 only. */
		v6only = family == AF_INET6;
		if (ai->ai_family == AF_INET6 &&
		    !opts_isset(&a->opts, OPT_IPV6ONLY))
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			    sizeof(v6only));
		if (opts_apply(fd, a, PH_SOCKET) == -1) {
			close(fd);
			return -2;
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			*aip = ai;
			return fd;
		}
		*saved = errno;
		close(fd);
	}
	return -1;
}

/*
 * Bind and, for stream sockets, listen on [HOST:]PORT of a listener address
 * (a->params); bind=ADDR stands for HOST (inet_check). Without either the
 * listener is dual-stack: [::] with IPV6_V6ONLY off (ipv6only=1 changes
 * that), or 0.0.0.0 with -4 or where IPv6 is missing; with -6 or an
 * IPv6-only alias (tcp6-listen) it takes IPv6 only (ipv6only=0 changes
 * that). SO_REUSEADDR is on unless reuseaddr=0; a port in use is tried
 * again with retry=, interval=, forever (socat's). Fills l and prints
 * "listening on ADDR:PORT" under -v. Returns 0, or EXIT_USAGE,
 * EXIT_RESOLVE or EXIT_RUNTIME after "sockcat: ADDR: bind: reason".
 */
int
inet_listen(const struct addr *a, int socktype, int protocol,
    struct listener *l)
{
	struct addrinfo	 hints, *res = NULL, *ai = NULL;
	struct addr_error e;
	struct timespec	 ts;
	const char	*host = NULL, *port;
	char		 buf[256], *bhost, *bport;
	unsigned	 attempt;
	long		 interval;
	int		 fd = -1, r, family, saved = 0;

	/* Checked at parse time too, where the type sets the check. */
	memset(&e, 0, sizeof(e));
	if (inet_check(a, &e) != 0) {
		addr_error_format(a->text, &e, buf, sizeof(buf));
		warnx("%s", buf);
		return EXIT_USAGE;
	}
	if (a->nparams == 2) {
		host = a->params[0];
		port = a->params[1];
	} else
		port = a->params[0];
	/* bind= is where to listen, as HOST would be. */
	if (opts_isset(&a->opts, OPT_BIND) && inet_split_bind(a->opts.bind,
	    buf, sizeof(buf), &bhost, &bport) == 0)
		host = bhost;
	family = inet_family(a);
	/* An IPv4 multicast group is joined on an IPv4 socket. */
	if (family == AF_UNSPEC && opts_isset(&a->opts, OPT_IP_ADD_MEMBERSHIP))
		family = AF_INET;
	if (host == NULL && family == AF_UNSPEC) {
		/* Dual stack: try [::] first, then 0.0.0.0. */
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_INET6;
		hints.ai_socktype = socktype;
		hints.ai_flags = AI_PASSIVE;
		if (getaddrinfo(NULL, port, &hints, &res) != 0)
			res = NULL;
		if (res != NULL) {
			fd = socket(AF_INET6, socktype | SOCK_CLOEXEC |
			    SOCK_NONBLOCK, protocol);
			if (fd != -1)
				close(fd);
			else {
				freeaddrinfo(res);
				res = NULL;
			}
			fd = -1;
		}
	}
	if (res == NULL && (r = inet_resolve(a, host, port, socktype, 1,
	    &res)) != 0)
		return r;
	interval = opts_isset(&a->opts, OPT_INTERVAL) ?
	    a->opts.interval_ms : INET_INTERVAL;
	/* retry=, forever: a port still in use is tried again (socat). */
	for (attempt = 0;; attempt++) {
		fd = inet_bind_any(a, res, protocol, family, &ai, &saved);
		if (fd == -2) {
			freeaddrinfo(res);
			return EXIT_RUNTIME;
		}
		if (fd != -1 || saved != EADDRINUSE ||
		    (attempt >= a->opts.retry && !a->opts.forever))
			break;
		log_verbose(1, "%s: bind: %s; retrying", a->text,
		    strerror(saved));
		ts.tv_sec = interval / 1000;
		ts.tv_nsec = (interval % 1000) * 1000000;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	}
	if (fd == -1) {
		freeaddrinfo(res);
		errno = saved;
		warn("%s: bind", a->text);
		return EXIT_RUNTIME;
	}
	l->family = ai->ai_family;
	freeaddrinfo(res);
	if (socktype != SOCK_DGRAM && listen(fd, (int)a->opts.backlog) == -1) {
		warn("%s: listen", a->text);
		close(fd);
		return EXIT_RUNTIME;
	}
	l->fd = fd;
	l->socktype = socktype;
	l->protocol = protocol;
	l->locallen = sizeof(l->local);
	getsockname(fd, (struct sockaddr *)&l->local, &l->locallen);
	listen_log(l);
	return 0;
}

/*
 * A datagram socket for the peer HOST:PORT of address a (a->params[0],
 * a->params[1]): the first resolved address; the PH_SOCKET options, bind=
 * and the IP datagram options (multicast, ip-options) applied; connected
 * to the peer when do_connect is set. Returns 0 with the non-blocking
 * socket in *fdp and the peer in *peer (*peerlen bytes), or an EXIT_*
 * status after a message.
 */
int
inet_dgram_client(const struct addr *a, int do_connect, int *fdp,
    struct sockaddr_storage *peer, socklen_t *peerlen)
{
	struct addrinfo	*res;
	char		 buf[128];
	int		 fd, r, saved;

	if ((r = inet_resolve(a, a->params[0], a->params[1], SOCK_DGRAM, 0,
	    &res)) != 0)
		return r;
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (fd == -1) {
		warn("%s: socket", a->text);
		freeaddrinfo(res);
		return EXIT_RUNTIME;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1 ||
	    (r = inet_bind_opt(a, fd, res->ai_family, SOCK_DGRAM)) != 0 ||
	    (r = inet_dgram_options(a, fd)) != 0) {
		close(fd);
		freeaddrinfo(res);
		return r != 0 ? r : EXIT_RUNTIME;
	}
	if (do_connect && connect(fd, res->ai_addr, res->ai_addrlen) == -1) {
		saved = errno;
		close(fd);
		freeaddrinfo(res);
		errno = saved;
		warn("%s: connect", a->text);
		return EXIT_CONNECT;
	}
	memcpy(peer, res->ai_addr, res->ai_addrlen);
	*peerlen = res->ai_addrlen;
	log_verbose(1, "sending to %s", log_sockaddr(res->ai_addr,
	    res->ai_addrlen, buf, sizeof(buf)));
	freeaddrinfo(res);
	*fdp = fd;
	return 0;
}

/*
 * The IPv4 interface of an ip-add-membership / ip-multicast-if part: an
 * address (into *addr) or a name or index (into *index). Returns 0 or -1.
 */
static int
inet_mcast_if(const char *s, struct in_addr *addr, int *index)
{
	unsigned long	 v;
	unsigned	 i;

	if (inet_pton(AF_INET, s, addr) == 1)
		return 0;
	if (parse_uint(s, 1, 0x7fffffff, &v) == 0) {
		*index = (int)v;
		return 0;
	}
	if ((i = if_nametoindex(s)) == 0)
		return -1;
	*index = (int)i;
	return 0;
}

/*
 * The IP options that are not plain setsockopt rows, on the datagram (or
 * any IP) socket fd of address a: ip-add-membership=GROUP:IF[:IF2] (IF an
 * address, interface name or index, socat's forms), ip-multicast-if=ADDR
 * and ip-options=DATA (socat data, IP_OPTIONS). Returns 0, or EXIT_USAGE
 * or EXIT_RUNTIME after a message (-s: a warning and 0 for a refused
 * setsockopt).
 */
int
inet_dgram_options(const struct addr *a, int fd)
{
	struct ip_mreqn	 mr;
	unsigned char	 data[40];
	size_t		 len;
	const char	*end;
	char		 buf[256], *p, *q;

	if (opts_isset(&a->opts, OPT_IP_ADD_MEMBERSHIP)) {
		memset(&mr, 0, sizeof(mr));
		snprintf(buf, sizeof(buf), "%s", a->opts.ip_add_membership);
		if ((p = strchr(buf, ':')) == NULL)
			goto badm;
		*p++ = '\0';
		if ((q = strchr(p, ':')) != NULL)
			*q++ = '\0';
		if (inet_pton(AF_INET, buf, &mr.imr_multiaddr) != 1 ||
		    inet_mcast_if(p, &mr.imr_address, &mr.imr_ifindex) == -1 ||
		    (q != NULL && inet_mcast_if(q, &mr.imr_address,
		    &mr.imr_ifindex) == -1))
			goto badm;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		    sizeof(mr)) == -1) {
			warn("%s: ip-add-membership %s", a->text,
			    a->opts.ip_add_membership);
			if (!cfg.sloppy)
				return EXIT_RUNTIME;
		}
	}
	if (opts_isset(&a->opts, OPT_IP_MULTICAST_IF)) {
		memset(&mr, 0, sizeof(mr));
		if (inet_mcast_if(a->opts.ip_multicast_if, &mr.imr_address,
		    &mr.imr_ifindex) == -1) {
			warnx("%s: ip-multicast-if=%s: not an interface "
			    "address, name or index", a->text,
			    a->opts.ip_multicast_if);
			return EXIT_USAGE;
		}
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
		    sizeof(mr)) == -1) {
			warn("%s: ip-multicast-if", a->text);
			if (!cfg.sloppy)
				return EXIT_RUNTIME;
		}
	}
	if (opts_isset(&a->opts, OPT_IP_OPTIONS)) {
		if (parse_data(a->opts.ip_options, data, sizeof(data), &len,
		    "", &end) == -1 || *end != '\0') {
			warnx("%s: ip-options=%s: not socat data (x01000000)",
			    a->text, a->opts.ip_options);
			return EXIT_USAGE;
		}
		if (setsockopt(fd, IPPROTO_IP, IP_OPTIONS, data,
		    (socklen_t)len) == -1) {
			warn("%s: ip-options", a->text);
			if (!cfg.sloppy)
				return EXIT_RUNTIME;
		}
	}
	return 0;
badm:
	warnx("%s: ip-add-membership=%s: expects GROUP:INTERFACE (an address, "
	    "name or index)", a->text, a->opts.ip_add_membership);
	return EXIT_USAGE;
}
