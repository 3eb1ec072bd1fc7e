/* ep-ws.c: the "ws", "wss", "ws-listen" and "wss-listen" addresses. */
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

#include <stdio.h>
#include <string.h>

#include "sockcat.h"

/*
 * WebSocket needs SHA-1 and random bytes from OpenSSL (the TLS module):
 * in a build without it the parser refuses these types, as it does tls.
 */
#ifdef HAVE_OPENSSL
#define WS_AT_FLAGS	0
#else
#define WS_AT_FLAGS	AT_NOTLS
#endif

/*
 * The WebSocket layer sits on a TCP (or TLS) connection: the clients and
 * listeners are TCP's (ep-tcp.c), and session_layers() puts the layer on.
 * A URL (AT_URL) gives HOST, PORT and PATH as params[0..2].
 */
const struct addr_type at_ws = {
	.name = "ws",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_URL | AT_LOOP | WS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY | G_WS,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "//HOST[:PORT][/PATH]",
	.help = "WebSocket client (ws:HOST:PORT/PATH works too)",
	.open = ep_tcp_open,
	.check = inet_check,
};

const struct addr_type at_wss = {
	.name = "wss",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_URL | AT_TLS | AT_LOOP | WS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY | G_WS |
	    G_TLS | G_TLSCLIENT,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "//HOST[:PORT][/PATH]",
	.help = "WebSocket client over TLS, verified as tls",
	.open = ep_tcp_open,
	.check = inet_check,
};

const struct addr_type at_ws_listen = {
	.name = "ws-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_LOOP | WS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_ROOM | G_IPLISTEN | G_REUSE | G_WS | G_WSLISTEN,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "WebSocket server: one client, or every one with fork",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

const struct addr_type at_wss_listen = {
	.name = "wss-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_TLS | AT_LOOP | WS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_ROOM | G_IPLISTEN | G_REUSE | G_TLS | G_WS | G_WSLISTEN,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "WebSocket server over TLS (needs cert=)",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

/* Is c a tchar of RFC 7230 section 3.2.6 (header names, tokens)? */
static int
ws_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Is the n bytes at p a token (non-empty, tchars only)? */
static int
ws_token(const char *p, size_t n)
{
	size_t	i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!ws_tchar((unsigned char)p[i]))
			return 0;
	return 1;
}

/*
 * Check header=NAME:VALUE[+NAME:VALUE...]: each NAME a token followed by
 * ':', no control byte in a VALUE. A '+' starts a new header only where
 * "NAME:" follows it, so values may hold '+' (base64 credentials). Returns
 * 0, or -1 with the reason in why (len bytes).
 */
static int
ws_check_headers(const char *list, char *why, size_t len)
{
	const char	*p = list, *colon;
	size_t		 n;

	while (*p != '\0') {
		n = strcspn(p, ":");
		colon = p + n;
		if (*colon != ':' || !ws_token(p, n)) {
			snprintf(why, len, "header=: '%.*s' is not NAME:VALUE",
			    (int)strcspn(p, "+"), p);
			return -1;
		}
		for (p = colon + 1; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 && *p != '\t') {
				snprintf(why, len, "header=: a control byte in "
				    "the value of %.*s", (int)n, colon - n);
				return -1;
			}
			/* A '+' then NAME: is the next header. */
			n = strcspn(p + 1, ":+");
			if (*p == '+' && p[1 + n] == ':' && ws_token(p + 1, n))
				break;
		}
		if (*p == '+')
			p++;
	}
	return 0;
}

/*
 * Checks of a WebSocket address that the option table cannot make, done
 * before anything is opened (SPEC section 3): text and binary exclude
 * each other; protocol= is a '+'-list of tokens (RFC 6455 section 4.1);
 * header= holds NAME:VALUE pairs; path= starts with '/'; origin= has no
 * empty entry. Returns 0, or -1 with the reason in why (len bytes).
 */
int
ws_addr_check(const struct addr *a, char *why, size_t len)
{
	const struct addr_opts	*o = &a->opts;
	const char		*p;
	size_t			 n;

	if (!(a->type->groups & G_WS))
		return 0;
	if (opts_isset(o, OPT_TEXT) && opts_isset(o, OPT_BINARY) &&
	    o->ws_text == o->ws_binary) {
		snprintf(why, len, "text and binary exclude each other");
		return -1;
	}
	if (opts_isset(o, OPT_PROTOCOL)) {
		for (p = o->protocol;; p += n + 1) {
			n = strcspn(p, "+");
			if (!ws_token(p, n)) {
				snprintf(why, len, "protocol=: '%.*s' is not a "
				    "token", (int)n, p);
				return -1;
			}
			if (p[n] == '\0')
				break;
		}
	}
	if (opts_isset(o, OPT_HEADER) && ws_check_headers(o->header, why,
	    len) == -1)
		return -1;
	if (opts_isset(o, OPT_PATH) && o->path[0] != '/') {
		snprintf(why, len, "path=%s: a path starts with '/'", o->path);
		return -1;
	}
	if (opts_isset(o, OPT_ORIGIN)) {
		for (p = o->origin;; p += n + 1) {
			n = strcspn(p, "+");
			if (n == 0) {
				snprintf(why, len, "origin=: an empty entry");
				return -1;
			}
			if (p[n] == '\0')
				break;
		}
	}
	return 0;
}
