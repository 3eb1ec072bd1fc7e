/* ep-dgram.c: the datagram family: *-sendto, *-recvfrom, *-recv, *-datagram. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * socat's datagram addresses (socat(1): UDP-SENDTO, UDP-RECVFROM, UDP-RECV,
 * UDP-DATAGRAM, UNIX-SENDTO, UNIX-RECVFROM, UNIX-RECV, ABSTRACT-*): one
 * socket, each read one datagram and each write one datagram, no end of
 * input (but null-eof) and no half-close (but shut-null). How a datagram
 * finds its way is the mode:
 */
#define DG_PEER		DGRAM_PEER
#define DG_ANYONE	DGRAM_ANYONE
#define DG_ANSWER	DGRAM_ANSWER
#define DG_RECV		DGRAM_RECV
#define DG_CONNECTED	DGRAM_CONNECTED

/* Private state of a datagram endpoint (ep->ctx). */
struct dgram_ctx {
	const struct addr	*a;	/* for range=, null-eof, shut-null */
	int			 mode;	/* DG_* */
	struct sockaddr_storage	 peer;	/* where writes go */
	socklen_t		 peerlen;
	int			 havepeer;
	unsigned char		*queue;	/* a datagram received at open */
	size_t			 qlen;
	int			 queued;
	int			 once;	/* fork child: the queued one is all */
	char			*unlink_path; /* socket file of a receiver */
	int			 truncated; /* "cut short" was said once */
	int			 failed;	/* a send failed for good */
};

