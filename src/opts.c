/* opts.c: the address option table, value parsing and socket options. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockcat.h"

/* Longest option name looked up, bytes. */
#define OPTS_NAMEMAX	64

/* Longest single network of an allow= list, bytes. */
#define OPTS_CIDRMAX	(INET6_ADDRSTRLEN + 8)

#define OFF(f)	offsetof(struct addr_opts, f)

/*
 * The option table, indexed by enum opt_id with designated initialisers.
 * Its rows are in the order of enum opt_id, which is SORTED by name; keep
 * both sorted when adding an option. Rows with a phase are plain
 * setsockopt(2) calls made by opts_apply() on int fields.
 */
const struct opt_desc opt_table[OPT__COUNT] = {
	[OPT_ACCEPT_TIMEOUT] = {
		.name = "accept-timeout", .kind = OK_MS, .groups = G_LISTEN,
		.field = OFF(accept_timeout_ms), .min = 1,
		.help = "stop waiting for a peer after this many seconds"
	},
	[OPT_ALLOW] = {
		.name = "allow", .kind = OK_CIDRS, .groups = G_IPLISTEN,
		.field = OFF(allow),
		.help = "accept only peers in these networks"
	},
	[OPT_ALPN] = {
		.name = "alpn", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(alpn),
		.help = "ALPN protocols to offer or accept, '+'-separated"
	},
	[OPT_AUTH] = {
		.name = "auth", .kind = OK_USERPASS, .groups = G_PROXYSRV,
		.field = OFF(auth),
		.help = "credentials clients must give (SOCKS5, HTTP Basic)"
	},
	[OPT_BACKLOG] = {
		.name = "backlog", .kind = OK_UINT, .groups = G_LISTEN,
		.field = OFF(backlog), .min = 1, .max = 65535,
		.help = "listen(2) backlog (default SOMAXCONN)"
	},
	[OPT_BINARY] = {
		.name = "binary", .kind = OK_BOOL, .groups = G_WS,
		.field = OFF(ws_binary),
		.help = "WebSocket: a read is a message, messages as they are"
	},
	[OPT_BIND] = {
		.name = "bind", .kind = OK_STRING,
		.groups = G_IP | G_UNIX | G_GENSOCK,
		.field = OFF(bind),
		.help = "local address (and client port), or socket path, to bind"
	},
	[OPT_BROADCAST] = {
		.name = "broadcast", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(broadcast),
		.phase = PH_SOCKET,
		.level = SOL_SOCKET, .optname = SO_BROADCAST,
		.help = "SO_BROADCAST: allow sending to broadcast addresses"
	},
	[OPT_BROKER] = {
		.name = "broker", .kind = OK_BOOL, .groups = G_ROOM,
		.field = OFF(broker),
		.help = "relay every client's bytes to all others and ADDRESS2"
	},
	[OPT_CAFILE] = {
		.name = "cafile", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(cafile),
		.help = "PEM file of trusted certificates"
	},
	[OPT_CAPATH] = {
		.name = "capath", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(capath),
		.help = "directory of trusted certificates"
	},
	[OPT_CERT] = {
		.name = "cert", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(cert),
		.help = "PEM certificate (chain) to present"
	},
	[OPT_CHAT] = {
		.name = "chat", .kind = OK_BOOL, .groups = G_ROOM,
		.field = OFF(chat),
		.help = "broker by lines, each prefixed <userN>"
	},
	[OPT_CIPHERS] = {
		.name = "ciphers", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(ciphers),
		.help = "OpenSSL cipher list"
	},
	[OPT_CLOCAL] = {
		.name = "clocal", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(clocal),
		.help = "CLOCAL: ignore the modem control lines"
	},
	[OPT_COMMONNAME] = {
		.name = "commonname", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(commonname),
		.help = "name the peer certificate must match"
	},
	[OPT_COMPRESS] = {
		.name = "compress", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(compress),
		.help = "TLS compression: auto or none (default)"
	},
	[OPT_CONNECT_TIMEOUT] = {
		.name = "connect-timeout", .kind = OK_MS, .groups = G_CLIENT,
		.field = OFF(connect_timeout_ms), .min = 1,
		.help = "give up connecting after this many seconds"
	},
	[OPT_CRLF] = {
		.name = "crlf", .kind = OK_BOOL, .groups = G_ANY,
		.field = OFF(crlf),
		.help = "LF to CRLF in data written, CRLF to LF in data read"
	},
	[OPT_CRTSCTS] = {
		.name = "crtscts", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(crtscts),
		.help = "CRTSCTS: RTS/CTS hardware flow control"
	},
	[OPT_CSIZE] = {
		.name = "csize", .kind = OK_UINT, .groups = G_TERMIOS,
		.field = OFF(csize), .min = 5, .max = 8,
		.help = "bits per character: 5 to 8 (also cs5 ... cs8)"
	},
	[OPT_CTTY] = {
		.name = "ctty", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(ctty),
		.help = "with pty: make it the program's controlling terminal"
	},
	[OPT_ECHO] = {
		.name = "echo", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(echo),
		.help = "ECHO: the terminal echoes input (echo=0: not)"
	},
	[OPT_END_CLOSE] = {
		.name = "end-close", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(end_close),
		.help = "at the end only close the pipes; the program runs on"
	},
	[OPT_ESCAPE] = {
		.name = "escape", .kind = OK_ESCAPE, .groups = G_STDIO,
		.field = OFF(escape),
		.help = "key that ends a terminal session (default ^])"
	},
	[OPT_FDIN] = {
		.name = "fdin", .kind = OK_UINT, .groups = G_EXEC,
		.field = OFF(fdin), .min = 0, .max = 1023,
		.help = "descriptor the program reads our data from"
	},
	[OPT_FDOUT] = {
		.name = "fdout", .kind = OK_UINT, .groups = G_EXEC,
		.field = OFF(fdout), .min = 0, .max = 1023,
		.help = "descriptor the program writes its output to"
	},
	[OPT_FOREVER] = {
		.name = "forever", .kind = OK_BOOL,
		.groups = G_CLIENT | G_RETRY,
		.field = OFF(forever),
		.help = "retry without limit"
	},
	[OPT_FORK] = {
		.name = "fork", .kind = OK_BOOL, .groups = G_LISTEN | G_CHILD,
		.field = OFF(fork),
		.help = "serve every connection in its own child"
	},
	[OPT_HEADER] = {
		.name = "header", .kind = OK_STRING, .groups = G_WS,
		.field = OFF(header),
		.help = "extra WebSocket handshake headers, '+'-separated"
	},
	[OPT_HISTORY] = {
		.name = "history", .kind = OK_STRING, .groups = G_STDIO,
		.field = OFF(history),
		.help = "file that keeps the line-editing history"
	},
	[OPT_IGNOREEOF] = {
		.name = "ignoreeof", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(ignoreeof),
		.help = "at end of file wait for more, as tail -f"
	},
	[OPT_INTERVAL] = {
		.name = "interval", .kind = OK_MS, .groups = G_CLIENT | G_RETRY,
		.field = OFF(interval_ms),
		.help = "seconds between retries (default 1)"
	},
	[OPT_IP_ADD_MEMBERSHIP] = {
		.name = "ip-add-membership", .kind = OK_STRING,
		.groups = G_IPDGRAM,
		.field = OFF(ip_add_membership),
		.help = "join multicast GROUP on interface IF"
	},
	[OPT_IP_MULTICAST_IF] = {
		.name = "ip-multicast-if", .kind = OK_STRING,
		.groups = G_IPDGRAM,
		.field = OFF(ip_multicast_if),
		.help = "interface address multicasts leave by"
	},
	[OPT_IP_MULTICAST_LOOP] = {
		.name = "ip-multicast-loop", .kind = OK_BOOL,
		.groups = G_IPDGRAM,
		.field = OFF(ip_multicast_loop),
		.phase = PH_SOCKET,
		.level = IPPROTO_IP, .optname = IP_MULTICAST_LOOP,
		.help = "IP_MULTICAST_LOOP: our multicasts come back"
	},
	[OPT_IP_MULTICAST_TTL] = {
		.name = "ip-multicast-ttl", .kind = OK_UINT,
		.groups = G_IPDGRAM,
		.field = OFF(ip_multicast_ttl), .min = 0, .max = 255,
		.phase = PH_SOCKET,
		.level = IPPROTO_IP, .optname = IP_MULTICAST_TTL,
		.help = "IP_MULTICAST_TTL of sent multicasts"
	},
	[OPT_IP_OPTIONS] = {
		.name = "ip-options", .kind = OK_STRING, .groups = G_IP,
		.field = OFF(ip_options),
		.help = "IP_OPTIONS of sent datagrams (socat data: x0100...)"
	},
	[OPT_IP_PKTINFO] = {
		.name = "ip-pktinfo", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(ip_pktinfo),
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_PKTINFO,
		.help = "IP_PKTINFO: log local and destination address"
	},
	[OPT_IP_RECVOPTS] = {
		.name = "ip-recvopts", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(ip_recvopts),
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_RECVOPTS,
		.help = "IP_RECVOPTS: log received IP options"
	},
	[OPT_IP_RECVTOS] = {
		.name = "ip-recvtos", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(ip_recvtos),
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_RECVTOS,
		.help = "IP_RECVTOS: log the received TOS"
	},
	[OPT_IP_RECVTTL] = {
		.name = "ip-recvttl", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(ip_recvttl),
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_RECVTTL,
		.help = "IP_RECVTTL: log the received TTL"
	},
	[OPT_IP_TOS] = {
		.name = "ip-tos", .kind = OK_UINT, .groups = G_IP,
		.field = OFF(ip_tos), .min = 0, .max = 255,
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_TOS,
		.help = "IP_TOS of sent packets"
	},
	[OPT_IP_TTL] = {
		.name = "ip-ttl", .kind = OK_UINT, .groups = G_IP,
		.field = OFF(ip_ttl), .min = 1, .max = 255,
		.phase = PH_SOCKET, .level = IPPROTO_IP, .optname = IP_TTL,
		.help = "IP_TTL of sent packets"
	},
	[OPT_IPHDR] = {
		.name = "iphdr", .kind = OK_BOOL, .groups = G_RAW,
		.field = OFF(iphdr),
		.help = "deliver received IPv4 datagrams with their header"
	},
	[OPT_IPV6ONLY] = {
		.name = "ipv6only", .kind = OK_BOOL, .groups = G_IPLISTEN,
		.field = OFF(ipv6only), .phase = PH_SOCKET,
		.level = IPPROTO_IPV6, .optname = IPV6_V6ONLY,
		.help = "IPV6_V6ONLY: do not accept IPv4 on an IPv6 socket"
	},
	[OPT_KEEPALIVE] = {
		.name = "keepalive", .kind = OK_BOOL, .groups = G_TCP,
		.field = OFF(keepalive), .phase = PH_CONNECTED,
		.level = SOL_SOCKET, .optname = SO_KEEPALIVE,
		.help = "SO_KEEPALIVE: probe idle connections"
	},
	[OPT_KEY] = {
		.name = "key", .kind = OK_STRING, .groups = G_TLS,
		.field = OFF(key),
		.help = "PEM private key of the certificate"
	},
	[OPT_LINK] = {
		.name = "link", .kind = OK_STRING, .groups = G_PTY,
		.field = OFF(link),
		.help = "symbolic link to the pty's terminal device"
	},
	[OPT_LOWPORT] = {
		.name = "lowport", .kind = OK_BOOL, .groups = G_RANGE,
		.field = OFF(lowport),
		.help = "only peers with a source port below 1024"
	},
	[OPT_MAX_CHILDREN] = {
		.name = "max-children", .kind = OK_UINT,
		.groups = G_LISTEN | G_CHILD,
		.field = OFF(max_children), .min = 1, .max = 1000000,
		.help = "at most this many sessions at once with fork"
	},
	[OPT_MAX_MESSAGE] = {
		.name = "max-message", .kind = OK_SIZE, .groups = G_WS,
		.field = OFF(max_message), .min = 1, .max = 1073741824,
		.help = "largest WebSocket message taken in (default 16m)"
	},
	[OPT_MAX_VERSION] = {
		.name = "max-version", .kind = OK_TLSVER, .groups = G_TLS,
		.field = OFF(max_version),
		.help = "highest TLS version: 1.2 or 1.3 (default)"
	},
	[OPT_MIN_VERSION] = {
		.name = "min-version", .kind = OK_TLSVER, .groups = G_TLS,
		.field = OFF(min_version),
		.help = "lowest TLS version: 1.2 (default) or 1.3"
	},
	[OPT_MODE] = {
		.name = "mode", .kind = OK_OCTAL,
		.groups = G_UNIXFILE | G_NAMED,
		.field = OFF(mode), .min = 0, .max = 07777,
		.help = "permissions of the socket file or created file"
	},
	[OPT_NODELAY] = {
		.name = "nodelay", .kind = OK_BOOL, .groups = G_TCP,
		.field = OFF(nodelay), .phase = PH_CONNECTED,
		.level = IPPROTO_TCP, .optname = TCP_NODELAY,
		.help = "TCP_NODELAY: send small segments at once"
	},
	[OPT_NOEDIT] = {
		.name = "noedit", .kind = OK_BOOL, .groups = G_STDIO,
		.field = OFF(noedit),
		.help = "no line editing on a terminal"
	},
	[OPT_NOFORK] = {
		.name = "nofork", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(nofork),
		.help = "run the program in place of sockcat, on ADDRESS1"
	},
	[OPT_NULL_EOF] = {
		.name = "null-eof", .kind = OK_BOOL, .groups = G_SOCKET,
		.field = OFF(null_eof),
		.help = "an empty datagram is the end of input"
	},
	[OPT_O_APPEND] = {
		.name = "o-append", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(o_append),
		.help = "O_APPEND: write at the end of the file"
	},
	[OPT_O_CREAT] = {
		.name = "o-creat", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(o_creat),
		.help = "O_CREAT: create the file if it does not exist"
	},
	[OPT_O_EXCL] = {
		.name = "o-excl", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(o_excl),
		.help = "O_EXCL: with o-creat, fail if the file exists"
	},
	[OPT_O_NONBLOCK] = {
		.name = "o-nonblock", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(o_nonblock),
		.help = "O_NONBLOCK: open without waiting (FIFOs, devices)"
	},
	[OPT_O_TRUNC] = {
		.name = "o-trunc", .kind = OK_BOOL, .groups = G_FILE,
		.field = OFF(o_trunc),
		.help = "O_TRUNC: empty the file when opening it"
	},
	[OPT_OPOST] = {
		.name = "opost", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(opost),
		.help = "OPOST: output processing (opost=0: bytes as sent)"
	},
	[OPT_ORIGIN] = {
		.name = "origin", .kind = OK_STRING, .groups = G_WS,
		.field = OFF(origin),
		.help = "WebSocket Origin sent, or those allowed ('+')"
	},
	[OPT_PARENB] = {
		.name = "parenb", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(parenb),
		.help = "PARENB: parity bit (even)"
	},
	[OPT_PATH] = {
		.name = "path", .kind = OK_STRING, .groups = G_WSLISTEN,
		.field = OFF(path),
		.help = "the only request path served (else 404)"
	},
	[OPT_PF] = {
		.name = "pf", .kind = OK_PF, .groups = G_IP | G_GENSOCK,
		.field = OFF(pf),
		.help = "protocol family: ip4, ip6 (socket-*: a number)"
	},
	[OPT_PING] = {
		.name = "ping", .kind = OK_MS, .groups = G_WS,
		.field = OFF(ping_ms), .min = 1,
		.help = "send a WebSocket ping every this many seconds"
	},
	[OPT_PIPES] = {
		.name = "pipes", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(pipes),
		.help = "talk to the program over pipes (the default)"
	},
	[OPT_PROMPT] = {
		.name = "prompt", .kind = OK_STRING, .groups = G_STDIO,
		.field = OFF(prompt),
		.help = "prompt shown before the edited line"
	},
	[OPT_PROTOCOL] = {
		.name = "protocol", .kind = OK_STRING,
		.groups = G_WS | G_GENSOCK,
		.field = OFF(protocol),
		.help = "WebSocket subprotocols P1+P2; socket-*: protocol number"
	},
	[OPT_PROXY] = {
		.name = "proxy", .kind = OK_PROXY, .groups = G_PROXY,
		.field = OFF(proxy),
		.help = "connect through these proxies, '+'-separated URLs"
	},
	[OPT_PROXY_CAFILE] = {
		.name = "proxy-cafile", .kind = OK_STRING, .groups = G_PROXY,
		.field = OFF(proxy_cafile),
		.help = "PEM file of trusted certificates for https proxies"
	},
	[OPT_PROXYAUTH] = {
		.name = "proxyauth", .kind = OK_USERPASS, .groups = G_PROXY,
		.field = OFF(proxyauth),
		.help = "credentials for HTTP proxies without their own"
	},
	[OPT_PROXYAUTH_FILE] = {
		.name = "proxyauth-file", .kind = OK_STRING, .groups = G_PROXY,
		.field = OFF(proxyauth_file),
		.help = "file whose line is proxyauth= (kept out of ps)"
	},
	[OPT_PROXYPORT] = {
		.name = "proxyport", .kind = OK_UINT, .groups = G_PROXY,
		.field = OFF(proxyport), .min = 1, .max = 65535,
		.help = "port of HTTP proxies without one (default 8080)"
	},
	[OPT_PTY] = {
		.name = "pty", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(pty),
		.help = "talk to the program over a pseudo terminal"
	},
	[OPT_RANGE] = {
		.name = "range", .kind = OK_RANGE, .groups = G_RANGE,
		.field = OFF(range),
		.help = "only peers in ADDR/BITS or ADDR:MASK (socat)"
	},
	[OPT_RAW] = {
		.name = "raw", .kind = OK_BOOL, .groups = G_TERMIOS,
		.field = OFF(raw),
		.help = "raw terminal mode: no line editing, no echo"
	},
	[OPT_RCVBUF] = {
		.name = "rcvbuf", .kind = OK_SIZE, .groups = G_SOCKET,
		.field = OFF(rcvbuf), .min = 1024, .max = 1073741824,
		.phase = PH_SOCKET, .level = SOL_SOCKET, .optname = SO_RCVBUF,
		.help = "SO_RCVBUF: socket receive buffer"
	},
	[OPT_RETRY] = {
		.name = "retry", .kind = OK_UINT, .groups = G_CLIENT | G_RETRY,
		.field = OFF(retry), .min = 0, .max = 1000000,
		.help = "retry a failed connect (or bind) this many times"
	},
	[OPT_REUSEADDR] = {
		.name = "reuseaddr", .kind = OK_BOOL,
		.groups = G_REUSE | G_SOCKET,
		.field = OFF(reuseaddr),
		.phase = PH_SOCKET,
		.level = SOL_SOCKET, .optname = SO_REUSEADDR,
		.help = "SO_REUSEADDR (default on for listeners)"
	},
	[OPT_SETSID] = {
		.name = "setsid", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(setsid),
		.help = "run the program in a new session"
	},
	[OPT_SHUT_NULL] = {
		.name = "shut-null", .kind = OK_BOOL, .groups = G_SOCKET,
		.field = OFF(shut_null),
		.help = "at end of input send an empty datagram"
	},
	[OPT_SNDBUF] = {
		.name = "sndbuf", .kind = OK_SIZE, .groups = G_SOCKET,
		.field = OFF(sndbuf), .min = 1024, .max = 1073741824,
		.phase = PH_SOCKET, .level = SOL_SOCKET, .optname = SO_SNDBUF,
		.help = "SO_SNDBUF: socket send buffer"
	},
	[OPT_SNI] = {
		.name = "sni", .kind = OK_STRING, .groups = G_TLSCLIENT,
		.field = OFF(sni),
		.help = "server name to send and check (default: HOST)"
	},
	[OPT_SO_TIMESTAMP] = {
		.name = "so-timestamp", .kind = OK_BOOL, .groups = G_IPDGRAM,
		.field = OFF(so_timestamp),
		.phase = PH_SOCKET,
		.level = SOL_SOCKET, .optname = SO_TIMESTAMP,
		.help = "SO_TIMESTAMP: log the receive time"
	},
	[OPT_SOCKSPORT] = {
		.name = "socksport", .kind = OK_UINT, .groups = G_PROXY,
		.field = OFF(socksport), .min = 1, .max = 65535,
		.help = "port of SOCKS proxies without one (default 1080)"
	},
	[OPT_SOCKSUSER] = {
		.name = "socksuser", .kind = OK_STRING, .groups = G_PROXY,
		.field = OFF(socksuser),
		.help = "SOCKS4 user id of proxies without one (default empty)"
	},
	[OPT_SOURCEPORT] = {
		.name = "sourceport", .kind = OK_UINT, .groups = G_RANGE,
		.field = OFF(sourceport), .min = 1, .max = 65535,
		.help = "only peers with this source port"
	},
	[OPT_SPEED] = {
		.name = "speed", .kind = OK_UINT, .groups = G_TERMIOS,
		.field = OFF(speed), .min = 50, .max = 4000000,
		.help = "line speed in baud (also b9600 ... b4000000)"
	},
	[OPT_STDERR] = {
		.name = "stderr", .kind = OK_BOOL, .groups = G_EXEC,
		.field = OFF(stderr_),
		.help = "the program's stderr goes to us too"
	},
	[OPT_TELNET] = {
		.name = "telnet", .kind = OK_BOOL, .groups = G_TELNET,
		.field = OFF(telnet),
		.help = "Telnet: refuse every option, strip commands"
	},
	[OPT_TEXT] = {
		.name = "text", .kind = OK_BOOL, .groups = G_WS,
		.field = OFF(ws_text),
		.help = "WebSocket: a line is a message (the default)"
	},
	[OPT_TYPE] = {
		.name = "type", .kind = OK_SOCKTYPE,
		.groups = G_UNIXLISTEN | G_UNIX | G_GENSOCK,
		.field = OFF(type),
		.help = "socket type: stream, seqpacket, dgram or a number"
	},
	[OPT_UNLINK_CLOSE] = {
		.name = "unlink-close", .kind = OK_BOOL, .groups = G_NAMED,
		.field = OFF(unlink_close),
		.help = "remove the file system entry at the end"
	},
	[OPT_UNLINK_EARLY] = {
		.name = "unlink-early", .kind = OK_BOOL,
		.groups = G_UNIXFILE | G_NAMED,
		.field = OFF(unlink_early),
		.help = "remove a stale file before creating it"
	},
	[OPT_USER] = {
		.name = "user", .kind = OK_STRING, .groups = G_NAMED,
		.field = OFF(user),
		.help = "owner of the file system entry (chown)"
	},
	[OPT_VERIFY] = {
		.name = "verify", .kind = OK_BOOL, .groups = G_TLS,
		.field = OFF(verify),
		.help = "verify the peer certificate (default 1)"
	},
	[OPT_WAIT_SLAVE] = {
		.name = "wait-slave", .kind = OK_BOOL, .groups = G_PTY,
		.field = OFF(wait_slave),
		.help = "open the pty only once its terminal is opened"
	},
	[OPT_WORKERS] = {
		.name = "workers", .kind = OK_UINT, .groups = G_MANY,
		.field = OFF(workers), .min = 1, .max = 256,
		.help = "event loops (processes) serving fork sessions"
	},
};

