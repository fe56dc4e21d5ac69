#!/bin/sh
# Suppressions and baselines: each form hides its finding (text omits it,
# JSON carries it as suppressed with kind and reason), a missing reason,
# an expired date and an unused suppression are reported, a baseline hides
# old findings and lets a new one through, fingerprints survive inserted
# lines, and each .plumb.yaml ignore error is exit 2 with file:line:col.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

repo="$tmp/repo"
mkdir -p "$repo/apps" "$repo/test"
dup() { printf 'a: 1\na: 2%s\n' "$1"; }

# --- inline: same line, line above, family, reason -------------------------
dup ' # plumb:ignore yaml/duplicate-key -- the chart reads the last one' >"$repo/apps/same-line.yaml"
printf 'a: 1\n# plumb:ignore yaml/* -- generated file\na: 2\n' >"$repo/apps/line-above.yaml"
run "$PLUMB" check "$repo/apps"
expect_rc 0 "inline suppressions leave nothing that fails"
expect_no_out "duplicate-key" "text omits suppressed findings"
run "$PLUMB" check --format json "$repo/apps"
expect_out '"kind": "inline"' "json marks the kind"
expect_out '"reason": "the chart reads the last one"' "json carries the reason"
expect_out '"reason": "generated file"' "a family and the line above suppress"

# --- reasons, expiry, unused ------------------------------------------------
dup ' # plumb:ignore yaml/duplicate-key' >"$repo/apps/same-line.yaml"
run "$PLUMB" check "$repo/apps/same-line.yaml"
expect_rc 0 "a suppression without reason still suppresses"
expect_out "same-line.yaml:2:8: warning[suppression/missing-reason]: plumb:ignore yaml/duplicate-key gives no reason" "missing reason is a warning at the marker"
dup ' # plumb:ignore yaml/duplicate-key until=2026-11-22 -- until the chart upgrade' >"$repo/apps/same-line.yaml"
SOURCE_DATE_EPOCH=1795392000 run "$PLUMB" check "$repo/apps/same-line.yaml" # 2026-11-23
expect_rc 1 "an expired suppression stops suppressing"
expect_out "same-line.yaml:2:1: error[yaml/duplicate-key]" "the finding is back"
expect_out "warning[suppression/expired]: plumb:ignore yaml/duplicate-key expired on 2026-11-22" "and the expiry says so"
SOURCE_DATE_EPOCH=1795305600 run "$PLUMB" check "$repo/apps/same-line.yaml" # 2026-11-22
expect_rc 0 "a suppression holds through its until day"
printf 'a: 1 # plumb:ignore yaml/duplicate-key -- was a duplicate once\n' >"$repo/apps/same-line.yaml"
run "$PLUMB" check "$repo/apps/same-line.yaml"
expect_out "same-line.yaml:1:8: warning[suppression/unused]: plumb:ignore yaml/duplicate-key suppresses nothing" "an unused suppression is reported"
rm -f "$repo/apps/same-line.yaml" "$repo/apps/line-above.yaml"

# --- annotation: the whole object --------------------------------------------
cat >"$repo/apps/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
  annotations:
    plumb.io/ignore: "yaml/ambiguous-scalar,yaml/duplicate-key -- consumed by a YAML 1.2 reader"
data:
  VERBOSE: yes
  MODE: 0755
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
data:
  VERBOSE: yes
YAML
run "$PLUMB" check "$repo/apps/cm.yaml"
expect_no_out "cm.yaml:8:" "the annotation suppresses in its object"
expect_no_out "cm.yaml:9:9: error[yaml/" "every listed rule (schema/invalid, not listed, still fires)"
expect_out "cm.yaml:16:12: error[yaml/ambiguous-scalar]" "not in the next object"
expect_out "cm.yaml:6:22: warning[suppression/unused]: annotation plumb.io/ignore yaml/ambiguous-scalar,yaml/duplicate-key: yaml/duplicate-key suppresses nothing here" "a listed rule that hid nothing is reported"
rm -f "$repo/apps/cm.yaml"

