/* loop.c: many sessions in one process, driven by epoll(7). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/sockios.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * A fork listener whose sessions run no program and open no file keeps
 * them all in one process (or one per worker, workers=N), as OpenBSD's
 * relayd does: accept, open ADDRESS2, run both stacks' handshakes and
 * relay, every step non-blocking, driven by one epoll descriptor. The
 * relay rules are relay.c's (relay_poll/relay_step), the handshakes
 * layer.c's: this file only waits and dispatches.
 *
 * A session goes OPEN1 (the handshakes of the accepted endpoint: TLS,
 * a proxy server's request) -> OPEN2 (ADDRESS2: connect, its layers)
 * -> RELAY -> LINGER (after our half-close, discard input until the peer
 * is done with what we sent, as ep_linger() does blocking) -> freed.
 */

/* Most epoll events taken per wait. */
#define LOOP_MAXEVENTS		256
/* Most connections accepted per wake-up of the listener. */
#define LOOP_ACCEPT_BURST	64
/* How long a closed session lingers at most, ms (ep-fd.c's EP_LINGER_MS). */
#define LOOP_LINGER_MS		5000
/* Pause after running out of descriptors, ms. */
#define LOOP_EMFILE_PAUSE	100
/* How often a full worker looks again whether others freed a slot, ms. */
#define LOOP_FULL_RECHECK	20
/* Descriptors one session may have registered at once. */
#define LOOP_NREG		4
/* Descriptors kept free for a session's ADDRESS2 (a connect race, TLS). */
#define LOOP_FD_RESERVE		4

enum loop_state {
	LS_OPEN1,	/* handshakes of the accepted endpoint */
	LS_PEER,	/* the peer a server layer asked for connects */
	LS_OPEN2,	/* ADDRESS2 connects, its handshakes */
	LS_RELAY,	/* relaying */
	LS_LINGER,	/* half-closed sockets waiting for their peers */
	LS_MEMBER	/* a member of the broker's room */
};

struct session;

/* One descriptor registered with epoll; its data.ptr points here. */
struct loop_reg {
	struct session	*s;		/* NULL for the listener */
	int		 fd;		/* -1: slot free */
	uint32_t	 events;	/* as registered */
	uint32_t	 revents;	/* reported since the last step */
};

/* One session of the loop. */
struct session {
	uint64_t	 id;
	enum loop_state	 state;
	struct endpoint	 ep[2];
	int		 nep;		/* endpoints open */
	struct relay	 relay;
	struct pollfd	 pfd[RELAY_NFDS];
	long		 deadline;	/* of the opening (connect-timeout) */
	long		 timer;		/* next step due, ms, or -1 */
	size_t		 heapi;		/* place in the timer heap */
	int		 active;	/* on the active list */
	struct session	*next_active;
	struct session	*prev, *next;	/* every session */
	struct loop_reg	 reg[LOOP_NREG];
	long		 linger_until;
	struct broker_member *member;	/* LS_MEMBER */
	struct addr	*peer_addr;	/* LS_PEER: what a server layer asked */
	int		 uncounted;	/* ADDRESS2 of a broker: no slot */
	char		 peer[160];
	char		 tag[192];	/* "ID PEER" for -v lines */
};

/* What the workers of one listener share (MAP_SHARED). */
struct loop_shared {
	uint64_t	 next_id;	/* session ids, unique in the run */
	uint64_t	 sessions;	/* open sessions of all workers */
};

struct loop {
	int			 epfd;
	const struct addr	*a1;
	const struct addr	*a2;
	struct listener		*l;
	struct loop_reg		 lreg;		/* the listener */
	int			 listening;	/* lreg is registered */
	int			 exclusive;	/* EPOLLEXCLUSIVE (workers) */
	unsigned		 max;		/* max-children, 0: none */
	long			 resume_at;	/* accept again then, or -1 */
	int			 emfile_said;
	int			 fdmax;		/* RLIMIT_NOFILE */
	struct loop_shared	*sh;
	struct session		*all;
	struct session		*active;
	struct session		**heap;
	size_t			 nheap;
	size_t			 capheap;
	struct broker		*broker;	/* broker, chat */
	struct endpoint		 a2ep;		/* their ADDRESS2, open */
};

/* The loop this process runs, for the broker's wake-ups. */
static struct loop	*loop_current;

#define LOOP_NOHEAP	((size_t)-1)

/* ---- the timer heap (a binary min-heap on session->timer) ----------- */

