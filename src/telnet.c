/* telnet.c: the Telnet layer (the telnet option) and the telnet type. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Telnet as ncat -t speaks it (SPEC 9): every option the server asks for
 * (DO) is refused with WONT and every option it offers (WILL) with DONT,
 * so both sides stay in the NVT defaults of RFC 854; commands (IAC ...,
 * subnegotiations IAC SB ... IAC SE included) are taken out of the data
 * received, wherever reads split them; IAC IAC is a data byte 0xff, and
 * 0xff in data sent is doubled. CR NUL becomes CR (RFC 854: the NUL only
 * pads). LF is not turned into CRLF here: that is the crlf option, which
 * the telnet type sets.
 *
 * The refusals are queued and written without blocking, before any more
 * data; while they cannot be written, reading waits (EP_WANT_WRITE), so
 * the queue stays small however many requests a server sends.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/* Telnet commands, RFC 854. */
#define TELNET_SE	240	/* end of subnegotiation */
#define TELNET_SB	250	/* start of subnegotiation */
#define TELNET_WILL	251
#define TELNET_WONT	252
#define TELNET_DO	253
#define TELNET_DONT	254
#define TELNET_IAC	255	/* "interpret as command" */

/* The well-known Telnet port (RFC 854). */
#define TELNET_PORT	"23"

/* Parser states (struct telnet_parser). */
#define TELNET_S_DATA	0	/* data */
#define TELNET_S_CR	1	/* data, after a CR */
#define TELNET_S_IAC	2	/* after IAC */
#define TELNET_S_OPT	3	/* after IAC WILL/WONT/DO/DONT */
#define TELNET_S_SB	4	/* inside a subnegotiation */
#define TELNET_S_SBIAC	5	/* inside a subnegotiation, after IAC */

struct telnet_ctx {
	struct telnet_parser	 p;
	unsigned char		*reply;		/* refusals not yet written */
	size_t			 replyoff, replylen, replysize;
	unsigned char		*held;		/* data read while they wait */
	size_t			 heldoff, heldlen;
	int			 owe;		/* the 2nd IAC of a 0xff */
	int			 shut;		/* half-closed: no replies */
};

static int	telnet_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	telnet_read(struct endpoint *, void *, size_t);
static ssize_t	telnet_write(struct endpoint *, const void *, size_t);
static int	telnet_shutdown_wr(struct endpoint *);
static size_t	telnet_pending(struct endpoint *);
static void	telnet_close(struct endpoint *);

static const struct ep_ops telnet_ops = {
	.name = "Telnet",
	.read = telnet_read,
	.write = telnet_write,
	.shutdown_wr = telnet_shutdown_wr,
	.pending = telnet_pending,
	.close = telnet_close,
};

const struct addr_type at_telnet = {
	.name = "telnet",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_HOSTPORT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "HOST[:PORT]",
	.help = "TCP client speaking Telnet, with crlf (port 23)",
	.open = telnet_open,
	.check = inet_check,
};

/*
 * Decode n bytes received at buf, in place, with parser state p (zeroed
 * before the first call; calls continue where the last one stopped, so a
 * command may be split anywhere). The data bytes are moved to the front
 * of buf; the replies (IAC WONT x for each IAC DO x, IAC DONT x for each
 * IAC WILL x; nothing for WONT and DONT, RFC 854's rule against loops) are
 * appended at reply + *replylen, for which the caller leaves n + 2 bytes
 * of room. Returns the number of data bytes.
 */
