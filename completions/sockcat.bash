# sockcat.bash: bash completion for sockcat(1).
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# Completes flags, address types (tcp-l -> tcp-listen:), after a comma the
# options that the address type accepts (SPEC section 5), and file names after
# unix:, unix-listen:, open:, create:, cert=, key=, cafile=, capath= and
# proxy-cafile= and history=.
# Works with or without the bash-completion package, whatever COMP_WORDBREAKS
# holds: the word under the cursor is taken from COMP_LINE itself.

# Address types: "name:" when the type takes parameters.
_sockcat_types=(
	- abstract: abstract-listen: abstract-recv: abstract-recvfrom:
	abstract-sendto: create: dtls: dtls-listen: echo exec: gopen: open: proxy:
	proxy-listen: pty raw: raw-listen: socket-connect: socket-datagram:
	socket-listen: socket-recv: socket-recvfrom: socket-sendto: socks5:
	socks5-listen: stderr stdin stdio stdout system: tcp: tcp-listen: telnet:
	tls: tls-listen: udp: udp-datagram: udp-listen: udp-recv: udp-recvfrom:
	udp-sendto: unix: unix-listen: unix-recv: unix-recvfrom: unix-sendto: ws:
	ws-listen: wss: wss-listen:
)

# Aliases (lower case) and the type whose options they take.
declare -A _sockcat_alias=(
	[abstract-client]=abstract [abstract-connect]=abstract
	[abstract-l]=abstract-listen [openssl-dtls-client]=dtls
	[openssl-dtls-connect]=dtls [openssl-dtls-listen]=dtls-listen
	[openssl-dtls-server]=dtls-listen [pipe]=echo [file]=open
	[proxy-connect]=proxy [ip-sendto]=raw [ip-recvfrom]=raw-listen
	[socks4]=socks5 [socks4a]=socks5 [socks5-connect]=socks5 [stdio]=-
	[tcp-connect]=tcp [tcp4]=tcp [tcp4-connect]=tcp [tcp6]=tcp
	[tcp6-connect]=tcp [tcp-l]=tcp-listen [tcp4-l]=tcp-listen
	[tcp4-listen]=tcp-listen [tcp6-l]=tcp-listen [tcp6-listen]=tcp-listen
	[openssl]=tls [openssl-connect]=tls [ssl]=tls [openssl-l]=tls-listen
	[openssl-listen]=tls-listen [ssl-l]=tls-listen [ssl-listen]=tls-listen
	[tls-l]=tls-listen [udp-connect]=udp [udp4]=udp [udp4-connect]=udp
	[udp6]=udp [udp6-connect]=udp [udp4-datagram]=udp-datagram
	[udp6-datagram]=udp-datagram [udp-l]=udp-listen [udp4-l]=udp-listen
	[udp4-listen]=udp-listen [udp6-l]=udp-listen [udp6-listen]=udp-listen
	[udp4-recv]=udp-recv [udp6-recv]=udp-recv [udp4-recvfrom]=udp-recvfrom
	[udp6-recvfrom]=udp-recvfrom [udp4-sendto]=udp-sendto
	[udp6-sendto]=udp-sendto [unix-client]=unix [unix-connect]=unix
	[unix-l]=unix-listen [unix-send]=unix-sendto [ws-l]=ws-listen
	[wss-l]=wss-listen
)

