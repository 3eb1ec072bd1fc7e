/* sockcat.h: shared types and prototypes, one section per source file. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifndef SOCKCAT_H
#define SOCKCAT_H

#include <sys/types.h>
#include <sys/socket.h>

#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define __printflike(a, b) __attribute__((__format__(__printf__, a, b)))
/* A switch case that goes on into the next, for gcc and clang alike. */
#define FALLTHROUGH	__attribute__((__fallthrough__))

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses, SPEC section 2. */
#define EXIT_RUNTIME	1	/* other runtime failure */
#define EXIT_USAGE	2	/* bad flag, address or option */
#define EXIT_RESOLVE	3	/* name resolution failed */
#define EXIT_CONNECT	4	/* refused, unreachable, timed out */
#define EXIT_TLS	5	/* TLS handshake or verification */
#define EXIT_LOST	6	/* bytes read but never delivered */
/* Internal: accept-timeout= ran out before any peer came; exits 0. */
#define EXIT_NOSESSION	(-1)

/* Relay directions: 0 is ADDRESS1 -> ADDRESS2, 1 is ADDRESS2 -> ADDRESS1. */
#define DIR_FWD		0x1
#define DIR_REV		0x2
#define DIR_BOTH	(DIR_FWD | DIR_REV)

/* Datagram buffers hold the largest possible datagram (SPEC section 6). */
#define DGRAM_MAX	65536

/* Global configuration from the command line; read-only after main parses it. */
struct config {
	int		 family;	/* AF_UNSPEC, or AF_INET/AF_INET6 (-4/-6) */
	int		 dirs;		/* DIR_* mask (-u/-U) */
	size_t		 bufsize;	/* relay buffer, bytes (-b) */
	long		 linger_ms;	/* -t in ms, -1 when not given */
	long		 idle_ms;	/* -T in ms, -1 when not given */
	int		 verbose;	/* -v/-d count */
	int		 hexdump;	/* -x */
	int		 scan;		/* -z: check ports, send nothing */
	int		 sloppy;	/* -s: a failed option only warns */
	/* socat's logging flags: any of them selects socat's log format. */
	int		 log_socat;	/* one of -lf -ls -lp -lu -lm -ly -lh */
	const char	*log_file;	/* -lf FILE */
	const char	*log_name;	/* -lp NAME: program name, variables */
	int		 log_usec;	/* -lu: microseconds in time stamps */
	int		 log_host;	/* -lh: host name in messages */
	int		 log_syslog;	/* -ly[FACILITY]: to syslog */
	int		 log_mixed;	/* -lm[FACILITY]: syslog once started */
	const char	*log_facility;	/* of -ly or -lm, or NULL */
};
extern struct config cfg;

/* Set by the SIGINT/SIGTERM handler while signals are deferred (main.c). */
extern volatile sig_atomic_t sig_term;
/* Set by the SIGCHLD handler (listen.c drains waitpid). */
extern volatile sig_atomic_t sig_child;

/* ---- addr.c, addr-table.c, opts.c: the address grammar -------------- */

/*
 * Option groups: the places an option may appear (a 64-bit mask). Bits
 * 0x1-0x1000 are the first release's; ranges are set aside for the areas
 * that add types: 0x2000-0x8000 listeners and parsing, 0x10000-0x800000
 * socat parity, 0x1000000-0x8000000 proxies and WebSocket, 0x10000000-
 * 0x80000000 manual sessions and many sessions.
 */
#define G_ANY		0x0001	/* every address (crlf) */
#define G_SOCKET	0x0002	/* any socket (rcvbuf, sndbuf) */
#define G_IP		0x0004	/* IP client or listener (bind) */
#define G_TCP		0x0008	/* TCP (nodelay, keepalive) */
#define G_LISTEN	0x0010	/* any listener (fork, backlog, ...) */
#define G_IPLISTEN	0x0020	/* IP listener (allow, ipv6only) */
#define G_CLIENT	0x0040	/* connecting client (connect-timeout, retry) */
#define G_UNIXLISTEN	0x0080	/* unix and abstract listeners (type) */
#define G_TLS		0x0100	/* tls, tls-listen */
#define G_RAW		0x0200	/* raw, raw-listen (iphdr) */
#define G_REUSE		0x0400	/* reuseaddr: stream and datagram IP listeners */
#define G_UNIXFILE	0x0800	/* unix-listen with a file (unlink-early, mode) */
#define G_TLSCLIENT	0x1000	/* tls client only (sni) */
/* socat parity (issue 15): 0x10000-0x800000, 0x100000000-0x8000000000. */
#define G_FILE		0x10000	/* opened files (o-trunc, o-append, ...) */
#define G_EXEC		0x20000	/* exec, system (pipes, fdin, pty, ...) */
#define G_TERMIOS	0x40000	/* terminals and serial lines (b9600, raw) */
#define G_PTY		0x80000	/* the pty address (link, wait-slave) */
#define G_RANGE		0x100000 /* receivers: range, sourceport, lowport */
#define G_IPDGRAM	0x200000 /* IP datagrams: broadcast, multicast */
#define G_GENSOCK	0x400000 /* generic sockets (socket-*: protocol) */
#define G_NAMED		0x800000 /* file system entries (user, unlink-close) */
#define G_CHILD		0x100000000ULL /* fork on non-listeners (recvfrom) */
#define G_UNIX		0x200000000ULL /* unix sockets (bind=PATH, type) */
#define G_RETRY		0x400000000ULL /* retry=, interval=, forever */
#define G_PROXY		0x1000000	/* TCP-based clients: proxy= (SPEC 7) */
#define G_PROXYSRV	0x2000000	/* proxy servers: auth= (SPEC 7) */
#define G_WS		0x4000000	/* WebSocket clients and listeners (SPEC 8) */
#define G_WSLISTEN	0x8000000	/* WebSocket listeners (path) */
#define G_STDIO		0x10000000	/* stdio at a terminal (SPEC 9) */
#define G_TELNET	0x20000000	/* TCP clients: telnet (SPEC 9) */
#define G_MANY		0x40000000	/* event-loop listeners: workers (SPEC 10) */
#define G_ROOM		0x80000000	/* stream listeners: broker, chat (SPEC 10) */

/* Phases at which sockopt rows are applied (socat's PH_*). */
#define PH_SOCKET	1	/* after socket(2), before bind(2) */
#define PH_CONNECTED	2	/* after connect(2) or accept(2) */