size_t
telnet_parse(struct telnet_parser *p, unsigned char *buf, size_t n,
    unsigned char *reply, size_t *replylen)
{
	size_t		i, out = 0;
	unsigned char	c;

	for (i = 0; i < n; i++) {
		c = buf[i];
		if (p->state == TELNET_S_CR) {
			p->state = TELNET_S_DATA;
			if (c == '\0')
				continue;	/* CR NUL is CR */
		}
		switch (p->state) {
		case TELNET_S_DATA:
			if (c == TELNET_IAC)
				p->state = TELNET_S_IAC;
			else {
				buf[out++] = c;
				if (c == '\r')
					p->state = TELNET_S_CR;
			}
			break;
		case TELNET_S_IAC:
			switch (c) {
			case TELNET_IAC:
				buf[out++] = c;
				p->state = TELNET_S_DATA;
				break;
			case TELNET_WILL:
			case TELNET_WONT:
			case TELNET_DO:
			case TELNET_DONT:
				p->cmd = c;
				p->state = TELNET_S_OPT;
				break;
			case TELNET_SB:
				p->state = TELNET_S_SB;
				break;
			default:
				/* NOP, DM, BRK, IP, AO, AYT, EC, EL, GA... */
				p->state = TELNET_S_DATA;
				break;
			}
			break;
		case TELNET_S_OPT:
			if (p->cmd == TELNET_DO || p->cmd == TELNET_WILL) {
				reply[(*replylen)++] = TELNET_IAC;
				reply[(*replylen)++] = p->cmd == TELNET_DO ?
				    TELNET_WONT : TELNET_DONT;
				reply[(*replylen)++] = c;
			}
			p->state = TELNET_S_DATA;
			break;
		case TELNET_S_SB:
			if (c == TELNET_IAC)
				p->state = TELNET_S_SBIAC;
			break;
		case TELNET_S_SBIAC:
			if (c == TELNET_SE)
				p->state = TELNET_S_DATA;
			else if (c == TELNET_IAC)
				p->state = TELNET_S_SB;	/* 0xff inside */
			else {
				/* A command inside ends it. */
				p->state = TELNET_S_IAC;
				i--;
			}
			break;
		}
	}
	return out;
}

/*
 * Write the queued replies through the layer below, as far as it takes
 * them. Returns 0 when none is left, EP_WANT_* when some must wait, or
 * EP_ERROR.
 */
static ssize_t
telnet_flush(struct endpoint *ep)
{
	struct telnet_ctx	*t = ep->ctx;
	ssize_t			 n;

	while (t->replylen > 0) {
		n = ep->below->ops->write(ep->below, t->reply + t->replyoff,
		    t->replylen);
		if (n == EP_ERROR)
			return layer_error_below(ep);
		if (n < 0)
			return n;
		t->replyoff += (size_t)n;
		t->replylen -= (size_t)n;
	}
	t->replyoff = 0;
	return 0;
}

/*
 * Read data: commands taken out, refusals queued and sent. Returns data
 * bytes, 0 at end of input, EP_WANT_READ when only commands came,
 * EP_WANT_WRITE while refusals wait for the socket, or EP_ERROR.
 */
static ssize_t
telnet_read(struct endpoint *ep, void *buf, size_t len)
{
	struct telnet_ctx	*t = ep->ctx;
	ssize_t			 n, r;
	size_t			 m;

	if (t->replylen > 0 && !t->owe && (r = telnet_flush(ep)) != 0)
		return r;
	if (t->replylen > 0)
		return EP_WANT_WRITE;	/* after the 0xff being written */
	if (t->heldlen > 0) {
		m = t->heldlen < len ? t->heldlen : len;
		memcpy(buf, t->held + t->heldoff, m);
		t->heldoff += m;
		t->heldlen -= m;
		return (ssize_t)m;
	}
	n = ep->below->ops->read(ep->below, buf, len);
	if (n == EP_ERROR)
		return layer_error_below(ep);
	if (n <= 0)
		return n;
	if (t->replysize < (size_t)n + 2) {
		t->replysize = (size_t)n + 2;
		t->reply = xreallocarray(t->reply, t->replysize, 1);
	}
	m = telnet_parse(&t->p, buf, (size_t)n, t->reply, &t->replylen);
	if (t->shut)
		t->replylen = 0;	/* nothing may be sent any more */
	if (t->replylen > 0 && !t->owe && telnet_flush(ep) == EP_ERROR)
		return EP_ERROR;
	if (t->replylen > 0) {
		/* The data waits with the refusals, in order. */
		if (m > 0) {
			free(t->held);
			t->held = xmalloc(m);
			memcpy(t->held, buf, m);
			t->heldoff = 0;
			t->heldlen = m;
		}
		return EP_WANT_WRITE;
	}
	if (m == 0)
		return EP_WANT_READ;
	return (ssize_t)m;
}

