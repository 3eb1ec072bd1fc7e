/* listen-dgram.c: datagram listeners: one session per peer address. */
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* Most new peers a datagram listener takes in before serving them. */
#define LISTEN_DGRAM_NEWMAX	256
/* Idle timeout of a datagram listener's child without -T, ms. */
#define LISTEN_DGRAM_IDLE	60000

/*
 * Datagrams a datagram listener took in for a session before handing it
 * its socket; the session reads them first. Each record is a struct
 * listen_rec followed by the bytes.
 */
struct listen_queue {
	char	*buf;
	size_t	 len;		/* bytes used */
	size_t	 off;		/* where the next record starts */
	size_t	 cap;		/* bytes allocated */
};

/* Header of one queued datagram. */
struct listen_rec {
	size_t		 len;	/* bytes that follow */
	struct timespec	 ts;	/* kernel receive time, for order */
};

/* One datagram as a listener received it. */
struct listen_dgram {
	char			*buf;	/* DGRAM_MAX bytes */
	size_t			 len;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	struct timespec		 ts;	/* kernel receive time, or 0 */
};

/* A peer of a datagram listener with fork. */
struct listen_peer {
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	int			 fd;	/* its own socket, till forked */
	pid_t			 pid;	/* its child, or -1 before the fork */
	struct listen_queue	 q;	/* what arrived for it meanwhile */
};

/* The peers of a datagram listener with fork. */
struct listen_peers {
	struct listen_peer	*v;
	size_t			 n;
	size_t			 cap;
};

/* Private state of a datagram session's endpoint (ep->ctx). */
struct listen_dgram_ep {
	struct listen_queue	 q;	/* read before the socket */
	char			*unlink_path; /* removed at close */
};

static ssize_t	listen_queue_read(struct endpoint *, void *, size_t);
static size_t	listen_queue_pending(struct endpoint *);
static void	listen_queue_close(struct endpoint *);

/* A datagram socket with datagrams queued in front of it. */
static const struct ep_ops listen_queue_ops = {
	.name = "datagram socket",
	.read = listen_queue_read,
	.write = ep_fd_write,
	.shutdown_wr = ep_fd_shutdown_wr,
	.pending = listen_queue_pending,
	.close = listen_queue_close,
};

/* Append datagram d to q. */
static void
listen_queue_add(struct listen_queue *q, const struct listen_dgram *d)
{
	struct listen_rec	rec;
	size_t			need = q->len + sizeof(rec) + d->len;

	if (need > q->cap) {
		q->cap = need > 2 * q->cap ? need : 2 * q->cap;
		q->buf = xreallocarray(q->buf, 1, q->cap);
	}
	memset(&rec, 0, sizeof(rec));
	rec.len = d->len;
	rec.ts = d->ts;
	memcpy(q->buf + q->len, &rec, sizeof(rec));
	memcpy(q->buf + q->len + sizeof(rec), d->buf, d->len);
	q->len = need;
}

/* Free what q holds; q is empty afterwards. */
static void
listen_queue_free(struct listen_queue *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}

/* One record of a queue being sorted. */
struct listen_sortrec {
	size_t		 off;	/* where it starts */
	size_t		 seq;	/* its place before sorting */
	struct timespec	 ts;
};

