/* ep-raw.c: raw IP sockets: raw (ip-sendto) and raw-listen (ip-recvfrom). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif
#include <sys/uio.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* Own datagrams remembered to recognise their looped-back copies. */
#define RAW_SENT_MAX	64
/* A looped-back copy is queued within this long of its sending, ms. */
#define RAW_LOOP_MS	500
/* Smallest IPv4 header, bytes (RFC 791). */
#define RAW_IPHDR_MIN	20

/* One datagram this endpoint sent to an address of this host. */
struct raw_sent {
	struct timespec	 ts;	/* when sent, CLOCK_REALTIME */
	uint64_t	 hash;	/* FNV-1a of the payload */
	size_t		 len;	/* payload bytes */
};

/* Private state of a raw endpoint (ep->ctx). */
struct raw_ctx {
	int			 fd[2];	/* IPv4 and IPv6 sockets, or -1 */
	int			 pollfd; /* epoll(7) set of both, or -1 */
	int			 iphdr;	/* keep received IPv4 headers */
	int			 listen; /* raw-listen: answer last sender */
	int			 next;	/* socket to read first, for fairness */
	int			 peerfd; /* fd[] index of the peer, or -1 */
	struct sockaddr_storage	 peer;	/* where writes go */
	socklen_t		 peerlen;
	int			 peerlocal; /* peer is this host: copies loop */
	struct raw_sent		 sent[RAW_SENT_MAX]; /* oldest first */
	size_t			 nsent;
	int			 truncated; /* "cut short" was said once */
};

static int	raw_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	raw_listen_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	raw_read(struct endpoint *, void *, size_t);
static ssize_t	raw_write(struct endpoint *, const void *, size_t);
static int	raw_shutdown_wr(struct endpoint *);
static size_t	raw_pending(struct endpoint *);
static void	raw_close(struct endpoint *);
static int	raw_check(const struct addr *, struct addr_error *);

const struct addr_type at_raw = {
	.name = "raw",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOST,
	.groups = G_ANY | G_SOCKET | G_IP | G_RAW,
	.socktype = SOCK_RAW,
	.syntax = "HOST:PROTO",
	.help = "raw IP datagrams of protocol PROTO to HOST",
	.open = raw_open,
	.check = raw_check,
};

const struct addr_type at_raw_listen = {
	.name = "raw-listen",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM,
	.groups = G_ANY | G_SOCKET | G_IP | G_RAW,
	.socktype = SOCK_RAW,
	.syntax = "PROTO",
	.help = "raw IP: PROTO from anyone, answers the last sender",
	.open = raw_listen_open,
	.check = raw_check,
};

static const struct ep_ops raw_ops = {
	.name = "raw socket",
	.read = raw_read,
	.write = raw_write,
	.shutdown_wr = raw_shutdown_wr,
	.pending = raw_pending,
	.close = raw_close,
};

/*
 * The protocol parameter: a number from 0 to 255, or a name of
 * /etc/protocols (getprotobyname(3)). Returns 0 with *proto set, or
 * EXIT_USAGE (bad number) or EXIT_RESOLVE (unknown name) after a message.
 */
static int
raw_proto(const struct addr *a, const char *p, int *proto)
{
	struct protoent	*pe;
	unsigned long	 v;

	if (*p >= '0' && *p <= '9') {
		if (parse_uint(p, 0, 255, &v) == -1) {
			warnx("%s: protocol %s: not a number from 0 to 255",
			    a->text, p);
			return EXIT_USAGE;
		}
		*proto = (int)v;
		return 0;
	}
	if ((pe = getprotobyname(p)) == NULL) {
		warnx("%s: protocol %s: unknown (not a number nor a name of "
		    "/etc/protocols)", a->text, p);
		return EXIT_RESOLVE;
	}
	*proto = pe->p_proto;
	return 0;
}

/*
 * Parse-time check of raw and raw-listen (struct addr_type check): a
 * numeric PROTO is 0 to 255. A name is looked up in /etc/protocols when
 * the address opens (raw_proto), as host names are resolved then. Pure.
 * Returns 0, or AE_CHECK with e->detail saying why.
 */
static int
raw_check(const struct addr *a, struct addr_error *e)
{
	const char	*p = a->params[a->nparams - 1];
	unsigned long	 v;

	if (*p < '0' || *p > '9' || parse_uint(p, 0, 255, &v) == 0)
		return 0;
	snprintf(e->detail, sizeof(e->detail), "protocol %.64s: not a "
	    "number from 0 to 255", p);
	e->code = AE_CHECK;
	return AE_CHECK;
}