static int	dgram_udp_sendto(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	dgram_udp_datagram(const struct addr *,
		    const struct endpoint *, struct endpoint *);
static int	dgram_udp_recv(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	dgram_unix_sendto(const struct addr *,
		    const struct endpoint *, struct endpoint *);
static int	dgram_unix_recv(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	dgram_read(struct endpoint *, void *, size_t);
static ssize_t	dgram_write(struct endpoint *, const void *, size_t);
static int	dgram_shutdown_wr(struct endpoint *);
static size_t	dgram_pending(struct endpoint *);
static void	dgram_close(struct endpoint *);

#define DG_UDP_GROUPS	(G_ANY | G_SOCKET | G_IP | G_IPDGRAM)
#define DG_UNIX_GROUPS	(G_ANY | G_SOCKET | G_UNIX)

const struct addr_type at_udp_sendto = {
	.name = "udp-sendto",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT,
	.groups = DG_UDP_GROUPS,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "HOST:PORT",
	.help = "UDP to HOST:PORT, answers from there only",
	.open = dgram_udp_sendto,
};

const struct addr_type at_udp_datagram = {
	.name = "udp-datagram",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT,
	.groups = DG_UDP_GROUPS | G_RANGE,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "HOST:PORT",
	.help = "UDP to HOST:PORT (broadcast, multicast), from anyone",
	.open = dgram_udp_datagram,
};

const struct addr_type at_udp_recv = {
	.name = "udp-recv",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT | AT_PASSIVE,
	.groups = DG_UDP_GROUPS | G_RANGE | G_IPLISTEN | G_RETRY,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "[HOST:]PORT",
	.help = "UDP receiver: datagrams from anyone, read only",
	.open = dgram_udp_recv,
};

const struct addr_type at_udp_recvfrom = {
	.name = "udp-recvfrom",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT | AT_PASSIVE | AT_RECVFROM,
	.groups = DG_UDP_GROUPS | G_RANGE | G_IPLISTEN | G_RETRY | G_CHILD |
	    G_REUSE,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "[HOST:]PORT",
	.help = "UDP server: answers each sender; fork: a child each",
	.open = dgram_udp_recv,
};

const struct addr_type at_unix_sendto = {
	.name = "unix-sendto",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM,
	.groups = DG_UNIX_GROUPS | G_NAMED,
	.family = AF_UNIX,
	.syntax = "PATH",
	.help = "unix datagram socket client (bind= to get answers)",
	.open = dgram_unix_sendto,
	.check = unix_check,
};

const struct addr_type at_unix_recv = {
	.name = "unix-recv",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM | AT_PASSIVE,
	.groups = DG_UNIX_GROUPS | G_NAMED | G_UNIXFILE | G_RETRY | G_REUSE,
	.family = AF_UNIX,
	.syntax = "PATH",
	.help = "unix datagram receiver, read only",
	.open = dgram_unix_recv,
	.check = unix_check,
};

const struct addr_type at_unix_recvfrom = {
	.name = "unix-recvfrom",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM | AT_PASSIVE | AT_RECVFROM,
	.groups = DG_UNIX_GROUPS | G_NAMED | G_UNIXFILE | G_RETRY | G_CHILD |
	    G_REUSE,
	.family = AF_UNIX,
	.syntax = "PATH",
	.help = "unix datagram server: answers each sender",
	.open = dgram_unix_recv,
	.check = unix_check,
};

const struct addr_type at_abstract_sendto = {
	.name = "abstract-sendto",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM | AT_ABSTRACT,
	.groups = DG_UNIX_GROUPS,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "abstract unix datagram socket client",
	.open = dgram_unix_sendto,
	.check = unix_check,
};

const struct addr_type at_abstract_recv = {
	.name = "abstract-recv",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM | AT_PASSIVE | AT_ABSTRACT,
	.groups = DG_UNIX_GROUPS | G_RETRY | G_REUSE,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "abstract unix datagram receiver, read only",
	.open = dgram_unix_recv,
	.check = unix_check,
};

const struct addr_type at_abstract_recvfrom = {
	.name = "abstract-recvfrom",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_DGRAM | AT_PASSIVE | AT_RECVFROM | AT_ABSTRACT,
	.groups = DG_UNIX_GROUPS | G_RETRY | G_CHILD | G_REUSE,
	.family = AF_UNIX,
	.syntax = "NAME",
	.help = "abstract unix datagram server: answers each sender",
	.open = dgram_unix_recv,
	.check = unix_check,
};

static const struct ep_ops dgram_ops = {
	.name = "datagram socket",
	.read = dgram_read,
	.write = dgram_write,
	.shutdown_wr = dgram_shutdown_wr,
	.pending = dgram_pending,
	.close = dgram_close,
};

/* Whether two socket addresses are the same. */
static int
dgram_same(const struct sockaddr_storage *a, socklen_t alen,
    const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/*
 * Say what an ancillary message of a received datagram holds, as socat
 * does with -d -d: "ancillary message: TYPE: NAME=VALUE"; and put it in
 * the environment of the programs started from now on, as socat's
 * SOCAT_NAME (the prefix is the program name, -lp).
 */
static void
dgram_anc(const char *type, const char *name, const char *env,
    const char *value)
{
	char	 var[128], prefix[64];

	log_verbose(2, "ancillary message: %s: %s=%s", type, name, value);
	snprintf(var, sizeof(var), "%s_%s", log_env_prefix(prefix,
	    sizeof(prefix)), env);
	setenv(var, value, 1);
}

/* Report the ancillary messages of msg (IP_OPTIONS, SO_TIMESTAMP, ...). */
static void
dgram_anc_all(struct msghdr *msg)
{
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;
	struct timeval		 tv;
	struct tm		 tm;
	char			 val[256], t[64], ifname[IF_NAMESIZE];
	unsigned char		*d;
	size_t			 n, i;
	int			 v;

	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		d = CMSG_DATA(cm);
		n = cm->cmsg_len - CMSG_LEN(0);
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMP && n >= sizeof(tv)) {
			memcpy(&tv, d, sizeof(tv));
			localtime_r(&tv.tv_sec, &tm);
			strftime(t, sizeof(t), "%a %b %e %H:%M:%S %Y", &tm);
			snprintf(val, sizeof(val), "%s, %06ld usecs", t,
			    (long)tv.tv_usec);
			dgram_anc("SCM_TIMESTAMP", "timestamp", "TIMESTAMP",
			    val);
		}
		if (cm->cmsg_level != IPPROTO_IP)
			continue;
		switch (cm->cmsg_type) {
		case IP_OPTIONS:
		case IP_RECVOPTS:
			val[0] = 'x';
			for (i = 0; i < n && 2 * i + 3 < sizeof(val); i++)
				snprintf(val + 1 + 2 * i, 3, "%02x", d[i]);
			val[1 + 2 * i] = '\0';
			dgram_anc("IP_OPTIONS", "options", "IP_OPTIONS", val);
			break;
		case IP_TTL:
		case IP_TOS:
			v = 0;
			if (n >= sizeof(int))
				memcpy(&v, d, sizeof(v));
			else if (n >= 1)
				v = d[0];
			snprintf(val, sizeof(val), "%d", v);
			if (cm->cmsg_type == IP_TTL)
				dgram_anc("IP_TTL", "ttl", "IP_TTL", val);
			else
				dgram_anc("IP_TOS", "tos", "IP_TOS", val);
			break;
		case IP_PKTINFO:
			if (n < sizeof(pi))
				break;
			memcpy(&pi, d, sizeof(pi));
			if (if_indextoname((unsigned)pi.ipi_ifindex, ifname) ==
			    NULL)
				snprintf(ifname, sizeof(ifname), "%d",
				    pi.ipi_ifindex);
			dgram_anc("IP_PKTINFO", "if", "IP_IF", ifname);
			inet_ntop(AF_INET, &pi.ipi_spec_dst, val, sizeof(val));
			dgram_anc("IP_PKTINFO", "locaddr", "IP_LOCADDR", val);
			inet_ntop(AF_INET, &pi.ipi_addr, val, sizeof(val));
			dgram_anc("IP_PKTINFO", "dstaddr", "IP_DSTADDR", val);
			break;
		}
	}
}

/*
 * Receive one datagram from c's socket fd into buf (len bytes) with its
 * sender (src, *srclen) and report its ancillary messages. A datagram from
 * a sender the mode or range=, sourceport=, lowport do not take is
 * dropped (logged with -v) and the next one read. Returns the bytes, or
 * -1 with errno (EAGAIN when none is queued).
 */
static ssize_t
dgram_recv(struct endpoint *ep, int fd, void *buf, size_t len,
    struct sockaddr_storage *src, socklen_t *srclen)
{
	struct dgram_ctx	*c = ep->ctx;
	struct msghdr		 msg;
	struct iovec		 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[512];
	}			 cbuf;
	char			 who[160], why[128];
	ssize_t			 n;

	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = len;
		memset(&msg, 0, sizeof(msg));
		memset(src, 0, sizeof(*src));
		msg.msg_name = src;
		msg.msg_namelen = sizeof(*src);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		*srclen = msg.msg_namelen;
		if ((msg.msg_flags & MSG_TRUNC) && !c->truncated) {
			warnx("%s: a datagram longer than %zu bytes was cut "
			    "short", ep->name, len);
			c->truncated = 1;
		}
		if (c->mode == DG_PEER && c->havepeer &&
		    !dgram_same(src, *srclen, &c->peer, c->peerlen)) {
			log_verbose(2, "dropped a datagram from %s: not the "
			    "peer", log_sockaddr((struct sockaddr *)src,
			    *srclen, who, sizeof(who)));
			continue;
		}
		if (*srclen > sizeof(sa_family_t) && !opts_peer_ok(c->a,
		    (struct sockaddr *)src, *srclen, why, sizeof(why))) {
			log_verbose(1, "dropped a datagram from %s: %s",
			    log_sockaddr((struct sockaddr *)src, *srclen, who,
			    sizeof(who)), why);
			continue;
		}
		dgram_anc_all(&msg);
		return n;
	}
}

