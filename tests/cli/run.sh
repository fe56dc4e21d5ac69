#!/bin/sh
# CLI tests: exit codes, usage errors, formats, standard input, colour,
# determinism across worker counts. Each `t` line is one assertion that
# names what it proves; any failure makes the script exit 1.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
unset NO_COLOR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# --- usage and exit codes --------------------------------------------------
run "$PLUMB"
expect_rc 2 "no command is a usage error"
expect_err "usage: plumb <command>" "no command prints usage"

run "$PLUMB" frobnicate
expect_rc 2 "unknown command"
expect_err "'frobnicate' is not a plumb command" "unknown command message"

run "$PLUMB" --help
expect_rc 0 "--help"
for c in cel check dump explain lsp rules schema semver version; do
	expect_out "  $c " "--help lists $c"
done

run "$PLUMB" check --help
expect_rc 0 "check --help"
for f in --format --output --fail-on --enable --disable --quiet --summary --color \
	--stdin-filename --jobs --config --rules --staged --diff-base --include-worktree --new-only --history \
	--baseline; do
	expect_out "$f" "check --help lists $f"
done

run "$PLUMB" check --frob
expect_rc 2 "unknown option"
expect_err "plumb: unknown option '--frob'" "unknown option message"
run "$PLUMB" check --fromat json fixtures/demo
expect_rc 2 "a misspelt option"
expect_err "plumb: unknown option '--fromat' (did you mean '--format'?)" "did-you-mean for an option"
run "$PLUMB" chek fixtures/demo
expect_rc 2 "a misspelt command"
expect_err "plumb: 'chek' is not a plumb command (did you mean 'check'?)" "did-you-mean for a command"

run "$PLUMB" check --format xml fixtures/demo
expect_rc 2 "unknown format"
expect_err "unknown format 'xml'" "unknown format message"

run "$PLUMB" check --fail-on fatal fixtures/demo
expect_rc 2 "bad --fail-on"

run "$PLUMB" check -j x fixtures/demo
expect_rc 2 "bad -j"
expect_err "--jobs expects a number" "bad -j message"

run "$PLUMB" check does/not/exist
expect_rc 2 "missing path"
expect_err "plumb: cannot open 'does/not/exist': No such file or directory" "missing path message"

run "$PLUMB" check --output
expect_rc 2 "option without value"
expect_err "requires a value" "option without value message"

# --- check: exit codes by severity ----------------------------------------
good=fixtures/yaml/syntax/good/document-marker-in-block-scalar.yaml
run "$PLUMB" check "$good"
expect_rc 0 "clean file exits 0"
expect_out "no findings in 1 file" "clean summary"

bad=fixtures/yaml/duplicate-key/bad/selector-twice.yaml
run "$PLUMB" check "$bad"
expect_rc 1 "error finding exits 1"
expect_out "fixtures/yaml/duplicate-key/bad/selector-twice.yaml:13:3: error[yaml/duplicate-key]: duplicate key 'selector' (first defined at line 7)" "compiler-style location line"
expect_out "1 error, 0 warnings, 0 infos in 1 file" "summary counts"

info=fixtures/yaml/unrendered-template/bad/go-template.yaml
run "$PLUMB" check "$info"
expect_rc 0 "info finding exits 0 by default"
run "$PLUMB" check --fail-on info "$info"
expect_rc 1 "info finding exits 1 with --fail-on info"
run "$PLUMB" check --fail-on warning "$info"
expect_rc 0 "info finding exits 0 with --fail-on warning"

# --- formats and output ------------------------------------------------------
run "$PLUMB" check --format json "$bad"
expect_rc 1 "json exit code"
expect_out '"rule": "yaml/duplicate-key"' "json has the rule"
expect_out '"line": 13' "json has the line"
expect_out '"version": 1' "json is versioned"
printf '%s' "$out" >"$tmp/report.json"
"$PLUMB" dump "$tmp/report.json" >/dev/null 2>&1 && ok || bad "json output parses"

