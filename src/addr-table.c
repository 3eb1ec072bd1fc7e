/* addr-table.c: the address type aliases, their lookup and their help. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

/* Longest alias word looked up, bytes. */
#define ADDR_TABLE_WORDMAX	64

/*
 * Every keyword accepted as an address TYPE, with socat's spellings. This
 * table is SORTED case-insensitively by alias (strcasecmp order, where '-'
 * sorts before digits and letters) because addr_type_find() searches it with
 * bsearch(3). Keep it sorted when adding a row.
 */
static const struct addr_alias addr_table[] = {
	{ "-",			&at_stdio,		AF_UNSPEC },
	{ "abstract",		&at_abstract,		AF_UNSPEC },
	{ "abstract-client",	&at_abstract,		AF_UNSPEC },
	{ "abstract-connect",	&at_abstract,		AF_UNSPEC },
	{ "abstract-l",		&at_abstract_listen,	AF_UNSPEC },
	{ "abstract-listen",	&at_abstract_listen,	AF_UNSPEC },
	{ "abstract-recv",	&at_abstract_recv,	AF_UNSPEC },
	{ "abstract-recvfrom",	&at_abstract_recvfrom,	AF_UNSPEC },
	{ "abstract-sendto",	&at_abstract_sendto,	AF_UNSPEC },
	{ "create",		&at_create,		AF_UNSPEC },
	{ "dtls",		&at_dtls,		AF_UNSPEC },
	{ "dtls-listen",	&at_dtls_listen,	AF_UNSPEC },
	{ "echo",		&at_echo,		AF_UNSPEC },
	{ "exec",		&at_exec,		AF_UNSPEC },
	{ "file",		&at_open,		AF_UNSPEC },
	{ "gopen",		&at_gopen,		AF_UNSPEC },
	{ "ip-recvfrom",	&at_raw_listen,		AF_UNSPEC },
	{ "ip-sendto",		&at_raw,		AF_UNSPEC },
	{ "open",		&at_open,		AF_UNSPEC },
	{ "openssl",		&at_tls,		AF_UNSPEC },
	{ "openssl-connect",	&at_tls,		AF_UNSPEC },
	{ "openssl-dtls-client",&at_dtls,		AF_UNSPEC },
	{ "openssl-dtls-connect",&at_dtls,		AF_UNSPEC },
	{ "openssl-dtls-listen",&at_dtls_listen,	AF_INET },
	{ "openssl-dtls-server",&at_dtls_listen,	AF_INET },
	{ "openssl-l",		&at_tls_listen,		AF_UNSPEC },
	{ "openssl-listen",	&at_tls_listen,		AF_UNSPEC },
	{ "pipe",		&at_echo,		AF_UNSPEC },
	{ "proxy",		&at_proxy_connect,	AF_UNSPEC },
	{ "proxy-connect",	&at_proxy_connect,	AF_UNSPEC },
	{ "proxy-listen",	&at_proxy_listen,	AF_UNSPEC },
	{ "pty",		&at_pty,		AF_UNSPEC },
	{ "raw",		&at_raw,		AF_UNSPEC },
	{ "raw-listen",		&at_raw_listen,		AF_UNSPEC },
	{ "socket-connect",	&at_socket_connect,	AF_UNSPEC },
	{ "socket-datagram",	&at_socket_datagram,	AF_UNSPEC },
	{ "socket-listen",	&at_socket_listen,	AF_UNSPEC },
	{ "socket-recv",	&at_socket_recv,	AF_UNSPEC },
	{ "socket-recvfrom",	&at_socket_recvfrom,	AF_UNSPEC },
	{ "socket-sendto",	&at_socket_sendto,	AF_UNSPEC },
	{ "socks4",		&at_socks,		AF_UNSPEC },
	{ "socks4a",		&at_socks,		AF_UNSPEC },
	{ "socks5",		&at_socks,		AF_UNSPEC },
	{ "socks5-connect",	&at_socks,		AF_UNSPEC },
	{ "socks5-listen",	&at_socks5_listen,	AF_UNSPEC },
	{ "ssl",		&at_tls,		AF_UNSPEC },
	{ "ssl-l",		&at_tls_listen,		AF_UNSPEC },
	{ "ssl-listen",		&at_tls_listen,		AF_UNSPEC },
	{ "stderr",		&at_stderr,		AF_UNSPEC },
	{ "stdin",		&at_stdin,		AF_UNSPEC },
	{ "stdio",		&at_stdio,		AF_UNSPEC },
	{ "stdout",		&at_stdout,		AF_UNSPEC },
	{ "system",		&at_system,		AF_UNSPEC },
	{ "tcp",		&at_tcp,		AF_UNSPEC },
	{ "tcp-connect",	&at_tcp,		AF_UNSPEC },
	{ "tcp-l",		&at_tcp_listen,		AF_UNSPEC },
	{ "tcp-listen",		&at_tcp_listen,		AF_UNSPEC },
	{ "tcp4",		&at_tcp,		AF_INET },
	{ "tcp4-connect",	&at_tcp,		AF_INET },
	{ "tcp4-l",		&at_tcp_listen,		AF_INET },
	{ "tcp4-listen",	&at_tcp_listen,		AF_INET },
	{ "tcp6",		&at_tcp,		AF_INET6 },
	{ "tcp6-connect",	&at_tcp,		AF_INET6 },
	{ "tcp6-l",		&at_tcp_listen,		AF_INET6 },
	{ "tcp6-listen",	&at_tcp_listen,		AF_INET6 },
	{ "telnet",		&at_telnet,		AF_UNSPEC },
	{ "tls",		&at_tls,		AF_UNSPEC },
	{ "tls-l",		&at_tls_listen,		AF_UNSPEC },
	{ "tls-listen",		&at_tls_listen,		AF_UNSPEC },
	{ "udp",		&at_udp,		AF_UNSPEC },
	{ "udp-connect",	&at_udp,		AF_UNSPEC },
	{ "udp-datagram",	&at_udp_datagram,	AF_UNSPEC },
	{ "udp-l",		&at_udp_listen,		AF_UNSPEC },
	{ "udp-listen",		&at_udp_listen,		AF_UNSPEC },
	{ "udp-recv",		&at_udp_recv,		AF_UNSPEC },
	{ "udp-recvfrom",	&at_udp_recvfrom,	AF_UNSPEC },
	{ "udp-sendto",		&at_udp_sendto,		AF_UNSPEC },
	{ "udp4",		&at_udp,		AF_INET },
	{ "udp4-connect",	&at_udp,		AF_INET },
	{ "udp4-datagram",	&at_udp_datagram,	AF_INET },
	{ "udp4-l",		&at_udp_listen,		AF_INET },
	{ "udp4-listen",	&at_udp_listen,		AF_INET },
	{ "udp4-recv",		&at_udp_recv,		AF_INET },
	{ "udp4-recvfrom",	&at_udp_recvfrom,	AF_INET },
	{ "udp4-sendto",	&at_udp_sendto,		AF_INET },
	{ "udp6",		&at_udp,		AF_INET6 },
	{ "udp6-connect",	&at_udp,		AF_INET6 },
	{ "udp6-datagram",	&at_udp_datagram,	AF_INET6 },
	{ "udp6-l",		&at_udp_listen,		AF_INET6 },
	{ "udp6-listen",	&at_udp_listen,		AF_INET6 },
	{ "udp6-recv",		&at_udp_recv,		AF_INET6 },
	{ "udp6-recvfrom",	&at_udp_recvfrom,	AF_INET6 },
	{ "udp6-sendto",	&at_udp_sendto,		AF_INET6 },
	{ "unix",		&at_unix,		AF_UNSPEC },
	{ "unix-client",	&at_unix,		AF_UNSPEC },
	{ "unix-connect",	&at_unix,		AF_UNSPEC },
	{ "unix-l",		&at_unix_listen,	AF_UNSPEC },
	{ "unix-listen",	&at_unix_listen,	AF_UNSPEC },
	{ "unix-recv",		&at_unix_recv,		AF_UNSPEC },
	{ "unix-recvfrom",	&at_unix_recvfrom,	AF_UNSPEC },
	{ "unix-send",		&at_unix_sendto,	AF_UNSPEC },
	{ "unix-sendto",	&at_unix_sendto,	AF_UNSPEC },
	{ "ws",			&at_ws,			AF_UNSPEC },
	{ "ws-l",		&at_ws_listen,		AF_UNSPEC },
	{ "ws-listen",		&at_ws_listen,		AF_UNSPEC },
	{ "wss",		&at_wss,		AF_UNSPEC },
	{ "wss-l",		&at_wss_listen,		AF_UNSPEC },
	{ "wss-listen",		&at_wss_listen,		AF_UNSPEC },
};