/* What follows the option name in help, by option. */
static const char *const opts_metavar[OPT__COUNT] = {
	[OPT_ACCEPT_TIMEOUT] = "=S",
	[OPT_ALLOW] = "=CIDR[+CIDR...]",
	[OPT_ALPN] = "=P1[+P2...]",
	[OPT_AUTH] = "=USER:PASS",
	[OPT_BACKLOG] = "=N",
	[OPT_BINARY] = "",
	[OPT_BIND] = "=ADDR[:PORT]",
	[OPT_BROADCAST] = "",
	[OPT_BROKER] = "",
	[OPT_CAFILE] = "=FILE",
	[OPT_CAPATH] = "=DIR",
	[OPT_CERT] = "=FILE",
	[OPT_CHAT] = "",
	[OPT_CIPHERS] = "=LIST",
	[OPT_CLOCAL] = "[=0/1]",
	[OPT_COMMONNAME] = "=NAME",
	[OPT_COMPRESS] = "=auto/none",
	[OPT_CONNECT_TIMEOUT] = "=S",
	[OPT_CRLF] = "",
	[OPT_CRTSCTS] = "[=0/1]",
	[OPT_CSIZE] = "=5-8",
	[OPT_CTTY] = "",
	[OPT_ECHO] = "=0/1",
	[OPT_END_CLOSE] = "",
	[OPT_ESCAPE] = "=^X/0xNN/none",
	[OPT_FDIN] = "=FD",
	[OPT_FDOUT] = "=FD",
	[OPT_FOREVER] = "",
	[OPT_FORK] = "",
	[OPT_HEADER] = "=NAME:VALUE[+...]",
	[OPT_HISTORY] = "=FILE",
	[OPT_IGNOREEOF] = "",
	[OPT_INTERVAL] = "=S",
	[OPT_IP_ADD_MEMBERSHIP] = "=GROUP:IF",
	[OPT_IP_MULTICAST_IF] = "=ADDR",
	[OPT_IP_MULTICAST_LOOP] = "[=0/1]",
	[OPT_IP_MULTICAST_TTL] = "=N",
	[OPT_IP_OPTIONS] = "=DATA",
	[OPT_IP_PKTINFO] = "",
	[OPT_IP_RECVOPTS] = "",
	[OPT_IP_RECVTOS] = "",
	[OPT_IP_RECVTTL] = "",
	[OPT_IP_TOS] = "=N",
	[OPT_IP_TTL] = "=N",
	[OPT_IPHDR] = "",
	[OPT_IPV6ONLY] = "[=0/1]",
	[OPT_KEEPALIVE] = "",
	[OPT_KEY] = "=FILE",
	[OPT_LINK] = "=PATH",
	[OPT_LOWPORT] = "",
	[OPT_MAX_CHILDREN] = "=N",
	[OPT_MAX_MESSAGE] = "=BYTES",
	[OPT_MAX_VERSION] = "=1.2/1.3",
	[OPT_MIN_VERSION] = "=1.2/1.3",
	[OPT_MODE] = "=OCTAL",
	[OPT_NODELAY] = "",
	[OPT_NOEDIT] = "",
	[OPT_NOFORK] = "",
	[OPT_NULL_EOF] = "",
	[OPT_O_APPEND] = "",
	[OPT_O_CREAT] = "",
	[OPT_O_EXCL] = "",
	[OPT_O_NONBLOCK] = "",
	[OPT_O_TRUNC] = "",
	[OPT_OPOST] = "=0/1",
	[OPT_ORIGIN] = "=URL[+URL...]",
	[OPT_PARENB] = "[=0/1]",
	[OPT_PATH] = "=PATH",
	[OPT_PF] = "=ip4/ip6",
	[OPT_PING] = "=S",
	[OPT_PIPES] = "",
	[OPT_PROMPT] = "=TEXT",
	[OPT_PROTOCOL] = "=P1[+P2...] or =N",
	[OPT_PROXY] = "=URL[+URL...]",
	[OPT_PROXY_CAFILE] = "=FILE",
	[OPT_PROXYAUTH] = "=USER:PASS",
	[OPT_PROXYAUTH_FILE] = "=FILE",
	[OPT_PROXYPORT] = "=PORT",
	[OPT_PTY] = "",
	[OPT_RANGE] = "=ADDR/BITS",
	[OPT_RAW] = "",
	[OPT_RCVBUF] = "=BYTES",
	[OPT_RETRY] = "=N",
	[OPT_REUSEADDR] = "[=0/1]",
	[OPT_SETSID] = "",
	[OPT_SHUT_NULL] = "",
	[OPT_SNDBUF] = "=BYTES",
	[OPT_SNI] = "=NAME",
	[OPT_SO_TIMESTAMP] = "",
	[OPT_SOCKSPORT] = "=PORT",
	[OPT_SOCKSUSER] = "=USER",
	[OPT_SOURCEPORT] = "=PORT",
	[OPT_SPEED] = "=BAUD",
	[OPT_STDERR] = "",
	[OPT_TELNET] = "",
	[OPT_TEXT] = "",
	[OPT_TYPE] = "=TYPE",
	[OPT_UNLINK_CLOSE] = "[=0/1]",
	[OPT_UNLINK_EARLY] = "",
	[OPT_USER] = "=USER",
	[OPT_VERIFY] = "[=0/1]",
	[OPT_WAIT_SLAVE] = "",
	[OPT_WORKERS] = "=N",
};
/*
 * Other names of options (socat's, and max-sessions), SORTED by name: a
 * socat one-liner keeps working, and `sockcat -h options` shows them after
 * the help ("also").
 */
