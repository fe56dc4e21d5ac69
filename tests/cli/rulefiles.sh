#!/bin/sh
# Declarative rule files (rules/FORMAT.md, schemas/rule.schema.json):
#   - every fixtures/rule-files/bad/<case> (a file, or a folder of files)
#     is refused with exit 2 and exactly the stderr line of <case>.expect,
#     by `plumb check --rules` and `plumb rules --rules` alike;
#   - every fixtures/rule-files/good/*.yaml loads (exit 0 or 1, never 2),
#     and together they use every operator and every target;
#   - the schema accepts the shipped packs rules/*.yaml and the good cases
#     and refuses the bad ones, so schema and loader agree (Debian's
#     python3 with python3-jsonschema and python3-yaml; SKIPPED without);
#   - a rule author's round trip: a new rule file in a temporary folder
#     fires where it should and only there, `plumb rules` lists it with
#     its file, `plumb explain` shows it, `rule-dirs:` in .plumb.yaml
#     loads it and `rules:` sets its severity, and an id that a built-in
#     rule or a shipped pack already has is exit 2 naming both origins.
# UPDATE=1 rewrites the .expect files (review the diff like code).
set -u
: "${PLUMB:?}"
# absolute, as some commands run from a temporary folder
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
cd "$(dirname "$0")/../.." || exit 2
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# --- bad rule files: exit 2, exactly the .expect line ------------------------
cases=0
for c in fixtures/rule-files/bad/*.yaml fixtures/rule-files/bad/*/; do
	[ -e "$c" ] || continue
	c=${c%/}
	cases=$((cases + 1))
	run "$PLUMB" check --rules "$c" fixtures/demo
	expect_rc 2 "$c is refused"
	[ -z "$out" ] && ok || bad "$c: nothing is linted after a broken rule file: $out"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/err" "$c.expect"
	elif [ ! -f "$c.expect" ]; then
		bad "$c has no $c.expect (UPDATE=1 writes it)"
	elif cmp -s "$c.expect" "$tmp/err"; then
		ok
	else
		bad "$c: stderr differs from $c.expect:"
		diff -u "$c.expect" "$tmp/err"
	fi
	[ "$(wc -l <"$tmp/err")" = 1 ] && ok || bad "$c: stderr is one line"
	case $c in
	*/duplicate-id-across-files) ;; # a registry error: no single position
	*)
		grep -q "^$c:[0-9][0-9]*:[0-9][0-9]*: " "$tmp/err" && ok ||
			bad "$c: the message starts with $c:line:col: $err"
		;;
	esac
	cp "$tmp/err" "$tmp/check.err"
	run "$PLUMB" rules --rules "$c"
	expect_rc 2 "plumb rules --rules $c is refused"
	cmp -s "$tmp/check.err" "$tmp/err" && ok ||
		bad "$c: plumb rules and plumb check report it differently: $err"
done
for e in fixtures/rule-files/bad/*.expect; do
	[ -e "${e%.expect}" ] && ok || bad "$e belongs to no case"
done

# --- good rule files: they load, and cover the format -----------------------
for g in fixtures/rule-files/good/*.yaml fixtures/rule-files/good; do
	run "$PLUMB" check --rules "$g" fixtures/demo
	{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok || bad "$g loads: exit $rc ($err)"
	[ -z "$err" ] && ok || bad "$g: nothing on stderr: $err"
done
for g in fixtures/rule-files/good/*.yaml; do
	run "$PLUMB" rules --rules "$g"
	for id in $(sed -n 's/^  - id: *//p' "$g"); do
		printf '%s\n' "$out" | grep -q "^$id .*\[$g\]$" && ok ||
			bad "plumb rules --rules $g lists $id with its file"
	done
