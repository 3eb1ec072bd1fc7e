/* tty.c: standard input on a terminal: the escape key and line editing. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * When standard input is a terminal, someone is typing (SPEC 9). The stdio
 * endpoint (ep-stdio.c) then gets this layer on top:
 *
 * - The escape key (Ctrl-] by default, as telnet's) ends the session at
 *   once: read returns EP_CLOSE. Without line editing the terminal stays
 *   in canonical mode and the key is made an end-of-line character
 *   (VEOL), as BSD telnet does in line mode, so it takes effect without
 *   Enter.
 * - When standard output is a terminal too, lines are read with BSD
 *   libedit: cursor keys, in-session history, history= kept in a file.
 *   libedit is driven one key at a time (EL_UNBUFFERED) from the keys
 *   this layer reads, so the relay's poll loop never blocks in it; what
 *   the other side sends is written above the line being typed, which is
 *   then drawn again. The other side's unfinished last line ("Password: ")
 *   is shown as the prompt of the edited line, as socat's READLINE does.
 *
 * libedit is loaded with dlopen(3) the first time it is needed, so a
 * session whose standard input is not a terminal does not even load it:
 * linking it costs every run 0.25 ms (four more shared libraries).
 */

#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#ifdef HAVE_LIBEDIT
#include <dlfcn.h>
#include <locale.h>
#include <wchar.h>

#include <histedit.h>
#endif

#include "sockcat.h"

/* Bytes taken from the keyboard at once. */
#define TTY_INMAX	4096

struct tty_ctx {
	int		 escape;	/* the escape byte, or -1 */
	int		 eof;		/* end of input was seen */
	struct termios	 saved;		/* the terminal as we found it */
	int		 restore;	/* saved must be put back */
	struct sigaction oldcont;	/* SIGCONT as we found it */
	int		 cont;		/* our SIGCONT handler is in place */
#ifdef HAVE_LIBEDIT
	EditLine	*el;
	History		*hist;
	const char	*histfile;
	const char	*name;		/* the address, for messages */
	const char	*userprompt;	/* prompt=, or "" */
	int		 editing;	/* libedit reads the keys */
	int		 drawn;		/* the edited line is on the screen */
	int		 midline;	/* the last byte shown was not a LF */
	int		 eofsent;	/* the end of input was returned */
	unsigned char	 in[TTY_INMAX];	/* keys not yet given to libedit */
	size_t		 inoff, inlen;
	mbstate_t	 mbs;		/* a character split between reads */
	char		*out;		/* finished lines for the relay */
	size_t		 outoff, outlen, outsize;
	char		*tail;		/* the other side's unfinished line */
	size_t		 taillen;
	char		*prompt;	/* what libedit shows as the prompt */
	size_t		 promptsize;
	size_t		 promptwidth;	/* its width on the screen, columns */
	struct sigaction oldwinch;	/* SIGWINCH as we found it */
#endif
};

static ssize_t	tty_read(struct endpoint *, void *, size_t);
static ssize_t	tty_write(struct endpoint *, const void *, size_t);
static int	tty_shutdown_wr(struct endpoint *);
static size_t	tty_pending(struct endpoint *);
static void	tty_close(struct endpoint *);

static const struct ep_ops tty_ops = {
	.name = "terminal",
	.read = tty_read,
	.write = tty_write,
	.shutdown_wr = tty_shutdown_wr,
	.pending = tty_pending,
	.close = tty_close,
};

/*
 * The terminal modes of the session (raw for line editing, VEOL for the
 * escape key), put back by SIGCONT: after Ctrl-Z and fg the shell has
 * left its own modes on the terminal. tty_cont tells the layer to draw
 * the edited line again.
 */
static struct termios		tty_modes;
static volatile sig_atomic_t	tty_modes_set;
static volatile sig_atomic_t	tty_cont;

/* SIGCONT: the session's terminal modes again (tcsetattr is safe here). */
static void
tty_cont_handler(__unused int sig)
{
	int	saved = errno;

	if (tty_modes_set)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_modes);
	tty_cont = 1;
	errno = saved;
}

