/* broker.c: one room of many members: broker and chat (ncat's). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/*
 * SPEC 10, as ncat's --broker and --chat: every byte one member sends
 * goes to every other member; ADDRESS2 is a member for the whole run and
 * the clients of the listener come and go. In chat mode the bytes go by
 * lines, each prefixed "<userN> " (clients count from 1 in the order they
 * arrive; ADDRESS2 is user0), and "<announce> " lines tell of arrivals
 * and departures. What is sent once is stored once: each member's queue
 * holds references to shared chunks. While any member's queue is past the
 * bound (-b), no member is read: a reader slower than the sender slows it
 * (back-pressure) rather than losing bytes. A client that sits on a full
 * queue without taking a byte for BROKER_STUCK_MS has stopped reading: it
 * is dropped, so it can neither stall the others for long nor make memory
 * grow. ADDRESS2 is never dropped.
 *
 * The event loop (loop.c) drives the members: broker_poll() says what a
 * member waits for, broker_step() moves its bytes, and the room wakes a
 * member whose queue got new bytes through the wake callback.
 */

/* Bytes read from a member at a time. */
#define BROKER_READ	16384
/* How long a client may sit on a full queue without taking a byte, ms. */
#define BROKER_STUCK_MS	1000

/* A chunk of bytes sent to several members, freed with its last one. */
struct broker_chunk {
	size_t	refs;
	size_t	len;
	char	data[];
};

/* One queued chunk of a member, from byte off. */
struct broker_qent {
	struct broker_chunk	*c;
	size_t			 off;
};

struct broker_member {
	struct broker		*b;
	struct endpoint		*ep;
	void			*owner;		/* the loop's session */
	unsigned		 user;		/* N of <userN> */
	int			 address2;	/* ADDRESS2, never dropped */
	int			 joined;	/* announced */
	int			 rd_eof;	/* read no more */
	int			 wr_dead;	/* write no more */
	int			 dropped;	/* the loop must close it */
	int			 rwant, wwant;	/* last EP_WANT_* */
	int			 rslot, wslot;
	char			 peer[160];
	struct broker_qent	*q;		/* ring of queued chunks */
	size_t			 qhead, qn, qcap;
	size_t			 queued;	/* bytes in q */
	int			 full;		/* queued > bound */
	long			 progress;	/* ms of its last write */
	char			*line;		/* chat: a partial line */
	size_t			 linelen;
	struct broker_member	*prev, *next;
};

struct broker {
	int			 chat;
	size_t			 bound;		/* queue bytes per member */
	unsigned		 users;		/* clients so far */
	int			 nfull;		/* members past the bound */
	struct broker_member	*members;
	struct broker_member	*a2;
	void			 (*wake)(void *);
	char			*rbuf;
};

/*
 * A room; chat: by lines with prefixes (else bytes as they come); bound:
 * most bytes a member's queue may hold (-b, or the default copy buffer);
 * wake(owner): called when a member has something new to write or may
 * read again. Returns the room.
 */
struct broker *
broker_new(int chat, size_t bound, void (*wake)(void *))
{
	struct broker	*b;

	b = xcalloc(1, sizeof(*b));
	b->chat = chat;
	b->bound = bound;
	b->wake = wake;
	b->rbuf = xmalloc(BROKER_READ);
	return b;
}

/* Drop one reference to c. */
static void
broker_unref(struct broker_chunk *c)
{
	if (--c->refs == 0)
		free(c);
}

/*
 * Note whether m's queue is past the bound; when the last full member
 * drains (or goes), every member may be read again.
 */
static void
broker_fullness(struct broker *b, struct broker_member *m)
{
	struct broker_member	*o;
	int			 full = m->queued > b->bound && !m->dropped;

	if (full == m->full)
		return;
	m->full = full;
	if (full) {
		b->nfull++;
		if (m->owner != NULL)	/* to time it (BROKER_STUCK_MS) */
			b->wake(m->owner);
		return;
	}
	if (--b->nfull == 0)
		for (o = b->members; o != NULL; o = o->next)
			if (o->owner != NULL)
				b->wake(o->owner);
}

/* Forget everything queued for m. */
static void
broker_flush(struct broker *b, struct broker_member *m)
{
	while (m->qn > 0) {
		broker_unref(m->q[m->qhead].c);
		m->qhead = (m->qhead + 1) % m->qcap;
		m->qn--;
	}
	m->queued = 0;
	broker_fullness(b, m);
}

/* Queue chunk c for m; a client past the bound is dropped instead. */
static void
broker_enqueue(struct broker *b, struct broker_member *m,
    struct broker_chunk *c)
{
	struct broker_qent	*nq;
	size_t			 i;

