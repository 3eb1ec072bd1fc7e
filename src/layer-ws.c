/* layer-ws.c: the WebSocket layer (RFC 6455): handshakes and framing. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

/*
 * A WebSocket connection is one more layer on the stack (layer.c), above
 * TCP or TLS (and any proxy tunnel): its handshake op runs the opening
 * handshake of RFC 6455 section 4 as a non-blocking state machine, and its
 * read and write ops turn the relay's bytes into messages and back (SPEC
 * section 8). The relay never knows it talks WebSocket.
 *
 * Writes: a write becomes one message (binary, or facing a datagram
 * endpoint), or each line one message (text). The frames go to obuf, and
 * the write returns the bytes only once they are all handed to the layer
 * below; until then it returns EP_WANT_WRITE and is called again with the
 * same bytes, so the relay's poll rules see the truth and nothing waits
 * in the layer unseen. Pongs and pings go to cbuf, sent between frames.
 *
 * Reads: frames are taken from ibuf, unmasked into the caller's buffer as
 * they come (a large message streams through, memory stays bounded) with
 * the text checked as UTF-8 on the way; facing a datagram endpoint a
 * message is gathered whole (mbuf) and returned by one read.
 */

/* The GUID of the Sec-WebSocket-Accept computation (section 4.2.2). */
#define WS_GUID			"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* Opcodes (section 5.2). */
#define WS_CONT			0x0
#define WS_TEXT			0x1
#define WS_BINARY		0x2
#define WS_CLOSE		0x8
#define WS_PING			0x9
#define WS_PONG			0xa

/* Close codes (section 7.4.1). */
#define WS_NORMAL		1000
#define WS_GOING_AWAY		1001
#define WS_PROTOCOL		1002
#define WS_BADDATA		1007
#define WS_TOOBIG		1009

/* Input buffer, bytes: one read(2) of the layer below fills it. */
#define WS_IBUF			(128 * 1024)
/*
 * A payload with at least this much to come, and nothing in ibuf, is
 * read straight into the caller's buffer and unmasked there, bytes.
 */
#define WS_DIRECT		(16 * 1024)
/* Longest handshake head (request or response) taken in, bytes. */
#define WS_HEAD_MAX		16384
/* A text line longer than this is sent in fragments, bytes. */
#define WS_FRAG			(64 * 1024)
/* Text lines stop being taken once obuf holds this much, bytes. */
#define WS_OBUF_SOFT		(256 * 1024)
/* Control frames waiting to be sent (pongs, pings), bytes. */
#define WS_CBUF			1024
/* Default max-message=, bytes (SPEC section 8). */
#define WS_MAX_MESSAGE		(16 * 1024 * 1024)
/* Handshake deadlines without connect-timeout=, ms (as tls.c's). */
#define WS_SERVER_TIMEOUT_MS	30000
#define WS_CLIENT_TIMEOUT_MS	60000
/* How long closing waits to send the Close and see the peer's, ms. */
#define WS_LINGER_MS		2000

/* A UTF-8 check state of ws_utf8() that can never become valid. */
#define WS_UTF8_BAD		0xffffffffU

/* Handshake states. */
#define WS_HS_REQUEST		0	/* client: the request is to be built */
#define WS_HS_SEND		1	/* sending the request or the answer */
#define WS_HS_HEAD		2	/* reading the other side's head */
#define WS_HS_OPEN		3	/* messages flow */

/* What taking frames from ibuf came to (ws_consume()). */
#define WS_MORE			0	/* needs more input from below */
#define WS_FULL			1	/* the caller's buffer is full */
#define WS_EOF			2	/* the peer's Close came */
#define WS_FAIL			3	/* the peer broke the protocol */
#define WS_MSG			4	/* a whole message (datagram mode) */

/* A result kept behind data already returned. */
#define WS_KEPT_EOF		1
#define WS_KEPT_ERROR		2

/* Per-endpoint WebSocket state, in ep->ctx. */
struct ws_state {
	const struct addr	*a;
	const struct tls_crypto	*crypto;
	int			 server;	/* accepted, not connected */
	int			 binary;	/* binary mode, else text */
	int			 hs;		/* WS_HS_* */
	int			 reject;	/* HTTP error answered, or 0 */
	char			 rejectline[64]; /* "404 Not Found" */
	char			 rejectwhy[200];
	char			 target[128];	/* the request's path, for -v */
	char			 proto[128];	/* subprotocol agreed, or "" */
	char			 accept[32];	/* expected Sec-WebSocket-Accept */
	size_t			 headlen;	/* bytes of the head in ibuf */
	size_t			 max_message;
	long			 ping_ms;	/* ping= interval, or 0 */
	long			 ping_at;	/* next ping, now_ms() clock */
	uint32_t		 pings;		/* pings sent, their payload */

	/* Input from below, and the frame being taken. */
	unsigned char		*ibuf;
	size_t			 isize, ioff, ilen;
	int			 in_frame;	/* a frame's header was taken */
	int			 fin, op, masked;
	uint64_t		 remain;	/* payload bytes still to come */
	unsigned char		 key[4];	/* its masking key */
	size_t			 maskpos;	/* payload bytes unmasked so far */
	int			 msg_op;	/* WS_TEXT/WS_BINARY, 0 = none */
	uint64_t		 msg_len;	/* bytes of that message so far */
	uint32_t		 utf8;		/* its UTF-8 check state */
	unsigned char		 ctl[125];	/* a control frame's payload */
	size_t			 ctl_len;
	int			 nl_pending;	/* text: a message's newline */
	unsigned char		*mbuf;		/* datagram mode: the message */
	size_t			 mlen, msize;
	int			 more;		/* input read may use without poll */
	int			 kept;		/* WS_KEPT_* */
	int			 kept_errno;

	/* Ending. */
	int			 close_rcvd;	/* the peer's Close came */
	int			 rcvd_code;	/* its code, or -1 */
	int			 close_queued;	/* our Close is in obuf */
	int			 close_sent;	/* and went out */
	int			 shut_below;	/* below's shutdown_wr was called */
	int			 dead;		/* TCP ended without a Close */
	int			 failed;	/* we failed the connection */
	int			 broken;	/* the layer below failed */

	/* Output. */
	unsigned char		*obuf;		/* data frames, the Close */
	size_t			 osize, ooff, olen;
	size_t			 opend;		/* bytes of a write in obuf */
	unsigned char		 cbuf[WS_CBUF];	/* pongs and pings */
	size_t			 coff, clen;
	unsigned char		*lbuf;		/* text: the line so far */
	size_t			 llen, lsize;
	uint32_t		 lutf8;		/* its UTF-8 check state */
	int			 frag_op;	/* its first fragment's opcode */
	int			 frag_warned;
	unsigned char		 rnd[256];	/* masking keys to use */
	size_t			 rndpos;
};

static int	ws_handshake(struct endpoint *);
static ssize_t	ws_read(struct endpoint *, void *, size_t);
static ssize_t	ws_write(struct endpoint *, const void *, size_t);
static int	ws_shutdown_wr(struct endpoint *);
static size_t	ws_pending(struct endpoint *);
static void	ws_close(struct endpoint *);

static const struct ep_ops ws_ops = {
	.name = "WebSocket handshake",
	.handshake = ws_handshake,
	.read = ws_read,
	.write = ws_write,
	.shutdown_wr = ws_shutdown_wr,
	.pending = ws_pending,
	.close = ws_close,
};

/* ---- word-at-a-time helpers ------------------------------------------ */

/*
 * XOR the n bytes at src with the masking key (4 bytes), starting pos
 * bytes into the payload, into dst (which may be src): RFC 6455 section
 * 5.3. Eight bytes at a time: the key repeats every 4, so one 64-bit
 * word of it serves every aligned step.
 */
void
ws_mask(unsigned char *dst, const unsigned char *src, size_t n,
    const unsigned char *key, size_t pos)
{
	unsigned char	k[8];
	uint64_t	m, w0, w1, w2, w3;
	size_t		i;

	for (i = 0; i < 8; i++)
		k[i] = key[(pos + i) & 3];
	memcpy(&m, k, 8);
	for (i = 0; i + 32 <= n; i += 32) {
		memcpy(&w0, src + i, 8);
		memcpy(&w1, src + i + 8, 8);
		memcpy(&w2, src + i + 16, 8);
		memcpy(&w3, src + i + 24, 8);
		w0 ^= m;
		w1 ^= m;
		w2 ^= m;
		w3 ^= m;
		memcpy(dst + i, &w0, 8);
		memcpy(dst + i + 8, &w1, 8);
		memcpy(dst + i + 16, &w2, 8);
		memcpy(dst + i + 24, &w3, 8);
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w0, src + i, 8);
		w0 ^= m;
		memcpy(dst + i, &w0, 8);
	}
	for (; i < n; i++)
		dst[i] = src[i] ^ k[i & 7];
}

/*
 * Go on checking UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) over the n bytes at p, from state st (0 at the
 * start of a message). Runs of ASCII are skipped eight bytes at a time.
 * Returns the new state: 0 when the bytes so far end on a character
 * boundary, WS_UTF8_BAD when they can never be valid, else the state of
 * a character cut short (valid if the rest follows).
 */
