/* termios.c: terminal and serial line options (b9600, raw, echo=, cs8). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sockcat.h"

/* The termios options, in the order they are applied. */
static const int termios_opts[] = {
	OPT_RAW, OPT_ECHO, OPT_OPOST, OPT_SPEED, OPT_CSIZE, OPT_PARENB,
	OPT_CRTSCTS, OPT_CLOCAL,
};

/* Baud rates and their speed_t constants (termios(3), Linux). */
static int	termios_speed(unsigned, speed_t *);
static int	termios_verify(const struct addr *, int,
		    const struct termios *);

static const struct {
	unsigned	 baud;
	speed_t		 speed;
} termios_speeds[] = {
	{ 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 },
	{ 150, B150 }, { 200, B200 }, { 300, B300 }, { 600, B600 },
	{ 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 }, { 4800, B4800 },
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
	{ 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
#ifdef B460800
	{ 460800, B460800 }, { 500000, B500000 }, { 576000, B576000 },
	{ 921600, B921600 }, { 1000000, B1000000 }, { 1152000, B1152000 },
	{ 1500000, B1500000 }, { 2000000, B2000000 }, { 2500000, B2500000 },
	{ 3000000, B3000000 }, { 3500000, B3500000 }, { 4000000, B4000000 },
#endif
};

/*
 * The speed_t of a line speed of baud in *speed. Returns 0, or -1 when
 * termios(3) has no such speed.
 */
static int
termios_speed(unsigned baud, speed_t *speed)
{
	size_t	i;

	for (i = 0; i < nitems(termios_speeds); i++)
		if (termios_speeds[i].baud == baud) {
			*speed = termios_speeds[i].speed;
			return 0;
		}
	return -1;
}

/* Whether baud is a line speed termios(3) knows (b9600, speed=9600). */
int
termios_known_speed(unsigned baud)
{
	speed_t	speed;

	return termios_speed(baud, &speed) == 0;
}

/*
 * Whether address a gives any terminal option: a line speed (speed=,
 * b9600...), raw, echo=, opost=, csize= (cs5..cs8), parenb, crtscts or
 * clocal.
 */
int
termios_wanted(const struct addr *a)
{
	size_t	i;

	for (i = 0; i < nitems(termios_opts); i++)
		if (opts_isset(&a->opts, termios_opts[i]))
			return 1;
	return 0;
}

/*
 * Apply the terminal options of address a to the terminal fd (a pty
 * master, a serial device, stdin): socat's TERMIOS group. raw is
 * cfmakeraw(3); echo= sets ECHO, opost= OPOST; b9600 ... b4000000 set
 * both speeds; cs5..cs8 the character size; parenb, crtscts, clocal
 * their flags. What the device did not take is an error too
 * (termios_verify). Returns 0 (also when none is given), or EXIT_RUNTIME
 * after "sockcat: ADDR: terminal options: reason" (-s: a warning, and 0).
 */
int
termios_apply(const struct addr *a, int fd)
{
	struct termios	 t;
	speed_t		 speed;
	int		 csize;

	if (!termios_wanted(a))
		return 0;
	if (tcgetattr(fd, &t) == -1) {
		warn("%s: terminal options: tcgetattr", a->text);
		return cfg.sloppy ? 0 : EXIT_RUNTIME;
	}
	if (a->opts.raw)
		cfmakeraw(&t);
	if (opts_isset(&a->opts, OPT_ECHO)) {
		if (a->opts.echo)
			t.c_lflag |= ECHO;
		else
			t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	}
	if (opts_isset(&a->opts, OPT_OPOST)) {
		if (a->opts.opost)
			t.c_oflag |= OPOST;
		else
			t.c_oflag &= ~(tcflag_t)OPOST;
	}
	/* main.c refused the speeds termios(3) does not know. */
	if (opts_isset(&a->opts, OPT_SPEED) &&
	    termios_speed(a->opts.speed, &speed) == 0) {
		cfsetispeed(&t, speed);
		cfsetospeed(&t, speed);
	}
	if (opts_isset(&a->opts, OPT_CSIZE)) {
		csize = a->opts.csize == 5 ? CS5 : a->opts.csize == 6 ? CS6 :
		    a->opts.csize == 7 ? CS7 : CS8;
		t.c_cflag = (t.c_cflag & ~(tcflag_t)CSIZE) | (tcflag_t)csize;
	}
	if (opts_isset(&a->opts, OPT_PARENB)) {
		if (a->opts.parenb)
			t.c_cflag |= PARENB;
		else
			t.c_cflag &= ~(tcflag_t)PARENB;
	}
	if (opts_isset(&a->opts, OPT_CRTSCTS)) {
		if (a->opts.crtscts)
			t.c_cflag |= CRTSCTS;
		else
			t.c_cflag &= ~(tcflag_t)CRTSCTS;
	}
	if (opts_isset(&a->opts, OPT_CLOCAL)) {
		if (a->opts.clocal)
			t.c_cflag |= CLOCAL;
		else
			t.c_cflag &= ~(tcflag_t)CLOCAL;
	}
	if (tcsetattr(fd, TCSANOW, &t) == -1) {
		warn("%s: terminal options: tcsetattr", a->text);
		return cfg.sloppy ? 0 : EXIT_RUNTIME;
	}
	return termios_verify(a, fd, &t);
}

/*
 * tcsetattr(3) succeeds when any of the changes was made: read the
 * settings back and compare those the options touch (a pseudo terminal,
 * for one, keeps cs8 and no parity). Returns 0, or EXIT_RUNTIME after
 * "sockcat: ADDR: terminal options: the device did not take: csize
 * parenb" (-s: a warning, and 0).
 */
static int
termios_verify(const struct addr *a, int fd, const struct termios *want)
{
	static const struct {
		int		 which;	/* 0 c_cflag, 1 c_lflag, 2 c_oflag */
		tcflag_t	 bits;
		const char	*name;
	} fields[] = {
		{ 0, CSIZE, "csize" }, { 0, PARENB, "parenb" },
		{ 0, CRTSCTS, "crtscts" }, { 0, CLOCAL, "clocal" },
		{ 1, ECHO, "echo" }, { 1, ICANON, "raw" },
		{ 2, OPOST, "opost" },
	};
	struct termios	 got;
	const tcflag_t	*w, *g;
	char		 names[80];
	size_t		 i, n = 0;

	if (tcgetattr(fd, &got) == -1) {
		warn("%s: terminal options: tcgetattr", a->text);
		return cfg.sloppy ? 0 : EXIT_RUNTIME;
	}
	names[0] = '\0';
	for (i = 0; i < nitems(fields); i++) {
		w = fields[i].which == 0 ? &want->c_cflag :
		    fields[i].which == 1 ? &want->c_lflag : &want->c_oflag;
		g = fields[i].which == 0 ? &got.c_cflag :
		    fields[i].which == 1 ? &got.c_lflag : &got.c_oflag;
		if ((*w & fields[i].bits) != (*g & fields[i].bits))
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			    " %s", fields[i].name);
	}
	if (cfgetospeed(&got) != cfgetospeed(want))
		snprintf(names + n, sizeof(names) - n, " speed");
	if (names[0] == '\0')
		return 0;
	warnx("%s: terminal options: the device did not take:%s", a->text,
	    names);
	return cfg.sloppy ? 0 : EXIT_RUNTIME;
}

/*
 * For addresses that may get a terminal or not (files, devices): termios
 * options on a descriptor that is no terminal are an error ("not a
 * terminal"), a warning with -s. Returns 0 or EXIT_RUNTIME after a
 * message.
 */
int
termios_check(const struct addr *a, int fd)
{
	if (isatty(fd))
		return termios_apply(a, fd);
	if (!termios_wanted(a))
		return 0;
	warnx("%s: terminal options: %s", a->text, strerror(ENOTTY));
	return cfg.sloppy ? 0 : EXIT_RUNTIME;
}
