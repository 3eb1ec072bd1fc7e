/* ep-udp.c: the "udp" and "udp-listen" addresses. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <unistd.h>

#include "sockcat.h"


const struct addr_type at_udp = {
	.name = "udp",
	.params_min = 2,
	.params_max = 2,
	.flags = AT_DGRAM | AT_HOSTPORT,
	.groups = G_ANY | G_SOCKET | G_IP | G_IPDGRAM,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "HOST:PORT",
	.help = "connected UDP client: one datagram per read and write",
	.open = ep_udp_open,
	.check = inet_check,
};

const struct addr_type at_udp_listen = {
	.name = "udp-listen",
	.params_min = 1,
	.params_max = 2,
	.flags = AT_LISTEN | AT_DGRAM | AT_HOSTPORT,
	.groups = G_ANY | G_SOCKET | G_IP | G_LISTEN | G_IPLISTEN | G_REUSE |
	    G_RETRY | G_RANGE | G_IPDGRAM,
	.socktype = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.syntax = "[HOST:]PORT",
	.help = "UDP server: talks to the sender of the first datagram",
	.listen = ep_udp_listen,
	.check = inet_check,
};

/*
 * A connected UDP socket to HOST:PORT: the kernel then only delivers that
 * peer's datagrams, and an ICMP port unreachable shows as ECONNREFUSED.
 * A datagram endpoint (ep-dgram.c), so shut-null and null-eof work.
 * Returns 0 or an EXIT_* status after a message.
 */
int
ep_udp_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	int	fd, r;

	if ((r = inet_connect(a, SOCK_DGRAM, IPPROTO_UDP, &fd)) != 0)
		return r;
	if ((r = inet_dgram_options(a, fd)) != 0) {
		close(fd);
		return r;
	}
	return dgram_endpoint(a, fd, DGRAM_CONNECTED, NULL, 0, NULL, ep);
}

/*
 * Bind the udp-listen (and dtls-listen) socket; listen.c waits for the
 * first datagram. Returns 0 or an EXIT_* status after a message.
 */
int
ep_udp_listen(const struct addr *a, struct listener *l)
{
	return inet_listen(a, SOCK_DGRAM, IPPROTO_UDP, l);
}
