/* ep-exec.c: the "exec" and "system" addresses: programs on pipes or a pty. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

extern char **environ;

static int	exec_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);
static int	system_open(const struct addr *, const struct endpoint *,
		    struct endpoint *);

#define EXEC_GROUPS	(G_ANY | G_EXEC | G_TERMIOS)

const struct addr_type at_exec = {
	.name = "exec",
	.params_min = 1,
	.params_max = ADDR_MAXPARAMS,
	.flags = AT_CHILD | AT_COMMAND | AT_ARGV,
	.groups = EXEC_GROUPS,
	.syntax = "PROGRAM [ARGS...]",
	.help = "run PROGRAM (no shell) on its stdin and stdout",
	.open = exec_open,
};

const struct addr_type at_system = {
	.name = "system",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_CHILD | AT_COMMAND,
	.groups = EXEC_GROUPS,
	.syntax = "SHELL-COMMAND",
	.help = "run /bin/sh -c SHELL-COMMAND on its stdin and stdout",
	.open = system_open,
};

/* The variables a child gets (SPEC section 6), after the prefix. */
static const char *const exec_vars[] = {
	"_PEERADDR=", "_PEERPORT=", "_SOCKADDR=", "_SOCKPORT="
};

/*
 * Split a socket address into its host text (a unix path, or "" for an
 * unnamed one) and port (-1 when it has none). Returns 0 or -1.
 */
static int
exec_hostport(const struct sockaddr_storage *ss, socklen_t len, char *host,
    size_t hlen, int *port)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;
	const struct sockaddr_un	*sun = (const void *)ss;
	struct in_addr			 v4;
	size_t				 plen;

	*port = -1;
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, host, hlen);
		*port = ntohs(sin->sin_port);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(&v4, &sin6->sin6_addr.s6_addr[12], 4);
			inet_ntop(AF_INET, &v4, host, hlen);
		} else
			inet_ntop(AF_INET6, &sin6->sin6_addr, host, hlen);
		*port = ntohs(sin6->sin6_port);
		return 0;
	}
	if (ss->ss_family == AF_UNIX) {
		plen = len > offsetof(struct sockaddr_un, sun_path) ?
		    len - offsetof(struct sockaddr_un, sun_path) : 0;
		if (plen == 0 || sun->sun_path[0] == '\0')
			return -1;	/* unnamed or abstract: nothing */
		snprintf(host, hlen, "%.*s", (int)strnlen(sun->sun_path,
		    plen), sun->sun_path);
		return 0;
	}
	return -1;
}

/* Add PREFIX_NAME=value of address ss to env at *k, if it has one. */
static void
exec_addvars(char **env, size_t *k, const char *prefix, int which,
    const struct sockaddr_storage *ss, socklen_t len)
{
	char	host[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	int	port;

	if (exec_hostport(ss, len, host, sizeof(host), &port) == -1)
		return;
	xasprintf(&env[(*k)++], "%s%s%s", prefix, exec_vars[which], host);
	if (port >= 0)
		xasprintf(&env[(*k)++], "%s%s%d", prefix, exec_vars[which + 1],
		    port);
}

/*
 * Build the child's environment: ours, less any of the four variables,
 * plus the peer's and our own address when the other endpoint is a
 * socket (IP: address and port; unix: the path). The variables are
 * SOCKCAT_PEERADDR and so on, or with -lp NAME, NAME_PEERADDR (socat's
 * SOCAT_PEERADDR with -lp socat).
 */
static char **
exec_environ(const struct endpoint *peer)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 prefix[64], **env, var[96];
	size_t			 n, i, k, v;
	int			 skip;

	log_env_prefix(prefix, sizeof(prefix));
	for (n = 0; environ[n] != NULL; n++)
		;
	env = xcalloc(n + 5, sizeof(*env));
	for (i = 0, k = 0; i < n; i++) {
		skip = 0;
		for (v = 0; v < nitems(exec_vars); v++) {
			snprintf(var, sizeof(var), "%s%s", prefix,
			    exec_vars[v]);
			if (strncmp(environ[i], var, strlen(var)) == 0)
				skip = 1;
		}
		if (!skip)
			env[k++] = xstrdup(environ[i]);
	}
	if (peer != NULL && (peer->flags & EP_SOCKET)) {
		len = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (getpeername(peer->rfd, (struct sockaddr *)&ss, &len) == 0)
			exec_addvars(env, &k, prefix, 0, &ss, len);
		len = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (getsockname(peer->rfd, (struct sockaddr *)&ss, &len) == 0)
			exec_addvars(env, &k, prefix, 2, &ss, len);
	}
	env[k] = NULL;
	return env;
}

