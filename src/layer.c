/* layer.c: the stack of layers of an endpoint and its handshakes. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sockcat.h"

/* Handshake steps retried without poll while a lower layer holds bytes. */
#define LAYER_SPINS	8

/*
 * An endpoint is a stack of layers, as curl's connection filters are
 * (lib/cfilters.c): the bottom one owns the descriptors; each layer above
 * keeps the one it sits on in ep->below and reads and writes through its
 * ep_ops. The struct endpoint the caller holds is always the top, so the
 * relay, which keeps a pointer to it, sees a layer come or go without
 * noticing. Every layer of a stack polls the same rfd and wfd: those of
 * the bottom, copied up whenever the bottom changes them.
 */

/*
 * Put a layer with operations ops and private state ctx on top of ep.
 * What ep was moves below (to the heap); ep keeps its name, descriptors
 * and flags, less EP_PLAIN (the relay must not splice around a layer).
 * The new layer starts not ready when it has a handshake. No return.
 */
void
layer_push(struct endpoint *ep, const struct ep_ops *ops, void *ctx)
{
	struct endpoint	*below;

	below = xmalloc(sizeof(*below));
	memcpy(below, ep, sizeof(*below));
	ep->below = below;
	ep->ops = ops;
	ep->ctx = ctx;
	ep->pid = -1;
	ep->flags &= ~EP_PLAIN;
	ep->errexit = 0;
	ep->errmsg[0] = '\0';
	ep->wr_shut = 0;
	ep->ready = ops->handshake == NULL;
	ep->spent = 0;
	ep->wake_at = -1;
	ep->deadline = -1;
	ep->target = NULL;
}

/*
 * Take the top layer off ep: the layer below becomes the top again (its
 * flags, EP_PLAIN included, come back). For a layer whose work is done
 * and that holds no byte, so that it costs nothing per byte afterwards;
 * the caller has freed the layer's ctx. (A layer anywhere in the stack
 * sets ep->spent instead, and layer_handshake() takes it out.)
 */
void
layer_pop(struct endpoint *ep)
{
	struct endpoint	*below = ep->below;
	const char	*name = ep->name;

	memcpy(ep, below, sizeof(*ep));
	ep->name = name;
	free(below);
}

/*
 * Take the spent layer l (its handshake done, its state freed, no byte
 * held) out of ep's stack, wherever it sits: a proxy handshake, once the
 * tunnel stands, costs nothing per byte.
 */
static void
layer_unlink(struct endpoint *ep, struct endpoint *l)
{
	struct endpoint	*up;

	if (l == ep) {
		layer_pop(ep);
		return;
	}
	for (up = ep; up->below != l; up = up->below)
		;
	up->below = l->below;
	free(l);
}

/* Copy the bottom layer's descriptors up to every layer of ep. */
static void
layer_sync_fds(struct endpoint *ep)
{
	struct endpoint	*l;

	for (l = ep; l->below != NULL; l = l->below)
		;
	for (; ep != l; ep = ep->below) {
		ep->rfd = l->rfd;
		ep->wfd = l->wfd;
	}
}

/*
 * The lowest layer of ep whose handshake is not done yet, or NULL when
 * every layer is ready.
 */
struct endpoint *
layer_waiting(struct endpoint *ep)
{
	struct endpoint	*low = NULL;

	for (; ep != NULL; ep = ep->below)
		if (!ep->ready)
			low = ep;
	return low;
}

/*
 * Run one step of the handshakes of ep's stack, bottom-up: each layer
 * starts once the one below it is ready. Returns 0 when every layer is
 * ready, EP_WANT_READ or EP_WANT_WRITE when the step must be repeated once
 * the descriptors (ep->rfd, ep->wfd) are ready or the waiting layer's
 * wake_at has come, EP_ERROR when a layer failed: its errmsg and
 * errexit are then copied to ep (the top) so the caller reports them; or
 * EP_WANT_PEER when a layer (a proxy server) needs its peer opened: the
 * address text is then in ep->target, and layer_peer_done() says how it
 * went.
 */
int
layer_handshake(struct endpoint *ep)
{
	struct endpoint	*l;
	int		 r;

	while ((l = layer_waiting(ep)) != NULL) {
		r = l->ops->handshake(l);
		layer_sync_fds(ep);
		if (r != 0) {
			if (r == EP_ERROR && l != ep) {
				memcpy(ep->errmsg, l->errmsg,
				    sizeof(ep->errmsg));
				ep->errexit = l->errexit;
			}
			if (r == EP_WANT_PEER)
				ep->target = l->target;
			return r;
		}
		l->ready = 1;
		l->wake_at = -1;
		if (l->spent)
			layer_unlink(ep, l);
	}
	return 0;
}

/*
 * What a handshake that answered want (EP_WANT_READ or EP_WANT_WRITE) of
 * layer_handshake() waits for: the descriptor *fd (-1: none, a timer only)
 * and poll events *events, and *until, the now_ms() time by which to step
 * again (the waiting layer's wake_at or deadline, or `deadline`, the
 * caller's bound on it all; -1: none). *until is now when a lower layer
 * holds bytes already. Returns 0, or, when a deadline has passed, an
 * EXIT_* status after one line "sockcat: ADDR: LAYER: Connection timed
 * out" (the layer's exit status, else EXIT_CONNECT).
 */
