/* addr.c: the address grammar, TYPE[:PARAM...][,OPTION[=VALUE]]... */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/* Longest type or option name looked up, bytes (with the NUL). */
#define ADDR_WORDMAX	64

/* Longest word, and longest address, shown in an error message, bytes. */
#define ADDR_SHOWMAX	64
#define ADDR_QUOTEMAX	200

/* Flags of addr_scan(). */
#define SCAN_COLON	0x1	/* a bare ':' ends the part (parameters) */
#define SCAN_SPACE	0x2	/* bare white space ends the part (exec words) */
#define SCAN_KEEP	0x4	/* keep quotes and escapes but \, \: \\ (system) */
#define SCAN_NOCOMMA	0x8	/* a bare ',' is an ordinary byte */

/* Output of addr_error_format(): a bounded buffer being filled. */
struct addr_msg {
	char	*buf;
	size_t	 len;
	size_t	 used;
};

/* Fill e with code at offset and return code. */
static int
addr_fail(struct addr_error *e, enum addr_err code, size_t offset)
{
	e->code = code;
	e->offset = offset;
	return code;
}

/* Returns 1 for the white space that separates exec words. */
static int
addr_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* Returns c in lower case, ASCII only, whatever the locale. */
static int
addr_tolower(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c + ('a' - 'A');
	return c;
}

/*
 * Scan one part of text starting at *posp into out (room for the rest of
 * text), up to a bare ',' or the end, and per flags a bare ':' or white
 * space. A backslash escapes the next byte; a part in single quotes is
 * literal; in double quotes only \" and \\ are escapes. Quotes and
 * escapes are removed, except with SCAN_KEEP, which keeps everything but
 * resolves \, \: \\ \" and \' outside quotes (socat gives a shell "$X"
 * for \"$X\"). *posp is left on the byte that
 * ended the part; *olen gets the output length; *quoted is set when a
 * quote was seen; *close1 gets the offset of the quote that closed the
 * first quoted part (or (size_t)-1). Returns 0, or an AE_* code with e set.
 */
static int
addr_scan(const char *text, size_t *posp, int flags, char *out, size_t *olen,
    int *quoted, size_t *close1, struct addr_error *e)
{
	size_t		 pos = *posp, n = 0, qpos = 0;
	unsigned char	 c, q = 0;
	int		 keep = (flags & SCAN_KEEP) != 0;

	*quoted = 0;
	*close1 = (size_t)-1;
	for (;;) {
		c = (unsigned char)text[pos];
		if (c == '\0') {
			if (q != 0)
				return addr_fail(e, AE_QUOTE, qpos);
			break;
		}
		if (q == '\'' || q == '"') {
			if (c == q) {
				if (*close1 == (size_t)-1)
					*close1 = pos;
				q = 0;
				if (keep)
					out[n++] = c;
				pos++;
				continue;
			}
			if (q == '"' && c == '\\' &&
			    (text[pos + 1] == '"' || text[pos + 1] == '\\')) {
				if (keep)
					out[n++] = c;
				out[n++] = text[pos + 1];
				pos += 2;
				continue;
			}
			out[n++] = c;
			pos++;
			continue;
		}
		if (c == '\\') {
			c = (unsigned char)text[pos + 1];
			/* A lone backslash at the end escapes nothing. */
			if (c == '\0')
				return addr_fail(e, AE_ESCAPE, pos);
			/* \" and \' are quotes for the shell (socat). */
			if (keep && c != ',' && c != ':' && c != '\\' &&
			    c != '"' && c != '\'')
				out[n++] = '\\';
			out[n++] = c;
			pos += 2;
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			qpos = pos;
			*quoted = 1;
			if (keep)
				out[n++] = c;
			pos++;
			continue;
		}
		if (c == ',' && !(flags & SCAN_NOCOMMA))
			break;
		if ((flags & SCAN_COLON) && c == ':')
			break;
		if ((flags & SCAN_SPACE) && addr_isspace(c))
			break;
		out[n++] = c;
		pos++;
	}
	out[n] = '\0';
	*olen = n;
	*posp = pos;
	return 0;
}

/* Write "TYPE takes SYNTAX" for type t into e->detail. */
static void
addr_detail_syntax(struct addr_error *e, const struct addr_type *t)
{
	if (t->syntax != NULL && *t->syntax != '\0')
		snprintf(e->detail, sizeof(e->detail), "%s takes %s", t->name,
		    t->syntax);
	else
		snprintf(e->detail, sizeof(e->detail), "%s takes no parameters",
		    t->name);
}

/*
 * Returns 1 when the parameters starting at text look like an unbracketed
 * IPv6 literal: they contain "::", or at least three ':' with a first part
 * of 1-4 hex digits.
 */