static const struct {
	const char	*name;
	int		 id;
} opts_aliases[] = {
	{ "append",			OPT_O_APPEND },
	{ "cfmakeraw",			OPT_RAW },
	{ "cn",				OPT_COMMONNAME },
	{ "creat",			OPT_O_CREAT },
	{ "create",			OPT_O_CREAT },
	{ "excl",			OPT_O_EXCL },
	{ "max-sessions",		OPT_MAX_CHILDREN },	/* SPEC 10 */
	{ "nonblock",			OPT_O_NONBLOCK },
	{ "openssl-commonname",		OPT_COMMONNAME },
	{ "openssl-compress",		OPT_COMPRESS },
	{ "openssl-max-proto-version",	OPT_MAX_VERSION },
	{ "openssl-min-proto-version",	OPT_MIN_VERSION },
	{ "perm",			OPT_MODE },
	{ "proxy-authorization",	OPT_PROXYAUTH },
	{ "proxy-authorization-file",	OPT_PROXYAUTH_FILE },
	{ "so-broadcast",		OPT_BROADCAST },
	{ "so-reuseaddr",		OPT_REUSEADDR },
	{ "so-type",			OPT_TYPE },
	{ "socktype",			OPT_TYPE },
	{ "sp",				OPT_SOURCEPORT },
	{ "trunc",			OPT_O_TRUNC },
};


