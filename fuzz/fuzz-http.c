/* fuzz-http.c: libFuzzer target for the HTTP CONNECT head parsers. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Feeds arbitrary bytes, as what a proxy answered to CONNECT (or what a
 * client asked proxy-listen), to http_head_end(), http_response_parse()
 * and http_request_parse() (layer-http.c), the head found at every prefix
 * length as the layer reads it. Besides the sanitizers it checks their
 * promises: the end of a head lies inside the bytes and after the search
 * start, and does not move when more bytes come; a parsed status is three
 * digits and its reason phrase printable; a parsed request's method,
 * target and credentials are NUL-terminated within their fields.
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
		fprintf(stderr, "fuzz-http: check failed: %s\n", #c);	\
		abort();						\
	}								\
} while (0)

/* A field that must be a NUL-terminated string of printable bytes. */
#define FUZZ_CHECK_FIELD(f, printable) do {				\
	size_t	n_ = strnlen((f), sizeof(f));				\
	size_t	i_;							\
	FUZZ_CHECK(n_ < sizeof(f));					\
	for (i_ = 0; (printable) && i_ < n_; i_++)			\
		FUZZ_CHECK((f)[i_] >= 0x20 && (f)[i_] < 0x7f);		\
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head	 h;
	const char		*buf = (const char *)data;
	ssize_t			 end = -1, e;
	size_t			 len;

	if (size > 8192)
		return 0;
	/* The head, as http_read_head() finds it a byte at a time. */
	for (len = 1; len <= size && end < 0; len++) {
		e = http_head_end(buf, len, len - 1);
		FUZZ_CHECK(e == -1 || (e > 0 && (size_t)e <= len));
		if (e >= 0) {
			end = e;
			FUZZ_CHECK(http_head_end(buf, size, 0) == e);
		}
	}
	len = end >= 0 ? (size_t)end : size;
	if (http_response_parse(buf, len, &h) == 0) {
		FUZZ_CHECK(h.status >= 100 && h.status <= 999);
		FUZZ_CHECK(h.minor >= 0 && h.minor <= 9);
		FUZZ_CHECK_FIELD(h.reason, 1);
	}
	if (http_request_parse(buf, len, &h) == 0) {
		FUZZ_CHECK(h.method[0] != '\0' && h.target[0] != '\0');
		FUZZ_CHECK(h.minor >= 0 && h.minor <= 9);
		FUZZ_CHECK_FIELD(h.method, 0);
		FUZZ_CHECK_FIELD(h.target, 0);
		FUZZ_CHECK_FIELD(h.auth, 0);
	}
	return 0;
}