/* An IP address without port for messages: "127.0.0.1", "fe80::1%lo". */
static char *
raw_ntop(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	if (getnameinfo(sa, len, buf, size, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, size, "?");
	return buf;
}

/*
 * A raw socket of family for protocol proto, non-blocking, with kernel
 * receive timestamps and the PH_SOCKET options. Returns it, or -1 with
 * *status set after a message; EPERM says which privilege is missing.
 * With optional set, a family the host lacks (EAFNOSUPPORT) is -1 with
 * *status 0 and no message.
 */
static int
raw_socket(const struct addr *a, int family, int proto, int optional,
    int *status)
{
	int	fd, on = 1;

	*status = EXIT_RUNTIME;
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd == -1) {
		if (optional && errno == EAFNOSUPPORT)
			*status = 0;
		else if (errno == EPERM || errno == EACCES)
			warnx("%s: socket: %s (raw sockets need root or "
			    "CAP_NET_RAW)", a->text, strerror(errno));
		else
			warn("%s: socket", a->text);
		return -1;
	}
	/* Receive times tell our own looped-back datagrams apart. */
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return -1;
	}
	*status = 0;
	return fd;
}

/*
 * The local address of bind=HOST (or [V6]) in the given family (AF_UNSPEC:
 * whatever it is). Returns 0 with *res set (freeaddrinfo it), or an EXIT_*
 * status after a message.
 */
static int
raw_bind_resolve(const struct addr *a, int family, struct addrinfo **res)
{
	struct addrinfo	 hints;
	char		 buf[256];
	size_t		 len = strlen(a->opts.bind);
	int		 error;

	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, a->opts.bind, len + 1);
	if (buf[0] == '[') {
		/* "[V6]" as in host names; a raw socket has no port. */
		if (len < 3 || buf[len - 1] != ']')
			goto bad;
		buf[len - 1] = '\0';
		memmove(buf, buf + 1, len - 1);
	} else if (strchr(buf, ':') != NULL &&
	    strchr(buf, ':') == strrchr(buf, ':'))
		goto bad;	/* HOST:PORT, but raw IP has no ports */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	error = getaddrinfo(buf, NULL, &hints, res);
	if (error == 0)
		return 0;
	warnx("%s: bind=%s: %s", a->text, a->opts.bind, gai_strerror(error));
	return EXIT_RESOLVE;
bad:
	warnx("%s: bind=%s: malformed address (raw sockets take HOST or "
	    "[V6], no port)", a->text, a->opts.bind);
	return EXIT_USAGE;
}

/* bind= on the raw socket fd of family. Returns 0 or an EXIT_* status. */
static int
raw_bind(const struct addr *a, int fd, int family)
{
	struct addrinfo	*res;
	int		 r;

	if (!opts_isset(&a->opts, OPT_BIND))
		return 0;
	if ((r = raw_bind_resolve(a, family, &res)) != 0)
		return r;
	r = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (r == -1) {
		warn("%s: bind %s", a->text, a->opts.bind);
		return EXIT_RUNTIME;
	}
	return 0;
}

/*
 * Whether sa is an address of this host, so that what we send to it also
 * reaches our own raw socket: binding a datagram socket to it succeeds.
 */
static int
raw_is_local(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_storage	ss;
	int			fd, r;

	if (len > sizeof(ss))
		return 0;
	memcpy(&ss, sa, len);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = 0;
	else if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = 0;
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	r = bind(fd, (struct sockaddr *)&ss, len) == 0;
	close(fd);
	return r;
}

/* FNV-1a, 64 bits, of len bytes at p. */
static uint64_t
raw_hash(const unsigned char *p, size_t len)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Milliseconds from a to b (b later). */
static long
raw_ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * Remember a datagram just sent to an address of this host: the kernel
 * hands every raw socket of the protocol a copy, ours included, and that
 * copy must not be taken for the peer's data.
 */
static void
raw_remember(struct raw_ctx *c, const void *buf, size_t len)
{
	struct raw_sent	*s;

	if (c->nsent == RAW_SENT_MAX) {
		memmove(&c->sent[0], &c->sent[1], (RAW_SENT_MAX - 1) *
		    sizeof(c->sent[0]));
		c->nsent--;
	}
	s = &c->sent[c->nsent++];
	clock_gettime(CLOCK_REALTIME, &s->ts);
	s->hash = raw_hash(buf, len);
	s->len = len;
}

