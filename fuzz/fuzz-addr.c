/* fuzz-addr.c: libFuzzer target for the address parser (addr.c, opts.c). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Feeds arbitrary bytes (as a NUL-terminated copy, so an embedded NUL ends
 * the address early, as on a command line) to addr_parse(), formats the
 * error with addr_error_format() and frees with addr_free(). Besides the
 * sanitizers it checks the parser's promises (SPEC section 3): a result is
 * either a complete address or an error code with an offset inside the
 * text, and an error message is one line that quotes the address.
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

/* Stop at a broken promise with a message the fuzzer log shows. */
#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-addr: check failed: %s\n", #c);	\
		abort();						\
	}								\
} while (0)

/* Check one formatted message: one line, no control bytes, quoted. */
static void
fuzz_check_msg(const char *msg, size_t size)
{
	size_t	i, len = strnlen(msg, size);

	FUZZ_CHECK(len < size);
	FUZZ_CHECK(len > 0 && msg[0] == '\'');
	for (i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char)msg[i] >= 0x20 &&
		    (unsigned char)msg[i] != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr		 a;
	struct addr_error	 e;
	char			*text, msg[512], small[24];
	size_t			 len;
	int			 r, i;

	/* Command lines are bounded by ARG_MAX; keep runs fast. */
	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);

	r = addr_parse(text, &a, &e);
	if (r == AE_OK) {
		FUZZ_CHECK(a.type != NULL);
		FUZZ_CHECK(a.text == text);
		FUZZ_CHECK(a.nparams >= a.type->params_min);
		FUZZ_CHECK(a.nparams <= a.type->params_max);
		FUZZ_CHECK(a.nparams <= ADDR_MAXPARAMS);
		for (i = 0; i < a.nparams; i++) {
			FUZZ_CHECK(a.params[i] != NULL);
			FUZZ_CHECK(strlen(a.params[i]) <= len);
		}
		for (i = 0; i < OPT_MAX; i++)
			FUZZ_CHECK(!opts_isset(&a.opts, i) || i < OPT__COUNT);
		FUZZ_CHECK(a.opts.allow.n == 0 || a.opts.allow.v != NULL);
	} else {
		FUZZ_CHECK(r == (int)e.code);
		FUZZ_CHECK(e.offset <= len);
		FUZZ_CHECK(a.nparams == 0);
		FUZZ_CHECK(memchr(e.hint, '\0', sizeof(e.hint)) != NULL);
		FUZZ_CHECK(memchr(e.detail, '\0', sizeof(e.detail)) != NULL);
		addr_error_format(text, &e, msg, sizeof(msg));
		fuzz_check_msg(msg, sizeof(msg));
		/* A small buffer is cut, still terminated. */
		addr_error_format(text, &e, small, sizeof(small));
		FUZZ_CHECK(memchr(small, '\0', sizeof(small)) != NULL);
	}
	addr_free(&a);
	addr_free(&a);		/* documented as safe twice */
	free(text);
	return 0;
}