/*
 * Read one datagram: the one taken in at open first (recvfrom); a fork
 * child ends its input after it. recvfrom remembers the sender as the
 * peer to answer. An empty datagram is skipped, or with null-eof is the
 * end of input. Returns the bytes, 0 (null-eof, or a fork child's end),
 * EP_WANT_READ, or EP_ERROR with errno.
 */
static ssize_t
dgram_read(struct endpoint *ep, void *buf, size_t len)
{
	struct dgram_ctx	*c = ep->ctx;
	struct sockaddr_storage	 src;
	socklen_t		 srclen;
	ssize_t			 n;

	if (c->queued) {
		n = (ssize_t)(c->qlen < len ? c->qlen : len);
		memcpy(buf, c->queue, (size_t)n);
		c->queued = 0;
		if (n == 0 && c->a->opts.null_eof) {
			ep->flags &= ~EP_CONNLESS;
			return 0;
		}
		if (n > 0)
			return n;
	}
	if (c->once || c->failed) {
		/*
		 * A fork child: the parent reads the socket, this datagram
		 * was ours. A send that failed for good (EACCES, ENETUNREACH,
		 * said once by the relay): the session is over.
		 */
		ep->flags &= ~EP_CONNLESS;
		return 0;
	}
	for (;;) {
		n = dgram_recv(ep, ep->rfd, buf, len, &src, &srclen);
		if (n == -1)
			return (errno == EAGAIN || errno == EWOULDBLOCK) ?
			    EP_WANT_READ : EP_ERROR;
		if (c->mode == DG_ANSWER && srclen > sizeof(sa_family_t)) {
			memcpy(&c->peer, &src, srclen);
			c->peerlen = srclen;
			c->havepeer = 1;
		}
		if (n > 0)
			return n;
		if (c->a->opts.null_eof) {
			/* An empty datagram ends the input (socat). */
			ep->flags &= ~EP_CONNLESS;
			return 0;
		}
	}
}