static void
loop_heap_swap(struct loop *lp, size_t i, size_t j)
{
	struct session	*t = lp->heap[i];

	lp->heap[i] = lp->heap[j];
	lp->heap[j] = t;
	lp->heap[i]->heapi = i;
	lp->heap[j]->heapi = j;
}

static void
loop_heap_up(struct loop *lp, size_t i)
{
	while (i > 0 && lp->heap[(i - 1) / 2]->timer > lp->heap[i]->timer) {
		loop_heap_swap(lp, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
loop_heap_down(struct loop *lp, size_t i)
{
	size_t	c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= lp->nheap)
			break;
		if (c + 1 < lp->nheap &&
		    lp->heap[c + 1]->timer < lp->heap[c]->timer)
			c++;
		if (lp->heap[i]->timer <= lp->heap[c]->timer)
			break;
		loop_heap_swap(lp, i, c);
		i = c;
	}
}

/* Take s out of the heap, if it is there. */
static void
loop_heap_remove(struct loop *lp, struct session *s)
{
	size_t	i = s->heapi;

	if (i == LOOP_NOHEAP)
		return;
	s->heapi = LOOP_NOHEAP;
	if (i != --lp->nheap) {
		lp->heap[i] = lp->heap[lp->nheap];
		lp->heap[i]->heapi = i;
		loop_heap_down(lp, i);
		loop_heap_up(lp, i);
	}
}

/* Set s's timer to `at` (now_ms clock, -1: none). */
static void
loop_timer_set(struct loop *lp, struct session *s, long at)
{
	if (at == s->timer && (at == -1) == (s->heapi == LOOP_NOHEAP))
		return;
	loop_heap_remove(lp, s);
	s->timer = at;
	if (at == -1)
		return;
	if (lp->nheap == lp->capheap) {
		lp->capheap = lp->capheap ? lp->capheap * 2 : 256;
		lp->heap = xreallocarray(lp->heap, lp->capheap,
		    sizeof(*lp->heap));
	}
	s->heapi = lp->nheap;
	lp->heap[lp->nheap++] = s;
	loop_heap_up(lp, s->heapi);
}

/* ---- epoll registrations -------------------------------------------- */

/* Put s on the list of sessions to step before the next wait. */
static void
loop_activate(struct loop *lp, struct session *s)
{
	if (s->active)
		return;
	s->active = 1;
	s->next_active = lp->active;
	lp->active = s;
}

/* Poll events (POLLIN/POLLOUT) as epoll events. */
static uint32_t
loop_epoll_events(short ev)
{
	uint32_t	e = 0;

	if (ev & POLLIN)
		e |= EPOLLIN;
	if (ev & POLLOUT)
		e |= EPOLLOUT;
	return e;
}

/* Forget every registration of s (before its descriptors may change). */
static void
loop_unregister(struct loop *lp, struct session *s)
{
	int	i;

	for (i = 0; i < LOOP_NREG; i++) {
		if (s->reg[i].fd == -1)
			continue;
		/* Gone already when the layer closed it: fine. */
		epoll_ctl(lp->epfd, EPOLL_CTL_DEL, s->reg[i].fd, NULL);
		s->reg[i].fd = -1;
		s->reg[i].events = s->reg[i].revents = 0;
	}
}

/*
 * Make s's registrations what the slots pfd[0..n) ask for: one
 * registration per descriptor with the union of its events; descriptors
 * no longer wanted are removed (so a hung-up socket that is not wanted
 * now cannot wake the loop again and again). Returns 0, or -1 with errno.
 */
static int
loop_register(struct loop *lp, struct session *s, const struct pollfd *pfd,
    int n)
{
	struct epoll_event	ev;
	uint32_t		want[LOOP_NREG];
	int			fds[LOOP_NREG], nf = 0, i, j, k;

	for (i = 0; i < n; i++) {
		if (pfd[i].fd < 0)
			continue;
		for (j = 0; j < nf && fds[j] != pfd[i].fd; j++)
			;
		if (j == nf) {
			if (nf == LOOP_NREG)
				continue;	/* cannot happen: 4 slots */
			fds[nf] = pfd[i].fd;
			want[nf++] = 0;
		}
		want[j] |= loop_epoll_events(pfd[i].events);
	}
	/* Drop what is not wanted any more. */
	for (k = 0; k < LOOP_NREG; k++) {
		if (s->reg[k].fd == -1)
			continue;
		for (j = 0; j < nf && fds[j] != s->reg[k].fd; j++)
			;
		if (j < nf)
			continue;
		epoll_ctl(lp->epfd, EPOLL_CTL_DEL, s->reg[k].fd, NULL);
		s->reg[k].fd = -1;
		s->reg[k].events = s->reg[k].revents = 0;
	}
	for (j = 0; j < nf; j++) {
		for (k = 0; k < LOOP_NREG && s->reg[k].fd != fds[j]; k++)
			;
		memset(&ev, 0, sizeof(ev));
		ev.events = want[j];
		if (k < LOOP_NREG) {
			if (s->reg[k].events == want[j])
				continue;
			ev.data.ptr = &s->reg[k];
			if (epoll_ctl(lp->epfd, EPOLL_CTL_MOD, fds[j], &ev) ==
			    0 || (errno == ENOENT && epoll_ctl(lp->epfd,
			    EPOLL_CTL_ADD, fds[j], &ev) == 0)) {
				s->reg[k].events = want[j];
				continue;
			}
			return -1;
		}
		for (k = 0; k < LOOP_NREG && s->reg[k].fd != -1; k++)
			;
		if (k == LOOP_NREG) {
			errno = EMFILE;
			return -1;
		}
		ev.data.ptr = &s->reg[k];
		if (epoll_ctl(lp->epfd, EPOLL_CTL_ADD, fds[j], &ev) == -1)
			return -1;
		s->reg[k].fd = fds[j];
		s->reg[k].events = want[j];
		s->reg[k].revents = 0;
	}
	return 0;
}

/* Copy what epoll reported for s's descriptors into its relay slots. */
static void
loop_revents(struct session *s, struct pollfd *pfd, int n)
{
	int		i, k;
	uint32_t	e;

	for (i = 0; i < n; i++) {
		pfd[i].revents = 0;
		for (k = 0; k < LOOP_NREG; k++) {
			if (s->reg[k].fd != pfd[i].fd)
				continue;
			e = s->reg[k].revents;
			if ((e & EPOLLIN) && (pfd[i].events & POLLIN))
				pfd[i].revents |= POLLIN;
			if ((e & EPOLLOUT) && (pfd[i].events & POLLOUT))
				pfd[i].revents |= POLLOUT;
			if (e & (EPOLLERR | EPOLLHUP))
				pfd[i].revents |= POLLHUP;
		}
	}
	for (k = 0; k < LOOP_NREG; k++)
		s->reg[k].revents = 0;
}

/* ---- the listener ----------------------------------------------------- */

/* Register the listener (listen again) or take it out (on = 0). */
static void
loop_listen(struct loop *lp, int on)
{
	struct epoll_event	ev;

	if (on == lp->listening)
		return;
	if (on) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | (lp->exclusive ? EPOLLEXCLUSIVE : 0);
		ev.data.ptr = &lp->lreg;
		if (epoll_ctl(lp->epfd, EPOLL_CTL_ADD, lp->l->fd, &ev) == -1)
			return;
	} else
		epoll_ctl(lp->epfd, EPOLL_CTL_DEL, lp->l->fd, NULL);
	lp->listening = on;
}

