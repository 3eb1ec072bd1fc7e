/* proxy.c: proxy URL lists and chains, parsed and checked; no I/O. */
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

/* Default ports (SPEC section 7). */
#define PROXY_SOCKS_PORT	1080
#define PROXY_HTTP_PORT		8080
#define PROXY_HTTPS_PORT	443

/* Longest name a SOCKS4a or SOCKS5 request carries, bytes (RFC 1928). */
#define PROXY_NAMEMAX		255

/* The schemes of proxy URLs, with their names for messages. */
static const struct {
	const char	*scheme;	/* in URLs, any case */
	const char	*name;		/* in messages */
	int		 id;
} proxy_schemes[] = {
	{ "http",	"HTTP",		PROXY_HTTP },
	{ "https",	"HTTPS",	PROXY_HTTPS },
	{ "socks4",	"SOCKS4",	PROXY_SOCKS4 },
	{ "socks4a",	"SOCKS4a",	PROXY_SOCKS4A },
	{ "socks5",	"SOCKS5",	PROXY_SOCKS5 },
	{ "socks5h",	"SOCKS5",	PROXY_SOCKS5H },
};

/* The protocol name of scheme (PROXY_*) for messages: "SOCKS5", "HTTP". */
const char *
proxy_scheme_name(int scheme)
{
	size_t	i;

	for (i = 0; i < nitems(proxy_schemes); i++)
		if (proxy_schemes[i].id == scheme)
			return proxy_schemes[i].name;
	return "proxy";
}

/* Is scheme one of the SOCKS ones? */
static int
proxy_is_socks(int scheme)
{
	return scheme == PROXY_SOCKS4 || scheme == PROXY_SOCKS4A ||
	    scheme == PROXY_SOCKS5 || scheme == PROXY_SOCKS5H;
}

/*
 * Is the len bytes at host a host name or IPv4 literal that sockcat passes
 * on: 1 to 255 bytes of letters, digits, '-', '.' and '_' (so it can
 * never hold a ':' or ',' of the address grammar)? Returns 1 or 0.
 */
int
proxy_host_valid(const char *host, size_t len)
{
	size_t	i;
	int	c;

	if (len == 0 || len > PROXY_NAMEMAX)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)host[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

/* Is the len bytes at s an IPv6 literal (no brackets)? Returns 1 or 0. */
static int
proxy_is_v6(const char *s, size_t len)
{
	struct in6_addr	in6;
	char		buf[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, &in6) == 1;
}

/*
 * Percent-decode (RFC 3986 section 2.1) the len bytes at s into out
 * (outlen bytes, NUL-terminated). Returns the decoded length, or -1 for a
 * bad escape, a NUL byte, or a result that does not fit.
 */
static ssize_t
proxy_decode(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	i, n = 0;
	int	hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len || (hi = hexval(s[i + 1])) == -1 ||
			    (lo = hexval(s[i + 2])) == -1)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == '\0' || n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return (ssize_t)n;
}

/*
 * Parse "HOST[:PORT]" or "[V6][:PORT]" (len bytes at s) into h->host and
 * h->port (0 when absent). Returns 0, or -1 with the reason in errbuf.
 */