int
layer_want(struct endpoint *ep, int want, long deadline, int *fd,
    short *events, long *until)
{
	struct endpoint	*l = layer_waiting(ep);
	long		 now = now_ms(), t = deadline;

	if (l->deadline != -1 && (t == -1 || l->deadline < t))
		t = l->deadline;
	if (t != -1 && now >= t) {
		warnx("%s: %s: %s", ep->name, l->ops->name,
		    strerror(ETIMEDOUT));
		return l->errexit != 0 ? l->errexit : EXIT_CONNECT;
	}
	if (l->wake_at != -1 && (t == -1 || l->wake_at < t))
		t = l->wake_at;
	/* A layer below may hold bytes already: no poll for them. */
	if (layer_pending_below(l) > 0)
		t = now;
	*until = t;
	*fd = want == EP_WANT_READ ? ep->rfd : ep->wfd;
	*events = want == EP_WANT_READ ? POLLIN : POLLOUT;
	return 0;
}

/*
 * Drive the handshakes of ep's stack to the end, polling its descriptors:
 * for a single session, where blocking is fine (the event loop of loop.c
 * drives layer_handshake() itself). deadline (now_ms clock, or -1) bounds
 * it all, as connect-timeout= does; a layer's own deadline bounds its
 * part. SIGINT/SIGTERM (sig_term) stop it.
 *
 * Returns 0, or an EXIT_* status after one line
 * "sockcat: ADDR: WHAT: reason": the failing layer's errmsg and errexit
 * (EXIT_RUNTIME when it set none; an empty errmsg means the layer printed
 * its reason itself), or what layer_want() says of a deadline; or
 * EP_WANT_PEER, at once, as layer_handshake() (session_handshake() opens
 * the peer and calls again).
 */
int
layer_wait(struct endpoint *ep, long deadline)
{
	struct pollfd	 pfd;
	struct timespec	 ts;
	long		 until, now;
	int		 r, saved, spins = 0;

	for (;;) {
		r = layer_handshake(ep);
		if (r == 0 || r == EP_WANT_PEER)
			return r;
		if (r == EP_ERROR) {
			saved = errno;
			/* An empty reason: the layer has said it already. */
			if (ep->errmsg[0] != '\0')
				warnx("%s: %s", ep->name, ep->errmsg);
			errno = saved;	/* why, for the caller (a proxy server) */
			return ep->errexit != 0 ? ep->errexit : EXIT_RUNTIME;
		}
		if (sig_term)
			return EXIT_RUNTIME;
		if ((r = layer_want(ep, r, deadline, &pfd.fd, &pfd.events,
		    &until)) != 0)
			return r;
		now = now_ms();
		/* Lower layers holding bytes: a few steps without poll. */
		if (until == now && spins++ < LAYER_SPINS)
			continue;
		spins = 0;
		pfd.revents = 0;
		if (until != -1) {
			until = until > now ? until - now : 0;
			ts.tv_sec = until / 1000;
			ts.tv_nsec = (until % 1000) * 1000000;
		}
		if (ppoll(&pfd, 1, until != -1 ? &ts : NULL,
		    signals_pollmask()) == -1 && errno != EINTR) {
			warn("%s: poll", ep->name);
			return EXIT_RUNTIME;
		}
	}
}

/*
 * Tell the layer of ep's stack that asked for its peer (EP_WANT_PEER from
 * layer_handshake()) how opening it went: status 0 and the peer, or an
 * EXIT_* status and the errno (or 0) of the failure. The layer's
 * handshake then goes on (a reply to send): call layer_handshake() again.
 */
void
layer_peer_done(struct endpoint *ep, int status, int error,
    const struct endpoint *peer)
{
	struct endpoint	*l = layer_waiting(ep);

	ep->target = NULL;
	if (l != NULL && l->ops->peer_done != NULL)
		l->ops->peer_done(l, status, error, peer);
}

/* What the layers below ep hold already (0 at the bottom). */
size_t
layer_pending_below(struct endpoint *ep)
{
	if (ep->below == NULL)
		return 0;
	return ep->below->ops->pending(ep->below);
}

/*
 * For a layer whose read or write through the layer below failed: take
 * over the lower layer's reason (errmsg) and exit status, keeping errno,
 * and return EP_ERROR, so the message names what really failed.
 */
ssize_t
layer_error_below(struct endpoint *ep)
{
	int	saved = errno;

	memcpy(ep->errmsg, ep->below->errmsg, sizeof(ep->errmsg));
	if (ep->below->errexit != 0)
		ep->errexit = ep->below->errexit;
	errno = saved;
	return EP_ERROR;
}

/*
 * Data operations of a layer with no work of its own on the data (a
 * proxy handshake that is still in the stack): read, write, half-close
 * and pending of the layer below, its errors taken over (layer_error_below).
 * Same results as the ep_ops they stand for.
 */
ssize_t
layer_pass_read(struct endpoint *ep, void *buf, size_t len)
{
	ssize_t	n = ep->below->ops->read(ep->below, buf, len);

	return n == EP_ERROR ? layer_error_below(ep) : n;
}

ssize_t
layer_pass_write(struct endpoint *ep, const void *buf, size_t len)
{
	ssize_t	n = ep->below->ops->write(ep->below, buf, len);

	return n == EP_ERROR ? layer_error_below(ep) : n;
}

int
layer_pass_shutdown_wr(struct endpoint *ep)
{
	ep->wr_shut = 1;
	return ep->below->ops->shutdown_wr(ep->below);
}

size_t
layer_pass_pending(struct endpoint *ep)
{
	return layer_pending_below(ep);
}

/* Close and free every layer below ep (the layer's own close calls it). */
void
layer_close_below(struct endpoint *ep)
{
	struct endpoint	*below = ep->below;
	int		 saved = errno;

	if (below == NULL)
		return;
	below->ops->close(below);
	free(below);
	ep->below = NULL;
	ep->rfd = ep->wfd = -1;
	errno = saved;
}
