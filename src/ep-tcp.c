/* ep-tcp.c: the "tcp" and "tcp-listen" addresses. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "sockcat.h"

const struct addr_type at_tcp = {
	.name = "tcp",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_HOSTPORT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_CLIENT | G_PROXY |
	    G_TELNET | G_RETRY | G_CHILD,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "HOST:PORT",
	.help = "TCP client (IPv6 and IPv4 raced)",
	.open = ep_tcp_open,
	.check = inet_check,
};

const struct addr_type at_tcp_listen = {
	.name = "tcp-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_HOSTPORT | AT_LOOP,
	.groups = G_ANY | G_SOCKET | G_IP | G_TCP | G_LISTEN | G_MANY |
	    G_ROOM | G_IPLISTEN | G_REUSE | G_RETRY | G_RANGE,
	.socktype = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.syntax = "[HOST:]PORT",
	.help = "TCP server: one connection, or every one with fork",
	.listen = ep_tcp_listen,
	.check = inet_check,
};

/*
 * Open a TCP client endpoint (also the socket under tls and the proxy
 * types): start the connect to HOST:PORT, or to the first proxy of its
 * chain, that inet_connect_start() describes; the endpoint's
 * handshake finishes it (session_open waits for it, an event loop drives
 * it). Returns 0.
 */
int
ep_tcp_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct proxy_dest	dst;

	proxy_first_hop(a, &dst);
	inet_connect_start(a, dst.host, dst.port, dst.label, SOCK_STREAM,
	    IPPROTO_TCP, ep);
	return 0;
}

/*
 * Create the listening socket of tcp-listen (and tls-listen) on
 * [HOST:]PORT. Returns 0 or an EXIT_* status after a message.
 */
int
ep_tcp_listen(const struct addr *a, struct listener *l)
{
	return inet_listen(a, SOCK_STREAM, IPPROTO_TCP, l);
}
