/* ep-proxy.c: socat's proxy clients, the proxy servers, and proxy chains. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * A proxy handshake without connect-timeout= gives up after this long, ms
 * (as a TLS client handshake does), so a proxy that accepts and never
 * answers cannot hold a session for ever.
 */
#define PROXY_TIMEOUT_MS	60000

/*
 * socks4:, socks4a:, socks5: (socks5-connect): socat's SOCKS clients, one
 * type, the version from the alias (addr-table.c). socks5: sends the name
 * to the proxy, as socat's does.
 */
const struct addr_type at_socks = {
	.name = "socks5",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_HOSTPORT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "PROXY:HOST:PORT",
	.help = "TCP via a SOCKS proxy (socat's; socks4, socks4a too)",
	.open = ep_tcp_open,
	.check = inet_check,
};

/* proxy: (proxy-connect): socat's HTTP CONNECT client. */
const struct addr_type at_proxy_connect = {
	.name = "proxy",
	.params_min = 3,
	.params_max = 3,
	.flags = AT_HOSTPORT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "PROXY:HOST:PORT",
	.help = "TCP client via an HTTP CONNECT proxy (socat's)",
	.open = ep_tcp_open,
	.check = inet_check,
};

const struct addr_type at_socks5_listen = {
	.name = "socks5-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_OWNPEER | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_IPLISTEN | G_REUSE | G_PROXYSRV,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "SOCKS5 proxy server (clients name targets)",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

const struct addr_type at_proxy_listen = {
	.name = "proxy-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_OWNPEER | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_IPLISTEN | G_REUSE | G_PROXYSRV,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "HTTP CONNECT proxy server (clients name targets)",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

/*
 * The number of port (a number or a service name, getservbyname(3)).
 * Returns 0, or EXIT_RESOLVE after a message.
 */
static int
proxy_port(const struct addr *a, const char *port, unsigned *num)
{
	struct servent	*se;
	unsigned long	 v;

	if (parse_uint(port, 1, 65535, &v) == 0) {
		*num = (unsigned)v;
		return 0;
	}
	if ((se = getservbyname(port, "tcp")) == NULL) {
		warnx("%s: port %s: unknown service", a->text, port);
		return EXIT_RESOLVE;
	}
	*num = ntohs((unsigned short)se->s_port);
	return 0;
}

/*
 * Put on ep a TLS layer to the https proxy h: verified against the system
 * store or proxy-cafile=, its name (SNI and the certificate check) h's
 * host. Its handshake is left to the CONNECT layer above it, so that a
 * failure names the hop. Returns 0, or an EXIT_* status after a message.
 */
static int
proxy_tls(struct endpoint *ep, const struct addr *a,
    const struct proxy_hop *h)
{
	struct addr	pa;
	char		why[128];
	int		r;

	memset(&pa, 0, sizeof(pa));
	pa.text = a->text;
	pa.type = &at_tls;
	pa.family = a->family;
	pa.params[0] = (char *)(uintptr_t)h->host;
	pa.nparams = 1;
	opts_defaults(&pa.opts);
	if (opts_isset(&a->opts, OPT_PROXY_CAFILE) &&
	    opts_set_value(&pa.opts, OPT_CAFILE, a->opts.proxy_cafile, why,
	    sizeof(why)) == -1) {
		warnx("%s: proxy-cafile: %s", a->text, why);
		return EXIT_USAGE;
	}
	r = tls_attach(ep, &pa, h->host, 0);
	opts_free(&pa.opts);
	if (r != 0)
		return r;
	/* Driven by http_client_step(), under its deadline. */
	ep->ready = 1;
	ep->deadline = -1;
	return 0;
}

/*
 * proxyauth-file=FILE (socat's proxy-authorization-file): read the
 * USER:PASS line of FILE, so the credentials never show in ps(1), and give
 * it to the HTTP and https hops of pc that have none, as proxyauth= would.
 * One line; its LF or CRLF is not part of the password (socat 1.7.4 sends
 * it inside the Basic credentials). Returns 0, or EXIT_RUNTIME (the file
 * cannot be read) or EXIT_USAGE (not USER:PASS) after a message that
 * names the file but never quotes it.
 */
static int
proxy_auth_file(const struct addr *a, struct proxy_chain *pc)
{
	char	buf[2 * PROXY_CREDMAX + 4], why[128];
	ssize_t	n;
	size_t	len;
	int	fd, i;

	if (!opts_isset(&a->opts, OPT_PROXYAUTH_FILE))
		return 0;
	if ((fd = open(a->opts.proxyauth_file, O_RDONLY | O_CLOEXEC)) == -1) {
		warn("%s: proxyauth-file=%s", a->text, a->opts.proxyauth_file);
		return EXIT_RUNTIME;
	}
	len = 0;
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("%s: proxyauth-file=%s", a->text,
			    a->opts.proxyauth_file);
			close(fd);
			return EXIT_RUNTIME;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (strlen(buf) != len || strpbrk(buf, "\r\n") != NULL)
		snprintf(why, sizeof(why), "one line of USER:PASS expected");
	else if (proxy_check_userpass(buf, why, sizeof(why)) == 0) {
		for (i = 0; i < pc->n; i++)
			if ((pc->hop[i].scheme == PROXY_HTTP ||
			    pc->hop[i].scheme == PROXY_HTTPS) &&
			    pc->hop[i].auth == 0)
				proxy_set_userpass(&pc->hop[i], buf);
		explicit_bzero(buf, sizeof(buf));
		return 0;
	}
	explicit_bzero(buf, sizeof(buf));
	warnx("%s: proxyauth-file=%s: %s", a->text, a->opts.proxyauth_file,
	    why);
	return EXIT_USAGE;
}

/*
 * Put on the connected endpoint ep (address a) its proxy layers. A client
 * (server 0) connected to the first proxy of its chain (proxy_first_hop())
 * gets one layer per hop, bottom-up: each asks its proxy for the next
 * one, the last for the target (HOST:PORT); an https hop is TLS to the
 * proxy under CONNECT. Their handshakes are bounded by connect-timeout=
 * (the caller's deadline), else by PROXY_TIMEOUT_MS. A socks5-listen or
 * proxy-listen peer (server 1) gets the server layer. Others get nothing.
 * Returns 0, or an EXIT_* status after a message (layers already put on
 * stay; the caller closes ep).
 */
int
proxy_attach(const struct addr *a, struct endpoint *ep, int server)
{
	struct proxy_chain	*pc;
	const struct proxy_hop	*h;
	const char		*host;
	char			 why[160];
	unsigned		 port;
	long			 deadline = -1;
	int			 i, r = 0;

	if (server) {
		if (a->type == &at_socks5_listen)
			return socks_server_attach(ep, a);
		if (a->type == &at_proxy_listen)
			return http_server_attach(ep, a);
		return 0;
	}
	if (!(a->type->groups & G_PROXY))
		return 0;
	pc = xcalloc(1, sizeof(*pc));
	if (proxy_chain_build(a, pc, why, sizeof(why)) == -1) {
		warnx("%s: %s", a->text, why);
		free(pc);
		return EXIT_USAGE;
	}
	if ((pc->n > 0 && (r = proxy_port(a, pc->port, &port)) != 0) ||
	    (r = proxy_auth_file(a, pc)) != 0) {
		free(pc);
		return r;
	}
	if (!opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		deadline = now_ms() + PROXY_TIMEOUT_MS;
	for (i = 0; i < pc->n && r == 0; i++) {
		h = &pc->hop[i];
		host = pc->host;
		if (i + 1 < pc->n) {
			host = pc->hop[i + 1].host;
			port = pc->hop[i + 1].port;
		} else if ((r = proxy_port(a, pc->port, &port)) != 0)
			break;
		switch (h->scheme) {
		case PROXY_HTTPS:
			if ((r = proxy_tls(ep, a, h)) != 0)
				break;
			r = http_connect_attach(ep, a, h, host, port,
			    deadline, 1);
			break;
		case PROXY_HTTP:
			r = http_connect_attach(ep, a, h, host, port,
			    deadline, 0);
			break;
		default:
			r = socks_attach(ep, a, h, host, port, deadline);
			break;
		}
	}
	explicit_bzero(pc, sizeof(*pc));
	free(pc);
	return r;
}