run "$PLUMB" check -o "$tmp/report.txt" "$bad"
expect_rc 1 "-o keeps the exit code"
[ -z "$out" ] && ok || bad "-o leaves stdout empty"
grep -q "yaml/duplicate-key" "$tmp/report.txt" && ok || bad "-o writes the report"

run "$PLUMB" check -o /nonexistent/dir/report.txt "$bad"
expect_rc 3 "unwritable -o: cannot write the report"
expect_err "plumb: cannot write '/nonexistent/dir/report.txt': No such file or directory" "unwritable -o message"

# --- standard input ----------------------------------------------------------
"$PLUMB" check - <"$bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
expect_rc 1 "stdin is linted"
expect_out "<stdin>:13:3: error[yaml/duplicate-key]" "stdin default name"

"$PLUMB" check --stdin-filename apps/rc.yaml - <"$bad" >"$tmp/out" 2>&1
out=$(cat "$tmp/out")
expect_out "apps/rc.yaml:13:3: error[yaml/duplicate-key]" "--stdin-filename names stdin"

run "$PLUMB" check --stdin-filename x.yaml fixtures/demo
expect_rc 2 "--stdin-filename without -"

# --- colour -----------------------------------------------------------------
run "$PLUMB" check "$bad"
expect_no_out "$(printf '\033')" "no colour when not a TTY"
if command -v script >/dev/null 2>&1; then
	script -qec "'$PLUMB' check '$bad'" /dev/null >"$tmp/tty" 2>&1
	grep -q "$(printf '\033')\[1;31m" "$tmp/tty" && ok || bad "colour on a TTY"
	run env NO_COLOR=1 script -qec "'$PLUMB' check '$bad'" /dev/null
	expect_rc 1 "NO_COLOR on a TTY: the findings are reported"
	expect_out "error[" "NO_COLOR on a TTY: the findings are shown"
	expect_no_out "$(printf '\033')" "NO_COLOR honoured on a TTY"
else
	echo "note: script(1) not found; TTY colour checks not run"
	bad "script(1) is needed for the TTY colour checks (bsdutils)"
fi

# --- --fail-on none, --enable/--disable, -q, --color --------------------------
run "$PLUMB" check --fail-on none "$bad"
expect_rc 0 "--fail-on none: findings reported, exit 0"
expect_out "selector-twice.yaml:13:3: error[yaml/duplicate-key]" "--fail-on none still reports"
run "$PLUMB" check --disable yaml/duplicate-key "$bad"
expect_rc 0 "--disable RULE: the rule does not run"
expect_out "no findings in 1 file" "--disable RULE: nothing reported"
run "$PLUMB" check --disable yaml "$bad"
expect_rc 0 "--disable FAMILY"
expect_out "no findings in 1 file" "--disable FAMILY: nothing reported"
run "$PLUMB" check --disable 'yaml/*' --enable yaml/duplicate-key "$bad"
expect_rc 1 "--enable after --disable: the later one wins"
expect_out "error[yaml/duplicate-key]" "--enable brings a rule back"
run "$PLUMB" check --enable yaml/duplicate-key --disable yaml/ "$bad"
expect_rc 0 "--disable after --enable: the later one wins"
run "$PLUMB" check --disable duplicate-ky "$bad"
expect_rc 2 "--disable an unknown rule"
expect_err "plumb: --disable: unknown rule or family 'duplicate-ky' (did you mean 'yaml/duplicate-key'?)" "did-you-mean for a rule"
run "$PLUMB" check --enable workload "$bad"
expect_rc 2 "--enable an unknown family"
expect_err "(did you mean 'workloads'?)" "did-you-mean for a family"
run "$PLUMB" check -q "$bad"
expect_rc 1 "-q keeps the exit code"
[ "$out" = "fixtures/yaml/duplicate-key/bad/selector-twice.yaml:13:3: error[yaml/duplicate-key]: duplicate key 'selector' (first defined at line 7); YAML forbids it and tools disagree on which value wins" ] &&
	ok || bad "-q prints the finding lines only: '$out'"
run "$PLUMB" check --color always "$bad"
expect_rc 1 "--color always"
printf '%s' "$out" | grep -q "$(printf '\033')\[1;31merror" && ok ||
	bad "--color always colours a pipe"