# --- .plumb.yaml ignore entries ----------------------------------------------
printf 'export GITHUB_TOKEN=ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE\n' >"$repo/test/fixture.sh"
cat >"$repo/.plumb.yaml" <<'YAML'
ignore:
  - paths: ["test/*"]
    rules: [secrets/*]
    reason: fixtures of the scanner's tests
  - path: vendor/*
    rules: [yaml/duplicate-key]
    reason: third-party charts
    until: 2099-01-01
YAML
run "$PLUMB" check "$repo"
expect_rc 0 "a config entry suppresses by path and family"
expect_no_out "secrets/token" "the token in test/ is hidden"
expect_out ".plumb.yaml:5:5: warning[suppression/unused]: .plumb.yaml ignore entry yaml/duplicate-key suppresses nothing" "an unused config entry is reported at its line"
run "$PLUMB" check --format json "$repo"
expect_out '"kind": "config"' "json: config kind"

for cfg in \
	'ignore:\n  - paths: [x]\n    rules: [secrets/token]\n    reson: typo\n|.plumb.yaml:4:5: unknown key '"'"'reson'"'"' in ignore[0] (did you mean '"'"'reason'"'"'?)' \
	'ignore:\n  - paths: [x]\n|.plumb.yaml:2:5: ignore[0]: missing required key '"'"'rules'"'"'' \
	'ignore:\n  - rules: [secrets/token]\n|.plumb.yaml:2:5: ignore[0]: missing required key '"'"'path'"'"' or '"'"'paths'"'"'' \
	'ignore:\n  - paths: [x]\n    rules: [secrets/token]\n    until: 2027-02-30\n|.plumb.yaml:4:12: '"'"'until'"'"' must be a date, YYYY-MM-DD' \
	'ignore:\n  - paths: [x]\n    rules: [secrets/tokens]\n|.plumb.yaml:2:5: ignore entry names unknown rule '"'"'secrets/tokens'"'"'' \
	'ignore:\n  - paths: [x]\n    rules: [secrets/tokens]\n|(did you mean '"'"'secrets/token'"'"'?)' \
	'ignore: {paths: [x]}\n|.plumb.yaml:1:9: ignore: expected array, got an object'; do
	printf "${cfg%%|*}" >"$repo/.plumb.yaml"
	run "$PLUMB" check "$repo"
	expect_rc 2 "config error: ${cfg#*|}"
	expect_err "${cfg#*|}" "config error is file:line:col"
done
rm -f "$repo/.plumb.yaml" "$repo/test/fixture.sh"

# --- baseline ------------------------------------------------------------------
printf 'a: 1\na: 2\n' >"$repo/apps/old.yaml"
run "$PLUMB" baseline -o "$tmp/base.json" "$repo"
expect_rc 0 "plumb baseline exits 0 with findings"
expect_err "recorded 1 finding in $tmp/base.json" "baseline says what it recorded"
grep -q '"stable": "[0-9a-f]\{16\}"' "$tmp/base.json" && ok || bad "baseline holds stable fingerprints"
run "$PLUMB" check --baseline "$tmp/base.json" "$repo"
expect_rc 0 "the baseline hides old findings"
printf '# a comment\n\n# another\nkey: x\na: 1\na: 2\n' >"$repo/apps/old.yaml"
run "$PLUMB" check --baseline "$tmp/base.json" "$repo"
expect_rc 0 "lines inserted above keep the fingerprint"
printf 'b: 1\nb: 2\n' >"$repo/apps/new.yaml"
run "$PLUMB" check --baseline "$tmp/base.json" "$repo"
expect_rc 1 "a new finding gets through"
expect_out "new.yaml:2:1: error[yaml/duplicate-key]" "the new one is reported"
expect_no_out "old.yaml" "the old one is not"
run "$PLUMB" check --format json "$repo/apps/old.yaml"
s1=$(printf '%s' "$out" | grep -o '"stable": "[0-9a-f]*"')
printf '\n\n\n' | cat - "$repo/apps/old.yaml" >"$tmp/moved" && mv "$tmp/moved" "$repo/apps/old.yaml"
run "$PLUMB" check --format json "$repo/apps/old.yaml"
s2=$(printf '%s' "$out" | grep -o '"stable": "[0-9a-f]*"')
[ -n "$s1" ] && [ "$s1" = "$s2" ] && ok || bad "stable fingerprint unchanged by inserted lines ($s1 / $s2)"
printf 'not: [a baseline\n' >"$tmp/broken.json"
run "$PLUMB" check --baseline "$tmp/broken.json" "$repo"
expect_rc 2 "a broken baseline is an input error"
expect_err "broken.json:" "with its position"
printf '{"version": 1, "findings": [{"stable": "xyz"}]}\n' >"$tmp/broken.json"
run "$PLUMB" check --baseline "$tmp/broken.json" "$repo"
expect_rc 2 "a baseline entry without a fingerprint"
expect_err "broken.json:1:40: a baseline finding needs \"stable\": 16 hex digits" "names the entry"
run "$PLUMB" check --baseline "$tmp/missing.json" "$repo"
expect_rc 2 "a missing baseline"
expect_err "cannot read baseline" "says so"

# --- one value, one finding: schema/invalid and yaml/ambiguous-scalar ------
sv="$tmp/samevalue"
mkdir -p "$sv"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: 8080\n' >"$sv/cm.yaml"
run "$PLUMB" check -q "$sv/cm.yaml"
expect_rc 1 "an unquoted ConfigMap number"
expect_out "cm.yaml:6:9: error[yaml/ambiguous-scalar]" "reported once, by the rule that names the fix"
expect_no_out "schema/invalid" "not twice"
for r in schema/invalid yaml/ambiguous-scalar; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: 8080  # plumb:ignore %s -- read by a YAML 1.2 loader\n' "$r" >"$sv/cm.yaml"
	run "$PLUMB" check "$sv/cm.yaml"
	expect_rc 0 "one suppression ($r) covers the value"
	expect_out "no findings in 1 file (1 suppressed)" "ignore $r: hidden, counted once, not unused"
done

echo "cli-suppress: $n assertions, $fails failed"
[ "$fails" = 0 ]
