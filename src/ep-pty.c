/* ep-pty.c: pseudo terminals: the pty address, and exec/system with pty. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sockcat.h"

/* How often wait-slave looks whether the terminal was opened, ms. */
#define PTY_WAIT_STEP	50

/* Private state of a pty master endpoint (ep->ctx). */
struct pty_ctx {
	int	 slave;		/* our descriptor of the terminal, or -1 */
	char	*link;		/* link= to remove at close, or NULL */
	int	 last;		/* last byte written, for the ^D of EOF */
};

static int	pty_addr_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static ssize_t	pty_read(struct endpoint *, void *, size_t);
static ssize_t	pty_write(struct endpoint *, const void *, size_t);
static int	pty_shutdown_wr(struct endpoint *);
static void	pty_close(struct endpoint *);

const struct addr_type at_pty = {
	.name = "pty",
	.params_min = 0,
	.params_max = 0,
	.groups = G_ANY | G_PTY | G_TERMIOS | G_NAMED,
	.syntax = "",
	.help = "a new pseudo terminal (a fake serial device; link=PATH)",
	.open = pty_addr_open,
};

static const struct ep_ops pty_ops = {
	.name = "pty",
	.read = pty_read,
	.write = pty_write,
	.shutdown_wr = pty_shutdown_wr,
	.pending = ep_fd_pending,
	.close = pty_close,
};

/*
 * Create a pseudo terminal for address a: the master in *master, the
 * terminal (slave, opened without becoming our controlling terminal) in
 * *slave and its name in tty (len bytes), with the termios options of a
 * applied (raw, echo=0, b9600...). Returns 0, or EXIT_RUNTIME after a
 * message.
 */
int
pty_open(const struct addr *a, int *master, int *slave, char *tty,
    size_t len)
{
	int	m, s;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		warn("%s: posix_openpt", a->text);
		return EXIT_RUNTIME;
	}
	if (grantpt(m) == -1 || unlockpt(m) == -1 ||
	    ptsname_r(m, tty, len) != 0) {
		warn("%s: pty", a->text);
		close(m);
		return EXIT_RUNTIME;
	}
	if ((s = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		warn("%s: open %s", a->text, tty);
		close(m);
		return EXIT_RUNTIME;
	}
	if (termios_apply(a, s) != 0) {
		close(s);
		close(m);
		return EXIT_RUNTIME;
	}
	*master = m;
	*slave = s;
	return 0;
}

/*
 * Make ep the endpoint of pty master fd (rfd == wfd) with EP_* flags:
 * the end of the terminal's last user is the end of input (EIO), and the
 * half-close is an end-of-file character for a terminal in canonical
 * mode. No return value.
 */
void
pty_endpoint(const struct addr *a, int master, int flags, struct endpoint *ep)
{
	struct pty_ctx	*c;

	ep_init(ep, a->text, master, master, flags | EP_TTY, &pty_ops);
	c = xcalloc(1, sizeof(*c));
	c->slave = -1;
	c->last = '\n';
	ep->ctx = c;
}

/* Read from the master; EIO says the terminal is closed: end of input. */
static ssize_t
pty_read(struct endpoint *ep, void *buf, size_t len)
{
	ssize_t	n;

	n = ep_fd_read(ep, buf, len);
	if (n == EP_ERROR && errno == EIO)
		return 0;
	return n;
}

/* Write to the master, remembering the last byte. */
static ssize_t
pty_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct pty_ctx	*c = ep->ctx;
	ssize_t		 n;

	n = ep_fd_write(ep, buf, len);
	if (n > 0)
		c->last = ((const unsigned char *)buf)[n - 1];
	else if (n == EP_ERROR && errno == EIO)
		errno = EPIPE;	/* nobody reads the terminal any more */
	return n;
}

/*
 * The half-close of a terminal: in canonical mode, the end-of-file
 * character (^D), twice after an unfinished line, as a user ends input;
 * a raw terminal has none (the session ends by the other direction, -t).
 * Returns 0.
 */
static int
pty_shutdown_wr(struct endpoint *ep)
{
	struct pty_ctx	*c = ep->ctx;
	struct termios	 t;
	char		 eof[2];

	ep->wr_shut = 1;
	if (ep->wfd == -1 || tcgetattr(ep->wfd, &t) == -1 ||
	    !(t.c_lflag & ICANON))
		return 0;
	eof[0] = eof[1] = (char)t.c_cc[VEOF];
	if (write(ep->wfd, eof, c->last == '\n' ? 1 : 2) == -1)
		log_verbose(2, "%s: end of file character: %s", ep->name,
		    strerror(errno));
	return 0;
}

/* Close the master (and our terminal), end the program, remove link=. */
static void
pty_close(struct endpoint *ep)
{
	struct pty_ctx	*c = ep->ctx;
	int		 saved = errno;

	if (c->slave != -1)
		close(c->slave);
	ep_fd_close(ep);
	if (c->link != NULL) {
		unlink(c->link);
		free(c->link);
	}
	free(c);
	ep->ctx = NULL;
	errno = saved;
}

/*
 * wait-slave: wait until some process opens the terminal: the master
 * hangs up (POLLHUP) while nobody has it open. SIGINT/SIGTERM end the
 * wait. Returns 0, or EXIT_RUNTIME.
 */
static int
pty_wait_slave(int master)
{
	struct pollfd	pfd;

	signals_defer(1);
	for (;;) {
		pfd.fd = master;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, PTY_WAIT_STEP) >= 0 &&
		    !(pfd.revents & POLLHUP))
			break;
		if (sig_term) {
			signals_defer(0);
			return EXIT_RUNTIME;
		}
	}
	signals_defer(0);
	return 0;
}

/*
 * pty: a new pseudo terminal whose master is the endpoint: a program that
 * opens the terminal (its name is said with -v, or link=PATH points to
 * it) talks to the other address as over a serial line. mode= and user=
 * apply to the terminal device. With wait-slave the session starts when
 * the terminal is opened and ends when its last user closes it; without,
 * we hold it open too. Returns 0, or EXIT_RUNTIME after a message.
 */
static int
pty_addr_open(const struct addr *a, __unused const struct endpoint *peer,
    struct endpoint *ep)
{
	struct pty_ctx	*c;
	char		 tty[128];
	int		 master, slave, r;

	if ((r = pty_open(a, &master, &slave, tty, sizeof(tty))) != 0)
		return r;
	if (file_named(a, tty) == -1)
		goto fail;
	if (opts_isset(&a->opts, OPT_LINK)) {
		if (a->opts.unlink_early && unlink(a->opts.link) == -1 &&
		    errno != ENOENT) {
			warn("%s: unlink %s", a->text, a->opts.link);
			goto fail;
		}
		if (symlink(tty, a->opts.link) == -1) {
			warn("%s: link %s", a->text, a->opts.link);
			goto fail;
		}
	}
	log_verbose(1, "pty is %s", tty);
	set_nonblock(master, 1);
	pty_endpoint(a, master, 0, ep);
	c = ep->ctx;
	if (opts_isset(&a->opts, OPT_LINK) && a->opts.unlink_close)
		c->link = xstrdup(a->opts.link);
	if (a->opts.wait_slave) {
		close(slave);
		if ((r = pty_wait_slave(master)) != 0) {
			pty_close(ep);
			return r;
		}
	} else
		c->slave = slave;
	return 0;
fail:
	close(slave);
	close(master);
	return EXIT_RUNTIME;
}
