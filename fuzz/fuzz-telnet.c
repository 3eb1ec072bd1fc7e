/* fuzz-telnet.c: libFuzzer target for the Telnet command parser. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Feeds the bytes after the first two to telnet_parse() (telnet.c) three
 * ways: whole, in pieces whose sizes come from the first two bytes (so a
 * command is split anywhere across reads), and one byte at a time. All
 * three must give the same data and the same replies, and these must be
 * what a plain whole-buffer reading of RFC 854 here gives. The replies
 * are always IAC WONT x or IAC DONT x, and never longer than the room
 * the parser promises to stay within (n + 2 bytes per call).
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
		fprintf(stderr, "fuzz-telnet: check failed: %s\n", #c);	\
		abort();						\
	}								\
} while (0)

#define IAC	255
#define DONT	254
#define DO	253
#define WONT	252
#define WILL	251
#define SB	250
#define SE	240

/* The output of one way of parsing. */
struct result {
	unsigned char	*data;
	size_t		 ndata;
	unsigned char	*reply;
	size_t		 nreply;
};

/*
 * Parse in into r in pieces: piece sizes cycle through sizes[0..nsizes)
 * (each at least 1). Each call gets exactly its n + 2 bytes of reply room
 * in a buffer of its own, so an overrun shows under ASan.
 */
static void
fuzz_pieces(const unsigned char *in, size_t n, const size_t *sizes,
    size_t nsizes, struct result *r)
{
	struct telnet_parser	 p;
	unsigned char		*buf, *rep;
	size_t			 off = 0, k = 0, len, m, rl;

	memset(&p, 0, sizeof(p));
	r->data = malloc(n + 1);
	r->reply = malloc(3 * n + 3);
	r->ndata = r->nreply = 0;
	while (off < n) {
		len = sizes[k++ % nsizes];
		if (len > n - off)
			len = n - off;
		buf = malloc(len);
		rep = malloc(len + 2);
		memcpy(buf, in + off, len);
		rl = 0;
		m = telnet_parse(&p, buf, len, rep, &rl);
		FUZZ_CHECK(m <= len);
		FUZZ_CHECK(rl <= len + 2);
		memcpy(r->data + r->ndata, buf, m);
		r->ndata += m;
		memcpy(r->reply + r->nreply, rep, rl);
		r->nreply += rl;
		free(buf);
		free(rep);
		off += len;
	}
}

/*
 * RFC 854 read plainly, the whole buffer at once (an independent
 * implementation to compare with): commands out, IAC IAC is 0xff, CR NUL
 * is CR, DO x -> WONT x, WILL x -> DONT x, a command inside a
 * subnegotiation ends it. A command cut off at the end is dropped.
 */
static void
fuzz_reference(const unsigned char *in, size_t n, struct result *r)
{
	size_t	i = 0, j;
	int	cr = 0;

	r->data = malloc(n + 1);
	r->reply = malloc(3 * n + 3);
	r->ndata = r->nreply = 0;
	while (i < n) {
		if (in[i] != IAC) {
			if (cr && in[i] == '\0') {
				cr = 0;
				i++;
				continue;
			}
			cr = in[i] == '\r';
			r->data[r->ndata++] = in[i++];
			continue;
		}
		cr = 0;
		if (i + 1 >= n)
			break;
		if (in[i + 1] == IAC) {
			r->data[r->ndata++] = IAC;
			i += 2;
		} else if (in[i + 1] >= WILL && in[i + 1] <= DONT) {
			if (i + 2 >= n)
				break;
			if (in[i + 1] == DO || in[i + 1] == WILL) {
				r->reply[r->nreply++] = IAC;
				r->reply[r->nreply++] = in[i + 1] == DO ? WONT :
				    DONT;
				r->reply[r->nreply++] = in[i + 2];
			}
			i += 3;
		} else if (in[i + 1] == SB) {
			for (j = i + 2; j < n; j++) {
				if (in[j] != IAC)
					continue;
				if (j + 1 >= n) {
					j = n;
					break;
				}
				if (in[j + 1] == IAC) {
					j++;
					continue;
				}
				break;
			}
			if (j >= n)
				break;
			/* IAC SE ends it; another command ends it too. */
			i = in[j + 1] == SE ? j + 2 : j;
		} else
			i += 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result	 whole, split, bytes, ref;
	size_t		 sizes[2], one = 1, n, i;

	if (size < 2 || size > 8192)
		return 0;
	sizes[0] = (size_t)(data[0] % 17) + 1;
	sizes[1] = (size_t)(data[1] % 5) + 1;
	data += 2;
	n = size - 2;

	fuzz_pieces(data, n, &n, 1, &whole);
	fuzz_pieces(data, n, sizes, 2, &split);
	fuzz_pieces(data, n, &one, 1, &bytes);
	fuzz_reference(data, n, &ref);

	FUZZ_CHECK(split.ndata == whole.ndata &&
	    memcmp(split.data, whole.data, whole.ndata) == 0);
	FUZZ_CHECK(split.nreply == whole.nreply &&
	    memcmp(split.reply, whole.reply, whole.nreply) == 0);
	FUZZ_CHECK(bytes.ndata == whole.ndata &&
	    memcmp(bytes.data, whole.data, whole.ndata) == 0);
	FUZZ_CHECK(bytes.nreply == whole.nreply &&
	    memcmp(bytes.reply, whole.reply, whole.nreply) == 0);
	FUZZ_CHECK(ref.ndata == whole.ndata &&
	    memcmp(ref.data, whole.data, whole.ndata) == 0);
	FUZZ_CHECK(ref.nreply == whole.nreply &&
	    memcmp(ref.reply, whole.reply, whole.nreply) == 0);
	FUZZ_CHECK(whole.nreply % 3 == 0);
	for (i = 0; i < whole.nreply; i += 3)
		FUZZ_CHECK(whole.reply[i] == IAC && (whole.reply[i + 1] ==
		    WONT || whole.reply[i + 1] == DONT));

	free(whole.data);
	free(whole.reply);
	free(split.data);
	free(split.reply);
	free(bytes.data);
	free(bytes.reply);
	free(ref.data);
	free(ref.reply);
	return 0;
}
