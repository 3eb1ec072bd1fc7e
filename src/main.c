/* main.c: command line, signals, and the open/relay/close of a session. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

struct config cfg;
volatile sig_atomic_t sig_term;

/* Signal state: whether INT/TERM are deferred, and the mask for ppoll. */
static int	 sig_deferred;
static sigset_t	 sig_pollmask;

static const char usage_line[] =
    "usage: sockcat [-46dhsuUvVxz] [-b size] [-t sec] [-T sec] "
    "ADDRESS1 [ADDRESS2]";

/* A usage error: one line, "sockcat: WHY; see sockcat -h", exit 2. */
static __dead void
usage(const char *why)
{
	errx(EXIT_USAGE, "%s; see sockcat -h", why);
}

/* -h: flags and address types, in 80 columns (types from the C table). */
static void
help(void)
{
	printf("%s\n\n", usage_line);
	printf("Relay bytes between two addresses (one address: the other "
	    "is -, stdio).\n\n");
	printf("  -4, -6      use IPv4 / IPv6 only\n"
	    "  -u, -U      one direction only: ADDRESS1->2 / ADDRESS2->1\n"
	    "  -b size     relay buffer size in bytes (k, m suffixes)\n"
	    "  -t seconds  after the first end of input, wait at most this "
	    "long\n"
	    "  -T seconds  end the session after this long without data\n"
	    "  -v, -d      verbose: connections and statistics "
	    "(twice: more)\n"
	    "  -x          hex dump of relayed data on stderr\n"
	    "  -s          sloppy: an option that cannot be applied only "
	    "warns\n"
	    "  -lf FILE, -ls, -lp NAME, -lu, -lh, -lm, -ly: socat's log "
	    "format and place\n"
	    "  -z          check TCP ports (tcp:HOST:LOW-HIGH), send nothing\n"
	    "  -h [TYPE]   this help, or one type's parameters and options\n"
	    "              (-h types: every type, -h options: every option)\n"
	    "  -V          version and features\n\n");
	printf("Addresses are TYPE[:PARAM...][,OPTION[=VALUE]...], or A!!B "
	    "(read A, write B).\nAddress types:\n");
	addr_table_help(stdout, 0);
	printf("\nNames ignore case; socat's work too: tcp4-connect, "
	    "tcp6-listen, udp4-recv,\nopenssl-dtls-client, /path (gopen) "
	    "... More: sockcat -h TYPE, man sockcat.\n");
	printf("Exit: 0 ok, 1 runtime, 2 usage, 3 resolve, 4 connect, "
	    "5 TLS, 6 data lost.\n");
}

/* -V: version, OpenSSL version and the compiled-in features. */
static void
version(void)
{
	const char	*tls = tls_version(), *edit = tty_feature();

	printf("sockcat %s\n", PACKAGE_VERSION);
	printf("TLS: %s\n", tls ? tls : "not built in (--without-openssl)");
	printf("line editing: %s\n", edit ? edit :
	    "not built in (--without-libedit)");
	printf("features:");
#ifdef HAVE_OPENSSL
	printf(" tls dtls websocket");
#endif
#ifdef HAVE_SPLICE
	printf(" splice");
#endif
#ifdef HAVE_ACCEPT4
	printf(" accept4");
#endif
#ifdef HAVE_LIBEDIT
	printf(" libedit");
#endif
	printf(" ipv6 unix abstract raw\n");
}

