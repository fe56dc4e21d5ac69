#!/bin/sh
# plumb check over every file of ../shared/corpus (real GitOps
# repositories): it must finish with exit 0 or 1, never crash, and its
# yaml/, secrets/, flux/ and postgres/ findings must be exactly the reviewed list in
# tests/suites/corpus-findings.expect (each one checked by hand as a
# finding a maintainer would agree with; the closing notes of the issues
# justify them). Each secrets/ line carries its verdict after a tab.
# UPDATE=1 rewrites the list (keeping verdicts); review the diff.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
corpus=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

NO_COLOR=1 "$PLUMB" check -o "$tmp/report.txt" "$corpus"
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
# A line of the list is a finding, then optionally a tab and the
# reviewer's verdict; UPDATE=1 keeps the verdicts of findings that stay.
expect=tests/suites/corpus-findings.expect
if [ "${UPDATE:-}" = 1 ]; then
	awk -F'\t' 'NR == FNR { if (NF > 1) v[$1] = $2; next }
		{ print (($0 in v) ? $0 "\t" v[$0] : $0) }' \
		"$expect" "$tmp/yaml" >"$tmp/new"
	cp "$tmp/new" "$expect"
fi
cut -f1 "$expect" >"$tmp/want"
if ! diff -u "$tmp/want" "$tmp/yaml"; then
	echo "FAIL: findings on the corpus changed (review, then UPDATE=1)"
	exit 1
fi
# every secrets/ finding carries a verdict: a credential finding nobody
# judged is how a scanner starts crying wolf
unjudged=$(grep -E '^[^ ]+: [a-z]+\[secrets/' "$expect" |
	awk -F'\t' 'NF < 2 || $2 == ""' | wc -l)
if [ "$unjudged" -ne 0 ]; then
	grep -E '^[^ ]+: [a-z]+\[secrets/' "$expect" |
		awk -F'\t' 'NF < 2 || $2 == ""' | sed 's/^/  no verdict: /'
	echo "FAIL: $unjudged secrets/ findings on the corpus have no verdict"
	exit 1
fi
echo "corpus: exit $rc, $(wc -l <"$tmp/yaml") reviewed yaml/, secrets/, flux/ and postgres/ findings (workloads/ hygiene: counted above)"