/* bsearch(3) comparison: a key string against a table row, ignoring case. */
static int
addr_table_cmp(const void *key, const void *elem)
{
	const struct addr_alias	*a = elem;

	return strcasecmp(key, a->alias);
}

/*
 * Find the alias word (NUL-terminated, any case) in the alias table.
 * Returns its row, or NULL when there is no such address type.
 */
const struct addr_alias *
addr_type_find(const char *word)
{
	if (word == NULL)
		return NULL;
	return bsearch(word, addr_table, nitems(addr_table),
	    sizeof(addr_table[0]), addr_table_cmp);
}

/*
 * Find the alias closest to the misspelt word by edit distance, for "did you
 * mean" hints. A candidate is close when its distance is at most 2, or at
 * most a third of the word's length for longer words, and smaller than the
 * word's length. Returns the alias (static storage) or NULL.
 */
const char *
addr_type_suggest(const char *word)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = (size_t)-1, len, limit;

	if (word == NULL || *word == '\0')
		return NULL;
	len = strlen(word);
	if (len > ADDR_TABLE_WORDMAX)
		return NULL;
	limit = len / 3 > 2 ? len / 3 : 2;
	for (i = 0; i < nitems(addr_table); i++) {
		d = addr_edit_distance(word, addr_table[i].alias);
		if (d < bestd) {
			bestd = d;
			best = addr_table[i].alias;
		}
	}
	if (best == NULL || bestd > limit || bestd >= len)
		return NULL;
	return best;
}

