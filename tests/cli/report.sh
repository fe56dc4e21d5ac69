#!/bin/sh
# Report formats: the exit code does not depend on --format; GitHub
# workflow commands are exact and escaped; SARIF validates against the
# official 2.1.0 schema (from $SHARED) and meets code scanning's rules;
# JSON validates against schemas/report.schema.json; suppressed findings
# are left out or marked as each format promises. Fixtures are copied out
# of the work tree first, so reported paths do not depend on where (or
# whether in git) the repository is checked out.
# UPDATE=1 rewrites tests/cli/golden/{several,demo}.sarif (review the diff).
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
SHARED=${SHARED:-../shared}
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
# secret fingerprints are keyed (engine/run/key.c); outside git the key
# comes from the config folder: a fixed one keeps the goldens stable
mkdir -p "$tmp/config/plumb"
printf '%064d\n' 0 >"$tmp/config/plumb/fingerprint-key"
export XDG_CONFIG_HOME="$tmp/config"
# Debian's python3 on purpose: a python3 earlier on PATH (pyenv, a venv)
# does not see the python3-jsonschema package ci/install-deps.sh installs.
py=/usr/bin/python3
sarif_schema=$SHARED/testsuites/sarif/schema/sarif-schema-2.1.0.json

cp -R fixtures/report/several fixtures/report/escaping "$tmp/"
several=$tmp/several

# --- exit codes do not depend on the format --------------------------------
dup=fixtures/yaml/duplicate-key/bad/selector-twice.yaml
info=fixtures/yaml/unrendered-template/bad/go-template.yaml
clean=fixtures/yaml/syntax/good/document-marker-in-block-scalar.yaml
for fmt in text json sarif github; do
	run "$PLUMB" check --format $fmt "$dup"
	[ "$rc" = 1 ] && ok || bad "$fmt: an error exits 1, got $rc"
	expect_no_err "$fmt: nothing on stderr"
	run "$PLUMB" check --format $fmt "$clean"
	[ "$rc" = 0 ] && ok || bad "$fmt: a clean file exits 0, got $rc"
	run "$PLUMB" check --format $fmt "$info"
	[ "$rc" = 0 ] && ok || bad "$fmt: an info exits 0, got $rc"
	run "$PLUMB" check --format $fmt --fail-on info "$info"
	[ "$rc" = 1 ] && ok || bad "$fmt: --fail-on info exits 1, got $rc"
	run "$PLUMB" check --format $fmt -o "$tmp/report.$fmt" "$several"
	[ "$rc" = 1 ] && ok || bad "$fmt -o: exits 1, got $rc"
	[ -z "$out" ] && [ -s "$tmp/report.$fmt" ] && ok ||
		bad "$fmt -o: the report goes to the file only"
done
run "$PLUMB" check --format sarif -o /nonexistent/dir/r.sarif "$dup"
[ "$rc" = 3 ] && ok || bad "sarif to an unwritable -o exits 3 (cannot write the report), got $rc"

# --- github: exact lines, escaping ----------------------------------------
run "$PLUMB" check --format github "$tmp/escaping"
cat >"$tmp/want" <<'EOF'
::error file=50%25%2Coff.yaml,line=4,col=1,endLine=4,endColumn=10,title=yaml/duplicate-key::duplicate key 'a:b,c%25d' (first defined at line 3); YAML forbids it and tools disagree on which value wins%0Ahint: remove one of the two keys, or merge their values
EOF
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" && ok ||
	bad "github: escaping lines differ: $(cat "$tmp/diff")"

# ':' and line breaks in a property: a file name that holds them
odd="$tmp/odd"
mkdir "$odd"
printf 'k: 1\nk: 2\n' >"$odd/$(printf 'cr\rlf\nco:lon.yaml')"
run "$PLUMB" check --format github "$odd"
expect_out '::error file=cr%0Dlf%0Aco%3Alon.yaml,line=2,col=1,endLine=2,endColumn=2,title=yaml/duplicate-key::' "github: CR, LF and ':' in a property"
[ "$(wc -l <"$tmp/out")" = 1 ] && ok || bad "github: one line per finding"