/* Compare an option name to a table name ignoring case, '_' as '-'. */
static int
opts_name_eq(const char *name, const char *tname)
{
	unsigned char	 a, b;

	for (;; name++, tname++) {
		a = (unsigned char)*name;
		b = (unsigned char)*tname;
		if (a == '_')
			a = '-';
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (a != b)
			return 0;
		if (a == '\0')
			return 1;
	}
}

/*
 * socat's options that carry their value in their name: b9600 (any line
 * speed, as speed=9600) and cs5 to cs8 (as csize=). Returns the value
 * part of name, or NULL when name is not one of them.
 */
const char *
opts_numbered(const char *name)
{
	const char	*p;

	if (name == NULL)
		return NULL;
	if ((name[0] == 'b' || name[0] == 'B') && name[1] >= '1' &&
	    name[1] <= '9')
		p = name + 1;
	else if ((name[0] == 'c' || name[0] == 'C') && (name[1] == 's' ||
	    name[1] == 'S') && name[2] >= '5' && name[2] <= '8' &&
	    name[3] == '\0')
		return name + 2;
	else
		return NULL;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	return name + 1;
}

/*
 * Find the option called name (any case; '_' may stand for '-').
 * Other names (opts_aliases: socat's, and max-sessions for max-children)
 * and b9600, cs8 (opts_numbered) count.
 * Returns its enum opt_id index, or -1 when there is no such option.
 */
