/* ep-exec.c: the "exec" and "system" addresses, programs on two pipes. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
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

const struct addr_type at_exec = {
	.name = "exec",
	.params_min = 1,
	.params_max = ADDR_MAXPARAMS,
	.flags = AT_CHILD | AT_COMMAND | AT_ARGV,
	.groups = G_ANY,
	.syntax = "PROGRAM [ARGS...]",
	.help = "run PROGRAM (no shell) on its stdin and stdout",
	.open = exec_open,
};

const struct addr_type at_system = {
	.name = "system",
	.params_min = 1,
	.params_max = 1,
	.flags = AT_CHILD | AT_COMMAND,
	.groups = G_ANY,
	.syntax = "SHELL-COMMAND",
	.help = "run /bin/sh -c SHELL-COMMAND on its stdin and stdout",
	.open = system_open,
};

/* Names of the variables a child gets (SPEC section 6). */
static const char *const exec_vars[] = {
	"SOCKCAT_PEERADDR=", "SOCKCAT_PEERPORT=",
	"SOCKCAT_SOCKADDR=", "SOCKCAT_SOCKPORT="
};

/* Split an IP socket address into its host text and port; 0 or -1. */
static int
exec_hostport(const struct sockaddr_storage *ss, char *host, size_t hlen,
    unsigned *port)
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;
	struct in_addr			 v4;

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
	return -1;
}

/*
 * Build the child's environment: ours, less any SOCKCAT_* of the four, plus
 * the peer's and our own address when the other endpoint is an IP socket.
 */
static char **
exec_environ(const struct endpoint *peer)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 host[INET6_ADDRSTRLEN], **env;
	unsigned		 port;
	size_t			 n, i, k;
	int			 skip;

	for (n = 0; environ[n] != NULL; n++)
		;
	env = xcalloc(n + 5, sizeof(*env));
	for (i = 0, k = 0; i < n; i++) {
		skip = 0;
		for (size_t v = 0; v < nitems(exec_vars); v++)
			if (strncmp(environ[i], exec_vars[v],
			    strlen(exec_vars[v])) == 0)
				skip = 1;
		if (!skip)
			env[k++] = xstrdup(environ[i]);
	}
	if (peer != NULL && (peer->flags & EP_SOCKET)) {
		len = sizeof(ss);
		if (getpeername(peer->rfd, (struct sockaddr *)&ss, &len) == 0 &&
		    exec_hostport(&ss, host, sizeof(host), &port) == 0) {
			xasprintf(&env[k++], "%s%s", exec_vars[0], host);
			xasprintf(&env[k++], "%s%u", exec_vars[1], port);
		}
		len = sizeof(ss);
		if (getsockname(peer->rfd, (struct sockaddr *)&ss, &len) == 0 &&
		    exec_hostport(&ss, host, sizeof(host), &port) == 0) {
			xasprintf(&env[k++], "%s%s", exec_vars[2], host);
			xasprintf(&env[k++], "%s%u", exec_vars[3], port);
		}
	}
	env[k] = NULL;
	return env;
}

/*
 * Start argv[0] (looked up in PATH) with its stdin and stdout on two new
 * pipes and stderr shared with ours; signals back to their defaults and
 * unblocked, so SIGPIPE and SIGTERM work in the child. posix_spawn(3) keeps
 * it cheap on a fork listener. Returns 0, or EXIT_RUNTIME after a message.
 */
static int
exec_spawn(const struct addr *a, char *const argv[],
    const struct endpoint *peer, struct endpoint *ep)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 none, dfl;
	char				**env;
	int				 in[2], out[2], error;
	pid_t				 pid;
	size_t				 i;

	if (pipe2(in, O_CLOEXEC) == -1) {
		warn("%s: pipe", a->text);
		return EXIT_RUNTIME;
	}
	if (pipe2(out, O_CLOEXEC) == -1) {
		warn("%s: pipe", a->text);
		close(in[0]);
		close(in[1]);
		return EXIT_RUNTIME;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	env = exec_environ(peer);
	error = posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(in[0]);
	close(out[1]);
	if (error != 0) {
		close(in[1]);
		close(out[0]);
		errno = error;
		warn("%s: %s", a->text, argv[0]);
		return EXIT_RUNTIME;
	}
	set_nonblock(out[0], 1);
	set_nonblock(in[1], 1);
	ep_init(ep, a->text, out[0], in[1], EP_PLAIN, &fd_ops);
	if (a->opts.crlf)
		ep->flags |= EP_CRLF;
	ep->pid = pid;
	log_verbose(1, "started %s (pid %ld)", argv[0], (long)pid);
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