static int
addr_looks_ipv6(const char *text)
{
	size_t	 i, ncolon = 0;

	for (i = 0; text[i] != '\0' && text[i] != ','; i++) {
		if (text[i] == ':' && text[i + 1] == ':')
			return 1;
		if (text[i] == ':')
			ncolon++;
	}
	if (ncolon < 3)
		return 0;
	for (i = 0; i < 5; i++) {
		if (text[i] == ':')
			return i > 0;
		if (text[i] == '\0' ||
		    strchr("0123456789abcdefABCDEF", text[i]) == NULL)
			return 0;
	}
	return 0;
}

/*
 * Parse the ':'-separated parameters of a non-command type from text at
 * *posp into a. buf has room for the rest of the text; poff gets each
 * parameter's offset. Returns 0 or an AE_* code.
 */
static int
addr_parse_params(const char *text, size_t *posp, struct addr *a, char *buf,
    size_t *poff, struct addr_error *e)
{
	const struct addr_type	*t = a->type;
	const char		*close;
	size_t			 pos = *posp, start, j, olen, close1;
	size_t			 pstart = pos;
	int			 quoted, r, bracketed = 0;

	for (;;) {
		start = pos;
		if (a->nparams >= t->params_max ||
		    a->nparams >= ADDR_MAXPARAMS) {
			if ((t->flags & (AT_HOSTPORT | AT_HOST)) &&
			    !bracketed && addr_looks_ipv6(text + pstart))
				snprintf(e->detail, sizeof(e->detail),
				    "write IPv6 addresses in brackets: "
				    "[::1]:PORT");
			else
				addr_detail_syntax(e, t);
			return addr_fail(e, AE_EXTRA_PARAM, start);
		}
		if ((t->flags & (AT_HOSTPORT | AT_HOST)) &&
		    a->nparams + 1 < t->params_max && text[pos] == '[') {
			/*
			 * An IPv6 literal, as any parameter before the last
			 * (HOST, or PROXY and HOST): taken as it stands.
			 */
			for (j = pos + 1; text[j] != '\0' && text[j] != ']' &&
			    text[j] != ','; j++)
				;
			if (text[j] != ']')
				return addr_fail(e, AE_BRACKET, pos);
			olen = j - pos - 1;
			memcpy(buf, text + pos + 1, olen);
			buf[olen] = '\0';
			pos = j + 1;
			if (text[pos] != ':' && text[pos] != ',' &&
			    text[pos] != '\0')
				return addr_fail(e, AE_BRACKET, pos);
			bracketed = 1;
		} else {
			/* socat data keeps its quotes and escapes (\0). */
			r = addr_scan(text, &pos, SCAN_COLON |
			    ((t->flags & AT_DATA) ? SCAN_KEEP : 0), buf, &olen,
			    &quoted, &close1, e);
			if (r != 0)
				return r;
			/* A ']' without '[' is no host name: "tcp:]:80". */
			if ((t->flags & (AT_HOSTPORT | AT_HOST)) &&
			    a->nparams == 0 && (close =
			    memchr(text + start, ']', pos - start)) != NULL)
				return addr_fail(e, AE_BRACKET,
				    (size_t)(close - text));
		}
		poff[a->nparams] = start;
		a->params[a->nparams++] = xstrdup(buf);
		if (text[pos] != ':')
			break;
		pos++;
	}
	*posp = pos;
	return 0;
}

/*
 * exec:"PROGRAM ARGS..." or exec:'PROGRAM ARGS...': a command line that is
 * one quoted string (up to a bare ',' or the end) is the command line, as
 * socat takes it: split what is inside into words, with its own quotes and
 * escapes (a ',' inside is part of a word). Returns 0 or an AE_* code with
 * the words in a, or -1 when the command is not one quoted string (nothing
 * done).
 */
static int
addr_parse_quoted_argv(const char *text, size_t *posp, struct addr *a,
    char *buf, size_t *poff, struct addr_error *e)
{
	size_t	 pos = *posp, ipos = 0, olen, close1;
	char	*inner;
	int	 quoted, r;

	r = addr_scan(text, &pos, SCAN_SPACE, buf, &olen, &quoted, &close1, e);
	if (r != 0 || close1 != pos - 1 || (text[pos] != ',' &&
	    text[pos] != '\0'))
		return -1;
	inner = xstrdup(buf);
	for (;;) {
		while (addr_isspace((unsigned char)inner[ipos]))
			ipos++;
		if (inner[ipos] == '\0')
			break;
		if (a->nparams >= ADDR_MAXPARAMS ||
		    a->nparams >= a->type->params_max) {
			free(inner);
			addr_detail_syntax(e, a->type);
			return addr_fail(e, AE_EXTRA_PARAM, *posp);
		}
		r = addr_scan(inner, &ipos, SCAN_SPACE | SCAN_NOCOMMA, buf,
		    &olen, &quoted, &close1, e);
		if (r != 0) {
			free(inner);
			e->offset = *posp;
			return r;
		}
		poff[a->nparams] = *posp;
		a->params[a->nparams++] = xstrdup(buf);
	}
	free(inner);
	if (a->nparams == 0) {
		addr_detail_syntax(e, a->type);
		return addr_fail(e, AE_EMPTY_PARAM, *posp);
	}
	*posp = pos;
	return 0;
}

