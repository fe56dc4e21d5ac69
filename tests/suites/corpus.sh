#!/bin/sh
# plumb check over every file of ../shared/corpus (real GitOps
# repositories): it must finish with exit 0 or 1, never crash, and its
# yaml/, secrets/, flux/ and postgres/ findings must be exactly the reviewed list in
# tests/suites/corpus-findings.expect (each one checked by hand as a
# finding a maintainer would agree with; the closing notes of the issues
# justify them). UPDATE=1 rewrites the list; review the diff.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
corpus=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# from the corpus folder, so reported paths read from there (as a
# compiler's); PLUMB is made absolute first
case $PLUMB in /*) ;; *) PLUMB=$PWD/$PLUMB ;; esac
(cd "$corpus" && NO_COLOR=1 "$PLUMB" check -o "$tmp/report.txt" .)
rc=$?
if [ "$rc" -gt 1 ]; then
	echo "FAIL: plumb check on the corpus exited $rc"
	exit 1
fi
tail -1 "$tmp/report.txt"
grep -o '^[^ ]*: [a-z]*\[[^]]*\]' "$tmp/report.txt" |
	sed 's/.*\[//; s/\]$//' | sort | uniq -c
grep -E '^[^ ]+: [a-z]+\[(yaml|secrets|flux|postgres)/' "$tmp/report.txt" |
	grep -v '\[yaml/unrendered-template\]' >"$tmp/yaml"
if [ "${UPDATE:-}" = 1 ]; then
	cp "$tmp/yaml" tests/suites/corpus-findings.expect
fi
if ! diff -u tests/suites/corpus-findings.expect "$tmp/yaml"; then
	echo "FAIL: findings on the corpus changed (review, then UPDATE=1)"
	exit 1
fi
echo "corpus: exit $rc, $(wc -l <"$tmp/yaml") reviewed yaml/, secrets/, flux/ and postgres/ findings (workloads/ hygiene: counted above)"
