#!/bin/sh
# plumb check over every file of ../shared/corpus (real GitOps
# repositories), one run per repository: each must finish with exit 0
# or 1, never crash, and the yaml/, secrets/, flux/, postgres/ and
# schema/ findings must be exactly the reviewed list in
# tests/suites/corpus-findings.expect (each one checked by hand as a
# finding a maintainer would agree with; the closing notes of the issues
# justify them). UPDATE=1 rewrites the list; review the diff.
#
# In the list, a verdict on a finding is either a line starting with '#'
# above a group of findings (up to the next verdict or blank line), or a
# tab and the verdict after the finding itself; each is signed as a
# maintainer of that repository would sign it. Every flux/, secrets/
# and schema/ finding needs one. UPDATE=1 keeps the verdicts of findings still
# reported.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
corpus=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run per repository, as its maintainers run plumb: linted together,
# one repository's objects and CRDs would answer another's references
# and schemas, and hide findings. From the corpus folder, so reported
# paths read from there (as a compiler's); PLUMB is made absolute first.
case $PLUMB in /*) ;; *) PLUMB=$PWD/$PLUMB ;; esac
rc=0
: >"$tmp/report.txt"
for repo in "$corpus"/*/; do
	name=$(basename "$repo")
	(cd "$corpus" && NO_COLOR=1 "$PLUMB" check -o "$tmp/one.txt" "$name")
	one=$?
	if [ "$one" -gt 1 ]; then
		echo "FAIL: plumb check on $name exited $one"
		exit 1
	fi
	[ "$one" -gt "$rc" ] && rc=$one
	sed '$d' "$tmp/one.txt" >>"$tmp/report.txt"
	tail -1 "$tmp/one.txt" >>"$tmp/summaries"
done
echo "$(ls -d "$corpus"/*/ | wc -l) repositories: $(awk '{ e += $1; w += $3; i += $5; f += $(NF - 1) } END { print e " errors, " w " warnings, " i " infos in " f " files" }' "$tmp/summaries")"
grep -o '^[^ ]*: [a-z]*\[[^]]*\]' "$tmp/report.txt" |
	sed 's/.*\[//; s/\]$//' | sort | uniq -c
grep -E '^[^ ]+: [a-z]+\[(yaml|secrets|flux|postgres|schema)/' "$tmp/report.txt" |
	grep -v '\[yaml/unrendered-template\]' >"$tmp/yaml"
expect=tests/suites/corpus-findings.expect
if [ "${UPDATE:-}" = 1 ]; then
	awk -v old="$expect" '
	BEGIN {
		v = ""
		while ((getline l < old) > 0) {
			if (l ~ /^#/) { v = l; continue }
			if (l == "") { v = ""; continue }
			n = index(l, "\t")
			k = n ? substr(l, 1, n - 1) : l
			tail[k] = n ? substr(l, n) : ""
			group[k] = v
		}
	}
	{
		w = ($0 in group) ? group[$0] : ""
		if (NR > 1 && w != prev) print ""
		if (w != prev && w != "") print w
		print $0 (($0 in tail) ? tail[$0] : "")
		prev = w
	}' "$tmp/yaml" >"$tmp/expect" && cp "$tmp/expect" "$expect"
fi
if ! awk '/^#/ { v = 1; next } /^$/ { v = 0; next }
	/^[^ ]+: [a-z]+\[(flux|secrets|schema)\// && !v {
		n = index($0, "\t")
		if (n == 0 || substr($0, n + 1) == "") {
			print "  no verdict: " $0
			bad = 1
		}
	}
	END { exit bad }' "$expect"; then
	echo "FAIL: every flux/, secrets/ and schema/ finding of $expect needs a verdict"
	exit 1
fi
grep -v -e '^#' -e '^$' "$expect" | cut -f1 >"$tmp/expect.lines"
if ! diff -u "$tmp/expect.lines" "$tmp/yaml"; then
	echo "FAIL: findings on the corpus changed (review, then UPDATE=1)"
	exit 1
fi
echo "corpus: exit $rc, $(wc -l <"$tmp/yaml") reviewed yaml/, secrets/, flux/, postgres/ and schema/ findings (workloads/ hygiene: counted above)"