/* qsort(3) comparison: by receive time, then by the order taken in. */
static int
listen_sortrec_cmp(const void *va, const void *vb)
{
	const struct listen_sortrec	*a = va, *b = vb;

	if (a->ts.tv_sec != b->ts.tv_sec)
		return a->ts.tv_sec < b->ts.tv_sec ? -1 : 1;
	if (a->ts.tv_nsec != b->ts.tv_nsec)
		return a->ts.tv_nsec < b->ts.tv_nsec ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Put the datagrams of q in the order the kernel received them: one that
 * reached another new peer's socket before that was connected is taken in
 * later than the ones behind it on the listener.
 */
static void
listen_queue_sort(struct listen_queue *q)
{
	struct listen_sortrec	*v;
	struct listen_rec	 rec;
	size_t			 n = 0, i, off, used = 0;
	char			*buf;
	int			 sorted = 1;

	for (off = 0; off < q->len; off += sizeof(rec) + rec.len, n++)
		memcpy(&rec, q->buf + off, sizeof(rec));
	if (n < 2)
		return;
	v = xreallocarray(NULL, n, sizeof(*v));
	for (off = 0, i = 0; off < q->len; off += sizeof(rec) + rec.len,
	    i++) {
		memcpy(&rec, q->buf + off, sizeof(rec));
		v[i].off = off;
		v[i].seq = i;
		v[i].ts = rec.ts;
		if (i > 0 && listen_sortrec_cmp(&v[i - 1], &v[i]) > 0)
			sorted = 0;
	}
	if (!sorted) {
		qsort(v, n, sizeof(*v), listen_sortrec_cmp);
		buf = xmalloc(q->len);
		for (i = 0; i < n; i++) {
			memcpy(&rec, q->buf + v[i].off, sizeof(rec));
			memcpy(buf + used, q->buf + v[i].off, sizeof(rec) +
			    rec.len);
			used += sizeof(rec) + rec.len;
		}
		free(q->buf);
		q->buf = buf;
		q->cap = q->len;
	}
	free(v);
}

/*
 * Read op of the endpoint: the queued datagrams first, one per call, then
 * the socket as plain descriptors do. Returns bytes or EP_* as ep_fd_read.
 */
static ssize_t
listen_queue_read(struct endpoint *ep, void *buf, size_t len)
{
	struct listen_dgram_ep	*c = ep->ctx;
	struct listen_queue	*q = &c->q;
	struct listen_rec	 rec;
	size_t			 n;

	if (q->off == q->len)
		return ep_fd_read(ep, buf, len);
	memcpy(&rec, q->buf + q->off, sizeof(rec));
	q->off += sizeof(rec);
	n = rec.len;
	if (n > len) {
		/* Cannot happen with DGRAM_MAX buffers; never silently. */
		warnx("%s: a datagram of %zu bytes was cut to %zu", ep->name,
		    n, len);
		n = len;
	}
	memcpy(buf, q->buf + q->off, n);
	q->off += rec.len;
	if (q->off == q->len)
		listen_queue_free(q);
	return (ssize_t)n;
}

/* Bytes still queued, so the relay reads them without polling. */
static size_t
listen_queue_pending(struct endpoint *ep)
{
	struct listen_dgram_ep	*c = ep->ctx;

	return c->q.len - c->q.off;
}

/* Free the queue, close the socket, remove its file (unix-listen). */
static void
listen_queue_close(struct endpoint *ep)
{
	struct listen_dgram_ep	*c = ep->ctx;

	listen_queue_free(&c->q);
	ep_fd_close(ep);
	if (c->unlink_path != NULL) {
		unlink(c->unlink_path);
		free(c->unlink_path);
	}
	free(c);
	ep->ctx = NULL;
}

/*
 * Endpoint 1 of a datagram session: the socket fd connected to the peer,
 * with the datagrams of q (taken over, q is emptied) read first. The
 * socket file unlink_path (taken over, or NULL) stays until the session
 * ends: a peer may send to the path each time. Returns 0 or an EXIT_*
 * status after a message.
 */
static int
listen_dgram_endpoint(const struct addr *a, int fd, struct listen_queue *q,
    char *unlink_path, struct endpoint *ep)
{
	struct listen_dgram_ep	*c;
	int			 r;

	if ((r = ep_socket_endpoint(a, fd, ep)) != 0) {
		listen_queue_free(q);
		if (unlink_path != NULL) {
			unlink(unlink_path);
			free(unlink_path);
		}
		return r;
	}
	c = xmalloc(sizeof(*c));
	c->q = *q;
	memset(q, 0, sizeof(*q));
	c->unlink_path = unlink_path;
	ep->ops = &listen_queue_ops;
	ep->ctx = c;
	ep->flags &= ~EP_PLAIN;	/* the queue is not in the descriptor */
	/* The address's layers (DTLS), their handshakes done. */
	if ((r = session_layers(a, ep, 1)) != 0)
		return r;
	if ((r = layer_wait(ep, -1)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	return 0;
}

/* Whether two socket addresses are the same. */
static int
listen_same_addr(const struct sockaddr_storage *a, socklen_t alen,
    const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/*
 * Receive the whole datagram at the head of fd's queue into d, with its
 * sender and (where SO_TIMESTAMPNS is on) its kernel receive time; with
 * peek set it stays queued. Returns 0, or -1 with errno (EAGAIN when none
 * is queued).
 */
static int
listen_dgram_recv(int fd, struct listen_dgram *d, int peek)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct timespec))];
	}		 cbuf;
	ssize_t		 n;

	iov.iov_base = d->buf;
	iov.iov_len = DGRAM_MAX;
	do {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &d->from;
		msg.msg_namelen = sizeof(d->from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		n = recvmsg(fd, &msg, MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	d->len = (size_t)n;
	d->fromlen = msg.msg_namelen;
	memset(&d->ts, 0, sizeof(d->ts));
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(&d->ts, CMSG_DATA(cm), sizeof(d->ts));
	return 0;
}

/* Wait until fd is readable or a signal came. Returns 0, or -1 with errno. */
static int
listen_dgram_wait(int fd)
{
	struct pollfd	pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return ppoll(&pfd, 1, NULL, signals_pollmask()) == -1 ? -1 : 0;
}

/*
 * A datagram listener as one side of a single session: take the first
 * datagram, connect the socket to its sender (socat's UDP-LISTEN), and
 * hand the socket over with that datagram and the sender's others already
 * queued read first; other senders' datagrams queued before the connect
 * are dropped (and logged), as the kernel drops them after it. Closes l,
 * but its socket file (unix-listen) stays until the session ends.
 * Returns 0 with ep filled, or an EXIT_* status after a message.
 */
int
listen_dgram_accept_one(const struct addr *a, struct listener *l,
    struct endpoint *ep)
{
	struct listen_dgram	 d, o;
	struct listen_queue	 q;
	char			 peer[160], other[160], local[160], *path;
	int			 fd, r;

	memset(&q, 0, sizeof(q));
	memset(&d, 0, sizeof(d));
	d.buf = xmalloc(DGRAM_MAX);
	for (;;) {
		if (sig_term || (listen_dgram_wait(l->fd) == -1 &&
		    errno != EINTR)) {
			if (!sig_term)
				warn("%s: poll", a->text);
			r = EXIT_RUNTIME;
			goto fail;
		}
		if (listen_dgram_recv(l->fd, &d, 0) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			warn("%s: recvfrom", a->text);
			r = EXIT_RUNTIME;
			goto fail;
		}
		log_sockaddr((struct sockaddr *)&d.from, d.fromlen, peer,
		    sizeof(peer));
		if (listen_refuse(a, l, (struct sockaddr *)&d.from, d.fromlen,
		    peer))
			continue;
		break;
	}
	listen_queue_add(&q, &d);
	if (l->family == AF_UNIX && d.fromlen <= sizeof(sa_family_t))
		log_verbose(1, "%s: %s sender: answers cannot reach it",
		    a->text, peer);
	else if (connect(l->fd, (struct sockaddr *)&d.from, d.fromlen) == -1) {
		warn("%s: connect to %s", a->text, peer);
		r = EXIT_RUNTIME;
		goto fail;
	}
	/* What came before the connect: the peer's is kept, others' not. */
	o.buf = d.buf;
	while (listen_dgram_recv(l->fd, &o, 0) == 0) {
		if (listen_same_addr(&o.from, o.fromlen, &d.from, d.fromlen))
			listen_queue_add(&q, &o);
		else
			log_verbose(1, "dropped a datagram from %s: serving %s",
			    log_sockaddr((struct sockaddr *)&o.from,
			    o.fromlen, other, sizeof(other)), peer);
	}
	log_verbose(1, "accepted %s on %s", peer, log_sockaddr(
	    (struct sockaddr *)&l->local, l->locallen, local, sizeof(local)));
	free(d.buf);
	fd = l->fd;
	l->fd = -1;
	path = l->unlink_path;
	l->unlink_path = NULL;
	listen_close(l);
	return listen_dgram_endpoint(a, fd, &q, path, ep);

fail:
	free(d.buf);
	listen_queue_free(&q);
	listen_close(l);
	return r;
}

/* The peer of ps with address ss, or NULL. */
static struct listen_peer *
listen_peer_find(struct listen_peers *ps, const struct sockaddr_storage *ss,
    socklen_t sslen)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		if (listen_same_addr(&ps->v[i].addr, ps->v[i].addrlen, ss,
		    sslen))
			return &ps->v[i];
	return NULL;
}

/* Remove peer i of ps, closing its socket and freeing its queue. */
static void
listen_peer_remove(struct listen_peers *ps, size_t i)
{
	if (ps->v[i].fd != -1)
		close(ps->v[i].fd);
	listen_queue_free(&ps->v[i].q);
	ps->v[i] = ps->v[--ps->n];
}

/* Forget the peers whose child has been reaped (is no longer in c). */
static void
listen_peer_forget(struct listen_peers *ps, const struct listen_children *c)
{
	size_t	i, j;

	for (i = 0; i < ps->n;) {
		for (j = 0; j < c->n && c->pid[j] != ps->v[i].pid; j++)
			;
		if (ps->v[i].pid != -1 && j == c->n)
			listen_peer_remove(ps, i);
		else
			i++;
	}
}

/*
 * A socket of its own for the peer ss of datagram listener l: bound to
 * the listener's address too (SO_REUSEADDR) and connected to the peer, so
 * the kernel hands the peer's later datagrams to it rather than to the
 * listener (a connected socket is the better match). Returns it, or -1
 * after a message.
 */
static int
listen_dgram_socket(const struct addr *a, const struct listener *l,
    const struct sockaddr_storage *ss, socklen_t sslen)
{
	int		fd, on = 1, v6only = 0;
	socklen_t	len = sizeof(v6only);
	char		peer[160];

	fd = socket(l->family, l->socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    l->protocol);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return -1;
	}
	if (l->family == AF_INET6) {
		/* As dual-stack as the listener itself. */
		getsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof(v6only));
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* Receive times keep the peer's first datagrams in order. */
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)&l->local, l->locallen) == -1) {
		if (errno == EADDRINUSE)
			warnx("%s: bind: %s (fork needs reuseaddr)", a->text,
			    strerror(errno));
		else
			warn("%s: bind", a->text);
		close(fd);
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)ss, sslen) == -1) {
		warn("%s: connect to %s", a->text, log_sockaddr(
		    (const struct sockaddr *)ss, sslen, peer, sizeof(peer)));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Route datagram d that reached listener l: to its peer's queue while that
 * peer waits for its child; a new peer gets a socket of its own first. A
 * peer whose child already runs has its own socket, so d is a stray that
 * crossed it being connected: dropped (logged with -vv), as UDP may. Peers
 * outside allow= are dropped too.
 */
static void
listen_dgram_route(const struct addr *a, const struct listener *l,
    struct listen_peers *ps, const struct listen_dgram *d)
{
	struct listen_peer	*p;
	char			 peer[160], local[160];
	int			 fd;

	log_sockaddr((const struct sockaddr *)&d->from, d->fromlen, peer,
	    sizeof(peer));
	if (listen_refuse(a, l, (const struct sockaddr *)&d->from,
	    d->fromlen, peer))
		return;
	if ((p = listen_peer_find(ps, &d->from, d->fromlen)) == NULL) {
		if ((fd = listen_dgram_socket(a, l, &d->from, d->fromlen)) ==
		    -1)
			return;
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 16;
			ps->v = xreallocarray(ps->v, ps->cap, sizeof(*ps->v));
		}
		p = &ps->v[ps->n++];
		memset(p, 0, sizeof(*p));
		memcpy(&p->addr, &d->from, d->fromlen);
		p->addrlen = d->fromlen;
		p->fd = fd;
		p->pid = -1;
		log_verbose(1, "accepted %s on %s", peer, log_sockaddr(
		    (const struct sockaddr *)&l->local, l->locallen, local,
		    sizeof(local)));
	} else if (p->pid != -1) {
		log_verbose(2, "dropped a stray datagram from %s: child %ld "
		    "has its own socket", peer, (long)p->pid);
		return;
	}
	listen_queue_add(&p->q, d);
}

