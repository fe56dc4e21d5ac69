#!/bin/sh
# Writes plumb's shell completion for bash, zsh or fish from the binary's
# own help: `plumb --help` lists the commands, `plumb CMD --help` the
# options of each (printed from the option table that also parses them),
# so a completion cannot drift from the command line it completes.
# usage: completions.sh bash|zsh|fish|man PLUMB >FILE
# (man: the OPTIONS section of plumb(1), one subsection per command)
#
# Arguments complete by their name in the help: FORMAT, LEVEL and WHEN
# offer the values the help lists ("text, json or sarif"); RULE|FAMILY
# the ids and families of `plumb rules`; REF git refs; the rest files.
set -eu
shell=$1
plumb=$2

commands=$("$plumb" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')

# options_raw CMD: "long;short;ARG;help" per option, --help excluded
options_raw() {
	"$plumb" "$1" --help 2>/dev/null | sed -n '/^options:/,$p' |
		sed -n 's/^  \(-\(.\), \)\{0,1\} *--\([a-z][a-z-]*\)\( \([^ ]*\)\)\{0,1\}  *\(.*\)$/\3;\2;\5;\6/p' |
		grep -v '^help;' || true
}

# options CMD: "long;short;ARG;values" per option
options() {
	options_raw "$1" |
		while IFS=';' read -r long short arg help; do
			values=""
			case $arg in
			FORMAT | LEVEL | WHEN)
				values=$(printf '%s\n' "$help" |
					sed 's/[:(;].*//; s/,/ /g; s/ or / /g' |
					tr -s ' ' | sed 's/^ //; s/ $//') ;;
			esac
			printf '%s;%s;%s;%s\n' "$long" "$short" "$arg" "$values"
		done
}

case $shell in
bash)
	echo "# bash completion for plumb, generated from plumb's --help (ci/completions.sh)"
	echo "_plumb() {"
	echo "	local cur prev"
	echo "	cur=\${COMP_WORDS[COMP_CWORD]}"
	echo "	prev=\${COMP_WORDS[COMP_CWORD-1]}"
	echo "	if [ \"\$COMP_CWORD\" -eq 1 ]; then"
	echo "		COMPREPLY=(\$(compgen -W \"$(echo $commands) --help\" -- \"\$cur\"))"
	echo "		return"
	echo "	fi"
	echo "	case \"\${COMP_WORDS[1]}\" in"
	for c in $commands; do
		opts=$(options "$c")
		echo "	$c)"
		echo "		case \"\$prev\" in"
		printf '%s\n' "$opts" | while IFS=';' read -r long short arg values; do
			[ -n "$long" ] && [ -n "$arg" ] || continue
			pat="--$long"
			if [ -n "$short" ]; then pat="$pat | -$short"; fi
			case $arg in
			FORMAT | LEVEL | WHEN) act="COMPREPLY=(\$(compgen -W \"$values\" -- \"\$cur\"))" ;;
			RULE*) act="COMPREPLY=(\$(compgen -W \"\$(plumb rules 2>/dev/null | cut -d' ' -f1 | sed 'p; s|/.*|/|' | sort -u)\" -- \"\$cur\"))" ;;
			REF) act="COMPREPLY=(\$(compgen -W \"\$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD\" -- \"\$cur\"))" ;;
			N) act="COMPREPLY=()" ;;
			*) act="COMPREPLY=(\$(compgen -f -- \"\$cur\"))" ;;
			esac
			echo "		$pat) $act; return ;;"
		done
		echo "		esac"
		words=$(printf '%s\n' "$opts" | while IFS=';' read -r long short arg values; do
			if [ -n "$long" ]; then printf -- '--%s ' "$long"; fi
			if [ -n "$short" ]; then printf -- '-%s ' "$short"; fi
		done)
		echo "		if [[ \"\$cur\" == -* ]]; then"
		echo "			COMPREPLY=(\$(compgen -W \"${words}--help\" -- \"\$cur\"))"
		if [ "$c" = explain ]; then
			echo "		else"
			echo "			COMPREPLY=(\$(compgen -W \"\$(plumb rules 2>/dev/null | cut -d' ' -f1)\" -- \"\$cur\"))"
		else
			echo "		else"
			echo "			COMPREPLY=(\$(compgen -f -- \"\$cur\"))"
		fi
		echo "		fi ;;"
	done
	echo "	esac"
	echo "}"
	echo "complete -F _plumb plumb"
	;;