/* SIGINT/SIGTERM: while deferred, note it for the loops; else die by it. */
static void
signals_handler(int sig)
{
	sig_term = sig;
	if (!sig_deferred) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/*
 * Defer SIGINT and SIGTERM (on = 1): they are blocked except inside
 * ppoll(2) with signals_pollmask(), where they set sig_term so the relay
 * and accept loops end cleanly (closing children, removing socket files).
 * on = 0 undoes that; a signal noted meanwhile then ends the program by
 * that signal, as it would have without deferring.
 */
void
signals_defer(int on)
{
	sigset_t	set;
	int		sig;

	if (on == sig_deferred)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	if (on) {
		sigprocmask(SIG_BLOCK, &set, &sig_pollmask);
		sigdelset(&sig_pollmask, SIGINT);
		sigdelset(&sig_pollmask, SIGTERM);
		sigdelset(&sig_pollmask, SIGCHLD);
		sig_deferred = 1;
		return;
	}
	sig_deferred = 0;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if ((sig = sig_term) != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* The signal mask for ppoll(2): the deferred signals unblocked. */
const sigset_t *
signals_pollmask(void)
{
	if (!sig_deferred)
		sigprocmask(SIG_BLOCK, NULL, &sig_pollmask);
	return &sig_pollmask;
}

/* Make sure fds 0, 1 and 2 are open, so no socket lands on them. */
static void
sanitize_fds(void)
{
	int	fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1)
			exit(EXIT_RUNTIME);
}

/* Two words that are one address split by a space: say so, exit 2. */
static __dead void
split_fail(const char *first, const char *second)
{
	errx(EXIT_USAGE, "'%s' '%s': the address was split by a space; "
	    "write '%s%s'", first, second, first, second);
}

/* Report a malformed address (exit 2). */
static __dead void
addr_fail(const char *text, const struct addr_error *e)
{
	char	buf[512];

	addr_error_format(text, e, buf, sizeof(buf));
	errx(EXIT_USAGE, "%s", buf);
}

/*
 * Parse one address or exit 2 with the reason. `prev` is the word before
 * ADDRESS2 (else NULL), to explain an address split by a space:
 * "unix-listen:/tmp/s," "fork" (a trailing ',' is fine, so that is when
 * ADDRESS2 is no address but an option). The passwords in it (proxy=,
 * proxyauth=, auth=) are masked in text, which is argv, so that no message
 * quotes them and ps(1) shows them no more (proxy_mask(), as curl blanks
 * -u): the address is parsed from a copy.
 */
static void
parse_address(char *text, struct addr *a, const char *prev)
{
	struct addr_error	e;
	char			word[64], *plain;
	size_t			n;
	int			r;

	plain = xstrdup(text);
	proxy_mask(text);
	memset(&e, 0, sizeof(e));
	r = addr_parse(plain, a, &e);
	/* The masked text has the same length: offsets still hold. */
	explicit_bzero(plain, strlen(plain));
	free(plain);
	if (r == 0) {
		a->text = text;
		return;
	}
	if (prev != NULL && prev[0] != '\0' &&
	    prev[strlen(prev) - 1] == ',') {
		/* ADDRESS2 is an option that lost its address. */
		n = strcspn(text, ",=");
		if (n < sizeof(word)) {
			memcpy(word, text, n);
			word[n] = '\0';
			if (opts_find(word) != -1)
				split_fail(prev, text);
		}
	}
	addr_fail(text, &e);
}

/*
 * Checks across flags and an address that the parser cannot make alone:
 * -4/-6 and pf= against the alias family and IP literals, fork only on
 * one address and never in a dual one (its halves are checked too).
 * Exits 2 with a message on a conflict.
 */
static void
check_address(const struct addr *a, int first, int half)
{
	unsigned char		 buf[16];
	char			 host[INET6_ADDRSTRLEN];
	unsigned		 lo, hi;
	int			 i;

	if (a->half[0] != NULL) {
		check_address(a->half[0], first, 1);
		check_address(a->half[1], first, 1);
		return;
	}
	if (cfg.family != AF_UNSPEC && a->family != AF_UNSPEC &&
	    cfg.family != a->family)
		errx(EXIT_USAGE, "'%s': -%c conflicts with this address type",
		    a->text, cfg.family == AF_INET ? '4' : '6');
	if ((a->opts.pf == AF_INET || a->opts.pf == AF_INET6) &&
	    ((a->family != AF_UNSPEC && a->family != a->opts.pf) ||
	    (cfg.family != AF_UNSPEC && cfg.family != a->opts.pf)))
		errx(EXIT_USAGE, "'%s': pf=%s conflicts with the address type "
		    "or -4/-6", a->text, a->opts.pf == AF_INET ? "ip4" : "ip6");
	if (((a->type->flags & (AT_HOSTPORT | AT_HOST)) && a->nparams == 2) ||
	    (a->type->flags & AT_URL)) {
		/* A scoped literal is an IPv6 one: fe80::1%lo. */
		snprintf(host, sizeof(host), "%.*s",
		    (int)strcspn(a->params[0], "%"), a->params[0]);
		if (inet_family(a) == AF_INET &&
		    inet_pton(AF_INET6, host, buf) == 1)
			errx(EXIT_USAGE, "'%s': IPv4 only, but %s is an IPv6 "
			    "address", a->text, a->params[0]);
		if (inet_family(a) == AF_INET6 &&
		    inet_pton(AF_INET, host, buf) == 1)
			errx(EXIT_USAGE, "'%s': IPv6 only, but %s is an IPv4 "
			    "address", a->text, a->params[0]);
	}
	if (opts_isset(&a->opts, OPT_COMPRESS) &&
	    strcmp(a->opts.compress, "auto") != 0 &&
	    strcmp(a->opts.compress, "none") != 0)
		errx(EXIT_USAGE, "'%s': compress=%s: expects auto or none",
		    a->text, a->opts.compress);
	/* DTLS is DTLS 1.2 (OpenSSL has no DTLS 1.3). */
	if ((a->type->flags & AT_DTLS) &&
	    opts_isset(&a->opts, OPT_MIN_VERSION) &&
	    a->opts.min_version > 0x0303)
		errx(EXIT_USAGE, "'%s': min-version: DTLS has only 1.2",
		    a->text);
	if (opts_isset(&a->opts, OPT_SPEED) &&
	    !termios_known_speed(a->opts.speed))
		errx(EXIT_USAGE, "'%s': speed %u: not a line speed of "
		    "termios(3) (b9600, b115200, ...)", a->text, a->opts.speed);
	if (half && a->opts.fork)
		errx(EXIT_USAGE, "'%s': fork does not work in a dual address",
		    a->text);
	if (!first && a->opts.fork && !(a->type->flags & AT_LISTEN))
		errx(EXIT_USAGE, "'%s': fork works on ADDRESS1, or on a "
		    "listener as ADDRESS2", a->text);
	if (!first && (a->opts.broker || a->opts.chat))
		errx(EXIT_USAGE, "'%s': %s works on ADDRESS1 only", a->text,
		    a->opts.chat ? "chat" : "broker");
	/* One room is one process. */
	if ((a->opts.broker || a->opts.chat) && a->opts.workers > 1)
		errx(EXIT_USAGE, "'%s': %s needs one worker", a->text,
		    a->opts.chat ? "chat" : "broker");
	if ((a->opts.broker || a->opts.chat) &&
	    opts_isset(&a->opts, OPT_ACCEPT_TIMEOUT))
		errx(EXIT_USAGE, "'%s': %s rooms take no accept-timeout",
		    a->text, a->opts.chat ? "chat" : "broker");
	if (!first && (a->type->flags & AT_OWNPEER))
		errx(EXIT_USAGE, "'%s': a proxy server is ADDRESS1 (its clients "
		    "name the other side)", a->text);
	/* tcp:HOST:LOW-HIGH: only -z checks ranges (SPEC 9). */
	if (!cfg.scan && (a->type->flags & AT_HOSTPORT) &&
	    !(a->type->flags & AT_LISTEN) && a->nparams == 2 &&
	    addr_port_range(a->params[1], &lo, &hi) == 0)
		errx(EXIT_USAGE, "'%s': a port range needs -z", a->text);
	if (cfg.scan && first && ((a->type->flags & (AT_HOSTPORT |
	    AT_LISTEN)) != AT_HOSTPORT || a->type->socktype != SOCK_STREAM))
		errx(EXIT_USAGE, "'%s': -z checks TCP ports: give "
		    "tcp:HOST:PORT or tcp:HOST:LOW-HIGH", a->text);
	for (i = 0; cfg.scan && first && i < OPT__COUNT; i++)
		if (i != OPT_CONNECT_TIMEOUT && opts_isset(&a->opts, i))
			errx(EXIT_USAGE, "'%s': -z takes no option but "
			    "connect-timeout", a->text);
}

/*
 * The files an address names (cert=, key=, cafile=, capath=) must be
 * readable before anything is opened, so a typo shows at once rather than
 * at the first client. Exits 1 with "sockcat: ADDR: cert FILE: reason",
 * the wording tls.c uses for files it cannot load.
 */
static void
check_files(const struct addr *a)
{
	static const struct {
		int		 id;
		const char	*name;
	} files[] = {
		{ OPT_CAFILE, "cafile" },
		{ OPT_CAPATH, "capath" },
		{ OPT_CERT, "cert" },
		{ OPT_KEY, "key" },
		{ OPT_PROXY_CAFILE, "proxy-cafile" },
	};
	const char	*path;
	size_t		 i;

	if (a->half[0] != NULL) {
		check_files(a->half[0]);
		check_files(a->half[1]);
		return;
	}
	for (i = 0; i < nitems(files); i++) {
		if (!opts_isset(&a->opts, files[i].id))
			continue;
		path = *(char *const *)(const void *)((const char *)&a->opts +
		    opt_table[files[i].id].field);
		if (access(path, R_OK) == -1)
			err(EXIT_RUNTIME, "%s: %s %s", a->text, files[i].name,
			    path);
	}
}

/*
 * socat's two-letter flags, which getopt(3) cannot parse: -lf FILE, -ls,
 * -lpNAME (or -lp NAME), -lu, -lh, -lm[FACILITY], -ly[FACILITY] (socat(1)
 * "-l..."). They are taken out of argv into cfg; any of them selects
 * socat's log format. A word starting with "-!!" is an address (socat's
 * "-!!-", stdin!!stdout), not flags: "--" is put before it. Returns the
 * new argv (argc in *argcp), which main() frees before it returns.
 */
static char **
socat_flags(int *argcp, char **argv)
{
	char	**nv;
	int	  argc = *argcp, i, n = 0, ended = 0;

	nv = xcalloc((size_t)argc + 2, sizeof(*nv));
	nv[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (ended || strcmp(w, "--") == 0) {
			ended = 1;
			nv[n++] = argv[i];
			continue;
		}
		if (strncmp(w, "-!!", 3) == 0) {
			nv[n++] = (char *)"--";
			nv[n++] = argv[i];
			ended = 1;
			continue;
		}
		if (w[0] != '-' || w[1] != 'l' || w[2] == '\0') {
			nv[n++] = argv[i];
			continue;
		}
		cfg.log_socat = 1;
		switch (w[2]) {
		case 'f':
			if (w[3] != '\0')
				cfg.log_file = w + 3;
			else if (i + 1 < argc)
				cfg.log_file = argv[++i];
			else
				usage("flag -lf needs a file name");
			break;
		case 'p':
			if (w[3] != '\0')
				cfg.log_name = w + 3;
			else if (i + 1 < argc)
				cfg.log_name = argv[++i];
			else
				usage("flag -lp needs a program name");
			break;
		case 's':
		case 'u':
		case 'h':
			if (w[3] != '\0')
				errx(EXIT_USAGE, "unknown flag %s; see sockcat "
				    "-h", w);
			if (w[2] == 'u')
				cfg.log_usec = 1;
			else if (w[2] == 'h')
				cfg.log_host = 1;
			break;
		case 'm':
		case 'y':
			if (w[2] == 'm')
				cfg.log_mixed = 1;
			else
				cfg.log_syslog = 1;
			if (w[3] != '\0')
				cfg.log_facility = w + 3;
			break;
		default:
			errx(EXIT_USAGE, "unknown flag %s; see sockcat -h", w);
		}
	}
	nv[n] = NULL;
	*argcp = n;
	return nv;
}

/*
 * Set the roles -u and -U give: the first address only read from and the
 * second only written to, or the other way round (socat(1) -u, -U), so
 * that a program or file is opened for that only. A dual address keeps
 * its halves' roles.
 */
static void
set_roles(struct addr *a1, struct addr *a2)
{
	if (cfg.dirs == DIR_FWD) {
		a1->role = ADDR_RDONLY;
		a2->role = ADDR_WRONLY;
	} else if (cfg.dirs == DIR_REV) {
		a1->role = ADDR_WRONLY;
		a2->role = ADDR_RDONLY;
	}
}

/* tls_init() for a (and both halves of a dual address). */
static int
init_tls(const struct addr *a)
{
	int	r;

	if (a->half[0] != NULL) {
		if ((r = init_tls(a->half[0])) != 0)
			return r;
		return init_tls(a->half[1]);
	}
	/* WebSocket takes its SHA-1, base64 and random bytes from there. */
	if ((a->type->flags & (AT_TLS | AT_DTLS)) || (a->type->groups & G_WS))
		return tls_init(a);
	return 0;
}

/* -b, -t, -T values. */
static void
parse_flag_value(int ch, const char *arg)
{
	unsigned long	v;
	long		ms;

	switch (ch) {
	case 'b':
		if (parse_size(arg, 1, 1UL << 30, &v) == -1)
			errx(EXIT_USAGE, "-b %s: expects a size in bytes from "
			    "1 to 1g (k, m suffixes)", arg);
		cfg.bufsize = v;
		break;
	case 't':
	case 'T':
		if (parse_ms(arg, &ms) == -1)
			errx(EXIT_USAGE, "-%c %s: expects seconds, like 2 or "
			    "0.5", ch, arg);
		if (ch == 't')
			cfg.linger_ms = ms;
		else
			cfg.idle_ms = ms;
		break;
	}
}

int
main(int argc, char *argv[])
{
	struct addr		 a1, a2;
	struct endpoint		 ep1;
	const struct addr_alias	*al;
	int			 ch, i, r, nargs;
	char			*text2, dash[] = "-", **flags_argv;

	sanitize_fds();
	cfg.family = AF_UNSPEC;
	cfg.dirs = DIR_BOTH;
	cfg.linger_ms = -1;
	cfg.idle_ms = -1;

	argv = flags_argv = socat_flags(&argc, argv);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0)
			argv[i] = (char *)"-h";
		else if (strcmp(argv[i], "--version") == 0)
			argv[i] = (char *)"-V";
		else if (strncmp(argv[i], "--", 2) == 0)
			errx(EXIT_USAGE, "unknown option %s; see sockcat -h",
			    argv[i]);
	}
	opterr = 0;	/* our own one-line messages */
	while ((ch = getopt(argc, argv, ":46b:dhsT:t:uUvVxz")) != -1) {
		switch (ch) {
		case '4':
		case '6':
			if (cfg.family != AF_UNSPEC &&
			    cfg.family != (ch == '4' ? AF_INET : AF_INET6))
				errx(EXIT_USAGE, "-4 and -6 exclude each "
				    "other");
			cfg.family = ch == '4' ? AF_INET : AF_INET6;
			break;
		case 'b':
		case 't':
		case 'T':
			parse_flag_value(ch, optarg);
			break;
		case 'd':
		case 'v':
			cfg.verbose++;
			break;
		case 'h':
			if (optind < argc && strcasecmp(argv[optind],
			    "types") == 0) {
				printf("Address types (TYPE:PARAMS):\n");
				addr_table_help(stdout, 1);
			} else if (optind < argc && strcasecmp(argv[optind],
			    "options") == 0) {
				printf("Address options "
				    "(TYPE:PARAMS,OPTION=VALUE,...):\n");
				opts_help(stdout, ~0U);
			} else if (optind < argc) {
				if ((al = addr_type_find(argv[optind])) == NULL)
					errx(EXIT_USAGE, "-h %s: unknown "
					    "address type", argv[optind]);
				addr_type_help(stdout, al->type);
			} else
				help();
			exit(0);
		case 'u':
		case 'U':
			if (cfg.dirs != DIR_BOTH &&
			    cfg.dirs != (ch == 'u' ? DIR_FWD : DIR_REV))
				errx(EXIT_USAGE, "-u and -U exclude each "
				    "other");
			cfg.dirs = ch == 'u' ? DIR_FWD : DIR_REV;
			break;
		case 'V':
			version();
			exit(0);
		case 'x':
			cfg.hexdump = 1;
			break;
		case 's':
			cfg.sloppy = 1;
			break;
		case 'z':
			cfg.scan = 1;
			break;
		case ':':
			errx(EXIT_USAGE, "flag -%c needs a value; see sockcat -h",
			    optopt);
		default:
			if (isprint(optopt))
				errx(EXIT_USAGE, "unknown flag -%c; see sockcat -h",
				    optopt);
			usage("unknown flag");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage("no address given");
	nargs = argc;
	if (nargs > 2) {
		/* "unix-listen:/tmp/s, fork": a space split an address. */
		for (i = 1; i < nargs; i++) {
			size_t n = strlen(argv[i - 1]);

			if (argv[i][0] == ',' ||
			    (n > 0 && argv[i - 1][n - 1] == ','))
				split_fail(argv[i - 1], argv[i]);
		}
		errx(EXIT_USAGE, "too many addresses: '%s' (at most two; "
		    "quote an address that holds spaces)", argv[2]);
	}
	if (nargs == 2 && argv[1][0] == ',')
		split_fail(argv[0], argv[1]);
	if (cfg.scan && nargs == 2)
		errx(EXIT_USAGE, "-z takes one address, the ports to check; "
		    "see sockcat -h");
	text2 = nargs == 2 ? argv[1] : dash;

	if (log_open() == -1)
		err(EXIT_RUNTIME, "-lf %s", cfg.log_file);

	/* Both addresses are checked before anything is opened. */
	parse_address(argv[0], &a1, NULL);
	parse_address(text2, &a2, nargs == 2 ? argv[0] : NULL);
	set_roles(&a1, &a2);
	check_address(&a1, 1, 0);
	check_address(&a2, 0, 0);
	/* A proxy server's clients name the other side (SPEC section 7). */
	if ((a1.type->flags & AT_OWNPEER) && nargs == 2)
		errx(EXIT_USAGE, "'%s': %s takes no ADDRESS2: each client "
		    "names its target", a2.text, a1.type->name);
	if (a1.opts.fork && a2.opts.fork)
		errx(EXIT_USAGE, "fork on both addresses: give it to one");
	/* workers= are event loops: no option silently left unused. */
	if (a1.opts.workers > 1 && (!a1.opts.fork ||
	    !loop_eligible(&a1, &a2)))
		errx(EXIT_USAGE, "'%s': workers needs fork and sessions that "
		    "run no program and open no file (man sockcat, MANY "
		    "SESSIONS)", a1.text);
	check_files(&a1);
	check_files(&a2);

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, signals_handler);
	signal(SIGTERM, signals_handler);

	/*
	 * TLS loads OpenSSL now: a missing module fails before anything is
	 * opened, and a fork listener loads it once, not in every child.
	 */
	if ((r = init_tls(&a1)) != 0 || (r = init_tls(&a2)) != 0)
		goto done;

	if (cfg.scan)
		r = scan_run(&a1);
	else if ((a1.type->flags & AT_LISTEN) &&
	    (a1.opts.fork || a1.opts.broker || a1.opts.chat))
		r = listen_run(&a1, &a2, NULL);
	else if ((a1.type->flags & AT_RECVFROM) && a1.opts.fork)
		r = dgram_fork_run(&a1, &a2);
	else if (a1.opts.fork)
		r = listen_connect_run(&a1, &a2);
	else if ((a2.type->flags & AT_LISTEN) && a2.opts.fork) {
		/* socat's fork on ADDRESS2: ADDRESS1 is shared by all. */
		if ((r = session_open(&a1, NULL, &ep1)) == 0) {
			r = listen_run(&a2, &a1, &ep1);
			ep1.ops->close(&ep1);
		}
	} else if ((r = session_open(&a1, NULL, &ep1)) == 0)
		r = session_run(&ep1, &a2);
done:
	signals_defer(0);
	addr_free(&a1);
	addr_free(&a2);
	free(flags_argv);	/* socat_flags() made it */
	/* accept-timeout= ran out: no session, and no error (socat). */
	return r == EXIT_NOSESSION ? 0 : r;
}
