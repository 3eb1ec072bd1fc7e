/* ep-dual.c: dual addresses "A!!B": read from A, write to B (socat). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/* The two halves of a dual endpoint (ep->ctx). */
struct dual_ctx {
	struct endpoint	*r;	/* read from: the part before "!!" */
	struct endpoint	*w;	/* written to: the part after it */
};

static int	dual_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	dual_read(struct endpoint *, void *, size_t);
static ssize_t	dual_write(struct endpoint *, const void *, size_t);
static int	dual_shutdown_wr(struct endpoint *);
static size_t	dual_pending(struct endpoint *);
static void	dual_close(struct endpoint *);

/*
 * Not a keyword of the alias table: addr.c makes an address of this type
 * from "A!!B", with the halves in a->half[0] and a->half[1].
 */
const struct addr_type at_dual = {
	.name = "dual",
	.params_min = 0,
	.params_max = 0,
	.groups = 0,
	.syntax = "",
	.help = "READ!!WRITE: read from one address, write to another",
	.open = dual_open,
};

static const struct ep_ops dual_ops = {
	.name = "dual address",
	.read = dual_read,
	.write = dual_write,
	.shutdown_wr = dual_shutdown_wr,
	.pending = dual_pending,
	.close = dual_close,
};

/* Take over the reason of half h's failure, keeping errno. */
static ssize_t
dual_error(struct endpoint *ep, const struct endpoint *h)
{
	int	saved = errno;

	memcpy(ep->errmsg, h->errmsg, sizeof(ep->errmsg));
	if (h->errexit != 0)
		ep->errexit = h->errexit;
	errno = saved;
	return EP_ERROR;
}

/* Read from the read half; its end of input is ours. */
static ssize_t
dual_read(struct endpoint *ep, void *buf, size_t len)
{
	struct dual_ctx	*c = ep->ctx;
	ssize_t		 n;

	n = c->r->ops->read(c->r, buf, len);
	/* A datagram half may turn an empty datagram into end of input. */
	ep->flags = (ep->flags & ~EP_CONNLESS) | (c->r->flags & EP_CONNLESS);
	ep->rfd = c->r->rfd;
	if (n == EP_ERROR)
		return dual_error(ep, c->r);
	return n;
}

/* Write to the write half. */
static ssize_t
dual_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct dual_ctx	*c = ep->ctx;
	ssize_t		 n;

	n = c->w->ops->write(c->w, buf, len);
	ep->wfd = c->w->wfd;
	if (n == EP_ERROR)
		return dual_error(ep, c->w);
	return n;
}

/* The half-close goes to the write half. */
static int
dual_shutdown_wr(struct endpoint *ep)
{
	struct dual_ctx	*c = ep->ctx;
	int		 r;

	r = c->w->ops->shutdown_wr(c->w);
	ep->wfd = c->w->wfd;
	ep->wr_shut = 1;
	return r;
}

/* Bytes the read half holds already. */
static size_t
dual_pending(struct endpoint *ep)
{
	struct dual_ctx	*c = ep->ctx;

	return c->r->ops->pending(c->r);
}

/* Close both halves (each reaps its own program) and free them. */
static void
dual_close(struct endpoint *ep)
{
	struct dual_ctx	*c = ep->ctx;
	int		 saved = errno;

	c->r->ops->close(c->r);
	free(c->r);
	c->w->ops->close(c->w);
	free(c->w);
	free(c);
	ep->ctx = NULL;
	ep->rfd = ep->wfd = -1;
	errno = saved;
}

/*
 * Open the dual address a: the read half first (a listener waits for its
 * peer), then the write half, each with its own options and layers, as
 * session_open() opens any address; then one endpoint that reads from the
 * first and writes to the second. peer is the other endpoint, for the
 * variables of a program. Returns 0, or an EXIT_* status after a message
 * (what was opened is closed again).
 */
static int
dual_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	struct dual_ctx	*c;
	int		 r, flags = 0;

	c = xcalloc(1, sizeof(*c));
	c->r = xcalloc(1, sizeof(*c->r));
	c->w = xcalloc(1, sizeof(*c->w));
	if ((r = session_open(a->half[0], peer, c->r)) != 0)
		goto fail;
	if ((r = session_open(a->half[1], peer, c->w)) != 0) {
		c->r->ops->close(c->r);
		goto fail;
	}
	if ((c->r->flags | c->w->flags) & EP_DGRAM)
		flags |= EP_DGRAM;
	flags |= c->r->flags & EP_CONNLESS;
	flags |= (c->w->flags & EP_CRLF) | (c->r->flags & EP_CRLF_IN);
	if (c->r->flags & c->w->flags & EP_PLAIN)
		flags |= EP_PLAIN;
	/* A half that cannot do its part makes that direction end. */
	if (c->r->flags & EP_WRONLY)
		flags |= EP_WRONLY;
	if (c->w->flags & EP_RDONLY)
		flags |= EP_RDONLY;
	ep_init(ep, a->text, c->r->rfd, c->w->wfd, flags, &dual_ops);
	ep->ctx = c;
	log_verbose(2, "%s: reading from %s, writing to %s", a->text,
	    a->half[0]->text, a->half[1]->text);
	return 0;
fail:
	free(c->r);
	free(c->w);
	free(c);
	return r;
}