run "$PLUMB" check --color never "$bad"
expect_rc 1 "--color never"
expect_no_out "$(printf '\033')" "--color never"
run "$PLUMB" check --color sometimes "$bad"
expect_rc 2 "--color takes auto, always or never"
expect_err "unknown value 'sometimes' for --color (expected auto, always or never)" "--color message"

# --summary: after the findings, one row per rule that fired, by rule id
mkdir -p "$tmp/summary"
printf 'a: 1\na: 2\nb: 1\nb: 2\nc: 1\n# plumb:ignore yaml/duplicate-key -- kept on purpose\nc: 2\n' >"$tmp/summary/dup.yaml"
printf 'a: [1\n' >"$tmp/summary/broken.yaml"
run "$PLUMB" check --summary "$tmp/summary"
expect_rc 1 "--summary keeps the exit code"
[ "$(printf '%s\n' "$out" | sed -n '/^rule /,$p')" = "rule                severity findings suppressed
yaml/duplicate-key  error           2          1
yaml/syntax         error           1          0

3 errors, 0 warnings, 0 infos in 2 files (1 suppressed)" ] && ok ||
	bad "--summary: a row per rule (shown, suppressed), then the totals: '$out'"
printf '%s\n' "$out" | grep -q '^rule ' && [ "$(printf '%s\n' "$out" | grep -n '^rule ' | cut -d: -f1)" -gt "$(printf '%s\n' "$out" | grep -n 'dup.yaml:4:1' | cut -d: -f1)" ] && ok ||
	bad "--summary comes after the findings"
run "$PLUMB" check -q --summary "$tmp/summary"
expect_out "yaml/syntax         error           1          0" "-q --summary: the table too"
expect_no_out "infos in" "-q --summary: no totals line"
run "$PLUMB" check "$tmp/summary"
if ran_cleanly "no table without --summary"; then
	printf '%s' "$out" | grep -q '^rule ' && bad "no table without --summary" || ok
fi
run "$PLUMB" check --summary --format json "$tmp/summary"
expect_rc 2 "--summary is for text"
expect_err "--summary goes with --format text" "says so"

# workloads/ findings on one node: their lines, one excerpt, then one hint
# each (the settings to add); JSON keeps each finding, with its hint
run "$PLUMB" check fixtures/demo/apps/web
expect_rc 1 "demo web"
[ "$(printf '%s\n' "$out" | grep -c '^fixtures/demo/apps/web/deployment.yaml:21:18: warning\[workloads/')" = 6 ] && ok ||
	bad "six workloads/ findings on the image line, one line each: $out"
[ "$(printf '%s\n' "$out" | grep -c '^ 21 |           image: ghcr.io/example/web:1.10.0$')" = 1 ] && ok ||
	bad "the image line is excerpted once for the group: $out"
printf '%s\n' "$out" | sed -n '/^ 21 |/,/^$/p' >"$tmp/grouped"
[ "$(grep -c "^    = hint: " "$tmp/grouped")" = 6 ] && ok || bad "a hint per grouped finding after the excerpt: $(cat "$tmp/grouped")"
grep -qxF "    = hint: set securityContext.allowPrivilegeEscalation: false on container 'web'" "$tmp/grouped" && ok ||
	bad "the hint names the setting to add: $(cat "$tmp/grouped")"
[ "$(printf '%s\n' "$out" | sed -n '/deployment.yaml:21:18: warning\[workloads\/resource-requests\]/{n;p;}')" = " 21 |           image: ghcr.io/example/web:1.10.0" ] && ok ||
	bad "the excerpt follows the group's last finding line: $out"
run "$PLUMB" check --format json fixtures/demo/apps/web
printf '%s' "$out" | python3 -c '
import json, sys
fs = [f for f in json.load(sys.stdin)["findings"] if f["rule"].startswith("workloads/")]
at = [f for f in fs if f["line"] == 21 and f["column"] == 18]
assert len(at) == 6, at
assert all(f.get("hint") for f in fs), fs
' && ok || bad "JSON: the six grouped findings stay apart, every workloads/ finding has a hint"
mkdir -p "$tmp/grp"
sed 's|^\(          image: ghcr.io/example/web:1.10.0\)$|\1  # plumb:ignore workloads/memory-limit -- set by a LimitRange|' \
	fixtures/demo/apps/web/deployment.yaml >"$tmp/grp/deployment.yaml"
run "$PLUMB" check "$tmp/grp"
[ "$(printf '%s\n' "$out" | grep -c 'warning\[workloads/')" = 6 ] && ok || bad "a suppressed member leaves the group: $out"
expect_no_out "warning[workloads/memory-limit]" "the suppressed finding is not listed"
expect_no_out "resources.limits.memory on" "nor its hint"
[ "$(printf '%s\n' "$out" | grep -c '^ 21 |')" = 1 ] && ok || bad "the rest still share one excerpt: $out"
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata:' '  name: one' 'spec:' '  containers:' '    - name: app' \
	'      image: nginx:1.27.2' '      securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}' \
	'      resources: {requests: {cpu: 10m, memory: 8Mi}}' '      livenessProbe: {tcpSocket: {port: 80}}' >"$tmp/grp/pod.yaml"