run "$PLUMB" check --format github "$several"
cat >"$tmp/want" <<'EOF'
::error file=apps/web.yaml,line=24,col=22,endLine=24,endColumn=25,title=yaml/ambiguous-scalar::env var 'DEBUG' is a string in YAML 1.2 but a boolean in YAML 1.1, which kubectl and Flux use: quote it%0Ahint: quote it: "yes"
::error file=apps/web.yaml,line=26,col=22,endLine=26,endColumn=36,title=secrets/env-value::env 'DB_PASSWORD' has a plaintext value '***'; read it from a Secret instead%0Ahint: valueFrom: {secretKeyRef: {name: SECRET, key: KEY}}
::notice file=assets/logo.png,line=1,col=1,endLine=1,endColumn=2,title=source/skipped::binary file (NUL byte at offset 8); not linted
::error file=assets/logo.svg,line=1,col=1,endLine=1,endColumn=2,title=source/unreadable::broken symbolic link: its target does not exist
::warning file=clusters/apps.yaml,line=10,col=13,endLine=10,endColumn=27,title=flux/depends-on::dependsOn names Kustomization 'infrastructure' in namespace 'flux-system', which is not in the repository; Flux waits for it forever
::warning file=clusters/apps.yaml,line=14,col=11,endLine=14,endColumn=16,title=flux/dangling-ref::spec.sourceRef names GitRepository 'fleet' in namespace 'flux-system', which is not in the repository
::notice file=clusters/values.yaml,line=4,col=3,endLine=4,endColumn=5,title=yaml/unrendered-template::Go template syntax: not valid YAML until rendered (it fails to parse at line 4); only text checks ran on it
::error file=scripts/deploy.sh,line=3,col=21,endLine=3,endColumn=61,title=secrets/token::GitHub personal access token committed in plain text: 'ghp_***' (token)%0Ahint: revoke it, remove it from git history, and reference it from a secret store instead
EOF
diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" && ok ||
	bad "github: lines for fixtures/report/several differ: $(cat "$tmp/diff")"
expect_no_out "yaml/duplicate-key" "github: a suppressed finding is not annotated"

# --- suppressed findings in text and json ------------------------------------
run "$PLUMB" check "$several"
expect_out "4 errors, 2 warnings, 2 infos in 7 files (1 suppressed)" "text: the summary counts suppressed findings apart"
expect_no_out "duplicate-key" "text: a suppressed finding is not shown"
run "$PLUMB" check --format json "$several"
expect_out '"kind": "inline"' "json: the suppression kind"
expect_out '"reason": "the second value is the one kubectl keeps"' "json: the suppression reason"
expect_out '"suppressed": 1' "json: summary.suppressed"
expect_out '"findings": 8' "json: summary.findings leaves the suppressed one out"

# --- secrets stay masked ------------------------------------------------------
for fmt in text json sarif github; do
	"$PLUMB" check --format $fmt "$several" >"$tmp/out" 2>&1
	grep -q 'ghp_Zr8q\|Xk9#mQ2v' "$tmp/out" &&
		bad "$fmt: a report shows more than the head of a secret" || ok
done

# --- SARIF: determinism, golden, variants -------------------------------------
"$PLUMB" check -j1 --format sarif "$several" >"$tmp/j1.sarif"
"$PLUMB" check -j4 --format sarif "$several" >"$tmp/j4.sarif"
cmp -s "$tmp/j1.sarif" "$tmp/j4.sarif" && ok || bad "sarif: -j1 and -j4 give the same bytes"

# The golden: rule texts (checked below, and owned by the rules), the
# root's file: URI and plumb's version are left out; nothing else varies.
version=$("$PLUMB" version | sed -n "1s/^plumb \([^ ]*\).*/\1/p")
normalise() {
	$py - "$1" "$version" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
drv = log["runs"][0]["tool"]["driver"]
for k in ("version", "semanticVersion"):
    if drv[k] == sys.argv[2]:
        drv[k] = "VERSION"
for r in drv["rules"]:
    for k in ("shortDescription", "fullDescription", "help"):
        r[k] = "..."
root = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
if root.get("uri", "").endswith(("/several/", "/demo/")):
    root["uri"] = "file:///ROOT/"
print(json.dumps(log, indent=2, ensure_ascii=False))
EOF
}
normalise "$tmp/j1.sarif" >"$tmp/golden.sarif"
# the demo repository too (DESIGN.md: `make run` lints it), copied out of
# the git checkout so that its root, not plumb's, is %SRCROOT%
cp -R fixtures/demo "$tmp/demo"
"$PLUMB" check --format sarif "$tmp/demo" >"$tmp/demo-golden.sarif"
normalise "$tmp/demo-golden.sarif" >"$tmp/demo-golden.norm"
if [ "${UPDATE:-}" = 1 ]; then
	cp "$tmp/golden.sarif" tests/cli/golden/several.sarif
	cp "$tmp/demo-golden.norm" tests/cli/golden/demo.sarif
