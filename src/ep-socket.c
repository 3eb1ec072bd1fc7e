/* ep-socket.c: generic sockets: socket-connect, -listen, -sendto, ... */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * socat's generic socket addresses (socat(1) SOCKET-CONNECT and so on):
 * the socket(2) parameters are numbers (DOMAIN may also be ip4, ip6 or
 * unix), and the address is socat data (x-prefixed hex, "strings"): the
 * bytes of a struct sockaddr after its family field, e.g. for IPv4 port
 * and address, x1f90x7f000001x0000000000000000.
 */

/* A generic socket address: family, then the data bytes. */
struct gensock_addr {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
};

static int	gensock_connect(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	gensock_listen(const struct addr *, struct listener *);
static int	gensock_dgram(const struct addr *, const struct endpoint *,
		    struct endpoint *);

#define GENSOCK_GROUPS	(G_ANY | G_SOCKET | G_GENSOCK)

const struct addr_type at_socket_connect = {
	.name = "socket-connect",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_DATA,
	.groups = GENSOCK_GROUPS | G_CLIENT | G_RETRY,
	.syntax = "DOMAIN:PROTOCOL:ADDRESS",
	.help = "generic stream socket client (ADDRESS: socat data)",
	.open = gensock_connect,
};

const struct addr_type at_socket_listen = {
	.name = "socket-listen",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_DATA | AT_LISTEN,
	.groups = GENSOCK_GROUPS | G_LISTEN | G_RANGE | G_RETRY | G_REUSE,
	.syntax = "DOMAIN:PROTOCOL:ADDRESS",
	.help = "generic stream socket server",
	.listen = gensock_listen,
};

const struct addr_type at_socket_sendto = {
	.name = "socket-sendto",
	.params_min = 4,
	.params_max = 4,
	.flags = AT_DATA | AT_DGRAM,
	.groups = GENSOCK_GROUPS,
	.syntax = "DOMAIN:TYPE:PROTOCOL:ADDRESS",
	.help = "generic datagram socket to ADDRESS, answers from there",
	.open = gensock_dgram,
};

const struct addr_type at_socket_datagram = {
	.name = "socket-datagram",
	.params_min = 4,
	.params_max = 4,
	.flags = AT_DATA | AT_DGRAM,
	.groups = GENSOCK_GROUPS | G_RANGE,
	.syntax = "DOMAIN:TYPE:PROTOCOL:ADDRESS",
	.help = "generic datagram socket to ADDRESS, from anyone",
	.open = gensock_dgram,
};

const struct addr_type at_socket_recv = {
	.name = "socket-recv",
	.params_min = 4,
	.params_max = 4,
	.flags = AT_DATA | AT_DGRAM,
	.groups = GENSOCK_GROUPS | G_RANGE | G_REUSE,
	.syntax = "DOMAIN:TYPE:PROTOCOL:ADDRESS",
	.help = "generic datagram receiver on ADDRESS, read only",
	.open = gensock_dgram,
};

const struct addr_type at_socket_recvfrom = {
	.name = "socket-recvfrom",
	.params_min = 4,
	.params_max = 4,
	.flags = AT_DATA | AT_DGRAM | AT_RECVFROM,
	.groups = GENSOCK_GROUPS | G_RANGE | G_CHILD | G_REUSE,
	.syntax = "DOMAIN:TYPE:PROTOCOL:ADDRESS",
	.help = "generic datagram server on ADDRESS, answers each sender",
	.open = gensock_dgram,
};

/*
 * A number parameter of a generic socket: decimal within [0, max], or for
 * the domain one of ip4, ip6, unix. Returns 0 with *v set, or -1 after a
 * message (EXIT_USAGE).
 */
static int
gensock_num(const struct addr *a, const char *what, const char *s,
    unsigned long max, int *v)
{
	unsigned long	 n;

	if (strcmp(what, "domain") == 0) {
		if (strcasecmp(s, "ip4") == 0 || strcasecmp(s, "inet") == 0) {
			*v = AF_INET;
			return 0;
		}
		if (strcasecmp(s, "ip6") == 0 ||
		    strcasecmp(s, "inet6") == 0) {
			*v = AF_INET6;
			return 0;
		}
		if (strcasecmp(s, "unix") == 0) {
			*v = AF_UNIX;
			return 0;
		}
	}
	if (parse_uint(s, 0, max, &n) == -1) {
		warnx("%s: %s %s: not a number from 0 to %lu", a->text, what,
		    s, max);
		return -1;
	}
	*v = (int)n;
	return 0;
}

/*
 * Build the socket address of family from socat data s (the bytes after
 * the family field). Returns 0, or -1 after a message.
 */
static int
gensock_sockaddr(const struct addr *a, int family, const char *s,
    struct gensock_addr *ga)
{
	size_t		 off = offsetof(struct sockaddr, sa_data), n;
	const char	*end;

	memset(ga, 0, sizeof(*ga));
	ga->ss.ss_family = (sa_family_t)family;
	if (parse_data(s, (unsigned char *)&ga->ss + off, sizeof(ga->ss) -
	    off, &n, "", &end) == -1 || *end != '\0') {
		warnx("%s: address %s: not socat data (x7f000001, "
		    "\"path\\0\")", a->text, s);
		return -1;
	}
	ga->len = (socklen_t)(off + n);
	return 0;
}

/*
 * A socket of domain, type and protocol (the parameters, or type= and
 * protocol= options) with the PH_SOCKET options and bind= (socat data)
 * applied. Returns it, or -1 with *status set after a message.
 */
static int
gensock_socket(const struct addr *a, int domain, int type, int proto,
    int *status)
{
	struct gensock_addr	 ga;
	unsigned long		 n;
	int			 fd;

	*status = EXIT_RUNTIME;
	if (opts_isset(&a->opts, OPT_TYPE))
		type = a->opts.type;
	if (opts_isset(&a->opts, OPT_PROTOCOL)) {
		if (parse_uint(a->opts.protocol, 0, 255, &n) == -1) {
			warnx("%s: protocol=%s: not a number from 0 to 255",
			    a->text, a->opts.protocol);
			*status = EXIT_USAGE;
			return -1;
		}
		proto = (int)n;
	}
	fd = socket(domain, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return -1;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return -1;
	}
	if (opts_isset(&a->opts, OPT_BIND)) {
		if (gensock_sockaddr(a, domain, a->opts.bind, &ga) == -1) {
			close(fd);
			*status = EXIT_USAGE;
			return -1;
		}
		if (bind(fd, (struct sockaddr *)&ga.ss, ga.len) == -1) {
			warn("%s: bind", a->text);
			close(fd);
			return -1;
		}
	}
	*status = 0;
	return fd;
}

/* The domain of a: pf= when given, else the DOMAIN parameter. */
static int
gensock_domain(const struct addr *a, int *domain)
{
	if (gensock_num(a, "domain", a->params[0], 255, domain) == -1)
		return -1;
	if (opts_isset(&a->opts, OPT_PF))
		*domain = a->opts.pf;
	return 0;
}

/*
 * Wait until the connect of fd is done, at most connect-timeout=.
 * Returns 0, or EXIT_CONNECT after a message (timed out) or EXIT_RUNTIME
 * (a signal).
 */
static int
gensock_wait(const struct addr *a, int fd)
{
	struct pollfd	 pfd;
	struct timespec	 ts;
	long		 deadline = -1, left;
	int		 n;

	if (opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		deadline = now_ms() + a->opts.connect_timeout_ms;
	signals_defer(1);
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (deadline != -1) {
			left = deadline - now_ms();
			if (left <= 0) {
				signals_defer(0);
				warnx("%s: connect: %s", a->text,
				    strerror(ETIMEDOUT));
				return EXIT_CONNECT;
			}
			ts.tv_sec = left / 1000;
			ts.tv_nsec = (left % 1000) * 1000000;
		}
		n = ppoll(&pfd, 1, deadline != -1 ? &ts : NULL,
		    signals_pollmask());
		if (sig_term) {
			signals_defer(0);
			return EXIT_RUNTIME;
		}
		if (n > 0)
			break;
	}
	signals_defer(0);
	return 0;
}

/*
 * socket-connect:DOMAIN:PROTOCOL:ADDRESS: a stream socket (or type=)
 * connected to ADDRESS, waiting for the connect. Returns 0, or EXIT_USAGE
 * or EXIT_CONNECT after a message.
 */
static int
gensock_connect(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct gensock_addr	 ga;
	int			 domain, proto, fd, r, err;
	socklen_t		 len = sizeof(err);

	if (gensock_domain(a, &domain) == -1 ||
	    gensock_num(a, "protocol", a->params[1], 255, &proto) == -1 ||
	    gensock_sockaddr(a, domain, a->params[2], &ga) == -1)
		return EXIT_USAGE;
	if ((fd = gensock_socket(a, domain, SOCK_STREAM, proto, &r)) == -1)
		return r;
	if (connect(fd, (struct sockaddr *)&ga.ss, ga.len) == -1) {
		if (errno != EINPROGRESS) {
			warn("%s: connect", a->text);
			close(fd);
			return EXIT_CONNECT;
		}
		if ((r = gensock_wait(a, fd)) != 0) {
			close(fd);
			return r;
		}
		err = 0;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0) {
			errno = err;
			warn("%s: connect", a->text);
			close(fd);
			return EXIT_CONNECT;
		}
	}
	return ep_socket_endpoint(a, fd, ep);
}