run "$PLUMB" check "$tmp/grp/pod.yaml"
expect_out "pod.yaml:8:14: warning[workloads/memory-limit]" "a finding alone"
[ "$(printf '%s\n' "$out" | grep -c '= hint: set resources.limits.memory on container')" = 1 ] && ok || bad "keeps its own excerpt and hint: $out"

# --- Pulumi YAML programs -------------------------------------------------------
# kubernetes:<group>/<version>:<Kind> resources are checked as the manifests
# they become, at their lines in Pulumi.yaml
pp=fixtures/secrets/k8s-secret/bad/pulumi-program
run "$PLUMB" check "$pp"
expect_rc 1 "a Pulumi YAML program with a privileged Deployment and a plaintext Secret"
expect_out "$pp/Pulumi.yaml:55:31: error[workloads/privileged]: container 'web' runs privileged" "the Deployment's privileged: true, at its line in Pulumi.yaml"
expect_out "$pp/Pulumi.yaml:68:19: error[secrets/k8s-secret]: Secret 'web-db' commits stringData 'password' in plain text" "the Secret's stringData, at its line"
expect_no_out "WK59PFkl0JfI2yyVlbPe" "the password is masked"
expect_no_out "schema/invalid" "\${...} values are Pulumi's, not the schema's"
[ "$(printf '%s\n' "$out" | grep -c 'workloads/privileged')" = 1 ] && ok ||
	bad "the Helm release's values are not a pod: $out"
run "$PLUMB" check --format sarif "$pp"
expect_out '"uri": "fixtures/secrets/k8s-secret/bad/pulumi-program/Pulumi.yaml"' "SARIF points at Pulumi.yaml"
# the same Deployment as a manifest gives the same findings
mkdir -p "$tmp/pulumi-manifest"
{
	printf 'apiVersion: apps/v1\nkind: Deployment\n'
	sed -n '/^  web:$/,/^  web-db:$/p' "$pp/Pulumi.yaml" | sed '1,3d;$d' | sed 's/^      //' |
		sed 's/\${shop-ns.metadata.name}/shop/; s/\${replicas}/2/'
} >"$tmp/pulumi-manifest/deployment.yaml"
run "$PLUMB" check -q "$tmp/pulumi-manifest"
m=$(printf '%s\n' "$out" | sed -n 's/.*: \([a-z]*\[[a-z/-]*\]\).*/\1/p' | sort | tr '\n' ' ')
run "$PLUMB" check -q --disable secrets "$pp"
p=$(printf '%s\n' "$out" | sed -n 's/.*: \([a-z]*\[[a-z/-]*\]\).*/\1/p' | sort | tr '\n' ' ')
[ -n "$m" ] && [ "$m" = "$p" ] && ok || bad "the Deployment in Pulumi.yaml and as a manifest: the same findings ('$p' vs '$m')"
for good in fixtures/secrets/k8s-secret/good/pulumi-program fixtures/workloads/privileged/good/pulumi-program; do
	run "$PLUMB" check --strict "$good"
	expect_rc 0 "$good: a clean program"
	expect_out "no findings in 1 file" "$good: is silent (schema included, --strict)"