uint32_t
ws_utf8(uint32_t st, const unsigned char *p, size_t n)
{
	unsigned	need, lo, hi, c;
	uint64_t	w;
	size_t		i = 0;

	if (st == WS_UTF8_BAD)
		return st;
	need = st & 0xff;
	lo = (st >> 8) & 0xff;
	hi = (st >> 16) & 0xff;
	while (i < n) {
		if (need == 0) {
			while (i + 8 <= n) {
				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i == n)
				break;
			c = p[i++];
			if (c < 0x80)
				continue;
			if (c < 0xc2)
				return WS_UTF8_BAD;
			if (c < 0xe0) {
				need = 1;
				lo = 0x80;
				hi = 0xbf;
			} else if (c < 0xf0) {
				need = 2;
				lo = c == 0xe0 ? 0xa0 : 0x80;
				hi = c == 0xed ? 0x9f : 0xbf;
			} else if (c < 0xf5) {
				need = 3;
				lo = c == 0xf0 ? 0x90 : 0x80;
				hi = c == 0xf4 ? 0x8f : 0xbf;
			} else
				return WS_UTF8_BAD;
		} else {
			c = p[i++];
			if (c < lo || c > hi)
				return WS_UTF8_BAD;
			need--;
			lo = 0x80;
			hi = 0xbf;
		}
	}
	return need == 0 ? 0 : need | lo << 8 | hi << 16;
}

/* ---- HTTP heads: pure parsing and checks (fuzzed) -------------------- */

