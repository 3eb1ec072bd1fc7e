/* log.c: -v lines, -x hex dumps and printable socket addresses. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sockcat.h"

/* "ID PEER" shown in -v lines of a session, or "" outside sessions. */
static char log_tag[192];

/*
 * In a fork child serving the peer of socket fd as session `id` (counted
 * by the listener from 1): tag every later -v line with the session id and
 * that peer, "sockcat[12 127.0.0.1:5555]: ", so the lines of concurrent
 * sessions can be told apart (SPEC 10).
 */
void
log_set_session(int fd, uint64_t id)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);
	char			peer[160];

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		log_sockaddr((struct sockaddr *)&ss, len, peer, sizeof(peer));
	else
		snprintf(peer, sizeof(peer), "?");
	snprintf(log_tag, sizeof(log_tag), "%llu %s", (unsigned long long)id,
	    peer);
}

/*
 * Tag the -v lines that follow with `tag` ("ID PEER" of the session an
 * event loop is stepping), or with nothing again when tag is NULL.
 */
void
log_set_tag(const char *tag)
{
	snprintf(log_tag, sizeof(log_tag), "%s", tag != NULL ? tag : "");
}

/*
 * Print one diagnostic line on stderr when -v was given at least `level`
 * times: "sockcat: " (or "sockcat[ID PEER]: " in a session of a fork
 * listener) and the message.
 * stdout is never touched: it carries data only.
 */
void
log_verbose(int level, const char *fmt, ...)
{
	char	line[1024];
	int	n;
	va_list	ap;

	if (cfg.verbose < level)
		return;
	if (log_tag[0] != '\0')
		n = snprintf(line, sizeof(line), "sockcat[%s]: ", log_tag);
	else
		n = snprintf(line, sizeof(line), "sockcat: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One fprintf per line so lines of several processes do not mix. */
	fprintf(stderr, "%s\n", line);
}

/*
 * Format a socket address into buf (size bytes): "127.0.0.1:80",
 * "[::1]:80", "[fe80::1%lo]:80" with a scope (IPv4-mapped IPv6 shown as
 * plain IPv4), a unix path,
 * "@name" for an abstract name, or "(unnamed)". Returns buf.
 */
char *
log_sockaddr(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const struct sockaddr_un	*sun;
	struct in_addr			 v4;
	char				 host[INET6_ADDRSTRLEN];
	char				 ifname[IF_NAMESIZE];
	char				 scope[IF_NAMESIZE + 12];
	size_t				 plen;

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(sin->sin_port));
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(&v4, &sin6->sin6_addr.s6_addr[12], 4);
			inet_ntop(AF_INET, &v4, host, sizeof(host));
			snprintf(buf, size, "%s:%u", host,
			    ntohs(sin6->sin6_port));
		} else {
			inet_ntop(AF_INET6, &sin6->sin6_addr, host,
			    sizeof(host));
			/* The scope of a link-local address (RFC 4007 11). */
			scope[0] = '\0';
			if (sin6->sin6_scope_id != 0 &&
			    if_indextoname(sin6->sin6_scope_id, ifname) != NULL)
				snprintf(scope, sizeof(scope), "%%%s", ifname);
			else if (sin6->sin6_scope_id != 0)
				snprintf(scope, sizeof(scope), "%%%u",
				    (unsigned)sin6->sin6_scope_id);
			snprintf(buf, size, "[%s%s]:%u", host, scope,
			    ntohs(sin6->sin6_port));
		}
		break;
	case AF_UNIX:
		sun = (const struct sockaddr_un *)sa;
		plen = len > offsetof(struct sockaddr_un, sun_path) ?
		    len - offsetof(struct sockaddr_un, sun_path) : 0;
		if (plen == 0)
			snprintf(buf, size, "(unnamed)");
		else if (sun->sun_path[0] == '\0')
			snprintf(buf, size, "@%.*s", (int)(plen - 1),
			    sun->sun_path + 1);
		else
			snprintf(buf, size, "%.*s", (int)strnlen(sun->sun_path,
			    plen), sun->sun_path);
		break;
	default:
		snprintf(buf, size, "(family %d)", sa->sa_family);
		break;
	}
	return buf;
}

/*
 * -x: dump len bytes of data on stderr as socat does, in a block headed by
 * the direction marker ('>' ADDRESS1 to ADDRESS2, '<' the other way), the
 * offset of the block in that direction's stream (bytes) and its length;
 * with -v also a timestamp. Lines of 16 bytes: offset, hex, ASCII.
 */
void
log_hexdump(int marker, const void *data, size_t len, uint64_t offset)
{
	const unsigned char	*p = data;
	char			 line[128], stamp[64];
	struct timeval		 tv;
	struct tm		 tm;
	size_t			 i, j;
	int			 n;

	stamp[0] = '\0';
	if (cfg.verbose > 0) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		n = (int)strftime(stamp, sizeof(stamp), " %Y/%m/%d %H:%M:%S",
		    &tm);
		snprintf(stamp + n, sizeof(stamp) - (size_t)n, ".%06ld",
		    (long)tv.tv_usec);
	}
	fprintf(stderr, "%c%s offset=%llu length=%zu\n", marker, stamp,
	    (unsigned long long)offset, len);
	for (i = 0; i < len; i += 16) {
		n = snprintf(line, sizeof(line), " %08llx ",
		    (unsigned long long)(offset + i));
		for (j = 0; j < 16; j++) {
			if (i + j < len)
				n += snprintf(line + n, sizeof(line) - (size_t)n,
				    " %02x", p[i + j]);
			else
				n += snprintf(line + n, sizeof(line) - (size_t)n,
				    "   ");
		}
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  ");
		for (j = 0; j < 16 && i + j < len; j++)
			line[n++] = isprint(p[i + j]) ? (char)p[i + j] : '.';
		line[n] = '\0';
		fprintf(stderr, "%s\n", line);
	}
	fprintf(stderr, "--\n");
}
