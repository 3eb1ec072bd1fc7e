/* layer-socks.c: SOCKS4, SOCKS4a and SOCKS5 client layers; a SOCKS5 server. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/*
 * Each handshake is a small state machine, one non-blocking step per
 * call, as curl's lib/socks.c (enum connect_t) is: send a message, read
 * the answer, go on. Every read asks for exactly the bytes the protocol
 * says are next (SOCKS messages carry their lengths), so a proxy's bytes
 * after its reply stay in the layer below and the finished layer holds
 * nothing: it frees its state and leaves the stack (ep->spent), and the
 * tunnel costs nothing per byte.
 */

/* RFC 1928 and RFC 1929 codes. */
#define SOCKS5_VERSION		5
#define SOCKS5_NOAUTH		0x00
#define SOCKS5_USERPASS		0x02
#define SOCKS5_NOMETHOD		0xff
#define SOCKS5_CONNECT		1
#define SOCKS5_IPV4		1
#define SOCKS5_DOMAIN		3
#define SOCKS5_IPV6		4
#define SOCKS5_AUTH_VERSION	1	/* RFC 1929 sub-negotiation */
/* SOCKS4 (OpenSSH's socks4.protocol; SOCKS4a: socks4a.protocol). */
#define SOCKS4_VERSION		4
#define SOCKS4_CONNECT		1
#define SOCKS4_GRANTED		90

/* A server gives its client this long to ask, ms (as a TLS server does). */
#define SOCKS_SERVER_TIMEOUT	30000

/* States of the client handshake. */
enum socks_cstate {
	SC_SEND,		/* write out[], then go to `next` */
	SC_METHOD,		/* read the method the proxy chose */
	SC_AUTH,		/* read the RFC 1929 status */
	SC_REPLY		/* read the reply to CONNECT */
};

/* A SOCKS client layer: one hop of a chain (ep->ctx). */
struct socks_client {
	struct ep_ops	 ops;		/* socks_client_ops, named for the hop */
	char		 name[PROXY_HOSTMAX + 48]; /* "proxy H:P: SOCKS5 ..." */
	char		 label[PROXY_HOSTMAX + 16]; /* "proxy H:P" */
	char		 target[PROXY_HOSTMAX + 16]; /* "HOST:PORT" asked for */
	int		 version;	/* 4 or 5 */
	int		 state, next;	/* enum socks_cstate */
	unsigned char	 out[600];	/* message being sent */
	size_t		 olen, ooff;
	unsigned char	 in[300];	/* answer being read */
	size_t		 ilen, need;
	unsigned char	 req[600];	/* the CONNECT request */
	size_t		 reqlen;
	unsigned char	 cred[520];	/* the RFC 1929 request, or empty */
	size_t		 credlen;
};

/* States of the server handshake. */
enum socks_sstate {
	SS_GREETING,		/* read the methods the client offers */
	SS_AUTH,		/* read its RFC 1929 user and password */
	SS_REQUEST,		/* read its request */
	SS_PEER,		/* its target is being opened */
	SS_SEND,		/* write out[], then go to `next` */
	SS_DONE,		/* the tunnel stands */
	SS_FAIL			/* answered a failure: end the session */
};

/* The SOCKS5 server layer of one client (ep->ctx). */
struct socks_server {
	int		 state, next;	/* enum socks_sstate */
	unsigned char	 in[600];
	size_t		 ilen, need;
	unsigned char	 out[300];
	size_t		 olen, ooff;
	int		 auth;		/* auth= given */
	char		 user[PROXY_CREDMAX];
	char		 pass[PROXY_CREDMAX];
	char		 client[64];	/* the client's address, for messages */
	char		 what[PROXY_HOSTMAX + 16];	/* "HOST:PORT" */
	char		 target[PROXY_HOSTMAX + 32];	/* "tcp:HOST:PORT" */
	char		 reason[200];	/* why SS_FAIL */
	int		 errexit;
};

static int	socks_client_step(struct endpoint *);
static int	socks_server_step(struct endpoint *);
static void	socks_close(struct endpoint *);
static void	socks_server_peer(struct endpoint *, int, int,
		    const struct endpoint *);