/* Value kinds of the option table. */
enum opt_kind {
	OK_BOOL,	/* absent value means 1; 0/1/yes/no/on/off */
	OK_UINT,	/* unsigned int within [min, max] */
	OK_SIZE,	/* int bytes, k/m suffixes, within [min, max] */
	OK_MS,		/* seconds with decimals, stored as long ms */
	OK_STRING,	/* char *, non-empty */
	OK_OCTAL,	/* unsigned int, octal digits */
	OK_CIDRS,	/* CIDR[+CIDR...] into struct cidr_list */
	OK_SOCKTYPE,	/* stream/seqpacket/dgram/raw or a number: SOCK_* */
	OK_TLSVER,	/* 1.2/1.3 into 0x0303/0x0304 */
	OK_PROXY,	/* char *, a checked proxy URL list (proxy.c) */
	OK_USERPASS,	/* char *, USER:PASS (proxy.c) */
	OK_ESCAPE,	/* a byte: ^A, 0x01, one character, or none (-1) */
	OK_PF,		/* ip4/ip6/unix or a number into AF_* */
	OK_RANGE	/* ADDR/BITS, ADDR:MASK, DATA:MASK into struct range */
};

/* Most options the table may hold (bits of addr_opts.set). */
#define OPT_MAX		256

/* Option indexes; the table in opts.c is sorted by name in this order. */
enum opt_id {
	OPT_ACCEPT_TIMEOUT,
	OPT_ALLOW,
	OPT_ALPN,
	OPT_AUTH,
	OPT_BACKLOG,
	OPT_BINARY,
	OPT_BIND,
	OPT_BROADCAST,
	OPT_BROKER,
	OPT_CAFILE,
	OPT_CAPATH,
	OPT_CERT,
	OPT_CHAT,
	OPT_CIPHERS,
	OPT_CLOCAL,
	OPT_COMMONNAME,
	OPT_COMPRESS,
	OPT_CONNECT_TIMEOUT,
	OPT_CRLF,
	OPT_CRTSCTS,
	OPT_CSIZE,
	OPT_CTTY,
	OPT_ECHO,
	OPT_END_CLOSE,
	OPT_ESCAPE,
	OPT_FDIN,
	OPT_FDOUT,
	OPT_FOREVER,
	OPT_FORK,
	OPT_HEADER,
	OPT_HISTORY,
	OPT_IGNOREEOF,
	OPT_INTERVAL,
	OPT_IP_ADD_MEMBERSHIP,
	OPT_IP_MULTICAST_IF,
	OPT_IP_MULTICAST_LOOP,
	OPT_IP_MULTICAST_TTL,
	OPT_IP_OPTIONS,
	OPT_IP_PKTINFO,
	OPT_IP_RECVOPTS,
	OPT_IP_RECVTOS,
	OPT_IP_RECVTTL,
	OPT_IP_TOS,
	OPT_IP_TTL,
	OPT_IPHDR,
	OPT_IPV6ONLY,
	OPT_KEEPALIVE,
	OPT_KEY,
	OPT_LINK,
	OPT_LOWPORT,
	OPT_MAX_CHILDREN,
	OPT_MAX_MESSAGE,
	OPT_MAX_VERSION,
	OPT_MIN_VERSION,
	OPT_MODE,
	OPT_NODELAY,
	OPT_NOEDIT,
	OPT_NOFORK,
	OPT_NULL_EOF,
	OPT_O_APPEND,
	OPT_O_CREAT,
	OPT_O_EXCL,
	OPT_O_NONBLOCK,
	OPT_O_TRUNC,
	OPT_OPOST,
	OPT_ORIGIN,
	OPT_PARENB,
	OPT_PATH,
	OPT_PF,
	OPT_PING,
	OPT_PIPES,
	OPT_PROMPT,
	OPT_PROTOCOL,
	OPT_PROXY,
	OPT_PROXY_CAFILE,
	OPT_PROXYAUTH,
	OPT_PROXYAUTH_FILE,
	OPT_PROXYPORT,
	OPT_PTY,
	OPT_RANGE,
	OPT_RAW,
	OPT_RCVBUF,
	OPT_RETRY,
	OPT_REUSEADDR,
	OPT_SETSID,
	OPT_SHUT_NULL,
	OPT_SNDBUF,
	OPT_SNI,
	OPT_SO_TIMESTAMP,
	OPT_SOCKSPORT,
	OPT_SOCKSUSER,
	OPT_SOURCEPORT,
	OPT_SPEED,
	OPT_STDERR,
	OPT_TELNET,
	OPT_TEXT,
	OPT_TYPE,
	OPT_UNLINK_CLOSE,
	OPT_UNLINK_EARLY,
	OPT_USER,
	OPT_VERIFY,
	OPT_WAIT_SLAVE,
	OPT_WORKERS,
	OPT__COUNT
};
_Static_assert(OPT__COUNT <= OPT_MAX, "raise OPT_MAX");

struct cidr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 net[16];	/* network, in network byte order */
	unsigned	 prefix;	/* prefix length, bits */
};

struct cidr_list {
	struct cidr	*v;
	size_t		 n;
};

/*
 * range=: peers whose address bytes, masked, equal `addr` (socat's range
 * option). family AF_INET/AF_INET6 compare the IP address; AF_UNSPEC (the
 * generic socket form x.../DATA:MASK) compares the socket address after
 * its family field, `len` bytes.
 */
struct range {
	int		 family;
	size_t		 len;		/* bytes of addr and mask, 0: unset */
	unsigned char	 addr[32];
	unsigned char	 mask[32];
};

