#!/bin/sh
# Rule examples (the `example` of every rule, printed by `plumb explain`
# under "Example (fires):"):
#   - every rule that `plumb rules --format json` lists, built-in or from
#     a shipped pack (rules/*.yaml), has an example, except the few below
#     that no single YAML file can show;
#   - each example, written alone into an empty folder under the file
#     name the rule needs and linted with a configuration that turns
#     nothing off, fires its rule (the JSON report names it).
# The example is read from the text of `plumb explain`: it is the last
# section, after the line "Example (fires):" and one blank line.
set -u
: "${PLUMB:?}"
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
cd "$(dirname "$0")/../.." || exit 2
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# Rules without an example: what they report cannot come from the content
# of one YAML file. The descriptor says which: those of the source stage
# (a binary, oversized or non-UTF-8 file, a link out, an unreadable
# folder), "stage": "source" in plumb rules --format json.
no_example() {
	grep -qx "$1" "$tmp/source-stage"
}

# The file name an example is linted under: example.yaml unless the rule
# looks at the name.
file_name() {
	case $1 in
	secrets/pulumi-config) echo Pulumi.dev.yaml ;; # Pulumi.<stack>.yaml
	secrets/pattern) echo .plumb.yaml ;; # the shapes it declares
	*) echo example.yaml ;;
	esac
}

# No rule is turned off or down: the defaults, and no .plumb.yaml of the
# folder (there is none) or of the current one.
printf '# the defaults: nothing turned off\nrules: {}\n' >"$tmp/config.yaml"

if "$PLUMB" rules --format json >"$tmp/rules.json" 2>"$tmp/err" &&
	"$PLUMB" dump "$tmp/rules.json" >"$tmp/rules.jsonl" 2>>"$tmp/err"; then
	ok
else
	bad "plumb rules --format json: $(cat "$tmp/err")"
fi
grep -o '"id":"[^"]*"' "$tmp/rules.jsonl" | sed 's/^"id":"//; s/"$//' \
	>"$tmp/ids"
# plumb rules --format json writes a rule a line
grep -F '"stage": "source"' "$tmp/rules.json" |
	sed 's/^ *{"id": "\([^"]*\)".*/\1/' >"$tmp/source-stage"
[ -s "$tmp/source-stage" ] && ok ||
	bad "plumb rules --format json lists no rule of the source stage"
rules=$(wc -l <"$tmp/ids" | tr -d ' ')
[ "$rules" -gt 0 ] && ok || bad "plumb rules --format json lists no rule"

i=0
while read -r id; do
	i=$((i + 1))
	if ! "$PLUMB" explain "$id" >"$tmp/explain" 2>"$tmp/err"; then
		bad "$id: plumb explain fails: $(cat "$tmp/err")"
		continue
	fi
	if ! grep -qx 'Example (fires):' "$tmp/explain"; then
		no_example "$id" && ok || bad "$id has no example"
		continue
	fi
	if no_example "$id"; then
		bad "$id has an example now: take it off the list in no_example"
		continue
	fi
	dir=$tmp/ex/$i
	mkdir -p "$dir"
	f=$dir/$(file_name "$id")
	awk 'f == 2 { print; next }
	     f == 1 { f = 2; next }
	     /^Example \(fires\):$/ { f = 1 }' "$tmp/explain" >"$f"
	[ -s "$f" ] && ok || bad "$id: its example is empty"
	# secrets/pattern reads its patterns from the configuration: its
	# example is one (it turns nothing off either)
	cfg=$tmp/config.yaml
	[ "$id" = secrets/pattern ] && cfg=$f
	"$PLUMB" check -j1 --format json --config "$cfg" "$dir" \
		>"$tmp/report.json" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ] && ok ||
		bad "$id: plumb check of its example exits $rc: $(cat "$tmp/err")"
	if "$PLUMB" dump "$tmp/report.json" >"$tmp/report.jsonl" 2>/dev/null &&
		grep -qF "\"rule\":\"$id\"" "$tmp/report.jsonl"; then
		ok
	else
		bad "$id: its example does not fire it ($(file_name "$id")):"
		cat "$f"
		cat "$tmp/report.json"
	fi
done <"$tmp/ids"

echo "cli-examples: $n assertions, $fails failed"
[ "$fails" = 0 ]
