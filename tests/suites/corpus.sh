#!/bin/sh
# plumb check over every file of ../shared/corpus (real GitOps
# repositories): it must finish with exit 0 or 1, never crash, and its
# yaml/, secrets/, flux/ and postgres/ findings must be exactly the reviewed list in
# tests/suites/corpus-findings.expect (each one checked by hand as a
# finding a maintainer would agree with; the closing notes of the issues
# justify them). UPDATE=1 rewrites the list; review the diff.
#
# In the list, a line starting with '#' is a verdict: one line, signed as
# a maintainer of that repository would sign it, on the findings below it
# up to the next verdict or blank line. Every flux/ finding needs one.
# UPDATE=1 keeps the verdict of each finding that is still reported.
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
expect=tests/suites/corpus-findings.expect
if [ "${UPDATE:-}" = 1 ]; then
	awk -v old="$expect" '
	BEGIN {
		v = ""
		while ((getline l < old) > 0) {
			if (l ~ /^#/) v = l
			else if (l == "") v = ""
			else verdict[l] = v
		}
	}
	{
		w = ($0 in verdict) ? verdict[$0] : ""
		if (NR > 1 && w != prev) print ""
		if (w != prev && w != "") print w
		print
		prev = w
	}' "$tmp/yaml" >"$tmp/expect" && cp "$tmp/expect" "$expect"
fi
if ! awk '/^#/ { v = 1; next } /^$/ { v = 0; next }
	/^[^ ]+: [a-z]+\[flux\// && !v { print "no verdict: " $0; bad = 1 }
	END { exit bad }' "$expect"; then
	echo "FAIL: every flux/ finding of $expect needs a verdict line above it"
	exit 1
fi
grep -v -e '^#' -e '^$' "$expect" >"$tmp/expect.lines"
if ! diff -u "$tmp/expect.lines" "$tmp/yaml"; then
	echo "FAIL: findings on the corpus changed (review, then UPDATE=1)"
	exit 1
fi
echo "corpus: exit $rc, $(wc -l <"$tmp/yaml") reviewed yaml/, secrets/, flux/ and postgres/ findings (workloads/ hygiene: counted above)"
