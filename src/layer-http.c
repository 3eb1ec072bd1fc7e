/* layer-http.c: HTTP CONNECT tunnels (RFC 9110 9.3.6), client and server. */
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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

/*
 * As curl's lib/cf-h1-proxy.c: a request, a response read and parsed by
 * lines, then a transparent tunnel. The response head is read up to its
 * empty line and not a byte further: on a socket by peeking (MSG_PEEK)
 * and taking exactly the head, over another layer (TLS to an https
 * proxy) a byte at a time from that layer's buffer. So what a proxy sends
 * after its response stays below, and the finished layer leaves the stack.
 */

/* Longest response or request head, bytes. */
#define HTTP_HEADMAX		8192
/* A server gives its client this long to ask, ms. */
#define HTTP_SERVER_TIMEOUT	30000
/* Result of http_read_head() for a head longer than HTTP_HEADMAX. */
#define HTTP_TOOLONG		(-10)

/* States of the client. */
enum http_cstate {
	HC_TLS,			/* the TLS handshake below (https proxy) */
	HC_SEND,		/* write the request */
	HC_HEAD			/* read the response head */
};

/* A CONNECT client layer: one hop of a chain (ep->ctx). */
struct http_client {
	struct ep_ops	 ops;		/* http_client_ops, named for the hop */
	char		 name[PROXY_HOSTMAX + 48];
	char		 label[PROXY_HOSTMAX + 16];	/* "proxy H:P" */
	char		 target[PROXY_HOSTMAX + 16];	/* "HOST:PORT" */
	int		 state;
	char		 out[2048];	/* the request */
	size_t		 olen, ooff;
	char		 in[HTTP_HEADMAX];
	size_t		 ilen;
};

/* States of the server. */
enum http_sstate {
	HS_HEAD,		/* read the request head */
	HS_PEER,		/* its target is being opened */
	HS_SEND,		/* write the response, then `next` */
	HS_DONE,
	HS_FAIL
};

/* The HTTP proxy server layer of one client (ep->ctx). */
struct http_server {
	int		 state, next;
	char		 in[HTTP_HEADMAX];
	size_t		 ilen;
	char		 out[512];
	size_t		 olen, ooff;
	char		 expect[PROXY_CREDMAX * 3]; /* base64 of auth=, or "" */
	char		 client[64];
	char		 what[PROXY_HOSTMAX + 16];	/* "HOST:PORT" */
	char		 target[PROXY_HOSTMAX + 32];	/* "tcp:HOST:PORT" */
	char		 reason[200];
	int		 errexit;
};

static int	http_client_step(struct endpoint *);
static int	http_server_step(struct endpoint *);
static void	http_close(struct endpoint *);
static void	http_server_peer(struct endpoint *, int, int,
		    const struct endpoint *);

static const struct ep_ops http_client_ops = {
	.name = "HTTP CONNECT",
	.handshake = http_client_step,
	.read = layer_pass_read,
	.write = layer_pass_write,
	.shutdown_wr = layer_pass_shutdown_wr,
	.pending = layer_pass_pending,
	.close = http_close,
};

static const struct ep_ops http_server_ops = {
	.name = "HTTP CONNECT request",
	.handshake = http_server_step,
	.read = layer_pass_read,
	.write = layer_pass_write,
	.shutdown_wr = layer_pass_shutdown_wr,
	.pending = layer_pass_pending,
	.close = http_close,
	.peer_done = http_server_peer,
};

/*
 * Where the head in buf (len bytes) ends: the offset just past its empty
 * line (CRLF CRLF, or bare LF LF as RFC 9112 section 2.2 lets a recipient
 * accept), searching from about `from` (what was already searched). Pure.
 * Returns the offset, or -1 when the head is not complete.
 */
ssize_t
http_head_end(const char *buf, size_t len, size_t from)
{
	size_t	i;

	for (i = from > 3 ? from - 3 : 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return (ssize_t)(i + 2);
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return (ssize_t)(i + 3);
	}
	return -1;
}