fi
diff -u tests/cli/golden/several.sarif "$tmp/golden.sarif" >"$tmp/diff" && ok ||
	bad "sarif: report for fixtures/report/several differs from tests/cli/golden/several.sarif (review, then UPDATE=1): $(head -40 "$tmp/diff")"
diff -u tests/cli/golden/demo.sarif "$tmp/demo-golden.norm" >"$tmp/diff" && ok ||
	bad "sarif: report for fixtures/demo differs from tests/cli/golden/demo.sarif (review, then UPDATE=1): $(head -40 "$tmp/diff")"

"$PLUMB" check --format sarif "$tmp/escaping" >"$tmp/escaping.sarif"
grep -qF '"uri": "50%25,off.yaml"' "$tmp/escaping.sarif" && ok ||
	bad "sarif: a path is percent-encoded as a URI reference"
"$PLUMB" check --format sarif "$odd" >"$tmp/odd.sarif"
grep -qF '"uri": "cr%0Dlf%0Aco%3Alon.yaml"' "$tmp/odd.sarif" && ok ||
	bad "sarif: control characters and ':' are percent-encoded"

"$PLUMB" check --format sarif - <"$dup" >"$tmp/stdin.sarif"
grep -qF '"uri": "%3Cstdin%3E"' "$tmp/stdin.sarif" && ok ||
	bad "sarif: standard input is a relative URI"
grep -qF '"description"' "$tmp/stdin.sarif" && ok ||
	bad "sarif: without a root, %SRCROOT% is described, not given"

# a PATH outside the root is reported as given: an absolute file: URI
abs="$tmp/abs.yaml"
cp "$dup" "$abs"
"$PLUMB" check --format sarif "$several" "$abs" >"$tmp/abs.sarif"
# (TMPDIR may hold a space or a '%': URI-encoded, RFC 3986)
abs_uri=$(printf '%s' "$abs" | sed 's/%/%25/g; s/ /%20/g')
grep -qF "\"uri\": \"file://$abs_uri\"" "$tmp/abs.sarif" && ok ||
	bad "sarif: an absolute path is a file: URI"

# a rule set off is listed, disabled
printf 'rules:\n  workloads/*: off\n  flux/dangling-ref: off\n' >"$several/.plumb.yaml"
"$PLUMB" check --format sarif "$several" >"$tmp/off.sarif"
cp fixtures/report/several/.plumb.yaml "$several/.plumb.yaml"

# --- SARIF: code scanning's requirements (python's json, no schema needed) --
cat >"$tmp/gh.py" <<'EOF'
import json, re, sys

problems = []
def need(cond, what):
    if not cond:
        problems.append(what)