/* Free an environment from exec_environ(). */
static void
exec_freeenv(char **env)
{
	size_t	i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/*
 * Move descriptor *fd (if not -1) above `above`, so that the dup2(2)s that
 * put the program's descriptors in place (fdin=8, fdout=9) cannot clobber
 * it. Returns 0 or -1 with errno.
 */
static int
exec_high(int *fd, int above)
{
	int	nfd;

	if (*fd == -1 || *fd > above)
		return 0;
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, above + 1)) == -1)
		return -1;
	close(*fd);
	*fd = nfd;
	return 0;
}

/*
 * nofork: the program replaces sockcat, with ADDRESS1 (peer) as its input
 * and output, on fdin= and fdout= (socat's nofork). Only returns on
 * failure: EXIT_USAGE without an open ADDRESS1, else EXIT_RUNTIME, after
 * a message.
 */
static int
exec_nofork(const struct addr *a, char *const argv[],
    const struct endpoint *peer)
{
	char	**env;
	int	  in = -1, out = -1, fdin, fdout;

	if (peer == NULL || peer->below != NULL) {
		warnx("%s: nofork works on ADDRESS2, with plain descriptors as "
		    "ADDRESS1", a->text);
		return EXIT_USAGE;
	}
	fdin = opts_isset(&a->opts, OPT_FDIN) ? (int)a->opts.fdin : 0;
	fdout = opts_isset(&a->opts, OPT_FDOUT) ? (int)a->opts.fdout : 1;
	/* Whatever flows into the program comes out of ADDRESS1. */
	if (a->role != ADDR_RDONLY && !(peer->flags & EP_WRONLY))
		in = peer->rfd;
	if (a->role != ADDR_WRONLY && !(peer->flags & EP_RDONLY))
		out = peer->wfd;
	if ((in != -1 && (set_nonblock(in, 0) == -1 ||
	    (in != fdin && dup2(in, fdin) == -1))) ||
	    (out != -1 && (set_nonblock(out, 0) == -1 ||
	    (out != fdout && dup2(out, fdout) == -1)))) {
		warn("%s: nofork", a->text);
		return EXIT_RUNTIME;
	}
	signal(SIGPIPE, SIG_DFL);
	signals_defer(0);
	env = exec_environ(peer);
	fflush(NULL);
	execvpe(argv[0], argv, env);
	warn("%s: %s", a->text, argv[0]);
	exec_freeenv(env);
	return EXIT_RUNTIME;
}

/*
 * Start argv[0] (looked up in PATH) as socat's EXEC and SYSTEM do: its
 * input (fd 0, or fdin=) and output (fd 1, or fdout=) on two new pipes,
 * or with pty on the terminal of a new pseudo terminal (pty.c; with ctty
 * its controlling terminal, which needs setsid); stderr= puts its stderr
 * there too. In a read-only role (-u on ADDRESS1, the first half of a
 * dual address) its input is ours, in a write-only role its output. Its
 * signals are back to their defaults and unblocked, so SIGPIPE and SIGTERM
 * work in it; posix_spawn(3) keeps it cheap on a fork listener. With
 * end-close the session does not end the program: its descriptors are
 * only closed. Returns 0, or EXIT_RUNTIME after a message.
 */