/* Is c a tchar of RFC 7230 section 3.2.6? */
static int
ws_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Is the NUL-terminated s a token? */
static int
ws_is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!ws_tchar((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * Split the head of an HTTP/1.1 request (response == 0) or response
 * (response == 1) in place into h: head is NUL-terminated and ends with
 * its empty line ("\r\n\r\n"). Lines end in CRLF; header names are
 * tokens with no space before the ':' and values lose their surrounding
 * spaces; folded lines and control bytes are refused (RFC 7230 section
 * 3). A request must be HTTP/1.1 or later with an origin-form target
 * (RFC 6455 section 4.1). Returns 0, or -1 with the reason in why (len
 * bytes).
 */
int
ws_http_parse(char *head, int response, struct ws_http *h, char *why,
    size_t len)
{
	char	*line, *eol, *p, *q, *version;
	size_t	 n;

	memset(h, 0, sizeof(*h));
	line = head;
	if ((eol = strstr(line, "\r\n")) == NULL) {
		snprintf(why, len, "no CRLF after the first line");
		return -1;
	}
	*eol = '\0';
	if (response) {
		if (strncmp(line, "HTTP/1.", 7) != 0 || line[7] < '0' ||
		    line[7] > '9' || line[8] != ' ') {
			snprintf(why, len, "not an HTTP/1.1 status line");
			return -1;
		}
		p = line + 9;
		for (n = 0; n < 3; n++)
			if (p[n] < '0' || p[n] > '9') {
				snprintf(why, len, "bad status code");
				return -1;
			}
		h->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 +
		    (p[2] - '0');
		if (p[3] == ' ')
			h->reason = p + 4;
		else if (p[3] == '\0')
			h->reason = p + 3;
		else {
			snprintf(why, len, "bad status code");
			return -1;
		}
		for (q = h->reason; *q != '\0'; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t') {
				snprintf(why, len, "a control byte in the "
				    "reason phrase");
				return -1;
			}
	} else {
		h->method = line;
		if ((p = strchr(line, ' ')) == NULL) {
			snprintf(why, len, "not an HTTP request line");
			return -1;
		}
		*p++ = '\0';
		h->target = p;
		if ((q = strchr(p, ' ')) == NULL) {
			snprintf(why, len, "not an HTTP request line");
			return -1;
		}
		*q++ = '\0';
		version = q;
		if (!ws_is_token(h->method) || h->target[0] != '/') {
			snprintf(why, len, "not an HTTP request line");
			return -1;
		}
		for (q = h->target; *q != '\0'; q++)
			if ((unsigned char)*q <= 0x20 || *q == 0x7f) {
				snprintf(why, len, "a control byte in the "
				    "request target");
				return -1;
			}
		if (strncmp(version, "HTTP/1.", 7) != 0 ||
		    version[7] < '1' || version[7] > '9' ||
		    version[8] != '\0') {
			snprintf(why, len, "not HTTP/1.1");
			return -1;
		}
	}
	for (;;) {
		line = eol + 2;
		if (line[0] == '\r' && line[1] == '\n')
			return 0;
		if ((eol = strstr(line, "\r\n")) == NULL) {
			snprintf(why, len, "a header line without CRLF");
			return -1;
		}
		*eol = '\0';
		if (*line == ' ' || *line == '\t') {
			snprintf(why, len, "a folded header line");
			return -1;
		}
		if ((p = strchr(line, ':')) == NULL) {
			snprintf(why, len, "a header line without ':'");
			return -1;
		}
		*p++ = '\0';
		if (!ws_is_token(line)) {
			snprintf(why, len, "a bad header name");
			return -1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		for (q = p; *q != '\0'; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') ||
			    *q == 0x7f) {
				snprintf(why, len, "a control byte in header "
				    "%.40s", line);
				return -1;
			}
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			*--q = '\0';
		if (h->nhdr == WS_HTTP_MAXHDR) {
			snprintf(why, len, "more than %d header lines",
			    WS_HTTP_MAXHDR);
			return -1;
		}
		h->name[h->nhdr] = line;
		h->value[h->nhdr++] = p;
	}
}

/*
 * The value of the first header called name (any case) in h, or NULL;
 * *count (when not NULL) gets how many headers have that name.
 */
const char *
ws_http_get(const struct ws_http *h, const char *name, int *count)
{
	const char	*v = NULL;
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < h->nhdr; i++)
		if (strcasecmp(h->name[i], name) == 0) {
			if (n++ == 0)
				v = h->value[i];
		}
	if (count != NULL)
		*count = n;
	return v;
}

/*
 * Does a header called name in h list token (a comma-separated list, any
 * case, as Connection and Upgrade are: RFC 7230 section 7)? 1 or 0.
 */
int
ws_http_has_token(const struct ws_http *h, const char *name,
    const char *token)
{
	const char	*p, *end;
	size_t		 i, n, tlen = strlen(token);

	for (i = 0; i < h->nhdr; i++) {
		if (strcasecmp(h->name[i], name) != 0)
			continue;
		for (p = h->value[i]; *p != '\0'; p = *end ? end + 1 : end) {
			while (*p == ' ' || *p == '\t')
				p++;
			end = p + strcspn(p, ",");
			n = (size_t)(end - p);
			while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			if (n == tlen && strncasecmp(p, token, n) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * Is k a Sec-WebSocket-Key: the base64 of 16 bytes (section 4.1), that
 * is 22 base64 characters then "=="? Checked by its shape: nothing is
 * decoded.
 */
static int
ws_key_valid(const char *k)
{
	size_t	i;

	if (strlen(k) != 24 || k[22] != '=' || k[23] != '=')
		return 0;
	for (i = 0; i < 22; i++)
		if (!((k[i] >= 'A' && k[i] <= 'Z') ||
		    (k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '+' ||
		    k[i] == '/'))
			return 0;
	return 1;
}

/* Is the n bytes at p one of the '+'-separated entries of list (case)? */
static int
ws_list_has(const char *list, const char *p, size_t n, int icase)
{
	size_t	l;

	for (;;) {
		l = strcspn(list, "+");
		if (l == n && (icase ? strncasecmp(list, p, n) :
		    strncmp(list, p, n)) == 0)
			return 1;
		if (list[l] == '\0')
			return 0;
		list += l + 1;
	}
}

/* Fill ans with an HTTP error status, its phrase and why. */
static void __printflike(4, 5)
ws_refuse(struct ws_answer *ans, int status, const char *reason,
    const char *fmt, ...)
{
	va_list	ap;

	ans->status = status;
	ans->reason = reason;
	va_start(ap, fmt);
	vsnprintf(ans->why, sizeof(ans->why), fmt, ap);
	va_end(ap);
}

/*
 * Decide a server's answer to the upgrade request h for the listener
 * address a (RFC 6455 section 4.2.1): 404 when path= is given and the
 * request's path (before any '?') differs; 426 Upgrade Required for a
 * request that is not a WebSocket upgrade or asks for a version other
 * than 13 (section 4.4); 400 for a GET that is not a valid upgrade (no
 * Connection: Upgrade, Host or a good Sec-WebSocket-Key) or another
 * method; 403 when origin= is given and Origin is not in it; else 101,
 * with the first protocol= entry the client offers as subprotocol (none
 * when it offers none of them). Fills ans.
 */
void
ws_request_check(const struct ws_http *h, const struct addr *a,
    struct ws_answer *ans)
{
	const struct addr_opts	*o = &a->opts;
	const char		*v, *p;
	size_t			 n;
	int			 count;

	memset(ans, 0, sizeof(*ans));
	n = strcspn(h->target, "?");
	if (opts_isset(o, OPT_PATH) && (strlen(o->path) != n ||
	    strncmp(o->path, h->target, n) != 0)) {
		ws_refuse(ans, 404, "Not Found", "path %.*s is not %s",
		    (int)(n > 60 ? 60 : n), h->target, o->path);
		return;
	}
	if (ws_http_get(h, "Upgrade", NULL) == NULL ||
	    !ws_http_has_token(h, "Upgrade", "websocket")) {
		ws_refuse(ans, 426, "Upgrade Required", "%s %.60s is not a "
		    "WebSocket upgrade", h->method, h->target);
		return;
	}
	if (strcmp(h->method, "GET") != 0) {
		ws_refuse(ans, 400, "Bad Request", "method %.20s, not GET",
		    h->method);
		return;
	}
	if (!ws_http_has_token(h, "Connection", "upgrade")) {
		ws_refuse(ans, 400, "Bad Request", "no Connection: Upgrade");
		return;
	}
	v = ws_http_get(h, "Sec-WebSocket-Version", &count);
	if (v == NULL || count != 1 || strcmp(v, "13") != 0) {
		ws_refuse(ans, 426, "Upgrade Required", "Sec-WebSocket-"
		    "Version %.20s, not 13", v != NULL ? v : "missing");
		return;
	}
	v = ws_http_get(h, "Sec-WebSocket-Key", &count);
	if (v == NULL || count != 1 || !ws_key_valid(v)) {
		ws_refuse(ans, 400, "Bad Request", "%s Sec-WebSocket-Key",
		    v == NULL ? "no" : "a bad");
		return;
	}
	ans->key = v;
	if (ws_http_get(h, "Host", &count) == NULL || count != 1) {
		ws_refuse(ans, 400, "Bad Request", "no Host");
		return;
	}
	if (opts_isset(o, OPT_ORIGIN)) {
		v = ws_http_get(h, "Origin", &count);
		if (v == NULL || count != 1 ||
		    !ws_list_has(o->origin, v, strlen(v), 1)) {
			ws_refuse(ans, 403, "Forbidden", "Origin %.80s is not "
			    "allowed", v != NULL ? v : "missing");
			return;
		}
	}
	if (opts_isset(o, OPT_PROTOCOL)) {
		for (p = o->protocol;; p += n + 1) {
			n = strcspn(p, "+");
			if (n < sizeof(ans->protocol)) {
				memcpy(ans->protocol, p, n);
				ans->protocol[n] = '\0';
				if (ws_http_has_token(h,
				    "Sec-WebSocket-Protocol", ans->protocol))
					break;
			}
			ans->protocol[0] = '\0';
			if (p[n] == '\0')
				break;
		}
	}
	ans->status = 101;
	ans->reason = "Switching Protocols";
}

/*
 * Check a server's answer h to our upgrade request (RFC 6455 section
 * 4.1, the client's checks): status 101, Upgrade: websocket, Connection:
 * Upgrade, Sec-WebSocket-Accept equal to accept, no extension (none was
 * offered), and a subprotocol, if any, from our '+'-list protocols (NULL:
 * none offered), copied to proto (plen bytes; "" when none). Returns 0,
 * or -1 with the reason in why (len bytes).
 */
int
ws_response_check(const struct ws_http *h, const char *accept,
    const char *protocols, char *proto, size_t plen, char *why, size_t len)
{
	const char	*v;
	int		 count;

	if (plen > 0)
		proto[0] = '\0';
	if (h->status != 101) {
		v = ws_http_get(h, "Location", NULL);
		snprintf(why, len, "the server answered %d %.60s%s%.80s%s",
		    h->status, h->reason, v != NULL ? " (Location: " : "",
		    v != NULL ? v : "", v != NULL ? ")" : "");
		return -1;
	}
	if (!ws_http_has_token(h, "Upgrade", "websocket")) {
		snprintf(why, len, "no Upgrade: websocket in the answer");
		return -1;
	}
	if (!ws_http_has_token(h, "Connection", "upgrade")) {
		snprintf(why, len, "no Connection: Upgrade in the answer");
		return -1;
	}
	v = ws_http_get(h, "Sec-WebSocket-Accept", &count);
	if (v == NULL || count != 1 || strcmp(v, accept) != 0) {
		snprintf(why, len, "wrong Sec-WebSocket-Accept %.40s "
		    "(expected %s)", v != NULL ? v : "(none)", accept);
		return -1;
	}
	if ((v = ws_http_get(h, "Sec-WebSocket-Extensions", NULL)) != NULL) {
		snprintf(why, len, "the server chose extension %.60s, which "
		    "was not offered", v);
		return -1;
	}
	if ((v = ws_http_get(h, "Sec-WebSocket-Protocol", &count)) != NULL) {
		if (count != 1 || protocols == NULL ||
		    !ws_list_has(protocols, v, strlen(v), 0)) {
			snprintf(why, len, "the server chose subprotocol "
			    "%.60s, which was not offered", v);
			return -1;
		}
		snprintf(proto, plen, "%s", v);
	}
	return 0;
}

/* ---- buffers and frames ---------------------------------------------- */

/* Make room for n more bytes in obuf. */
static void
ws_oreserve(struct ws_state *s, size_t n)
{
	if (s->ooff > 0 && s->ooff == s->olen)
		s->ooff = s->olen = 0;
	if (s->olen + n <= s->osize)
		return;
	s->osize = s->olen + n > 2 * s->osize ? s->olen + n : 2 * s->osize;
	s->obuf = xreallocarray(s->obuf, 1, s->osize);
}

/* Append printf-style text to obuf (handshake heads). */
static void __printflike(2, 3)
ws_printf(struct ws_state *s, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	ws_oreserve(s, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)s->obuf + s->olen, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->olen += (size_t)n;
}

/* Four fresh masking-key bytes from the CSPRNG (section 5.3). */
static int
ws_random_key(struct ws_state *s, unsigned char *key)
{
	if (s->rndpos == 0 || s->rndpos + 4 > sizeof(s->rnd)) {
		if (s->crypto->random(s->rnd, sizeof(s->rnd)) == -1)
			return -1;
		s->rndpos = 0;
	}
	memcpy(key, s->rnd + s->rndpos, 4);
	s->rndpos += 4;
	return 0;
}

/*
 * Write a frame header (section 5.2) for opcode op with fin and a
 * payload of n bytes at h (room for 14 bytes); a client's gets a fresh
 * masking key, copied to key. Returns the header length, or 0 when no
 * random bytes could be had.
 */
static size_t
ws_head(struct ws_state *s, unsigned char *h, int op, int fin, uint64_t n,
    unsigned char *key)
{
	size_t	hl, i;

	h[0] = (unsigned char)((fin ? 0x80 : 0) | op);
	if (n < 126) {
		h[1] = (unsigned char)n;
		hl = 2;
	} else if (n < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	} else {
		h[1] = 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)(n >> (56 - 8 * i));
		hl = 10;
	}
	if (s->server)
		return hl;
	if (ws_random_key(s, key) == -1)
		return 0;
	h[1] |= 0x80;
	memcpy(h + hl, key, 4);
	return hl + 4;
}

/*
 * Append one frame to obuf: opcode op, fin, and the payload made of the
 * n1 bytes at p1 then the n2 bytes at p2, masked on a client. Returns 0,
 * or -1 when no random bytes could be had.
 */
static int
ws_frame(struct ws_state *s, int op, int fin, const unsigned char *p1,
    size_t n1, const unsigned char *p2, size_t n2)
{
	unsigned char	*h, key[4];
	size_t		 hl;

	ws_oreserve(s, 14 + n1 + n2);
	h = s->obuf + s->olen;
	if ((hl = ws_head(s, h, op, fin, n1 + n2, key)) == 0)
		return -1;
	if (s->server) {
		if (n1 > 0)
			memcpy(h + hl, p1, n1);
		if (n2 > 0)
			memcpy(h + hl + n1, p2, n2);
	} else {
		ws_mask(h + hl, p1, n1, key, 0);
		ws_mask(h + hl + n1, p2, n2, key, n1);
	}
	s->olen += hl + n1 + n2;
	return 0;
}

/*
 * Queue a control frame (a pong or a ping) in cbuf, to go out between
 * data frames. When cbuf is full it is dropped: for pongs that is what
 * section 5.5.3 allows (only the latest ping needs an answer). Returns 0,
 * or -1 when no random bytes could be had.
 */
static int
ws_control_frame(struct ws_state *s, int op, const unsigned char *p,
    size_t n)
{
	unsigned char	key[4];
	size_t		hl;

	if (s->clen > 0 && s->coff == s->clen)
		s->coff = s->clen = 0;
	if (s->clen + 14 + n > sizeof(s->cbuf))
		return 0;
	if ((hl = ws_head(s, s->cbuf + s->clen, op, 1, n, key)) == 0)
		return -1;
	if (s->server)
		memcpy(s->cbuf + s->clen + hl, p, n);
	else
		ws_mask(s->cbuf + s->clen + hl, p, n, key, 0);
	s->clen += hl + n;
	return 0;
}

/*
 * Queue our Close (section 5.5.1) after the data frames: with code (and
 * reason, may be NULL), or with no body when code is -1.
 */
static void
ws_queue_close(struct endpoint *ep, struct ws_state *s, int code,
    const char *reason)
{
	unsigned char	body[125];
	size_t		n = 0;

	if (s->close_queued)
		return;
	if (code >= 0) {
		body[0] = (unsigned char)(code >> 8);
		body[1] = (unsigned char)code;
		n = 2;
		if (reason != NULL) {
			n += strlen(reason) > 123 ? 123 : strlen(reason);
			memcpy(body + 2, reason, n - 2);
		}
	}
	s->close_queued = 1;
	if (ws_frame(s, WS_CLOSE, 1, body, n, NULL, 0) == -1) {
		s->broken = 1;
		return;
	}
	log_verbose(2, "%s: WebSocket Close %d queued", ep->name, code);
}

/*
 * Both Closes are through: a server shuts the connection first (section
 * 7.1.1: it keeps the TIME_WAIT); a client leaves that to the server.
 */
static void
ws_both_closed(struct endpoint *ep, struct ws_state *s)
{
	if (!s->close_sent || !s->close_rcvd || s->shut_below || s->broken ||
	    !s->server)
		return;
	s->shut_below = 1;
	ep->below->ops->shutdown_wr(ep->below);
}

/*
 * Send what the layer holds: a data frame once begun goes out whole;
 * between frames the control frames of cbuf go first. Returns 0 when
 * nothing is left, EP_WANT_* when the layer below is full, or EP_ERROR
 * with errno and errmsg (the layer is broken then).
 */
static int
ws_flush(struct endpoint *ep, struct ws_state *s)
{
	unsigned char	*p;
	size_t		*off, left;
	ssize_t		 n;

	if (s->broken) {
		errno = EPIPE;
		return EP_ERROR;
	}
	for (;;) {
		if (s->ooff > 0 && s->ooff < s->olen) {
			p = s->obuf;
			off = &s->ooff;
			left = s->olen;
		} else if (s->coff < s->clen) {
			p = s->cbuf;
			off = &s->coff;
			left = s->clen;
		} else if (s->ooff < s->olen) {
			p = s->obuf;
			off = &s->ooff;
			left = s->olen;
		} else {
			s->ooff = s->olen = 0;
			s->coff = s->clen = 0;
			if (s->close_queued && !s->close_sent &&
			    s->hs == WS_HS_OPEN) {
				s->close_sent = 1;
				ws_both_closed(ep, s);
			}
			return 0;
		}
		n = ep->below->ops->write(ep->below, p + *off, left - *off);
		if (n == EP_ERROR) {
			s->broken = 1;
			return (int)layer_error_below(ep);
		}
		if (n < 0)
			return (int)n;
		*off += (size_t)n;
	}
}

/*
 * The peer broke the protocol (section 7.1.7, "Fail the WebSocket
 * Connection"): queue a Close with code, set errmsg "WebSocket: why
 * (sent Close CODE)" and errno EPROTO. Returns WS_FAIL.
 */
static int __printflike(4, 5)
ws_fail(struct endpoint *ep, struct ws_state *s, int code,
    const char *fmt, ...)
{
	char	why[160];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!s->close_queued && !s->dead) {
		/* Data frames not begun are dropped: the Close goes first. */
		if (s->ooff == 0)
			s->olen = 0;
		ws_queue_close(ep, s, code, NULL);
		ws_flush(ep, s);
	}
	snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket: %s (sent Close "
	    "%d)", why, code);
	s->failed = 1;
	ep->errexit = EXIT_RUNTIME;
	errno = EPROTO;
	return WS_FAIL;
}

/* Copy n payload bytes from src to dst, unmasking them when masked. */
static void
ws_payload(struct ws_state *s, unsigned char *dst, const unsigned char *src,
    size_t n)
{
	if (s->masked) {
		ws_mask(dst, src, n, s->key, s->maskpos);
		s->maskpos += n;
	} else
		memcpy(dst, src, n);
}

/*
 * n payload bytes of the current data frame are at dst, unmasked: check
 * a text message's UTF-8 and count them. Returns 0 or WS_FAIL.
 */
static int
ws_took(struct endpoint *ep, struct ws_state *s, const unsigned char *dst,
    size_t n)
{
	if (s->msg_op == WS_TEXT && (s->utf8 = ws_utf8(s->utf8, dst, n)) ==
	    WS_UTF8_BAD)
		return ws_fail(ep, s, WS_BADDATA, "text message is not UTF-8");
	s->remain -= n;
	s->msg_len += n;
	return 0;
}

/* Is code a Close code an endpoint may send (section 7.4, IANA)? */
static int
ws_code_valid(int code)
{
	return (code >= 1000 && code <= 1003) ||
	    (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/*
 * Take the header of the next frame from the avail bytes at p (section
 * 5.2) and check it: reserved bits and unknown opcodes, masking by role,
 * control frames unfragmented and short, continuation only inside a
 * message, the message within max-message= (and, facing a datagram
 * endpoint, within dgram bytes). Returns the header length, 0 when more
 * bytes are needed, or -1 after ws_fail().
 */
static int
ws_frame_start(struct endpoint *ep, struct ws_state *s,
    const unsigned char *p, size_t avail, size_t dgram)
{
	uint64_t	len;
	size_t		hl, i, want;
	int		op, len7, masked;

	if (avail < 2)
		return 0;
	op = p[0] & 0x0f;
	if (p[0] & 0x70) {
		ws_fail(ep, s, WS_PROTOCOL, "reserved bits 0x%x set (no "
		    "extension was agreed)", p[0] & 0x70);
		return -1;
	}
	if (op != WS_CONT && op != WS_TEXT && op != WS_BINARY &&
	    op != WS_CLOSE && op != WS_PING && op != WS_PONG) {
		ws_fail(ep, s, WS_PROTOCOL, "unknown opcode 0x%x", op);
		return -1;
	}
	masked = (p[1] & 0x80) != 0;
	if (s->server && !masked) {
		ws_fail(ep, s, WS_PROTOCOL, "unmasked frame from the client");
		return -1;
	}
	if (!s->server && masked) {
		ws_fail(ep, s, WS_PROTOCOL, "masked frame from the server");
		return -1;
	}
	len7 = p[1] & 0x7f;
	if (op & 0x8) {
		if (!(p[0] & 0x80)) {
			ws_fail(ep, s, WS_PROTOCOL, "fragmented control frame");
			return -1;
		}
		if (len7 > 125) {
			ws_fail(ep, s, WS_PROTOCOL, "control frame of more "
			    "than 125 bytes");
			return -1;
		}
	}
	hl = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
	if (avail < hl)
		return 0;
	if (len7 == 126)
		len = (uint64_t)p[2] << 8 | p[3];
	else if (len7 == 127) {
		for (len = 0, i = 0; i < 8; i++)
			len = len << 8 | p[2 + i];
		if (len >> 63) {
			ws_fail(ep, s, WS_PROTOCOL, "frame length with its "
			    "top bit set");
			return -1;
		}
	} else
		len = (uint64_t)len7;
	if (!(op & 0x8)) {
		if (op == WS_CONT && s->msg_op == 0) {
			ws_fail(ep, s, WS_PROTOCOL, "continuation frame "
			    "outside a message");
			return -1;
		}
		if (op != WS_CONT && s->msg_op != 0) {
			ws_fail(ep, s, WS_PROTOCOL, "new message before the "
			    "fragmented one ended");
			return -1;
		}
		if (op != WS_CONT) {
			s->msg_op = op;
			s->msg_len = 0;
			s->utf8 = 0;
		}
		if (len > s->max_message - s->msg_len) {
			ws_fail(ep, s, WS_TOOBIG, "message of more than %zu "
			    "bytes (max-message=)", s->max_message);
			return -1;
		}
		if (dgram > 0 && len > dgram - s->msg_len) {
			ws_fail(ep, s, WS_TOOBIG, "message of more than %zu "
			    "bytes, for a datagram", dgram);
			return -1;
		}
		if (dgram > 0 && (want = (size_t)(s->msg_len + len)) >
		    s->msize) {
			s->mbuf = xreallocarray(s->mbuf, 1, want);
			s->msize = want;
		}
	}
	s->in_frame = 1;
	s->fin = (p[0] & 0x80) != 0;
	s->op = op;
	s->masked = masked;
	s->remain = len;
	s->maskpos = 0;
	s->ctl_len = 0;
	if (masked)
		memcpy(s->key, p + hl - 4, 4);
	return (int)hl;
}

/*
 * A whole control frame is in ctl: answer a ping with a pong of the same
 * payload (section 5.5.2), note a pong, or take the peer's Close (its
 * code and UTF-8 reason checked, section 7.1.5). Returns 0, WS_EOF (the
 * Close) or WS_FAIL.
 */
static int
ws_control(struct endpoint *ep, struct ws_state *s)
{
	char	reason[125 * 4 + 1];
	size_t	i, j;
	int	code = -1;

	switch (s->op) {
	case WS_PING:
		log_verbose(2, "%s: WebSocket ping of %zu bytes", ep->name,
		    s->ctl_len);
		if (!s->close_queued &&
		    ws_control_frame(s, WS_PONG, s->ctl, s->ctl_len) == -1) {
			s->broken = 1;
			snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket: "
			    "no random bytes for a mask");
			errno = EIO;
			return WS_FAIL;
		}
		return 0;
	case WS_PONG:
		log_verbose(2, "%s: WebSocket pong of %zu bytes", ep->name,
		    s->ctl_len);
		return 0;
	}
	if (s->ctl_len == 1)
		return ws_fail(ep, s, WS_PROTOCOL, "Close frame with a 1-byte "
		    "body");
	if (s->ctl_len >= 2) {
		code = s->ctl[0] << 8 | s->ctl[1];
		if (!ws_code_valid(code))
			return ws_fail(ep, s, WS_PROTOCOL, "Close code %d is "
			    "not one to send", code);
		if (ws_utf8(0, s->ctl + 2, s->ctl_len - 2) != 0)
			return ws_fail(ep, s, WS_BADDATA, "Close reason is "
			    "not UTF-8");
	}
	/* The reason, printable on one line. */
	for (i = 2, j = 0; i < s->ctl_len; i++)
		reason[j++] = s->ctl[i] < 0x20 || s->ctl[i] == 0x7f ? '?' :
		    (char)s->ctl[i];
	reason[j] = '\0';
	s->close_rcvd = 1;
	s->rcvd_code = code;
	if (code == -1)
		log_verbose(1, "%s: WebSocket Close from the peer, no code",
		    ep->name);
	else
		log_verbose(1, "%s: WebSocket Close from the peer: %d%s%s",
		    ep->name, code, j > 0 ? " " : "", reason);
	ws_both_closed(ep, s);
	return WS_EOF;
}

/*
 * Take frames from ibuf and put their payload at out (room bytes):
 * streamed in text and binary mode (a text message is followed by a
 * newline), gathered whole facing a datagram endpoint. *produced gets the
 * bytes put at out. Returns WS_MORE, WS_FULL, WS_EOF, WS_FAIL or WS_MSG.
 */
static int
ws_consume(struct endpoint *ep, struct ws_state *s, unsigned char *out,
    size_t room, size_t *produced)
{
	const unsigned char	*p;
	unsigned char		*dst;
	size_t			 got = 0, avail, n;
	int			 r, dgram = (ep->flags & EP_DGRAM) != 0;

	*produced = 0;
	for (;;) {
		p = s->ibuf + s->ioff;
		avail = s->ilen - s->ioff;
		if (!s->in_frame) {
			r = ws_frame_start(ep, s, p, avail, dgram ? room : 0);
			if (r == 0)
				break;
			if (r < 0) {
				*produced = got;
				return WS_FAIL;
			}
			s->ioff += (size_t)r;
			continue;
		}
		if (s->op & 0x8) {
			n = s->remain < avail ? (size_t)s->remain : avail;
			ws_payload(s, s->ctl + s->ctl_len, p, n);
			s->ctl_len += n;
			s->remain -= n;
			s->ioff += n;
			if (s->remain > 0)
				break;
			s->in_frame = 0;
			if ((r = ws_control(ep, s)) != 0) {
				*produced = got;
				return r;
			}
			continue;
		}
		if (s->remain > 0) {
			if (avail == 0)
				break;
			n = s->remain < avail ? (size_t)s->remain : avail;
			if (dgram)
				dst = s->mbuf + s->mlen;
			else {
				if (got == room) {
					*produced = got;
					return WS_FULL;
				}
				if (n > room - got)
					n = room - got;
				dst = out + got;
			}
			ws_payload(s, dst, p, n);
			s->ioff += n;
			if (ws_took(ep, s, dst, n) == WS_FAIL) {
				*produced = got;
				return WS_FAIL;
			}
			if (dgram)
				s->mlen += n;
			else
				got += n;
			if (s->remain > 0)
				continue;
		}
		s->in_frame = 0;
		if (!s->fin)
			continue;
		/* A message is complete. */
		if (s->msg_op == WS_TEXT && s->utf8 != 0) {
			*produced = got;
			return ws_fail(ep, s, WS_BADDATA, "text message ends "
			    "inside a UTF-8 character");
		}
		s->msg_op = 0;
		if (dgram) {
			n = s->mlen;
			s->mlen = 0;
			/* A 0-byte read would be an end of input. */
			if (n == 0) {
				log_verbose(2, "%s: empty WebSocket message "
				    "not passed on as a datagram", ep->name);
				continue;
			}
			memcpy(out, s->mbuf, n);
			*produced = n;
			return WS_MSG;
		}
		if (!s->binary) {
			if (got == room) {
				s->nl_pending = 1;
				*produced = got;
				return WS_FULL;
			}
			out[got++] = '\n';
		}
	}
	*produced = got;
	return WS_MORE;
}

/* Read from the layer below into the free end of ibuf. */
static ssize_t
ws_fill(struct endpoint *ep, struct ws_state *s)
{
	ssize_t	n;

	if (s->ioff > 0) {
		memmove(s->ibuf, s->ibuf + s->ioff, s->ilen - s->ioff);
		s->ilen -= s->ioff;
		s->ioff = 0;
	}
	n = ep->below->ops->read(ep->below, s->ibuf + s->ilen,
	    s->isize - s->ilen);
	if (n > 0)
		s->ilen += (size_t)n;
	return n;
}

/* Keep an end of input or error behind the got bytes being returned. */
static ssize_t
ws_keep(struct ws_state *s, ssize_t got, int what)
{
	s->kept = what;
	s->kept_errno = errno;
	return got;
}

/*
 * The connection ended (TCP end of input) without a Close. Inside a
 * frame or a message, or with our frames unsent, bytes are lost: an
 * error with ECONNRESET (the relay makes it exit 6). Else an end of
 * input, with a warning unless our Close was sent (section 7.1.5: 1006).
 * Any write afterwards fails.
 */
static ssize_t
ws_eof(struct endpoint *ep, struct ws_state *s, size_t got)
{
	s->dead = 1;
	if (s->in_frame || s->msg_op != 0 || s->ilen > s->ioff ||
	    s->opend > 0) {
		snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket: the "
		    "connection closed without a Close, in the middle of a %s",
		    s->opend > 0 ? "message sent" : s->msg_op != 0 ?
		    "message" : "frame");
		errno = ECONNRESET;
		if (got > 0)
			return ws_keep(s, (ssize_t)got, WS_KEPT_ERROR);
		return EP_ERROR;
	}
	if (s->close_queued)
		log_verbose(1, "%s: WebSocket connection closed after our "
		    "Close, without the peer's", ep->name);
	else
		warnx("%s: WebSocket connection closed without a Close "
		    "(1006)", ep->name);
	if (got > 0)
		return ws_keep(s, (ssize_t)got, WS_KEPT_EOF);
	return 0;
}

/* The ping= timer: send a ping when due and arm ep->wake_at. */
static void
ws_timer(struct endpoint *ep, struct ws_state *s)
{
	unsigned char	p[4];
	long		now;

	if (s->ping_ms <= 0 || s->close_queued || s->close_rcvd || s->dead) {
		ep->wake_at = -1;
		return;
	}
	if ((now = now_ms()) >= s->ping_at) {
		s->pings++;
		p[0] = (unsigned char)(s->pings >> 24);
		p[1] = (unsigned char)(s->pings >> 16);
		p[2] = (unsigned char)(s->pings >> 8);
		p[3] = (unsigned char)s->pings;
		if (ws_control_frame(s, WS_PING, p, sizeof(p)) == -1)
			s->broken = 1;
		log_verbose(2, "%s: WebSocket ping %u sent", ep->name,
		    s->pings);
		s->ping_at = now + s->ping_ms;
	}
	ep->wake_at = s->ping_at;
}

/* ---- the layer's operations ------------------------------------------ */

/*
 * Read op: messages from the peer as bytes (SPEC section 8). First sends
 * what waits (pongs, pings, the Close), then takes frames from ibuf,
 * reading the layer below when they run out. Returns bytes, 0 at the
 * peer's Close (or a TCP end at a message boundary), EP_WANT_READ,
 * EP_WANT_WRITE (our control frames wait for room), or EP_ERROR with
 * errmsg: a protocol error (EPROTO, exit 1), data cut off (ECONNRESET).
 */
static ssize_t
ws_read(struct endpoint *ep, void *buf, size_t len)
{
	struct ws_state	*s = ep->ctx;
	unsigned char	*out = buf;
	size_t		 got = 0, n;
	ssize_t		 r;
	int		 c;

	if (len == 0)
		return EP_WANT_READ;
	if (s->kept != 0) {
		c = s->kept;
		s->kept = 0;
		errno = s->kept_errno;
		return c == WS_KEPT_EOF ? 0 : EP_ERROR;
	}
	if (s->close_rcvd || s->dead)
		return 0;
	if (s->failed) {
		errno = EPROTO;
		return EP_ERROR;
	}
	ws_timer(ep, s);
	if (ws_flush(ep, s) == EP_ERROR)
		return EP_ERROR;
	s->more = 0;
	if (s->nl_pending && len > 0) {
		out[got++] = '\n';
		s->nl_pending = 0;
	}
	for (;;) {
		c = ws_consume(ep, s, out + got, len - got, &n);
		got += n;
		switch (c) {
		case WS_FULL:
			s->more = 1;
			return (ssize_t)got;
		case WS_MSG:
			s->more = s->ilen > s->ioff;
			return (ssize_t)got;
		case WS_EOF:
			if (got > 0)
				return ws_keep(s, (ssize_t)got, WS_KEPT_EOF);
			return 0;
		case WS_FAIL:
			if (got > 0)
				return ws_keep(s, (ssize_t)got, WS_KEPT_ERROR);
			return EP_ERROR;
		}
		/* Deliver what there is rather than wait for more. */
		if (got > 0)
			return (ssize_t)got;
		/*
		 * Inside a large payload with nothing buffered: read it
		 * straight into the caller's buffer, unmask it there (one
		 * copy less, and ibuf stays cold).
		 */
		if (!(ep->flags & EP_DGRAM) && s->in_frame && !(s->op & 0x8) &&
		    s->remain >= WS_DIRECT && s->ioff == s->ilen) {
			n = s->remain < len ? (size_t)s->remain : len;
			r = ep->below->ops->read(ep->below, out, n);
			if (r > 0) {
				if (s->masked)
					ws_mask(out, out, (size_t)r, s->key,
					    s->maskpos);
				s->maskpos += (size_t)r;
				if (ws_took(ep, s, out, (size_t)r) == WS_FAIL)
					return EP_ERROR;
				got = (size_t)r;
				/* A frame that ends here ends by ws_consume. */
				if (s->remain == 0)
					continue;
				return (ssize_t)got;
			}
		} else if ((r = ws_fill(ep, s)) > 0)
			continue;
		if (r == 0)
			return ws_eof(ep, s, got);
		if (r == EP_ERROR)
			return layer_error_below(ep);
		/* Nothing to read: wait for room for our pongs, if any. */
		if (r == EP_WANT_READ && (s->coff < s->clen ||
		    s->ooff < s->olen) && s->opend == 0)
			return EP_WANT_WRITE;
		return r;
	}
}

/*
 * Take the partial line of text mode (lbuf) as a fragment when it grew
 * past WS_FRAG: its first fragment is text if valid UTF-8 so far, else
 * binary, and the message goes on in continuation frames. Returns 0 or
 * -1 (no random bytes).
 */
static int
ws_line_fragment(struct endpoint *ep, struct ws_state *s)
{
	int	op;

	if (s->frag_op == 0)
		op = s->lutf8 == WS_UTF8_BAD ? WS_BINARY : WS_TEXT;
	else
		op = WS_CONT;
	if (s->frag_op == WS_TEXT && s->lutf8 == WS_UTF8_BAD &&
	    !s->frag_warned) {
		s->frag_warned = 1;
		log_verbose(1, "%s: a long line sent as text is not UTF-8 "
		    "past its first %zu bytes", ep->name, (size_t)WS_FRAG);
	}
	if (ws_frame(s, op, 0, s->lbuf, s->llen, NULL, 0) == -1)
		return -1;
	if (s->frag_op == 0)
		s->frag_op = op;
	s->llen = 0;
	return 0;
}

/*
 * Text mode: end the message of the n1 bytes of lbuf then the n2 bytes
 * at p2 (the line without its newline): a text message when valid
 * UTF-8, else binary, so its bytes arrive unchanged and a strict peer
 * does not close with 1007; the last fragment of a long line. Returns 0
 * or -1.
 */
static int
ws_line_end(struct endpoint *ep, struct ws_state *s, const unsigned char *p2,
    size_t n2)
{
	uint32_t	st;
	int		op;

	st = ws_utf8(s->lutf8, p2, n2);
	if (s->frag_op != 0)
		op = WS_CONT;
	else {
		op = st == 0 ? WS_TEXT : WS_BINARY;
		if (op == WS_BINARY)
			log_verbose(2, "%s: a line that is not UTF-8 went as a "
			    "binary message", ep->name);
	}
	if (ws_frame(s, op, 1, s->lbuf, s->llen, p2, n2) == -1)
		return -1;
	s->llen = 0;
	s->lutf8 = 0;
	s->frag_op = 0;
	s->frag_warned = 0;
	return 0;
}

/*
 * Turn the len bytes the relay writes into frames in obuf: one message
 * facing a datagram endpoint or in binary mode; in text mode each line
 * one message, its newline removed, a partial line kept in lbuf. Returns
 * the bytes taken (text mode may stop early, at WS_OBUF_SOFT), or -1
 * (no random bytes).
 */
static ssize_t
ws_take(struct endpoint *ep, struct ws_state *s, const unsigned char *buf,
    size_t len)
{
	const unsigned char	*nl;
	size_t			 taken = 0, n;
	int			 op;

	if ((ep->flags & EP_DGRAM) || s->binary) {
		op = WS_BINARY;
		if (!s->binary && ws_utf8(0, buf, len) == 0)
			op = WS_TEXT;
		return ws_frame(s, op, 1, NULL, 0, buf, len) == -1 ? -1 :
		    (ssize_t)len;
	}
	while (taken < len && s->olen < WS_OBUF_SOFT) {
		nl = memchr(buf + taken, '\n', len - taken);
		if (nl == NULL) {
			n = len - taken;
			if (s->llen + n > s->lsize) {
				s->lsize = s->llen + n > 2 * s->lsize ?
				    s->llen + n : 2 * s->lsize;
				s->lbuf = xreallocarray(s->lbuf, 1, s->lsize);
			}
			memcpy(s->lbuf + s->llen, buf + taken, n);
			s->lutf8 = ws_utf8(s->lutf8, buf + taken, n);
			s->llen += n;
			taken = len;
			if (s->llen >= WS_FRAG &&
			    ws_line_fragment(ep, s) == -1)
				return -1;
			break;
		}
		n = (size_t)(nl - (buf + taken));
		if (ws_line_end(ep, s, buf + taken, n) == -1)
			return -1;
		taken += n + 1;
	}
	return (ssize_t)taken;
}

/*
 * Write op: the bytes become messages (ws_take) and are sent; they count
 * as written only once all their frames went to the layer below, so a
 * write that found it full returns EP_WANT_WRITE (or EP_WANT_READ) and is
 * made again with the same bytes. Returns bytes, EP_WANT_*, or EP_ERROR
 * with errmsg: EPIPE once the connection ended, after the peer's Close
 * with its connection gone.
 */
static ssize_t
ws_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct ws_state	*s = ep->ctx;
	ssize_t		 n;
	int		 r;

	if (s->dead || s->failed || s->close_queued) {
		snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket: the "
		    "connection is closed");
		errno = EPIPE;
		return EP_ERROR;
	}
	if ((r = ws_flush(ep, s)) == EP_ERROR)
		return EP_ERROR;
	if (s->opend > 0) {
		if (r != 0)
			return r;
		n = (ssize_t)(s->opend < len ? s->opend : len);
		s->opend = 0;
		return n;
	}
	if (r != 0)
		return r;
	if ((n = ws_take(ep, s, buf, len)) == -1) {
		s->broken = 1;
		snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket: no "
		    "random bytes for a mask");
		errno = EIO;
		return EP_ERROR;
	}
	if ((r = ws_flush(ep, s)) == EP_ERROR)
		return EP_ERROR;
	if (r != 0) {
		s->opend = (size_t)n;
		return r;
	}
	return n;
}

/*
 * Half-close: end a partial line of text mode as a message, then send
 * our Close 1000 (echoing the peer's code when its Close came first,
 * section 5.5.1) and keep receiving until the peer's Close: the
 * WebSocket half-close (SPEC section 8). If the Close cannot go out at
 * once, read or close sends it. Returns 0.
 */
static int
ws_shutdown_wr(struct endpoint *ep)
{
	struct ws_state	*s = ep->ctx;

	if (s->close_queued || s->dead || s->failed || s->broken)
		return 0;
	if ((s->llen > 0 || s->frag_op != 0) &&
	    ws_line_end(ep, s, NULL, 0) == -1)
		s->broken = 1;
	ws_queue_close(ep, s, s->close_rcvd ? s->rcvd_code : WS_NORMAL,
	    NULL);
	ws_flush(ep, s);
	return 0;
}

/*
 * Bytes a read may take without waiting for the descriptor: frames left
 * in ibuf, a newline or an end of input kept, or what the layers below
 * hold. Also arms the ping= timer (ep->wake_at), so the relay wakes for
 * it before any byte has come.
 */
static size_t
ws_pending(struct endpoint *ep)
{
	struct ws_state	*s = ep->ctx;

	if (s->ping_ms > 0 && ep->wake_at == -1 && !s->close_rcvd &&
	    !s->close_queued && !s->dead)
		ep->wake_at = s->ping_at;
	if (s->more || s->nl_pending || s->kept != 0)
		return 1;
	return layer_pending_below(ep);
}

/*
 * Closing: send our Close if it is not out yet (echoing the peer's, or
 * 1001 "going away" when the session ended otherwise), bounded by
 * WS_LINGER_MS and SIGINT/SIGTERM; a server then shuts the connection
 * first, a client waits for the server to (section 7.1.1).
 */
static void
ws_linger(struct endpoint *ep, struct ws_state *s)
{
	struct pollfd	 pfd;
	unsigned char	 scratch[4096];
	long		 deadline = now_ms() + WS_LINGER_MS, left;
	ssize_t		 n;
	int		 r, eof = 0;

	if (!s->close_queued)
		ws_queue_close(ep, s, s->close_rcvd ? s->rcvd_code :
		    WS_GOING_AWAY, NULL);
	while (!sig_term && (left = deadline - now_ms()) > 0) {
		r = ws_flush(ep, s);
		if (r == EP_ERROR)
			return;
		if (r == 0) {
			/* The event loop waits for the peer itself (LS_LINGER). */
			if (s->server || s->failed || eof || ep_close_nowait)
				break;
			/* A client reads until the server closes. */
			n = ep->below->ops->read(ep->below, scratch,
			    sizeof(scratch));
			if (n == 0 || n == EP_ERROR)
				eof = 1;
			if (n >= 0 || n == EP_ERROR)
				continue;
			r = (int)n;
		}
		if (ep_close_nowait)
			break;		/* never block the event loop */
		pfd.fd = r == EP_WANT_READ ? ep->rfd : ep->wfd;
		pfd.events = r == EP_WANT_READ ? POLLIN : POLLOUT;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return;
	}
	if (!s->broken && !s->shut_below && (s->server || s->failed)) {
		s->shut_below = 1;
		ep->below->ops->shutdown_wr(ep->below);
	}
}

/* Free the layer's state. */
static void
ws_state_free(struct ws_state *s)
{
	free(s->ibuf);
	free(s->obuf);
	free(s->lbuf);
	free(s->mbuf);
	free(s);
}

/*
 * Close op: end the connection as section 7 wants (ws_linger) when it
 * is open and whole, then close the layers below.
 */
static void
ws_close(struct endpoint *ep)
{
	struct ws_state	*s = ep->ctx;
	int		 saved = errno;

	if (s->hs == WS_HS_OPEN && !s->dead && !s->broken)
		ws_linger(ep, s);
	ws_state_free(s);
	ep->ctx = NULL;
	layer_close_below(ep);
	errno = saved;
}

/* ---- the opening handshake ------------------------------------------- */

/*
 * The next header of a header= list "NAME:VALUE+NAME:VALUE" at *pp:
 * its name (*nlen bytes at *name) and value (*vlen at *value, leading
 * spaces skipped). A '+' ends a value only where "NAME:" follows it, so
 * values may hold '+' (base64). Returns 1, or 0 at the end of the list.
 */
static int
ws_header_next(const char **pp, const char **name, size_t *nlen,
    const char **value, size_t *vlen)
{
	const char	*p = *pp, *v;
	size_t		 n, k;

	if (*p == '\0')
		return 0;
	n = strcspn(p, ":");
	*name = p;
	*nlen = n;
	v = p[n] == ':' ? p + n + 1 : p + n;
	while (*v == ' ' || *v == '\t')
		v++;
	*value = v;
	for (p = v; *p != '\0'; p++) {
		if (*p != '+')
			continue;
		k = strcspn(p + 1, ":+");
		if (p[1 + k] == ':' && k > 0) {
			for (n = 1; n <= k && ws_tchar((unsigned char)p[n]);
			    n++)
				;
			if (n > k)
				break;
		}
	}
	*vlen = (size_t)(p - v);
	*pp = *p == '+' ? p + 1 : p;
	return 1;
}

/* Does the header= list of a name a header called name? */
static int
ws_header_given(const struct addr *a, const char *name)
{
	const char	*p, *n, *v;
	size_t		 nl, vl;

	if (!opts_isset(&a->opts, OPT_HEADER))
		return 0;
	for (p = a->opts.header; ws_header_next(&p, &n, &nl, &v, &vl);)
		if (nl == strlen(name) && strncasecmp(n, name, nl) == 0)
			return 1;
	return 0;
}

/* Append the header= headers of a to obuf, one "NAME: VALUE" line each. */
static void
ws_headers_add(struct ws_state *s)
{
	const char	*p, *n, *v;
	size_t		 nl, vl;

	if (!opts_isset(&s->a->opts, OPT_HEADER))
		return;
	for (p = s->a->opts.header; ws_header_next(&p, &n, &nl, &v, &vl);)
		ws_printf(s, "%.*s: %.*s\r\n", (int)nl, n, (int)vl, v);
}

/*
 * Sec-WebSocket-Accept for key (section 4.2.2): base64 of the SHA-1 of
 * key and the GUID, into out (29 bytes). Returns 0 or -1.
 */
static int
ws_accept_of(const struct tls_crypto *c, const char *key, char *out)
{
	unsigned char	md[20];
	char		buf[128];
	int		n;

	n = snprintf(buf, sizeof(buf), "%s%s", key, WS_GUID);
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    c->sha1(buf, (size_t)n, md) == -1)
		return -1;
	c->base64(md, sizeof(md), out);
	return 0;
}

/* A failed handshake: errmsg "WebSocket handshake: why", errexit. */
static int __printflike(3, 4)
ws_hs_fail(struct endpoint *ep, struct ws_state *s, const char *fmt, ...)
{
	char	why[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ep->errmsg, sizeof(ep->errmsg), "WebSocket handshake: %s",
	    why);
	ep->errexit = s->server ? EXIT_RUNTIME : EXIT_CONNECT;
	s->broken = 1;
	return EP_ERROR;
}

/*
 * Client: build the upgrade request (section 4.1) in obuf: GET PATH with
 * Host (the port only when not the default), Upgrade, Connection, a
 * Sec-WebSocket-Key of 16 CSPRNG bytes, Version 13, the protocol=
 * subprotocols, origin= as Origin, the header= headers (which replace
 * Host or User-Agent when they name them). Returns 0 or EP_ERROR.
 */
static int
ws_request_build(struct endpoint *ep, struct ws_state *s)
{
	const struct addr	*a = s->a;
	const char		*host = a->params[0], *port = a->params[1];
	const char		*dflt = (a->type->flags & AT_TLS) ? "443" : "80";
	unsigned char		 raw[16];
	char			 key[32], *p;
	int			 v6 = strchr(host, ':') != NULL;

	if (s->crypto->random(raw, sizeof(raw)) == -1)
		return ws_hs_fail(ep, s, "no random bytes for the key");
	s->crypto->base64(raw, sizeof(raw), key);
	if (ws_accept_of(s->crypto, key, s->accept) == -1)
		return ws_hs_fail(ep, s, "SHA-1 failed");
	ws_printf(s, "GET %s HTTP/1.1\r\n", a->params[2]);
	if (!ws_header_given(a, "Host"))
		ws_printf(s, "Host: %s%s%s%s%s\r\n", v6 ? "[" : "", host,
		    v6 ? "]" : "", strcmp(port, dflt) != 0 ? ":" : "",
		    strcmp(port, dflt) != 0 ? port : "");
	ws_printf(s, "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", key);
	if (opts_isset(&a->opts, OPT_PROTOCOL)) {
		ws_printf(s, "Sec-WebSocket-Protocol: ");
		for (p = a->opts.protocol; *p != '\0'; p++)
			ws_printf(s, *p == '+' ? ", " : "%c", *p);
		ws_printf(s, "\r\n");
	}
	if (opts_isset(&a->opts, OPT_ORIGIN))
		ws_printf(s, "Origin: %s\r\n", a->opts.origin);
	if (!ws_header_given(a, "User-Agent"))
		ws_printf(s, "User-Agent: sockcat/%s\r\n", PACKAGE_VERSION);
	ws_headers_add(s);
	ws_printf(s, "\r\n");
	return 0;
}

/*
 * Read until the other side's head is complete in ibuf (it ends with an
 * empty line). Returns 1 when it is (s->headlen set), EP_WANT_* or
 * EP_ERROR.
 */
static int
ws_head_read(struct endpoint *ep, struct ws_state *s)
{
	const unsigned char	*end;
	size_t			 from = 0;
	ssize_t			 n;

	for (;;) {
		end = memmem(s->ibuf + from, s->ilen - from, "\r\n\r\n", 4);
		if (end != NULL) {
			s->headlen = (size_t)(end - s->ibuf) + 4;
			return 1;
		}
		if (s->ilen >= WS_HEAD_MAX) {
			if (!s->server)
				return ws_hs_fail(ep, s, "an answer head of "
				    "more than %d bytes", WS_HEAD_MAX);
			s->reject = 431;
			snprintf(s->rejectwhy, sizeof(s->rejectwhy), "a "
			    "request head of more than %d bytes",
			    WS_HEAD_MAX);
			return 1;
		}
		from = s->ilen > 3 ? s->ilen - 3 : 0;
		n = ep->below->ops->read(ep->below, s->ibuf + s->ilen,
		    WS_HEAD_MAX - s->ilen);
		if (n == 0)
			return ws_hs_fail(ep, s, "the %s closed the connection",
			    s->server ? "client" : "server");
		if (n == EP_ERROR) {
			layer_error_below(ep);
			if (ep->errmsg[0] == '\0')
				snprintf(ep->errmsg, sizeof(ep->errmsg),
				    "WebSocket handshake: %s", strerror(errno));
			ep->errexit = ep->errexit != 0 ? ep->errexit :
			    s->server ? EXIT_RUNTIME : EXIT_CONNECT;
			s->broken = 1;
			return EP_ERROR;
		}
		if (n < 0)
			return (int)n;
		s->ilen += (size_t)n;
	}
}

/* The opening handshake is done: log it; frames may wait in ibuf. */
static void
ws_opened(struct endpoint *ep, struct ws_state *s, const char *target,
    const char *proto)
{
	s->hs = WS_HS_OPEN;
	s->ioff = s->headlen;
	s->more = s->ilen > s->ioff;
	if (s->ping_ms > 0)
		s->ping_at = now_ms() + s->ping_ms;
	log_verbose(1, "%s: WebSocket open: GET %s%s%s, %s mode", ep->name,
	    target, *proto != '\0' ? ", subprotocol " : "", proto,
	    s->binary ? "binary" : "text");
}

/*
 * Client: check the server's answer (ws_response_check); on success the
 * connection is open. Returns 0 or EP_ERROR (exit 4).
 */
static int
ws_response(struct endpoint *ep, struct ws_state *s)
{
	struct ws_http	 h;
	char		*head, why[200], proto[128];
	int		 r;

	head = xmalloc(s->headlen + 1);
	memcpy(head, s->ibuf, s->headlen);
	head[s->headlen] = '\0';
	if (ws_http_parse(head, 1, &h, why, sizeof(why)) == -1)
		r = ws_hs_fail(ep, s, "bad answer: %s", why);
	else if (ws_response_check(&h, s->accept,
	    opts_isset(&s->a->opts, OPT_PROTOCOL) ? s->a->opts.protocol : NULL,
	    proto, sizeof(proto), why, sizeof(why)) == -1)
		r = ws_hs_fail(ep, s, "%s", why);
	else {
		ws_opened(ep, s, s->a->params[2], proto);
		r = 0;
	}
	free(head);
	return r;
}

/*
 * Server: answer the request head (ws_request_check): 101 with
 * Sec-WebSocket-Accept, the chosen subprotocol and the header= headers,
 * or an HTTP error with a one-line text body. Returns 0 (the answer is
 * in obuf) or EP_ERROR.
 */
static int
ws_answer(struct endpoint *ep, struct ws_state *s)
{
	struct ws_http		 h;
	struct ws_answer	 ans;
	char			*head, why[200], accept[32];
	const char		*reason;

	head = xmalloc(s->headlen + 1);
	memcpy(head, s->ibuf, s->headlen);
	head[s->headlen] = '\0';
	memset(&ans, 0, sizeof(ans));
	if (s->reject == 431)
		reason = "Request Header Fields Too Large";
	else if (ws_http_parse(head, 0, &h, why, sizeof(why)) == -1) {
		s->reject = 400;
		reason = "Bad Request";
		snprintf(s->rejectwhy, sizeof(s->rejectwhy), "%s", why);
	} else {
		ws_request_check(&h, s->a, &ans);
		reason = ans.reason;
		if (ans.status != 101) {
			s->reject = ans.status;
			snprintf(s->rejectwhy, sizeof(s->rejectwhy), "%s",
			    ans.why);
		}
	}
	if (s->reject != 0) {
		ws_printf(s, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; "
		    "charset=utf-8\r\nContent-Length: %zu\r\nConnection: "
		    "close\r\n", s->reject, reason, strlen(reason) + 1);
		if (s->reject == 426)
			ws_printf(s, "Upgrade: websocket\r\n"
			    "Sec-WebSocket-Version: 13\r\n");
		ws_printf(s, "\r\n%s\n", reason);
		snprintf(s->rejectline, sizeof(s->rejectline), "%d %s",
		    s->reject, reason);
		free(head);
		return 0;
	}
	if (ws_accept_of(s->crypto, ans.key, accept) == -1) {
		free(head);
		return ws_hs_fail(ep, s, "SHA-1 failed");
	}
	ws_printf(s, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket"
	    "\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n", accept);
	if (ans.protocol[0] != '\0')
		ws_printf(s, "Sec-WebSocket-Protocol: %s\r\n", ans.protocol);
	ws_headers_add(s);
	ws_printf(s, "\r\n");
	/* For ws_opened() once the answer is out. */
	snprintf(s->target, sizeof(s->target), "%s", h.target);
	snprintf(s->proto, sizeof(s->proto), "%s", ans.protocol);
	free(head);
	return 0;
}

/*
 * Handshake op: one non-blocking step of the opening handshake (section
 * 4): the client sends its request and checks the answer; the server
 * reads the request and answers it. Returns 0 when the connection is
 * open, EP_WANT_* to be called again, or EP_ERROR with errmsg and
 * errexit: a client's failure exits 4 ("the server answered 403
 * Forbidden", "wrong Sec-WebSocket-Accept"); a server that answered an
 * HTTP error fails with "answered 404 Not Found: why".
 */
static int
ws_handshake(struct endpoint *ep)
{
	struct ws_state	*s = ep->ctx;
	int		 r;

	for (;;) {
		switch (s->hs) {
		case WS_HS_REQUEST:
			if (ws_request_build(ep, s) == EP_ERROR)
				return EP_ERROR;
			s->hs = WS_HS_SEND;
			break;
		case WS_HS_SEND:
			if ((r = ws_flush(ep, s)) == EP_ERROR) {
				ep->errexit = s->server ? EXIT_RUNTIME :
				    EXIT_CONNECT;
				if (ep->errmsg[0] == '\0')
					snprintf(ep->errmsg, sizeof(ep->errmsg),
					    "WebSocket handshake: %s",
					    strerror(errno));
				return EP_ERROR;
			}
			if (r != 0)
				return r;
			if (s->reject != 0) {
				r = ws_hs_fail(ep, s, "answered %s: %s",
				    s->rejectline, s->rejectwhy);
				/* Lingers (ep-fd.c) so the answer is read. */
				ep->below->ops->shutdown_wr(ep->below);
				return r;
			}
			if (!s->server) {
				s->hs = WS_HS_HEAD;
				break;
			}
			ws_opened(ep, s, s->target, s->proto);
			return 0;
		case WS_HS_HEAD:
			if ((r = ws_head_read(ep, s)) != 1)
				return r;
			if (!s->server)
				return ws_response(ep, s);
			if (ws_answer(ep, s) == EP_ERROR)
				return EP_ERROR;
			s->hs = WS_HS_SEND;
			break;
		default:
			return 0;
		}
	}
}

/*
 * Put a WebSocket layer on the connected endpoint ep for address a, as
 * client (server == 0) or server, with the OpenSSL calls of crypto. When
 * open is set the handshake counts as done (the fuzz targets feed frames
 * directly); else it runs as the layer's handshake op, bounded by
 * connect-timeout= or WS_CLIENT_TIMEOUT_MS / WS_SERVER_TIMEOUT_MS.
 */
void
ws_push(struct endpoint *ep, const struct addr *a, int server,
    const struct tls_crypto *crypto, int open)
{
	struct ws_state	*s;

	s = xcalloc(1, sizeof(*s));
	s->a = a;
	s->crypto = crypto;
	s->server = server;
	s->binary = opts_isset(&a->opts, OPT_BINARY) ? a->opts.ws_binary :
	    opts_isset(&a->opts, OPT_TEXT) ? !a->opts.ws_text : 0;
	s->max_message = opts_isset(&a->opts, OPT_MAX_MESSAGE) ?
	    (size_t)a->opts.max_message : WS_MAX_MESSAGE;
	s->ping_ms = opts_isset(&a->opts, OPT_PING) ? a->opts.ping_ms : 0;
	s->rcvd_code = -1;
	s->isize = WS_IBUF;
	s->ibuf = xmalloc(s->isize);
	s->hs = server ? WS_HS_HEAD : WS_HS_REQUEST;
	layer_push(ep, &ws_ops, s);
	ep->flags |= EP_MESSAGES;
	if (open) {
		s->hs = WS_HS_OPEN;
		ep->ready = 1;
		return;
	}
	if (!opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		ep->deadline = now_ms() + (server ? WS_SERVER_TIMEOUT_MS :
		    WS_CLIENT_TIMEOUT_MS);
}

/*
 * Put a WebSocket layer on the stream endpoint ep of address a (a ws or
 * wss type), as client (server == 0) or server; its handshake runs later
 * (layer_handshake(), layer_wait()). Loads the TLS module for SHA-1 and
 * random bytes. Returns 0, or EXIT_RUNTIME after a message when the
 * module cannot be loaded (ep is left as it was).
 */
int
ws_attach(struct endpoint *ep, const struct addr *a, int server)
{
	const struct tls_crypto	*c;

	if ((c = tls_crypto(a)) == NULL)
		return EXIT_RUNTIME;
	ws_push(ep, a, server, c, 0);
	return 0;
}