/* Copy the printable bytes of s (len) into out (outlen), others as '?'. */
static void
http_printable(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	i;

	if (outlen == 0)
		return;
	if (len >= outlen)
		len = outlen - 1;
	for (i = 0; i < len; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[len] = '\0';
}

/* The end of the line that starts at p (before end): its '\n' or end. */
static const char *
http_eol(const char *p, const char *end)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

/*
 * Parse the status line of a response head (len bytes at buf):
 * "HTTP/1.x SSS [reason]" (RFC 9112 section 4). Pure. Fills h->status,
 * h->minor and h->reason (printable, cut). Returns 0, or -1 when it is
 * not an HTTP/1 status line.
 */
int
http_response_parse(const char *buf, size_t len, struct http_head *h)
{
	const char	*end = buf + len, *eol, *p;
	size_t		 n;

	memset(h, 0, sizeof(*h));
	eol = http_eol(buf, end);
	n = (size_t)(eol - buf);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[7] < '0' ||
	    buf[7] > '9' || buf[8] != ' ')
		return -1;
	h->minor = buf[7] - '0';
	p = buf + 9;
	if (p[0] < '1' || p[0] > '9' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9' || (n > 12 && p[3] != ' '))
		return -1;
	h->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (n > 13)
		http_printable(p + 4, n - 13, h->reason, sizeof(h->reason));
	return 0;
}

/*
 * Parse a request head (len bytes at buf): "METHOD SP TARGET SP
 * HTTP/1.x", then header lines, of which Proxy-Authorization is kept
 * (RFC 9110 section 11.7.2). Pure. Fills h->method, h->target, h->minor
 * and h->auth. Returns 0, or -1 when it is not an HTTP/1 request.
 */
int
http_request_parse(const char *buf, size_t len, struct http_head *h)
{
	const char	*end = buf + len, *eol, *p, *sp1, *sp2, *v;
	size_t		 n;

	memset(h, 0, sizeof(*h));
	eol = http_eol(buf, end);
	n = (size_t)(eol - buf);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if ((sp1 = memchr(buf, ' ', n)) == NULL || sp1 == buf ||
	    (size_t)(sp1 - buf) >= sizeof(h->method))
		return -1;
	if ((sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - buf))) ==
	    NULL || sp2 == sp1 + 1 ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof(h->target))
		return -1;
	if ((size_t)(buf + n - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.",
	    7) != 0 || sp2[8] < '0' || sp2[8] > '9')
		return -1;
	/* Method and target: visible characters only (RFC 9110 5.6.2). */
	for (p = buf; p < sp2; p++)
		if (p != sp1 && (*p <= 0x20 || *p >= 0x7f))
			return -1;
	memcpy(h->method, buf, (size_t)(sp1 - buf));
	memcpy(h->target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	h->minor = sp2[8] - '0';
	for (p = eol < end ? eol + 1 : end; p < end; p = eol + 1) {
		eol = http_eol(p, end);
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 20 && strncasecmp(p, "Proxy-Authorization:", 20) ==
		    0) {
			for (v = p + 20; v < p + n && (*v == ' ' ||
			    *v == '\t'); v++)
				;
			n -= (size_t)(v - p);
			while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
			if (n < sizeof(h->auth)) {
				memcpy(h->auth, v, n);
				h->auth[n] = '\0';
			}
		}
		if (eol == end)
			break;
	}
	return 0;
}

/*
 * Read a head from the layer below ep into buf (*len bytes so far, at
 * most max), up to and including its empty line, never a byte further.
 * Returns 1 when it is complete (*len is its length), 0 at end of input,
 * EP_WANT_*, EP_ERROR, or HTTP_TOOLONG.
 */
