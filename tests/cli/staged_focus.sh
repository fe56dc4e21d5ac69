#!/bin/sh
# --staged builds only what can render a node of a staged file
# (pl_model_build_focus). That must not change a finding: on real
# repositories of ../shared/corpus, committed whole and then some files
# touched (a comment appended, so no line moves) and staged, --staged
# must report on the staged files exactly what a full `plumb check .` of
# the same tree reports on them. The files picked are those with
# findings (kustomize overlays and their bases among them) and every
# seventh manifest.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
corpus=../shared/corpus
if ! command -v git >/dev/null 2>&1; then
	echo "SKIPPED: no git on PATH"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIPPED: no python3 on PATH"
	exit 0
fi
[ -d "$corpus" ] || {
	echo "FAIL: $corpus is missing"
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# A base and the overlay that builds it: the overlay's patch turns the
# base's hostNetwork off and makes the container privileged. Staging the
# base alone must still build the overlay (no host-network finding on
# the base: no build applies it as written), and staging the patch alone
# must too (its privileged line).
repo="$tmp/kz"
mkdir -p "$repo/base" "$repo/overlays/prod"
cat >"$repo/base/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.25.3
YAML
printf 'resources:\n  - deployment.yaml\n' >"$repo/base/kustomization.yaml"
cat >"$repo/overlays/prod/kustomization.yaml" <<'YAML'
resources:
  - ../../base
patches:
  - path: patch.yaml
YAML
cat >"$repo/overlays/prod/patch.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: false
      containers:
        - name: web
          securityContext:
            privileged: true
YAML
g() { git -C "$repo" "$@"; }
g init -q
g add -A
g -c user.email=dev@example.org -c user.name=dev -c commit.gpgsign=false \
	commit -qm init
printf '\n# touched\n' >>"$repo/base/deployment.yaml"
g add base/deployment.yaml
run sh -c "cd '$repo' && '$PLUMB' check --staged --fail-on info"
expect_rc 1 "staged base (its other findings)"
expect_no_finding workloads/host-network "staged base"
g reset -q
g checkout -q -- .
printf '\n# touched\n' >>"$repo/overlays/prod/patch.yaml"
g add overlays/prod/patch.yaml
run sh -c "cd '$repo' && '$PLUMB' check --staged --fail-on info"
expect_rc 1 "staged patch"
expect_out "overlays/prod/patch.yaml:12:25: error[workloads/privileged]" \
	"staged patch: the overlay that applies it is built"
rm -rf "$repo"

# .plumb.yaml staged alone: its entry hides a finding in a file the
# run does not lint, so it is not called unused (it is, in a full check,
# when nothing matches).
repo="$tmp/sup"
mkdir "$repo"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  ENABLED: yes\n' \
	>"$repo/a.yaml"
printf 'ignore:\n  - rules: [yaml/ambiguous-scalar]\n    paths: [a.yaml]\n    reason: read by a yes-aware app\n' \
	>"$repo/.plumb.yaml"
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.email=dev@example.org -c user.name=dev \
	-c commit.gpgsign=false commit -qm init
printf '# staged\n' >>"$repo/.plumb.yaml"
git -C "$repo" add .plumb.yaml
run sh -c "cd '$repo' && '$PLUMB' check --staged --fail-on info"
expect_rc 0 "staged .plumb.yaml"
expect_no_finding suppression/unused "staged .plumb.yaml: its entry is used elsewhere"
printf 'a: 1\n' >"$repo/a.yaml"
run sh -c "cd '$repo' && '$PLUMB' check --fail-on info ."
expect_rc 1 "full check, nothing left to hide"
expect_out "warning[suppression/unused]" "full check: the entry is unused"
rm -rf "$repo"

for name in canada-ca__tracker kubernetes__examples tinyrack-net__homelab \
	agentydragon__cluster fancl20__homeserver-configs; do
	repo="$tmp/$name"
	cp -r "$corpus/$name" "$repo"
	git -C "$repo" init -q
	git -C "$repo" add -A
	git -C "$repo" -c user.email=dev@example.org -c user.name=dev \
		-c commit.gpgsign=false commit -qm init
	run sh -c "cd '$repo' && '$PLUMB' check --fail-on info --format json ."
	expect_rc 1 "$name: the whole tree has findings"
	printf '%s' "$out" >"$tmp/before.json"
	python3 tests/cli/staged_focus.py pick "$tmp/before.json" "$repo" 40 \
		>"$tmp/pick.txt"
	while read -r f; do
		printf '\n# touched\n' >>"$repo/$f"
		git -C "$repo" add -- "$f"
	done <"$tmp/pick.txt"
	run sh -c "cd '$repo' && '$PLUMB' check --fail-on info --format json ."
	expect_rc 1 "$name: full check after the touch"
	printf '%s' "$out" >"$tmp/full.json"
	run sh -c "cd '$repo' && '$PLUMB' check --staged --fail-on info --format json"
	expect_rc 1 "$name: --staged"
	printf '%s' "$out" >"$tmp/staged.json"
	run python3 tests/cli/staged_focus.py compare "$tmp/pick.txt" \
		"$tmp/full.json" "$tmp/staged.json"
	expect_rc 0 "$name: --staged reports what the full check reports on the staged files"
	expect_out "same" "$name: the comparison"
	rm -rf "$repo"
done
finish staged-focus