static int
proxy_parse_hostport(const char *s, size_t len, struct proxy_hop *h,
    char *errbuf, size_t errlen)
{
	const char	*end = s + len, *host, *colon, *p;
	size_t		 hlen;
	unsigned long	 port = 0;

	if (len > 0 && s[0] == '[') {
		if ((p = memchr(s, ']', len)) == NULL) {
			snprintf(errbuf, errlen, "missing ']' after an IPv6 "
			    "address");
			return -1;
		}
		host = s + 1;
		hlen = (size_t)(p - host);
		if (!proxy_is_v6(host, hlen)) {
			snprintf(errbuf, errlen, "not an IPv6 address in "
			    "brackets");
			return -1;
		}
		p++;
		if (p < end && *p != ':') {
			snprintf(errbuf, errlen, "junk after ']'");
			return -1;
		}
		colon = p < end ? p : NULL;
	} else {
		host = s;
		colon = memchr(s, ':', len);
		hlen = colon != NULL ? (size_t)(colon - s) : len;
		if (colon != NULL && memchr(colon + 1, ':', (size_t)(end -
		    colon - 1)) != NULL) {
			snprintf(errbuf, errlen, "write IPv6 proxies in "
			    "brackets: [::1]:1080");
			return -1;
		}
		if (!proxy_host_valid(host, hlen)) {
			snprintf(errbuf, errlen, hlen == 0 ? "no proxy host" :
			    "bad proxy host name");
			return -1;
		}
	}
	if (colon != NULL) {
		for (p = colon + 1; p < end; p++) {
			if (*p < '0' || *p > '9' || port > 65535) {
				port = 0;
				break;
			}
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (port == 0 || port > 65535) {
			snprintf(errbuf, errlen, "proxy port not a number from "
			    "1 to 65535");
			return -1;
		}
	}
	memcpy(h->host, host, hlen);
	h->host[hlen] = '\0';
	h->port = (unsigned)port;
	return 0;
}

/*
 * Parse one proxy URL, SCHEME://[USER[:PASS]@]HOST[:PORT][/] (len bytes
 * at s) into h. USER and PASS are percent-decoded; the port is 0 when not
 * given. Returns 0, or -1 with the reason in errbuf (which never quotes
 * the credentials).
 */
static int
proxy_parse_url(const char *s, size_t len, struct proxy_hop *h,
    char *errbuf, size_t errlen)
{
	const char	*sep, *rest, *at = NULL, *colon;
	size_t		 i, slen, rlen;
	ssize_t		 n;

	memset(h, 0, sizeof(*h));
	for (sep = NULL, i = 0; i + 3 <= len; i++)
		if (memcmp(s + i, "://", 3) == 0) {
			sep = s + i;
			break;
		}
	if (sep == NULL) {
		snprintf(errbuf, errlen, "not a proxy URL (SCHEME://HOST"
		    "[:PORT])");
		return -1;
	}
	slen = (size_t)(sep - s);
	for (i = 0; i < nitems(proxy_schemes); i++)
		if (strlen(proxy_schemes[i].scheme) == slen &&
		    strncasecmp(proxy_schemes[i].scheme, s, slen) == 0)
			break;
	if (i == nitems(proxy_schemes)) {
		snprintf(errbuf, errlen, "unknown proxy scheme '%.*s' "
		    "(socks4, socks4a, socks5, socks5h, http, https)",
		    slen > 16 ? 16 : (int)slen, s);
		return -1;
	}
	h->scheme = proxy_schemes[i].id;
	rest = sep + 3;
	rlen = len - slen - 3;
	/* One '/' may end it, as in http://proxy:3128/. */
	if (rlen > 0 && rest[rlen - 1] == '/')
		rlen--;
	for (i = 0; i < rlen; i++) {
		if (rest[i] == '@')
			at = rest + i;
		if (rest[i] == '/' || rest[i] == '?' || rest[i] == '#') {
			snprintf(errbuf, errlen, "a proxy URL has no path");
			return -1;
		}
	}
	if (at != NULL) {
		/* A ',' would end the option when the text is shown masked. */
		if (memchr(rest, ',', (size_t)(at - rest)) != NULL) {
			snprintf(errbuf, errlen, "write ',' in a user name or "
			    "password as %%2C");
			return -1;
		}
		colon = memchr(rest, ':', (size_t)(at - rest));
		n = proxy_decode(rest, (size_t)((colon ? colon : at) - rest),
		    h->user, sizeof(h->user));
		if (n <= 0) {
			snprintf(errbuf, errlen, n == 0 ? "empty user name" :
			    "bad user name (1 to 255 bytes, %%-encoded)");
			return -1;
		}
		if (colon != NULL && proxy_decode(colon + 1, (size_t)(at -
		    colon - 1), h->pass, sizeof(h->pass)) == -1) {
			snprintf(errbuf, errlen, "bad password (at most 255 "
			    "bytes, %%-encoded)");
			return -1;
		}
		h->auth = colon != NULL ? 2 : 1;
		rlen -= (size_t)(at + 1 - rest);
		rest = at + 1;
	}
	return proxy_parse_hostport(rest, rlen, h, errbuf, errlen);
}

/*
 * Parse the value of proxy=, URL[+URL...] (SPEC section 7), into pc
 * (pc->n proxies; the target is left unset). Pure: no I/O. Returns 0, or
 * -1 with the reason in errbuf (errlen bytes), never quoting a password.
 */
int
proxy_parse_list(const char *list, struct proxy_chain *pc, char *errbuf,
    size_t errlen)
{
	const char	*p = list, *end;
	size_t		 len;
	char		 why[160];

	pc->n = 0;
	for (;;) {
		end = strchr(p, '+');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (pc->n == PROXY_MAXHOPS) {
			snprintf(errbuf, errlen, "more than %d proxies",
			    PROXY_MAXHOPS);
			return -1;
		}
		if (len == 0) {
			snprintf(errbuf, errlen, "empty proxy URL in the list");
			return -1;
		}
		if (proxy_parse_url(p, len, &pc->hop[pc->n], why,
		    sizeof(why)) == -1) {
			if (pc->n == 0 && end == NULL)
				snprintf(errbuf, errlen, "%s", why);
			else
				snprintf(errbuf, errlen, "proxy %d: %s",
				    pc->n + 1, why);
			return -1;
		}
		pc->n++;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

/*
 * Check USER:PASS (auth=, proxyauth=): both 1 to 255 bytes, USER without
 * ':' (RFC 7617). Returns 0, or -1 with the reason in errbuf.
 */
int
proxy_check_userpass(const char *v, char *errbuf, size_t errlen)
{
	const char	*colon = strchr(v, ':');

	if (colon == NULL || colon == v || colon[1] == '\0') {
		snprintf(errbuf, errlen, "expects USER:PASS");
		return -1;
	}
	if ((size_t)(colon - v) >= PROXY_CREDMAX ||
	    strlen(colon + 1) >= PROXY_CREDMAX) {
		snprintf(errbuf, errlen, "USER and PASS are 1 to %d bytes "
		    "each", PROXY_CREDMAX - 1);
		return -1;
	}
	return 0;
}

/*
 * Copy "USER:PASS" v (checked by proxy_check_userpass()) into the
 * credentials of hop h.
 */
void
proxy_set_userpass(struct proxy_hop *h, const char *v)
{
	const char	*colon = strchr(v, ':');
	size_t		 n = (size_t)(colon - v);

	memcpy(h->user, v, n);
	h->user[n] = '\0';
	snprintf(h->pass, sizeof(h->pass), "%s", colon + 1);
	h->auth = 2;
}

/*
 * Check that hop h can carry a request for host: credentials its protocol
 * can send, and a host its request can hold. Returns 0, or -1 with the
 * reason in errbuf.
 */
static int
proxy_check_hop(const struct proxy_hop *h, const char *host, char *errbuf,
    size_t errlen)
{
	int	v6 = strchr(host, ':') != NULL;

	if ((h->scheme == PROXY_SOCKS4 || h->scheme == PROXY_SOCKS4A) && v6) {
		snprintf(errbuf, errlen, "%s cannot carry the IPv6 address "
		    "%.64s", proxy_scheme_name(h->scheme), host);
		return -1;
	}
	if (proxy_is_socks(h->scheme) && strlen(host) > PROXY_NAMEMAX) {
		snprintf(errbuf, errlen, "host name longer than %d bytes",
		    PROXY_NAMEMAX);
		return -1;
	}
	if ((h->scheme == PROXY_SOCKS4 || h->scheme == PROXY_SOCKS4A) &&
	    h->auth == 2) {
		snprintf(errbuf, errlen, "SOCKS4 takes a user id, not a "
		    "password");
		return -1;
	}
	if ((h->scheme == PROXY_SOCKS5 || h->scheme == PROXY_SOCKS5H) &&
	    h->auth != 0 && (h->auth != 2 || h->pass[0] == '\0')) {
		snprintf(errbuf, errlen, "SOCKS5 needs a user and a password "
		    "(RFC 1929)");
		return -1;
	}
	if ((h->scheme == PROXY_HTTP || h->scheme == PROXY_HTTPS) &&
	    h->auth != 0 && strchr(h->user, ':') != NULL) {
		snprintf(errbuf, errlen, "an HTTP user name has no ':'");
		return -1;
	}
	return 0;
}

/*
 * The scheme of socat's SOCKS spellings, from the alias the address text
 * starts with: socks4 (resolved here), socks4a, else socks5 (socks5-connect;
 * the name goes to the proxy, as socat's does).
 */
static int
proxy_socat_scheme(const char *text)
{
	size_t	n = strcspn(text, ":,");

	if (n == 6 && strncasecmp(text, "socks4", 6) == 0)
		return PROXY_SOCKS4;
	if (n == 7 && strncasecmp(text, "socks4a", 7) == 0)
		return PROXY_SOCKS4A;
	return PROXY_SOCKS5H;
}

/*
 * The proxy chain of address a into pc: the proxies of proxy=, then, for
 * socat's spellings (socks4:, socks4a:, socks5:, proxy:), PROXY; ports
 * not given are socksport= (default 1080) for SOCKS proxies, proxyport=
 * (default 8080, 443 for https) for HTTP ones; HTTP proxies without
 * credentials get proxyauth=, SOCKS4 ones without a user id socksuser=
 * (socat's option; its default, the local user name, is not sent).
 * pc->host and pc->port are the target (pointers into a). pc->n is 0 for
 * an address without proxies. Pure.
 * Returns 0, or -1 with the reason in errbuf.
 */
int
proxy_chain_build(const struct addr *a, struct proxy_chain *pc,
    char *errbuf, size_t errlen)
{
	struct proxy_hop	*h;
	const char		*next;
	size_t			 hlen;
	int			 i, socat;

	pc->n = 0;
	pc->host = a->nparams > 0 ? a->params[0] : "";
	pc->port = a->nparams > 1 ? a->params[1] : "";
	socat = a->type == &at_socks || a->type == &at_proxy_connect;
	if (opts_isset(&a->opts, OPT_PROXYAUTH) &&
	    opts_isset(&a->opts, OPT_PROXYAUTH_FILE)) {
		snprintf(errbuf, errlen, "proxyauth= and proxyauth-file= both "
		    "give the credentials; give one");
		return -1;
	}
	if (opts_isset(&a->opts, OPT_PROXY) &&
	    proxy_parse_list(a->opts.proxy, pc, errbuf, errlen) == -1)
		return -1;
	if (socat && a->nparams == 3) {
		if (pc->n == PROXY_MAXHOPS) {
			snprintf(errbuf, errlen, "more than %d proxies",
			    PROXY_MAXHOPS);
			return -1;
		}
		h = &pc->hop[pc->n];
		memset(h, 0, sizeof(*h));
		h->scheme = a->type == &at_proxy_connect ? PROXY_HTTP :
		    proxy_socat_scheme(a->text);
		hlen = strlen(a->params[0]);
		if (!proxy_is_v6(a->params[0], hlen) &&
		    !proxy_host_valid(a->params[0], hlen)) {
			snprintf(errbuf, errlen, "bad proxy host name");
			return -1;
		}
		memcpy(h->host, a->params[0], hlen + 1);
		pc->n++;
		pc->host = a->params[1];
		pc->port = a->params[2];
	}
	for (i = 0; i < pc->n; i++) {
		h = &pc->hop[i];
		if (h->port == 0) {
			if (proxy_is_socks(h->scheme))
				h->port = a->opts.socksport != 0 ?
				    a->opts.socksport : PROXY_SOCKS_PORT;
			else if (a->opts.proxyport != 0)
				h->port = a->opts.proxyport;
			else
				h->port = h->scheme == PROXY_HTTPS ?
				    PROXY_HTTPS_PORT : PROXY_HTTP_PORT;
		}
		if (!proxy_is_socks(h->scheme) && h->auth == 0 &&
		    opts_isset(&a->opts, OPT_PROXYAUTH))
			proxy_set_userpass(h, a->opts.proxyauth);
		if ((h->scheme == PROXY_SOCKS4 || h->scheme == PROXY_SOCKS4A) &&
		    h->auth == 0 && opts_isset(&a->opts, OPT_SOCKSUSER) &&
		    a->opts.socksuser[0] != '\0') {
			if (strlen(a->opts.socksuser) >= PROXY_CREDMAX) {
				snprintf(errbuf, errlen, "socksuser is 1 to %d "
				    "bytes", PROXY_CREDMAX - 1);
				return -1;
			}
			snprintf(h->user, sizeof(h->user), "%s",
			    a->opts.socksuser);
			h->auth = 1;
		}
		next = i + 1 < pc->n ? pc->hop[i + 1].host : pc->host;
		if (proxy_check_hop(h, next, errbuf, errlen) == -1) {
			if (pc->n > 1) {
				char	why[160];

				snprintf(why, sizeof(why), "%s", errbuf);
				snprintf(errbuf, errlen, "proxy %d: %s", i + 1,
				    why);
			}
			return -1;
		}
	}
	return 0;
}

/*
 * Check the proxies of address a (before anything is opened): its chain
 * builds (proxy_chain_build()). Returns 0, or -1 with the reason in
 * errbuf, for a usage error.
 */
int
proxy_check(const struct addr *a, char *errbuf, size_t errlen)
{
	struct proxy_chain	*pc;
	int			 r;

	if (!(a->type->groups & G_PROXY))
		return 0;
	pc = xcalloc(1, sizeof(*pc));
	r = proxy_chain_build(a, pc, errbuf, errlen);
	free(pc);
	return r;
}

/* "HOST:PORT", or "[V6]:PORT" for an IPv6 literal, into buf. */
void
proxy_hostport(const char *host, unsigned port, char *buf, size_t len)
{
	if (strchr(host, ':') != NULL)
		snprintf(buf, len, "[%s]:%u", host, port);
	else
		snprintf(buf, len, "%s:%u", host, port);
}

/* "proxy HOST:PORT", the name of hop h in messages, into buf. */
void
proxy_hop_label(const struct proxy_hop *h, char *buf, size_t len)
{
	char	hp[PROXY_HOSTMAX + 16];

	proxy_hostport(h->host, h->port, hp, sizeof(hp));
	snprintf(buf, len, "proxy %s", hp);
}

/*
 * Where the TCP connection of address a goes, into d: its first proxy's
 * host and port, with d->label "proxy HOST:PORT: " for messages; else,
 * without proxies, HOST and PORT of a and an empty label.
 */
void
proxy_first_hop(const struct addr *a, struct proxy_dest *d)
{
	struct proxy_chain	*pc;
	char			 why[160];
	size_t			 n;

	d->host = a->nparams > 0 ? a->params[0] : NULL;
	d->port = a->nparams > 1 ? a->params[1] : NULL;
	d->label[0] = '\0';
	if (!(a->type->groups & G_PROXY))
		return;
	pc = xcalloc(1, sizeof(*pc));
	if (proxy_chain_build(a, pc, why, sizeof(why)) == 0 && pc->n > 0) {
		snprintf(d->hostbuf, sizeof(d->hostbuf), "%s",
		    pc->hop[0].host);
		snprintf(d->portbuf, sizeof(d->portbuf), "%u",
		    pc->hop[0].port);
		d->host = d->hostbuf;
		d->port = d->portbuf;
		proxy_hop_label(&pc->hop[0], d->label, sizeof(d->label) - 2);
		n = strlen(d->label);
		snprintf(d->label + n, sizeof(d->label) - n, ": ");
	}
	free(pc);
}

/* Mask the len bytes at p with '*'. */
static void
proxy_mask_span(char *p, size_t len)
{
	memset(p, '*', len);
}

/*
 * Mask the passwords in address text (in place, same length), so that
 * messages that quote it and ps(1) never show them, as curl blanks its
 * -u argument: the PASS of every "://USER:PASS@" and of every
 * "auth=USER:PASS" (auth=, proxyauth=). Only what is shown changes: the
 * address is parsed from a copy.
 */
void
proxy_mask(char *text)
{
	char	*p, *end, *at, *colon;
	size_t	 n;

	for (p = text; (p = strstr(p, "://")) != NULL;) {
		p += 3;
		/* USER:PASS ends at the last '@' before the next URL. */
		if ((end = strstr(p, "://")) == NULL)
			end = p + strlen(p);
		/* An option ends it at a ',' that is not escaped ('\,'). */
		for (colon = p; colon < end; colon++)
			if (*colon == ',' && (colon == p || colon[-1] != '\\')) {
				end = colon;
				break;
			}
		for (at = NULL, colon = p; colon < end; colon++)
			if (*colon == '@')
				at = colon;
		if (at != NULL && (colon = memchr(p, ':', (size_t)(at - p))) !=
		    NULL)
			proxy_mask_span(colon + 1, (size_t)(at - colon - 1));
	}
	for (p = text; *p != '\0';) {
		if (strncasecmp(p, "auth=", 5) != 0) {
			p++;
			continue;
		}
		p += 5;
		n = strcspn(p, ",");
		/* A '\,' is part of the value. */
		while (n > 0 && p[n - 1] == '\\' && p[n] != '\0')
			n += 1 + strcspn(p + n + 1, ",");
		if ((colon = memchr(p, ':', n)) != NULL)
			proxy_mask_span(colon + 1, n - (size_t)(colon + 1 - p));
		p += n;
	}
}

/*
 * Base64 (RFC 4648 section 4) of the len bytes at in into out (outlen
 * bytes, NUL-terminated), for HTTP Basic credentials (RFC 7617). Returns
 * the length written, or 0 when out is too small.
 */
size_t
proxy_base64(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i, n = 0;
	unsigned		 v;

	if (outlen < (len + 2) / 3 * 4 + 1)
		return 0;
	for (i = 0; i < len; i += 3) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[n++] = b64[(v >> 18) & 63];
		out[n++] = b64[(v >> 12) & 63];
		out[n++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[n++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[n] = '\0';
	return n;
}

/*
 * Does opening address a look a name up here, blocking, in a proxy layer:
 * a socks4 or socks5 hop (which resolve their target locally) whose
 * target is a name rather than a literal? The event loop keeps such
 * sessions in children of their own. Returns 1 or 0.
 */
int
proxy_resolves_here(const struct addr *a)
{
	struct proxy_chain	*pc;
	const char		*host;
	char			 why[160];
	int			 i, r = 0;

	if (!(a->type->groups & G_PROXY))
		return 0;
	pc = xcalloc(1, sizeof(*pc));
	if (proxy_chain_build(a, pc, why, sizeof(why)) == 0)
		for (i = 0; i < pc->n && !r; i++) {
			if (pc->hop[i].scheme != PROXY_SOCKS4 &&
			    pc->hop[i].scheme != PROXY_SOCKS5)
				continue;
			host = i + 1 < pc->n ? pc->hop[i + 1].host : pc->host;
			r = !resolve_is_literal(host, NULL);
		}
	free(pc);
	return r;
}