/*
 * Send len bytes as one datagram: to the peer, or with recvfrom to the
 * last sender (before any, it waits for one: the relay polls for input).
 * Returns len, EP_WANT_READ, EP_WANT_WRITE, or EP_ERROR with errno.
 */
static ssize_t
dgram_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct dgram_ctx	*c = ep->ctx;
	ssize_t			 n;

	if (c->mode != DG_CONNECTED && !c->havepeer)
		return EP_WANT_READ;
	for (;;) {
		if (c->mode == DG_CONNECTED)
			n = send(ep->wfd, buf, len, 0);
		else
			n = sendto(ep->wfd, buf, len, 0,
			    (struct sockaddr *)&c->peer, c->peerlen);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			return EP_WANT_WRITE;
		/* A peer's ICMP error is news; anything else ends it all. */
		if (errno != ECONNREFUSED)
			c->failed = 1;
		return EP_ERROR;
	}
}

/*
 * The half-close: nothing, or with shut-null an empty datagram, which a
 * peer with null-eof takes for the end of input (socat). Returns 0.
 */
static int
dgram_shutdown_wr(struct endpoint *ep)
{
	struct dgram_ctx	*c = ep->ctx;
	char			 none = 0;

	ep->wr_shut = 1;
	if (!c->a->opts.shut_null || c->mode == DG_RECV ||
	    (c->mode != DG_CONNECTED && !c->havepeer))
		return 0;
	if (c->mode == DG_CONNECTED)
		send(ep->wfd, &none, 0, 0);
	else
		sendto(ep->wfd, &none, 0, 0, (struct sockaddr *)&c->peer,
		    c->peerlen);
	return 0;
}

/* A datagram taken in at open, and an end to report, count as held. */
static size_t
dgram_pending(struct endpoint *ep)
{
	struct dgram_ctx	*c = ep->ctx;

	return c->queued ? (c->qlen > 0 ? c->qlen : 1) :
	    (c->once || c->failed ? 1 : 0);
}

/* Close the socket, remove its file (unlink-close), free the state. */
static void
dgram_close(struct endpoint *ep)
{
	struct dgram_ctx	*c = ep->ctx;
	int			 saved = errno;

	if (ep->rfd != -1)
		close(ep->rfd);
	ep->rfd = ep->wfd = -1;
	if (c->unlink_path != NULL) {
		unlink(c->unlink_path);
		free(c->unlink_path);
	}
	free(c->queue);
	free(c);
	ep->ctx = NULL;
	errno = saved;
}