/*
 * Is the payload received at time ts (kernel timestamp) the looped-back
 * copy of a datagram we sent? Entries too old for ts are forgotten (the
 * copy is queued as it is sent, and the queue is in order); a match is
 * used up, so an identical answer from the peer still gets through.
 */
static int
raw_own_copy(struct raw_ctx *c, const void *buf, size_t len,
    const struct timespec *ts)
{
	uint64_t	h;
	size_t		i;

	while (c->nsent > 0 && raw_ms_between(&c->sent[0].ts, ts) >
	    RAW_LOOP_MS) {
		memmove(&c->sent[0], &c->sent[1], (c->nsent - 1) *
		    sizeof(c->sent[0]));
		c->nsent--;
	}
	if (c->nsent == 0)
		return 0;
	h = raw_hash(buf, len);
	for (i = 0; i < c->nsent; i++) {
		if (c->sent[i].len != len || c->sent[i].hash != h)
			continue;
		memmove(&c->sent[i], &c->sent[i + 1], (c->nsent - i - 1) *
		    sizeof(c->sent[0]));
		c->nsent--;
		return 1;
	}
	return 0;
}

/* Make the sender src (on socket index i) the peer of raw-listen. */
static void
raw_set_peer(struct endpoint *ep, int i, const struct sockaddr_storage *src,
    socklen_t len)
{
	struct raw_ctx	*c = ep->ctx;
	char		 host[NI_MAXHOST];

	if (c->peerfd == i && c->peerlen == len &&
	    memcmp(&c->peer, src, len) == 0)
		return;
	c->peerfd = i;
	memcpy(&c->peer, src, len);
	c->peerlen = len;
	c->peerlocal = raw_is_local((struct sockaddr *)src, len);
	ep->wfd = c->fd[i];
	log_verbose(1, "%s: answering %s", ep->name, raw_ntop(
	    (struct sockaddr *)src, len, host, sizeof(host)));
}

/*
 * One recvmsg(2) on socket index i into buf (len bytes): fills src and
 * the kernel receive time ts. Returns the bytes, or -1 with errno.
 */
static ssize_t
raw_recv(struct endpoint *ep, int i, void *buf, size_t len, int flags,
    struct sockaddr_storage *src, socklen_t *srclen, struct timespec *ts)
{
	struct raw_ctx	*c = ep->ctx;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct timespec))];
	}		 cbuf;
	ssize_t		 n;

	iov.iov_base = buf;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = src;
	msg.msg_namelen = sizeof(*src);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	do
		n = recvmsg(c->fd[i], &msg, flags | MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	*srclen = msg.msg_namelen;
	clock_gettime(CLOCK_REALTIME, ts);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(ts, CMSG_DATA(cm), sizeof(*ts));
	if ((msg.msg_flags & MSG_TRUNC) && !(flags & MSG_PEEK) &&
	    !c->truncated) {
		warnx("%s: a datagram longer than %zu bytes was cut short",
		    ep->name, len);
		c->truncated = 1;
	}
	return n;
}

/*
 * Read one datagram: its payload (IPv4: the kernel's header removed,
 * unless iphdr), after our own looped-back copies are skipped. raw-listen
 * remembers its sender as the peer to answer. Returns the bytes (a
 * datagram may be empty), EP_WANT_READ when none is queued, or EP_ERROR
 * with errno (ICMP errors of a connected socket show here).
 */
static ssize_t
raw_read(struct endpoint *ep, void *buf, size_t len)
{
	struct raw_ctx		*c = ep->ctx;
	struct sockaddr_storage	 src;
	socklen_t		 srclen;
	struct timespec		 ts;
	unsigned char		*p = buf;
	size_t			 hl, k;
	ssize_t			 n;
	int			 i;

	for (k = 0; k < 2; k++) {
		i = (c->next + (int)k) % 2;
		if (c->fd[i] == -1)
			continue;
		for (;;) {
			n = raw_recv(ep, i, buf, len, 0, &src, &srclen, &ts);
			if (n == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK))
				break;
			if (n == -1)
				return EP_ERROR;
			hl = 0;
			if (i == 0 && n >= RAW_IPHDR_MIN && (p[0] >> 4) == 4 &&
			    (size_t)(p[0] & 0x0f) * 4 <= (size_t)n)
				hl = (size_t)(p[0] & 0x0f) * 4;
			if (raw_own_copy(c, p + hl, (size_t)n - hl, &ts))
				continue;
			if (!c->iphdr && hl > 0) {
				memmove(p, p + hl, (size_t)n - hl);
				n -= (ssize_t)hl;
			}
			if (c->listen)
				raw_set_peer(ep, i, &src, srclen);
			/* The other family goes first next time. */
			c->next = (i + 1) % 2;
			return n;
		}
	}
	return EP_WANT_READ;
}