static int
http_read_head(struct endpoint *ep, char *buf, size_t *len, size_t max)
{
	struct endpoint	*b = ep->below;
	ssize_t		 n, end;
	size_t		 take;
	int		 peek;

	/* A plain socket right below: peek, then take just the head. */
	peek = b->below == NULL && b->ops == &fd_ops &&
	    (b->flags & EP_SOCKET);
	for (;;) {
		if (*len >= max)
			return HTTP_TOOLONG;
		if (!peek) {
			n = b->ops->read(b, buf + *len, 1);
			if (n <= 0)
				return (int)n;
			*len += 1;
			if (http_head_end(buf, *len, *len - 1) >= 0)
				return 1;
			continue;
		}
		n = recv(b->rfd, buf + *len, max - *len, MSG_PEEK |
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN || errno == EWOULDBLOCK ?
			    EP_WANT_READ : EP_ERROR;
		if (n == 0)
			return 0;
		end = http_head_end(buf, *len + (size_t)n, *len);
		take = end >= 0 ? (size_t)end - *len : (size_t)n;
		do
			n = recv(b->rfd, buf + *len, take, MSG_DONTWAIT);
		while (n == -1 && errno == EINTR);
		if (n <= 0)
			return n == 0 ? 0 : EP_ERROR;
		*len += (size_t)n;
		if (end >= 0 && *len == (size_t)end)
			return 1;
	}
}

/* ---- closing (data goes through layer_pass_*) ------------------------ */

static void
http_close(struct endpoint *ep)
{
	if (ep->ctx != NULL)
		explicit_bzero(ep->ctx, ep->ops->handshake == http_client_step ?
		    sizeof(struct http_client) : sizeof(struct http_server));
	free(ep->ctx);
	ep->ctx = NULL;
	layer_close_below(ep);
}

/*
 * Write what is left of buf (*off of len bytes) to the layer below.
 * Returns 1 when all is sent, EP_WANT_* or EP_ERROR.
 */
static int
http_send(struct endpoint *ep, const char *buf, size_t len, size_t *off)
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

/* ---- client ---------------------------------------------------------- */

/* Fail: "proxy H:P: why" in ep->errmsg, exit status code. EP_ERROR. */
static int __printflike(4, 5)
http_fail(struct endpoint *ep, struct http_client *c, int code,
    const char *fmt, ...)
{
	char	why[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ep->errmsg, sizeof(ep->errmsg), "%.100s: %.150s", c->label,
	    why);
	ep->errexit = code;
	return EP_ERROR;
}

/* A read or write below failed: name the hop, keep the reason. */
static int
http_fail_below(struct endpoint *ep, struct http_client *c)
{
	int	saved = errno, code = ep->below->errexit;

	http_fail(ep, c, code != 0 ? code : EXIT_CONNECT, "%s",
	    ep->below->errmsg[0] != '\0' ? ep->below->errmsg :
	    strerror(saved));
	errno = saved;
	return EP_ERROR;
}

/* The response head is in: a 2xx opens the tunnel (RFC 9110 15.3). */
static int
http_client_head(struct endpoint *ep, struct http_client *c)
{
	struct http_head	h;

	if (http_response_parse(c->in, c->ilen, &h) == -1)
		return http_fail(ep, c, EXIT_CONNECT, "not an HTTP response "
		    "to CONNECT");
	if (h.status >= 100 && h.status < 200) {
		c->ilen = 0;		/* interim: the final one follows */
		return EP_WANT_READ;
	}
	if (h.status < 200 || h.status > 299)
		return http_fail(ep, c, EXIT_CONNECT, "CONNECT %s: %d%s%s",
		    c->target, h.status, h.reason[0] != '\0' ? " " : "",
		    h.reason);
	log_verbose(1, "%s: HTTP CONNECT tunnel to %s (%d %s)", c->label,
	    c->target, h.status, h.reason);
	ep->ops = &http_client_ops;
	explicit_bzero(c, sizeof(*c));
	free(c);
	ep->ctx = NULL;
	ep->spent = 1;
	return 0;
}

/*
 * One step of the CONNECT client (the handshake op): for an https proxy
 * the TLS handshake below first (this layer drives it, so its failure
 * names the hop), then the request, then the response head. Returns 0
 * when the tunnel stands (the layer is then spent), EP_WANT_*, or
 * EP_ERROR with "proxy H:P: reason": "CONNECT HOST:PORT: 407 Proxy
 * Authentication Required" (EXIT_CONNECT), a TLS failure (EXIT_TLS).
 */
static int
http_client_step(struct endpoint *ep)
{
	struct http_client	*c = ep->ctx;
	int			 r;

	for (;;) {
		switch (c->state) {
		case HC_TLS:
			r = ep->below->ops->handshake(ep->below);
			if (r == EP_ERROR)
				return http_fail(ep, c, EXIT_TLS, "%s",
				    ep->below->errmsg[0] != '\0' ?
				    ep->below->errmsg : strerror(errno));
			if (r != 0)
				return r;
			c->state = HC_SEND;
			break;
		case HC_SEND:
			r = http_send(ep, c->out, c->olen, &c->ooff);
			if (r == EP_ERROR)
				return http_fail_below(ep, c);
			if (r != 1)
				return r;
			c->state = HC_HEAD;
			break;
		case HC_HEAD:
			r = http_read_head(ep, c->in, &c->ilen, sizeof(c->in));
			if (r == 0)
				return http_fail(ep, c, EXIT_CONNECT, "connection "
				    "closed before the response to CONNECT %s",
				    c->target);
			if (r == HTTP_TOOLONG)
				return http_fail(ep, c, EXIT_CONNECT, "response "
				    "head longer than %d bytes", HTTP_HEADMAX);
			if (r == EP_ERROR)
				return http_fail_below(ep, c);
			if (r != 1)
				return r;
			if ((r = http_client_head(ep, c)) != EP_WANT_READ)
				return r;
			break;
		}
	}
}

/*
 * Put an HTTP CONNECT client layer for hop h on ep: through the proxy h
 * (reached through ep; over_tls: through the TLS layer just put on ep for
 * an https proxy, whose handshake this layer then drives), a tunnel to
 * host:port. Basic credentials (RFC 7617) when the hop has them. deadline
 * (now_ms clock, or -1) bounds the handshake. Returns 0.
 */
int
http_connect_attach(struct endpoint *ep, const struct addr *a __unused,
    const struct proxy_hop *h, const char *host, unsigned port,
    long deadline, int over_tls)
{
	struct http_client	*c;
	char			 cred[PROXY_CREDMAX * 2], b64[PROXY_CREDMAX * 3];
	char			 authline[PROXY_CREDMAX * 3 + 40];
	int			 n;

	c = xcalloc(1, sizeof(*c));
	proxy_hop_label(h, c->label, sizeof(c->label));
	proxy_hostport(host, port, c->target, sizeof(c->target));
	snprintf(c->name, sizeof(c->name), "%s: %s CONNECT", c->label,
	    proxy_scheme_name(h->scheme));
	authline[0] = '\0';
	if (h->auth) {
		n = snprintf(cred, sizeof(cred), "%s:%s", h->user, h->pass);
		proxy_base64((const unsigned char *)cred, (size_t)n, b64,
		    sizeof(b64));
		snprintf(authline, sizeof(authline), "Proxy-Authorization: "
		    "Basic %s\r\n", b64);
		explicit_bzero(cred, sizeof(cred));
		explicit_bzero(b64, sizeof(b64));
	}
	n = snprintf(c->out, sizeof(c->out), "CONNECT %s HTTP/1.1\r\n"
	    "Host: %s\r\n%sUser-Agent: sockcat/%s\r\n\r\n", c->target,
	    c->target, authline, PACKAGE_VERSION);
	explicit_bzero(authline, sizeof(authline));
	c->olen = (size_t)n < sizeof(c->out) ? (size_t)n : sizeof(c->out);
	c->state = over_tls ? HC_TLS : HC_SEND;
	c->ops = http_client_ops;
	c->ops.name = c->name;
	layer_push(ep, &c->ops, c);
	ep->errexit = EXIT_CONNECT;
	ep->deadline = deadline;
	return 0;
}

/* ---- server (proxy-listen) ------------------------------------------ */

/* Queue response "HTTP/1.1 CODE REASON" with extra header lines, then
 * fail with the reason (or go on, for 200). */
static void
http_server_respond(struct http_server *s, int code, const char *reason,
    const char *extra)
{
	int	n;

	if (code == 200)
		n = snprintf(s->out, sizeof(s->out), "HTTP/1.1 200 %s\r\n\r\n",
		    reason);
	else
		n = snprintf(s->out, sizeof(s->out), "HTTP/1.1 %d %s\r\n%s"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n", code,
		    reason, extra);
	s->olen = (size_t)n < sizeof(s->out) ? (size_t)n : sizeof(s->out);
	s->ooff = 0;
	s->state = HS_SEND;
	s->next = code == 200 ? HS_DONE : HS_FAIL;
}

/* Refuse with code and reason; why (printf) is logged. */
static void __printflike(5, 6)
http_server_refuse(struct http_server *s, int code, const char *reason,
    const char *extra, const char *fmt, ...)
{
	char	why[160];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(s->reason, sizeof(s->reason), "client %.60s: %.80s: %d %.40s",
	    s->client, why, code, reason);
	http_server_respond(s, code, reason, extra);
}

/* Are the Basic credentials value (a Proxy-Authorization) s's? */
static int
http_server_authorized(const struct http_server *s, const char *value)
{
	const char	*v = value;
	size_t		 la, lb, i;
	unsigned	 d;

	if (strncasecmp(v, "Basic", 5) != 0 || (v[5] != ' ' && v[5] != '\t'))
		return 0;
	for (v += 5; *v == ' ' || *v == '\t'; v++)
		;
	la = strlen(v);
	lb = strlen(s->expect);
	d = la != lb;
	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)v[i] ^ (unsigned char)s->expect[i];
	return d == 0;
}

