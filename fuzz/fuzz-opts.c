/* fuzz-opts.c: libFuzzer target for option values and allow= lists. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Drives opts_set_value() for every option id with the same arbitrary
 * value (NUL-terminated copy), covering allow= CIDR lists, TLS option
 * values, sizes, seconds, octal modes and booleans; an allow= list that
 * parses is matched against IPv4, IPv6 and mapped peers made from the
 * input. Also calls the util.c number parsers directly. The first byte
 * is a control byte: bit 0 gives the value NULL (option without '='),
 * bit 1 sets every option twice (the replace-and-free path).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-opts: check failed: %s\n", #c);	\
		abort();						\
	}								\
} while (0)

/* Match the list against peers whose address bytes come from data. */
static void
fuzz_match(const struct cidr_list *l, const uint8_t *data, size_t size)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		 sa;
	size_t			 i;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	sin.sin_family = AF_INET;
	sin6.sin6_family = AF_INET6;
	for (i = 0; i < 4 && i < size; i++)
		((uint8_t *)&sin.sin_addr)[i] = data[i];
	for (i = 0; i < 16 && i < size; i++)
		sin6.sin6_addr.s6_addr[i] = data[size - 1 - i];
	(void)opts_cidr_match(l, (struct sockaddr *)&sin);
	(void)opts_cidr_match(l, (struct sockaddr *)&sin6);
	/* The same IPv4 address, mapped into IPv6. */
	memset(sin6.sin6_addr.s6_addr, 0, 10);
	sin6.sin6_addr.s6_addr[10] = sin6.sin6_addr.s6_addr[11] = 0xff;
	memcpy(sin6.sin6_addr.s6_addr + 12, &sin.sin_addr, 4);
	(void)opts_cidr_match(l, (struct sockaddr *)&sin6);
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	FUZZ_CHECK(opts_cidr_match(l, &sa) == (l->n == 0));
	FUZZ_CHECK(opts_cidr_match(l, NULL) == (l->n == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr_opts	 o;
	char			*value, errbuf[128];
	unsigned long		 ul;
	long			 ms;
	uint64_t		 before[OPT_MAX / 64];
	int			 id, ctl, n, k, r;

	if (size < 1 || size > 4096)
		return 0;
	ctl = data[0];
	value = malloc(size);
	if (value == NULL)
		return 0;
	memcpy(value, data + 1, size - 1);
	value[size - 1] = '\0';

	for (id = -1; id <= OPT__COUNT; id++) {
		opts_defaults(&o);
		n = (ctl & 2) ? 2 : 1;
		for (k = 0; k < n; k++) {
			memcpy(before, o.set, sizeof(before));
			memset(errbuf, 'x', sizeof(errbuf));
			r = opts_set_value(&o, id, (ctl & 1) ? NULL : value,
			    errbuf, sizeof(errbuf));
			FUZZ_CHECK(memchr(errbuf, '\0', sizeof(errbuf)) !=
			    NULL);
			if (r == 0) {
				FUZZ_CHECK(id >= 0 && id < OPT__COUNT);
				FUZZ_CHECK(opts_isset(&o, id));
				FUZZ_CHECK(errbuf[0] == '\0');
			} else {
				FUZZ_CHECK(r == -1);
				FUZZ_CHECK(memcmp(o.set, before,
				    sizeof(before)) == 0);
				/*
				 * The reason may quote the value, control
				 * bytes and all: addr_error_format() makes
				 * it one line (fuzz-addr checks that).
				 */
				FUZZ_CHECK(errbuf[0] != '\0');
			}
		}
		if (id == OPT_ALLOW)
			fuzz_match(&o.allow, data, size);
		opts_free(&o);
		opts_free(&o);
	}
	(void)opts_find(value);
	(void)opts_suggest(value);
	(void)addr_type_find(value);
	(void)addr_type_suggest(value);
	(void)addr_port_valid(value, ctl & 1);
	if (parse_uint(value, 0, 65535, &ul) == 0)
		FUZZ_CHECK(ul <= 65535);
	if (parse_size(value, 1, 1UL << 30, &ul) == 0)
		FUZZ_CHECK(ul >= 1 && ul <= 1UL << 30);
	if (parse_ms(value, &ms) == 0)
		FUZZ_CHECK(ms >= 0);
	else
		FUZZ_CHECK(errno == EINVAL || errno == ERANGE);
	free(value);
	return 0;
}