/*
 * One round of a datagram listener with fork: take every datagram queued
 * on the listener and route it; then empty the new peers' own sockets of
 * what reached them before they were connected (their peer's datagrams go
 * to their queue, others are routed). While new peers appear the round
 * goes on, since until a peer's socket is connected its datagrams still
 * reach the listener: nothing of a new peer's is left behind when its
 * child starts. A peer beyond LISTEN_DGRAM_NEWMAX new ones, or beyond
 * max-children, ends the round and waits in the kernel's queue. d->buf
 * holds DGRAM_MAX bytes. Returns 0, or -1 after a message on a fatal
 * error.
 */
static int
listen_dgram_round(const struct addr *a, const struct listener *l,
    const struct listen_children *c, struct listen_peers *ps,
    struct listen_dgram *d)
{
	size_t	i, fresh = 0, before;
	int	full = 0, r;

	do {
		before = ps->n;
		while ((r = listen_dgram_recv(l->fd, d, 1)) == 0) {
			if (listen_peer_find(ps, &d->from, d->fromlen) ==
			    NULL && (fresh >= LISTEN_DGRAM_NEWMAX ||
			    (a->opts.max_children > 0 &&
			    c->n + fresh >= a->opts.max_children))) {
				full = 1;	/* it waits for a round */
				break;
			}
			/* Take it for real: a zero-length read drops it. */
			recv(l->fd, NULL, 0, MSG_DONTWAIT);
			i = ps->n;
			listen_dgram_route(a, l, ps, d);
			fresh += ps->n - i;
		}
		if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
			warn("%s: recvfrom", a->text);
			return -1;
		}
		/* Peers added while this runs are emptied too. */
		for (i = 0; i < ps->n; i++) {
			if (ps->v[i].pid != -1)
				continue;
			while (listen_dgram_recv(ps->v[i].fd, d, 0) == 0) {
				if (listen_same_addr(&d->from, d->fromlen,
				    &ps->v[i].addr, ps->v[i].addrlen))
					listen_queue_add(&ps->v[i].q, d);
				else
					listen_dgram_route(a, l, ps, d);
			}
		}
		fresh = 0;
		for (i = 0; i < ps->n; i++)
			if (ps->v[i].pid == -1)
				fresh++;
	} while (!full && ps->n > before);
	return 0;
}