/* The client layer; each hop copies it with its own name. */
static const struct ep_ops socks_client_ops = {
	.name = "SOCKS handshake",
	.handshake = socks_client_step,
	.read = layer_pass_read,
	.write = layer_pass_write,
	.shutdown_wr = layer_pass_shutdown_wr,
	.pending = layer_pass_pending,
	.close = socks_close,
};

static const struct ep_ops socks_server_ops = {
	.name = "SOCKS5 request",
	.handshake = socks_server_step,
	.read = layer_pass_read,
	.write = layer_pass_write,
	.shutdown_wr = layer_pass_shutdown_wr,
	.pending = layer_pass_pending,
	.close = socks_close,
	.peer_done = socks_server_peer,
};

/*
 * What a SOCKS reply code means, for messages: RFC 1928 section 6 for
 * version 5, socks4.protocol for version 4 ("unassigned" otherwise).
 */
const char *
socks_reply_name(int version, int code)
{
	static const char *const v5[] = {
		"succeeded",
		"general SOCKS server failure",
		"connection not allowed by ruleset",
		"network unreachable",
		"host unreachable",
		"connection refused by destination",
		"TTL expired",
		"command not supported",
		"address type not supported",
	};

	if (version == 5)
		return code >= 0 && (size_t)code < nitems(v5) ? v5[code] :
		    "unassigned reply code";
	switch (code) {
	case 90:
		return "request granted";
	case 91:
		return "request rejected or failed";
	case 92:
		return "rejected: the proxy cannot reach the client's identd";
	case 93:
		return "rejected: identd reports another user id";
	default:
		return "unassigned reply code";
	}
}

/* Length of a SOCKS5 address of type atyp whose first byte is b, or 0. */
static size_t
socks5_addr_len(int atyp, unsigned char b)
{
	switch (atyp) {
	case SOCKS5_IPV4:
		return 4;
	case SOCKS5_IPV6:
		return 16;
	case SOCKS5_DOMAIN:
		return 1 + (size_t)b;
	default:
		return 0;
	}
}

/*
 * Take the address and port of a SOCKS5 message (ATYP at buf[3], the
 * address from buf[4]) into r. len is the whole message.
 */
static void
socks5_take_addr(const unsigned char *buf, size_t len, struct socks_reply *r)
{
	size_t	alen = len - 6;

	r->atyp = buf[3];
	if (r->atyp == SOCKS5_DOMAIN) {
		alen--;
		memcpy(r->addr, buf + 5, alen);
	} else
		memcpy(r->addr, buf + 4, alen);
	r->addrlen = alen;
	r->port = (unsigned)buf[len - 2] << 8 | buf[len - 1];
}

/*
 * Parse the reply of a SOCKS proxy (version 4 or 5) to CONNECT: the len
 * bytes read so far at buf. Pure. Returns 1 when the reply is complete
 * (r filled: its code, address and port), 0 when more bytes are needed
 * (*need: how many in all, so the caller reads no byte beyond the
 * reply), -1 when it is not a reply of that version. SOCKS4's is 8 bytes
 * (VN 0, CD, DSTPORT, DSTIP); SOCKS5's is VER 5, REP, RSV, ATYP,
 * BND.ADDR, BND.PORT (RFC 1928 section 6).
 */
int
socks_reply_parse(int version, const unsigned char *buf, size_t len,
    size_t *need, struct socks_reply *r)
{
	size_t	alen;

	memset(r, 0, sizeof(*r));
	if (version == 4) {
		*need = 8;
		if (len > 0 && buf[0] != 0 && buf[0] != SOCKS4_VERSION)
			return -1;
		if (len < 8)
			return 0;
		r->code = buf[1];
		r->atyp = SOCKS5_IPV4;
		memcpy(r->addr, buf + 4, 4);
		r->addrlen = 4;
		r->port = (unsigned)buf[2] << 8 | buf[3];
		return 1;
	}
	*need = 5;
	if (len > 0 && buf[0] != SOCKS5_VERSION)
		return -1;
	if (len < 5)
		return 0;
	if ((alen = socks5_addr_len(buf[3], buf[4])) == 0)
		return -1;
	*need = 4 + alen + 2;
	if (len < *need)
		return 0;
	r->code = buf[1];
	socks5_take_addr(buf, *need, r);
	return 1;
}