/*
 * Parse the command of exec or system from text at *posp (after the ':')
 * up to the first bare ','. system keeps it as one parameter with its
 * quotes (but an outer pair around all of it is removed); exec splits it
 * into words. Returns 0 or an AE_* code.
 */
static int
addr_parse_command(const char *text, size_t *posp, struct addr *a,
    char *buf, size_t *poff, struct addr_error *e)
{
	size_t	 pos = *posp, start, olen, close1, i;
	int	 quoted, r;

	if ((a->type->flags & AT_ARGV) == 0) {
		start = pos;
		r = addr_scan(text, &pos, SCAN_KEEP, buf, &olen, &quoted,
		    &close1, e);
		if (r != 0)
			return r;
		if ((text[start] == '"' || text[start] == '\'') &&
		    close1 == pos - 1 && olen >= 2) {
			/* One quoted string: the quotes are not for sh. */
			memmove(buf, buf + 1, olen - 2);
			buf[olen - 2] = '\0';
			olen -= 2;
		}
		for (i = 0; i < olen && addr_isspace((unsigned char)buf[i]);
		    i++)
			;
		if (i == olen)
			return addr_fail(e, AE_EMPTY_PARAM, start);
		poff[0] = start;
		a->params[a->nparams++] = xstrdup(buf);
		*posp = pos;
		return 0;
	}
	if ((text[pos] == '"' || text[pos] == '\'') &&
	    (r = addr_parse_quoted_argv(text, posp, a, buf, poff, e)) != -1)
		return r;
	for (;;) {
		while (addr_isspace((unsigned char)text[pos]))
			pos++;
		if (text[pos] == '\0' || text[pos] == ',')
			break;
		if (a->nparams >= ADDR_MAXPARAMS ||
		    a->nparams >= a->type->params_max) {
			addr_detail_syntax(e, a->type);
			return addr_fail(e, AE_EXTRA_PARAM, pos);
		}
		start = pos;
		r = addr_scan(text, &pos, SCAN_SPACE, buf, &olen, &quoted,
		    &close1, e);
		if (r != 0)
			return r;
		poff[a->nparams] = start;
		a->params[a->nparams++] = xstrdup(buf);
	}
	*posp = pos;
	return 0;
}

/*
 * Check the port parameter p (at offset off) of a HOST:PORT type. Returns
 * 0 or AE_BAD_PORT with e set.
 */
static int
addr_check_port(const char *p, size_t off, int listener,
    struct addr_error *e)
{
	unsigned	 lo, hi;
	size_t	 i;
	int	 r;

	if (addr_port_valid(p, listener))
		return 0;
	/* LOW-HIGH on a client: main.c allows it with -z only. */
	if (!listener && (r = addr_port_range(p, &lo, &hi)) != -1) {
		if (r == 0)
			return 0;
		snprintf(e->detail, sizeof(e->detail), "bad port range "
		    "'%.*s': LOW-HIGH from 1 to 65535, LOW not above HIGH",
		    ADDR_SHOWMAX, p);
		return addr_fail(e, AE_BAD_PORT, off);
	}
	for (i = 0; p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i > 0 && p[i] == '\0')
		snprintf(e->detail, sizeof(e->detail), "port '%.*s' out of "
		    "range %d-65535", ADDR_SHOWMAX, p, listener ? 0 : 1);
	else
		snprintf(e->detail, sizeof(e->detail), "bad port '%.*s': not a "
		    "number or service name", ADDR_SHOWMAX, p);
	return addr_fail(e, AE_BAD_PORT, off);
}

