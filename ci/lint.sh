#!/bin/sh
# make lint: format, banned calls, include layering, one-library-per-adapter.
set -u
cd "$(dirname "$0")/.."
fail=0
files=$(find engine rules tests -name '*.[ch]' | sort)

# 1. clang-format (STYLE.md §14)
if command -v clang-format >/dev/null 2>&1; then
	if ! clang-format --dry-run -Werror $files 2>/tmp/plumb-format.$$; then
		head -40 /tmp/plumb-format.$$
		echo "lint: clang-format differs (run 'make format')"
		fail=1
	fi
	rm -f /tmp/plumb-format.$$
else
	echo "lint: clang-format not installed"
	fail=1
fi

# 2. banned calls outside banned.h (STYLE.md §13); banned.h makes them
# compile errors, this catches them in files the build skips
if grep -nE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|atoi|atol|atof|gets|gmtime|localtime)\(' \
	$(echo "$files" | grep -v banned.h) | grep -v '^tests/'; then
	echo "lint: banned call"
	fail=1
fi

# 3. include layering: a stage includes only earlier stages
order="base cel source tree model finding rule report run cli"
rank() {
	i=0
	for s in $order; do
		[ "$s" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 99
}
for f in $(find engine rules/builtin -name '*.[ch]'); do
	case "$f" in
	rules/builtin/*) stage=rule ;;
	*) stage=$(echo "$f" | cut -d/ -f2) ;;
	esac
	me=$(rank "$stage")
	grep -o '#include "[a-z]*/' "$f" | sed 's/#include "//; s/\///' |
		while read -r dep; do
			[ "$dep" = builtin ] && dep=rule
			if [ "$(rank "$dep")" -gt "$me" ]; then
				echo "lint: $f ($stage) includes $dep/"
				echo x
			fi
		done | grep -q x && fail=1
done

# 4. each library has one adapter (STYLE.md §4)
check_only() {
	hdr=$1
	shift
	users=$(grep -l "#include <$hdr>" $(find engine rules -name '*.[ch]') | sort)
	for u in $users; do
		okay=0
		for allowed in "$@"; do
			[ "$u" = "$allowed" ] && okay=1
		done
		if [ $okay = 0 ]; then
			echo "lint: $u includes <$hdr>; only $* may"
			fail=1
		fi
	done
}
check_only yaml.h engine/tree/load.c
check_only git2.h engine/source/gitsrc.c engine/source/gitsrc_history.c
# the LSP server speaks JSON-RPC: its two files are the protocol's adapter
check_only jansson.h engine/report/json.c engine/report/sarif.c \
	engine/run/lsp.c engine/run/lsp_answer.c engine/run/lsp_impl.h
check_only pcre2.h engine/rule/regex.c

[ $fail = 0 ] && echo "lint: ok"
exit $fail