/* Note the terminal's modes now as the session's, for SIGCONT. */
static void
tty_modes_keep(struct tty_ctx *c)
{
	struct sigaction	sa;

	tty_modes_set = 0;
	if (tcgetattr(STDIN_FILENO, &tty_modes) == -1)
		return;
	tty_modes_set = 1;
	if (c->cont)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tty_cont_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCONT, &sa, &c->oldcont) == 0)
		c->cont = 1;
}

/* Write all of buf to the terminal fd (blocking). Returns 0 or -1. */
static int
tty_put_fd(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

#ifdef HAVE_LIBEDIT

/* Longest unfinished line of the other side held back as the prompt. */
#define TTY_TAILMAX	1024
/* Lines of history kept, in the session and in the history= file. */
#define TTY_HISTSIZE	500
/* Columns assumed when the terminal does not say. */
#define TTY_COLS	80
/* The byte that marks invisible parts of the prompt (EL_PROMPT_ESC). */
#define TTY_INVISIBLE	'\1'

/* The libedit functions used, found with dlsym(3). */
static struct tty_lib {
	EditLine	*(*el_init)(const char *, FILE *, FILE *, FILE *);
	void		 (*el_end)(EditLine *);
	int		 (*el_set)(EditLine *, int, ...);
	int		 (*el_get)(EditLine *, int, ...);
	const char	*(*el_gets)(EditLine *, int *);
	const LineInfoW	*(*el_wline)(EditLine *);
	void		 (*el_resize)(EditLine *);
	int		 (*el_source)(EditLine *, const char *);
	History		*(*history_init)(void);
	void		 (*history_end)(History *);
	int		 (*history)(History *, HistEvent *, int, ...);
} lib;

static const struct {
	const char	*name;
	size_t		 offset;
} tty_syms[] = {
	{ "el_init", offsetof(struct tty_lib, el_init) },
	{ "el_end", offsetof(struct tty_lib, el_end) },
	{ "el_set", offsetof(struct tty_lib, el_set) },
	{ "el_get", offsetof(struct tty_lib, el_get) },
	{ "el_gets", offsetof(struct tty_lib, el_gets) },
	{ "el_wline", offsetof(struct tty_lib, el_wline) },
	{ "el_resize", offsetof(struct tty_lib, el_resize) },
	{ "el_source", offsetof(struct tty_lib, el_source) },
	{ "history_init", offsetof(struct tty_lib, history_init) },
	{ "history_end", offsetof(struct tty_lib, history_end) },
	{ "history", offsetof(struct tty_lib, history) },
};

/* Set by SIGWINCH while the line is edited. */
static volatile sig_atomic_t tty_winch;

/* SIGWINCH: the terminal changed size; libedit is told at the next key. */
static void
tty_winch_handler(__unused int sig)
{
	tty_winch = 1;
}

/*
 * Load libedit (LIBEDIT_SONAME, found by configure) once. Returns 0, or
 * -1 with the reason in why (len bytes).
 */
static int
tty_lib_load(char *why, size_t len)
{
	static int	 loaded;
	const char	*e;
	void		*h, *f;
	size_t		 i;

	if (loaded)
		return 0;
	if ((h = dlopen(LIBEDIT_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		snprintf(why, len, "%s", e != NULL ? e : LIBEDIT_SONAME);
		return -1;
	}
	for (i = 0; i < nitems(tty_syms); i++) {
		if ((f = dlsym(h, tty_syms[i].name)) == NULL) {
			snprintf(why, len, "%s: no %s", LIBEDIT_SONAME,
			    tty_syms[i].name);
			dlclose(h);
			return -1;
		}
		memcpy((char *)&lib + tty_syms[i].offset, &f, sizeof(f));
	}
	/* The handle stays open until exit. */
	loaded = 1;
	return 0;
}

/* libedit's EL_PROMPT_ESC function: the prompt we keep up to date. */
static char *
tty_prompt_get(EditLine *el)
{
	struct tty_ctx	*c = NULL;

	lib.el_get(el, EL_CLIENTDATA, &c);
	return c != NULL && c->prompt != NULL ? c->prompt : (char *)"";
}

/* Append byte ch to the prompt being built (room was made for it). */
static void
tty_prompt_add(struct tty_ctx *c, size_t *n, char ch)
{
	c->prompt[(*n)++] = ch;
}

/*
 * Build the prompt of the edited line: the other side's unfinished line
 * when there is one (as it shows on the screen: what follows its last CR,
 * escape sequences marked invisible, other control bytes left out), else
 * prompt=. Computes its width in columns for tty_cursor_row().
 */
static void
tty_prompt_make(struct tty_ctx *c)
{
	const char	*s = c->userprompt;
	size_t		 len = strlen(s), i, n = 0, k;
	mbstate_t	 mbs;
	wchar_t		 wc;
	int		 w;

	if (c->taillen > 0) {
		s = c->tail;
		len = c->taillen;
		for (i = len; i > 0; i--)
			if (s[i - 1] == '\r')
				break;
		s += i;
		len -= i;
	}
	/* Each byte may gain two markers; tabs become at most 8 spaces. */
	if (c->promptsize < len * 8 + 1) {
		c->promptsize = len * 8 + 1;
		c->prompt = xreallocarray(c->prompt, c->promptsize, 1);
	}
	c->promptwidth = 0;
	memset(&mbs, 0, sizeof(mbs));
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == 0x1b) {
			/* ESC [ parameters final (ECMA-48 CSI), or ESC x. */
			tty_prompt_add(c, &n, TTY_INVISIBLE);
			tty_prompt_add(c, &n, (char)ch);
			if (i + 1 < len && s[i + 1] == '[') {
				tty_prompt_add(c, &n, s[++i]);
				while (++i < len) {
					ch = (unsigned char)s[i];
					if (ch == TTY_INVISIBLE)
						continue;
					tty_prompt_add(c, &n, (char)ch);
					if (ch >= 0x40 && ch <= 0x7e)
						break;
				}
			} else if (i + 1 < len && s[i + 1] != TTY_INVISIBLE)
				tty_prompt_add(c, &n, s[++i]);
			tty_prompt_add(c, &n, TTY_INVISIBLE);
			continue;
		}
		if (ch == '\t') {
			do {
				tty_prompt_add(c, &n, ' ');
				c->promptwidth++;
			} while (c->promptwidth % 8 != 0 && n + 1 <
			    c->promptsize);
			continue;
		}
		if (ch < 0x20 || ch == 0x7f || ch == TTY_INVISIBLE)
			continue;
		tty_prompt_add(c, &n, (char)ch);
		k = mbrtowc(&wc, (const char *)&ch, 1, &mbs);
		if (k == (size_t)-2)
			continue;
		if (k == (size_t)-1) {
			memset(&mbs, 0, sizeof(mbs));
			c->promptwidth++;
			continue;
		}
		w = wcwidth(wc);
		c->promptwidth += w > 0 ? (size_t)w : 0;
	}
	c->prompt[n] = '\0';
}

/* Columns of the terminal, as libedit knows them. */
static int
tty_cols(struct tty_ctx *c)
{
	int	cols = 0;

	if (lib.el_get(c->el, EL_GETTC, "co", &cols, NULL) != 0 || cols <= 0)
		cols = TTY_COLS;
	return cols;
}

/*
 * The row of the cursor within the edited line as libedit lays it out
 * (refresh.c): the prompt, then each character, a control character as
 * ^X, a tab up to the next multiple of 8, wrapping at the last column.
 */
static int
tty_cursor_row(struct tty_ctx *c)
{
	const LineInfoW	*li = lib.el_wline(c->el);
	const wchar_t	*p;
	size_t		 col = c->promptwidth;
	int		 w;

	for (p = li->buffer; p < li->cursor; p++) {
		if (*p == L'\t')
			col = (col | 7) + 1;
		else if (*p < 0x20 || *p == 0x7f)
			col += 2;
		else if ((w = wcwidth(*p)) >= 0)
			col += (size_t)w;
		else
			col += 4;
	}
	return (int)(col / (size_t)tty_cols(c));
}

/*
 * Take the edited line (prompt included) off the screen: back to the
 * start of its first row, and clear to the end of the screen (VT100 /
 * ECMA-48 sequences, which every terminal in use understands). The
 * cursor is then where the line began.
 */
static void
tty_erase(struct tty_ctx *c)
{
	char	seq[32];
	int	row, n;

	if (!c->drawn)
		return;
	row = tty_cursor_row(c);
	if (row > 0)
		n = snprintf(seq, sizeof(seq), "\r\033[%dA\033[J", row);
	else
		n = snprintf(seq, sizeof(seq), "\r\033[J");
	tty_put_fd(STDOUT_FILENO, seq, (size_t)n);
	c->drawn = 0;
}

/*
 * After Ctrl-Z and fg the edited line is no longer where libedit thinks:
 * draw it again on the line the shell left the cursor on (after its
 * "fg" line).
 */
static void
tty_continued(struct tty_ctx *c)
{
	if (!tty_cont)
		return;
	tty_cont = 0;
	tty_put_fd(STDOUT_FILENO, "\r", 1);
	c->drawn = 0;
	tty_prompt_make(c);
	lib.el_set(c->el, EL_REFRESH);
	c->drawn = 1;
}

/* Draw the prompt and the edited line again where the cursor is. */
static void
tty_redraw(struct tty_ctx *c)
{
	if (tty_winch) {
		tty_winch = 0;
		lib.el_resize(c->el);
	}
	tty_prompt_make(c);
	lib.el_set(c->el, EL_REFRESH);
	c->drawn = 1;
}

/*
 * Show what the other side sent that was held back (its unfinished
 * line), on a line of its own afterwards when end is set.
 */
static void
tty_flush_tail(struct tty_ctx *c, int end)
{
	if (c->taillen > 0) {
		tty_put_fd(STDOUT_FILENO, c->tail, c->taillen);
		c->midline = c->tail[c->taillen - 1] != '\n';
		c->taillen = 0;
	}
	if (end && c->midline) {
		tty_put_fd(STDOUT_FILENO, "\r\n", 2);
		c->midline = 0;
	}
}

/*
 * Stop editing: the line goes off the screen, what was held back is
 * shown, the terminal gets its modes back. Later output is written as it
 * comes. end: also move to a line of its own, for a message.
 */
static void
tty_edit_stop(struct tty_ctx *c, int end)
{
	if (!c->editing) {
		if (end && c->midline) {
			tty_put_fd(STDOUT_FILENO, "\r\n", 2);
			c->midline = 0;
		}
		return;
	}
	tty_erase(c);
	tty_flush_tail(c, end);
	/* Back to cooked mode (libedit's read_finish). */
	tty_modes_set = 0;
	lib.el_set(c->el, EL_UNBUFFERED, 0);
	c->editing = 0;
}

/*
 * libedit's read function (EL_GETCFN): the next character of the keys
 * this layer has read, 1; or 0 when they are used up, which makes
 * el_gets() return the line so far: libedit never reads the terminal
 * itself, so it never blocks.
 */
static int
tty_getc(EditLine *el, wchar_t *wc)
{
	struct tty_ctx	*c = NULL;
	size_t		 k;
	char		 ch;

	lib.el_get(el, EL_CLIENTDATA, &c);
	while (c != NULL && c->inoff < c->inlen) {
		ch = (char)c->in[c->inoff++];
		k = mbrtowc(wc, &ch, 1, &c->mbs);
		if (k == (size_t)-2)
			continue;	/* more bytes of this character */
		if (k == (size_t)-1) {
			memset(&c->mbs, 0, sizeof(c->mbs));
			continue;	/* not a character: dropped */
		}
		return 1;
	}
	return 0;
}

/* Queue line (len bytes, its LF included) for the relay. */
static void
tty_out_add(struct tty_ctx *c, const char *line, size_t len)
{
	if (c->outoff > 0 && c->outlen > 0)
		memmove(c->out, c->out + c->outoff, c->outlen);
	c->outoff = 0;
	if (c->outlen + len > c->outsize) {
		c->outsize = c->outlen + len + 256;
		c->out = xreallocarray(c->out, c->outsize, 1);
	}
	memcpy(c->out + c->outlen, line, len);
	c->outlen += len;
}

/*
 * Give the keys read to libedit, one command at a time. A finished line
 * goes to the relay's queue and to the history; Ctrl-D on an empty line
 * is the end of input.
 */
static void
tty_edit_keys(struct tty_ctx *c)
{
	HistEvent	 ev;
	const char	*line;
	size_t		 before;
	int		 n;

	while (c->editing && c->inoff < c->inlen) {
		tty_continued(c);
		if (tty_winch) {
			tty_winch = 0;
			lib.el_resize(c->el);
		}
		before = c->inoff;
		line = lib.el_gets(c->el, &n);
		c->drawn = 1;
		if (line != NULL && n == 1 && line[0] == 0x04) {
			/* Ctrl-D on an empty line (libedit's CC_EOF). */
			c->eof = 1;
			c->inoff = c->inlen;
			tty_edit_stop(c, 0);
			break;
		}
		if (line != NULL && n > 0 && line[n - 1] == '\n') {
			tty_out_add(c, line, (size_t)n);
			if (n > 1) {
				char *h = xmalloc((size_t)n);

				memcpy(h, line, (size_t)n - 1);
				h[n - 1] = '\0';
				lib.history(c->hist, &ev, H_ENTER, h);
				free(h);
			}
			/*
			 * The other side's unfinished line was shown as the
			 * prompt and is now part of the finished line on the
			 * screen. A new, empty line starts (libedit resets
			 * it when EL_UNBUFFERED is set again).
			 */
			c->taillen = 0;
			c->midline = 0;
			tty_prompt_make(c);
			lib.el_set(c->el, EL_UNBUFFERED, 0);
			lib.el_set(c->el, EL_UNBUFFERED, 1);
			continue;
		}
		if (c->inoff == before)
			break;		/* nothing taken: do not spin */
	}
}

/*
 * Start line editing on the terminal: libedit (loaded now), the history,
 * ~/.editrc, our read function and prompt, SIGWINCH. Returns 0, or -1
 * after a warning (the session then goes on without editing).
 */
static int
tty_edit_start(struct tty_ctx *c, const struct addr *a)
{
	struct sigaction	 sa;
	HistEvent		 ev;
	char			 why[256];

	if (tty_lib_load(why, sizeof(why)) == -1) {
		warnx("%s: no line editing: %s", a->text, why);
		return -1;
	}
	/* Characters of the user's locale (UTF-8) are edited as such. */
	setlocale(LC_CTYPE, "");
	c->el = lib.el_init("sockcat", stdin, stdout, stderr);
	if (c->el == NULL) {
		warnx("%s: no line editing: el_init failed", a->text);
		return -1;
	}
	c->hist = lib.history_init();
	lib.history(c->hist, &ev, H_SETSIZE, TTY_HISTSIZE);
	lib.history(c->hist, &ev, H_SETUNIQUE, 1);
	c->histfile = a->opts.history;
	if (c->histfile != NULL && lib.history(c->hist, &ev, H_LOAD,
	    c->histfile) == -1 && access(c->histfile, F_OK) == 0)
		warnx("%s: history %s: cannot read it", a->text,
		    c->histfile);
	c->name = a->text;
	c->userprompt = a->opts.prompt != NULL ? a->opts.prompt : "";
	tty_prompt_make(c);
	lib.el_set(c->el, EL_CLIENTDATA, c);
	lib.el_set(c->el, EL_EDITOR, "emacs");
	lib.el_set(c->el, EL_HIST, lib.history, c->hist);
	lib.el_set(c->el, EL_PROMPT_ESC, tty_prompt_get, TTY_INVISIBLE);
	lib.el_set(c->el, EL_GETCFN, tty_getc);
	/* The user's ~/.editrc ($EDITRC) may rebind keys. */
	lib.el_source(c->el, NULL);
	/* Ctrl-] is an ordinary key when it is not the escape. */
	if (c->escape != 0x1d)
		lib.el_set(c->el, EL_BIND, "^]", "ed-insert", NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tty_winch_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, &c->oldwinch);
	/* Raw mode and the prompt (libedit's read_prepare). */
	lib.el_set(c->el, EL_UNBUFFERED, 1);
	tty_modes_keep(c);
	c->editing = 1;
	c->drawn = 1;
	return 0;
}

/* Save the history (history=), end libedit, put SIGWINCH back. */
static void
tty_edit_end(struct tty_ctx *c)
{
	HistEvent	ev;

	if (c->el == NULL)
		return;
	tty_edit_stop(c, 1);
	if (c->histfile != NULL && lib.history(c->hist, &ev, H_SAVE,
	    c->histfile) == -1)
		warnx("%s: history %s: cannot write it", c->name, c->histfile);
	lib.el_end(c->el);
	lib.history_end(c->hist);
	c->el = NULL;
	sigaction(SIGWINCH, &c->oldwinch, NULL);
	free(c->out);
	free(c->tail);
	free(c->prompt);
}

/*
 * Show buf (len bytes from the other side) above the edited line: the
 * line goes off the screen, the data is written, the line comes back. An
 * unfinished last line is held back and shown as the prompt instead, up
 * to TTY_TAILMAX bytes. Returns 0, or -1 with errno from write(2).
 */
static int
tty_edit_show(struct tty_ctx *c, const char *buf, size_t len)
{
	const char	*nl = NULL, *p;
	size_t		 head, rest;
	int		 r = 0;

	tty_continued(c);
	tty_erase(c);
	for (p = buf + len; p > buf; p--)
		if (p[-1] == '\n') {
			nl = p;
			break;
		}
	head = nl != NULL ? (size_t)(nl - buf) : 0;
	rest = len - head;
	if (head > 0) {
		tty_flush_tail(c, 0);
		r = tty_put_fd(STDOUT_FILENO, buf, head);
		c->midline = 0;
	}
	if (c->taillen + rest > TTY_TAILMAX) {
		/* Too long for a prompt: shown now, the line goes below. */
		tty_flush_tail(c, 0);
		if (tty_put_fd(STDOUT_FILENO, buf + head, rest) == -1)
			r = -1;
		c->midline = 1;
		tty_flush_tail(c, 1);
	} else if (rest > 0) {
		if (c->tail == NULL)
			c->tail = xmalloc(TTY_TAILMAX);
		memcpy(c->tail + c->taillen, buf + head, rest);
		c->taillen += rest;
	}
	tty_redraw(c);
	return r;
}

#endif /* HAVE_LIBEDIT */

/*
 * Read from the keyboard: the escape key ends the session (EP_CLOSE);
 * with line editing, whole lines once Enter is pressed, and 0 after
 * Ctrl-D on an empty line. Returns bytes, 0, EP_CLOSE, EP_WANT_READ or
 * EP_ERROR (errno from read(2)).
 */
static ssize_t
tty_read(struct endpoint *ep, void *buf, size_t len)
{
	struct tty_ctx	*c = ep->ctx;
	ssize_t		 n;
#ifdef HAVE_LIBEDIT
	size_t		 k;

	if (c->el != NULL && c->outlen == 0 && !c->eof) {
		n = ep->below->ops->read(ep->below, c->in, sizeof(c->in));
		if (n == EP_ERROR)
			return layer_error_below(ep);
		if (n < 0)
			return n;
		if (n == 0) {
			/* The terminal went away (a hang-up). */
			c->eof = c->eofsent = 1;
			tty_edit_stop(c, 0);
			return 0;
		}
		if (c->escape != -1 && memchr(c->in, c->escape, (size_t)n))
			return EP_CLOSE;
		c->inoff = 0;
		c->inlen = (size_t)n;
		tty_edit_keys(c);
	}
	if (c->el != NULL) {
		if (c->outlen > 0) {
			k = c->outlen < len ? c->outlen : len;
			memcpy(buf, c->out + c->outoff, k);
			c->outoff += k;
			c->outlen -= k;
			return (ssize_t)k;
		}
		if (c->eof) {
			c->eofsent = 1;
			return 0;
		}
		return EP_WANT_READ;
	}
#endif
	n = ep->below->ops->read(ep->below, buf, len);
	if (n > 0 && c->escape != -1 && memchr(buf, c->escape, (size_t)n)) {
		/* The terminal echoed "^]": what follows goes below it. */
		if (isatty(STDERR_FILENO))
			tty_put_fd(STDERR_FILENO, "\n", 1);
		return EP_CLOSE;
	}
	if (n == EP_ERROR)
		return layer_error_below(ep);
	return n;
}

/*
 * Write what the other side sent; with line editing, above the edited
 * line. Returns len, or what the layer below returns.
 */
static ssize_t
tty_write(struct endpoint *ep, const void *buf, size_t len)
{
#ifdef HAVE_LIBEDIT
	struct tty_ctx	*c = ep->ctx;

	if (c->editing)
		return tty_edit_show(c, buf, len) == -1 ? EP_ERROR :
		    (ssize_t)len;
	if (c->el != NULL && len > 0)
		c->midline = ((const char *)buf)[len - 1] != '\n';
#endif
	return ep->below->ops->write(ep->below, buf, len);
}

/*
 * The other side ended: the edited line goes off the screen and the
 * terminal gets its modes back before the relay's last message; then the
 * half-close of standard output. Returns what the layer below returns.
 */
static int
tty_shutdown_wr(struct endpoint *ep)
{
#ifdef HAVE_LIBEDIT
	struct tty_ctx	*c = ep->ctx;

	if (c->el != NULL)
		tty_edit_stop(c, 1);
#endif
	return ep->below->ops->shutdown_wr(ep->below);
}

/* Finished lines (and an end of input) wait for the relay without poll. */
static size_t
tty_pending(struct endpoint *ep)
{
#ifdef HAVE_LIBEDIT
	struct tty_ctx	*c = ep->ctx;

	if (c->el != NULL)
		return c->outlen + (c->eof && !c->eofsent);
#endif
	return layer_pending_below(ep);
}

/* Put the terminal back as it was, save the history, close below. */
static void
tty_close(struct endpoint *ep)
{
	struct tty_ctx	*c = ep->ctx;

#ifdef HAVE_LIBEDIT
	tty_edit_end(c);
#endif
	tty_modes_set = 0;
	if (c->cont)
		sigaction(SIGCONT, &c->oldcont, NULL);
	if (c->restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
	free(c);
	ep->ctx = NULL;
	layer_close_below(ep);
}

/*
 * Put the terminal layer on the stdio endpoint ep of address a, whose
 * standard input is a terminal and is read (SPEC 9). edit: standard
 * output is a terminal too. Line editing is on when edit is set, -u/-U
 * are not given, noedit is not set and libedit loads; else the terminal
 * stays in canonical mode, with the escape key (escape=, default Ctrl-])
 * made an end-of-line character so that it acts at once, as BSD telnet
 * does. Returns 0 (a failure to edit is a warning, not an error).
 */
int
tty_attach(struct endpoint *ep, const struct addr *a, int edit)
{
	struct tty_ctx	*c;
	struct termios	 t;

	c = xcalloc(1, sizeof(*c));
	c->escape = a->opts.escape;
	layer_push(ep, &tty_ops, c);
#ifdef HAVE_LIBEDIT
	if (edit && !a->opts.noedit && cfg.dirs == DIR_BOTH &&
	    tty_edit_start(c, a) == 0)
		return 0;
#else
	(void)edit;
#endif
	if (c->escape != -1 && tcgetattr(STDIN_FILENO, &c->saved) == 0) {
		t = c->saved;
		t.c_cc[VEOL] = (cc_t)c->escape;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
			c->restore = 1;
			tty_modes_keep(c);
		}
	}
	return 0;
}

/* For -V: "libedit (SONAME)" when line editing is built in, else NULL. */
const char *
tty_feature(void)
{
#ifdef HAVE_LIBEDIT
	return "libedit (" LIBEDIT_SONAME ")";
#else
	return NULL;
#endif
}