/* Values of the options of one address; `set` has one bit per OPT_* given. */
struct addr_opts {
	uint64_t	 set[OPT_MAX / 64];
	int		 fork;
	unsigned	 max_children;
	int		 reuseaddr;
	char		*bind;
	unsigned	 backlog;
	struct cidr_list allow;
	long		 connect_timeout_ms;
	unsigned	 retry;
	long		 interval_ms;
	int		 nodelay;
	int		 keepalive;
	int		 rcvbuf;
	int		 sndbuf;
	int		 ipv6only;
	int		 crlf;
	int		 unlink_early;
	unsigned	 mode;
	int		 type;
	int		 iphdr;
	char		*cert;
	char		*key;
	char		*cafile;
	char		*capath;
	int		 verify;
	char		*sni;
	char		*alpn;
	int		 min_version;
	char		*ciphers;
	unsigned	 workers;
	int		 broker;
	int		 chat;
	char		*proxy;		/* proxy=URL[+URL...], checked */
	char		*proxy_cafile;
	char		*proxyauth;	/* USER:PASS for HTTP proxies */
	char		*proxyauth_file; /* a file holding it instead */
	unsigned	 proxyport;	/* HTTP proxies without a port */
	unsigned	 socksport;	/* SOCKS proxies without a port */
	char		*socksuser;	/* SOCKS4 user id of hops without one */
	char		*auth;		/* USER:PASS a proxy server asks for */
	int		 escape;	/* escape byte of stdio, -1 = none */
	char		*history;	/* history file of stdio */
	int		 noedit;	/* stdio: no line editing */
	char		*prompt;	/* stdio: prompt of the edited line */
	int		 telnet;	/* Telnet layer on a TCP client */
	int		 ws_binary;	/* binary: messages as they are */
	int		 ws_text;	/* text: a line is a message */
	char		*protocol;	/* WebSocket subprotocols P1+P2, or the
					   number of a generic socket */
	char		*header;	/* extra WebSocket headers, N:V+N:V */
	char		*origin;	/* Origin, or the allowed ones */
	char		*path;		/* the only request path served */
	long		 ping_ms;	/* WebSocket keepalive pings, ms */
	int		 max_message;	/* largest message, bytes */
	/* socat parity (issue 15) */
	long		 accept_timeout_ms;
	unsigned	 speed;		/* speed= (b9600 ...): baud */
	int		 broadcast;
	int		 clocal;
	char		*commonname;
	char		*compress;	/* auto or none */
	int		 crtscts;
	unsigned	 csize;		/* csize= (cs5..cs8): bits a char */
	int		 ctty;
	int		 echo;
	int		 end_close;
	unsigned	 fdin;
	unsigned	 fdout;
	int		 forever;
	int		 ignoreeof;
	char		*ip_add_membership;
	char		*ip_multicast_if;
	int		 ip_multicast_loop;
	int		 ip_multicast_ttl;
	char		*ip_options;
	int		 ip_pktinfo;
	int		 ip_recvopts;
	int		 ip_recvtos;
	int		 ip_recvttl;
	int		 ip_tos;
	int		 ip_ttl;
	char		*link;
	int		 lowport;
	int		 max_version;
	int		 nofork;
	int		 null_eof;
	int		 o_append;
	int		 o_creat;
	int		 o_excl;
	int		 o_nonblock;
	int		 o_trunc;
	int		 opost;
	int		 parenb;
	int		 pf;		/* AF_* of pf=, or AF_UNSPEC */
	int		 pipes;
	int		 pty;
	struct range	 range;
	int		 raw;
	int		 setsid;
	int		 shut_null;
	int		 so_timestamp;
	unsigned	 sourceport;
	int		 stderr_;	/* stderr: the program's stderr too */
	int		 unlink_close;
	char		*user;
	int		 wait_slave;
};

/* One row of the option table. */
struct opt_desc {
	const char	*name;
	enum opt_kind	 kind;
	uint64_t	 groups;	/* G_* where it applies */
	size_t		 field;		/* offsetof(struct addr_opts, ...) */
	long		 min, max;	/* range for OK_UINT/OK_SIZE */
	int		 phase;		/* PH_* for sockopt rows, else 0 */
	int		 level, optname; /* setsockopt(2) for sockopt rows */
	const char	*help;
};

/* Address type flags. */
#define AT_LISTEN	0x01	/* a listener: listen.c accepts or waits */
#define AT_DGRAM	0x02	/* keeps datagram boundaries */
#define AT_TLS		0x04	/* TLS is layered on the connected socket */
#define AT_CHILD	0x08	/* runs a program */
#define AT_HOSTPORT	0x10	/* params are HOST:PORT ([HOST:]PORT on listeners) */
#define AT_COMMAND	0x20	/* one raw parameter: everything up to the first ',' */
#define AT_ARGV		0x40	/* the command is split into words (exec) */
#define AT_NOTLS	0x80	/* TLS type in a build without OpenSSL */
#define AT_HOST		0x100	/* param 1 is a HOST, maybe [V6] (raw) */
#define AT_LOOP		0x200	/* may live in the event loop (loop.c) */
#define AT_OWNPEER	0x400	/* a server whose clients name its peer */
/*
 * One raw parameter, a URL HOST[:PORT][/PATH] (after an optional "//"),
 * split into the parameters HOST, PORT, PATH; PORT defaults to 443 on a
 * TLS type, else 80 (ws, wss).
 */
