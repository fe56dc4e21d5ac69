#!/bin/sh
# `plumb check --fix [--dry-run]` over fixtures/fix/<case>/:
#   before/        the files as committed (copied, every file made 0640)
#   after/         the files --fix must leave, byte for byte; no after/:
#                  nothing is fixable, every file must stay as it was
#   dry-run.diff   the exact stdout of --fix --dry-run
#   fix.stdout     the report --fix prints (what is left)
#   fix.stderr     what --fix says it changed
#   fix.exit       its exit code
# Every run is `plumb check --disable workloads -q ... .` from inside the
# copy, so paths are the case's own. Each case also proves: --dry-run
# changes nothing; its diff, applied with patch(1), gives after/; modes
# are kept and no temporary file is left; a second --fix changes nothing
# (idempotence). The JSON and SARIF fixes are checked against their
# schemas and by applying their edits. Then the refusals (exit 2).
# UPDATE=1 rewrites the four expectation files (review the diff).
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
SHARED=${SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
py=/usr/bin/python3
sarif_schema=$SHARED/testsuites/sarif/schema/sarif-schema-2.1.0.json

# same_tree A B: the same file names, each byte-identical
same_tree() {
	(cd "$1" && find . -type f | sort) >"$tmp/ta"
	(cd "$2" && find . -type f | sort) >"$tmp/tb"
	cmp -s "$tmp/ta" "$tmp/tb" || return 1
	while read -r f; do
		cmp -s "$1/$f" "$2/$f" || return 1
	done <"$tmp/ta"
}

# expect_case NAME GOT WHAT: GOT equals the case's NAME (UPDATE=1 writes it)
expect_case() {
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$2" "$case/$1"
	fi
	if cmp -s "$case/$1" "$2"; then
		ok
	else
		bad "$3 differs from $case/$1: $(diff -u "$case/$1" "$2" | head -30)"
	fi
}

command -v patch >/dev/null || bad "patch(1) is needed to apply the --dry-run diffs"

for case in fixtures/fix/*/; do
	case=${case%/}
	name=$(basename "$case")
	want=$case/after
	[ -d "$want" ] || want=$case/before
	work=$tmp/$name
	rm -rf "$work"
	cp -R "$case/before" "$work"
	find "$work" -type f -exec chmod 0640 {} +

	# --dry-run: the exact diff, and nothing written
	(cd "$work" && "$PLUMB" check --disable workloads -q --fix --dry-run . \
		>"$tmp/dry.out" 2>"$tmp/dry.err")
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ] && ok || bad "$name: --dry-run exits $rc: $(cat "$tmp/dry.err")"
	expect_case dry-run.diff "$tmp/dry.out" "$name: --fix --dry-run stdout"
	# negative: only worth something when --dry-run did its work
	[ "$rc" -le 1 ] && same_tree "$case/before" "$work" && ok ||
		bad "$name: --dry-run changed files (or exited $rc)"
	if command -v patch >/dev/null; then
		rm -rf "$tmp/patched"
		cp -R "$case/before" "$tmp/patched"
		if [ -s "$tmp/dry.out" ]; then
			(cd "$tmp/patched" && patch -s -p1 <"$tmp/dry.out") >"$tmp/patch.err" 2>&1 ||
				bad "$name: patch(1) refuses the --dry-run diff: $(cat "$tmp/patch.err")"
		fi
		same_tree "$want" "$tmp/patched" && ok ||
			bad "$name: the --dry-run diff, applied, does not give $want"
	fi

	# --fix: the files, the report of what is left, what it says
	(cd "$work" && "$PLUMB" check --disable workloads -q --fix . \
		>"$tmp/fix.out" 2>"$tmp/fix.err")
	echo $? >"$tmp/fix.exit"
	expect_case fix.stdout "$tmp/fix.out" "$name: --fix report"
	expect_case fix.stderr "$tmp/fix.err" "$name: --fix stderr"
	expect_case fix.exit "$tmp/fix.exit" "$name: --fix exit code"
	same_tree "$want" "$work" && ok ||
		bad "$name: after --fix the files differ from $want (or a temporary file was left)"
	modes=$(find "$work" -type f -exec stat -c %a {} + | sort -u)
	[ "$modes" = 640 ] && ok || bad "$name: --fix did not keep the mode 0640: $modes"

	# idempotence: a second --fix finds nothing to change
	(cd "$work" && "$PLUMB" check --disable workloads -q --fix . \
		>"$tmp/again.out" 2>"$tmp/again.err")
	rc=$?
	[ "$rc" -le 1 ] && [ ! -s "$tmp/again.err" ] && ok ||
		bad "$name: a second --fix exits $rc and says: $(cat "$tmp/again.err")"
	cmp -s "$tmp/fix.out" "$tmp/again.out" && ok || bad "$name: a second --fix reports otherwise"
	same_tree "$want" "$work" && ok || bad "$name: a second --fix changed files"
done

# --- fixes in JSON and SARIF reports ----------------------------------------
# Applying the reported edits to before/ must give after/: the offsets
# are bytes of the file (BOM included), the lines and columns agree.
for name in quote-in-file-style crlf-bom marker-forms; do
	# from a copy outside git: SARIF paths are relative to the root
	rm -rf "$tmp/rep"
	cp -R fixtures/fix/$name/before "$tmp/rep"
	(cd "$tmp/rep" && "$PLUMB" check --disable workloads --format json . >"$tmp/$name.json"
	 "$PLUMB" check --disable workloads --format sarif . >"$tmp/$name.sarif")
	$py - fixtures/fix/$name "$tmp/$name.json" "$tmp/$name.sarif" <<'EOF' && ok || bad "$name: the JSON and SARIF fixes do not turn before/ into after/"
import json, sys, os
case, js, sa = sys.argv[1:]
def apply(path, edits):
    data = open(os.path.join(case, "before", path), "rb").read()
    out, at = b"", 0
    for off, length, text in sorted(edits):
        assert off >= at, (path, off, at)
        out += data[at:off] + text.encode()
        at = off + length
    return out + data[at:]
def check(per_file):
    assert per_file, "no fixes reported"
    for path, edits in per_file.items():
        want = open(os.path.join(case, "after", path), "rb").read()
        got = apply(path, edits)
        assert got == want, (path, got, want)
j = json.load(open(js))
per = {}
for f in j["findings"]:
    if "suppressed" in f or "fixes" not in f:
        continue
    assert not f["rule"].startswith("secrets/")
    for fix in f["fixes"]:
        for e in fix["edits"]:
            per.setdefault(f["path"], []).append((e["offset"], e["length"], e["text"]))
            assert e["line"] >= 1 and e["column"] >= 1
check(per)
s = json.load(open(sa))
per = {}
for r in s["runs"][0]["results"]:
    if r.get("suppressions") or "fixes" not in r:
        continue
    for fix in r["fixes"]:
        for ch in fix["artifactChanges"]:
            uri = ch["artifactLocation"]["uri"]
            for rep in ch["replacements"]:
                d = rep["deletedRegion"]
                per.setdefault(uri, []).append((d["byteOffset"], d["byteLength"], rep["insertedContent"]["text"]))
                assert d["startLine"] >= 1 and d["startColumn"] >= 1
check(per)
EOF
done
if ! $py -c 'import jsonschema' 2>/dev/null; then
	bad "$py cannot import jsonschema: install python3-jsonschema (sh ci/install-deps.sh)"
else
	for name in quote-in-file-style marker-forms; do
		$py - schemas/report.schema.json "$tmp/$name.json" <<'EOF' && ok || bad "json: $name's report with fixes does not validate against schemas/report.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
		if [ -f "$sarif_schema" ]; then
			$py - "$sarif_schema" "$tmp/$name.sarif" <<'EOF' && ok || bad "sarif: $name's log with fixes does not validate against the SARIF 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
		else
			bad "the SARIF 2.1.0 schema is missing: $sarif_schema (set SHARED)"
		fi
	done
fi
# a secrets/ finding never carries a fix
rm -rf "$tmp/rep"
cp -R fixtures/fix/nothing-fixable/before "$tmp/rep"
(cd "$tmp/rep" && "$PLUMB" check --format json . >"$tmp/nf.json")
$py - "$tmp/nf.json" <<'EOF' && ok || bad "nothing-fixable: a finding carries fixes, or no secrets/ finding was made"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert any(x["rule"].startswith("secrets/") for x in f)
assert not [x for x in f if "fixes" in x]
EOF

# --- refusals: exit 2, a clear message, nothing written ---------------------
rm -rf "$tmp/r"
cp -R fixtures/fix/quote-in-file-style/before "$tmp/r"
refuse() {
	want=$1
	shift
	(cd "$tmp/r" && "$PLUMB" check "$@" >"$tmp/r.out" 2>"$tmp/r.err" </dev/null)
	rc=$?
	[ "$rc" = 2 ] && ok || bad "check $*: exit $rc, want 2"
	grep -qF -- "$want" "$tmp/r.err" && ok || bad "check $*: stderr lacks '$want': $(cat "$tmp/r.err")"
	same_tree fixtures/fix/quote-in-file-style/before "$tmp/r" && ok || bad "check $*: files changed"
}
refuse "plumb: --fix rewrites the working tree; it does not go with --staged" --fix --staged .
refuse "plumb: --fix rewrites the working tree; it does not go with --history" --fix --history .
refuse "plumb: --fix rewrites files; standard input ('-') has none to rewrite" --fix -
refuse "plumb: --dry-run needs --fix" --dry-run .
refuse "plumb: --fix --dry-run prints a diff, not a report: -o does not go with it" --fix --dry-run -o out.txt .

finish cli-fix