/*
 * Make ep the datagram endpoint of socket fd for address a in mode (DG_*):
 * peer (peerlen bytes, or NULL) is where writes go; unlink_path (taken
 * over, or NULL) is removed at close. Returns 0, or EXIT_RUNTIME after a
 * message (fd is closed then).
 */
int
dgram_endpoint(const struct addr *a, int fd, int mode,
    const struct sockaddr *peer, socklen_t peerlen, char *unlink_path,
    struct endpoint *ep)
{
	struct dgram_ctx	*c;
	int			 flags = EP_DGRAM | EP_SOCKET;

	if (set_nonblock(fd, 1) == -1 || opts_apply(fd, a, PH_CONNECTED) ==
	    -1) {
		close(fd);
		if (unlink_path != NULL)
			unlink(unlink_path);
		free(unlink_path);
		return EXIT_RUNTIME;
	}
	c = xcalloc(1, sizeof(*c));
	c->a = a;
	c->mode = mode;
	c->unlink_path = unlink_path;
	if (peer != NULL && peerlen <= sizeof(c->peer)) {
		memcpy(&c->peer, peer, peerlen);
		c->peerlen = peerlen;
		c->havepeer = 1;
	}
	/* shut-null is a half-close; without it there is none (SPEC 6). */
	if (!a->opts.shut_null)
		flags |= EP_CONNLESS;
	if (mode == DG_RECV)
		flags |= EP_RDONLY;
	if (a->opts.crlf)
		flags |= EP_CRLF_BOTH;
	ep_init(ep, a->text, fd, fd, flags, &dgram_ops);
	ep->ctx = c;
	return 0;
}

/* udp-sendto: an unbound (or bind=) socket that talks to HOST:PORT only. */
static int
dgram_udp_sendto(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			fd, r;

	if ((r = inet_dgram_client(a, 0, &fd, &ss, &len)) != 0)
		return r;
	return dgram_endpoint(a, fd, DG_PEER, (struct sockaddr *)&ss, len,
	    NULL, ep);
}

/*
 * udp-datagram: sends to HOST:PORT (a broadcast or multicast address with
 * broadcast, ip-multicast-*), takes datagrams from anyone range= allows.
 */
static int
dgram_udp_datagram(const struct addr *a,
    __unused const struct endpoint *peer, struct endpoint *ep)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			fd, r;

	if ((r = inet_dgram_client(a, 0, &fd, &ss, &len)) != 0)
		return r;
	return dgram_endpoint(a, fd, DG_ANYONE, (struct sockaddr *)&ss, len,
	    NULL, ep);
}

/*
 * Wait for the first datagram the recvfrom endpoint ep takes: it is
 * queued, and its sender is the peer. SIGINT/SIGTERM stop the wait (the
 * endpoint is closed then, its socket file removed). Returns 0, or
 * EXIT_RUNTIME (a signal: no message).
 */
int
dgram_first(struct endpoint *ep)
{
	struct dgram_ctx	*c = ep->ctx;
	struct sockaddr_storage	 src;
	struct pollfd		 pfd;
	socklen_t		 srclen;
	char			 who[160];
	ssize_t			 n;

	if (c->queue == NULL)
		c->queue = xmalloc(DGRAM_MAX);
	signals_defer(1);
	for (;;) {
		if (sig_term)
			break;
		n = dgram_recv(ep, ep->rfd, c->queue, DGRAM_MAX, &src,
		    &srclen);
		if (n >= 0) {
			c->qlen = (size_t)n;
			c->queued = 1;
			if (srclen > sizeof(sa_family_t)) {
				memcpy(&c->peer, &src, srclen);
				c->peerlen = srclen;
				c->havepeer = 1;
			}
			log_verbose(1, "received a datagram from %s",
			    log_sockaddr((struct sockaddr *)&src, srclen,
			    who, sizeof(who)));
			signals_defer(0);
			return 0;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			warn("%s: recvfrom", ep->name);
			break;
		}
		pfd.fd = ep->rfd;
		pfd.events = POLLIN;
		ppoll(&pfd, 1, NULL, signals_pollmask());
	}
	/* The socket file goes before a signal ends the program. */
	ep->ops->close(ep);
	signals_defer(0);
	return EXIT_RUNTIME;
}