/*
 * raw-listen before its first datagram was read: peek at a queued one to
 * learn whom to answer. Returns 1 when a peer is known now, else 0.
 */
static int
raw_peek_peer(struct endpoint *ep)
{
	struct raw_ctx		*c = ep->ctx;
	struct sockaddr_storage	 src;
	socklen_t		 srclen;
	struct timespec		 ts;
	char			 byte;
	int			 i;

	for (i = 0; i < 2; i++) {
		if (c->fd[i] == -1)
			continue;
		if (raw_recv(ep, i, &byte, 1, MSG_PEEK, &src, &srclen, &ts) >=
		    0) {
			raw_set_peer(ep, i, &src, srclen);
			return 1;
		}
	}
	return 0;
}

/*
 * Send len bytes as one IP datagram: to HOST (raw), or to the last sender
 * (raw-listen; before any sender is known it waits for one, so the relay
 * polls for input). Returns len, EP_WANT_READ, EP_WANT_WRITE (socket
 * buffer full), or EP_ERROR with errno (EMSGSIZE, EHOSTUNREACH, ...).
 */
static ssize_t
raw_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct raw_ctx	*c = ep->ctx;
	ssize_t		 n;

	if (c->peerfd == -1 && !raw_peek_peer(ep))
		return EP_WANT_READ;
	for (;;) {
		if (c->listen)
			n = sendto(c->fd[c->peerfd], buf, len, 0,
			    (struct sockaddr *)&c->peer, c->peerlen);
		else
			n = send(c->fd[c->peerfd], buf, len, 0);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			return EP_WANT_WRITE;
		return EP_ERROR;
	}
	if (c->peerlocal)
		raw_remember(c, buf, len);
	return n;
}

/* Raw sockets have no half-close (EP_CONNLESS): nothing to do, 0. */
static int
raw_shutdown_wr(__unused struct endpoint *ep)
{
	return 0;
}

/* Nothing is held besides the kernel's queue: always 0 bytes. */
static size_t
raw_pending(__unused struct endpoint *ep)
{
	return 0;
}

/* Close the sockets and the poll set, and free the state. */
static void
raw_close(struct endpoint *ep)
{
	struct raw_ctx	*c = ep->ctx;
	int		 saved = errno, i;

	for (i = 0; i < 2; i++)
		if (c->fd[i] != -1)
			close(c->fd[i]);
	if (c->pollfd != -1)
		close(c->pollfd);
	free(c);
	ep->ctx = NULL;
	ep->rfd = ep->wfd = -1;
	errno = saved;
}

/* A fresh context with no socket open. */
static struct raw_ctx *
raw_ctx_new(const struct addr *a, int listen)
{
	struct raw_ctx	*c;

	c = xcalloc(1, sizeof(*c));
	c->fd[0] = c->fd[1] = c->pollfd = -1;
	c->peerfd = -1;
	c->iphdr = a->opts.iphdr;
	c->listen = listen;
	return c;
}

/*
 * raw:HOST:PROTO: a raw socket connected to HOST (the first address of
 * the name that takes it), so writes go there and only its datagrams of
 * PROTO are read; bind= sets the source. socat's IP-SENDTO. Returns 0, or
 * an EXIT_* status after "sockcat: ADDR: call: reason".
 */