static int
exec_spawn(const struct addr *a, char *const argv[],
    const struct endpoint *peer, struct endpoint *ep)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 none, dfl;
	char				**env, tty[128];
	int				 in[2] = { -1, -1 };
	int				 out[2] = { -1, -1 };
	int				 master = -1, slave = -1, error, fdin;
	int				 fdout, rfd, wfd, flags = 0, high;
	short				 sflags;
	pid_t				 pid;

	if (a->opts.nofork)
		return exec_nofork(a, argv, peer);
	fdin = opts_isset(&a->opts, OPT_FDIN) ? (int)a->opts.fdin : 0;
	fdout = opts_isset(&a->opts, OPT_FDOUT) ? (int)a->opts.fdout : 1;
	if (a->opts.pty) {
		if (pty_open(a, &master, &slave, tty, sizeof(tty)) != 0)
			return EXIT_RUNTIME;
	} else {
		if (a->role != ADDR_RDONLY && pipe2(in, O_CLOEXEC) == -1) {
			warn("%s: pipe", a->text);
			return EXIT_RUNTIME;
		}
		if (a->role != ADDR_WRONLY && pipe2(out, O_CLOEXEC) == -1) {
			warn("%s: pipe", a->text);
			if (in[0] != -1) {
				close(in[0]);
				close(in[1]);
			}
			return EXIT_RUNTIME;
		}
	}
	high = fdin > fdout ? fdin : fdout;
	if (high < 2)
		high = 2;
	if (exec_high(&in[0], high) == -1 || exec_high(&out[1], high) == -1 ||
	    exec_high(&slave, high) == -1) {
		warn("%s: fcntl", a->text);
		return EXIT_RUNTIME;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sflags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	if (a->opts.setsid || a->opts.ctty)
		sflags |= POSIX_SPAWN_SETSID;
	if (a->opts.pty && a->opts.ctty) {
		/* Opened after setsid, the terminal becomes the ctty. */
		posix_spawn_file_actions_addopen(&fa, fdin, tty, O_RDWR, 0);
		if (fdout != fdin)
			posix_spawn_file_actions_adddup2(&fa, fdin, fdout);
		if (a->opts.stderr_ && fdin != 2)
			posix_spawn_file_actions_adddup2(&fa, fdin, 2);
	} else if (a->opts.pty) {
		posix_spawn_file_actions_adddup2(&fa, slave, fdin);
		if (fdout != fdin)
			posix_spawn_file_actions_adddup2(&fa, slave, fdout);
		if (a->opts.stderr_)
			posix_spawn_file_actions_adddup2(&fa, slave, 2);
	} else {
		if (in[0] != -1)
			posix_spawn_file_actions_adddup2(&fa, in[0], fdin);
		if (out[1] != -1) {
			posix_spawn_file_actions_adddup2(&fa, out[1], fdout);
			if (a->opts.stderr_)
				posix_spawn_file_actions_adddup2(&fa, out[1],
				    2);
		}
	}
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, sflags);
	env = exec_environ(peer);
	error = posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
	exec_freeenv(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (slave != -1)
		close(slave);
	if (in[0] != -1)
		close(in[0]);
	if (out[1] != -1)
		close(out[1]);
	if (error != 0) {
		if (master != -1)
			close(master);
		if (in[1] != -1)
			close(in[1]);
		if (out[0] != -1)
			close(out[0]);
		errno = error;
		warn("%s: %s", a->text, argv[0]);
		return EXIT_RUNTIME;
	}
	if (master != -1) {
		rfd = wfd = master;
		flags = EP_TTY;
	} else {
		rfd = out[0];
		wfd = in[1];
		flags = EP_PLAIN;
		if (rfd == -1)
			flags |= EP_WRONLY;
		if (wfd == -1)
			flags |= EP_RDONLY;
	}
	if (rfd != -1)
		set_nonblock(rfd, 1);
	if (wfd != -1 && wfd != rfd)
		set_nonblock(wfd, 1);
	if (master != -1)
		pty_endpoint(a, master, flags, ep);
	else
		ep_init(ep, a->text, rfd, wfd, flags, &fd_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF_BOTH;
	/* end-close: the program runs on; it is not ours to end. */
	ep->pid = a->opts.end_close ? -1 : pid;
	log_verbose(1, "started %s (pid %ld)%s%s", argv[0], (long)pid,
	    master != -1 ? " on " : "", master != -1 ? tty : "");
	return 0;
}

/* exec: the parser already split the command into words, without a shell. */
static int
exec_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	char	*argv[ADDR_MAXPARAMS + 1];
	int	 i;

	for (i = 0; i < a->nparams; i++)
		argv[i] = a->params[i];
	argv[i] = NULL;
	return exec_spawn(a, argv, peer, ep);
}

/* system: /bin/sh -c COMMAND, as system(3) and socat's SYSTEM do. */
static int
system_open(const struct addr *a, const struct endpoint *peer,
    struct endpoint *ep)
{
	char	*argv[4];

	argv[0] = (char *)"/bin/sh";
	argv[1] = (char *)"-c";
	argv[2] = a->params[0];
	argv[3] = NULL;
	return exec_spawn(a, argv, peer, ep);
}