/* A new string of the n bytes at p. */
static char *
addr_strndup(const char *p, size_t n)
{
	char	*s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * Parse the URL of an AT_URL type (ws, wss) from text at *posp (after the
 * type's ':') up to the first bare ',': HOST[:PORT][/PATH] after an
 * optional "//", as users paste it (ws://h:8080/chat) or as sockcat writes
 * addresses (ws:h:8080/chat). HOST may be an IPv6 literal in brackets;
 * PORT defaults to 443 on a TLS type, else 80; PATH (with its ?query)
 * defaults to "/", and a #fragment is dropped (RFC 6455 section 3). The
 * URL becomes three parameters, HOST, PORT and PATH, so the TCP and TLS
 * code (params[0], params[1]) serves it unchanged. buf has room for the
 * rest of the text; poff gets each parameter's offset. Returns 0 or an
 * AE_* code.
 */
static int
addr_parse_url(const char *text, size_t *posp, struct addr *a, char *buf,
    size_t *poff, struct addr_error *e)
{
	const char	*p, *host, *port, *path, *end;
	size_t		 start = *posp, pos = *posp, olen, close1, hlen;
	size_t		 plen;
	int		 quoted, r;

	r = addr_scan(text, &pos, 0, buf, &olen, &quoted, &close1, e);
	if (r != 0)
		return r;
	/* Offsets into buf match the text unless quotes or escapes came. */
	p = buf;
	if (strncmp(p, "//", 2) == 0)
		p += 2;
	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL)
			return addr_fail(e, AE_BRACKET, start + (size_t)(p - buf));
		host = p + 1;
		hlen = (size_t)(end - host);
		p = end + 1;
		if (*p != ':' && *p != '/' && *p != '?' && *p != '#' &&
		    *p != '\0')
			return addr_fail(e, AE_BRACKET, start + (size_t)(p -
			    buf));
	} else {
		host = p;
		hlen = strcspn(p, ":/?#");
		p += hlen;
		if (*p == ':' && strchr(p + 1, ':') != NULL &&
		    strchr(p + 1, ':') < p + 1 + strcspn(p + 1, "/?#")) {
			snprintf(e->detail, sizeof(e->detail), "write IPv6 "
			    "addresses in brackets: %s://[::1]:PORT/",
			    a->type->name);
			return addr_fail(e, AE_EXTRA_PARAM, start +
			    (size_t)(p - buf));
		}
	}
	if (hlen == 0) {
		addr_detail_syntax(e, a->type);
		return addr_fail(e, AE_EMPTY_PARAM, start + (size_t)(host -
		    buf));
	}
	poff[0] = start + (size_t)(host - buf);
	a->params[a->nparams++] = addr_strndup(host, hlen);
	if (*p == ':') {
		port = ++p;
		plen = strcspn(p, "/?#");
		p += plen;
		poff[1] = start + (size_t)(port - buf);
		a->params[a->nparams++] = addr_strndup(port, plen);
		if ((r = addr_check_port(a->params[1], poff[1], 0, e)) != 0)
			return r;
	} else {
		poff[1] = start + (size_t)(p - buf);
		a->params[a->nparams++] = xstrdup((a->type->flags & AT_TLS) ?
		    "443" : "80");
	}
	path = p;
	plen = strcspn(p, "#");
	poff[2] = start + (size_t)(p - buf);
	if (plen == 0)
		a->params[a->nparams++] = xstrdup("/");
	else if (*path == '?')
		xasprintf(&a->params[a->nparams++], "/%.*s", (int)plen, path);
	else
		a->params[a->nparams++] = addr_strndup(path, plen);
	*posp = pos;
	return 0;
}

/*
 * Parse one OPTION[=VALUE] of text at *posp (after its ',') into a.
 * Returns 0 or an AE_* code.
 */
static int
addr_parse_opt(const char *text, size_t *posp, struct addr *a, char *buf,
    struct addr_error *e)
{
	char		 name[ADDR_WORDMAX], why[sizeof(e->detail)];
	const char	*hint, *value = NULL;
	size_t		 pos = *posp, start = pos, j, olen, close1;
	int		 id, quoted, r;

	/* socat takes ",," and a trailing ',' as nothing: so do we. */
	if (text[pos] == '\0' || text[pos] == ',')
		return 0;
	if (text[pos] == '=')
		return addr_fail(e, AE_EMPTY_OPT, pos);
	if (addr_isspace((unsigned char)text[pos])) {
		snprintf(e->detail, sizeof(e->detail), "the address was split "
		    "by a space");
		return addr_fail(e, AE_STRAY_SPACE, pos);
	}
	for (j = pos; text[j] != '\0' && text[j] != '=' && text[j] != ',';
	    j++)
		;
	if (j - pos >= sizeof(name))
		return addr_fail(e, AE_UNKNOWN_OPT, start);
	memcpy(name, text + pos, j - pos);
	name[j - pos] = '\0';
	if ((id = opts_find(name)) == -1) {
		if ((hint = opts_suggest(name)) != NULL)
			snprintf(e->hint, sizeof(e->hint), "%s", hint);
		return addr_fail(e, AE_UNKNOWN_OPT, start);
	}
	if ((opt_table[id].groups & a->type->groups) == 0) {
		snprintf(e->detail, sizeof(e->detail), "%s", a->type->name);
		return addr_fail(e, AE_OPT_PLACE, start);
	}
	if (opts_isset(&a->opts, id))
		return addr_fail(e, AE_OPT_DUP, start);
	pos = j;
	/* b9600, cs8: the value is in the name (socat). */
	if ((value = opts_numbered(name)) != NULL && text[pos] == '=') {
		snprintf(e->detail, sizeof(e->detail), "takes no value");
		return addr_fail(e, AE_OPT_VALUE, start);
	}
	if (text[pos] == '=') {
		pos++;
		/* Values in socat data keep their quotes and escapes. */
		r = addr_scan(text, &pos, (id == OPT_RANGE || (id == OPT_BIND &&
		    (a->type->flags & AT_DATA))) ? SCAN_KEEP : 0, buf, &olen,
		    &quoted, &close1, e);
		if (r != 0)
			return r;
		value = buf;
	}
	if (opts_set_value(&a->opts, id, value, why, sizeof(why)) == -1) {
		snprintf(e->detail, sizeof(e->detail), "%s", why);
		return addr_fail(e, AE_OPT_VALUE, start);
	}
	*posp = pos;
	return 0;
}

/*
 * The offset of the "!!" that splits a dual address (socat: read from the
 * part before it, write to the part after it), or (size_t)-1 when text has
 * none outside quotes and escapes.
 */
static size_t
addr_dual_at(const char *text)
{
	size_t	 i;
	char	 q = 0;

	for (i = 0; text[i] != '\0'; i++) {
		if (q != 0) {
			if (text[i] == q)
				q = 0;
			else if (q == '"' && text[i] == '\\' &&
			    text[i + 1] != '\0')
				i++;
			continue;
		}
		if (text[i] == '\\' && text[i + 1] != '\0')
			i++;
		else if (text[i] == '\'' || text[i] == '"')
			q = text[i];
		else if (text[i] == '!' && text[i + 1] == '!')
			return i;
	}
	return (size_t)-1;
}

/*
 * Parse one single (not dual) address text into a, as addr_parse() says.
 */
static int
addr_parse_single(const char *text, struct addr *a, struct addr_error *e)
{
	const struct addr_alias	*alias;
	const struct addr_type	*t;
	const char		*hint;
	char			 word[ADDR_WORDMAX], *buf = NULL;
	size_t			 poff[ADDR_MAXPARAMS], pos, i, len, portoff;
	size_t			 olen, close1;
	int			 r, listener, port, quoted, slash = 0;

	memset(a, 0, sizeof(*a));
	memset(e, 0, sizeof(*e));
	opts_defaults(&a->opts);
	a->text = text;
	if (text == NULL || *text == '\0')
		return addr_fail(e, AE_EMPTY, 0);

	for (len = 0; text[len] != '\0' && text[len] != ':' &&
	    text[len] != ','; len++)
		if (text[len] == '/')
			slash = 1;
	/* The output of a part is never longer than the text. */
	buf = xmalloc(strlen(text) + 1);
	if (slash) {
		/* A '/' before any ':' or ',': a path, as socat's GOPEN. */
		t = a->type = &at_gopen;
		a->family = AF_UNSPEC;
		pos = 0;
		r = addr_scan(text, &pos, 0, buf, &olen, &quoted, &close1, e);
		if (r != 0)
			goto fail;
		poff[0] = 0;
		a->params[a->nparams++] = xstrdup(buf);
		goto options;
	}
	if (len == 0 || len >= sizeof(word)) {
		r = addr_fail(e, AE_UNKNOWN_TYPE, 0);
		goto fail;
	}
	memcpy(word, text, len);
	word[len] = '\0';
	if ((alias = addr_type_find(word)) == NULL) {
		if ((hint = addr_type_suggest(word)) != NULL)
			snprintf(e->hint, sizeof(e->hint), "%s", hint);
		r = addr_fail(e, AE_UNKNOWN_TYPE, 0);
		goto fail;
	}
	t = a->type = alias->type;
	a->family = alias->family;
	if (t->flags & AT_NOTLS) {
		r = addr_fail(e, AE_NOTLS, 0);
		goto fail;
	}

	pos = len;
	if (text[pos] == ':') {
		pos++;
		if (t->flags & AT_COMMAND)
			r = addr_parse_command(text, &pos, a, buf, poff, e);
		else if (t->flags & AT_URL)
			r = addr_parse_url(text, &pos, a, buf, poff, e);
		else
			r = addr_parse_params(text, &pos, a, buf, poff, e);
		if (r != 0)
			goto fail;
	}
	if (a->nparams < t->params_min) {
		addr_detail_syntax(e, t);
		r = addr_fail(e, AE_MISSING_PARAM, pos);
		goto fail;
	}
	if (a->nparams > t->params_max) {
		addr_detail_syntax(e, t);
		r = addr_fail(e, AE_EXTRA_PARAM, pos);
		goto fail;
	}
options:
	for (i = 0; i < (size_t)a->nparams; i++) {
		/* exec words after the program may be empty ('') on purpose. */
		if ((t->flags & AT_ARGV) && i > 0)
			break;
		if (a->params[i][0] == '\0') {
			addr_detail_syntax(e, t);
			r = addr_fail(e, AE_EMPTY_PARAM, poff[i]);
			goto fail;
		}
	}
	if ((t->flags & AT_HOSTPORT) && a->nparams > 0) {
		listener = (t->flags & (AT_LISTEN | AT_PASSIVE)) != 0;
		port = a->nparams - 1;
		if (!listener && a->nparams < 2)
			port = -1;
		if (port >= 0) {
			portoff = poff[port];
			r = addr_check_port(a->params[port], portoff, listener,
			    e);
			if (r != 0)
				goto fail;
		}
	}
	while (text[pos] == ',') {
		pos++;
		if ((r = addr_parse_opt(text, &pos, a, buf, e)) != 0)
			goto fail;
	}
	/* What only the type knows: a path's length, a protocol number. */
	if (t->check != NULL && (r = t->check(a, e)) != 0)
		goto fail;
	free(buf);
	return AE_OK;

fail:
	free(buf);
	addr_free(a);
	return r;
}

/*
 * Parse the dual address text, split at offset k ("A!!B"), into a: its
 * halves are parsed as single addresses into a->half[0] (read from) and
 * a->half[1] (written to), each with its own text and options. Returns
 * AE_OK or an AE_* code with e->offset counted in the whole text.
 */
static int
addr_parse_dual(const char *text, size_t k, struct addr *a,
    struct addr_error *e)
{
	struct addr	*h;
	size_t		 start[2] = { 0, k + 2 }, len[2];
	char		*part;
	int		 i, r;

	len[0] = k;
	len[1] = strlen(text) - k - 2;
	a->type = &at_dual;
	for (i = 0; i < 2; i++) {
		part = xmalloc(len[i] + 1);
		memcpy(part, text + start[i], len[i]);
		part[len[i]] = '\0';
		h = xcalloc(1, sizeof(*h));
		if (addr_dual_at(part) != (size_t)-1) {
			snprintf(e->detail, sizeof(e->detail), "one '!!' per "
			    "address");
			r = addr_fail(e, AE_EXTRA_PARAM, addr_dual_at(part));
		} else
			r = addr_parse_single(part, h, e);
		if (r != 0) {
			e->offset += start[i];
			free(part);
			free(h);
			addr_free(a);
			return r;
		}
		h->textbuf = part;
		/* socat opens a half only for its part: read or write. */
		h->role = i == 0 ? ADDR_RDONLY : ADDR_WRONLY;
		a->half[i] = h;
	}
	return AE_OK;
}

/*
 * Parse the address text (SPEC section 3) into a: type, family forced by
 * the alias (tcp4), parameters (unescaped, owned by a) and options, then
 * the type's own check (struct addr_type check, also pure), so its errors
 * are usage errors too (AE_CHECK); a dual address "A!!B" into its two
 * halves (a->half). A text with a '/'
 * before any ':' or ',' is a path (gopen). a->text points at text, which
 * must outlive a. Pure: no I/O, no exit (but the x* allocators exit on no
 * memory). Returns AE_OK (0), or an AE_* code with e->offset the 0-based
 * byte offset of the fault in text and e->hint/e->detail filled where
 * useful; a is then empty (but addr_free() may still be called).
 */
int
addr_parse(const char *text, struct addr *a, struct addr_error *e)
{
	size_t	 k;

	if (text != NULL && (k = addr_dual_at(text)) != (size_t)-1) {
		memset(a, 0, sizeof(*a));
		memset(e, 0, sizeof(*e));
		opts_defaults(&a->opts);
		a->text = text;
		return addr_parse_dual(text, k, a, e);
	}
	return addr_parse_single(text, a, e);
}

/*
 * Free the parameters and option values held by a; a stays valid and
 * empty, so calling it twice is safe.
 */
void
addr_free(struct addr *a)
{
	int	 i;

	if (a == NULL)
		return;
	for (i = 0; i < 2; i++) {
		if (a->half[i] == NULL)
			continue;
		addr_free(a->half[i]);
		free(a->half[i]);
		a->half[i] = NULL;
	}
	free(a->textbuf);
	a->textbuf = NULL;
	for (i = 0; i < a->nparams && i < ADDR_MAXPARAMS; i++) {
		free(a->params[i]);
		a->params[i] = NULL;
	}
	a->nparams = 0;
	opts_free(&a->opts);
}

/*
 * Check a port parameter: a decimal number from 1 to 65535 (0 too when
 * listener is non-zero: the kernel picks one), or a service name
 * [A-Za-z][A-Za-z0-9-]* left to getaddrinfo(3). Returns 1 if valid, else 0.
 */
int
addr_port_valid(const char *p, int listener)
{
	unsigned long	 v;
	size_t		 i;

	if (p == NULL || *p == '\0')
		return 0;
	if (*p >= '0' && *p <= '9')
		return parse_uint(p, listener ? 0 : 1, 65535, &v) == 0;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (i = 1; p[i] != '\0'; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return 0;
	}
	return 1;
}

/*
 * Recognise a port range "LOW-HIGH" (decimal digits on both sides of one
 * '-', nc's -z syntax). Returns 0 with *lo and *hi set when it is a valid
 * range (1 <= LOW <= HIGH <= 65535), -2 when it has that shape but is not
 * valid, -1 when it is no range at all.
 */
int
addr_port_range(const char *p, unsigned *lo, unsigned *hi)
{
	unsigned long	 a, b;
	const char	*dash;
	char		 low[8];
	size_t		 n, i;

	if (p == NULL || (dash = strchr(p, '-')) == NULL)
		return -1;
	n = (size_t)(dash - p);
	if (n == 0 || dash[1] == '\0')
		return -1;
	for (i = 0; p[i] != '\0'; i++)
		if (p + i != dash && (p[i] < '0' || p[i] > '9'))
			return -1;
	if (n >= sizeof(low))
		return -2;
	memcpy(low, p, n);
	low[n] = '\0';
	if (parse_uint(low, 1, 65535, &a) == -1 ||
	    parse_uint(dash + 1, 1, 65535, &b) == -1 || a > b)
		return -2;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

/*
 * Edit distance between a and b ignoring ASCII case: insertions,
 * deletions, substitutions and swaps of two neighbours (optimal string
 * alignment, so "tpc" is 1 from "tcp"). Strings longer than ADDR_WORDMAX
 * bytes are not compared: returns the longer length, which is never close.
 */
size_t
addr_edit_distance(const char *a, const char *b)
{
	size_t	 row[3][ADDR_WORDMAX + 1];
	size_t	*pp, *p, *c, *tmp, la, lb, i, j, v, cost;

	la = strlen(a);
	lb = strlen(b);
	if (la > ADDR_WORDMAX || lb > ADDR_WORDMAX)
		return la > lb ? la : lb;
	pp = row[0];
	p = row[1];
	c = row[2];
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			cost = addr_tolower((unsigned char)a[i - 1]) !=
			    addr_tolower((unsigned char)b[j - 1]);
			v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 &&
			    addr_tolower((unsigned char)a[i - 1]) ==
			    addr_tolower((unsigned char)b[j - 2]) &&
			    addr_tolower((unsigned char)a[i - 2]) ==
			    addr_tolower((unsigned char)b[j - 1]) &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		/* Rotate the rows: the oldest one is reused. */
		tmp = pp;
		pp = p;
		p = c;
		c = tmp;
	}
	return p[lb];
}

/* Append printf-style text to m, truncating at its end. */
static void __printflike(2, 3)
addr_msg_add(struct addr_msg *m, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (m->used + 1 >= m->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->used, m->len - m->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= m->len - m->used)
		m->used = m->len - 1;
	else
		m->used += n;
}

/*
 * Append up to max bytes of s to m, stopping at a byte of stop (if not
 * NULL); control bytes become '?' so the message stays on one line.
 */
static void
addr_msg_word(struct addr_msg *m, const char *s, size_t max,
    const char *stop)
{
	size_t	 i;
	int	 c;

	for (i = 0; s[i] != '\0'; i++) {
		if (stop != NULL && strchr(stop, s[i]) != NULL)
			break;
		if (i == max) {
			addr_msg_add(m, "...");
			break;
		}
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			c = '?';
		addr_msg_add(m, "%c", c);
	}
}

/*
 * Write the message for parse error e of address text into buf (len
 * bytes, always NUL-terminated when len > 0): one line, no "sockcat: "
 * prefix and no newline, quoting the address, e.g.
 * "'tcp:[::1:80': missing ']' at 4" or "'tcpp:x:1': unknown address type
 * 'tcpp'; did you mean tcp?".
 */
void
addr_error_format(const char *text, const struct addr_error *e, char *buf,
    size_t len)
{
	struct addr_msg	 m = { buf, len, 0 };
	const char	*at;
	size_t		 off, tlen;
	int		 positional = 1, detail = 1;

	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (text == NULL)
		text = "";
	tlen = strlen(text);
	off = e->offset > tlen ? tlen : e->offset;
	at = text + off;

	addr_msg_add(&m, "'");
	addr_msg_word(&m, text, ADDR_QUOTEMAX, NULL);
	addr_msg_add(&m, "': ");
	switch (e->code) {
	case AE_OK:
		addr_msg_add(&m, "no error");
		positional = detail = 0;
		break;
	case AE_EMPTY:
		addr_msg_add(&m, "empty address");
		positional = 0;
		break;
	case AE_UNKNOWN_TYPE:
		if (*at == '\0' || *at == ':' || *at == ',')
			addr_msg_add(&m, "missing address type");
		else {
			addr_msg_add(&m, "unknown address type '");
			addr_msg_word(&m, at, ADDR_SHOWMAX, ":,");
			addr_msg_add(&m, "'");
		}
		positional = 0;
		break;
	case AE_MISSING_PARAM:
		addr_msg_add(&m, "missing parameter");
		break;
	case AE_EXTRA_PARAM:
		addr_msg_add(&m, "too many parameters");
		break;
	case AE_EMPTY_PARAM:
		addr_msg_add(&m, "empty parameter");
		break;
	case AE_BRACKET:
		if (*at == '[')
			addr_msg_add(&m, "missing ']'");
		else if (*at == ']' && (off == 0 || text[off - 1] != ']'))
			addr_msg_add(&m, "']' without '['");
		else
			addr_msg_add(&m, "unexpected character after ']'");
		break;
	case AE_QUOTE:
		addr_msg_add(&m, "unterminated quote");
		break;
	case AE_ESCAPE:
		addr_msg_add(&m, "backslash at the end");
		break;
	case AE_BAD_PORT:
		addr_msg_word(&m, e->detail[0] != '\0' ? e->detail :
		    "bad port", sizeof(e->detail), NULL);
		detail = 0;
		break;
	case AE_UNKNOWN_OPT:
		addr_msg_add(&m, "unknown option '");
		addr_msg_word(&m, at, ADDR_SHOWMAX, "=,");
		addr_msg_add(&m, "'");
		break;
	case AE_OPT_PLACE:
		addr_msg_add(&m, "option '");
		addr_msg_word(&m, at, ADDR_SHOWMAX, "=,");
		addr_msg_add(&m, "' does not apply to ");
		addr_msg_word(&m, e->detail, sizeof(e->detail), NULL);
		positional = detail = 0;
		break;
	case AE_OPT_VALUE:
		addr_msg_add(&m, "bad value for option '");
		addr_msg_word(&m, at, ADDR_SHOWMAX, "=,");
		addr_msg_add(&m, "' at %zu: ", off);
		addr_msg_word(&m, e->detail, sizeof(e->detail), NULL);
		positional = detail = 0;
		break;
	case AE_OPT_DUP:
		addr_msg_add(&m, "option '");
		addr_msg_word(&m, at, ADDR_SHOWMAX, "=,");
		addr_msg_add(&m, "' given twice");
		break;
	case AE_EMPTY_OPT:
		addr_msg_add(&m, "empty option");
		break;
	case AE_STRAY_SPACE:
		addr_msg_add(&m, "space before an option");
		break;
	case AE_NOTLS:
		addr_msg_add(&m, "this sockcat was built without TLS "
		    "(OpenSSL)");
		positional = detail = 0;
		break;
	case AE_CHECK:
		addr_msg_word(&m, e->detail[0] != '\0' ? e->detail :
		    "invalid address", sizeof(e->detail), NULL);
		positional = detail = 0;
		break;
	default:
		addr_msg_add(&m, "malformed address");
		break;
	}
	if (positional)
		addr_msg_add(&m, " at %zu", off);
	if (detail && e->detail[0] != '\0') {
		addr_msg_add(&m, "; ");
		addr_msg_word(&m, e->detail, sizeof(e->detail), NULL);
	}
	if (e->hint[0] != '\0') {
		addr_msg_add(&m, "; did you mean ");
		addr_msg_word(&m, e->hint, sizeof(e->hint), NULL);
		addr_msg_add(&m, "?");
	}
}