done
for op in exists absent equals one-of contains regex min max min-length \
	max-length semver type all any not env-defines; do
	cat fixtures/rule-files/good/*.yaml | grep -v '^ *#' |
		grep -qE "(^|[ {,-])$op:" && ok ||
		bad "no good rule file uses the operator $op"
done
for t in object pod container env image; do
	grep -qE "^ +target: $t\$" fixtures/rule-files/good/*.yaml && ok ||
		bad "no good rule file uses target: $t"
done
grep -h -A1 -E '^ +assert:$' fixtures/rule-files/good/*.yaml |
	grep -qE '^ +- ' && ok || bad "a good rule file gives assert a list"
for form in '\[[0-9]' '\[\*\]' '\["' "\\['" 'path: \.[,}]'; do
	grep -q "$form" fixtures/rule-files/good/*.yaml && ok ||
		bad "no good rule file has a path with $form"
done

# --- the schema: shipped packs and good cases valid, bad cases refused -------
# Debian's python3 on purpose: a python3 earlier on PATH (pyenv, a venv)
# does not see the packages ci/install-deps.sh installs. The YAML is read
# as plumb reads it: YAML 1.2 core types (yes is a string, 2024-01-01 too),
# merge keys, and a duplicate key refuses the file.
py=/usr/bin/python3
# What JSON Schema cannot say; the loader alone refuses these.
loader_only="min-above-max.yaml nesting-too-deep.yaml duplicate-id-across-files"
if ! $py -c 'import jsonschema, yaml' 2>/dev/null; then
	echo "SKIPPED: schema check of rule files: $py cannot import jsonschema and yaml"
	echo "SKIPPED: install python3-jsonschema and python3-yaml (sh ci/install-deps.sh)"
else
	set -- rules/*.yaml fixtures/rule-files/good/*.yaml \
		fixtures/rule-files/bad/*.yaml fixtures/rule-files/bad/*/*.yaml
	$py - schemas/rule.schema.json "$@" >"$tmp/schema" <<'EOF' ||
import json, re, sys, warnings
import jsonschema, yaml

warnings.simplefilter("ignore")  # re's FutureWarning on some PCRE classes
T = "tag:yaml.org,2002:"

class Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = {}

for tag, rx, first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+.0123456789"),
    ("merge", r"<<", "<"),
):
    Loader.add_implicit_resolver(T + tag, re.compile("^(?:%s)$" % rx),
                                 list(first))

def integer(loader, node):
    v = loader.construct_scalar(node)
    base = {"0o": 8, "0x": 16}.get(v[:2], 10)
    return int(v[2:] if base != 10 else v, base)

def mapping(loader, node):
    seen = set()
    for k, _ in node.value:
        if k.tag == T + "merge":
            continue
        key = loader.construct_object(k, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), k.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)

Loader.add_constructor(T + "int", integer)
Loader.add_constructor(T + "map", mapping)

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(
    schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
for path in sys.argv[2:]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=Loader)
    except yaml.YAMLError as e:
        print("%s\trefused\tYAML: %s" % (path, " ".join(str(e).split())))
        continue
    e = jsonschema.exceptions.best_match(v.iter_errors(doc))
    if e is None:
        print("%s\tvalid\t" % path)
    else:
        print("%s\trefused\t%s at /%s" % (path, e.message[:300],
              "/".join(map(str, e.absolute_path))))
