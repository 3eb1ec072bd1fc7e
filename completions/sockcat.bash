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
	- stdio echo
	tcp: tcp-listen: udp: udp-listen:
	unix: unix-listen: abstract: abstract-listen:
	raw: raw-listen:
	tls: tls-listen:
	socks5: proxy: socks5-listen: proxy-listen:
	ws: ws-listen: wss: wss-listen:
	exec: system: open: create:
	telnet:
)

# Aliases (lower case) and the type whose options they take.
declare -A _sockcat_alias=(
	[stdio]=-
	[tcp-connect]=tcp [tcp4]=tcp [tcp6]=tcp
	[tcp-l]=tcp-listen [tcp4-l]=tcp-listen [tcp4-listen]=tcp-listen
	[tcp6-l]=tcp-listen [tcp6-listen]=tcp-listen
	[udp-connect]=udp [udp4]=udp [udp6]=udp
	[udp-l]=udp-listen [udp4-l]=udp-listen [udp4-listen]=udp-listen
	[udp6-l]=udp-listen [udp6-listen]=udp-listen
	[unix-connect]=unix [unix-client]=unix [unix-l]=unix-listen
	[abstract-connect]=abstract [abstract-client]=abstract
	[abstract-l]=abstract-listen
	[ssl]=tls [openssl]=tls [openssl-connect]=tls
	[tls-l]=tls-listen [ssl-l]=tls-listen [ssl-listen]=tls-listen
	[openssl-l]=tls-listen [openssl-listen]=tls-listen
	[ip-sendto]=raw [ip-recvfrom]=raw-listen
	[file]=open [pipe]=echo
	[socks4]=socks5 [socks4a]=socks5 [socks5-connect]=socks5
	[proxy-connect]=proxy
	[ws-l]=ws-listen [wss-l]=wss-listen
)

# Options each type accepts; "name=" when the option takes a value.
_sockcat_o_tls='cert= key= cafile= capath= verify= alpn= min-version= ciphers='
_sockcat_o_tcp='crlf rcvbuf= sndbuf= bind= nodelay keepalive connect-timeout= retry= interval='
_sockcat_o_tcpl='crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= broker chat reuseaddr= backlog= allow= ipv6only='
_sockcat_o_proxy='proxy= proxy-cafile= proxyauth= proxyport= socksport='
_sockcat_o_ws='text binary protocol= header= origin= ping= max-message='
declare -A _sockcat_opts=(
	[-]='crlf escape= history= noedit prompt='
	[echo]='crlf'
	[exec]='crlf'
	[system]='crlf'
	[open]='crlf'
	[create]='crlf'
	[tcp]="$_sockcat_o_tcp $_sockcat_o_proxy telnet"
	[telnet]="$_sockcat_o_tcp $_sockcat_o_proxy"
	[tcp-listen]="$_sockcat_o_tcpl"
	[udp]='crlf rcvbuf= sndbuf= bind='
	[udp-listen]='crlf rcvbuf= sndbuf= bind= fork max-children= reuseaddr= backlog= allow= ipv6only='
	[unix]='crlf rcvbuf= sndbuf= connect-timeout= retry= interval='
	[unix-listen]='crlf rcvbuf= sndbuf= fork max-children= workers= broker chat backlog= unlink-early mode= type='
	[abstract]='crlf rcvbuf= sndbuf= connect-timeout= retry= interval='
	[abstract-listen]='crlf rcvbuf= sndbuf= fork max-children= workers= broker chat backlog= type='
	[raw]='crlf rcvbuf= sndbuf= bind= iphdr'
	[raw-listen]='crlf rcvbuf= sndbuf= bind= iphdr'
	[tls]="$_sockcat_o_tcp $_sockcat_o_tls sni= $_sockcat_o_proxy"
	[tls-listen]="$_sockcat_o_tcpl $_sockcat_o_tls"
	[socks5]="$_sockcat_o_tcp $_sockcat_o_proxy"
	[proxy]="$_sockcat_o_tcp $_sockcat_o_proxy"
	[socks5-listen]='crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= reuseaddr= backlog= allow= ipv6only= auth='
	[proxy-listen]='crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= reuseaddr= backlog= allow= ipv6only= auth='
	[ws]="$_sockcat_o_tcp $_sockcat_o_ws $_sockcat_o_proxy"
	[ws-listen]="$_sockcat_o_tcpl $_sockcat_o_ws path="
	[wss]="$_sockcat_o_tcp $_sockcat_o_tls sni= $_sockcat_o_ws $_sockcat_o_proxy"
	[wss-listen]="$_sockcat_o_tcpl $_sockcat_o_tls $_sockcat_o_ws path="
)
unset _sockcat_o_tls _sockcat_o_tcp _sockcat_o_tcpl _sockcat_o_proxy _sockcat_o_ws

_sockcat_flags='-4 -6 -b -d -h -t -T -u -U -v -V -x -z --help --version'

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
	-b|-t|-T)
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
