/* fuzz-socks.c: libFuzzer target for the SOCKS reply and request parsers. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Feeds arbitrary bytes, as a proxy's reply or a client's request read so
 * far, to socks_reply_parse() (SOCKS4 and SOCKS5) and socks_request_parse()
 * (layer-socks.c), at every prefix length, as the layers call them while
 * bytes trickle in. Besides the sanitizers it checks their promises: a
 * result is complete, incomplete or malformed; an incomplete one asks for
 * more than it has and never more than the longest message; a complete
 * one consumed exactly what it asked for; the name of any code is a
 * printable line.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-socks: check failed: %s\n", #c);	\
		abort();						\
	}								\
} while (0)

/* Longest SOCKS5 message: 4 + 1 + 255 + 2 bytes. */
#define FUZZ_SOCKS_MAX	262

/* Check a name for messages: a non-empty printable line. */
static void
fuzz_check_name(const char *s)
{
	size_t	i;

	FUZZ_CHECK(s != NULL && *s != '\0');
	for (i = 0; s[i] != '\0'; i++)
		FUZZ_CHECK(s[i] >= 0x20 && s[i] < 0x7f);
}

/* One parser over every prefix of data: the contract of its results. */
static void
fuzz_prefixes(int which, const uint8_t *data, size_t size)
{
	struct socks_reply	r;
	size_t			len, need, done = 0;
	int			v;

	for (len = 0; len <= size; len++) {
		need = 0;
		if (which == 0)
			v = socks_request_parse(data, len, &need, &r);
		else
			v = socks_reply_parse(which, data, len, &need, &r);
		FUZZ_CHECK(v >= -2 && v <= 1);
		FUZZ_CHECK(which == 0 || v != -2);
		if (v == 0) {
			FUZZ_CHECK(need > len);
			FUZZ_CHECK(need <= FUZZ_SOCKS_MAX);
			FUZZ_CHECK(done == 0);
		}
		if (v == 1) {
			FUZZ_CHECK(need <= len);
			FUZZ_CHECK(r.addrlen <= sizeof(r.addr));
			FUZZ_CHECK(r.port <= 65535);
			FUZZ_CHECK(r.code >= 0 && r.code <= 255);
			if (done == 0)
				done = need;
			/* More bytes never change how long the message is. */
			FUZZ_CHECK(need == done);
		}
		if (v < 0)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	i;

	if (size > 1024)
		return 0;
	fuzz_prefixes(4, data, size);
	fuzz_prefixes(5, data, size);
	fuzz_prefixes(0, data, size);
	for (i = 0; i < 256; i++) {
		fuzz_check_name(socks_reply_name(4, i));
		fuzz_check_name(socks_reply_name(5, i));
	}
	if (size > 0) {
		fuzz_check_name(socks_reply_name(5, -(int)data[0]));
		fuzz_check_name(socks_reply_name(4, 1000 + data[0]));
	}
	return 0;
}
