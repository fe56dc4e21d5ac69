#!/bin/sh
# Golden end-to-end tests over fixtures/ (STYLE.md §11).
#
# For every fixtures/<family>/<rule>/bad/<case> file:
#   - `plumb check <case>` must print exactly <case>.expect (text report),
#     and <case>.json.expect when present (JSON report);
#   - the report must contain a finding of <family>/<rule>;
#   - the exit code must be 1 if the report has an error, else 0.
# For every fixtures/<family>/<rule>/good/<case>: exit code 0 (checked
# first: a run that exits 2 or 3 is silent too, and proves nothing) and
# no finding of that rule.
# A rule folder's plumb.yaml, when there is one, is the configuration
# its cases are linted with (it must turn off what the others do).
# UPDATE=1 rewrites the .expect files (review the diff like code).
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
fail=0
count=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The hygiene pack fires on nearly every Deployment, and schema/invalid
# on every kind without a schema (info); other families' goldens leave
# them out, so that they show their own rule.
printf 'rules:\n  workloads/*: off\n  schema/*: off\n' >"$tmp/quiet.yaml"
printf 'rules:\n  schema/*: off\n' >"$tmp/schema-off.yaml"
printf 'rules:\n  workloads/*: off\n' >"$tmp/workloads-off.yaml"

check_case() {
	file=$1 kind=$2 rule=$3
	count=$((count + 1))
	case "$rule" in
	workloads/*) cfg="$tmp/schema-off.yaml" ;;
	schema/*) cfg="$tmp/workloads-off.yaml" ;;
	*) cfg="$tmp/quiet.yaml" ;;
	esac
	# a rule that reads its setting from .plumb.yaml (secrets/pattern)
	# keeps the configuration its cases are linted with beside them
	[ -f "fixtures/$rule/plumb.yaml" ] && cfg="fixtures/$rule/plumb.yaml"
	"$PLUMB" check -j1 --config "$cfg" "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -s "$tmp/err" ]; then
		echo "FAIL $file: stderr: $(cat "$tmp/err")"
		fail=1
	fi
	if [ "$kind" = bad ]; then
		if ! grep -q "\[$rule\]" "$tmp/out"; then
			echo "FAIL $file: does not fire $rule"
			fail=1
		fi
		if grep -q ': error\[' "$tmp/out"; then want=1; else want=0; fi
		if [ "$rc" != "$want" ]; then
			echo "FAIL $file: exit $rc, want $want"
			fail=1
		fi
		if [ "${UPDATE:-}" = 1 ]; then
			cp "$tmp/out" "$file.expect"
		elif ! diff -u "$file.expect" "$tmp/out" >"$tmp/diff" 2>&1; then
			echo "FAIL $file: text report differs:"
			cat "$tmp/diff"
			fail=1
		fi
		if [ -f "$file.json.expect" ]; then
			"$PLUMB" check -j1 --config "$cfg" --format json "$file" >"$tmp/json"
			jrc=$?
			if [ "$jrc" != "$want" ]; then
				echo "FAIL $file: --format json: exit $jrc, want $want"
				fail=1
			fi
			if [ "${UPDATE:-}" = 1 ]; then
				cp "$tmp/json" "$file.json.expect"
			elif ! diff -u "$file.json.expect" "$tmp/json"; then
				echo "FAIL $file: JSON report differs"
				fail=1
			fi
		fi
	elif [ "$rc" != 0 ]; then
		# silence proves nothing unless plumb ran: an exit 2 (usage,
		# config) or 3 prints no finding either
		echo "FAIL $file: exit $rc on a good case, want 0"
		cat "$tmp/out"
		fail=1
	elif grep -q "\[$rule\]" "$tmp/out"; then
		echo "FAIL $file: $rule fires on a good case:"
		cat "$tmp/out"
		fail=1
	fi
}

for dir in fixtures/*/*/; do
	dir=${dir%/}
	family=$(basename "$(dirname "$dir")")
	name=$(basename "$dir")
	[ "$family" = demo ] && continue
	[ -d "$dir/bad" ] || [ -d "$dir/good" ] || continue
	rule="$family/$name"
	for kind in bad good; do
		[ -d "$dir/$kind" ] || continue
		for f in "$dir/$kind"/* "$dir/$kind"/.[!.]*; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			case "$f" in *.expect) continue ;; esac
			check_case "$f" "$kind" "$rule"
		done
	done
done
echo "golden: $count cases"
exit $fail
