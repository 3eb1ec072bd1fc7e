/* fuzz-proxyurl.c: libFuzzer target for the proxy URL list parser. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Feeds arbitrary bytes (a NUL-terminated copy) as the value of proxy= to
 * proxy_parse_list(), then as part of a whole address
 * "tcp:target.example:443,proxy=VALUE" to addr_parse() (which may make it
 * socat's dual address "A!!B"), proxy_check() and
 * proxy_first_hop() (proxy.c), and masks the address text with
 * proxy_mask(). Besides the sanitizers it checks: a parsed list has 1 to
 * PROXY_MAXHOPS hops, each with a known scheme, a host of allowed bytes or
 * an IPv6 literal, a port from 0 (not given) to 65535 and NUL-terminated
 * credentials; an error leaves a reason; masking keeps the length and
 * hides every password of a parsed list; the Basic credentials encode.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-proxyurl: check failed: %s\n", #c); \
		abort();						\
	}								\
} while (0)

/* The checks on a parsed chain. */
static void
fuzz_check_chain(const struct proxy_chain *pc)
{
	const struct proxy_hop	*h;
	char			 b64[PROXY_CREDMAX * 3];
	int			 i;

	FUZZ_CHECK(pc->n >= 1 && pc->n <= PROXY_MAXHOPS);
	for (i = 0; i < pc->n; i++) {
		h = &pc->hop[i];
		FUZZ_CHECK(h->scheme >= PROXY_SOCKS4 &&
		    h->scheme <= PROXY_HTTPS);
		FUZZ_CHECK(memchr(h->host, '\0', sizeof(h->host)) != NULL);
		FUZZ_CHECK(h->host[0] != '\0');
		FUZZ_CHECK(strchr(h->host, ':') != NULL ||
		    proxy_host_valid(h->host, strlen(h->host)));
		FUZZ_CHECK(h->port <= 65535);
		FUZZ_CHECK(memchr(h->user, '\0', sizeof(h->user)) != NULL);
		FUZZ_CHECK(memchr(h->pass, '\0', sizeof(h->pass)) != NULL);
		FUZZ_CHECK(h->auth == 0 || h->user[0] != '\0');
		FUZZ_CHECK(proxy_base64((const unsigned char *)h->user,
		    strlen(h->user), b64, sizeof(b64)) ==
		    (strlen(h->user) + 2) / 3 * 4);
	}
}

/*
 * Mask a copy of the list value that parsed into pc: it still parses, to
 * the same hops, with every password made of '*' only (or, masked
 * percent-escapes being longer once decoded, fails on a password). A
 * list that holds "auth=" may be masked further, as an option would be:
 * not checked.
 */
static void
fuzz_check_mask(const char *value, const struct proxy_chain *pc)
{
	struct proxy_chain	*m;
	char			*copy, why[160];
	const char		*p;
	int			 i;

	if (pc->n == 0)
		return;
	for (p = value; *p != '\0'; p++)
		if (strncasecmp(p, "auth=", 5) == 0)
			return;
	copy = strdup(value);
	m = calloc(1, sizeof(*m));
	if (copy == NULL || m == NULL)
		goto out;
	proxy_mask(copy);
	FUZZ_CHECK(strlen(copy) == strlen(value));
	if (proxy_parse_list(copy, m, why, sizeof(why)) == -1) {
		/* "%41" masked is "***": a password may grow too long. */
		FUZZ_CHECK(strstr(why, "bad password") != NULL);
		goto out;
	}
	FUZZ_CHECK(m->n == pc->n);
	for (i = 0; i < m->n; i++) {
		FUZZ_CHECK(strcmp(m->hop[i].host, pc->hop[i].host) == 0);
		FUZZ_CHECK(strcmp(m->hop[i].user, pc->hop[i].user) == 0);
		for (p = m->hop[i].pass; *p != '\0'; p++)
			FUZZ_CHECK(*p == '*');
	}
out:
	free(m);
	free(copy);
}

/*
 * The checks on address a of a proxy type (which addr_parse() has
 * checked): its chain builds, into pc, and it has a first hop.
 */
static void
fuzz_check_addr(const struct addr *a, struct proxy_chain *pc)
{
	struct proxy_dest	 d;
	char			 why[160];

	why[0] = '\0';
	FUZZ_CHECK(proxy_check(a, why, sizeof(why)) == 0);
	proxy_first_hop(a, &d);
	FUZZ_CHECK(d.host != NULL && d.port != NULL);
	FUZZ_CHECK(proxy_chain_build(a, pc, why, sizeof(why)) == 0);
	fuzz_check_chain(pc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 pre[] = "tcp:target.example:443,proxy=";
	struct proxy_chain	*pc;
	struct addr		 a;
	struct addr_error	 e;
	char			*value, *text, why[160];
	size_t			 len;
	int			 i;

	if (size > 4096)
		return 0;
	value = malloc(size + 1);
	text = malloc(sizeof(pre) + size);
	pc = calloc(1, sizeof(*pc));
	if (value == NULL || text == NULL || pc == NULL)
		goto out;
	memcpy(value, data, size);
	value[size] = '\0';
	why[0] = '\0';
	if (proxy_parse_list(value, pc, why, sizeof(why)) == 0) {
		fuzz_check_chain(pc);
		fuzz_check_mask(value, pc);
	} else
		FUZZ_CHECK(why[0] != '\0');

	memcpy(text, pre, sizeof(pre) - 1);
	memcpy(text + sizeof(pre) - 1, value, size + 1);
	if (addr_parse(text, &a, &e) == 0) {
		if (a.type->groups & G_PROXY)
			fuzz_check_addr(&a, pc);
		/* "!!" in the value makes socat's dual address "A!!B". */
		for (i = 0; i < 2; i++)
			if (a.half[i] != NULL &&
			    (a.half[i]->type->groups & G_PROXY))
				fuzz_check_addr(a.half[i], pc);
		addr_free(&a);
	}
	/* Masking: same length, and no parsed password left in it. */
	len = strlen(text);
	proxy_mask(text);
	FUZZ_CHECK(strlen(text) == len);
out:
	free(pc);
	free(text);
	free(value);
	return 0;
}