done
# only the yaml runtime's resources are objects; suppressions apply
mkdir -p "$tmp/pulumi-node" "$tmp/pulumi-ignored"
sed 's/^runtime: yaml$/runtime: nodejs/' "$pp/Pulumi.yaml" >"$tmp/pulumi-node/Pulumi.yaml"
run "$PLUMB" check "$tmp/pulumi-node"
expect_no_out "workloads/privileged" "a nodejs program's resources: list is not read as objects"
sed 's/^\(                  privileged: true\)$/\1  # plumb:ignore workloads\/privileged -- a node agent/' \
	"$pp/Pulumi.yaml" >"$tmp/pulumi-ignored/Pulumi.yaml"
run "$PLUMB" check "$tmp/pulumi-ignored"
expect_no_out "error[workloads/privileged]" "an inline ignore in Pulumi.yaml holds"
expect_out "1 suppressed" "and counts as suppressed"

# --- paths: relative to the current folder; the root ---------------------------
# In git: from a sub-folder, text and JSON read from there; SARIF from the
# root (%SRCROOT%).
run sh -c 'cd fixtures/demo/apps && "$1" check -q web' sh "$PLUMB"
expect_rc 1 "check from a sub-folder"
expect_out "web/deployment.yaml:8:32: error[yaml/ambiguous-scalar]" "text paths from the current folder"
expect_no_out "fixtures/demo/apps/web" "text paths are not from the root"
run sh -c 'cd fixtures/demo/apps && "$1" check --format json ../apps/web' sh "$PLUMB"
expect_out '"path": "../apps/web/deployment.yaml"' "JSON paths as the PATH spells them"
run sh -c 'cd fixtures/demo/apps && "$1" check --format sarif web' sh "$PLUMB"
expect_out '"uri": "fixtures/demo/apps/web/deployment.yaml"' "SARIF paths from the root"
# Outside git: the nearest folder above holding .plumb.yaml is the root, so
# its configuration and Flux paths apply from any sub-folder run.
ng="$tmp/nogit"
mkdir -p "$ng/clusters/prod" "$ng/apps/web"
printf 'rules:\n  yaml/duplicate-key: warning\n' >"$ng/.plumb.yaml"
printf 'a: 1\na: 2\n' >"$ng/apps/web/dup.yaml"
printf '%s\n' 'apiVersion: kustomize.toolkit.fluxcd.io/v1' 'kind: Kustomization' \
	'metadata:' '  name: apps' '  namespace: flux-system' 'spec:' \
	'  interval: 10m' '  path: ./apps' '  prune: true' '  sourceRef:' \
	'    kind: GitRepository' '    name: flux-system' >"$ng/clusters/prod/apps.yaml"
run sh -c 'cd "$1/clusters" && GIT_CEILING_DIRECTORIES="$1" "$2" check -q --fail-on warning prod ../apps' sh "$ng" "$PLUMB"
expect_rc 1 "non-git run from a sub-folder finds the root's .plumb.yaml"
expect_out "../apps/web/dup.yaml:2:1: warning[yaml/duplicate-key]" "the root's .plumb.yaml applies from a sub-folder"
expect_no_out "kustomization-path" "Flux paths are read from the root found"
rm "$ng/.plumb.yaml"
run sh -c 'cd "$1" && GIT_CEILING_DIRECTORIES="$1" "$2" check -q clusters/prod apps' sh "$ng" "$PLUMB"
expect_rc 1 "non-git run without .plumb.yaml"
expect_out "apps/web/dup.yaml:2:1: error[yaml/duplicate-key]" "the current folder holding the PATHs is the root"
expect_no_out "kustomization-path" "the current folder is the root: ./apps resolves"
run sh -c 'cd "$1/clusters" && GIT_CEILING_DIRECTORIES="$1" "$2" check -q --root .. prod ../apps' sh "$ng" "$PLUMB"
expect_rc 1 "--root names the root"
expect_out "../apps/web/dup.yaml:2:1: error[yaml/duplicate-key]" "--root: paths still from the current folder"
expect_no_out "kustomization-path" "--root: Flux paths from the root given"
run sh -c 'cd "$1/clusters" && GIT_CEILING_DIRECTORIES="$1" "$2" check -q prod ../apps' sh "$ng" "$PLUMB"
expect_out "prod/apps.yaml:8:9: warning[flux/kustomization-path]" "without --root the first PATH is the root (the check can fail)"