/* Take one slot of max-children across all workers. 1 if taken. */
static int
loop_slot_take(struct loop *lp)
{
	uint64_t	n;

	n = __atomic_load_n(&lp->sh->sessions, __ATOMIC_RELAXED);
	do {
		if (lp->max > 0 && n >= lp->max)
			return 0;
	} while (!__atomic_compare_exchange_n(&lp->sh->sessions, &n, n + 1,
	    0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 1;
}

static void	loop_step(struct loop *, struct session *);
static void	loop_free(struct loop *, struct session *);
static void	loop_member(struct loop *, struct session *);

/* A new session of lp, serving `peer` (for messages), with nothing open. */
static struct session *
loop_session_new(struct loop *lp, const char *peer)
{
	struct session	*s;
	int		 k;

	s = xcalloc(1, sizeof(*s));
	s->heapi = LOOP_NOHEAP;
	s->timer = -1;
	s->deadline = -1;
	for (k = 0; k < LOOP_NREG; k++) {
		s->reg[k].s = s;
		s->reg[k].fd = -1;
	}
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	s->next = lp->all;
	if (lp->all != NULL)
		lp->all->prev = s;
	lp->all = s;
	return s;
}

/*
 * Accept up to LOOP_ACCEPT_BURST new peers and start a session for each,
 * within max-children (the rest wait in the backlog, the listener stops
 * being polled until a slot frees up). Peers outside allow= are closed.
 */
static void
loop_accept(struct loop *lp)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct session		*s;
	char			 peer[160], local[160];
	int			 fd, i;

	for (i = 0; i < LOOP_ACCEPT_BURST; i++) {
		if (!loop_slot_take(lp)) {
			loop_listen(lp, 0);
			if (lp->exclusive)
				lp->resume_at = now_ms() + LOOP_FULL_RECHECK;
			return;
		}
		sslen = sizeof(ss);
		fd = accept4(lp->l->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_CLOEXEC | SOCK_NONBLOCK);
		/*
		 * Descriptors come lowest first: one this high leaves too few
		 * for its ADDRESS2. Closed now, rather than half-served.
		 */
		if (fd != -1 && lp->fdmax > 0 &&
		    fd >= lp->fdmax - LOOP_FD_RESERVE) {
			close(fd);
			fd = -1;
			errno = EMFILE;
		}
		if (fd == -1) {
			__atomic_sub_fetch(&lp->sh->sessions, 1,
			    __ATOMIC_ACQ_REL);
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				if (!lp->emfile_said) {
					warn("%s: accept: the descriptor limit "
					    "caps the sessions at about %zu "
					    "(ulimit -n)", lp->a1->text,
					    (size_t)(__atomic_load_n(
					    &lp->sh->sessions,
					    __ATOMIC_RELAXED)));
					lp->emfile_said = 1;
				}
				loop_listen(lp, 0);
				lp->resume_at = now_ms() + LOOP_EMFILE_PAUSE;
			} else if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED && errno != EPROTO)
				warn("%s: accept", lp->a1->text);
			return;
		}
		log_sockaddr((struct sockaddr *)&ss, sslen, peer,
		    sizeof(peer));
		if (listen_refuse(lp->a1, lp->l, (struct sockaddr *)&ss,
		    sslen, peer)) {
			listen_close_refused(fd);
			__atomic_sub_fetch(&lp->sh->sessions, 1,
			    __ATOMIC_ACQ_REL);
			continue;
		}
		s = loop_session_new(lp, peer);
		s->id = __atomic_add_fetch(&lp->sh->next_id, 1,
		    __ATOMIC_RELAXED);
		snprintf(s->tag, sizeof(s->tag), "%llu %s",
		    (unsigned long long)s->id, peer);
		log_set_tag(s->tag);
		log_verbose(1, "accepted %s on %s", peer, log_sockaddr(
		    (struct sockaddr *)&lp->l->local, lp->l->locallen, local,
		    sizeof(local)));
		/* On failure these close what they were given. */
		if (ep_socket_endpoint(lp->a1, fd, &s->ep[0]) != 0 ||
		    session_layers(lp->a1, &s->ep[0], 1) != 0) {
			log_set_tag(NULL);
			loop_free(lp, s);
			continue;
		}
		s->nep = 1;
		s->state = LS_OPEN1;
		loop_step(lp, s);
		log_set_tag(NULL);
	}
}