/*
 * The child of one datagram peer: run session number id on the peer's
 * socket fd with its queued datagrams q read first, and exit with its
 * status. A
 * peer that falls silent ends its child after -T, by default
 * LISTEN_DGRAM_IDLE. Never returns.
 */
static __dead void
listen_dgram_child(const struct addr *a1, const struct addr *a2, int fd,
    struct listen_queue *q, uint64_t id, struct endpoint *first)
{
	struct endpoint	ep;
	int		r;

	log_set_session(fd, id);
	signal(SIGCHLD, SIG_DFL);
	signals_defer(0);
	/*
	 * cfg is per process after fork(2), and this is its only write after
	 * parsing: without -T a silent peer would keep its child forever.
	 */
	if (cfg.idle_ms < 0)
		cfg.idle_ms = LISTEN_DGRAM_IDLE;
	r = listen_dgram_endpoint(a1, fd, q, NULL, &ep);
	if (r == 0 && first != NULL)
		r = session_relay(first, &ep);
	else if (r == 0)
		r = session_run(&ep, a2);
	fflush(NULL);
	_exit(r);
}

/*
 * Serve every new peer of ps (pid -1) in a child of its own, which gets
 * the peer's socket and queue (in receive order); the parent keeps
 * neither. A failed fork forgets the peer (its datagrams are lost, as UDP
 * allows).
 */