# --- determinism ------------------------------------------------------------
# The pool hands files out biggest first and lints files and built
# objects in one pass: any -j must give the same bytes. The -j1 run must
# exit 1 with findings, or the comparisons would pass on two failures.
"$PLUMB" check -j1 fixtures >"$tmp/j1" 2>&1
j1rc=$?
[ "$j1rc" -eq 1 ] && grep -q "error\[" "$tmp/j1" && ok ||
	bad "-j1 over fixtures exits 1 with findings (rc $j1rc)"
for jn in 2 3 4; do # not n: lib.sh counts assertions in it
	"$PLUMB" check -j$jn fixtures >"$tmp/j$jn" 2>&1
	cmp -s "$tmp/j1" "$tmp/j$jn" && ok || bad "-j1 and -j$jn give the same report"
done
"$PLUMB" check -j1 --format json fixtures >"$tmp/j1.json" 2>&1
"$PLUMB" check -j2 --format json fixtures >"$tmp/j2.json" 2>&1
grep -q '"ruleId"\|"rule"' "$tmp/j1.json" && cmp -s "$tmp/j1.json" "$tmp/j2.json" &&
	ok || bad "-j1 and -j2 give the same JSON report"

# --- .plumb.yaml -------------------------------------------------------------
cfg="$tmp/cfg"
mkdir -p "$cfg/docs" "$cfg/vendor"
printf 'a: 1\na: 2\n' >"$cfg/dup.yaml"
printf 'b: 1\nb: 2\n' >"$cfg/vendor/dup.yaml"
tok="ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE"
printf 'export GITHUB_TOKEN=%s\n' "$tok" >"$cfg/docs/example.sh"
run "$PLUMB" check "$cfg"
expect_rc 1 "no config: errors fail"
expect_out "vendor/dup.yaml:2:1: error[yaml/duplicate-key]" "no config: vendor linted"
printf 'rules:\n  yaml/duplicate-key: warning\nexclude: ["vendor/"]\nsecrets:\n  allowlist:\n    paths: ["docs/*"]\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 0 "config lowers a rule to warning"
expect_out "dup.yaml:2:1: warning[yaml/duplicate-key]" "severity override shows"
expect_no_out "vendor/dup.yaml" "exclude drops a folder"
expect_no_out "secrets/token" "allowlist paths drop a secret"
printf 'fail-on: warning\nrules:\n  yaml/duplicate-key: warning\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 1 "fail-on from the config"
run "$PLUMB" check --fail-on error "$cfg/dup.yaml"
expect_rc 0 "--fail-on beats the config"
run "$PLUMB" check --disable yaml/duplicate-key "$cfg/dup.yaml"
expect_rc 0 "--disable beats the config's severity"
expect_no_out "duplicate-key" "--disable beats the config's severity"
printf 'fail-on: none\nrules:\n  yaml/duplicate-key: off\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check --enable yaml/duplicate-key "$cfg"
expect_rc 0 "fail-on: none in the config"
expect_out "dup.yaml:2:1: error[yaml/duplicate-key]" "--enable beats the config's off"
fp=$("$PLUMB" check --format json "$cfg/docs/example.sh" | grep -o '"secrets/token:[0-9a-f]*"' | tr -d '"')
[ -n "$fp" ] && ok || bad "a secret finding carries a fingerprint"
printf 'secrets:\n  allowlist:\n    fingerprints: ["%s"]\n' "$fp" >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 1 "allowlist fingerprints: the duplicate key still fails"
expect_no_out "secrets/token" "allowlist fingerprints drop that secret"
printf 'secrets:\n  allowlist:\n    regexes: ["^ghp_Zr8q"]\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 1 "allowlist regexes: the duplicate key still fails"
expect_no_out "secrets/token" "allowlist regexes match the value"
rm -f "$cfg/.plumb.yaml"
for fmt in text json; do
	run "$PLUMB" check --format $fmt "$cfg"
	expect_rc 1 "$fmt: the secret fails the run"
	expect_out "secrets/token" "$fmt: the secret is found"
	expect_no "ghp_Zr8qL" "$fmt: a report shows only 4 characters of a secret"