/*
 * Parse a SOCKS5 request (RFC 1928 section 4) of a client: the len bytes
 * read so far at buf. Pure. Returns 1 when complete (r->code: CMD; the
 * address and port), 0 when more bytes are needed (*need in all), -1 when
 * it is not a SOCKS5 request, -2 for an address type RFC 1928 does not
 * know (the server answers 8) or an empty name.
 */
int
socks_request_parse(const unsigned char *buf, size_t len, size_t *need,
    struct socks_reply *r)
{
	size_t	alen;

	memset(r, 0, sizeof(*r));
	*need = 5;
	if (len > 0 && buf[0] != SOCKS5_VERSION)
		return -1;
	if (len < 5)
		return 0;
	if ((alen = socks5_addr_len(buf[3], buf[4])) == 0 ||
	    (buf[3] == SOCKS5_DOMAIN && buf[4] == 0))
		return -2;
	*need = 4 + alen + 2;
	if (len < *need)
		return 0;
	r->code = buf[1];
	socks5_take_addr(buf, *need, r);
	return 1;
}

/* ---- closing (data goes through layer_pass_*) ------------------------ */

static void
socks_close(struct endpoint *ep)
{
	free(ep->ctx);
	ep->ctx = NULL;
	layer_close_below(ep);
}

/* ---- client ---------------------------------------------------------- */

/*
 * Fail the handshake of ep: "NAME: why" in ep->errmsg (NAME is the hop's
 * "proxy H:P"), EXIT_CONNECT. Returns EP_ERROR.
 */
static int __printflike(3, 4)
socks_fail(struct endpoint *ep, const char *name, const char *fmt, ...)
{
	char	why[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ep->errmsg, sizeof(ep->errmsg), "%.100s: %.150s", name, why);
	ep->errexit = EXIT_CONNECT;
	return EP_ERROR;
}

/*
 * A read or write through the layer below failed (EP_ERROR): name the
 * hop and keep the reason (the lower layer's, or errno's). Returns
 * EP_ERROR.
 */
static int
socks_fail_below(struct endpoint *ep, const char *name)
{
	int	saved = errno, code = ep->below->errexit;

	snprintf(ep->errmsg, sizeof(ep->errmsg), "%.100s: %.150s", name,
	    ep->below->errmsg[0] != '\0' ? ep->below->errmsg :
	    strerror(saved));
	ep->errexit = code != 0 ? code : EXIT_CONNECT;
	errno = saved;
	return EP_ERROR;
}

/*
 * Write what is left of buf (*off of len bytes sent) to the layer below.
 * Returns 1 when all is sent, EP_WANT_* or EP_ERROR (errmsg not set).
 */
static int
socks_send(struct endpoint *ep, const unsigned char *buf, size_t len,
    size_t *off)
{
	ssize_t	n;

	while (*off < len) {
		n = ep->below->ops->write(ep->below, buf + *off, len - *off);
		if (n < 0)
			return (int)n;
		*off += (size_t)n;
	}
	return 1;
}

/*
 * Read from the layer below into buf until *have of need bytes are
 * there, never more. Returns 1 when they are, 0 at end of input, EP_WANT_*
 * or EP_ERROR (errmsg not set).
 */
static int
socks_recv(struct endpoint *ep, unsigned char *buf, size_t need,
    size_t *have)
{
	ssize_t	n;

	while (*have < need) {
		n = ep->below->ops->read(ep->below, buf + *have, need - *have);
		if (n <= 0)
			return (int)n;
		*have += (size_t)n;
	}
	return 1;
}

/* Queue message m (len bytes) to send, then go to state next. */
static void
socks_client_queue(struct socks_client *c, const unsigned char *m,
    size_t len, int next)
{
	memcpy(c->out, m, len);
	c->olen = len;
	c->ooff = 0;
	c->state = SC_SEND;
	c->next = next;
}

/* The proxy chose method m: go on with it. Returns 0 or EP_ERROR. */
static int
socks_client_method(struct endpoint *ep, struct socks_client *c)
{
	if (c->in[0] != SOCKS5_VERSION)
		return socks_fail(ep, c->label, "not a SOCKS5 proxy (its "
		    "answer starts with 0x%02x)", c->in[0]);
	switch (c->in[1]) {
	case SOCKS5_NOAUTH:
		socks_client_queue(c, c->req, c->reqlen, SC_REPLY);
		return 0;
	case SOCKS5_USERPASS:
		if (c->credlen == 0)
			return socks_fail(ep, c->label, "the proxy wants a user "
			    "and password (socks5://USER:PASS@...)");
		socks_client_queue(c, c->cred, c->credlen, SC_AUTH);
		return 0;
	case SOCKS5_NOMETHOD:
		return socks_fail(ep, c->label, "no acceptable authentication "
		    "method%s", c->credlen == 0 ? " (it may want a user and "
		    "password)" : "");
	default:
		return socks_fail(ep, c->label, "it chose method 0x%02x, which "
		    "was not offered", c->in[1]);
	}
}