EOF
		bad "the schema check itself failed"
	while IFS='	' read -r f verdict why; do
		want=refused
		case $f in
		rules/* | fixtures/rule-files/good/*) want=valid ;;
		esac
		for lo in $loader_only; do
			case $f in
			fixtures/rule-files/bad/"$lo" | fixtures/rule-files/bad/"$lo"/*) want=valid ;;
			esac
		done
		if [ "$verdict" = "$want" ]; then
			ok
		elif [ "$want" = valid ]; then
			bad "schema refuses $f: $why"
		else
			bad "schema accepts $f, which the loader refuses (or add it to loader_only)"
		fi
	done <"$tmp/schema"
	[ "$(wc -l <"$tmp/schema")" = "$#" ] && ok ||
		bad "the schema check answered for every file"
	$py - schemas/rule.schema.json <<'EOF' && ok || bad "schemas/rule.schema.json: descriptions and additionalProperties"
import json, sys

def walk(node, where):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if not isinstance(sub, dict) or not sub.get("description"):
                print("  %s/properties/%s has no description" % (where, name))
                walk.bad = True
        if node.get("type") == "object" and \
                node.get("additionalProperties") not in (False, None) and \
                not isinstance(node.get("additionalProperties"), dict):
            print("  %s allows any property" % where)
            walk.bad = True
        if node.get("type") == "object" and "properties" in node and \
                node.get("additionalProperties") is not False:
            print("  %s: additionalProperties is not false" % where)
            walk.bad = True
        for k, v in node.items():
            walk(v, where + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (where, i))

walk.bad = False
walk(json.load(open(sys.argv[1])), "#")
sys.exit(1 if walk.bad else 0)
EOF
	echo "schema: $(grep -c '	valid	' "$tmp/schema") valid, $(grep -c '	refused	' "$tmp/schema") refused; loader only: $loader_only"
fi

# --- a rule author's round trip ---------------------------------------------
a="$tmp/author"
mkdir -p "$a/policies" "$a/repo/apps"
cat >"$a/policies/team.yaml" <<'EOF'
# The platform team's policies.
rules:
  - id: team/prod-replicas
    severity: error
    summary: A production Deployment runs fewer than two replicas
    help: |
      Production Deployments keep serving through a rollout or a node
      drain only with two replicas or more.
      Fix: set spec.replicas to 2 or more.
    match:
      kinds: [Deployment]
      namespaces: ["^prod$"]
    assert:
      path: spec.replicas
      min: 2
    message: "{kind} '{name}' in {namespace} runs {value} replica(s) ({path}), fewer than 2"
    example: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: prod
      spec:
        replicas: 1

  - id: team/internal-registry
    severity: warning
    summary: An app container pulls its image from outside the internal registry
    help: |
      Images from public registries are rate-limited and unscanned.
      Fix: mirror the image to registry.example.com and pull it from there.
    match:
      kinds: [Deployment, StatefulSet]
      containers: [app]
    target: container
    assert:
      path: image
      regex: "^registry\\.example\\.com/"
    message: "container '{container}' of {kind} '{name}' pulls {value} ({path}), not from registry.example.com"
EOF
cat >"$a/policies/extra.yml" <<'EOF'
rules:
  - id: team/owner-label
    severity: info
    summary: A workload has no owner label
    help: |
      On-call finds the owning team by its team.example.com/owner label.
      Fix: add the label.
    match:
      names: ["^never-matches$"]
    assert:
      path: metadata.labels["team.example.com/owner"]
      exists: true
    message: "{kind} '{name}' has no owner label"
EOF
printf 'rules: [not loaded, it is hidden]\n' >"$a/policies/.draft.yaml"
printf '# Policies\nNot a rule file.\n' >"$a/policies/README.md"
cat >"$a/repo/apps/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 1
  template:
    spec:
      initContainers:
        - name: migrate
          image: busybox:1.36
      containers:
        - name: web
          image: nginx:1.25
        - name: proxy
          image: registry.example.com/envoy:1.29
EOF
cat >"$a/repo/apps/api.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:2.4.1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.example.com/worker:2.4.1
EOF
cat >"$a/repo/apps/other.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: staging
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: prod
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: postgres
          image: registry.example.com/postgres:16.4
EOF

run_in "$a" "$PLUMB" check -j1 --rules policies repo
expect_rc 1 "the new error rule fails the check"
expect_out "apps/web.yaml:7:13: error[team/prod-replicas]: Deployment 'web' in prod runs 1 replica(s) (spec.replicas), fewer than 2" "fires at the value, placeholders filled"
expect_out "apps/api.yaml:17:9: error[team/prod-replicas]: Deployment 'worker' in prod runs (absent) replica(s) (spec.replicas), fewer than 2" "a missing path fires at metadata.name"
expect_out "apps/web.yaml:15:18: warning[team/internal-registry]: container 'web' of Deployment 'web' pulls nginx:1.25 (image), not from registry.example.com" "the container rule fires at the image"
expect_no_out "apps/api.yaml:4:" "three replicas in prod are enough"
expect_no_out "apps/other.yaml:4:9: error[team/prod-replicas]" "staging is not prod"
expect_no_out "apps/other.yaml:17:" "a StatefulSet is not a Deployment"
team=$(printf '%s\n' "$out" | grep '\[team/')
printf '%s' "$team" | grep -q "container 'proxy'" &&
	bad "an image from the registry passes" || ok
printf '%s' "$team" | grep -q "container 'migrate'" &&
	bad "containers: [app] leaves init containers alone" || ok
expect_no_out "team/owner-label" "a rule whose match holds nowhere is silent"
[ "$(printf '%s\n' "$team" | grep -c .)" = 3 ] && ok ||
	bad "exactly three team/ findings: $team"

run_in "$a" "$PLUMB" check --format json --rules policies repo
expect_out '"rule": "team/prod-replicas"' "json carries the new rule"

run_in "$a" "$PLUMB" rules --rules policies
expect_rc 0 "plumb rules --rules"
expect_out "team/prod-replicas           error    A production Deployment runs fewer than two replicas [policies/team.yaml]" "rules lists it with its file"
expect_out "team/internal-registry" "rules lists the second rule"
expect_out "team/owner-label" "a .yml file is loaded too"
expect_out "[policies/extra.yml]" "with its own file"
expect_out "yaml/duplicate-key" "built-in rules are still listed"
run_in "$a" "$PLUMB" rules --format json --rules policies
expect_out '"source": "policies/team.yaml"' "rules json names the file"

run_in "$a" "$PLUMB" explain --rules policies team/prod-replicas
expect_rc 0 "plumb explain --rules"
expect_out "team/prod-replicas (error)" "explain header"
expect_out "A production Deployment runs fewer than two replicas" "explain prints the summary"
expect_out "Fix: set spec.replicas to 2 or more." "explain prints the help"
expect_out "Defined in policies/team.yaml." "explain names the file"
expect_out "Example (fires):" "explain prints the example"
expect_out "  namespace: prod" "the example's text"
printf '%s\n' "$out" | sed -n '/^Example (fires):$/,$p' | tail -n +3 >"$a/example.yaml"
run "$PLUMB" check --rules "$a/policies" "$a/example.yaml"
expect_out "error[team/prod-replicas]: Deployment 'web' in prod runs 1 replica(s)" "the example fires"
run_in "$a" "$PLUMB" explain team/prod-replicas
expect_rc 2 "without --rules the rule is unknown"

# .plumb.yaml: rule-dirs loads the folder; rules: sets severities
cp -R "$a/policies" "$a/repo/policies"
printf 'rule-dirs: [policies]\n' >"$a/repo/.plumb.yaml"
run "$PLUMB" check "$a/repo"
expect_rc 1 "rule-dirs: the error rule fails the check"
expect_out "apps/web.yaml:7:13: error[team/prod-replicas]" "rule-dirs loads the rules"
expect_out "apps/web.yaml:15:18: warning[team/internal-registry]" "both rules"
printf 'rule-dirs: [policies]\nrules:\n  team/prod-replicas: warning\n  team/internal-registry: off\n' >"$a/repo/.plumb.yaml"
run "$PLUMB" check "$a/repo"
expect_out "apps/web.yaml:7:13: warning[team/prod-replicas]" "the config lowers the new rule to warning"
expect_no_out "error[team/" "no team/ error left"
expect_no_out "team/internal-registry" "the config turns the other rule off"
printf 'rules:\n  team/prod-replicas: warning\n' >"$a/repo/.plumb.yaml"
run "$PLUMB" check "$a/repo"
expect_rc 2 "without rule-dirs the config names an unknown rule"
expect_err ".plumb.yaml:2:3: unknown rule 'team/prod-replicas'" "at its file:line:col"
printf 'rule-dirs: [nowhere]\n' >"$a/repo/.plumb.yaml"
run "$PLUMB" check "$a/repo"
expect_rc 2 "a missing rule-dirs folder"
expect_err "nowhere" "is named"
rm -f "$a/repo/.plumb.yaml"

run "$PLUMB" check --rules "$a/none" fixtures/demo
expect_rc 2 "a missing --rules folder"
expect_err "cannot read rules '$a/none'" "is named"

# conditions may nest 32 deep, not 33 (the bad case): generated
{
	sed -n '1,/^    assert:$/p' "$a/policies/team.yaml"
	i=0
	while [ $i -lt 32 ]; do
		printf '%*snot:\n' $((6 + 2 * i)) ""
		i=$((i + 1))
	done
	printf '%*s{path: spec.replicas, min: 2}\n' $((6 + 2 * 32)) ""
	printf '%s\n' "    message: \"{kind} '{name}' runs {value} replica(s)\""
} >"$tmp/deep.yaml"
run "$PLUMB" check --rules "$tmp/deep.yaml" "$a/repo/apps/web.yaml"
expect_rc 1 "32 nested conditions load (and an even number of not: fires)"
expect_out "error[team/prod-replicas]" "the deep rule runs"

# hint: the fix line under the excerpt, with the message's placeholders;
# an unknown placeholder in it is an error of the rule file
sed 's|^\(    message: "{kind} .{name}. in {namespace} runs.*\)$|\1\n    hint: "set spec.replicas of {kind} '"'"'{name}'"'"' to 2 or more"|' \
	"$a/policies/team.yaml" >"$tmp/hint.yaml"
run "$PLUMB" check --rules "$tmp/hint.yaml" "$a/repo/apps/web.yaml"
expect_rc 1 "a rule with a hint"
expect_out "= hint: set spec.replicas of Deployment 'web' to 2 or more" "the hint is shown, placeholders filled"
run "$PLUMB" check --format json --rules "$tmp/hint.yaml" "$a/repo/apps/web.yaml"
expect_out '"hint": "set spec.replicas of Deployment '"'"'web'"'"' to 2 or more"' "and is the JSON hint"
sed 's|{name}. to 2|{replicas}'"'"' to 2|' "$tmp/hint.yaml" >"$tmp/badhint.yaml"
run "$PLUMB" check --rules "$tmp/badhint.yaml" "$a/repo/apps/web.yaml"
expect_rc 2 "an unknown placeholder in a hint"
expect_err "hint placeholder '{replicas}' is unknown" "is named"
expect_err "$tmp/badhint.yaml:" "at its file:line:col"

# an id that is already taken: exit 2 naming both origins
mkdir -p "$a/dup"
sed 's|team/prod-replicas|yaml/duplicate-key|; /team\/internal-registry/,$d' \
	"$a/policies/team.yaml" >"$a/dup/mine.yaml"
run "$PLUMB" check --rules "$a/dup" fixtures/demo
expect_rc 2 "an id of a built-in rule"
expect_err "$a/dup/mine.yaml:3:9: rule 'yaml/duplicate-key' is already defined built in" "says which id, at its file:line:col"
expect_err "built in" "names the built-in origin"
expect_err "$a/dup/mine.yaml" "names the rule file"
run "$PLUMB" explain --rules "$a/dup" yaml/duplicate-key
expect_rc 2 "explain refuses it too"
pack=$("$PLUMB" rules | sed -n 's/^\([^ ]*\) .*\[\(rules\/[^]]*\)\]$/\1 \2/p' | head -n 1)
if [ -n "$pack" ]; then
	sed "s|yaml/duplicate-key|${pack% *}|" "$a/dup/mine.yaml" >"$a/dup/mine.yaml.new"
	mv "$a/dup/mine.yaml.new" "$a/dup/mine.yaml"
	run "$PLUMB" check --rules "$a/dup" fixtures/demo
	expect_rc 2 "an id of a shipped pack's rule"
	expect_err "mine.yaml:3:9: rule '${pack% *}' is already defined in ${pack#* }" "says which id and where"
	expect_err "${pack#* }" "names the pack"
	expect_err "$a/dup/mine.yaml" "names the rule file"
else
	bad "plumb rules lists no rule of a shipped pack (rules/*.yaml)"
fi

echo "cli-rulefiles: $cases bad cases, $n assertions, $fails failed"
[ "$fails" = 0 ]