/* ---- sessions --------------------------------------------------------- */

/* Free s: its registrations, endpoints, timer and slot. */
static void
loop_free(struct loop *lp, struct session *s)
{
	struct relay_stats	st;
	int			i;

	loop_unregister(lp, s);
	loop_heap_remove(lp, s);
	if (s->state == LS_RELAY)
		relay_end(&s->relay, &st);
	if (s->member != NULL)
		broker_leave(lp->broker, s->member);
	for (i = s->nep; i-- > 0;)
		s->ep[i].ops->close(&s->ep[i]);
	if (s->peer_addr != NULL) {
		free((char *)s->peer_addr->text);
		addr_free(s->peer_addr);
		free(s->peer_addr);
	}
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		lp->all = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	if (s->active == 1) {
		/* Woken while it ended: off the active list it goes. */
		struct session **sp;

		for (sp = &lp->active; *sp != NULL; sp = &(*sp)->next_active)
			if (*sp == s) {
				*sp = s->next_active;
				break;
			}
	}
	if (!s->uncounted)
		__atomic_sub_fetch(&lp->sh->sessions, 1, __ATOMIC_ACQ_REL);
	free(s);
	/* A slot is free: listen again, unless descriptors ran out. */
	if (lp->resume_at == -1)
		loop_listen(lp, 1);
}