static void
listen_dgram_fork(const struct addr *a1, const struct addr *a2,
    struct listener *l, struct listen_children *c, struct listen_peers *ps,
    struct endpoint *first)
{
	struct listen_peer	*p;
	size_t			 i, j;
	pid_t			 pid;

	for (i = 0; i < ps->n;) {
		p = &ps->v[i];
		if (p->pid != -1) {
			i++;
			continue;
		}
		listen_queue_sort(&p->q);
		fflush(NULL);	/* no buffered output written twice */
		c->started++;
		pid = fork();
		if (pid == 0) {
			close(l->fd);
			/* Other peers' sockets must not outlive their child. */
			for (j = 0; j < ps->n; j++)
				if (j != i && ps->v[j].fd != -1)
					close(ps->v[j].fd);
			free(c->pid);
			listen_dgram_child(a1, a2, p->fd, &p->q, c->started,
			    first);
		}
		if (pid == -1) {
			warn("%s: fork", a1->text);
			listen_peer_remove(ps, i);
			continue;
		}
		close(p->fd);
		p->fd = -1;
		listen_queue_free(&p->q);
		p->pid = pid;
		listen_children_add(c, pid);
		i++;
	}
}

/*
 * A datagram listener with fork (udp-listen): the listener keeps its
 * socket and tells peers apart by address, one child per peer as socat
 * does. A new peer's first datagrams are taken by the listener and handed
 * to its child with a socket of the peer's own (listen_dgram_socket), on
 * which the child then sees only that peer. max-children counts peers,
 * kept in c; first is ADDRESS1 opened once (fork on ADDRESS2), or NULL.
 * Returns on SIGINT/SIGTERM (0) or a fatal error (an EXIT_* status).
 */
