/* session.c: one session: open its endpoints with their layers, relay. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include "sockcat.h"

/*
 * Put on the connected endpoint ep the layers that address a asks for, in
 * order from the bottom: (proxy handshakes,) TLS (tls types), DTLS (dtls
 * types). server says
 * which side of the connection ep is (an accepted one). Their handshakes
 * run later (layer_handshake). Returns 0, or an EXIT_* status after a
 * message; ep is closed then.
 */
int
session_layers(const struct addr *a, struct endpoint *ep, int server)
{
	int	r;

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
	if ((r = layer_wait(ep, deadline)) != 0) {
		ep->ops->close(ep);
		return r;
	}
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
	int			r;

	if ((r = session_open(a2, ep1, &ep2)) != 0) {
		ep1->ops->close(ep1);
		return r;
	}
	return session_relay(ep1, &ep2);
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
	double			secs;
	int			r;

	log_started();
	signals_defer(1);
	r = relay_run(ep1, ep2, &st);
	secs = (double)st.ms / 1000.0;
	log_verbose(1, "session end: %llu bytes >, %llu bytes <, %.3f s, "
	    "%.2f MB/s", (unsigned long long)st.bytes[0],
	    (unsigned long long)st.bytes[1], secs, secs > 0 ?
	    (double)(st.bytes[0] + st.bytes[1]) / 1e6 / secs : 0.0);
	ep2->ops->close(ep2);
	ep1->ops->close(ep1);
	log_verbose(2, "closed %s and %s", ep1->name, ep2->name);
	signals_defer(0);
	return r;
}