done
printf 'rules:\n  yaml/duplicate-kye: off\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "unknown rule in the config"
expect_err ".plumb.yaml:2:3: unknown rule 'yaml/duplicate-kye' (did you mean 'yaml/duplicate-key'?)" "unknown rule is file:line:col"
# secrets.patterns: the shapes are checked where they are written
printf 'secrets:\n  patterns:\n    - name: acme\n      regex: "acme_("\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "a pattern's regex that does not compile"
expect_err ".plumb.yaml:4:14: bad regular expression: missing closing parenthesis" "a pattern's regex error is file:line:col"
printf 'secrets:\n  patterns:\n    - name: acme\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "a pattern with neither regex nor paths"
expect_err ".plumb.yaml:3:7: a secrets pattern needs a regex or paths" "a pattern without regex or paths is file:line:col"
printf 'secrets:\n  patterns:\n    - name: acme\n      regx: a\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "a misspelt pattern key"
expect_err ".plumb.yaml:4:7: unknown key 'regx' in secrets.patterns[0] (did you mean 'regex'?)" "a misspelt pattern key is named"
printf 'secrets:\n  patterns:\n    - name: acme\n      regex: "acme_[a-z0-9]{8}"\n      allow: ["acme_0+$"]\n' >"$cfg/.plumb.yaml"
printf 'a: acme_k3j4h5g6\nb: acme_00000000\n' >"$cfg/acme.yaml"
run "$PLUMB" check "$cfg"
expect_rc 1 "a declared shape fails the run"
expect_out "acme.yaml:1:4: error[secrets/pattern]: acme committed in plain text: '***'" "a declared shape is reported, masked"
expect_count 1 "error[secrets/pattern]" "a pattern's allow drops a match"
expect_no "k3j4h5g6" "a declared secret is masked in the report"
rm -f "$cfg/acme.yaml"
# rule settings: the mapping form, checked against what the rule declares
rm -f "$cfg/dup.yaml" "$cfg/docs/example.sh"
rm -rf "$cfg/vendor" "$cfg/.plumb.yaml"
cp fixtures/flux/controller-namespace/bad/controller-in-other-namespace.yaml "$cfg/flux.yaml"
run "$PLUMB" check "$cfg"
expect_rc 1 "controller outside flux-system fires by default"
expect_out "flux.yaml:5:14: error[flux/controller-namespace]: Flux source-controller is installed in namespace 'flux', not 'flux-system'" "default namespace parameter"
printf 'rules:\n  flux/controller-namespace:\n    namespace: flux\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 0 "the namespace setting allows flux"
expect_no_out "controller-namespace" "no finding with namespace: flux"
printf 'rules:\n  flux/controller-namespace: {severity: warning, namespace: gitops}\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 0 "severity and a setting together"
expect_out "flux.yaml:5:14: warning[flux/controller-namespace]: Flux source-controller is installed in namespace 'flux', not 'gitops'" "setting and severity both apply"
printf 'rules:\n  flux/controller-namespace:\n    namespaces: flux\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "an unknown setting is an error"
expect_err ".plumb.yaml:3:5: rule 'flux/controller-namespace' has no setting 'namespaces'" "unknown setting is file:line:col"
printf 'rules:\n  flux/controller-namespace:\n    namespace: [a, b]\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "a setting of the wrong type is an error"
expect_err ".plumb.yaml:3:16: setting 'namespace' of rule 'flux/controller-namespace' must be a string" "wrong type is file:line:col"
run "$PLUMB" explain flux/controller-namespace
expect_out "  namespace: the namespace the Flux controllers must run in (default: flux-system)" "explain lists settings"
cp fixtures/flux/imagepolicy-range/bad/range-without-upper-bound.yaml "$cfg/flux.yaml"
printf 'rules:\n  flux/imagepolicy-range:\n    allow-majors: [flux-system/everything, flux-system/linuxserver]\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_out "flux.yaml:11:14: warning[flux/imagepolicy-range]: semver range '>=5.0.0' has no upper bound" "a policy not in allow-majors still warns"
expect_no_out "semver range '*'" "allow-majors silences a listed policy"
expect_no_out "semver range '*-ls'" "allow-majors takes several policies"
printf 'rules:\n  flux/imagepolicy-range: info\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_out "flux.yaml:11:14: info[flux/imagepolicy-range]" "a warning-level finding follows a lower rule severity"
rm -f "$cfg/.plumb.yaml"
rm -f "$cfg/flux.yaml"
printf 'exclude: []\nrulez: {}\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "unknown key in the config"
expect_err ".plumb.yaml:2:1: unknown key 'rulez'" "unknown key is file:line:col"
printf 'secrets:\n  allowlist:\n    regexes: ["[x"]\n' >"$cfg/.plumb.yaml"
run "$PLUMB" check "$cfg"
expect_rc 2 "bad allowlist regex"
expect_err ".plumb.yaml:3:15: bad regular expression" "bad regex is file:line:col"
run "$PLUMB" check --config "$tmp/none.yaml" "$cfg"
expect_rc 2 "missing --config file"