/*
 * Write len bytes of data with each 0xff doubled (IAC IAC), after any
 * queued refusals. Returns the bytes of buf written, or EP_*.
 */
static ssize_t
telnet_write(struct endpoint *ep, const void *buf, size_t len)
{
	static const unsigned char	 iac2[2] = { TELNET_IAC, TELNET_IAC };
	struct telnet_ctx		*t = ep->ctx;
	const unsigned char		*p = buf, *ff;
	ssize_t				 n, r;
	size_t				 seg;

	if (t->owe) {
		/* The first IAC of buf[0] went out last time. */
		n = ep->below->ops->write(ep->below, iac2, 1);
		if (n == EP_ERROR)
			return layer_error_below(ep);
		if (n < 0)
			return n;
		t->owe = 0;
		return 1;
	}
	if ((r = telnet_flush(ep)) != 0)
		return r;
	ff = memchr(p, TELNET_IAC, len);
	seg = ff != NULL ? (size_t)(ff - p) : len;
	if (seg > 0) {
		n = ep->below->ops->write(ep->below, p, seg);
		return n == EP_ERROR ? layer_error_below(ep) : n;
	}
	n = ep->below->ops->write(ep->below, iac2, 2);
	if (n == EP_ERROR)
		return layer_error_below(ep);
	if (n < 0)
		return n;
	if (n == 1) {
		/* One IAC out: the relay retries this byte, we owe one. */
		t->owe = 1;
		return EP_WANT_WRITE;
	}
	return 1;
}

/* Half-close: the refusals that can go without waiting, then below. */
static int
telnet_shutdown_wr(struct endpoint *ep)
{
	struct telnet_ctx	*t = ep->ctx;

	if (!t->owe)
		(void)telnet_flush(ep);
	t->shut = 1;
	t->replylen = 0;
	return ep->below->ops->shutdown_wr(ep->below);
}

/* Data held while refusals wait does not wait for poll; they do. */
static size_t
telnet_pending(struct endpoint *ep)
{
	struct telnet_ctx	*t = ep->ctx;

	if (t->replylen > 0)
		return 0;
	return t->heldlen + layer_pending_below(ep);
}

/* Free the layer, then the layers below. */
static void
telnet_close(struct endpoint *ep)
{
	struct telnet_ctx	*t = ep->ctx;

	free(t->reply);
	free(t->held);
	free(t);
	ep->ctx = NULL;
	layer_close_below(ep);
}

/*
 * Put the Telnet layer on the connected stream endpoint ep of address a
 * (the telnet option, or the telnet type). It has no handshake: it
 * answers the server's requests as they come. Returns 0.
 */
int
telnet_attach(struct endpoint *ep, __unused const struct addr *a)
{
	layer_push(ep, &telnet_ops, xcalloc(1, sizeof(struct telnet_ctx)));
	return 0;
}

/*
 * Open a telnet address: a TCP client to HOST:PORT, port 23 when none is
 * given, with crlf (telnet's "\r\n" line ends). The Telnet layer is put
 * on by session_layers(). Returns 0 or an EXIT_* status after a message.
 */
static int
telnet_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	struct addr	b;
	int		r;

	if (a->nparams >= 2)
		r = ep_tcp_open(a, peer, ep);
	else {
		/* The same address with the default port; nothing to free. */
		b = *a;
		b.params[1] = (char *)TELNET_PORT;
		b.nparams = 2;
		r = ep_tcp_open(&b, peer, ep);
	}
	if (r == 0)
		ep->flags |= EP_CRLF_BOTH;
	return r;
}
