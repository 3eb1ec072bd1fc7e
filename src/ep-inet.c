/* ep-inet.c: IP code shared by TCP, UDP and TLS: resolve, connect, listen. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
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

/* One connection attempt of the race. */
struct inet_attempt {
	int		 fd;
	struct addrinfo	*ai;
};

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

/*
 * One round of the race of RFC 8305 section 5: start the first address,
 * start the next one every 250 ms while none has answered (or at once when
 * one fails), keep the first that connects. deadline is an absolute ms
 * (now_ms) or -1. Returns the connected socket, or -1 with errno of the
 * last failure (ETIMEDOUT at the deadline); *fatal as for inet_start.
 */
static int
inet_race(const struct addr *a, struct addrinfo *res, long deadline,
    int *fatal)
{
	struct addrinfo		*v[INET_MAXADDRS];
	struct inet_attempt	 at[INET_MAXADDRS];
	struct pollfd		 pfd[INET_MAXADDRS];
	size_t			 nv, next = 0, nat = 0, i, j;
	long			 now, next_at = 0, wait;
	int			 error = ECONNREFUSED, fd = -1, r, soerr;
	socklen_t		 len;

	nv = inet_interleave(res, v);
	for (;;) {
		now = now_ms();
		/* Start the next attempt when its time has come. */
		if (next < nv && now >= next_at) {
			r = inet_start(a, v[next], fatal);
			if (r == -1) {
				if (*fatal)
					break;
				error = errno;
				next++;
				next_at = now;
				continue;
			}
			at[nat].fd = r;
			at[nat].ai = v[next];
			nat++;
			next++;
			next_at = now + INET_ATTEMPT_DELAY;
		}
		for (i = 0, r = 0; i < nat; i++)
			if (at[i].fd != -1) {
				pfd[r].fd = at[i].fd;
				pfd[r].events = POLLOUT;
				r++;
			}
		if (r == 0 && next >= nv)
			break;		/* every address failed */
		wait = -1;
		if (next < nv)
			wait = next_at > now ? next_at - now : 0;
		if (deadline != -1) {
			if (now >= deadline) {
				error = ETIMEDOUT;
				break;
			}
			if (wait == -1 || deadline - now < wait)
				wait = deadline - now;
		}
		if (r == 0)
			continue;	/* nothing in flight: start the next */
		if (poll(pfd, (nfds_t)r, (int)wait) == -1) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		for (j = 0; j < (size_t)r && fd == -1; j++) {
			if (pfd[j].revents == 0)
				continue;
			for (i = 0; at[i].fd != pfd[j].fd; i++)
				;
			len = sizeof(soerr);
			soerr = 0;
			if (getsockopt(at[i].fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &len) == -1)
				soerr = errno;
			if (soerr == 0) {
				fd = at[i].fd;
				at[i].fd = -1;
			} else {
				error = soerr;
				close(at[i].fd);
				at[i].fd = -1;
				next_at = now;	/* a failure starts the next */
			}
		}
		if (fd != -1)
			break;
	}
	for (i = 0; i < nat; i++)
		if (at[i].fd != -1)
			close(at[i].fd);
	if (fd == -1)
		errno = error;
	return fd;
}

/*
 * Connect to HOST:PORT (a->params[0], a->params[1]) with the given socket
 * type and protocol: try every address the name resolves to, IPv6 and IPv4
 * raced as RFC 8305 describes; connect-timeout is one wall-clock deadline
 * for all of it, retries included; retry=N and interval=S repeat a failed
 * attempt (socat's retry/interval). Datagram sockets connect at once.
 * Returns 0 with the connected non-blocking socket in *fdp, or EXIT_RESOLVE
 * or EXIT_CONNECT after "sockcat: ADDR: connect: reason".
 */
int
inet_connect(const struct addr *a, int socktype, int protocol, int *fdp)
{
	struct addrinfo		*res;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct timespec		 ts;
	long			 deadline = -1, interval, pause;
	unsigned		 attempt;
	int			 r, fd, fatal;
	char			 buf[128];

	if (opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		deadline = now_ms() + a->opts.connect_timeout_ms;
	interval = opts_isset(&a->opts, OPT_INTERVAL) ?
	    a->opts.interval_ms : INET_INTERVAL;
	for (attempt = 0;; attempt++) {
		r = inet_resolve(a, a->params[0], a->params[1], socktype, 0,
		    &res);
		if (r != 0)
			return r;
		if (protocol != 0)
			for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
				ai->ai_protocol = protocol;
		fatal = 0;
		fd = inet_race(a, res, deadline, &fatal);
		freeaddrinfo(res);
		if (fatal)
			return fatal;
		if (fd != -1)
			break;
		if ((attempt >= a->opts.retry && !a->opts.forever) ||
		    errno == ETIMEDOUT ||
		    (deadline != -1 && now_ms() >= deadline)) {
			if (errno == ETIMEDOUT)
				warnx("%s: connect: %s", a->text,
				    strerror(ETIMEDOUT));
			else
				warn("%s: connect", a->text);
			return EXIT_CONNECT;
		}
		log_verbose(1, "%s: connect: %s; retrying", a->text,
		    strerror(errno));
		pause = interval;
		if (deadline != -1 && now_ms() + pause > deadline)
			pause = deadline - now_ms();
		if (pause > 0) {
			ts.tv_sec = pause / 1000;
			ts.tv_nsec = (pause % 1000) * 1000000;
			while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
				;
		}
	}
	sslen = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0)
		log_verbose(1, "connected to %s", log_sockaddr(
		    (struct sockaddr *)&ss, sslen, buf, sizeof(buf)));
	*fdp = fd;
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
 * (a->params). Without HOST the listener is dual-stack: [::] with
 * IPV6_V6ONLY off (ipv6only=1 changes that), or 0.0.0.0 with -4 or where
 * IPv6 is missing; with -6 or an IPv6-only alias (tcp6-listen) it takes
 * IPv6 only (ipv6only=0 changes that); bind=HOST stands for HOST. SO_REUSEADDR
 * is on unless reuseaddr=0; a port in use is tried again with retry=,
 * interval=, forever. Fills l and prints "listening on ADDR:PORT" under -v.
 * Returns 0, or EXIT_RESOLVE or EXIT_RUNTIME after "sockcat: ADDR: bind:
 * reason".
 */
int
inet_listen(const struct addr *a, int socktype, int protocol,
    struct listener *l)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct timespec	 ts;
	const char	*host = NULL, *port;
	char		 bindbuf[256], *bhost, *bport;
	unsigned	 attempt;
	long		 interval;
	int		 fd = -1, r, family, saved = 0;

	if (a->nparams == 2) {
		host = a->params[0];
		port = a->params[1];
	} else
		port = a->params[0];
	/* bind=HOST on a listener: the address to listen on (socat). */
	if (host == NULL && opts_isset(&a->opts, OPT_BIND)) {
		if (inet_split_bind(a->opts.bind, bindbuf, sizeof(bindbuf),
		    &bhost, &bport) == -1 || *bhost == '\0') {
			warnx("%s: bind=%s: malformed address", a->text,
			    a->opts.bind);
			return EXIT_USAGE;
		}
		host = bhost;
	}
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
