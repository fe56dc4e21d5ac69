#!/bin/sh
# docs/rules/ and README.md's rule table are what ci/docs.sh writes from
# this plumb (`make docs`): a page per rule, the same texts as `plumb explain` and SARIF's
# help.markdown, which SARIF's helpUri links to. A rule added, changed or
# removed without `make docs` fails here. Also: the Markdown of a
# declarative rule's wrapped help is one paragraph, not one per line.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

cp README.md "$tmp/README.md"
if sh ci/docs.sh "$PLUMB" "$tmp/rules" "$tmp/README.md" >"$tmp/out" 2>&1; then ok; else bad "ci/docs.sh: $(cat "$tmp/out")"; fi
# README.md's rule table is generated too: a rule added, renamed or
# re-summarised without make docs fails here
if diff -u README.md "$tmp/README.md" >"$tmp/readme.diff"; then
	ok
else
	bad "README.md's rule table is stale (run make docs, review the diff):"
	head -20 "$tmp/readme.diff"
fi
rows=$(sed -n '/^<!-- rules:begin/,/^<!-- rules:end/p' README.md | grep -c '^| \[`')
[ "$rows" -gt 0 ] && [ "$rows" = "$("$PLUMB" rules | wc -l)" ] && ok ||
	bad "README.md's rule table has $rows rows for $("$PLUMB" rules | wc -l) rules"
# and the check can fail: a row edited by hand is stale
sed 's/^| \[`yaml\/syntax`\].*/| hand-edited |/' README.md >"$tmp/edited.md"
cp "$tmp/edited.md" "$tmp/edited-regen.md"
sh ci/docs.sh "$PLUMB" "$tmp/rules2" "$tmp/edited-regen.md" >/dev/null 2>&1
if ! cmp -s "$tmp/edited.md" "$tmp/edited-regen.md" && cmp -s README.md "$tmp/edited-regen.md"; then
	ok
else
	bad "ci/docs.sh does not rewrite a hand-edited row of the rule table"
fi
if diff -ru docs/rules "$tmp/rules" >"$tmp/diff"; then
	ok
else
	bad "docs/rules is stale (run make docs, review the diff):"
	head -40 "$tmp/diff"
fi
count=$("$PLUMB" rules | wc -l)
pages=$(find docs/rules -name '*.md' ! -name README.md | wc -l)
[ "$count" -gt 0 ] && [ "$count" = "$pages" ] && ok || bad "one page per rule ($count rules, $pages pages)"
# a wrapped declarative help is one paragraph; Fix: starts its own
p=docs/rules/postgres/label-studio-env.md
grep -q '^Label Studio (heartexlabs/label-studio) picks its database from DJANGO\\_DB and, for Postgres, from five variables' "$p" &&
	ok || bad "$p: wrapped help lines join into one paragraph"
grep -q '^\*\*Fix:\*\* set DJANGO\\_DB=default' "$p" && ok || bad "$p: the fix is its own paragraph"
# SARIF links each rule to its page
"$PLUMB" check --format sarif fixtures/demo >"$tmp/sarif" 2>/dev/null
[ $? -le 1 ] && ok || bad "plumb check --format sarif failed"
for id in yaml/duplicate-key postgres/label-studio-env; do
	grep -qF "\"helpUri\": \"https://github.com/plumb-lint/plumb/blob/main/docs/rules/$id.md\"" "$tmp/sarif" &&
		ok || bad "sarif: helpUri of $id"
	[ -f "docs/rules/$id.md" ] && ok || bad "the page of $id exists"
done
printf 'rules:\n  - id: team/replicas\n    severity: warning\n    summary: Two replicas\n    help: |\n      More than one.\n      Fix: set spec.replicas.\n    match: {kinds: [Deployment]}\n    assert: {path: spec.replicas, min: 2}\n    message: "few"\n' >"$tmp/team.yaml"
"$PLUMB" check --rules "$tmp/team.yaml" --format sarif fixtures/demo >"$tmp/sarif2" 2>"$tmp/err"
rc=$?
[ $rc -le 1 ] && ok || bad "check --rules: exit $rc: $(cat "$tmp/err")"
python3 - "$tmp/sarif2" <<'PY' && ok || bad "sarif: a team's own rule has no helpUri (no page of ours)"
import json, sys
rules = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]
team = [r for r in rules if r["id"] == "team/replicas"]
sys.exit(0 if team and "helpUri" not in team[0] else 1)
PY

echo "docs: $n checks, $fails failed"
[ $fails -eq 0 ]