# Options each type accepts; "name=" when the option takes a value.
declare -A _sockcat_opts=(
	[abstract]='bind= connect-timeout= crlf forever interval= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type='
	[abstract-listen]='accept-timeout= backlog= bind= broker chat crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user= workers='
	[abstract-recv]='bind= crlf forever interval= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type='
	[abstract-recvfrom]='bind= crlf forever fork interval= max-children= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type='
	[abstract-sendto]='bind= crlf null-eof rcvbuf= reuseaddr= shut-null sndbuf= type='
	[create]='clocal= crlf crtscts= csize= echo= ignoreeof mode= o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw speed= unlink-close= unlink-early user='
	[dtls]='alpn= bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= key= max-version= min-version= null-eof pf= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= verify='
	[dtls-listen]='accept-timeout= allow= alpn= backlog= bind= cafile= capath= cert= ciphers= commonname= compress= crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= key= lowport max-children= max-version= min-version= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= verify='
	[echo]='crlf'
	[exec]='clocal= crlf crtscts= csize= ctty echo= end-close fdin= fdout= nofork opost= parenb= pipes pty raw setsid speed= stderr'
	[gopen]='bind= clocal= crlf crtscts= csize= echo= ignoreeof mode= null-eof o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw rcvbuf= reuseaddr= shut-null sndbuf= speed= type= unlink-close= unlink-early user='
	[open]='clocal= crlf crtscts= csize= echo= ignoreeof mode= o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw speed= unlink-close= unlink-early user='
	[proxy]='bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser='
	[proxy-listen]='accept-timeout= allow= auth= backlog= bind= crlf fork ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= nodelay null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= workers='
	[pty]='clocal= crlf crtscts= csize= echo= link= mode= opost= parenb= raw speed= unlink-close= unlink-early user= wait-slave'
	[raw]='bind= crlf ip-options= ip-tos= ip-ttl= iphdr null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf='
	[raw-listen]='bind= crlf ip-options= ip-tos= ip-ttl= iphdr null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf='
	[socket-connect]='bind= connect-timeout= crlf forever interval= null-eof pf= protocol= rcvbuf= retry= reuseaddr= shut-null sndbuf= type='
	[socket-datagram]='bind= crlf lowport null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type='
	[socket-listen]='accept-timeout= backlog= bind= crlf forever fork interval= lowport max-children= null-eof pf= protocol= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= type='
	[socket-recv]='bind= crlf lowport null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type='
	[socket-recvfrom]='bind= crlf fork lowport max-children= null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type='
	[socket-sendto]='bind= crlf null-eof pf= protocol= rcvbuf= reuseaddr= shut-null sndbuf= type='
	[socks5]='bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser='
	[socks5-listen]='accept-timeout= allow= auth= backlog= bind= crlf fork ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= nodelay null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= workers='
	[stderr]='clocal= crlf crtscts= csize= echo= opost= parenb= raw speed='
	[stdin]='clocal= crlf crtscts= csize= echo= opost= parenb= raw speed='
	[-]='clocal= crlf crtscts= csize= echo= escape= history= noedit opost= parenb= prompt= raw speed='
	[stdout]='clocal= crlf crtscts= csize= echo= opost= parenb= raw speed='
	[system]='clocal= crlf crtscts= csize= ctty echo= end-close fdin= fdout= nofork opost= parenb= pipes pty raw setsid speed= stderr'
	[tcp]='bind= connect-timeout= crlf forever fork interval= ip-options= ip-tos= ip-ttl= keepalive max-children= nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser= telnet'
	[tcp-listen]='accept-timeout= allow= backlog= bind= broker chat crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= keepalive lowport max-children= nodelay null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= workers='
	[telnet]='bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser='
	[tls]='alpn= bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever fork interval= ip-options= ip-tos= ip-ttl= keepalive key= max-children= max-version= min-version= nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= socksport= socksuser= verify='
	[tls-listen]='accept-timeout= allow= alpn= backlog= bind= broker cafile= capath= cert= chat ciphers= commonname= compress= crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= keepalive key= lowport max-children= max-version= min-version= nodelay null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= verify= workers='
	[udp]='bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp'
	[udp-datagram]='bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= lowport null-eof pf= range= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp sourceport='
	[udp-listen]='accept-timeout= allow= backlog= bind= broadcast crlf forever fork interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport max-children= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport='
	[udp-recv]='allow= bind= broadcast crlf forever interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport='
	[udp-recvfrom]='allow= bind= broadcast crlf forever fork interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport max-children= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport='
	[udp-sendto]='bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp'
	[unix]='bind= connect-timeout= crlf forever interval= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user='
	[unix-listen]='accept-timeout= backlog= bind= broker chat crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user= workers='
	[unix-recv]='bind= crlf forever interval= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user='
	[unix-recvfrom]='bind= crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user='
	[unix-sendto]='bind= crlf mode= null-eof rcvbuf= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user='
	[ws]='binary bind= connect-timeout= crlf forever header= interval= ip-options= ip-tos= ip-ttl= keepalive max-message= nodelay null-eof origin= pf= ping= protocol= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser= text'
	[ws-listen]='accept-timeout= allow= backlog= binary bind= broker chat crlf fork header= ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= max-message= nodelay null-eof origin= path= pf= ping= protocol= rcvbuf= reuseaddr= shut-null sndbuf= text workers='
	[wss]='alpn= binary bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever header= interval= ip-options= ip-tos= ip-ttl= keepalive key= max-message= max-version= min-version= nodelay null-eof origin= pf= ping= protocol= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= socksport= socksuser= text verify='
	[wss-listen]='accept-timeout= allow= alpn= backlog= binary bind= broker cafile= capath= cert= chat ciphers= commonname= compress= crlf fork header= ip-options= ip-tos= ip-ttl= ipv6only= keepalive key= max-children= max-message= max-version= min-version= nodelay null-eof origin= path= pf= ping= protocol= rcvbuf= reuseaddr= shut-null sndbuf= text verify= workers='
)

_sockcat_flags='-4 -6 -b -d -h -s -t -T -u -U -v -V -x -z -lf -lp -ls -lu -lh -lm -ly --help --version'

