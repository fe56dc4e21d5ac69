#!/bin/sh
# `make install DESTDIR=...`: what lands where, and that the man page and
# the bash, zsh and fish completions name every option of every command's
# --help (they are generated from it; this proves the generation covers
# each one). The shells check their completion's syntax when installed.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

dest="$tmp/dest dir"
if sh ci/install.sh "$dest" /usr/local "$PLUMB" >"$tmp/out" 2>&1; then
	ok
else
	bad "install.sh: $(cat "$tmp/out")"
	# make dist: a tarball of HEAD that names its commit without git
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
	unset MAKEFLAGS MFLAGS MAKELEVEL
	if make -s --no-print-directory dist DIST_DIR="$tmp" >"$tmp/dist.out" 2>&1; then
		ok
	else
		bad "make dist: $(cat "$tmp/dist.out")"
	fi
	tarball=$(ls "$tmp"/plumb-*.tar.gz 2>/dev/null | head -1)
	tar -tzf "$tarball" >"$tmp/list" 2>/dev/null
	grep -qx 'plumb-[0-9.]*/Makefile' "$tmp/list" && ok || bad "the tarball holds the Makefile"
	grep -qx 'plumb-[0-9.]*/.commit' "$tmp/list" && ok || bad "the tarball records its commit"
	[ "$(tar -xzOf "$tarball" --wildcards 'plumb-*/.commit' 2>/dev/null)" = "$(git describe --always --exclude='*' HEAD)" ] &&
		ok || bad "the recorded commit is HEAD's"
fi

echo "install: $n checks, $fails failed"
	exit 1
fi
p="$dest/usr/local"
man="$p/share/man/man1/plumb.1"
bash_c="$p/share/bash-completion/completions/plumb"
zsh_c="$p/share/zsh/site-functions/_plumb"
fish_c="$p/share/fish/vendor_completions.d/plumb.fish"
for f in "$p/bin/plumb" "$man" "$bash_c" "$zsh_c" "$fish_c"; do
	[ -s "$f" ] && ok || bad "installed: $f"
done
"$p/bin/plumb" version >/dev/null 2>&1 && ok || bad "the installed plumb runs"
# the packs are built in: no copy is installed that plumb would not read
[ ! -e "$p/share/plumb/rules" ] && ok || bad "no unread rule packs are installed"
"$p/bin/plumb" rules | grep -q '^postgres/label-studio-env .*\[rules/postgres.yaml\]' && ok ||
	bad "the installed plumb lists its built-in packs"

# every command's options, from the binary's own help
cmds=$("$PLUMB" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ] && ok || bad "plumb --help lists commands"
for c in $cmds; do
	grep -q "^\.B plumb $c\|^\.SS plumb $c" "$man" && ok || bad "man page: command $c"
	grep -qw -- "$c" "$bash_c" && ok || bad "bash completion: command $c"
	grep -qw -- "$c" "$zsh_c" && ok || bad "zsh completion: command $c"
	grep -qw -- "$c" "$fish_c" && ok || bad "fish completion: command $c"
	for o in $("$PLUMB" "$c" --help 2>/dev/null | sed -n '/^options:/,$p' |
		grep -o '^  \(-., \)\{0,1\} *--[a-z][a-z-]*' | sed 's/.*--//' | grep -v '^help$'); do
		esc=$(printf '%s' "$o" | sed 's/-/\\-/g')
		grep -qF -- "\\-\\-$esc" "$man" && ok || bad "man page: $c --$o"
		grep -qF -- "--$o" "$bash_c" && ok || bad "bash completion: $c --$o"
		grep -qF -- "--$o" "$zsh_c" && ok || bad "zsh completion: $c --$o"
		grep -qF -- "-l $o" "$fish_c" && ok || bad "fish completion: $c --$o"
	done
done
# values the help lists are offered
grep -q 'error warning info none' "$bash_c" && ok || bad "bash completion offers --fail-on's levels"
grep -q 'auto always never' "$zsh_c" && ok || bad "zsh completion offers --color's values"

bash -n "$bash_c" && ok || bad "bash completion parses"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$zsh_c" && ok || bad "zsh completion parses"
fi
if command -v fish >/dev/null 2>&1; then
	fish -n "$fish_c" && ok || bad "fish completion parses"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$man" >"$tmp/man.txt" 2>"$tmp/man.err" && ok || bad "man renders plumb.1"
	grep -q 'warning' "$tmp/man.err" && bad "man warns: $(cat "$tmp/man.err")" || ok
fi
# bash: completing `plumb check --fail` offers --fail-on
out=$(bash -c '. "$1"; COMP_WORDS=(plumb check --fail); COMP_CWORD=2; _plumb; echo "${COMPREPLY[*]}"' sh "$bash_c")
[ "$out" = "--fail-on" ] && ok || bad "bash completes 'plumb check --fail' to --fail-on: '$out'"
out=$(bash -c '. "$1"; COMP_WORDS=(plumb check --color a); COMP_CWORD=3; _plumb; echo "${COMPREPLY[*]}"' sh "$bash_c")
[ "$out" = "auto always" ] && ok || bad "bash completes --color a: '$out'"
# --format: the completion offers what the reporters' table lists, as the
# error for an unknown format names it, and plumb accepts each of them
out=$(bash -c '. "$1"; COMP_WORDS=(plumb check --format ""); COMP_CWORD=3; _plumb; echo "${COMPREPLY[*]}"' sh "$bash_c")
"$PLUMB" check --format no-such-format fixtures/demo >/dev/null 2>"$tmp/fmt.err"
want=$(sed -n "s/.*unknown format 'no-such-format' (expected \(.*\))$/\1/p" "$tmp/fmt.err" |
	sed 's/,//g; s/ or / /')
[ -n "$want" ] && [ "$out" = "$want" ] && ok ||
	bad "bash completes --format with the formats plumb names: '$out', error names '$want'"
for f in $out; do
	"$PLUMB" check --format "$f" -q fixtures/demo >/dev/null 2>&1
	[ $? -le 1 ] && ok || bad "plumb check --format $f, offered by the completion, is accepted"
done

echo "install: $n checks, $fails failed"
[ $fails -eq 0 ]