# --- rules, explain, dump, version ----------------------------------------
run "$PLUMB" rules
expect_rc 0 "rules"
expect_out "yaml/duplicate-key" "rules lists yaml/duplicate-key"
run "$PLUMB" rules --format json
expect_rc 0 "rules json"
printf '%s' "$out" >"$tmp/rules.json"
"$PLUMB" dump "$tmp/rules.json" | grep -o '"id":"[^"]*"' >"$tmp/ids" && ok ||
	bad "rules --format json parses"
LC_ALL=C sort -c "$tmp/ids" && ok || bad "rules --format json is sorted by id"
[ "$(wc -l <"$tmp/ids")" = "$("$PLUMB" rules | wc -l)" ] && ok ||
	bad "rules text and json list the same rules"

run "$PLUMB" explain yaml/ambiguous-scalar
expect_rc 0 "explain"
expect_out "yaml/ambiguous-scalar (error)" "explain header"
expect_out "Fix:" "explain names the fix"
run "$PLUMB" explain yaml/duplicate-kye
expect_rc 2 "explain unknown rule"
expect_err "did you mean 'yaml/duplicate-key'?" "explain suggests"

printf 'a: [1, 0x1F, yes, ~]\n---\nb: c: d\n' >"$tmp/d.yaml"
run "$PLUMB" dump "$tmp/d.yaml"
expect_rc 1 "dump exits 1 on a YAML error"
expect_out '{"a":[1,31,"yes",null]}' "dump prints documents before the error"
expect_err "d.yaml:3:5: mapping values are not allowed in this context" "dump error is file:line:col"
run "$PLUMB" dump "$tmp/missing.yaml"
expect_rc 2 "dump of a missing file"

run "$PLUMB" version
expect_rc 0 "version"
expect_out "plumb 0." "version prints plumb's version"
# (a source tarball, make dist, records its commit in .commit)
printf '%s' "$out" | grep -Eq '^plumb [0-9.]+ \(commit [0-9a-f]{7,}(-dirty)?\)$' && ok ||
	bad "version names the commit plumb was built from: $out"
printf '%s' "$out" | grep -Eq '^libyaml [0-9.]+, jansson [0-9.]+, pcre2 [0-9.]+ [0-9-]+, libgit2 [0-9.]+$' && ok ||
	bad "version names the four libraries: $out"

run "$PLUMB" schema check --schema "$tmp/no-such-schema.json" y.yaml
expect_rc 2 "schema check with a schema that cannot be read"

echo "cli: $n assertions, $fails failed"
[ "$fails" = 0 ]