# _sockcat_add PREFIX WORD...: add PREFIX+WORD for each WORD to the replies.
_sockcat_add()
{
	local prefix=$1 w
	shift
	for w in "$@"; do
		_sockcat_reply+=("$prefix$w")
	done
}

# _sockcat_files PREFIX PATH [dirs]: file (or directory) names starting with
# PATH, each after PREFIX; directories end in '/'.
_sockcat_files()
{
	local prefix=$1 path=$2 f
	local -a found
	if [[ ${3-} == dirs ]]; then
		mapfile -t found < <(compgen -d -- "$path")
	else
		mapfile -t found < <(compgen -f -- "$path")
	fi
	for f in "${found[@]}"; do
		[[ -d $f && $f != */ ]] && f+=/
		_sockcat_reply+=("$prefix$f")
	done
}

# _sockcat_address WORD: the completions of a (partial) address.
_sockcat_address()
{
	local cur=$1 type lctype prefix last name value w lw
	local -a opts

	if [[ $cur != *[:,]* ]]; then
		# The type itself, case-insensitive; upper case stays upper.
		for w in "${_sockcat_types[@]}"; do
			[[ $w == "${cur,,}"* ]] || continue
			if [[ -n $cur && $cur == "${cur^^}" && $cur != "${cur,,}" ]]
			then
				w=${w^^}
			fi
			_sockcat_reply+=("$w")
		done
		return
	fi

	type=${cur%%[:,]*}
	lctype=${type,,}
	[[ -n $lctype && -n ${_sockcat_alias[$lctype]-} ]] &&
	    lctype=${_sockcat_alias[$lctype]}

	if [[ $cur != *,* ]]; then
		# The parameters: file names for the types that take a path.
		case $lctype in
		unix|unix-listen|open|create)
			_sockcat_files "$type:" "${cur#*:}"
			;;
		esac
		return
	fi

	# An option after the last comma.
	prefix=${cur%,*},
	last=${cur##*,}
	read -r -a opts <<<"${_sockcat_opts[$lctype]-}"
	if [[ $last == *=* ]]; then
		name=${last%%=*}
		value=${last#*=}
		prefix+="$name="
		case $name in
		cert|key|cafile|proxy-cafile|history)
			_sockcat_files "$prefix" "$value"
			;;
		capath)
			_sockcat_files "$prefix" "$value" dirs
			;;
		verify|reuseaddr|ipv6only|noedit|telnet)
			_sockcat_add "$prefix" 0 1
			;;
		escape)
			_sockcat_add "$prefix" '^]' '^A' none
			;;
		min-version)
			_sockcat_add "$prefix" 1.2 1.3
			;;
		type)
			_sockcat_add "$prefix" stream seqpacket dgram
			;;
		esac
		for w in "${!_sockcat_reply[@]}"; do
			[[ ${_sockcat_reply[w]} == "$prefix$value"* ]] ||
			    unset '_sockcat_reply[w]'
		done
		return
	fi
	lw=${last,,}
	for w in "${opts[@]}"; do
		[[ $w == "$lw"* ]] && _sockcat_reply+=("$prefix$w")
	done
}

_sockcat()
{
	local line cur prev bcur w strip
	local -a _sockcat_reply=()

	# The whole word under the cursor, ignoring COMP_WORDBREAKS (which
	# splits "tcp:host:80" at every ':' and '=').
	line=${COMP_LINE:0:COMP_POINT}
	cur=${line##*[[:space:]]}
	line=${line%"$cur"}
	line=${line%"${line##*[![:space:]]}"}
	prev=${line##*[[:space:]]}
	COMPREPLY=()

	case $prev in
	-b|-t|-T|-lf|-lp)
		return 0
		;;
	-h|--help)
		if [[ options == "$cur"* ]]; then
			COMPREPLY=(options)
			return 0
		fi
		;;
	esac

	if [[ $cur == -* ]]; then
		# A lone "-" is also the stdio address.
		[[ $cur == - ]] && _sockcat_reply+=(-)
		for w in $_sockcat_flags; do
			[[ $w == "$cur"* ]] && _sockcat_reply+=("$w")
		done
		COMPREPLY=("${_sockcat_reply[@]}")
		return 0
	fi

	_sockcat_address "$cur"
	# Address words go on after the completion (":", ",", "="), so no
	# space is added; a finished type such as "echo" gets none either.
	compopt -o nospace 2>/dev/null

	# Bash replaces only its own current word, the part of `cur` after the
	# last COMP_WORDBREAKS character: strip what comes before it.
	bcur=${COMP_WORDS[COMP_CWORD]}
	strip=0
	if [[ $cur == *"$bcur" ]]; then
		strip=$((${#cur} - ${#bcur}))
	fi
	for w in "${_sockcat_reply[@]}"; do
		COMPREPLY+=("${w:strip}")
	done
	return 0
}

complete -F _sockcat sockcat