zsh)
	echo "#compdef plumb"
	echo "# zsh completion for plumb, generated from plumb's --help (ci/completions.sh)"
	echo "_plumb_rules() { compadd -- \${(f)\"\$(plumb rules 2>/dev/null | cut -d' ' -f1)\"} }"
	echo "_plumb_refs() { compadd -- HEAD \${(f)\"\$(git for-each-ref --format='%(refname:short)' 2>/dev/null)\"} }"
	echo "_plumb() {"
	echo "	if (( CURRENT == 2 )); then"
	echo "		compadd -- $(echo $commands)"
	echo "		return"
	echo "	fi"
	echo "	case \$words[2] in"
	for c in $commands; do
		echo "	$c)"
		printf '		_arguments -s'
		options "$c" | while IFS=';' read -r long short arg values; do
			[ -n "$long" ] || continue
			label=$(printf '%s' "$arg" | tr -d ':[].|' | tr 'A-Z' 'a-z')
			case $arg in
			"") spec="" ;;
			FORMAT | LEVEL | WHEN) spec=":$label:($values)" ;;
			RULE*) spec=":rule:_plumb_rules" ;;
			REF) spec=":ref:_plumb_refs" ;;
			N) spec=":$label:" ;;
			*) spec=":$label:_files" ;;
			esac
			if [ -n "$short" ]; then
				printf " \\\\\n			'(-%s --%s)'{-%s,--%s}'%s'" "$short" "$long" "$short" "$long" "$spec"
			else
				printf " \\\\\n			'--%s%s'" "$long" "$spec"
			fi
		done
		if [ "$c" = explain ]; then
			printf " \\\\\n			'*:rule:_plumb_rules' ;;\n"
		else
			printf " \\\\\n			'*:file:_files' ;;\n"
		fi
	done
	echo "	esac"
	echo "}"
	echo "_plumb \"\$@\""
	;;
fish)
	echo "# fish completion for plumb, generated from plumb's --help (ci/completions.sh)"
	echo "complete -c plumb -f -n '__fish_use_subcommand' -a '$(echo $commands)'"
	for c in $commands; do
		options "$c" | while IFS=';' read -r long short arg values; do
			[ -n "$long" ] || continue
			line="complete -c plumb -n '__fish_seen_subcommand_from $c' -l $long"
			if [ -n "$short" ]; then line="$line -s $short"; fi
			case $arg in
			"") ;;
			FORMAT | LEVEL | WHEN) line="$line -x -a '$values'" ;;
			RULE*) line="$line -x -a '(plumb rules 2>/dev/null | string split -f1 \" \")'" ;;
			REF) line="$line -x -a '(git for-each-ref --format=\"%(refname:short)\" 2>/dev/null) HEAD'" ;;
			N) line="$line -x" ;;
			*) line="$line -r -F" ;;
			esac
			echo "$line"
		done
	done
	;;
man)
	echo ".SH OPTIONS"
	for c in $commands; do
		opts=$(options_raw "$c")
		[ -n "$opts" ] || continue
		echo ".SS plumb $c"
		printf '%s\n' "$opts" | while IFS=';' read -r long short arg help; do
			[ -n "$long" ] || continue
			echo ".TP"
			flag="\\-\\-$(printf '%s' "$long" | sed 's/-/\\-/g')"
			if [ -n "$short" ]; then flag="\\-$short \", \" $flag"; fi
			if [ -n "$arg" ]; then
				printf '.BR %s " %s"\n' "$flag" "$arg"
			else
				printf '.BR %s\n' "$flag"
			fi
			printf '%s\n' "$help" | sed 's/\\/\\e/g; s/^\./\\\&./'
		done
	done
	;;
*)
	echo "usage: completions.sh bash|zsh|fish|man PLUMB" >&2
	exit 2
	;;
esac