#define AT_URL		0x800
/* Issue 15 (socat parity) takes 0x10000-0x100000. */
#define AT_DTLS		0x10000	/* DTLS is layered on the UDP socket */
#define AT_RECVFROM	0x20000	/* waits for a first datagram; fork: one
				   child per datagram (socat's *-RECVFROM) */
#define AT_ABSTRACT	0x40000	/* unix socket in the abstract namespace */
#define AT_DATA		0x80000	/* params keep quotes (socat data values) */
#define AT_PASSIVE	0x100000 /* binds [HOST:]PORT as a listener does */

struct addr;
struct addr_error;
struct endpoint;
struct listener;

/* One address type: a const instance per type in its ep-*.c file. */
struct addr_type {
	const char	*name;		/* canonical keyword */
	int		 params_min;
	int		 params_max;
	int		 flags;		/* AT_* */
	uint64_t	 groups;	/* G_* option groups it accepts */
	int		 family;	/* AF_* preferred, AF_UNSPEC for any */
	int		 socktype;	/* SOCK_* for sockets, else 0 */
	int		 protocol;	/* IPPROTO_* for sockets */
	const char	*syntax;	/* parameters, for help: "HOST:PORT" */
	const char	*help;		/* one line */
	/*
	 * Clients: open the endpoint. `peer` is the other endpoint when it is
	 * already open (for SOCKCAT_* variables), else NULL. Returns 0 or an
	 * EXIT_* status after printing the reason with warn(3).
	 */
	int		(*open)(const struct addr *, const struct endpoint *peer,
			    struct endpoint *);
	/*
	 * Listeners: create the listening socket in `l->fd`. Returns 0 or an
	 * EXIT_* status after printing the reason.
	 */
	int		(*listen)(const struct addr *, struct listener *);
	/* Parse-time checks (pure): 0, or AE_CHECK with e->detail set. */
	int		(*check)(const struct addr *, struct addr_error *);
};

/* One alias of the sorted alias table in addr-table.c. */
struct addr_alias {
	const char		*alias;
	const struct addr_type	*type;
	int			 family; /* AF_* forced by the alias (tcp4) or AF_UNSPEC */
};

#define ADDR_MAXPARAMS	64

/* How a session uses an address (socat: -u, -U and dual addresses). */
#define ADDR_RDWR	0	/* read and written */
#define ADDR_RDONLY	1	/* only read from */
#define ADDR_WRONLY	2	/* only written to */

/* A parsed address. Strings are owned by it; free with addr_free(). */
struct addr {
	const char		*text;	/* as the user wrote it */
	const struct addr_type	*type;
	int			 family; /* AF_* from the alias, else AF_UNSPEC */
	char			*params[ADDR_MAXPARAMS];
	int			 nparams;
	struct addr_opts	 opts;
	int			 role;	/* ADDR_RDWR, _RDONLY, _WRONLY */
	struct addr		*half[2]; /* dual A!!B: [0] read, [1] written */
	char			*textbuf; /* a half's own text, or NULL */
};

/* Parse results of addr_parse(). */
enum addr_err {
	AE_OK,
	AE_EMPTY,		/* empty address */
	AE_UNKNOWN_TYPE,	/* no such type; `hint` may hold a suggestion */
	AE_MISSING_PARAM,	/* fewer parameters than the type needs */
	AE_EXTRA_PARAM,		/* more parameters than the type takes */
	AE_EMPTY_PARAM,		/* a required parameter is empty */
	AE_BRACKET,		/* '[' without ']' or junk after ']' */
	AE_QUOTE,		/* unterminated quote */
	AE_ESCAPE,		/* backslash at the end */
	AE_BAD_PORT,		/* port not 0-65535 or a service name */
	AE_UNKNOWN_OPT,		/* no such option; `hint` may suggest one */
	AE_OPT_PLACE,		/* option does not apply to this type */
	AE_OPT_VALUE,		/* bad option value; `detail` says why */
	AE_OPT_DUP,		/* option given twice */
	AE_EMPTY_OPT,		/* ",," or trailing ',' */
	AE_STRAY_SPACE,		/* option starts with a space: split address */
	AE_NOTLS,		/* TLS type in a build without OpenSSL */
	AE_CHECK		/* the type's check failed; `detail` says why */
};

struct addr_error {
	enum addr_err	 code;
	size_t		 offset;	/* byte offset of the fault in the text */
	char		 hint[64];	/* closest valid name, or "" */
	char		 detail[128];	/* extra words, or "" */
};

int	 addr_parse(const char *, struct addr *, struct addr_error *);
void	 addr_error_format(const char *, const struct addr_error *, char *,
	    size_t);
void	 addr_free(struct addr *);
int	 addr_port_valid(const char *, int);
int	 addr_port_range(const char *, unsigned *, unsigned *);
size_t	 addr_edit_distance(const char *, const char *);

const struct addr_alias *addr_type_find(const char *);
const char *addr_type_suggest(const char *);
void	 addr_table_help(FILE *, int);
void	 addr_type_help(FILE *, const struct addr_type *);
size_t	 addr_table_count(void);
const struct addr_alias *addr_table_get(size_t);

extern const struct opt_desc opt_table[OPT__COUNT];
int	 opts_find(const char *);
const char *opts_numbered(const char *);
const char *opts_suggest(const char *);
int	 opts_set_value(struct addr_opts *, int, const char *, char *, size_t);
void	 opts_defaults(struct addr_opts *);
void	 opts_free(struct addr_opts *);
int	 opts_apply(int, const struct addr *, int);
int	 opts_isset(const struct addr_opts *, int);
int	 opts_cidr_match(const struct cidr_list *, const struct sockaddr *);
int	 opts_peer_ok(const struct addr *, const struct sockaddr *, socklen_t,
	    char *, size_t);
void	 opts_help(FILE *, uint64_t);

/* ---- endpoints: ep-*.c ------------------------------------------------ */

/* Results of ep_ops read and write besides byte counts. */
#define EP_ERROR	(-1)	/* errno set, or ep->errmsg filled */
#define EP_WANT_READ	(-2)	/* retry when rfd is readable */
#define EP_WANT_WRITE	(-3)	/* retry when wfd is writable */
#define EP_WANT_PEER	(-4)	/* handshake: open ep->target, then peer_done */
#define EP_CLOSE	(-5)	/* read: end the session now, nothing lost
				   (the escape key, SPEC 9) */

/* Endpoint flags. */
#define EP_DGRAM	0x0001	/* each read/write is one message */
#define EP_CONNLESS	0x0002	/* no end of input and no half-close (UDP) */
#define EP_RDONLY	0x0004	/* never written to */
#define EP_WRONLY	0x0008	/* never read from */
#define EP_CRLF		0x0010	/* LF written to it becomes CRLF */
#define EP_CRLF_IN	0x0100	/* CRLF read from it becomes LF */
/* The crlf option, both ways as socat's: "to/from CRLF" (socat(1)). */
#define EP_CRLF_BOTH	(EP_CRLF | EP_CRLF_IN)
#define EP_SOCKET	0x0020	/* rfd == wfd is a socket */
#define EP_PLAIN	0x0040	/* plain descriptors: splice may be used */
#define EP_INTERACTIVE	0x0400	/* stdin is a terminal: the other side's
				   end of input ends the session (SPEC 9) */
/*
 * The endpoint carries messages (WebSocket): facing an EP_DGRAM endpoint,
 * or another EP_MESSAGES one, the relay makes it EP_DGRAM too, so one
 * message is one datagram both ways (relay_run()).
 */
#define EP_MESSAGES	0x0080
#define EP_TTY		0x10000	/* a pty master: end of input is ^D, or EIO */

/*
 * The operations of one layer of an endpoint. A plain descriptor is the
 * bottom layer; a layer above (a proxy handshake, TLS, WebSocket, Telnet)
 * reads and writes through the one below (ep->below) with these same
 * operations, so the relay sees only the top (layer.c).
 */
struct ep_ops {
	/* What the layer is, for messages: "TLS handshake", "SOCKS5". */
	const char *name;
	/*
	 * One non-blocking step of the layer's handshake, called until it
	 * returns 0 (done); EP_WANT_READ / EP_WANT_WRITE: call again when the
	 * bottom descriptor is ready (or at ep->wake_at); EP_ERROR: failed,
	 * with ep->errmsg (the reason, naming the hop; empty when the layer
	 * printed it already) and ep->errexit set.
	 * NULL when the layer has no handshake.
	 */
	int	(*handshake)(struct endpoint *);
	/* Read up to len bytes: > 0 bytes, 0 at end of input, or EP_*. */
	ssize_t	(*read)(struct endpoint *, void *, size_t);
	/* Write up to len bytes: > 0 bytes written, or EP_*. */
	ssize_t	(*write)(struct endpoint *, const void *, size_t);
	/* Half-close: no more data will be written. 0 or -1 with errno. */
	int	(*shutdown_wr)(struct endpoint *);
	/*
	 * Bytes the layer (and every layer below it) already holds, so poll
	 * must not wait for them.
	 */
	size_t	(*pending)(struct endpoint *);
	/* Release everything, the layers below too; not used afterwards. */
	void	(*close)(struct endpoint *);
	/*
	 * For a layer whose handshake returned EP_WANT_PEER (a proxy
	 * server): the peer it asked for (ep->target) is open (status 0,
	 * peer: the endpoint) or could not be opened (status: EXIT_*,
	 * error: errno or 0, peer NULL). The handshake then goes on (a reply
	 * to send). NULL for layers that never ask.
	 */
	void	(*peer_done)(struct endpoint *, int, int,
		    const struct endpoint *);
};

struct endpoint {
	const char		*name;	/* the address text, for messages */
	int			 rfd;	/* polled for input */
	int			 wfd;	/* polled for output */
	int			 flags;	/* EP_* */
	const struct ep_ops	*ops;
	void			*ctx;	/* private: SSL *, ... */
	pid_t			 pid;	/* child program, or -1 */
	int			 errexit; /* EXIT_* for errors of this layer, 0 = default */
	int			 wr_shut; /* the half-close was sent */
	char			 errmsg[256]; /* reason when errno does not say it */
	struct endpoint		*below;	/* the layer underneath, or NULL */
	int			 ready;	/* the layer's handshake is done */
	int			 spent;	/* done and empty: take the layer out */
	long			 wake_at; /* handshake timer (now_ms), or -1 */
	long			 deadline; /* handshake deadline (now_ms), or -1 */
	const char		*target; /* EP_WANT_PEER: address text to open */
	struct endpoint		*peer;	/* opened for a server layer, or NULL */
};

extern const struct ep_ops fd_ops;
/* Closes must not wait for peers (the event loop lingers itself). */
extern int ep_close_nowait;

void	 ep_init(struct endpoint *, const char *, int, int, int,
	    const struct ep_ops *);
ssize_t	 ep_fd_read(struct endpoint *, void *, size_t);
ssize_t	 ep_fd_write(struct endpoint *, const void *, size_t);
int	 ep_fd_shutdown_wr(struct endpoint *);
size_t	 ep_fd_pending(struct endpoint *);
void	 ep_fd_close(struct endpoint *);
void	 ep_linger(int, int (*)(void *), void *);
int	 ep_socket_endpoint(const struct addr *, int, struct endpoint *);

/* layer.c */
void	 layer_push(struct endpoint *, const struct ep_ops *, void *);
void	 layer_pop(struct endpoint *);
int	 layer_handshake(struct endpoint *);
int	 layer_want(struct endpoint *, int, long, int *, short *, long *);
int	 layer_wait(struct endpoint *, long);
struct endpoint *layer_waiting(struct endpoint *);
size_t	 layer_pending_below(struct endpoint *);
void	 layer_peer_done(struct endpoint *, int, int,
	    const struct endpoint *);
ssize_t	 layer_error_below(struct endpoint *);
ssize_t	 layer_pass_read(struct endpoint *, void *, size_t);
ssize_t	 layer_pass_write(struct endpoint *, const void *, size_t);
int	 layer_pass_shutdown_wr(struct endpoint *);
size_t	 layer_pass_pending(struct endpoint *);
void	 layer_close_below(struct endpoint *);

/* resolve.c */
struct resolve;
struct resolve *resolve_start(const char *, const char *,
	    const struct addrinfo *);
int	 resolve_fd(const struct resolve *);
int	 resolve_result(struct resolve *, struct addrinfo **);
void	 resolve_cancel(struct resolve *);
void	 resolve_reap(void);
int	 resolve_is_literal(const char *, const char *);

/* ep-inet.c */
int	 inet_family(const struct addr *);
int	 inet_resolve(const struct addr *, const char *, const char *, int, int,
	    struct addrinfo **);
void	 inet_set_async(int);
void	 inet_connect_start(const struct addr *, const char *, const char *,
	    const char *, int, int, struct endpoint *);
int	 inet_connect(const struct addr *, int, int, int *);
int	 inet_listen(const struct addr *, int, int, struct listener *);
int	 inet_check(const struct addr *, struct addr_error *);
int	 unix_check(const struct addr *, struct addr_error *);
int	 inet_dgram_client(const struct addr *, int, int *,
	    struct sockaddr_storage *, socklen_t *);
int	 inet_dgram_options(const struct addr *, int);

/* ep-tcp.c (shared with the TLS types of tls-load.c) */
int	 ep_tcp_open(const struct addr *, const struct endpoint *,
	    struct endpoint *);
int	 ep_tcp_listen(const struct addr *, struct listener *);

int	 ep_udp_open(const struct addr *, const struct endpoint *,
	    struct endpoint *);
int	 ep_udp_listen(const struct addr *, struct listener *);
extern const struct addr_type at_dtls, at_dtls_listen;

extern const struct addr_type at_stdio, at_tcp, at_tcp_listen, at_udp,
    at_udp_listen, at_unix, at_unix_listen, at_abstract, at_abstract_listen,
    at_exec, at_system, at_open, at_create, at_echo, at_tls, at_tls_listen;

/* tty.c: standard input on a terminal (escape key, line editing) */
int	 tty_attach(struct endpoint *, const struct addr *, int);
const char *tty_feature(void);

/* telnet.c: the Telnet layer and the telnet type (SPEC 9) */
struct telnet_parser {
	int	 state;		/* TELNET_S_* of telnet.c */
	int	 cmd;		/* WILL, WONT, DO or DONT awaiting its option */
};

extern const struct addr_type at_telnet;
size_t	 telnet_parse(struct telnet_parser *, unsigned char *, size_t,
	    unsigned char *, size_t *);
int	 telnet_attach(struct endpoint *, const struct addr *);

/* scan.c: -z, port checks */
int	 scan_run(const struct addr *);

/* ep-raw.c */
extern const struct addr_type at_raw, at_raw_listen;

/* ---- proxy.c, ep-proxy.c, layer-socks.c, layer-http.c: proxies ------ */

/* Proxy URL schemes (SPEC section 7). */
enum proxy_scheme {
	PROXY_SOCKS4 = 1,	/* SOCKS4: the target resolved here */
	PROXY_SOCKS4A,		/* SOCKS4a: the proxy resolves names */
	PROXY_SOCKS5,		/* RFC 1928: the target resolved here */
	PROXY_SOCKS5H,		/* RFC 1928: the proxy resolves names */
	PROXY_HTTP,		/* HTTP/1.1 CONNECT, RFC 9110 9.3.6 */
	PROXY_HTTPS		/* CONNECT over TLS to the proxy */
};

#define PROXY_MAXHOPS	16	/* proxies in one chain */
#define PROXY_HOSTMAX	256	/* host name or literal, with its NUL */
#define PROXY_CREDMAX	256	/* user or password, with its NUL */

/* One proxy of a chain. */
struct proxy_hop {
	int		 scheme;	/* PROXY_* */
	char		 host[PROXY_HOSTMAX]; /* IPv6 without brackets */
	unsigned	 port;
	int		 auth;		/* user (and pass) were given */
	char		 user[PROXY_CREDMAX];	/* percent-decoded */
	char		 pass[PROXY_CREDMAX];
};

/* The proxies of an address, first (reached directly) to last. */
struct proxy_chain {
	struct proxy_hop hop[PROXY_MAXHOPS];
	int		 n;
	const char	*host;		/* the target: HOST, PORT of a */
	const char	*port;
};

/* Where an address's TCP connection goes (proxy_first_hop()). */
struct proxy_dest {
	const char	*host;
	const char	*port;
	char		 label[PROXY_HOSTMAX + 32]; /* "proxy H:P: " or "" */
	char		 hostbuf[PROXY_HOSTMAX];
	char		 portbuf[8];
};

/* A reply of a SOCKS proxy (socks_reply_parse()). */
struct socks_reply {
	int		 code;		/* REP (SOCKS5) or CD (SOCKS4) */
	int		 atyp;		/* SOCKS5 BND.ADDR type */
	unsigned char	 addr[255];	/* BND.ADDR */
	size_t		 addrlen;
	unsigned	 port;		/* BND.PORT */
};

/* A parsed HTTP response or request head (layer-http.c). */
struct http_head {
	int		 status;	/* response status, 100-999 */
	char		 reason[96];	/* reason phrase, printable */
	char		 method[16];	/* request method */
	char		 target[PROXY_HOSTMAX + 16]; /* request target */
	char		 auth[512];	/* Proxy-Authorization value, or "" */
	int		 minor;		/* HTTP/1.x */
};

int	 proxy_parse_list(const char *, struct proxy_chain *, char *, size_t);
int	 proxy_check_userpass(const char *, char *, size_t);
void	 proxy_set_userpass(struct proxy_hop *, const char *);
int	 proxy_chain_build(const struct addr *, struct proxy_chain *, char *,
	    size_t);
int	 proxy_check(const struct addr *, char *, size_t);
void	 proxy_first_hop(const struct addr *, struct proxy_dest *);
int	 proxy_resolves_here(const struct addr *);
void	 proxy_hop_label(const struct proxy_hop *, char *, size_t);
void	 proxy_hostport(const char *, unsigned, char *, size_t);
const char *proxy_scheme_name(int);
int	 proxy_host_valid(const char *, size_t);
void	 proxy_mask(char *);
size_t	 proxy_base64(const unsigned char *, size_t, char *, size_t);

int	 proxy_attach(const struct addr *, struct endpoint *, int);
extern const struct addr_type at_socks, at_proxy_connect, at_socks5_listen,
    at_proxy_listen;

int	 socks_attach(struct endpoint *, const struct addr *,
	    const struct proxy_hop *, const char *, unsigned, long);
int	 socks_server_attach(struct endpoint *, const struct addr *);
int	 socks_reply_parse(int, const unsigned char *, size_t, size_t *,
	    struct socks_reply *);
int	 socks_request_parse(const unsigned char *, size_t, size_t *,
	    struct socks_reply *);
const char *socks_reply_name(int, int);

int	 http_connect_attach(struct endpoint *, const struct addr *,
	    const struct proxy_hop *, const char *, unsigned, long, int);
int	 http_server_attach(struct endpoint *, const struct addr *);
ssize_t	 http_head_end(const char *, size_t, size_t);
int	 http_response_parse(const char *, size_t, struct http_head *);
int	 http_request_parse(const char *, size_t, struct http_head *);
/* ep-unix.c (shared with gopen and the datagram types) */
struct sockaddr_un;
int	 ep_unix_open(const struct addr *, const struct endpoint *,
	    struct endpoint *);
socklen_t unix_sockaddr(const struct addr *, const char *, int,
	    struct sockaddr_un *);
int	 unix_bind(const struct addr *, int, int, char **);
int	 unix_bind_listen(const struct addr *, int, const struct sockaddr_un *,
	    socklen_t);
int	 unix_error_status(const char *, int, int);

/* ep-stdio.c, ep-file.c, ep-dual.c */
extern const struct addr_type at_stdin, at_stdout, at_stderr, at_gopen,
    at_dual;
int	 file_user(const struct addr *, uid_t *);
int	 file_named(const struct addr *, const char *);

/* ep-dgram.c: how datagrams find their way (dgram_endpoint's mode) */
#define DGRAM_PEER	1	/* sendto: to the peer, and only from it */
#define DGRAM_ANYONE	2	/* datagram: to the peer, from anyone */
#define DGRAM_ANSWER	3	/* recvfrom: from anyone, to the last sender */
#define DGRAM_RECV	4	/* recv: from anyone, never written */
#define DGRAM_CONNECTED	5	/* a connected socket: send(2) and recv(2) */
extern const struct addr_type at_udp_sendto, at_udp_datagram, at_udp_recv,
    at_udp_recvfrom, at_unix_sendto, at_unix_recv, at_unix_recvfrom,
    at_abstract_sendto, at_abstract_recv, at_abstract_recvfrom;
int	 dgram_endpoint(const struct addr *, int, int, const struct sockaddr *,
	    socklen_t, char *, struct endpoint *);
int	 dgram_fork_run(const struct addr *, const struct addr *);
int	 dgram_first(struct endpoint *);

/* ep-socket.c */
extern const struct addr_type at_socket_connect, at_socket_listen,
    at_socket_sendto, at_socket_datagram, at_socket_recv,
    at_socket_recvfrom;

/* ep-pty.c */
extern const struct addr_type at_pty;
int	 pty_open(const struct addr *, int *, int *, char *, size_t);
void	 pty_endpoint(const struct addr *, int, int, struct endpoint *);

/* termios.c */
int	 termios_known_speed(unsigned);
int	 termios_wanted(const struct addr *);
int	 termios_apply(const struct addr *, int);
int	 termios_check(const struct addr *, int);

/* ---- listen.c -------------------------------------------------------- */

struct listener {
	int		 fd;		/* listening (or bound datagram) socket */
	int		 family;	/* AF_* of fd */
	int		 socktype;	/* SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM */
	int		 protocol;
	struct sockaddr_storage local;	/* bound address, for datagram re-binds */
	socklen_t	 locallen;
	char		*unlink_path;	/* unix socket file to remove at exit */
};

/* The fork children of a listener, to reap and to pass signals on to. */
struct listen_children {
	pid_t		*pid;
	size_t		 n;
	size_t		 cap;
	uint64_t	 started;	/* sessions so far: their ids */
};

void	 listen_log(const struct listener *);
int	 listen_refuse(const struct addr *, const struct listener *,
	    const struct sockaddr *, socklen_t, const char *);
void	 listen_close_refused(int);
int	 listen_accept_one(const struct addr *, struct endpoint *);
int	 listen_run(const struct addr *, const struct addr *,
	    struct endpoint *);
int	 listen_connect_run(const struct addr *, const struct addr *);
void	 listen_close(struct listener *);
void	 listen_pause(long);
void	 listen_reap(struct listen_children *);
void	 listen_children_add(struct listen_children *, pid_t);

/* ---- listen-dgram.c -------------------------------------------------- */

int	 listen_dgram_accept_one(const struct addr *, struct listener *,
	    struct endpoint *);
int	 listen_dgram_run(const struct addr *, const struct addr *,
	    struct listener *, struct listen_children *, struct endpoint *);

/* ---- loop.c, broker.c: many sessions in one process ----------------- */

struct broker;
struct broker_member;
struct broker *broker_new(int, size_t, void (*)(void *));
struct broker_member *broker_join(struct broker *, struct endpoint *, void *,
	    int, const char *);
void	 broker_leave(struct broker *, struct broker_member *);
void	 broker_free(struct broker *);
int	 broker_poll(struct broker *, struct broker_member *, struct pollfd *,
	    int *, long *);
int	 broker_step(struct broker *, struct broker_member *,
	    const struct pollfd *);

int	 loop_eligible(const struct addr *, const struct addr *);
int	 loop_run(const struct addr *, const struct addr *, struct listener *);

/* ---- relay.c --------------------------------------------------------- */

struct relay_stats {
	uint64_t	 bytes[2];	/* delivered, per direction */
	long		 ms;		/* session duration, ms */
};

/* One direction of a session: src -> dst through buf. */
struct relay_dir {
	struct endpoint	*src;
	struct endpoint	*dst;
	char		*buf;		/* NULL until data flows */
	size_t		 size;		/* bytes buf holds (or will) */
	size_t		 chunk;		/* most bytes one read may take */
	size_t		 off;		/* first byte not yet written */
	size_t		 len;		/* bytes waiting from off */
	int		 eof;		/* src reached end of input */
	int		 done;		/* direction finished */
	int		 rwant;		/* last read result: EP_WANT_* or 0 */
	int		 wwant;		/* last write result: EP_WANT_* or 0 */
	int		 rslot;		/* pollfd index of the read, or -1 */
	int		 wslot;		/* pollfd index of the write, or -1 */
	int		 marker;	/* '>' or '<' for -x */
	uint64_t	 bytes;		/* delivered to dst */
	uint64_t	 readbytes;	/* taken from src, for -x offsets */
	int		 pipe[2];	/* splice(2) path: src -> pipe -> dst */
	size_t		 inpipe;	/* bytes sitting in the pipe */
	int		 pipefull;	/* the pipe took no more: wait for dst */
	int		 direct;	/* one end is a pipe: splice src -> dst */
	int		 splice;	/* RELAY_SPLICE_* (relay.c) */
	int		 dwait;		/* direct: 0 waits for src, 1 for dst */
	int		 crheld;	/* crlf: a CR read last, kept until the
					   next byte says whether LF follows */
};

/*
 * The relay state of one session: the per-direction rules of STYLE 5 as a
 * state machine. relay_poll() says which descriptors (at most
 * RELAY_NFDS) and events it waits for, and until when; relay_step() acts
 * on what poll(2) or epoll(7) reported. relay_run() drives one session
 * with ppoll; loop.c drives many with epoll.
 */
#define RELAY_NFDS	4
struct relay {
	struct relay_dir d[2];
	int		 status;	/* EXIT_* so far */
	int		 lazy;		/* give buffers back when they empty */
	long		 start;		/* ms of relay_init() */
	long		 linger_at;	/* -t deadline, ms, or -1 */
	long		 idle_ms;	/* -T, ms, or -1 */
	long		 last_move;	/* ms of the last byte moved */
};

void	 relay_init(struct relay *, struct endpoint *, struct endpoint *,
	    int);
int	 relay_poll(struct relay *, struct pollfd *, long *);
void	 relay_step(struct relay *, const struct pollfd *);
int	 relay_done(const struct relay *);
void	 relay_cut(struct relay *, const char *);
int	 relay_end(struct relay *, struct relay_stats *);
int	 relay_run(struct endpoint *, struct endpoint *, struct relay_stats *);
void	 relay_pool_trim(void);
size_t	 relay_bufsize(void);

/* ---- session.c ------------------------------------------------------- */

int	 session_layers(const struct addr *, struct endpoint *, int);
int	 session_open(const struct addr *, const struct endpoint *,
	    struct endpoint *);
int	 session_handshake(struct endpoint *, long);
int	 session_run(struct endpoint *, const struct addr *);
void	 session_log_stats(const struct relay_stats *);
int	 session_relay(struct endpoint *, struct endpoint *);
void	 signals_defer(int);
const sigset_t *signals_pollmask(void);

/* ---- tls-load.c, tls.c: TLS, loaded when an address uses it --------- */

int	 tls_init(const struct addr *);
int	 tls_attach(struct endpoint *, const struct addr *, const char *,
	    int);
int	 dtls_attach(struct endpoint *, const struct addr *, int);
const char *tls_version(void);
const struct tls_crypto *tls_crypto(const struct addr *);

/*
 * The few OpenSSL calls the WebSocket layer makes (RFC 6455 section 4:
 * SHA-1 and base64 for Sec-WebSocket-Accept, random keys and masks). They
 * live in the TLS module, so the binary itself never links OpenSSL.
 */
struct tls_crypto {
	/* SHA-1 of the len bytes at p into md (20 bytes). 0, or -1. */
	int	 (*sha1)(const void *, size_t, unsigned char *);
	/*
	 * Base64 (RFC 4648, padded) of the len bytes at p into out, which has
	 * room for 4 * ((len + 2) / 3) + 1 bytes; NUL-terminated. Returns the
	 * length written.
	 */
	size_t	 (*base64)(const void *, size_t, char *);
	/* len bytes from OpenSSL's CSPRNG into p. 0, or -1. */
	int	 (*random)(void *, size_t);
};

/*
 * The interface between the binary (tls-load.c) and the TLS module
 * (sockcat-tls.so, built from tls.c), the only part that links OpenSSL.
 * The module accepts only the binary it was built with: the ABI tag holds
 * the version, and TLS_MODULE_ABI_REV changes with any struct it shares.
 */
#define TLS_MODULE_ABI_REV	6
#define TLS_MODULE_ABI_STR(x)	#x
#define TLS_MODULE_ABI_XSTR(x)	TLS_MODULE_ABI_STR(x)
#define TLS_MODULE_ABI		"sockcat " PACKAGE_VERSION " tls " \
	TLS_MODULE_ABI_XSTR(TLS_MODULE_ABI_REV)
#define TLS_MODULE_SYMBOL	"sockcat_tls_module"

/* What the binary lends the module; it exports no symbols. */
struct tls_host {
	const struct config	*cfg;
	volatile sig_atomic_t	*sig_term;
	void	 (*log_verbose)(int, const char *, ...) __printflike(2, 3);
	long	 (*now_ms)(void);
	int	 (*opts_isset)(const struct addr_opts *, int);
	void	 (*ep_linger)(int, int (*)(void *), void *);
	void	*(*xmalloc)(size_t);
	void	*(*xcalloc)(size_t, size_t);
	char	*(*xstrdup)(const char *);
	void	 (*layer_push)(struct endpoint *, const struct ep_ops *,
		    void *);
	void	 (*layer_close_below)(struct endpoint *);
};

/* What the module offers: its one exported object, TLS_MODULE_SYMBOL. */
struct tls_module {
	const char	*abi;		/* TLS_MODULE_ABI of its build */
	void		 (*init)(const struct tls_host *);
	/* Set up the TLS library itself, before the first TLS address. */
	void		 (*ssl_init)(void);
	int		 (*attach)(struct endpoint *, const struct addr *,
			    const char *, int);
	const char	*(*version)(void);
	const struct tls_crypto *crypto;
	/* A DTLS layer on a datagram endpoint (dtls.c). */
	int		 (*dtls_attach)(struct endpoint *, const struct addr *,
			    int);
};

/* ---- layer-ws.c, ep-ws.c: WebSocket (SPEC section 8) -------------- */

extern const struct addr_type at_ws, at_wss, at_ws_listen, at_wss_listen;

int	 ws_addr_check(const struct addr *, char *, size_t);
int	 ws_attach(struct endpoint *, const struct addr *, int);
void	 ws_push(struct endpoint *, const struct addr *, int,
	    const struct tls_crypto *, int);

/* Most header lines of a handshake request or response. */
#define WS_HTTP_MAXHDR	64

/*
 * An HTTP/1.1 request or response head split in place (ws_http_parse):
 * the strings point into the caller's buffer.
 */
struct ws_http {
	char		*method;	/* request: "GET" */
	char		*target;	/* request: "/chat?x=1" */
	int		 status;	/* response: 101 */
	char		*reason;	/* response: "Switching Protocols" */
	size_t		 nhdr;
	char		*name[WS_HTTP_MAXHDR];
	char		*value[WS_HTTP_MAXHDR];
};

/* What a server answers to an upgrade request (ws_request_check). */
struct ws_answer {
	int		 status;	/* 101, or the HTTP error sent */
	const char	*reason;	/* its reason phrase */
	const char	*key;		/* Sec-WebSocket-Key, for 101 */
	char		 protocol[128];	/* subprotocol chosen, or "" */
	char		 why[160];	/* for the log, when not 101 */
};

int	 ws_http_parse(char *, int, struct ws_http *, char *, size_t);
const char *ws_http_get(const struct ws_http *, const char *, int *);
int	 ws_http_has_token(const struct ws_http *, const char *,
	    const char *);
void	 ws_request_check(const struct ws_http *, const struct addr *,
	    struct ws_answer *);
int	 ws_response_check(const struct ws_http *, const char *,
	    const char *, char *, size_t, char *, size_t);
uint32_t ws_utf8(uint32_t, const unsigned char *, size_t);
void	 ws_mask(unsigned char *, const unsigned char *, size_t,
	    const unsigned char *, size_t);

#if defined(OPENSSL_SSL_H) || defined(HEADER_SSL_H)
/* Inside the module only: what tls.c lends dtls.c, and dtls.c's attach. */
int	 tls_dtls_ctx(const struct addr *, int, SSL_CTX **);
int	 tls_dtls_names(const struct addr *, const char *, SSL *, int);
void	 tls_dtls_reason(SSL *, int, int, char *, size_t);
const struct tls_host *tls_dtls_host(void);
int	 dtls_mod_attach(struct endpoint *, const struct addr *, int);
#endif

/* ---- log.c ----------------------------------------------------------- */

void	 log_verbose(int, const char *, ...) __printflike(2, 3);
void	 log_set_session(int, uint64_t);
void	 log_set_tag(const char *);
int	 log_open(void);
void	 log_started(void);
const char *log_progname(void);
char	*log_env_prefix(char *, size_t);
char	*log_sockaddr(const struct sockaddr *, socklen_t, char *, size_t);
void	 log_hexdump(int, const void *, size_t, uint64_t);

/* ---- util.c, xmalloc.c ----------------------------------------------- */

int	 hexval(int);
int	 parse_uint(const char *, unsigned long, unsigned long,
	    unsigned long *);
int	 parse_size(const char *, unsigned long, unsigned long,
	    unsigned long *);
int	 parse_ms(const char *, long *);
int	 parse_data(const char *, unsigned char *, size_t, size_t *,
	    const char *, const char **);
int	 set_nonblock(int, int);
int	 set_cloexec(int);
long	 now_ms(void);
void	 print_help_line(FILE *, int, const char *, const char *,
	    const char *);

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...) __printflike(2, 3);

#endif /* SOCKCAT_H */