int
opts_find(const char *name)
{
	int	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < OPT__COUNT; i++) {
		if (opts_name_eq(name, opt_table[i].name))
			return i;
	}
	for (i = 0; i < (int)nitems(opts_aliases); i++) {
		if (opts_name_eq(name, opts_aliases[i].name))
			return opts_aliases[i].id;
	}
	if (opts_numbered(name) != NULL)
		return (name[0] == 'b' || name[0] == 'B') ? OPT_SPEED :
		    OPT_CSIZE;
	return -1;
}

/*
 * Find the option name closest to the misspelt name by edit distance (same
 * closeness rule as addr_type_suggest()). Returns the name (static
 * storage) or NULL when none is close.
 */
const char *
opts_suggest(const char *name)
{
	const char	*best = NULL;
	size_t		 d, bestd = (size_t)-1, len, limit;
	int		 i;

	if (name == NULL || *name == '\0')
		return NULL;
	len = strlen(name);
	if (len > OPTS_NAMEMAX)
		return NULL;
	limit = len / 3 > 2 ? len / 3 : 2;
	for (i = 0; i < OPT__COUNT; i++) {
		d = addr_edit_distance(name, opt_table[i].name);
		if (d < bestd) {
			bestd = d;
			best = opt_table[i].name;
		}
	}
	for (i = 0; i < (int)nitems(opts_aliases); i++) {
		d = addr_edit_distance(name, opts_aliases[i].name);
		if (d < bestd) {
			bestd = d;
			best = opts_aliases[i].name;
		}
	}
	if (best == NULL || bestd > limit || bestd >= len)
		return NULL;
	return best;
}

/*
 * Fill o with the defaults: everything zero and unset, then verify=1,
 * backlog=SOMAXCONN, reuseaddr=1, mode=0 (not set), min-version TLS 1.2
 * (0x0303), type=SOCK_STREAM, max-children=0 (no limit), escape=^]
 * (0x1d, telnet's), unlink-close=1 and pf=AF_UNSPEC.
 */
void
opts_defaults(struct addr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->verify = 1;
	o->backlog = SOMAXCONN;
	o->reuseaddr = 1;
	o->mode = 0;
	o->min_version = 0x0303;
	o->type = SOCK_STREAM;
	o->max_children = 0;
	o->escape = 0x1d;
	o->unlink_close = 1;
	o->pf = AF_UNSPEC;
}

/* Zero the bits of net (len bytes) beyond the first prefix bits. */
static void
opts_cidr_mask(unsigned char *net, size_t len, unsigned prefix)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (prefix >= 8)
			prefix -= 8;
		else {
			net[i] &= (unsigned char)(0xff << (8 - prefix));
			prefix = 0;
		}
	}
}

/*
 * Parse one network "ADDR[/PREFIX]" of len bytes at s into c. Returns 0, or
 * -1 with the reason in errbuf.
 */
