/* xmalloc.c: allocation wrappers that exit on failure, as in tmux. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockcat.h"

/*
 * Allocate size bytes (size > 0). Returns the memory, never NULL: exits with
 * status 1 via err(3) when the allocation fails or size is 0.
 */
void *
xmalloc(size_t size)
{
	void	*ptr;

	if (size == 0)
		errx(1, "xmalloc: zero size");
	if ((ptr = malloc(size)) == NULL)
		err(1, "xmalloc: allocating %zu bytes", size);
	return ptr;
}

/*
 * Allocate nmemb zeroed objects of size bytes each. Returns the memory, never
 * NULL: exits with status 1 on a zero size, an overflow or no memory.
 */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*ptr;

	if (size == 0 || nmemb == 0)
		errx(1, "xcalloc: zero size");
	if ((ptr = calloc(nmemb, size)) == NULL)
		err(1, "xcalloc: allocating %zu * %zu bytes", nmemb, size);
	return ptr;
}

/*
 * Resize ptr (which may be NULL) to nmemb objects of size bytes, checking
 * nmemb * size for overflow (OpenBSD reallocarray(3)). Returns the new
 * pointer, never NULL: exits with status 1 on a zero size, an overflow or no
 * memory.
 */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*newptr;

	if (nmemb == 0 || size == 0)
		errx(1, "xreallocarray: zero size");
	if (SIZE_MAX / nmemb < size) {
		errno = ENOMEM;
		err(1, "xreallocarray: %zu * %zu bytes", nmemb, size);
	}
	if ((newptr = realloc(ptr, nmemb * size)) == NULL)
		err(1, "xreallocarray: allocating %zu * %zu bytes", nmemb, size);
	return newptr;
}

/*
 * Copy the NUL-terminated string str. Returns the copy, never NULL: exits
 * with status 1 when there is no memory.
 */
char *
xstrdup(const char *str)
{
	char	*cp;

	if ((cp = strdup(str)) == NULL)
		err(1, "xstrdup");
	return cp;
}

/*
 * Format like printf(3) into a newly allocated string stored in *ret.
 * Returns the length of the string in bytes; exits with status 1 when there
 * is no memory or the format fails.
 */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 i;

	va_start(ap, fmt);
	i = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (i == -1)
		err(1, "xasprintf");
	return i;
}