/*
 * socket-listen:DOMAIN:PROTOCOL:ADDRESS: a stream socket bound to ADDRESS
 * and listening; listen.c accepts. Returns 0 or an EXIT_* status after a
 * message.
 */
static int
gensock_listen(const struct addr *a, struct listener *l)
{
	struct gensock_addr	 ga;
	int			 domain, proto, fd, r;

	if (gensock_domain(a, &domain) == -1 ||
	    gensock_num(a, "protocol", a->params[1], 255, &proto) == -1 ||
	    gensock_sockaddr(a, domain, a->params[2], &ga) == -1)
		return EXIT_USAGE;
	if ((fd = gensock_socket(a, domain, SOCK_STREAM, proto, &r)) == -1)
		return r;
	if (bind(fd, (struct sockaddr *)&ga.ss, ga.len) == -1 ||
	    listen(fd, (int)a->opts.backlog) == -1) {
		warn("%s: bind", a->text);
		close(fd);
		return EXIT_RUNTIME;
	}
	l->fd = fd;
	l->family = domain;
	l->socktype = opts_isset(&a->opts, OPT_TYPE) ? a->opts.type :
	    SOCK_STREAM;
	l->protocol = proto;
	l->locallen = sizeof(l->local);
	getsockname(fd, (struct sockaddr *)&l->local, &l->locallen);
	listen_log(l);
	return 0;
}

