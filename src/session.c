/* session.c: one session: open its endpoints with their layers, relay. */
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

/*
 * Put on the connected endpoint ep the layers that address a asks for, in
 * order from the bottom: proxy handshakes (proxy=, socks and proxy types,
 * the proxy servers), TLS (tls types), DTLS (dtls types), Telnet (the
 * telnet option and type, SPEC 9), WebSocket (ws types). server says which
 * side of the connection ep is (an accepted one). Their handshakes run
 * later (layer_handshake). Returns 0, or an EXIT_* status after a message;
 * ep is closed then.
 */
int
session_layers(const struct addr *a, struct endpoint *ep, int server)
{
	int	r;

	if ((r = proxy_attach(a, ep, server)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	if ((a->type->flags & AT_TLS) &&
	    (r = tls_attach(ep, a, NULL, server)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	if ((a->type->flags & AT_DTLS) &&
	    (r = dtls_attach(ep, a, server)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	if ((a->opts.telnet || a->type == &at_telnet) &&
	    (r = telnet_attach(ep, a)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	if ((a->type->groups & G_WS) && (r = ws_attach(ep, a, server)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	return 0;
}

/*
 * Open endpoint ep for address a; peer is the other endpoint when it is
 * already open. Listeners as ADDRESS2 (or without fork) take one peer.
 * The address's layers (TLS) are put on and their handshakes run,
 * connect-timeout= bounding the whole of it. Returns 0, or an EXIT_*
 * status after a message.
 */
int
session_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	long	deadline = -1;
	int	r;

	if (a->type->flags & AT_LISTEN)
		return listen_accept_one(a, ep);
	if (opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		deadline = now_ms() + a->opts.connect_timeout_ms;
	if ((r = a->type->open(a, peer, ep)) != 0)
		return r;
	if ((r = session_layers(a, ep, 0)) != 0)
		return r;
	return session_handshake(ep, deadline);
}

/*
 * Open the peer a server layer of ep asked for (EP_WANT_PEER): parse the
 * address text ep->target, open it with its layers (session_open()), and
 * tell the layer how it went (layer_peer_done()). Returns the peer (on the
 * heap, its name too), or NULL when it could not be opened: the reason is
 * printed and the layer told (it answers its client).
 */
static struct endpoint *
session_peer(struct endpoint *ep)
{
	struct addr		 a;
	struct addr_error	 e;
	struct endpoint		*peer;
	char			*text, msg[512];
	int			 r, error = 0;

	text = xstrdup(ep->target);
	peer = xcalloc(1, sizeof(*peer));
	if (addr_parse(text, &a, &e) != 0) {
		addr_error_format(text, &e, msg, sizeof(msg));
		log_verbose(1, "%s: peer %s", ep->name, msg);
		r = EXIT_USAGE;
	} else {
		r = session_open(&a, ep, peer);
		error = errno;
	}
	addr_free(&a);
	if (r != 0) {
		free(peer);
		free(text);
		layer_peer_done(ep, r, error, NULL);
		return NULL;
	}
	layer_peer_done(ep, 0, 0, peer);
	return peer;
}

/*
 * Drive the handshakes of ep's layers to the end (layer_wait(), deadline
 * as there), opening the peer a server layer asks for (session_peer()):
 * the generic way a server (socks5-listen, proxy-listen) gets the other
 * side of its session from its client's request. When one was opened it
 * is left in ep->peer for session_run(). Returns 0, or an EXIT_* status
 * after a message; ep (and any peer) is closed then.
 */
int
session_handshake(struct endpoint *ep, long deadline)
{
	struct endpoint	*peer = NULL, *p;
	int		 r;

	while ((r = layer_wait(ep, deadline)) == EP_WANT_PEER) {
		if ((p = session_peer(ep)) == NULL)
			continue;	/* the layer answers, then fails */
		if (peer != NULL) {
			/* A second request: only one peer per session. */
			p->ops->close(p);
			free((char *)p->name);
			free(p);
			continue;
		}
		peer = p;
	}
	if (r != 0) {
		if (peer != NULL) {
			peer->ops->close(peer);
			free((char *)peer->name);
			free(peer);
		}
		ep->ops->close(ep);
		return r;
	}
	ep->peer = peer;
	return 0;
}

/*
 * With endpoint 1 open, open ADDRESS2 (a2), relay until the session ends,
 * print the -v statistics line and close both. Returns the session's exit
 * status (0 or EXIT_*).
 */
int
session_run(struct endpoint *ep1, const struct addr *a2)
{
	struct endpoint		ep2;
	char			*owned = NULL;
	int			r;

	if (ep1->peer != NULL) {
		/* A proxy server: its client named the other side. */
		memcpy(&ep2, ep1->peer, sizeof(ep2));
		free(ep1->peer);
		ep1->peer = NULL;
		owned = (char *)ep2.name;
	} else if ((r = session_open(a2, ep1, &ep2)) != 0) {
		ep1->ops->close(ep1);
		return r;
	}
	r = session_relay(ep1, &ep2);
	free(owned);
	return r;
}

/*
 * Relay between the open endpoints ep1 (ADDRESS1) and ep2 (ADDRESS2) until
 * the session ends, print the -v statistics line and close both. Returns
 * the session's exit status (0 or EXIT_*).
 */
int
session_relay(struct endpoint *ep1, struct endpoint *ep2)
{
	struct relay_stats	st;
	int			r;

	log_started();
	signals_defer(1);
	r = relay_run(ep1, ep2, &st);
	session_log_stats(&st);
	ep2->ops->close(ep2);
	ep1->ops->close(ep1);
	log_verbose(2, "closed %s and %s", ep1->name, ep2->name);
	signals_defer(0);
	return r;
}

/*
 * -v: the statistics line at the end of a session: bytes each way,
 * duration and throughput, "session end: 3 bytes >, 5 bytes <, 0.002 s,
 * 0.00 MB/s".
 */
void
session_log_stats(const struct relay_stats *st)
{
	double	secs = (double)st->ms / 1000.0;

	log_verbose(1, "session end: %llu bytes >, %llu bytes <, %.3f s, "
	    "%.2f MB/s", (unsigned long long)st->bytes[0],
	    (unsigned long long)st->bytes[1], secs, secs > 0 ?
	    (double)(st->bytes[0] + st->bytes[1]) / 1e6 / secs : 0.0);
}