static int
raw_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct addrinfo	*res, *ai;
	struct raw_ctx	*c;
	char		 host[NI_MAXHOST];
	int		 proto, r, fd = -1, saved = 0;

	if ((r = raw_proto(a, a->params[1], &proto)) != 0)
		return r;
	if ((r = inet_resolve(a, a->params[0], NULL, SOCK_DGRAM, 0, &res)) !=
	    0)
		return r;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = raw_socket(a, ai->ai_family, proto, 0, &r)) == -1) {
			freeaddrinfo(res);
			return r;
		}
		if ((r = raw_bind(a, fd, ai->ai_family)) != 0) {
			close(fd);
			freeaddrinfo(res);
			return r;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	if (fd == -1) {
		freeaddrinfo(res);
		errno = saved;
		warn("%s: connect", a->text);
		return EXIT_CONNECT;
	}
	c = raw_ctx_new(a, 0);
	c->peerfd = ai->ai_family == AF_INET ? 0 : 1;
	c->fd[c->peerfd] = fd;
	memcpy(&c->peer, ai->ai_addr, ai->ai_addrlen);
	c->peerlen = ai->ai_addrlen;
	c->peerlocal = raw_is_local(ai->ai_addr, ai->ai_addrlen);
	log_verbose(1, "connected to %s, protocol %d", raw_ntop(ai->ai_addr,
	    ai->ai_addrlen, host, sizeof(host)), proto);
	freeaddrinfo(res);
	ep_init(ep, a->text, fd, fd, EP_DGRAM | EP_CONNLESS | EP_SOCKET,
	    &raw_ops);
	ep->ctx = c;
	return 0;
}

/*
 * Join the IPv4 and IPv6 sockets of c into one descriptor that poll(2)
 * finds readable when either is. Returns 0, or -1 where that is not
 * possible (the caller then keeps IPv4 only).
 */
static int
raw_join(struct raw_ctx *c)
{
#ifdef __linux__
	struct epoll_event	ev;
	int			i;

	if ((c->pollfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = c->fd[i];
		if (epoll_ctl(c->pollfd, EPOLL_CTL_ADD, c->fd[i], &ev) == -1) {
			close(c->pollfd);
			c->pollfd = -1;
			return -1;
		}
	}
	return 0;
#else
	(void)c;
	return -1;
#endif
}

/*
 * raw-listen:PROTO: raw sockets receiving PROTO from anyone: IPv4 and IPv6
 * both unless -4/-6 or bind= pick one family. Each write answers the last
 * sender; a write before any datagram arrived waits for one. socat's
 * IP-RECVFROM, without fork. Returns 0, or an EXIT_* status after a
 * message.
 */
static int
raw_listen_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	static const int	 fams[2] = { AF_INET, AF_INET6 };
	static const char *const any[2] = { "0.0.0.0", "[::]" };
	struct addrinfo		*res;
	struct raw_ctx		*c;
	int			 family, proto, r, i, n = 0;

	if ((r = raw_proto(a, a->params[0], &proto)) != 0)
		return r;
	family = inet_family(a);
	if (opts_isset(&a->opts, OPT_BIND)) {
		if ((r = raw_bind_resolve(a, family, &res)) != 0)
			return r;
		family = res->ai_family;
		freeaddrinfo(res);
	}
	c = raw_ctx_new(a, 1);
	for (i = 0; i < 2; i++) {
		if (family != AF_UNSPEC && family != fams[i])
			continue;
		/* Dual: a host without IPv6 still listens on IPv4. */
		c->fd[i] = raw_socket(a, fams[i], proto, family == AF_UNSPEC &&
		    i == 1, &r);
		if (c->fd[i] == -1 && r == 0)
			continue;
		if (c->fd[i] == -1 || (r = raw_bind(a, c->fd[i], fams[i])) !=
		    0) {
			ep_init(ep, a->text, -1, -1, 0, &raw_ops);
			ep->ctx = c;
			raw_close(ep);
			return r;
		}
		n++;
	}
	if (n == 2 && raw_join(c) == -1) {
		close(c->fd[1]);
		c->fd[1] = -1;
		n = 1;
	}
	/* Only now: a test may send as soon as it reads these lines. */
	for (i = 0; i < 2; i++)
		if (c->fd[i] != -1)
			log_verbose(1, "listening on %s, protocol %d",
			    opts_isset(&a->opts, OPT_BIND) ? a->opts.bind :
			    any[i], proto);
	if (n == 2)
		ep_init(ep, a->text, c->pollfd, c->fd[0], EP_DGRAM |
		    EP_CONNLESS, &raw_ops);
	else {
		i = c->fd[0] != -1 ? 0 : 1;
		ep_init(ep, a->text, c->fd[i], c->fd[i], EP_DGRAM |
		    EP_CONNLESS | EP_SOCKET, &raw_ops);
	}
	ep->ctx = c;
	return 0;
}