	if (m->wr_dead || m->dropped)
		return;
	if (m->qn == m->qcap) {
		nq = xreallocarray(NULL, m->qcap ? m->qcap * 2 : 16,
		    sizeof(*nq));
		for (i = 0; i < m->qn; i++)
			nq[i] = m->q[(m->qhead + i) % m->qcap];
		free(m->q);
		m->q = nq;
		m->qhead = 0;
		m->qcap = m->qcap ? m->qcap * 2 : 16;
	}
	m->q[(m->qhead + m->qn) % m->qcap].c = c;
	m->q[(m->qhead + m->qn) % m->qcap].off = 0;
	m->qn++;
	m->queued += c->len;
	c->refs++;
	if (m->qn == 1) {
		m->progress = now_ms();
		if (m->owner != NULL)
			b->wake(m->owner);
	}
	broker_fullness(b, m);
}

/* Send len bytes at p (prefixed by pre, may be NULL) to all but from. */
static void
broker_send(struct broker *b, struct broker_member *from, const char *pre,
    const char *p, size_t len)
{
	struct broker_chunk	*c;
	struct broker_member	*m, *next;
	size_t			 plen = pre != NULL ? strlen(pre) : 0;

	if (len + plen == 0)
		return;
	c = xmalloc(sizeof(*c) + plen + len);
	c->refs = 1;		/* ours, while we queue it */
	c->len = plen + len;
	if (plen > 0)
		memcpy(c->data, pre, plen);
	memcpy(c->data + plen, p, len);
	for (m = b->members; m != NULL; m = next) {
		next = m->next;
		if (m != from)
			broker_enqueue(b, m, c);
	}
	broker_unref(c);
}