/*
 * The handshake of ep answered want: register what it waits for and its
 * timer. Returns 0, or an EXIT_* status after a message (timed out).
 */
static int
loop_wait_layer(struct loop *lp, struct session *s, struct endpoint *ep,
    int want)
{
	struct pollfd	pfd;
	long		until;
	int		r;

	if ((r = layer_want(ep, want, s->deadline, &pfd.fd, &pfd.events,
	    &until)) != 0)
		return r;
	if (loop_register(lp, s, &pfd, 1) == -1) {
		warn("%s: epoll", ep->name);
		return EXIT_RUNTIME;
	}
	loop_timer_set(lp, s, until);
	return 0;
}

/* A handshake failed: say why, as layer_wait() does. */
static void
loop_layer_failed(struct endpoint *ep)
{
	if (ep->errmsg[0] != '\0')
		warnx("%s: %s", ep->name, ep->errmsg);
}

/*
 * The relay is over: log the statistics, half-close what is still open
 * and start lingering (the relay has passed every end of input on).
 */
static void
loop_relay_end(struct loop *lp, struct session *s)
{
	struct relay_stats	st;

	relay_end(&s->relay, &st);
	session_log_stats(&st);
	s->state = LS_LINGER;
	s->linger_until = now_ms() + LOOP_LINGER_MS;
	loop_step(lp, s);
}

/* The bottom (socket) layer of ep. */
static struct endpoint *
loop_bottom(struct endpoint *ep)
{
	while (ep->below != NULL)
		ep = ep->below;
	return ep;
}

/*
 * LS_LINGER, as ep_linger() but without blocking: while a half-closed
 * socket's peer has not closed and has not taken all we sent, discard
 * its input (a close with unread input would send a reset and could cost
 * the peer the end of our data). Returns 1 when done.
 */