/*
 * The bound socket of a receiver: [HOST:]PORT (or bind=HOST) for UDP, as
 * a listener binds it (dual-stack, reuseaddr, retry=), with the IP
 * datagram options; the PATH (or abstract NAME) for unix, as unix-listen
 * binds it (unlink-early, mode=, user=, retry=). Returns the socket with
 * the file to remove in *unlinkp, or -1 with *status set after a message.
 */
static int
dgram_bound(const struct addr *a, char **unlinkp, int *status)
{
	struct listener		l;
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, abstract;

	*unlinkp = NULL;
	if (a->type->family != AF_UNIX) {
		memset(&l, 0, sizeof(l));
		if ((*status = inet_listen(a, SOCK_DGRAM, IPPROTO_UDP, &l)) !=
		    0)
			return -1;
		if ((*status = inet_dgram_options(a, l.fd)) != 0) {
			close(l.fd);
			return -1;
		}
		return l.fd;
	}
	abstract = (a->type->flags & AT_ABSTRACT) != 0;
	if ((len = unix_sockaddr(a, a->params[0], abstract, &sun)) == 0) {
		*status = EXIT_USAGE;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		warn("%s: socket", a->text);
		*status = EXIT_RUNTIME;
		return -1;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		*status = EXIT_RUNTIME;
		return -1;
	}
	if ((*status = unix_bind_listen(a, fd, &sun, len)) != 0) {
		close(fd);
		return -1;
	}
	if (!abstract && a->opts.unlink_close)
		*unlinkp = xstrdup(a->params[0]);
	log_verbose(1, "listening on %s%s", abstract ? "@" : "",
	    a->params[0]);
	return fd;
}

/*
 * udp-recv, udp-recvfrom, unix-recv, unix-recvfrom (and abstract): the
 * bound socket; recv only reads; recvfrom waits for its first datagram
 * here (as socat's RECVFROM, so ADDRESS2 is opened only then and a
 * program sees that datagram's SOCAT_* variables) and answers each sender.
 * Returns 0 or an EXIT_* status after a message.
 */
static int
dgram_udp_recv(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	char	*unlink_path;
	int	 fd, r;

	if ((fd = dgram_bound(a, &unlink_path, &r)) == -1)
		return r;
	if ((r = dgram_endpoint(a, fd, (a->type->flags & AT_RECVFROM) ?
	    DG_ANSWER : DG_RECV, NULL, 0, unlink_path, ep)) != 0)
		return r;
	if (a->type->flags & AT_RECVFROM)
		return dgram_first(ep);
	return 0;
}

/* unix-recv, unix-recvfrom, abstract-recv(from): as dgram_udp_recv(). */
static int
dgram_unix_recv(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	return dgram_udp_recv(a, peer, ep);
}

/*
 * unix-sendto (unix-send) and abstract-sendto: a datagram socket bound to
 * bind= (else autobound, so answers can come back) and connected to PATH.
 * Returns 0, or EXIT_RUNTIME (EXIT_CONNECT for a socket nobody reads)
 * after "sockcat: ADDR: connect: reason".
 */
static int
dgram_unix_sendto(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	char			*unlink_path = NULL;
	int			 fd, saved, abstract;

	abstract = (a->type->flags & AT_ABSTRACT) != 0;
	if ((len = unix_sockaddr(a, a->params[0], abstract, &sun)) == 0)
		return EXIT_USAGE;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return EXIT_RUNTIME;
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	if (unix_bind(a, fd, SOCK_DGRAM, &unlink_path) == -1) {
		warn("%s: bind %s", a->text, opts_isset(&a->opts, OPT_BIND) ?
		    a->opts.bind : "");
		close(fd);
		return EXIT_RUNTIME;
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		saved = errno;
		close(fd);
		if (unlink_path != NULL)
			unlink(unlink_path);
		free(unlink_path);
		errno = saved;
		warn("%s: connect", a->text);
		return unix_error_status(a->params[0], abstract, saved);
	}
	return dgram_endpoint(a, fd, DG_CONNECTED, NULL, 0, unlink_path, ep);
}