/* chat: send "<announce> what\n" to all but m. */
static void __printflike(3, 4)
broker_announce(struct broker *b, struct broker_member *m, const char *fmt,
    ...)
{
	char	line[320];
	va_list	ap;
	int	n;

	if (!b->chat)
		return;
	n = snprintf(line, sizeof(line), "<announce> ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	broker_send(b, m, NULL, line, (size_t)n);
}

/*
 * Add the member on endpoint ep (kept by the caller), whose loop session
 * is owner; address2 marks ADDRESS2, else a client that arrived from
 * `peer` (its address, for messages). In chat mode the others hear of it.
 * Returns the member.
 */
struct broker_member *
broker_join(struct broker *b, struct endpoint *ep, void *owner, int address2,
    const char *peer)
{
	struct broker_member	*m;

	m = xcalloc(1, sizeof(*m));
	m->b = b;
	m->ep = ep;
	m->owner = owner;
	m->address2 = address2;
	m->user = address2 ? 0 : ++b->users;
	m->rslot = m->wslot = -1;
	snprintf(m->peer, sizeof(m->peer), "%s", peer);
	if (address2)
		b->a2 = m;
	m->next = b->members;
	if (b->members != NULL)
		b->members->prev = m;
	b->members = m;
	if (!address2) {
		broker_announce(b, m, "<user%u> (%s) joined", m->user, peer);
		log_verbose(1, "%s joined as user%u", peer, m->user);
	}
	return m;
}

/*
 * Take m out of the room and free it (the caller closes its endpoint); a
 * partial chat line it sent is passed on first. The others hear of it.
 */
void
broker_leave(struct broker *b, struct broker_member *m)
{
	char	pre[32];

	/* Its session is going: nothing may wake it any more. */
	m->owner = NULL;
	if (b->chat && m->linelen > 0) {
		snprintf(pre, sizeof(pre), "<user%u> ", m->user);
		m->line[m->linelen++] = '\n';
		broker_send(b, m, pre, m->line, m->linelen);
	}
	m->dropped = 1;
	broker_flush(b, m);
	free(m->q);
	free(m->line);
	if (m->prev != NULL)
		m->prev->next = m->next;
	else
		b->members = m->next;
	if (m->next != NULL)
		m->next->prev = m->prev;
	if (b->a2 == m)
		b->a2 = NULL;
	if (!m->address2) {
		broker_announce(b, m, "<user%u> left", m->user);
		log_verbose(1, "%s (user%u) left", m->peer, m->user);
	}
	free(m);
}

/* Free the room; every member has left. */
void
broker_free(struct broker *b)
{
	free(b->rbuf);
	free(b);
}

/*
 * chat: pass on the whole lines of n new bytes at p from m, each as
 * "<userN> line\n"; a partial line waits for its newline (or is sent
 * when it reaches the bound, so memory stays bounded).
 */
static void
broker_lines(struct broker *b, struct broker_member *m, const char *p,
    size_t n)
{
	const char	*nl;
	char		 pre[32];
	size_t		 k;

	snprintf(pre, sizeof(pre), "<user%u> ", m->user);
	while (n > 0) {
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (m->line == NULL)
			m->line = xmalloc(b->bound + 1);
		if (m->linelen + k > b->bound)
			k = b->bound - m->linelen;
		memcpy(m->line + m->linelen, p, k);
		m->linelen += k;
		p += k;
		n -= k;
		if (m->line[m->linelen - 1] == '\n' ||
		    m->linelen == b->bound) {
			if (m->line[m->linelen - 1] != '\n')
				m->line[m->linelen++] = '\n';
			broker_send(b, m, pre, m->line, m->linelen);
			m->linelen = 0;
		}
	}
}

/*
 * What member m waits for: fills pfd (room for 2) and returns the number
 * of slots: its input while the room takes bytes (no queue past the
 * bound), its output while it has bytes queued. *ready is set when a
 * layer already holds input (no poll needed); *timeout is the ms until
 * m must be looked at again without an event (-1: none).
 */
int
broker_poll(struct broker *b, struct broker_member *m, struct pollfd *pfd,
    int *ready, long *timeout)
{
	struct endpoint	*ep = m->ep;
	int		 n = 0;
	short		 ev;

	m->rslot = m->wslot = -1;
	*ready = 0;
	*timeout = -1;
	/* A client on a full queue: look again when it would be stuck. */
	if (m->full && !m->address2)
		*timeout = m->progress + BROKER_STUCK_MS - now_ms() > 0 ?
		    m->progress + BROKER_STUCK_MS - now_ms() : 0;
	if (!m->rd_eof && !m->dropped && b->nfull == 0) {
		if (ep->ops->pending(ep) > 0)
			*ready = 1;
		ev = m->rwant == EP_WANT_WRITE ? POLLOUT : POLLIN;
		pfd[n].fd = ev == POLLOUT ? ep->wfd : ep->rfd;
		pfd[n].events = ev;
		pfd[n].revents = 0;
		m->rslot = n++;
	}
	if (m->qn > 0 && !m->wr_dead && !m->dropped) {
		ev = m->wwant == EP_WANT_READ ? POLLIN : POLLOUT;
		pfd[n].fd = ev == POLLIN ? ep->rfd : ep->wfd;
		pfd[n].events = ev;
		pfd[n].revents = 0;
		m->wslot = n++;
	}
	return n;
}

/* Write what m has queued until it would block. */
static void
broker_write(struct broker *b, struct broker_member *m)
{
	struct broker_qent	*e;
	ssize_t			 n;

	while (m->qn > 0) {
		e = &m->q[m->qhead];
		n = m->ep->ops->write(m->ep, e->c->data + e->off,
		    e->c->len - e->off);
		m->wwant = 0;
		if (n == EP_WANT_READ || n == EP_WANT_WRITE) {
			m->wwant = (int)n;
			return;
		}
		if (n == EP_ERROR) {
			if (m->address2)
				warn("%s: write", m->ep->name);
			else
				log_verbose(1, "%s: write: %s", m->peer,
				    strerror(errno));
			m->wr_dead = 1;
			if (!m->address2)
				m->dropped = 1;
			broker_flush(b, m);
			break;
		}
		m->progress = now_ms();
		e->off += (size_t)n;
		m->queued -= (size_t)n;
		if (e->off == e->c->len) {
			broker_unref(e->c);
			m->qhead = (m->qhead + 1) % m->qcap;
			m->qn--;
		}
	}
	broker_fullness(b, m);
}

/*
 * Act on what poll reported for m's slots (pfd as broker_poll() filled
 * it): read what m sent and pass it on, write what it has queued. A
 * client that ends its input, fails or is dropped is done. Returns 1
 * when the caller must close m (broker_leave, then close its endpoint),
 * else 0.
 */
int
broker_step(struct broker *b, struct broker_member *m,
    const struct pollfd *pfd)
{
	ssize_t	n;
	int	readable, writable;

	if (m->dropped)
		return 1;
	readable = m->rslot != -1 && (pfd[m->rslot].revents != 0 ||
	    m->ep->ops->pending(m->ep) > 0);
	writable = m->wslot != -1 && pfd[m->wslot].revents != 0;
	if (readable && b->nfull == 0) {
		n = m->ep->ops->read(m->ep, b->rbuf, BROKER_READ);
		m->rwant = 0;
		if (n == EP_WANT_READ || n == EP_WANT_WRITE)
			m->rwant = (int)n;
		else if (n <= 0) {
			if (n == EP_ERROR)
				log_verbose(1, "%s: read: %s", m->peer,
				    strerror(errno));
			m->rd_eof = 1;
			/* A client that ends its input leaves the room. */
			if (!m->address2)
				return 1;
		} else if (b->chat)
			broker_lines(b, m, b->rbuf, (size_t)n);
		else
			broker_send(b, m, NULL, b->rbuf, (size_t)n);
	}
	if (writable || (m->qn > 0 && m->wslot == -1))
		broker_write(b, m);
	if (m->full && !m->address2 &&
	    now_ms() - m->progress >= BROKER_STUCK_MS) {
		log_verbose(1, "%s: dropped: it stopped reading (%zu bytes "
		    "queued, -b %zu)", m->peer, m->queued, b->bound);
		m->dropped = 1;
		broker_flush(b, m);
	}
	return m->dropped;
}