/* Returns the number of rows in the alias table. */
size_t
addr_table_count(void)
{
	return nitems(addr_table);
}

/*
 * Returns row i (0 <= i < addr_table_count()) of the alias table, in sorted
 * order, or NULL when i is out of range.
 */
const struct addr_alias *
addr_table_get(size_t i)
{
	if (i >= nitems(addr_table))
		return NULL;
	return &addr_table[i];
}

/*
 * Write into buf (len bytes) the aliases of type t other than its canonical
 * name, joined by ", ". Returns the number of aliases written.
 */
static int
addr_table_aliases(const struct addr_type *t, char *buf, size_t len)
{
	size_t	 i, used = 0;
	int	 n = 0, w;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; i < nitems(addr_table); i++) {
		if (addr_table[i].type != t ||
		    strcasecmp(addr_table[i].alias, t->name) == 0)
			continue;
		w = snprintf(buf + used, len - used, "%s%s", n ? ", " : "",
		    addr_table[i].alias);
		if (w < 0 || (size_t)w >= len - used) {
			/* Drop a partly written alias rather than cut it. */
			buf[used] = '\0';
			break;
		}
		used += w;
		n++;
	}
	return n;
}

/* qsort(3) comparison of two type pointers by canonical name. */
static int
addr_table_type_cmp(const void *a, const void *b)
{
	const struct addr_type	*const *ta = a, *const *tb = b;

	return strcmp((*ta)->name, (*tb)->name);
}

/*
 * Print the address types to fp, sorted by canonical name (aliases are
 * left to `sockcat -h TYPE`). full (`sockcat -h types`): one line per
 * type, "  name:SYNTAX" padded to column 26, then its help line; else (for
 * `sockcat -h`, which must fit one screen) only the names, by kind:
 * clients, servers (listeners) and local ones (programs, files, stdio),
 * each kind's names wrapped at 79 columns.
 */
void
addr_table_help(FILE *fp, int full)
{
	static const char *const groups[] = { "clients", "servers", "local" };
	const struct addr_type	*types[nitems(addr_table)], *t;
	char			 left[128];
	size_t			 i, j, n = 0, col;
	int			 g, kind;

	for (i = 0; i < nitems(addr_table); i++) {
		for (j = 0; j < n; j++) {
			if (types[j] == addr_table[i].type)
				break;
		}
		if (j == n)
			types[n++] = addr_table[i].type;
	}
	qsort(types, n, sizeof(types[0]), addr_table_type_cmp);
	if (full) {
		for (i = 0; i < n; i++) {
			if (types[i]->syntax != NULL &&
			    *types[i]->syntax != '\0')
				snprintf(left, sizeof(left), "  %s:%s",
				    types[i]->name, types[i]->syntax);
			else
				snprintf(left, sizeof(left), "  %s",
				    types[i]->name);
			print_help_line(fp, 26, left, types[i]->help, NULL);
		}
		return;
	}
	/* One screen: the names by kind, wrapped at 79 columns. */
	for (g = 0; g < (int)nitems(groups); g++) {
		col = (size_t)fprintf(fp, "  %-8s", groups[g]);
		for (i = 0; i < n; i++) {
			t = types[i];
			/*
			 * raw-listen and the receivers (udp-recv,
			 * udp-recvfrom, ...) wait for peers: servers to the
			 * user, if not listeners to us.
			 */
			kind = (t->flags & AT_LISTEN) ||
			    strstr(t->name, "-listen") != NULL ||
			    strstr(t->name, "-recv") != NULL ? 1 :
			    (t->socktype != 0 || t->family != 0 ||
			    (t->groups & G_GENSOCK) ||
			    (t->flags & (AT_HOSTPORT | AT_HOST))) ? 0 : 2;
			if (kind != g)
				continue;
			if (col + 1 + strlen(t->name) > 79) {
				fprintf(fp, "\n%10s", "");
				col = 10;
			}
			col += (size_t)fprintf(fp, " %s", t->name);
		}
		fprintf(fp, "\n");
	}
	if (col > 0)
		fputc('\n', fp);
}

/*
 * Print the help of one address type to fp: "TYPE:SYNTAX", its help line,
 * its aliases, then "Options:" and every option that applies to it.
 */
void
addr_type_help(FILE *fp, const struct addr_type *t)
{
	char	 aliases[256], line[280];

	if (t->syntax != NULL && *t->syntax != '\0')
		fprintf(fp, "%s:%s\n", t->name, t->syntax);
	else
		fprintf(fp, "%s\n", t->name);
	print_help_line(fp, 4, "", t->help, NULL);
	if (addr_table_aliases(t, aliases, sizeof(aliases)) > 0) {
		snprintf(line, sizeof(line), "aliases: %s", aliases);
		print_help_line(fp, 4, "", line, NULL);
	}
	fprintf(fp, "Options:\n");
	opts_help(fp, t->groups);
}