int
listen_dgram_run(const struct addr *a1, const struct addr *a2,
    struct listener *l, struct listen_children *c, struct endpoint *first)
{
	struct listen_peers	ps;
	struct listen_dgram	d;
	size_t			i;
	int			r = 0, on = 1;

	if (l->family == AF_UNIX) {
		/* A socket file has one socket: children cannot share it. */
		warnx("%s: fork needs type=stream or type=seqpacket", a1->text);
		return EXIT_USAGE;
	}
	memset(&ps, 0, sizeof(ps));
	memset(&d, 0, sizeof(d));
	d.buf = xmalloc(DGRAM_MAX);
	/* Receive times keep each peer's first datagrams in order. */
	setsockopt(l->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	while (!sig_term) {
		if (sig_child) {
			listen_reap(c);
			listen_peer_forget(&ps, c);
		}
		if (a1->opts.max_children > 0 &&
		    c->n >= a1->opts.max_children) {
			listen_pause(-1);	/* until SIGCHLD */
			continue;
		}
		if (listen_dgram_wait(l->fd) == -1) {
			if (errno == EINTR)
				continue;
			warn("%s: poll", a1->text);
			r = EXIT_RUNTIME;
			break;
		}
		if (listen_dgram_round(a1, l, c, &ps, &d) == -1) {
			r = EXIT_RUNTIME;
			break;
		}
		listen_dgram_fork(a1, a2, l, c, &ps, first);
	}
	for (i = 0; i < ps.n; i++) {
		if (ps.v[i].fd != -1)
			close(ps.v[i].fd);
		listen_queue_free(&ps.v[i].q);
	}
	free(ps.v);
	free(d.buf);
	return r;
}