for name in sys.argv[1:]:
    log = json.load(open(name, encoding="utf-8"))
    need(log.get("version") == "2.1.0", name + ": version 2.1.0")
    need(log.get("$schema", "").startswith("https://"), name + ": $schema")
    runs = log.get("runs", [])
    need(len(runs) == 1, name + ": one run")
    for run in runs:
        drv = run["tool"]["driver"]
        need(drv.get("name") == "plumb", name + ": driver name")
        need(re.match(r"^\d+\.\d+\.\d+", drv.get("semanticVersion", "")),
             name + ": semanticVersion")
        need(drv.get("informationUri", "").startswith("https://"),
             name + ": informationUri")
        need(run.get("columnKind") == "unicodeCodePoints", name + ": columnKind")
        bases = run.get("originalUriBaseIds", {})
        rules = drv.get("rules", [])
        need(rules, name + ": rules listed")
        for i, r in enumerate(rules):
            w = "%s: rule %s" % (name, r.get("id"))
            for k in ("shortDescription", "fullDescription", "help"):
                t = r.get(k, {}).get("text", "")
                need(t.strip(), w + ": " + k + ".text")
                need(k == "help" or len(t) <= 1024, w + ": " + k + " <= 1024")
            need(r.get("help", {}).get("markdown", "").strip(), w + ": help.markdown")
            need(0 < len(r.get("name", "")) <= 255, w + ": name")
            lvl = r.get("defaultConfiguration", {}).get("level")
            need(lvl in ("error", "warning", "note"), w + ": level")
            props = r.get("properties", {})
            need(0 < len(props.get("tags", [])) <= 20, w + ": tags")
            need(props.get("precision") in ("very-high", "high", "medium", "low"),
                 w + ": precision")
            if r["id"].startswith("secrets/"):
                s = props.get("security-severity", "")
                need(re.match(r"^\d+(\.\d+)?$", s) and 0 < float(s) <= 10,
                     w + ": security-severity")
                need("security" in props.get("tags", []), w + ": security tag")
        results = run.get("results", [])
        for j, res in enumerate(results):
            w = "%s: results[%d]" % (name, j)
            idx = res.get("ruleIndex")
            need(isinstance(idx, int) and 0 <= idx < len(rules)
                 and rules[idx]["id"] == res.get("ruleId"),
                 w + ": ruleIndex points at its rule")
            need(res.get("level") in ("error", "warning", "note"), w + ": level")
            need(res.get("message", {}).get("text", "").strip(), w + ": message.text")
            fp = res.get("partialFingerprints", {})
            need(re.match(r"^[0-9a-f]{16}$", fp.get("plumb/v1", "")),
                 w + ": partialFingerprints plumb/v1")
            if res["ruleId"].startswith("secrets/"):
                need(fp.get("plumb/secret/v1"), w + ": secret fingerprint")
            locs = res.get("locations", [])
            need(len(locs) == 1, w + ": one location")
            for loc in locs:
                pl = loc["physicalLocation"]
                art = pl["artifactLocation"]
                uri = art.get("uri", "")
                need(uri and not uri.startswith("/") and ".." not in uri.split("/")
                     and ":" not in uri, w + ": uri relative: " + uri)
                need(art.get("uriBaseId") == "%SRCROOT%" and "%SRCROOT%" in bases,
                     w + ": uriBaseId declared")
                reg = pl.get("region", {})
                need(reg.get("startLine", 0) >= 1, w + ": region.startLine")
                if "endColumn" in reg:
                    need(reg["endLine"] > reg["startLine"]
                         or reg["endColumn"] > reg["startColumn"],
                         w + ": region not empty")
        inv = run.get("invocations", [])
        need(len(inv) == 1 and inv[0].get("executionSuccessful") is True,
             name + ": executionSuccessful")
        notes = inv[0].get("toolExecutionNotifications", []) if inv else []
        skipped = [r for r in results
                   if r["ruleId"] in ("source/skipped", "source/unreadable")]
        need(len(notes) == len(skipped), name + ": one notification per skipped file")
        for note, res in zip(notes, skipped):
            need(note["locations"][0]["physicalLocation"]["artifactLocation"]
                 == res["locations"][0]["physicalLocation"]["artifactLocation"],
                 name + ": notification names the file")
            need(note.get("associatedRule", {}).get("id") == res["ruleId"],
                 name + ": notification names its rule")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
EOF
for f in "$tmp/j1.sarif" "$tmp/escaping.sarif" "$tmp/odd.sarif" "$tmp/stdin.sarif"; do
	$py "$tmp/gh.py" "$f" && ok || bad "sarif: code scanning requirements ($f)"
done
"$PLUMB" check --format sarif fixtures/demo >"$tmp/demo.sarif"
$py "$tmp/gh.py" "$tmp/demo.sarif" && ok || bad "sarif: code scanning requirements (fixtures/demo)"

$py - "$tmp/j1.sarif" "$tmp/off.sarif" <<'EOF' && ok || bad "sarif: suppressions, notifications, disabled rules"
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
sup = [r for r in run["results"] if "suppressions" in r]
assert len(sup) == 1, sup
assert sup[0]["ruleId"] == "yaml/duplicate-key"
assert sup[0]["suppressions"] == [{"kind": "inSource", "status": "accepted",
    "justification": "the second value is the one kubectl keeps"}], sup
notes = run["invocations"][0]["toolExecutionNotifications"]
assert [n["level"] for n in notes] == ["note", "error"], notes
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert rules["secrets/token"]["properties"]["security-severity"] == "9.5"
# a warning (a published vendor default) ranks medium, not critical
assert rules["secrets/default-credential"]["properties"]["security-severity"] == "6.5"
assert rules["yaml/duplicate-key"]["name"] == "DuplicateKey"
assert "Fix:" not in rules["secrets/token"]["fullDescription"]["text"]
assert "Fix:" in rules["secrets/token"]["help"]["text"]
assert "enabled" not in rules["flux/dangling-ref"]["defaultConfiguration"]
off = json.load(open(sys.argv[2]))
rules = {r["id"]: r for r in off["runs"][0]["tool"]["driver"]["rules"]}
assert rules["flux/dangling-ref"]["defaultConfiguration"] == {
    "enabled": False, "level": "warning"}, rules["flux/dangling-ref"]
assert not [r for r in off["runs"][0]["results"]
            if r["ruleId"] == "flux/dangling-ref"]
EOF