/*
 * Split the authority-form target "HOST:PORT" or "[V6]:PORT" (RFC 9110
 * section 9.3.6) into host (hostlen bytes) and *port. Returns 0 or -1.
 */
static int
http_server_target(const char *t, char *host, size_t hostlen,
    unsigned *port)
{
	const char	*colon, *h = t;
	struct in6_addr	 in6;
	unsigned long	 v;
	size_t		 n;

	if ((colon = strrchr(t, ':')) == NULL)
		return -1;
	n = (size_t)(colon - t);
	if (n >= 2 && t[0] == '[' && t[n - 1] == ']') {
		h = t + 1;
		n -= 2;
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (h != t ? inet_pton(AF_INET6, host, &in6) != 1 :
	    !proxy_host_valid(host, n))
		return -1;
	if (parse_uint(colon + 1, 1, 65535, &v) == -1)
		return -1;
	*port = (unsigned)v;
	return 0;
}

/*
 * The request head is in: check credentials (407), the method (405:
 * CONNECT only) and the target (400); then ask for the target to be
 * opened. Returns EP_WANT_PEER, or 0 with a refusal queued.
 */
static int
http_server_request(struct endpoint *ep, struct http_server *s)
{
	struct http_head	h;
	char			host[PROXY_HOSTMAX];
	unsigned		port;

	if (http_request_parse(s->in, s->ilen, &h) == -1) {
		http_server_refuse(s, 400, "Bad Request", "", "not an HTTP/1 "
		    "request");
		return 0;
	}
	if (s->expect[0] != '\0' && !http_server_authorized(s, h.auth)) {
		http_server_refuse(s, 407, "Proxy Authentication Required",
		    "Proxy-Authenticate: Basic realm=\"sockcat\"\r\n", "%s",
		    h.auth[0] != '\0' ? "wrong credentials" : "no credentials");
		return 0;
	}
	if (strcmp(h.method, "CONNECT") != 0) {
		http_server_refuse(s, 405, "Method Not Allowed",
		    "Allow: CONNECT\r\n", "method %s", h.method);
		return 0;
	}
	if (http_server_target(h.target, host, sizeof(host), &port) == -1) {
		http_server_refuse(s, 400, "Bad Request", "", "bad target");
		return 0;
	}
	proxy_hostport(host, port, s->what, sizeof(s->what));
	snprintf(s->target, sizeof(s->target), "tcp:%s", s->what);
	log_verbose(1, "HTTP client %s asks for %s", s->client, s->what);
	s->state = HS_PEER;
	ep->target = s->target;
	return EP_WANT_PEER;
}

/* peer_done op: 200 when the target is open, else 502 Bad Gateway. */
static void
http_server_peer(struct endpoint *ep, int status, int error,
    const struct endpoint *peer __unused)
{
	struct http_server	*s = ep->ctx;

	ep->deadline = now_ms() + HTTP_SERVER_TIMEOUT;
	if (status == 0) {
		http_server_respond(s, 200, "Connection established", "");
		return;
	}
	s->errexit = status;
	http_server_refuse(s, 502, "Bad Gateway", "", "%s: %s", s->what,
	    error != 0 ? strerror(error) : "cannot be opened");
}

/*
 * One step of the HTTP proxy server (the handshake op): read the request
 * head, EP_WANT_PEER for its target, then answer. Returns 0 when the
 * tunnel stands (the layer is spent), EP_WANT_*, EP_WANT_PEER, or
 * EP_ERROR with the reason after a refusal was sent.
 */
static int
http_server_step(struct endpoint *ep)
{
	struct http_server	*s = ep->ctx;
	int			 r;

	for (;;) {
		switch (s->state) {
		case HS_HEAD:
			r = http_read_head(ep, s->in, &s->ilen, sizeof(s->in));
			if (r == HTTP_TOOLONG) {
				http_server_refuse(s, 431, "Request Header "
				    "Fields Too Large", "", "request head");
				break;
			}
			if (r == 0) {
				snprintf(ep->errmsg, sizeof(ep->errmsg),
				    "client %s: closed before its request",
				    s->client);
				return EP_ERROR;
			}
			if (r != 1)
				return r;
			if (http_server_request(ep, s) == EP_WANT_PEER)
				return EP_WANT_PEER;
			break;
		case HS_PEER:
			ep->target = s->target;
			return EP_WANT_PEER;
		case HS_SEND:
			r = http_send(ep, s->out, s->olen, &s->ooff);
			if (r != 1)
				return r;
			s->state = s->next;
			break;
		case HS_DONE:
			log_verbose(1, "HTTP client %s: tunnel to %s",
			    s->client, s->what);
			explicit_bzero(s, sizeof(*s));
			free(s);
			ep->ctx = NULL;
			ep->spent = 1;
			return 0;
		case HS_FAIL:
			snprintf(ep->errmsg, sizeof(ep->errmsg), "%s",
			    s->reason);
			ep->errexit = s->errexit != 0 ? s->errexit :
			    EXIT_RUNTIME;
			return EP_ERROR;
		}
	}
}

/*
 * Put the HTTP proxy server layer of proxy-listen (address a) on the
 * accepted endpoint ep: CONNECT only (RFC 9110 9.3.6), Basic credentials
 * required with auth=USER:PASS (RFC 7617: 407 otherwise), 502 when the
 * target cannot be reached. The client has HTTP_SERVER_TIMEOUT ms to ask.
 * Returns 0.
 */
int
http_server_attach(struct endpoint *ep, const struct addr *a)
{
	struct http_server	*s;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);

	s = xcalloc(1, sizeof(*s));
	s->state = HS_HEAD;
	if (opts_isset(&a->opts, OPT_AUTH))
		proxy_base64((const unsigned char *)a->opts.auth,
		    strlen(a->opts.auth), s->expect, sizeof(s->expect));
	if (getpeername(ep->rfd, (struct sockaddr *)&ss, &len) == 0)
		log_sockaddr((struct sockaddr *)&ss, len, s->client,
		    sizeof(s->client));
	else
		snprintf(s->client, sizeof(s->client), "?");
	layer_push(ep, &http_server_ops, s);
	ep->deadline = now_ms() + HTTP_SERVER_TIMEOUT;
	return 0;
}