/* SIGCHLD for recvfrom with fork: only note it. */
static void
dgram_sigchld(__unused int sig)
{
	sig_child = 1;
}

/*
 * A recvfrom address with fork as ADDRESS1 (socat's UDP-RECVFROM,fork):
 * each datagram that arrives is served by a child of its own, which
 * answers its sender over the shared socket: the datagram is the child's
 * whole input, and ADDRESS2's answers go back to the sender until
 * ADDRESS2 ends (or -t, -T). max-children=N waits while N run. Returns on
 * a fatal error (an EXIT_* status); SIGINT/SIGTERM remove the socket file,
 * are passed on to the children and end the program.
 */
int
dgram_fork_run(const struct addr *a1, const struct addr *a2)
{
	struct sigaction	 sa;
	struct sockaddr_storage	 src;
	struct endpoint		 ep;
	struct dgram_ctx	*c;
	struct pollfd		 pfd;
	socklen_t		 srclen;
	pid_t			*kids = NULL, pid;
	size_t			 nkids = 0, cap = 0, i;
	ssize_t			 n;
	char			*unlink_path;
	int			 r = 0, status, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dgram_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	if ((fd = dgram_bound(a1, &unlink_path, &r)) == -1)
		return r;
	if ((r = dgram_endpoint(a1, fd, DG_ANSWER, NULL, 0, unlink_path,
	    &ep)) != 0)
		return r;
	c = ep.ctx;
	c->queue = xmalloc(DGRAM_MAX);
	signals_defer(1);
	log_started();
	while (!sig_term) {
		if (sig_child) {
			sig_child = 0;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				for (i = 0; i < nkids; i++)
					if (kids[i] == pid) {
						kids[i] = kids[--nkids];
						break;
					}
		}
		if (a1->opts.max_children > 0 &&
		    nkids >= a1->opts.max_children) {
			ppoll(NULL, 0, NULL, signals_pollmask());
			continue;
		}
		/* The next datagram: queued in c, its sender the peer. */
		n = dgram_recv(&ep, ep.rfd, c->queue, DGRAM_MAX, &src,
		    &srclen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				warn("%s: recvfrom", a1->text);
				r = EXIT_RUNTIME;
				break;
			}
			pfd.fd = ep.rfd;
			pfd.events = POLLIN;
			ppoll(&pfd, 1, NULL, signals_pollmask());
			continue;
		}
		c->qlen = (size_t)n;
		memcpy(&c->peer, &src, srclen);
		c->peerlen = srclen;
		c->havepeer = srclen > sizeof(sa_family_t);
		fflush(NULL);	/* no buffered output written twice */
		pid = fork();
		if (pid == 0) {
			free(kids);
			signal(SIGCHLD, SIG_DFL);
			signals_defer(0);
			c->queued = 1;
			c->once = 1;
			/* The parent removes the socket file, not us. */
			free(c->unlink_path);
			c->unlink_path = NULL;
			r = session_run(&ep, a2);
			fflush(NULL);
			_exit(r);
		}
		if (pid == -1) {
			warn("%s: fork", a1->text);
			continue;
		}
		if (nkids == cap) {
			cap = cap ? cap * 2 : 16;
			kids = xreallocarray(kids, cap, sizeof(*kids));
		}
		kids[nkids++] = pid;
		log_verbose(2, "child %ld started", (long)pid);
	}
	ep.ops->close(&ep);
	for (i = 0; i < nkids; i++)
		kill(kids[i], sig_term ? sig_term : SIGTERM);
	while (nkids > 0 && waitpid(-1, &status, 0) > 0)
		nkids--;
	free(kids);
	signals_defer(0);
	return r;
}