static int
loop_linger(struct loop *lp, struct session *s)
{
	struct pollfd	 pfd[2];
	struct endpoint	*b;
	char		 buf[4096];
	ssize_t		 n;
	int		 i, np = 0, unacked;

	for (i = 0; i < s->nep; i++) {
		b = loop_bottom(&s->ep[i]);
		if (!b->wr_shut || !(b->flags & EP_SOCKET) ||
		    (b->flags & EP_CONNLESS) || b->rfd == -1)
			continue;
		/* A TLS close_notify that found the socket full goes now. */
		(void)s->ep[i].ops->pending(&s->ep[i]);
		while ((n = recv(b->rfd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EINTR) ||
		    (ioctl(b->rfd, SIOCOUTQ, &unacked) == 0 && unacked == 0)) {
			b->wr_shut = 0;	/* done: close(2) need not wait */
			continue;
		}
		pfd[np].fd = b->rfd;
		pfd[np].events = POLLIN;
		np++;
	}
	if (np == 0 || now_ms() >= s->linger_until || sig_term)
		return 1;
	if (loop_register(lp, s, pfd, np) == -1)
		return 1;
	/* Acknowledgements wake nobody: look again every 20 ms. */
	loop_timer_set(lp, s, now_ms() + 20 < s->linger_until ?
	    now_ms() + 20 : s->linger_until);
	return 0;
}

/*
 * LS_MEMBER: one step of a member of the broker's room (broker.c moves
 * the bytes); a member that is done is closed.
 */
static void
loop_member(struct loop *lp, struct session *s)
{
	long	timeout;
	int	n, ready;

	loop_revents(s, s->pfd, 2);
	if (broker_step(lp->broker, s->member, s->pfd)) {
		loop_free(lp, s);
		return;
	}
	n = broker_poll(lp->broker, s->member, s->pfd, &ready, &timeout);
	if (loop_register(lp, s, s->pfd, n) == -1) {
		warn("%s: epoll", s->ep[0].name);
		loop_free(lp, s);
		return;
	}
	if (ready)
		loop_activate(lp, s);
	loop_timer_set(lp, s, timeout < 0 ? -1 : now_ms() + timeout);
}

/* broker.c's wake-up: a member has bytes to write or may read again. */
static void
loop_wake(void *owner)
{
	loop_activate(loop_current, owner);
}

/*
 * A server layer of the accepted endpoint (socks5-listen, proxy-listen)
 * asked for its peer, the address text ep[0].target: parse it and start
 * opening it as s's second endpoint (LS_PEER), without waiting. When it
 * cannot even start, the layer is told at once (it answers its client,
 * then fails).
 */
static void
loop_peer_start(struct session *s)
{
	struct addr_error	 e;
	char			 msg[512];
	int			 r;

	if (s->peer_addr != NULL) {
		/* Asked again after a failure: forget the first one. */
		free((char *)s->peer_addr->text);
		addr_free(s->peer_addr);
		free(s->peer_addr);
	}
	s->peer_addr = xcalloc(1, sizeof(*s->peer_addr));
	if (addr_parse(xstrdup(s->ep[0].target), s->peer_addr, &e) != 0) {
		addr_error_format(s->peer_addr->text, &e, msg, sizeof(msg));
		log_verbose(1, "%s: peer %s", s->ep[0].name, msg);
		layer_peer_done(&s->ep[0], EXIT_USAGE, EINVAL, NULL);
		return;
	}
	if ((r = s->peer_addr->type->open(s->peer_addr, &s->ep[0],
	    &s->ep[1])) != 0 ||
	    (r = session_layers(s->peer_addr, &s->ep[1], 0)) != 0) {
		layer_peer_done(&s->ep[0], r, errno, NULL);
		return;
	}
	s->nep = 2;
	s->state = LS_PEER;
}

/*
 * One step of session s: whatever its state allows now. Frees s when it
 * is over; s must not be used afterwards by the caller then.
 */
static void
loop_step(struct loop *lp, struct session *s)
{
	long	wait;
	int	r, n;

	switch (s->state) {
	case LS_PEER:
		loop_unregister(lp, s);
		r = layer_handshake(&s->ep[1]);
		if (r == EP_WANT_READ || r == EP_WANT_WRITE) {
			if ((r = loop_wait_layer(lp, s, &s->ep[1], r)) == 0)
				return;
			/* Timed out (said): the layer answers its client. */
			layer_peer_done(&s->ep[0], r, ETIMEDOUT, NULL);
		} else if (r != 0) {
			n = errno;	/* why, for the layer's answer */
			loop_layer_failed(&s->ep[1]);
			layer_peer_done(&s->ep[0], s->ep[1].errexit != 0 ?
			    s->ep[1].errexit : EXIT_RUNTIME, n, NULL);
		} else
			layer_peer_done(&s->ep[0], 0, 0, &s->ep[1]);
		if (r != 0) {
			s->ep[1].ops->close(&s->ep[1]);
			s->nep = 1;
		}
		s->state = LS_OPEN1;
		FALLTHROUGH;
	case LS_OPEN1:
		/* A layer may close descriptors: register anew after. */
		loop_unregister(lp, s);
		r = layer_handshake(&s->ep[0]);
		if (r == EP_WANT_PEER && s->nep == 1) {
			/* Opening it (LS_PEER), or the layer answers a failure. */
			loop_peer_start(s);
			loop_activate(lp, s);
			return;
		}
		if (r == EP_ERROR || r == EP_WANT_PEER) {
			loop_layer_failed(&s->ep[0]);
			loop_free(lp, s);
			return;
		}
		if (r != 0) {
			if (loop_wait_layer(lp, s, &s->ep[0], r) != 0)
				loop_free(lp, s);
			return;
		}
		if (lp->broker != NULL) {
			s->member = broker_join(lp->broker, &s->ep[0], s, 0,
			    s->peer);
			s->state = LS_MEMBER;
			loop_member(lp, s);
			return;
		}
		if (s->nep == 2) {
			/* A proxy server's peer: open and ready already. */
			relay_init(&s->relay, &s->ep[0], &s->ep[1], 1);
			s->state = LS_RELAY;
			loop_timer_set(lp, s, -1);
			break;
		}
		if (opts_isset(&lp->a2->opts, OPT_CONNECT_TIMEOUT))
			s->deadline = now_ms() + lp->a2->opts.connect_timeout_ms;
		if (lp->a2->type->open(lp->a2, &s->ep[0], &s->ep[1]) != 0 ||
		    session_layers(lp->a2, &s->ep[1], 0) != 0) {
			loop_free(lp, s);
			return;
		}
		s->nep = 2;
		s->state = LS_OPEN2;
		FALLTHROUGH;
	case LS_OPEN2:
		loop_unregister(lp, s);
		r = layer_handshake(&s->ep[1]);
		if (r == EP_ERROR) {
			loop_layer_failed(&s->ep[1]);
			loop_free(lp, s);
			return;
		}
		if (r != 0) {
			if (loop_wait_layer(lp, s, &s->ep[1], r) != 0)
				loop_free(lp, s);
			return;
		}
		relay_init(&s->relay, &s->ep[0], &s->ep[1], 1);
		s->state = LS_RELAY;
		loop_timer_set(lp, s, -1);
		break;
	case LS_RELAY:
		loop_revents(s, s->pfd, RELAY_NFDS);
		relay_step(&s->relay, s->pfd);
		break;
	case LS_LINGER:
		if (loop_linger(lp, s))
			loop_free(lp, s);
		return;
	case LS_MEMBER:
		loop_member(lp, s);
		return;
	}

	if (relay_done(&s->relay)) {
		loop_relay_end(lp, s);
		return;
	}
	memset(s->pfd, 0, sizeof(s->pfd));
	n = relay_poll(&s->relay, s->pfd, &wait);
	for (r = n; r < RELAY_NFDS; r++)
		s->pfd[r].fd = -1;
	if (loop_register(lp, s, s->pfd, n) == -1) {
		warn("%s: epoll", s->ep[0].name);
		relay_cut(&s->relay, "epoll failed");
		loop_relay_end(lp, s);
		return;
	}
	if (wait == 0)
		loop_activate(lp, s);
	loop_timer_set(lp, s, wait < 0 ? -1 : now_ms() + wait);
}

/* SIGINT/SIGTERM: end every session at once (bytes in flight are said). */
static void
loop_stop_all(struct loop *lp)
{
	struct session	*s;

	while ((s = lp->all) != NULL) {
		log_set_tag(s->tag);
		if (s->state == LS_RELAY)
			relay_cut(&s->relay, strsignal(sig_term));
		loop_free(lp, s);
		log_set_tag(NULL);
	}
}

/* Milliseconds until the earliest timer, or -1 for none. */
static int
loop_timeout(struct loop *lp)
{
	long	at = -1, now;

	if (lp->active != NULL)
		return 0;
	if (lp->nheap > 0)
		at = lp->heap[0]->timer;
	if (lp->resume_at != -1 && (at == -1 || lp->resume_at < at))
		at = lp->resume_at;
	if (at == -1)
		return -1;
	now = now_ms();
	return at > now ? (int)(at - now < 60000 ? at - now : 60000) : 0;
}

/*
 * The broker's ADDRESS2, opened before the loop started, becomes a member
 * of the room for the whole run (uncounted by max-children).
 */
static void
loop_broker_address2(struct loop *lp)
{
	struct session	*s;

	s = loop_session_new(lp, lp->a2->text);
	s->uncounted = 1;
	s->ep[0] = lp->a2ep;
	s->nep = 1;
	s->member = broker_join(lp->broker, &s->ep[0], s, 1, s->peer);
	s->state = LS_MEMBER;
	loop_activate(lp, s);
}

/*
 * Run one worker's loop until SIGINT/SIGTERM or a fatal error: wait,
 * accept, step the sessions that have events, timers due, or data held.
 * Returns 0 on a signal, else an EXIT_* status after a message.
 */
static int
loop_worker(struct loop *lp)
{
	struct epoll_event	 ev[LOOP_MAXEVENTS];
	struct loop_reg		*reg;
	struct session		*s, *list;
	long			 now;
	int			 i, n;

	if ((lp->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		warn("%s: epoll", lp->a1->text);
		return EXIT_RUNTIME;
	}
	lp->lreg.s = NULL;
	lp->lreg.fd = lp->l->fd;
	lp->resume_at = -1;
	loop_current = lp;
	if (lp->broker != NULL)
		loop_broker_address2(lp);
	loop_listen(lp, 1);
	while (!sig_term) {
		n = epoll_pwait(lp->epfd, ev, LOOP_MAXEVENTS,
		    loop_timeout(lp), signals_pollmask());
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("%s: epoll_wait", lp->a1->text);
			break;
		}
		for (i = 0; i < n; i++) {
			reg = ev[i].data.ptr;
			if (reg->s == NULL) {
				loop_accept(lp);
				continue;
			}
			reg->revents |= ev[i].events;
			loop_activate(lp, reg->s);
		}
		now = now_ms();
		if (lp->resume_at != -1 && now >= lp->resume_at) {
			lp->resume_at = -1;
			loop_listen(lp, 1);
		}
		while (lp->nheap > 0 && lp->heap[0]->timer <= now) {
			s = lp->heap[0];
			loop_heap_remove(lp, s);
			s->timer = -1;
			loop_activate(lp, s);
		}
		list = lp->active;
		lp->active = NULL;
		while ((s = list) != NULL) {
			list = s->next_active;
			s->active = 0;
			log_set_tag(s->tag);
			loop_step(lp, s);
			log_set_tag(NULL);
		}
		resolve_reap();
	}
	loop_stop_all(lp);
	close(lp->epfd);
	free(lp->heap);
	relay_pool_trim();
	return 0;
}

/*
 * Can the sessions of listener a1 with ADDRESS2 a2 live in the event
 * loop? Both types must say so (AT_LOOP: stream listeners, and clients
 * whose open and handshakes never block), and nothing may need a
 * process of its own. Returns 1 or 0.
 */
int
loop_eligible(const struct addr *a1, const struct addr *a2)
{
	if (!(a1->type->flags & AT_LOOP))
		return 0;
	/* accept-timeout= stops a fork listener: its children's loop. */
	if (opts_isset(&a1->opts, OPT_ACCEPT_TIMEOUT))
		return 0;
	/* A proxy server's clients name the other side: always TCP. */
	if (a1->type->flags & AT_OWNPEER)
		return 1;
	if (!(a2->type->flags & AT_LOOP))
		return 0;
	/* A socks4/socks5 hop would look the target's name up, blocking. */
	if (proxy_resolves_here(a2))
		return 0;
	if (a1->opts.type != SOCK_STREAM)
		return 0;
	/* unix clients pause between retries: keep them in children. */
	if (a2->type->family == AF_UNIX && a2->opts.retry > 0)
		return 0;
	return 1;
}

/*
 * Raise the soft descriptor limit to the hard one (9,000 sessions need
 * 18,000). Returns the limit now in force (0: unknown).
 */
static int
loop_raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > INT_MAX ? INT_MAX : (int)rl.rlim_cur;
}