static int
opts_cidr_parse(const char *s, size_t len, struct cidr *c, char *errbuf,
    size_t errlen)
{
	char		 buf[OPTS_CIDRMAX];
	char		*slash;
	unsigned long	 prefix;
	unsigned	 maxp;

	if (len == 0) {
		snprintf(errbuf, errlen, "empty network in the list");
		return -1;
	}
	if (len >= sizeof(buf)) {
		snprintf(errbuf, errlen, "'%.40s...': not an IPv4 or IPv6 "
		    "network", s);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(c, 0, sizeof(*c));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (strchr(buf, ':') != NULL) {
		c->family = AF_INET6;
		maxp = 128;
	} else {
		c->family = AF_INET;
		maxp = 32;
	}
	if (inet_pton(c->family, buf, c->net) != 1) {
		if (slash != NULL)
			*slash = '/';
		snprintf(errbuf, errlen, "'%s': not an IPv4 or IPv6 address",
		    buf);
		return -1;
	}
	if (slash == NULL)
		prefix = maxp;
	else if (parse_uint(slash + 1, 0, 128, &prefix) == -1) {
		*slash = '/';
		if (errno == ERANGE)
			snprintf(errbuf, errlen, "'%s': prefix longer than %u",
			    buf, maxp);
		else
			snprintf(errbuf, errlen, "'%s': bad prefix length",
			    buf);
		return -1;
	}
	if (prefix > maxp) {
		*slash = '/';
		snprintf(errbuf, errlen, "'%s': prefix longer than %u", buf,
		    maxp);
		return -1;
	}
	c->prefix = (unsigned)prefix;
	opts_cidr_mask(c->net, c->family == AF_INET ? 4 : 16, c->prefix);
	return 0;
}

/*
 * Parse a '+'-separated list of networks into l (empty on entry). Returns 0,
 * or -1 with the reason in errbuf and l left empty.
 */
static int
opts_cidrs_parse(const char *value, struct cidr_list *l, char *errbuf,
    size_t errlen)
{
	const char	*p = value, *end;
	size_t		 len;

	for (;;) {
		end = strchr(p, '+');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		if (opts_cidr_parse(p, len, &l->v[l->n], errbuf, errlen) == -1) {
			free(l->v);
			l->v = NULL;
			l->n = 0;
			return -1;
		}
		l->n++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

/* Parse a boolean word into *v. Returns 0 or -1. */
static int
opts_bool_parse(const char *s, int *v)
{
	if (strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcasecmp(s, "on") == 0 || strcasecmp(s, "true") == 0)
		*v = 1;
	else if (strcmp(s, "0") == 0 || strcasecmp(s, "no") == 0 ||
	    strcasecmp(s, "off") == 0 || strcasecmp(s, "false") == 0)
		*v = 0;
	else
		return -1;
	return 0;
}

/*
 * Parse an escape key into *v: "none" (-1); caret notation "^A" .. "^_",
 * "^a" .. "^z" and "^?" (0x7f); a byte "0x1d" (one or two hex digits); or
 * one character. telnet's "set escape" takes the same. Returns 0 or -1.
 */
static int
opts_escape_parse(const char *s, int *v)
{
	unsigned long	 n = 0;
	unsigned char	 c;
	int		 d;
	size_t		 i;

	if (strcasecmp(s, "none") == 0) {
		*v = -1;
		return 0;
	}
	if (s[0] != '\0' && s[1] == '\0') {
		*v = (unsigned char)s[0];
		return 0;
	}
	if (s[0] == '^' && s[2] == '\0') {
		c = (unsigned char)s[1];
		if (c == '?')
			*v = 0x7f;
		else if (c >= '@' && c <= '_')
			*v = c - '@';
		else if (c >= 'a' && c <= 'z')
			*v = c - 'a' + 1;
		else
			return -1;
		return 0;
	}
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s[2] == '\0' ||
	    strlen(s) > 4)
		return -1;
	for (i = 2; s[i] != '\0'; i++) {
		if ((d = hexval((unsigned char)s[i])) == -1)
			return -1;
		n = n * 16 + (unsigned long)d;
	}
	*v = (int)n;
	return 0;
}

/* Parse an octal number of at most 12 digits into *v. Returns 0 or -1. */
static int
opts_octal_parse(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long	 n = 0;
	size_t		 i;

	if (*s == '\0' || strlen(s) > 12)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		n = n * 8 + (unsigned long)(s[i] - '0');
	}
	if (n > max)
		return -1;
	*v = n;
	return 0;
}

/*
 * Parse socat's range=: "ADDR/BITS" or "ADDR:MASK" for IPv4, "[V6]/BITS"
 * (or a bare V6/BITS) for IPv6, or socat data "DATA:MASK" (x-prefixed hex
 * or quoted strings, as util.c parse_data() reads) matched against the
 * socket address after its family field, for the generic socket types.
 * Returns 0 with r filled, or -1 with the reason in errbuf.
 */
static int
opts_range_parse(const char *value, struct range *r, char *errbuf,
    size_t errlen)
{
	struct cidr	 c;
	const char	*end, *colon;
	unsigned char	 mask[32];
	size_t		 n, mlen, i;
	char		 buf[OPTS_CIDRMAX];

	memset(r, 0, sizeof(*r));
	if (value[0] == 'x' || value[0] == '"' || value[0] == '\\') {
		if (parse_data(value, r->addr, sizeof(r->addr), &n, ":",
		    &end) == -1 || *end != ':' || parse_data(end + 1, mask,
		    sizeof(mask), &mlen, "", &end) == -1 || *end != '\0' ||
		    mlen != n || n == 0) {
			snprintf(errbuf, errlen, "expects DATA:MASK of the "
			    "same length (socat data: x7f000001)");
			return -1;
		}
		for (i = 0; i < n; i++)
			r->addr[i] &= mask[i];
		memcpy(r->mask, mask, n);
		r->len = n;
		r->family = AF_UNSPEC;
		return 0;
	}
	if (value[0] == '[') {
		/* [V6]/BITS: the brackets go. */
		if ((end = strchr(value, ']')) == NULL ||
		    (size_t)(end - value) >= sizeof(buf)) {
			snprintf(errbuf, errlen, "'%s': missing ']'", value);
			return -1;
		}
		snprintf(buf, sizeof(buf), "%.*s%s", (int)(end - value - 1),
		    value + 1, end + 1);
		value = buf;
	}
	colon = strchr(value, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL &&
	    strchr(value, '/') == NULL) {
		/* ADDR:MASK, IPv4 only. */
		struct in_addr	 a4, m4;
		char		 ab[INET_ADDRSTRLEN];

		if ((size_t)(colon - value) >= sizeof(ab)) {
			snprintf(errbuf, errlen, "'%s': not ADDR:MASK", value);
			return -1;
		}
		memcpy(ab, value, (size_t)(colon - value));
		ab[colon - value] = '\0';
		if (inet_pton(AF_INET, ab, &a4) != 1 ||
		    inet_pton(AF_INET, colon + 1, &m4) != 1) {
			snprintf(errbuf, errlen, "'%s': not an IPv4 "
			    "ADDR:MASK", value);
			return -1;
		}
		r->family = AF_INET;
		r->len = 4;
		memcpy(r->mask, &m4, 4);
		memcpy(r->addr, &a4, 4);
		for (i = 0; i < 4; i++)
			r->addr[i] &= r->mask[i];
		return 0;
	}
	if (opts_cidr_parse(value, strlen(value), &c, errbuf, errlen) == -1)
		return -1;
	r->family = c.family;
	r->len = c.family == AF_INET ? 4 : 16;
	memcpy(r->addr, c.net, r->len);
	for (i = 0; i < r->len; i++) {
		if (c.prefix >= 8)
			r->mask[i] = 0xff;
		else
			r->mask[i] = (unsigned char)(0xff << (8 - c.prefix));
		c.prefix = c.prefix >= 8 ? c.prefix - 8 : 0;
	}
	return 0;
}

/*
 * Check and convert value for option id and store it in o, marking the
 * option set. value is NULL when the option was given without '=': that
 * means 1 for a boolean and is an error for other kinds. Returns 0, or -1
 * with a short reason in errbuf (errlen bytes), o unchanged. The reason
 * names no option and may quote the value as given, control bytes and all:
 * addr_error_format() makes the final message printable.
 */
int
opts_set_value(struct addr_opts *o, int id, const char *value, char *errbuf,
    size_t errlen)
{
	const struct opt_desc	*d;
	char			*field;
	unsigned long		 ul;
	long			 ms;
	int			 b;
	struct cidr_list	 l = { NULL, 0 };
	struct proxy_chain	*pc;

	if (errlen > 0)
		errbuf[0] = '\0';
	if (id < 0 || id >= OPT__COUNT) {
		snprintf(errbuf, errlen, "no such option");
		return -1;
	}
	d = &opt_table[id];
	field = (char *)o + d->field;
	if (value == NULL && d->kind != OK_BOOL) {
		snprintf(errbuf, errlen, "needs a value");
		return -1;
	}
	switch (d->kind) {
	case OK_BOOL:
		if (value == NULL)
			b = 1;
		else if (opts_bool_parse(value, &b) == -1) {
			snprintf(errbuf, errlen, "expects 0 or 1 (or no/yes, "
			    "off/on)");
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		break;
	case OK_UINT:
		if (parse_uint(value, (unsigned long)d->min,
		    (unsigned long)d->max, &ul) == -1) {
			snprintf(errbuf, errlen, "expects a number from %ld to "
			    "%ld", d->min, d->max);
			return -1;
		}
		*(unsigned *)(void *)field = (unsigned)ul;
		break;
	case OK_SIZE:
		if (parse_size(value, (unsigned long)d->min,
		    (unsigned long)d->max, &ul) == -1) {
			snprintf(errbuf, errlen, "expects a size from %ld to %ld "
			    "bytes (suffixes k, m, g)", d->min, d->max);
			return -1;
		}
		*(int *)(void *)field = (int)ul;
		break;
	case OK_MS:
		if (parse_ms(value, &ms) == -1) {
			snprintf(errbuf, errlen, "expects seconds, like 2 or "
			    "0.5");
			return -1;
		}
		if (ms < d->min) {
			snprintf(errbuf, errlen, "expects at least %ld.%03ld "
			    "seconds", d->min / 1000, d->min % 1000);
			return -1;
		}
		*(long *)(void *)field = ms;
		break;
	case OK_STRING:
	case OK_PROXY:
	case OK_USERPASS:
		if (*value == '\0') {
			snprintf(errbuf, errlen, "needs a value");
			return -1;
		}
		if (d->kind == OK_USERPASS && proxy_check_userpass(value,
		    errbuf, errlen) == -1)
			return -1;
		if (d->kind == OK_PROXY) {
			pc = xcalloc(1, sizeof(*pc));
			b = proxy_parse_list(value, pc, errbuf, errlen);
			free(pc);
			if (b == -1)
				return -1;
		}
		free(*(char **)(void *)field);
		*(char **)(void *)field = xstrdup(value);
		break;
	case OK_OCTAL:
		if (opts_octal_parse(value, (unsigned long)d->max, &ul) == -1) {
			snprintf(errbuf, errlen, "expects an octal mode from 0 "
			    "to %lo", (unsigned long)d->max);
			return -1;
		}
		*(unsigned *)(void *)field = (unsigned)ul;
		break;
	case OK_CIDRS:
		if (opts_cidrs_parse(value, &l, errbuf, errlen) == -1)
			return -1;
		free(((struct cidr_list *)(void *)field)->v);
		memcpy(field, &l, sizeof(l));
		break;
	case OK_SOCKTYPE:
		if (strcasecmp(value, "stream") == 0)
			b = SOCK_STREAM;
		else if (strcasecmp(value, "seqpacket") == 0)
			b = SOCK_SEQPACKET;
		else if (strcasecmp(value, "dgram") == 0 ||
		    strcasecmp(value, "datagram") == 0)
			b = SOCK_DGRAM;
		else if (strcasecmp(value, "raw") == 0)
			b = SOCK_RAW;
		else if (parse_uint(value, 1, 10, &ul) == 0)
			b = (int)ul;	/* socat's so-type=5 */
		else {
			snprintf(errbuf, errlen, "expects stream, seqpacket, "
			    "dgram, raw or a number");
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		break;
	case OK_PF:
		if (strcasecmp(value, "ip4") == 0 ||
		    strcasecmp(value, "inet") == 0 ||
		    strcasecmp(value, "inet4") == 0 ||
		    strcasecmp(value, "ipv4") == 0)
			b = AF_INET;
		else if (strcasecmp(value, "ip6") == 0 ||
		    strcasecmp(value, "inet6") == 0 ||
		    strcasecmp(value, "ipv6") == 0)
			b = AF_INET6;
		else if (strcasecmp(value, "unix") == 0 ||
		    strcasecmp(value, "local") == 0)
			b = AF_UNIX;
		else if (parse_uint(value, 0, 255, &ul) == 0)
			b = (int)ul;
		else {
			snprintf(errbuf, errlen, "expects ip4, ip6, unix or a "
			    "number");
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		break;
	case OK_RANGE:
		if (opts_range_parse(value, (struct range *)(void *)field,
		    errbuf, errlen) == -1)
			return -1;
		break;
	case OK_TLSVER:
		if (strcmp(value, "1.2") == 0 ||
		    strcasecmp(value, "tls1.2") == 0 ||
		    strcasecmp(value, "tlsv1.2") == 0)
			b = 0x0303;
		else if (strcmp(value, "1.3") == 0 ||
		    strcasecmp(value, "tls1.3") == 0 ||
		    strcasecmp(value, "tlsv1.3") == 0)
			b = 0x0304;
		else {
			snprintf(errbuf, errlen, "expects 1.2 or 1.3");
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		break;
	case OK_ESCAPE:
		if (opts_escape_parse(value, &b) == -1) {
			snprintf(errbuf, errlen, "expects a key like ^] or ^A, "
			    "a byte like 0x1d, or none");
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		break;
	}
	o->set[id / 64] |= (uint64_t)1 << (id % 64);
	return 0;
}

/* Returns 1 when option id was given in the address, else 0. */
int
opts_isset(const struct addr_opts *o, int id)
{
	if (id < 0 || id >= OPT__COUNT)
		return 0;
	return (o->set[id / 64] >> (id % 64)) & 1;
}

/*
 * Free the strings and the allow= list held by o and reset those fields
 * to NULL/empty; safe to call twice.
 */
void
opts_free(struct addr_opts *o)
{
	char	**sp;
	int	 i;

	for (i = 0; i < OPT__COUNT; i++) {
		if (opt_table[i].kind != OK_STRING &&
		    opt_table[i].kind != OK_PROXY &&
		    opt_table[i].kind != OK_USERPASS)
			continue;
		sp = (char **)(void *)((char *)o + opt_table[i].field);
		free(*sp);
		*sp = NULL;
	}
	free(o->allow.v);
	o->allow.v = NULL;
	o->allow.n = 0;
}

/* Returns 1 when the first c->prefix bits of addr equal c's network. */
static int
opts_cidr_has(const struct cidr *c, const unsigned char *addr)
{
	unsigned	 full = c->prefix / 8, rest = c->prefix % 8;
	unsigned char	 mask;

	if (memcmp(c->net, addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (addr[full] & mask) == c->net[full];
}

/*
 * Check the peer address sa (AF_INET or AF_INET6) against the allow= list.
 * An IPv4-mapped IPv6 peer (::ffff:a.b.c.d) also matches IPv4 networks, and
 * an IPv4 peer also matches IPv6 networks by its mapped form. Returns 1
 * when it matches a network, or when the list is empty (no allow= given,
 * so every peer is allowed); 0 when it matches none or is not an IP address.
 */
int
opts_cidr_match(const struct cidr_list *l, const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	unsigned char			 v4[4], v6[16];
	int				 has4 = 0, has6 = 0;
	size_t				 i;

	if (l == NULL || l->n == 0)
		return 1;
	if (sa == NULL)
		return 0;
	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)(const void *)sa;
		memcpy(v4, &sin->sin_addr, 4);
		memset(v6, 0, 10);
		v6[10] = v6[11] = 0xff;
		memcpy(v6 + 12, v4, 4);
		has4 = has6 = 1;
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(v6, &sin6->sin6_addr, 16);
		has6 = 1;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(v4, v6 + 12, 4);
			has4 = 1;
		}
		break;
	default:
		return 0;
	}
	for (i = 0; i < l->n; i++) {
		if (l->v[i].family == AF_INET && has4 &&
		    opts_cidr_has(&l->v[i], v4))
			return 1;
		if (l->v[i].family == AF_INET6 && has6 &&
		    opts_cidr_has(&l->v[i], v6))
			return 1;
	}
	return 0;
}

/* Whether the len bytes of b, masked by mask, equal a. */
static int
opts_masked_eq(const unsigned char *a, const unsigned char *b,
    const unsigned char *mask, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((b[i] & mask[i]) != a[i])
			return 0;
	return 1;
}

/*
 * Whether peer sa (len bytes) may talk to address a: allow=, range=,
 * sourceport= and lowport= (socat's RANGE group: a listener closes such a
 * peer, a receiver drops its datagrams). An IPv4-mapped IPv6 peer is
 * checked as IPv4. Returns 1, or 0 with the reason in why (whylen bytes)
 * for the -v line.
 */
int
opts_peer_ok(const struct addr *a, const struct sockaddr *sa, socklen_t len,
    char *why, size_t whylen)
{
	const struct range		*r = &a->opts.range;
	const struct sockaddr_in	*sin = (const void *)sa;
	const struct sockaddr_in6	*sin6 = (const void *)sa;
	const unsigned char		*ip = NULL;
	size_t				 iplen = 0, off;
	unsigned			 port = 0;
	int				 has_port = 0;

	if (sa->sa_family == AF_INET) {
		ip = (const unsigned char *)&sin->sin_addr;
		iplen = 4;
		port = ntohs(sin->sin_port);
		has_port = 1;
	} else if (sa->sa_family == AF_INET6) {
		ip = sin6->sin6_addr.s6_addr;
		iplen = 16;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			ip += 12;
			iplen = 4;
		}
		port = ntohs(sin6->sin6_port);
		has_port = 1;
	}
	if (ip != NULL && !opts_cidr_match(&a->opts.allow, sa)) {
		snprintf(why, whylen, "not in the allow= list");
		return 0;
	}
	if (r->len > 0) {
		off = offsetof(struct sockaddr, sa_data);
		if (r->family == AF_UNSPEC ? (len < off + r->len ||
		    !opts_masked_eq(r->addr, (const unsigned char *)sa + off,
		    r->mask, r->len)) : (ip == NULL || iplen != r->len ||
		    !opts_masked_eq(r->addr, ip, r->mask, r->len))) {
			snprintf(why, whylen, "not in range=");
			return 0;
		}
	}
	if (opts_isset(&a->opts, OPT_SOURCEPORT) &&
	    (!has_port || port != a->opts.sourceport)) {
		snprintf(why, whylen, "source port %u is not sourceport=%u",
		    port, a->opts.sourceport);
		return 0;
	}
	if (a->opts.lowport && (!has_port || port >= 1024)) {
		snprintf(why, whylen, "source port %u is not below 1024 "
		    "(lowport)", port);
		return 0;
	}
	return 1;
}

/* Returns the address family of socket fd, or -1 with errno. */
static int
opts_sock_family(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	return ss.ss_family;
}

/*
 * Make the setsockopt(2) calls of phase (PH_SOCKET, PH_CONNECTED) on socket
 * fd for address a: every sockopt row of that phase whose groups meet the
 * type's groups and that was given in the address; on listeners (and
 * recvfrom types) reuseaddr is applied with its default 1 when not given;
 * ipv6only only on AF_INET6 sockets; an IPv4-level row that an IPv6 socket
 * refuses is skipped. Returns 0, or -1 after warn(3)
 * "ADDR: setsockopt NAME" on the first failure.
 */
int
opts_apply(int fd, const struct addr *a, int phase)
{
	const struct opt_desc	*d;
	int			 i, v;

	if (a == NULL || a->type == NULL)
		return 0;
	for (i = 0; i < OPT__COUNT; i++) {
		d = &opt_table[i];
		if (d->phase == 0 || d->phase != phase ||
		    (d->groups & a->type->groups) == 0)
			continue;
		/* reuseaddr is on by default on listeners only. */
		if (!opts_isset(&a->opts, i) && (i != OPT_REUSEADDR ||
		    !(a->type->flags & (AT_LISTEN | AT_RECVFROM))))
			continue;
		if (i == OPT_IPV6ONLY && opts_sock_family(fd) != AF_INET6)
			continue;
		memcpy(&v, (const char *)&a->opts + d->field, sizeof(v));
		if (setsockopt(fd, d->level, d->optname, &v, sizeof(v)) == -1) {
			/* IPv4 options on an IPv6 socket: for mapped peers. */
			if (d->level == IPPROTO_IP &&
			    opts_sock_family(fd) != AF_INET)
				continue;
			warn("%s: setsockopt %s", a->text, d->name);
			return -1;
		}
	}
	return 0;
}

/*
 * Print to fp one help line per option whose groups meet `groups`:
 * "  name[=VALUE]" padded to column 26, then its help, within 79 columns.
 */
void
opts_help(FILE *fp, uint64_t groups)
{
	char	 left[64], also[160], text[320];
	size_t	 k, n;
	int	 i;

	for (i = 0; i < OPT__COUNT; i++) {
		if ((opt_table[i].groups & groups) == 0)
			continue;
		snprintf(left, sizeof(left), "  %s%s", opt_table[i].name,
		    opts_metavar[i]);
		also[0] = '\0';
		for (k = 0, n = 0; k < nitems(opts_aliases); k++) {
			if (opts_aliases[k].id != i)
				continue;
			snprintf(also + strlen(also), sizeof(also) -
			    strlen(also), "%s%s", n++ ? ", " : " (also ",
			    opts_aliases[k].name);
		}
		snprintf(text, sizeof(text), "%s%s%s", opt_table[i].help,
		    also, n > 0 ? ")" : "");
		print_help_line(fp, 26, left, text, NULL);
	}
}