# SARIF's rule properties are what each descriptor declares (plumb rules
# --format json): tags, precision, and a security-severity exactly for
# the security rules
"$PLUMB" rules --format json >"$tmp/rules.json"
$py - "$tmp/demo.sarif" "$tmp/rules.json" <<'EOF' && ok || bad "sarif: rule properties differ from the descriptors"
import json, sys
rules = {r["id"]: r["properties"] for r in
         json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]}
declared = {r["id"]: r for r in json.load(open(sys.argv[2]))}
assert set(rules) == set(declared), set(rules) ^ set(declared)
for rid, d in declared.items():
    p = rules[rid]
    assert p["tags"] == d["tags"], (rid, p["tags"], d["tags"])
    assert p["precision"] == d["precision"], (rid, p["precision"])
    assert ("security-severity" in p) == ("security" in d["tags"]), rid
assert declared["secrets/env-value"]["precision"] == "medium"
assert declared["source/skipped"]["stage"] == "source"
assert declared["suppression/unused"]["stage"] == "suppression"
# the packs declare them like built-in rules (rules/*.yaml)
assert declared["workloads/privileged"]["tags"] == [
    "security", "workloads", "external/cwe/cwe-250"], declared["workloads/privileged"]
assert "security-severity" in rules["workloads/privileged"]
assert declared["postgres/n8n-db-type"]["tags"] == ["postgres", "configuration"]
assert "security-severity" not in rules["postgres/n8n-db-type"]
EOF

# --- related locations: a finding about two places -------------------------
# the marker's tag misses the range of an ImagePolicy in another file
rel=fixtures/flux/imagepolicy-marker/bad/range-in-policy-file
"$PLUMB" check --format sarif "$rel" >"$tmp/related.sarif"
"$PLUMB" check --format json "$rel" >"$tmp/related.json"
run "$PLUMB" check -q "$rel"
expect_out "$rel/image-policy.yaml:20:14: note: the semver range of ImagePolicy 'flux-system/podinfo'" \
	"text: the related place as a compiler-style note line"
$py - "$tmp/related.sarif" "$tmp/related.json" "$rel" <<'EOF' && ok || bad "sarif and json: the related location of a cross-file finding"
import json, sys
rel = sys.argv[3]
res = [r for r in json.load(open(sys.argv[1]))["runs"][0]["results"]
       if r["ruleId"] == "flux/imagepolicy-marker"]
assert len(res) == 1, res
assert res[0]["relatedLocations"] == [{
    "id": 0,
    "physicalLocation": {
        "artifactLocation": {"uri": rel + "/image-policy.yaml",
                             "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 20, "startColumn": 14, "endLine": 20,
                   "endColumn": 30}},
    "message": {"text": "the semver range of ImagePolicy 'flux-system/podinfo'"}},
], res[0]["relatedLocations"]
fs = [f for f in json.load(open(sys.argv[2]))["findings"]
      if f["rule"] == "flux/imagepolicy-marker"]
assert fs[0]["related"] == [{
    "path": rel + "/image-policy.yaml", "line": 20, "column": 14,
    "endLine": 20, "endColumn": 30,
    "message": "the semver range of ImagePolicy 'flux-system/podinfo'"}], fs
EOF

# --- schemas ---------------------------------------------------------------
if ! $py -c 'import jsonschema' 2>/dev/null; then
	bad "$py cannot import jsonschema: install python3-jsonschema (sh ci/install-deps.sh)"
else
	"$PLUMB" check --format json fixtures/demo >"$tmp/demo.json"
	"$PLUMB" check --format json "$several" >"$tmp/several.json"
	"$PLUMB" check --format json - <"$dup" >"$tmp/stdin.json"
	for f in "$tmp/demo.json" "$tmp/several.json" "$tmp/stdin.json" \
		"$tmp/related.json"; do
		$py - schemas/report.schema.json "$f" <<'EOF' && ok || bad "json: $f does not validate against schemas/report.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
	done
	if [ -f "$sarif_schema" ]; then
		for f in "$tmp/demo.sarif" "$tmp/j1.sarif" "$tmp/escaping.sarif" \
			"$tmp/odd.sarif" "$tmp/stdin.sarif" "$tmp/abs.sarif" \
			"$tmp/off.sarif" "$tmp/related.sarif"; do
			$py - "$sarif_schema" "$f" <<'EOF' && ok || bad "sarif: $f does not validate against the SARIF 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
		done
		echo "sarif: validated against $sarif_schema"
	else
		echo "SKIPPED: SARIF schema validation: $sarif_schema not found (set SHARED to ../shared)"
	fi
fi

echo "cli-report: $n assertions, $fails failed"
[ "$fails" = 0 ]
