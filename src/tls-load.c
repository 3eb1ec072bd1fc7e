/* tls-load.c: the TLS address types, and loading the TLS module on use. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <dlfcn.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

#ifdef HAVE_OPENSSL
#define TLS_AT_FLAGS	0
#else
#define TLS_AT_FLAGS	AT_NOTLS
#endif

/* TCP client and listener code shared with at_tcp (ep-tcp.c). */
const struct addr_type at_tls = {
	.name = "tls",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_HOSTPORT | AT_TLS | TLS_AT_FLAGS | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_TLS |
	    G_TLSCLIENT | G_PROXY | G_RETRY | G_CHILD,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "HOST:PORT",
	.help = "TCP client with TLS on top",
	.open = ep_tcp_open,
	.check = inet_check,
};

const struct addr_type at_tls_listen = {
	.name = "tls-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_TLS | TLS_AT_FLAGS | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_ROOM | G_IPLISTEN | G_REUSE | G_TLS | G_RETRY | G_RANGE,
	.family = AF_UNSPEC,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "TCP server with TLS on top",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

/* A connected UDP socket (ep-udp.c) with DTLS on top (dtls.c). */
const struct addr_type at_dtls = {
	.name = "dtls",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT | AT_DTLS | TLS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_CLIENT | G_RETRY | G_TLS |
	    G_TLSCLIENT,
	.family = AF_UNSPEC,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "HOST:PORT",
	.help = "DTLS 1.2 client over UDP (socat's openssl-dtls-client)",
	.open = ep_udp_open,
	.check = inet_check,
};

/* A datagram listener (udp-listen) with DTLS on top, as a server. */
const struct addr_type at_dtls_listen = {
	.name = "dtls-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_DGRAM | AT_HOSTPORT | AT_DTLS | TLS_AT_FLAGS,
	.groups = G_ANY | G_SOCKET | G_IP | G_LISTEN | G_IPLISTEN |
	    G_REUSE | G_RETRY | G_RANGE | G_TLS,
	.family = AF_UNSPEC,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "[HOST:]PORT",
	.help = "DTLS 1.2 server over UDP (socat's openssl-dtls-server)",
	.listen = ep_udp_listen,
	.check = inet_check,
};

#ifdef HAVE_OPENSSL

/*
 * Where the module is installed: Makefile.am passes
 * $(pkglibdir)/sockcat-tls.so. Builds outside it (the fuzz targets) never
 * load the module; they get configure's default.
 */
#ifndef TLS_MODULE_PATH
#define TLS_MODULE_PATH	"/usr/local/lib/sockcat/sockcat-tls.so"
#endif

#ifndef HAVE_SECURE_GETENV
#define secure_getenv	getenv
#endif

/* The binary's side of the interface: everything tls.c calls back. */
static const struct tls_host tls_host = {
	.cfg = &cfg,
	.sig_term = &sig_term,
	.log_verbose = log_verbose,
	.now_ms = now_ms,
	.opts_isset = opts_isset,
	.ep_linger = ep_linger,
	.xmalloc = xmalloc,
	.xcalloc = xcalloc,
	.xstrdup = xstrdup,
	.layer_push = layer_push,
	.layer_close_below = layer_close_below,
};

/* The module once loaded; else, after a try, why it could not be. */
static const struct tls_module	*tls_module;
static int			 tls_tried;
static char			 tls_error[512];

/*
 * The module beside the running binary, for a build used where it was
 * built (./sockcat in the source tree): "DIR/sockcat-tls.so" in buf (len
 * bytes) when that file exists, else NULL.
 */
static const char *
tls_beside_binary(char *buf, size_t len)
{
	ssize_t	 n;
	char	*slash;

	if ((n = readlink("/proc/self/exe", buf, len - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL ||
	    (size_t)snprintf(slash, len - (size_t)(slash - buf),
	    "/sockcat-tls.so") >= len - (size_t)(slash - buf))
		return NULL;
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/*
 * Load the module once: $SOCKCAT_TLS_MODULE (ignored in a set-user-ID
 * process), else TLS_MODULE_PATH, else, when that is not installed, the
 * module beside the binary. Returns it, or NULL with tls_error set to
 * "TLS module PATH: reason".
 */
static const struct tls_module *
tls_load(void)
{
	const struct tls_module	*m;
	const char		*path, *why, *beside;
	char			 buf[256];
	void			*h;
	size_t			 n;

	if (tls_tried)
		return tls_module;
	tls_tried = 1;
	if ((path = secure_getenv("SOCKCAT_TLS_MODULE")) == NULL ||
	    *path == '\0') {
		path = TLS_MODULE_PATH;
		if (access(path, R_OK) == -1 &&
		    (beside = tls_beside_binary(buf, sizeof(buf))) != NULL)
			path = beside;
	}
	/* RTLD_NOW: a missing symbol fails here, not in mid-session. */
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		if ((why = dlerror()) == NULL)
			why = "cannot load";
		/* dlerror() names the file again: "PATH: reason". */
		n = strlen(path);
		if (strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2;
		snprintf(tls_error, sizeof(tls_error), "TLS module %s: %s",
		    path, why);
		return NULL;
	}
	if ((m = dlsym(h, TLS_MODULE_SYMBOL)) == NULL) {
		snprintf(tls_error, sizeof(tls_error), "TLS module %s: not a "
		    "sockcat TLS module (no %s)", path, TLS_MODULE_SYMBOL);
		dlclose(h);
		return NULL;
	}
	if (m->abi == NULL || strcmp(m->abi, TLS_MODULE_ABI) != 0) {
		snprintf(tls_error, sizeof(tls_error), "TLS module %s: built "
		    "for %s, not for %s", path, m->abi ? m->abi : "?",
		    TLS_MODULE_ABI);
		dlclose(h);
		return NULL;
	}
	/* The handle stays open until exit: no dlclose, nothing to free. */
	m->init(&tls_host);
	tls_module = m;
	return m;
}

/*
 * Make TLS ready for address `a` (a TLS type, or a WebSocket one, which
 * needs only the module's crypto): load the OpenSSL module now, and for
 * a TLS type set up OpenSSL's TLS, so that a missing module fails before
 * anything is opened and a fork listener does it once, in the parent.
 * Returns 0, or EXIT_RUNTIME
 * after one line "sockcat: ADDR: TLS module PATH: reason" (dlopen(3)'s
 * reason).
 */
int
tls_init(const struct addr *a)
{
	if (tls_load() != NULL) {
		/* The TLS library itself only for addresses with TLS. */
		if (a->type->flags & AT_TLS)
			tls_module->ssl_init();
		return 0;
	}
	warnx("%s: %s", a->text, tls_error);
	return EXIT_RUNTIME;
}

/*
 * Put a TLS layer on the stream endpoint `ep` of address `a`, as client
 * (server == 0), checking the name `host` (NULL: a->params[0]), or as
 * server (server == 1). The handshake runs later, as the layer's
 * handshake op (layer_handshake(), layer_wait()). Returns 0, or an EXIT_*
 * status after one line naming the address and the reason: EXIT_RUNTIME
 * (module, cert/key/CA files), EXIT_USAGE (bad option value). See
 * tls_mod_attach() in tls.c.
 */
int
tls_attach(struct endpoint *ep, const struct addr *a, const char *host,
    int server)
{
	int	r;

	if ((r = tls_init(a)) != 0)
		return r;
	/* TLS for an address that is not a TLS type: an https:// proxy. */
	tls_module->ssl_init();
	return tls_module->attach(ep, a, host, server);
}

/*
 * Put a DTLS layer on the datagram endpoint `ep` of address `a` (a dtls
 * type), as client (server == 0) or server. As tls_attach(), with the
 * handshake's retransmissions timed by the layer (dtls_mod_attach() in
 * dtls.c). Returns 0 or an EXIT_* status after a message.
 */
int
dtls_attach(struct endpoint *ep, const struct addr *a, int server)
{
	int	r;

	if ((r = tls_init(a)) != 0)
		return r;
	return tls_module->dtls_attach(ep, a, server);
}

/*
 * The OpenSSL version for -V, e.g. "OpenSSL 3.0.19 27 Jan 2026", from the
 * module (loaded for it); "unavailable (reason)" when it cannot be loaded.
 */
const char *
tls_version(void)
{
	static char	buf[sizeof(tls_error) + 16];

	if (tls_load() != NULL)
		return tls_module->version();
	snprintf(buf, sizeof(buf), "unavailable (%s)", tls_error);
	return buf;
}

/*
 * The OpenSSL calls of the WebSocket layer (SHA-1, base64, random bytes),
 * from the TLS module, loaded now if it is not yet. Returns them, or NULL
 * after one line "sockcat: ADDR: TLS module PATH: reason" (as
 * tls_init()).
 */
const struct tls_crypto *
tls_crypto(const struct addr *a)
{
	if (tls_init(a) != 0)
		return NULL;
	return tls_module->crypto;
}

#else /* !HAVE_OPENSSL */

/*
 * TLS addresses in a build without OpenSSL: the parser already refuses
 * them (AT_NOTLS); this is the last guard. Prints the reason and returns
 * EXIT_USAGE.
 */
int
tls_init(const struct addr *a)
{
	warnx("%s: TLS support is not compiled in (built --without-openssl)",
	    a->text);
	return EXIT_USAGE;
}

/* As tls_init(): no TLS in this build; EXIT_USAGE. */
int
tls_attach(struct endpoint *ep __unused, const struct addr *a,
    const char *host __unused, int server __unused)
{
	return tls_init(a);
}

/* No OpenSSL: no WebSocket either (the parser refuses it, AT_NOTLS). */
const struct tls_crypto *
tls_crypto(const struct addr *a)
{
	tls_init(a);
	return NULL;
}

/* As tls_init(): no DTLS in this build; EXIT_USAGE. */
int
dtls_attach(struct endpoint *ep __unused, const struct addr *a,
    int server __unused)
{
	return tls_init(a);
}

/* No TLS library: NULL, so -V says so. */
const char *
tls_version(void)
{
	return NULL;
}

#endif /* HAVE_OPENSSL */