/*
 * One step of a SOCKS client handshake (the layer's handshake op): the
 * greeting and method choice (SOCKS5), the RFC 1929 sub-negotiation when
 * the proxy asks for it, then CONNECT and its reply. Returns 0 when the
 * tunnel stands (the layer is then spent), EP_WANT_*, or EP_ERROR with
 * "proxy H:P: reason" in ep->errmsg and EXIT_CONNECT (the reply code by
 * name, e.g. "connection refused by destination (SOCKS5 reply 5)").
 */
static int
socks_client_step(struct endpoint *ep)
{
	struct socks_client	*c = ep->ctx;
	struct socks_reply	 rep;
	int			 r, v;

	for (;;) {
		switch (c->state) {
		case SC_SEND:
			r = socks_send(ep, c->out, c->olen, &c->ooff);
			if (r != 1)
				return r == EP_ERROR ?
				    socks_fail_below(ep, c->label) : r;
			c->state = c->next;
			c->ilen = 0;
			c->need = c->state == SC_REPLY ? (c->version == 4 ?
			    8 : 5) : 2;
			break;
		case SC_METHOD:
		case SC_AUTH:
			r = socks_recv(ep, c->in, c->need, &c->ilen);
			if (r == 0)
				return socks_fail(ep, c->label, "connection "
				    "closed during the SOCKS5 handshake");
			if (r != 1)
				return r == EP_ERROR ?
				    socks_fail_below(ep, c->label) : r;
			if (c->state == SC_METHOD) {
				if (socks_client_method(ep, c) != 0)
					return EP_ERROR;
				break;
			}
			if (c->in[1] != 0)
				return socks_fail(ep, c->label, "user name or "
				    "password rejected (RFC 1929 status %d)",
				    c->in[1]);
			socks_client_queue(c, c->req, c->reqlen, SC_REPLY);
			break;
		case SC_REPLY:
			r = socks_recv(ep, c->in, c->need, &c->ilen);
			v = socks_reply_parse(c->version, c->in, c->ilen,
			    &c->need, &rep);
			if (r == 0 && v != -1 && c->ilen >= 2 && c->in[1] !=
			    (c->version == 4 ? SOCKS4_GRANTED : 0)) {
				/* A short refusal still says why. */
				v = 1;
				rep.code = c->in[1];
			} else if (r == 0)
				return socks_fail(ep, c->label, "connection "
				    "closed before the reply to CONNECT %s",
				    c->target);
			else if (r != 1)
				return r == EP_ERROR ?
				    socks_fail_below(ep, c->label) : r;
			if (v == -1)
				return socks_fail(ep, c->label, "not a "
				    "SOCKS%d reply", c->version);
			if (v == 0)
				break;		/* read the rest */
			if (rep.code != (c->version == 4 ? SOCKS4_GRANTED : 0))
				return socks_fail(ep, c->label, "%s: %s "
				    "(SOCKS%d reply %d)", c->target,
				    socks_reply_name(c->version, rep.code),
				    c->version, rep.code);
			log_verbose(1, "%s: SOCKS%d tunnel to %s", c->label,
			    c->version, c->target);
			/* Nothing held: leave the stack (layer.c). */
			ep->ops = &socks_client_ops;
			free(c);
			ep->ctx = NULL;
			ep->spent = 1;
			return 0;
		}
	}
}

/*
 * Resolve host here for a SOCKS4 or SOCKS5 request (the proxy gets the
 * address): the first address of the family (AF_INET for SOCKS4, else
 * the address's -4/-6) into ss. Blocks in getaddrinfo(3), at attach time.
 * Returns 0, or EXIT_RESOLVE after "sockcat: ADDR: proxy H:P: HOST: why".
 */
