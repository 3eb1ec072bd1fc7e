/* ep-udp.c: the "udp" and "udp-listen" addresses. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "sockcat.h"

static int	udp_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	udp_listen(const struct addr *, struct listener *);

const struct addr_type at_udp = {
	.name = "udp",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT,
	.groups = G_ANY | G_SOCKET | G_IP,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "HOST:PORT",
	.help = "connected UDP client: one datagram per read and write",
	.open = udp_open,
	.check = inet_check,
};

const struct addr_type at_udp_listen = {
	.name = "udp-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_DGRAM | AT_HOSTPORT,
	.groups = G_ANY | G_SOCKET | G_IP | G_LISTEN | G_IPLISTEN | G_REUSE,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "[HOST:]PORT",
	.help = "UDP server: talks to the sender of the first datagram",
	.listen = udp_listen,
	.check = inet_check,
};

/*
 * A connected UDP socket to HOST:PORT: the kernel then only delivers that
 * peer's datagrams, and an ICMP port unreachable shows as ECONNREFUSED.
 */
static int
udp_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	int	fd, r;

	if ((r = inet_connect(a, SOCK_DGRAM, IPPROTO_UDP, &fd)) != 0)
		return r;
	return ep_socket_endpoint(a, fd, ep);
}

/* Bind the udp-listen socket; listen.c waits for the first datagram. */
static int
udp_listen(const struct addr *a, struct listener *l)
{
	return inet_listen(a, SOCK_DGRAM, IPPROTO_UDP, l);
}
