/* util.c: bounded number parsers, descriptor flags, clock and help lines. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sockcat.h"

/* Longest seconds value parse_ms() accepts. */
#define UTIL_MAX_SECONDS	1000000000UL

/* Width of a help line, columns. */
#define UTIL_HELP_COLS		79

/*
 * Parse the leading decimal digits of str into *out and store in *end the
 * first byte after them. Returns 0, or -1 with errno EINVAL when there is no
 * digit, ERANGE when the number does not fit an unsigned long.
 */
static int
parse_digits(const char *str, unsigned long *out, const char **end)
{
	unsigned long	 v = 0;
	const char	*p;
	int		 d;

	for (p = str; *p >= '0' && *p <= '9'; p++) {
		d = *p - '0';
		if (v > (ULONG_MAX - d) / 10) {
			/* Skip the rest of the digits so *end is sane. */
			while (*p >= '0' && *p <= '9')
				p++;
			*end = p;
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	*end = p;
	if (p == str) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Parse str as a decimal number from min to max: digits only, no sign, no
 * spaces, no trailing bytes. Stores the value in *out. Returns 0, or -1 with
 * errno EINVAL (empty or not a number) or ERANGE (outside [min, max]);
 * *out is unchanged on error.
 */
int
parse_uint(const char *str, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long	 v;
	const char	*end;

	if (str == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (parse_digits(str, &v, &end) == -1) {
		if (errno == ERANGE && *end != '\0')
			errno = EINVAL;
		return -1;
	}
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Parse str as a size in bytes: decimal digits and an optional suffix k, m
 * or g (either case) meaning 1024, 1024^2 or 1024^3 times, within
 * [min, max] bytes. Stores the byte count in *out. Returns 0, or -1 with
 * errno EINVAL (malformed) or ERANGE (outside [min, max] or overflow).
 */
int
parse_size(const char *str, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long	 v, mult = 1;
	const char	*end;

	if (str == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (parse_digits(str, &v, &end) == -1) {
		if (errno == ERANGE && end[0] != '\0' &&
		    (end[1] != '\0' || strchr("kKmMgG", end[0]) == NULL))
			errno = EINVAL;
		return -1;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1024UL;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1024UL * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1024UL * 1024 * 1024;
		end++;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v > ULONG_MAX / mult) {
		errno = ERANGE;
		return -1;
	}
	v *= mult;
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Parse str as a duration in seconds with up to six decimals ("2", "0.5",
 * "1.25", ".5", "0.000002", as socat's timeval values) and store it in *ms
 * as milliseconds, the unit of every timer here: a fraction of a
 * millisecond is rounded up, so a non-zero duration is never 0 ms.
 * Returns 0, or -1 with errno EINVAL (sign, junk, more than six decimals,
 * empty) or ERANGE (more than 10^9 seconds, or more ms than a long holds).
 */
int
parse_ms(const char *str, long *ms)
{
	unsigned long	 sec = 0, usec = 0;
	const char	*p, *end;
	int		 ndec = 0;

	if (str == NULL) {
		errno = EINVAL;
		return -1;
	}
	p = str;
	if (*p >= '0' && *p <= '9') {
		if (parse_digits(p, &sec, &end) == -1)
			return -1;
		p = end;
	} else if (*p != '.') {
		errno = EINVAL;
		return -1;
	}
	if (*p == '.') {
		p++;
		/* "." alone or "2." is not a number. */
		if (*p < '0' || *p > '9') {
			errno = EINVAL;
			return -1;
		}
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++ndec > 6) {
				errno = EINVAL;
				return -1;
			}
			usec = usec * 10 + (unsigned long)(*p - '0');
		}
		for (; ndec < 6; ndec++)
			usec *= 10;
	}
	if (*p != '\0') {
		errno = EINVAL;
		return -1;
	}
	/* Microseconds to milliseconds, rounded up: 0.000002 is 1 ms. */
	usec = (usec + 999) / 1000;
	if (sec > UTIL_MAX_SECONDS ||
	    (sec == UTIL_MAX_SECONDS && usec != 0) ||
	    sec > ((unsigned long)LONG_MAX - usec) / 1000) {
		errno = ERANGE;
		return -1;
	}
	*ms = (long)(sec * 1000 + usec);
	return 0;
}

/*
 * Turn O_NONBLOCK on (on != 0) or off for fd. Returns 0, or -1 with errno
 * from fcntl(2).
 */
int
set_nonblock(int fd, int on)
{
	int	 fl, nfl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	nfl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	if (nfl != fl && fcntl(fd, F_SETFL, nfl) == -1)
		return -1;
	return 0;
}

/*
 * Set FD_CLOEXEC on fd, for descriptors that could not be created with it.
 * Returns 0, or -1 with errno from fcntl(2).
 */
int
set_cloexec(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1)
		return -1;
	if ((fl & FD_CLOEXEC) == 0 && fcntl(fd, F_SETFD, fl | FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

/*
 * Returns the CLOCK_MONOTONIC time in milliseconds, for timers; 0 if the
 * clock cannot be read (it always can on Linux and the BSDs).
 */
long
now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Print one entry of `sockcat -h` to fp: `left` padded with spaces to column
 * `col` (or followed by one space when longer), then `text` wrapped at word
 * boundaries so no line passes column 79, continuation lines indented to
 * `col`; then " extra" when extra is not NULL and it fits on the last line,
 * else extra is left out. Ends with a newline.
 */
void
print_help_line(FILE *fp, int col, const char *left, const char *text,
    const char *extra)
{
	size_t	 pos, n, cut, avail;

	if (col < 0 || col > UTIL_HELP_COLS / 2)
		col = UTIL_HELP_COLS / 2;
	if (text == NULL)
		text = "";
	fputs(left, fp);
	pos = strlen(left);
	if (pos >= (size_t)col) {
		/* Too wide for the column: the text goes on its own line. */
		if (*text != '\0' && pos + 1 + strlen(text) > UTIL_HELP_COLS) {
			fputc('\n', fp);
			pos = 0;
		} else {
			fputc(' ', fp);
			pos++;
		}
	}
	for (;;) {
		for (; pos < (size_t)col; pos++)
			fputc(' ', fp);
		n = strlen(text);
		avail = UTIL_HELP_COLS - pos;
		if (n <= avail)
			break;
		/* Cut at the last space that fits; a long word is cut hard. */
		for (cut = avail; cut > 0 && text[cut] != ' '; cut--)
			;
		if (cut == 0)
			cut = avail;
		fwrite(text, 1, cut, fp);
		fputc('\n', fp);
		text += cut;
		while (*text == ' ')
			text++;
		pos = 0;
	}
	fputs(text, fp);
	pos += strlen(text);
	if (extra != NULL && pos + 1 + strlen(extra) <= UTIL_HELP_COLS)
		fprintf(fp, " %s", extra);
	fputc('\n', fp);
}

/* The value of hex digit c (0-9, a-f, A-F): 0 to 15, or -1. */
int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse one escape of a quoted data string at *pp (after the backslash)
 * into *c: \n \r \t \f \b \a \e \0 and the byte itself otherwise.
 */
static void
util_data_escape(const char **pp, unsigned char *c)
{
	static const char	 from[] = "nrtfbae0";
	static const char	 to[] = "\n\r\t\f\b\a\033";
	const char		*p = *pp, *k;

	if ((k = strchr(from, *p)) != NULL && *p != '\0')
		*c = k - from < 7 ? (unsigned char)to[k - from] : 0;
	else
		*c = (unsigned char)*p;
	*pp = p + 1;
}

/*
 * Parse socat's data notation (socat(1), "data") at s: items of hex bytes
 * after 'x' ("x7f000001"), strings in double quotes (escapes \n \r \t \f
 * \b \a \e \0 \\ \"; a string opened by \" is closed by \", as a shell
 * hands over an escaped one), one char in single quotes, and numbers in
 * host byte order after i, I (int), l, L (long), s, S (short), b, B
 * (byte); items may be separated by white space. Parsing stops at the end
 * or at a byte of `stop` between items. Writes at most max bytes to out,
 * their count to *len and where it stopped to *end. Returns 0, or -1 with
 * errno EINVAL (malformed) or ERANGE (more than max bytes, number out of
 * range).
 */
int
parse_data(const char *s, unsigned char *out, size_t max, size_t *len,
    const char *stop, const char **end)
{
	const char	*p = s, *q;
	unsigned char	 c;
	size_t		 n = 0, size;
	long		 v;
	int		 hi, lo, esc, neg;
	union {
		int		i;
		long		l;
		short		h;
		signed char	b;
	}		 u;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || strchr(stop, *p) != NULL)
			break;
		if (*p == 'x') {
			for (p++; (hi = hexval(p[0])) >= 0; p += 2) {
				if ((lo = hexval(p[1])) < 0)
					goto bad;
				if (n == max)
					goto full;
				out[n++] = (unsigned char)(hi * 16 + lo);
			}
			continue;
		}
		esc = *p == '\\' && (p[1] == '"' || p[1] == '\'');
		if (esc)
			p++;
		if (*p == '"' || *p == '\'') {
			q = p++;
			for (;;) {
				if (*p == '\0')
					goto bad;
				if (esc && p[0] == '\\' && p[1] == *q) {
					p += 2;
					break;
				}
				if (!esc && *p == *q) {
					p++;
					break;
				}
				if (*p == '\\' && p[1] != '\0') {
					p++;
					util_data_escape(&p, &c);
				} else
					c = (unsigned char)*p++;
				if (n == max)
					goto full;
				out[n++] = c;
			}
			continue;
		}
		if (strchr("iIlLsSbB", *p) == NULL || *p == '\0')
			goto bad;
		c = (unsigned char)*p++;
		neg = *p == '-';
		if (neg)
			p++;
		errno = 0;
		if (*p < '0' || *p > '9')
			goto bad;
		v = strtol(p, (char **)&q, 0);
		if (errno != 0)
			goto range;
		p = q;
		if (neg)
			v = -v;
		switch (c) {
		case 'i':
		case 'I':
			u.i = (int)v;
			size = sizeof(u.i);
			break;
		case 'l':
		case 'L':
			u.l = v;
			size = sizeof(u.l);
			break;
		case 's':
		case 'S':
			u.h = (short)v;
			size = sizeof(u.h);
			break;
		default:
			u.b = (signed char)v;
			size = 1;
			break;
		}
		if (n + size > max)
			goto full;
		memcpy(out + n, &u, size);
		n += size;
	}
	*len = n;
	*end = p;
	return 0;
bad:
	errno = EINVAL;
	return -1;
full:
range:
	errno = ERANGE;
	return -1;
}