static int
socks_resolve(const struct addr *a, const char *label, const char *host,
    int family, struct sockaddr_storage *ss)
{
	struct addrinfo	hints, *res;
	int		error;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if ((error = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		warnx("%s: %s: %s: %s", a->text, label, host,
		    error == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(error));
		return EXIT_RESOLVE;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/*
 * Build the CONNECT request of c for host:port (SOCKS4: the IPv4 address;
 * SOCKS4a: the name after DSTIP 0.0.0.1; SOCKS5: ATYP and address, the
 * name for socks5h), and the greeting and RFC 1929 request. Returns 0, or
 * an EXIT_* status after a message.
 */
static int
socks_client_build(struct socks_client *c, const struct addr *a,
    const struct proxy_hop *h, const char *host, unsigned port)
{
	struct sockaddr_storage	 ss;
	struct in_addr		 in4;
	struct in6_addr		 in6;
	unsigned char		*q = c->req, greet[4];
	size_t			 n, ulen, plen;
	int			 r, named = 0;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &in4) == 1) {
		ss.ss_family = AF_INET;
		memcpy(&((struct sockaddr_in *)&ss)->sin_addr, &in4, 4);
	} else if (inet_pton(AF_INET6, host, &in6) == 1) {
		ss.ss_family = AF_INET6;
		memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, &in6, 16);
	} else if (h->scheme == PROXY_SOCKS4A || h->scheme == PROXY_SOCKS5H)
		named = 1;
	else if ((r = socks_resolve(a, c->label, host, h->scheme ==
	    PROXY_SOCKS4 ? AF_INET : inet_family(a), &ss)) != 0)
		return r;
	n = strlen(host);
	if (c->version == 4 && !named && ss.ss_family != AF_INET) {
		/* proxy_check() refuses IPv6 literals; a name may get here. */
		warnx("%s: %s: %s: SOCKS4 carries IPv4 addresses only",
		    a->text, c->label, host);
		return EXIT_RESOLVE;
	}
	if (c->version == 4) {
		*q++ = SOCKS4_VERSION;
		*q++ = SOCKS4_CONNECT;
		*q++ = (unsigned char)(port >> 8);
		*q++ = (unsigned char)port;
		if (named) {
			memcpy(q, "\0\0\0\1", 4);	/* 0.0.0.1: a name */
		} else
			memcpy(q, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		q += 4;
		ulen = h->auth ? strlen(h->user) : 0;
		memcpy(q, h->user, ulen + 1);
		q += ulen + 1;
		if (named) {
			memcpy(q, host, n + 1);
			q += n + 1;
		}
		c->reqlen = (size_t)(q - c->req);
		socks_client_queue(c, c->req, c->reqlen, SC_REPLY);
		return 0;
	}
	*q++ = SOCKS5_VERSION;
	*q++ = SOCKS5_CONNECT;
	*q++ = 0;
	if (named) {
		*q++ = SOCKS5_DOMAIN;
		*q++ = (unsigned char)n;
		memcpy(q, host, n);
		q += n;
	} else if (ss.ss_family == AF_INET) {
		*q++ = SOCKS5_IPV4;
		memcpy(q, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		q += 4;
	} else {
		*q++ = SOCKS5_IPV6;
		memcpy(q, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		q += 16;
	}
	*q++ = (unsigned char)(port >> 8);
	*q++ = (unsigned char)port;
	c->reqlen = (size_t)(q - c->req);
	/* Offer user/password only with credentials (RFC 1928 section 3). */
	greet[0] = SOCKS5_VERSION;
	greet[1] = h->auth ? 2 : 1;
	greet[2] = SOCKS5_NOAUTH;
	greet[3] = SOCKS5_USERPASS;
	if (h->auth) {
		ulen = strlen(h->user);
		plen = strlen(h->pass);
		c->cred[0] = SOCKS5_AUTH_VERSION;
		c->cred[1] = (unsigned char)ulen;
		memcpy(c->cred + 2, h->user, ulen);
		c->cred[2 + ulen] = (unsigned char)plen;
		memcpy(c->cred + 3 + ulen, h->pass, plen);
		c->credlen = 3 + ulen + plen;
	}
	socks_client_queue(c, greet, h->auth ? 4 : 3, SC_METHOD);
	return 0;
}

/*
 * Put a SOCKS client layer for hop h on ep: through the proxy h (reached
 * through ep), a tunnel to host:port. socks4 and socks5 resolve host here
 * (now), socks4a and socks5h send the name. deadline (now_ms clock, or
 * -1) bounds its handshake. The handshake runs later (layer_handshake()).
 * Credentials: the SOCKS4 user id, or RFC 1929 user and password,
 * offered only when given. Returns 0, or EXIT_RESOLVE after a message.
 */
int
socks_attach(struct endpoint *ep, const struct addr *a,
    const struct proxy_hop *h, const char *host, unsigned port,
    long deadline)
{
	struct socks_client	*c;
	int			 r;

	c = xcalloc(1, sizeof(*c));
	c->version = h->scheme == PROXY_SOCKS4 || h->scheme == PROXY_SOCKS4A ?
	    4 : 5;
	proxy_hop_label(h, c->label, sizeof(c->label));
	proxy_hostport(host, port, c->target, sizeof(c->target));
	snprintf(c->name, sizeof(c->name), "%s: %s handshake", c->label,
	    proxy_scheme_name(h->scheme));
	if ((r = socks_client_build(c, a, h, host, port)) != 0) {
		free(c);
		return r;
	}
	c->ops = socks_client_ops;
	c->ops.name = c->name;
	layer_push(ep, &c->ops, c);
	ep->errexit = EXIT_CONNECT;
	ep->deadline = deadline;
	return 0;
}

/* ---- server (socks5-listen) ----------------------------------------- */

/* Queue reply m (len bytes), then go to state next. */
static void
socks_server_queue(struct socks_server *s, const unsigned char *m,
    size_t len, int next)
{
	memcpy(s->out, m, len);
	s->olen = len;
	s->ooff = 0;
	s->state = SS_SEND;
	s->next = next;
}

/* Answer a failed request with REP code (RFC 1928 section 6), then fail. */
static void __printflike(3, 4)
socks_server_refuse(struct socks_server *s, int code, const char *fmt, ...)
{
	unsigned char	rep[10] = { SOCKS5_VERSION, 0, 0, SOCKS5_IPV4 };
	va_list		ap;

	rep[1] = (unsigned char)code;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	socks_server_queue(s, rep, sizeof(rep), SS_FAIL);
}

/* Compare two secrets in a time that does not show where they differ. */
static int
socks_secret_eq(const char *a, const char *b)
{
	size_t		la = strlen(a), lb = strlen(b), i;
	unsigned	d = la != lb;

	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

/* The client's methods are in: choose one (RFC 1928 section 3). */
static void
socks_server_greeting(struct socks_server *s)
{
	unsigned char	ans[2] = { SOCKS5_VERSION, SOCKS5_NOMETHOD };
	int		want = s->auth ? SOCKS5_USERPASS : SOCKS5_NOAUTH;

	if (memchr(s->in + 2, want, s->in[1]) != NULL)
		ans[1] = (unsigned char)want;
	if (ans[1] == SOCKS5_NOMETHOD) {
		snprintf(s->reason, sizeof(s->reason), "client %.60s offers no "
		    "%s", s->client, s->auth ? "user and password (RFC 1929)" :
		    "method without authentication");
		socks_server_queue(s, ans, 2, SS_FAIL);
		return;
	}
	socks_server_queue(s, ans, 2, s->auth ? SS_AUTH : SS_REQUEST);
}

/* The RFC 1929 request is in (s->in): check it and answer. */
static void
socks_server_login(struct socks_server *s)
{
	unsigned char	ans[2] = { SOCKS5_AUTH_VERSION, 1 };
	char		user[PROXY_CREDMAX], pass[PROXY_CREDMAX];
	size_t		ulen = s->in[1], plen = s->in[2 + ulen];
	int		ok;

	memcpy(user, s->in + 2, ulen);
	user[ulen] = '\0';
	memcpy(pass, s->in + 3 + ulen, plen);
	pass[plen] = '\0';
	/* Both compared, whatever the first gives. */
	ok = socks_secret_eq(user, s->user);
	ok &= socks_secret_eq(pass, s->pass);
	explicit_bzero(pass, sizeof(pass));
	if (ok) {
		ans[1] = 0;
		socks_server_queue(s, ans, 2, SS_REQUEST);
		return;
	}
	snprintf(s->reason, sizeof(s->reason), "client %.60s: user name or "
	    "password rejected", s->client);
	socks_server_queue(s, ans, 2, SS_FAIL);
}

/*
 * The request is in: check it, and ask for its target to be opened
 * (EP_WANT_PEER with ep->target "tcp:HOST:PORT"); or answer a failure.
 * Returns EP_WANT_PEER, or 0 to go on (a reply queued).
 */
static int
socks_server_request(struct endpoint *ep, struct socks_server *s)
{
	struct socks_reply	r;
	char			host[PROXY_HOSTMAX];
	size_t			need;

	(void)socks_request_parse(s->in, s->ilen, &need, &r);
	if (r.code != SOCKS5_CONNECT) {
		socks_server_refuse(s, 7, "client %s: command %d not supported "
		    "(only CONNECT)", s->client, r.code);
		return 0;
	}
	if (r.atyp == SOCKS5_DOMAIN) {
		memcpy(host, r.addr, r.addrlen);
		host[r.addrlen] = '\0';
		if (!proxy_host_valid(host, r.addrlen)) {
			socks_server_refuse(s, 4, "client %s: bad host name",
			    s->client);
			return 0;
		}
	} else
		inet_ntop(r.atyp == SOCKS5_IPV4 ? AF_INET : AF_INET6, r.addr,
		    host, sizeof(host));
	if (r.port == 0) {
		socks_server_refuse(s, 4, "client %s: port 0", s->client);
		return 0;
	}
	proxy_hostport(host, r.port, s->what, sizeof(s->what));
	snprintf(s->target, sizeof(s->target), "tcp:%s", s->what);
	log_verbose(1, "SOCKS5 client %s asks for %s", s->client, s->what);
	s->state = SS_PEER;
	ep->target = s->target;
	return EP_WANT_PEER;
}

/*
 * The SOCKS5 reply code for a target that could not be opened: status
 * (EXIT_*) and the errno of the connect.
 */
static int
socks_server_code(int status, int error)
{
	if (status == EXIT_RESOLVE)
		return 4;
	if (status != EXIT_CONNECT)
		return 1;
	switch (error) {
	case ECONNREFUSED:
		return 5;
	case ENETUNREACH:
		return 3;
	case EHOSTUNREACH:
	case ETIMEDOUT:
		return 4;
	default:
		return 1;
	}
}

/*
 * peer_done op: the target is open (answer success with the address the
 * connection was made from) or not (answer why).
 */
static void
socks_server_peer(struct endpoint *ep, int status, int error,
    const struct endpoint *peer)
{
	struct socks_server	*s = ep->ctx;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	unsigned char		 rep[22] = { SOCKS5_VERSION, 0, 0, SOCKS5_IPV4 };
	size_t			 n = 10;
	int			 code;

	ep->deadline = now_ms() + SOCKS_SERVER_TIMEOUT;
	if (status != 0) {
		code = socks_server_code(status, error);
		s->errexit = status;
		socks_server_refuse(s, code, "client %s: %s: %s (SOCKS5 reply "
		    "%d)", s->client, s->what, socks_reply_name(5, code), code);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	if (getsockname(peer->wfd, (struct sockaddr *)&ss, &len) == 0 &&
	    ss.ss_family == AF_INET6) {
		rep[3] = SOCKS5_IPV6;
		memcpy(rep + 4, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		memcpy(rep + 20, &((struct sockaddr_in6 *)&ss)->sin6_port, 2);
		n = 22;
	} else if (ss.ss_family == AF_INET) {
		memcpy(rep + 4, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		memcpy(rep + 8, &((struct sockaddr_in *)&ss)->sin_port, 2);
	}
	socks_server_queue(s, rep, n, SS_DONE);
}

/* How many bytes of the message being read are needed in all. */
static size_t
socks_server_need(const struct socks_server *s)
{
	size_t	need;

	switch (s->state) {
	case SS_GREETING:
		return s->ilen < 2 ? 2 : 2 + (size_t)s->in[1];
	case SS_AUTH:
		if (s->ilen < 2)
			return 2;
		if (s->ilen < 3 + (size_t)s->in[1])
			return 3 + (size_t)s->in[1];
		return 3 + (size_t)s->in[1] + s->in[2 + s->in[1]];
	default:
		(void)socks_request_parse(s->in, s->ilen, &need,
		    &(struct socks_reply){ 0 });
		return need;
	}
}

/*
 * One step of the SOCKS5 server handshake (RFC 1928, RFC 1929 with auth=):
 * method, login, request; then EP_WANT_PEER for the target, and the reply
 * once it is open (peer_done). Returns 0 when the tunnel stands (the
 * layer is spent), EP_WANT_*, EP_WANT_PEER, or EP_ERROR with the reason
 * ("client ADDR: ...").
 */
static int
socks_server_step(struct endpoint *ep)
{
	struct socks_server	*s = ep->ctx;
	struct socks_reply	 r;
	size_t			 need;
	int			 v;

	for (;;) {
		switch (s->state) {
		case SS_GREETING:
		case SS_AUTH:
		case SS_REQUEST:
			need = socks_server_need(s);
			v = socks_recv(ep, s->in, need, &s->ilen);
			if (v == 0) {
				snprintf(ep->errmsg, sizeof(ep->errmsg),
				    "client %s: closed during the SOCKS5 "
				    "handshake", s->client);
				return EP_ERROR;
			}
			if (v != 1)
				return v;
			if (s->ilen < socks_server_need(s))
				break;		/* the length says: more */
			if (s->in[0] != (s->state == SS_AUTH ?
			    SOCKS5_AUTH_VERSION : SOCKS5_VERSION)) {
				snprintf(ep->errmsg, sizeof(ep->errmsg),
				    "client %s: not a SOCKS5 client (first "
				    "byte 0x%02x)", s->client, s->in[0]);
				return EP_ERROR;
			}
			if (s->state == SS_REQUEST &&
			    socks_request_parse(s->in, s->ilen, &need, &r) ==
			    -2) {
				socks_server_refuse(s, 8, "client %s: address "
				    "type %d not supported", s->client,
				    s->in[3]);
				break;
			}
			if (s->state == SS_GREETING)
				socks_server_greeting(s);
			else if (s->state == SS_AUTH)
				socks_server_login(s);
			else if (socks_server_request(ep, s) == EP_WANT_PEER)
				return EP_WANT_PEER;
			s->ilen = 0;
			break;
		case SS_PEER:
			ep->target = s->target;
			return EP_WANT_PEER;
		case SS_SEND:
			v = socks_send(ep, s->out, s->olen, &s->ooff);
			if (v != 1)
				return v;
			s->state = s->next;
			s->ilen = 0;
			break;
		case SS_DONE:
			log_verbose(1, "SOCKS5 client %s: tunnel to %s",
			    s->client, s->what);
			explicit_bzero(s, sizeof(*s));
			free(s);
			ep->ctx = NULL;
			ep->spent = 1;
			return 0;
		case SS_FAIL:
			snprintf(ep->errmsg, sizeof(ep->errmsg), "%s",
			    s->reason);
			ep->errexit = s->errexit != 0 ? s->errexit :
			    EXIT_RUNTIME;
			return EP_ERROR;
		}
	}
}

/*
 * Put the SOCKS5 server layer of socks5-listen (address a) on the
 * accepted endpoint ep: CONNECT requests for IPv4, IPv6 and names, no
 * authentication or RFC 1929 user/password (auth=USER:PASS). The client
 * has SOCKS_SERVER_TIMEOUT ms to ask. Returns 0.
 */
int
socks_server_attach(struct endpoint *ep, const struct addr *a)
{
	struct socks_server	*s;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	const char		*colon;

	s = xcalloc(1, sizeof(*s));
	s->state = SS_GREETING;
	if (opts_isset(&a->opts, OPT_AUTH)) {
		colon = strchr(a->opts.auth, ':');
		s->auth = 1;
		snprintf(s->user, sizeof(s->user), "%.*s",
		    (int)(colon - a->opts.auth), a->opts.auth);
		snprintf(s->pass, sizeof(s->pass), "%s", colon + 1);
	}
	if (getpeername(ep->rfd, (struct sockaddr *)&ss, &len) == 0)
		log_sockaddr((struct sockaddr *)&ss, len, s->client,
		    sizeof(s->client));
	else
		snprintf(s->client, sizeof(s->client), "?");
	layer_push(ep, &socks_server_ops, s);
	ep->deadline = now_ms() + SOCKS_SERVER_TIMEOUT;
	return 0;
}