/*
 * socket-sendto, socket-datagram, socket-recv, socket-recvfrom
 * (DOMAIN:TYPE:PROTOCOL:ADDRESS): the datagram family of ep-dgram.c over
 * a generic socket: sendto and datagram send to ADDRESS, recv and
 * recvfrom are bound to it. Returns 0 or an EXIT_* status after a
 * message.
 */
static int
gensock_dgram(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct gensock_addr	 ga;
	struct sockaddr_storage	 bound;
	socklen_t		 len;
	char			 buf[160];
	int			 domain, type, proto, fd, r, mode;
	int			 sending;

	if (gensock_domain(a, &domain) == -1 ||
	    gensock_num(a, "type", a->params[1], 255, &type) == -1 ||
	    gensock_num(a, "protocol", a->params[2], 255, &proto) == -1 ||
	    gensock_sockaddr(a, domain, a->params[3], &ga) == -1)
		return EXIT_USAGE;
	if ((fd = gensock_socket(a, domain, type, proto, &r)) == -1)
		return r;
	sending = a->type == &at_socket_sendto ||
	    a->type == &at_socket_datagram;
	if (!sending) {
		if (bind(fd, (struct sockaddr *)&ga.ss, ga.len) == -1) {
			warn("%s: bind", a->text);
			close(fd);
			return EXIT_RUNTIME;
		}
		len = sizeof(bound);
		if (getsockname(fd, (struct sockaddr *)&bound, &len) == 0)
			log_verbose(1, "listening on %s", log_sockaddr(
			    (struct sockaddr *)&bound, len, buf,
			    sizeof(buf)));
	}
	if (a->type == &at_socket_sendto)
		mode = DGRAM_PEER;
	else if (a->type == &at_socket_datagram)
		mode = DGRAM_ANYONE;
	else if (a->type == &at_socket_recv)
		mode = DGRAM_RECV;
	else
		mode = DGRAM_ANSWER;
	if ((r = dgram_endpoint(a, fd, mode, sending ?
	    (struct sockaddr *)&ga.ss : NULL, sending ? ga.len : 0, NULL,
	    ep)) != 0)
		return r;
	if (a->type->flags & AT_RECVFROM)
		return dgram_first(ep);
	return 0;
}