/*
 * Serve the fork listener l of ADDRESS1 a1 (listening already) with
 * ADDRESS2 a2 in workers=N event loops (default 1), or, with broker or
 * chat, one room whose members are a2 and every client: the calling process
 * is worker 1, the others are forked children sharing the listening
 * socket (EPOLLEXCLUSIVE wakes one of them per connection) and the
 * session count of max-children= (max-sessions=). SIGINT/SIGTERM end
 * every session and worker. Returns 0 after a signal (the caller then
 * dies by it), or an EXIT_* status after a message.
 */
int
loop_run(const struct addr *a1, const struct addr *a2, struct listener *l)
{
	struct loop	 lp;
	pid_t		*pids;
	unsigned	 nw, i;
	int		 r, status;

	memset(&lp, 0, sizeof(lp));
	lp.fdmax = loop_raise_nofile();
	inet_set_async(1);
	ep_close_nowait = 1;	/* LS_LINGER waits for peers, not close */
	lp.a1 = a1;
	lp.a2 = a2;
	lp.l = l;
	lp.max = a1->opts.max_children;
	lp.sh = mmap(NULL, sizeof(*lp.sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lp.sh == MAP_FAILED) {
		warn("%s: mmap", a1->text);
		return EXIT_RUNTIME;
	}
	nw = opts_isset(&a1->opts, OPT_WORKERS) ? a1->opts.workers : 1;
	lp.exclusive = nw > 1;
	if (a1->opts.broker || a1->opts.chat) {
		/* ADDRESS2 is one member of the room for the whole run. */
		if ((r = session_open(a2, NULL, &lp.a2ep)) != 0) {
			munmap(lp.sh, sizeof(*lp.sh));
			return r;
		}
		lp.broker = broker_new(a1->opts.chat, relay_bufsize(),
		    loop_wake);
		nw = 1;
	}
	pids = xcalloc(nw, sizeof(*pids));
	for (i = 1; i < nw; i++) {
		fflush(NULL);
		if ((pids[i] = fork()) == 0) {
			free(pids);
			r = loop_worker(&lp);
			fflush(NULL);
			_exit(r);
		}
		if (pids[i] == -1)
			warn("%s: fork of worker %u", a1->text, i + 1);
	}
	r = loop_worker(&lp);
	for (i = 1; i < nw; i++)
		if (pids[i] > 0)
			kill(pids[i], sig_term ? sig_term : SIGTERM);
	for (i = 1; i < nw; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &status, 0) == -1 &&
			    errno == EINTR)
				;
	free(pids);
	if (lp.broker != NULL)
		broker_free(lp.broker);
	munmap(lp.sh, sizeof(*lp.sh));
	return r;
}
