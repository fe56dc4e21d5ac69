#!/bin/sh
# Git-aware runs: --staged lints the index (what the next commit holds),
# --diff-base REF reports the files (and with --new-only the lines)
# changed since the merge base, and outside a repository both are exit 2.
# Repositories are built in a temporary folder with the git CLI.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
if ! command -v git >/dev/null 2>&1; then
	echo "SKIPPED: no git on PATH"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

tok=ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE
repo="$tmp/repo"
mkdir "$repo"
g() { git -C "$repo" "$@"; }
g init -q
g config user.email dev@example.org
g config user.name dev
g config commit.gpgsign false
P() { (cd "$repo" && "$PLUMB" check "$@"); }

# --- --staged ---------------------------------------------------------------
printf 'a: 1\n' >"$repo/clean.yaml"
g add clean.yaml
run P --staged
expect_rc 0 "a repository with no commit yet: the index is linted"
expect_out "no findings in 1 file" "the staged file is read"

printf 'export GITHUB_TOKEN=%s\n' "$tok" >"$repo/deploy.sh"
g add deploy.sh
rm "$repo/deploy.sh"
run P --staged
expect_rc 1 "a secret staged but gone from the work tree is found"
expect_out "deploy.sh:1:21: error[secrets/token]" "at its staged position"
expect_no_out "$tok" "masked"
run P
expect_rc 0 "a plain check reads the work tree, where it is gone"
g rm -q --cached deploy.sh
g commit -qm "first"

printf 'a: 1\na: 2\n' >"$repo/clean.yaml"
run P --staged
expect_rc 0 "a dirty work tree does not fail --staged: the index is clean"
expect_no_out "duplicate-key" "the unstaged edit is not linted"
g add clean.yaml
run P --staged
expect_rc 1 "once staged, it is"
expect_out "clean.yaml:2:1: error[yaml/duplicate-key]" "the staged content"
printf 'a: 1\n' >"$repo/clean.yaml"
run P --staged
expect_rc 1 "the staged content counts, not the fixed work tree (partial staging)"
g add clean.yaml
g commit -qm "second" >/dev/null 2>&1 || true

printf 'b: 1\nb: 2\n' >"$repo/dup.yaml"
g add dup.yaml
g commit -qm "dup"
run P --staged
expect_rc 0 "nothing staged: committed findings are not reported"
expect_no_out "dup.yaml" "unstaged files are silent"
g mv dup.yaml renamed.yaml
run P --staged
expect_out "renamed.yaml:2:1: error[yaml/duplicate-key]" "a rename is reported under its new name"
g commit -qm "rename"
g rm -q renamed.yaml
run P --staged
expect_rc 0 "a deletion has nothing to lint"
g commit -qm "delete"

# a staged HelmRelease sees its HelmRepository committed earlier: the
# model is the whole index, only reporting is narrowed
cat >"$repo/repo.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: apps}
spec: {url: "https://charts.example.org", interval: 1h}
YAML
g add repo.yaml
g commit -qm "source"
cat >"$repo/release.yaml" <<'YAML'
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 1h
  chart:
    spec:
      chart: web
      sourceRef: {kind: HelmRepository, name: charts}
YAML
g add release.yaml
run P --staged
expect_no_out "dangling-ref" "cross-document rules see the committed files"
g commit -qm "release"

# a committed file that names no Flux kind, Secret, ConfigMap or CRD is
# left unparsed under --staged, but its folder still exists for
# flux/kustomization-path; a folder with nothing in it does not. spec.path
# is from the repository root, wherever the Kustomization is.
mkdir -p "$repo/clusters/prod"
cat >"$repo/clusters/prod/web.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {ports: [{port: 80}]}
YAML
cat >"$repo/flux-system.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {url: "https://git.example.org/fleet", interval: 1h}
YAML
g add clusters flux-system.yaml
g commit -qm "prod"
# the Kustomization deep in clusters/, its path from the repository root
mkdir -p "$repo/clusters/prod/flux-system"
cat >"$repo/clusters/prod/flux-system/prod.yaml" <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: prod, namespace: flux-system}
spec:
  interval: 1h
  path: ./clusters/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: staging, namespace: flux-system}
spec:
  interval: 1h
  path: ./clusters/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
YAML
g add clusters/prod/flux-system/prod.yaml
run P --staged
expect_no_out "prod.yaml:6:" "a folder of unparsed committed files exists"
expect_out "prod.yaml:15:9: warning[flux/kustomization-path]" "a missing folder is still reported"
expect_no_out "dangling-ref" "the committed GitRepository is in the model"
g rm -q --cached clusters/prod/flux-system/prod.yaml
rm -r "$repo/clusters/prod/flux-system"

# with --strict, schema/invalid reports a kind without a schema on its
# first object in the whole index: a committed one, so nothing here
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n' >"$repo/a-widget.yaml"
g add a-widget.yaml
g commit -qm "widget"
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: b}\n' >"$repo/b-widget.yaml"
g add b-widget.yaml
run P --strict --staged
expect_no_out "b-widget.yaml" "--strict --staged: the committed Widget comes first"
run P --strict
expect_out "a-widget.yaml:1:1: info[schema/invalid]: no schema for kind Widget" "a full check names the first Widget"
g rm -q --cached b-widget.yaml
rm "$repo/b-widget.yaml"

# git commit -a / git commit PATHS give hooks a temporary index in
# GIT_INDEX_FILE: that is what will be committed
printf 'q: 1\nq: 2\n' >"$repo/q.yaml"
cp "$repo/.git/index" "$tmp/hook-index"
g add q.yaml
export GIT_INDEX_FILE="$tmp/hook-index"
run P --staged
unset GIT_INDEX_FILE
expect_rc 0 "the index named by GIT_INDEX_FILE is read"
expect_no_out "q.yaml" "not the default one"
run P --staged
expect_out "q.yaml:2:1: error[yaml/duplicate-key]" "without it, the default index"
# a GIT_INDEX_FILE longer than 4096 bytes is read as named, not cut to
# the index its first 4095 bytes happen to name (which stages q.yaml)
cp "$repo/.git/index" "$tmp/q-index"
long=$(python3 -c 'import sys; p = sys.argv[1]; d = 4095 - len(p); print(p[:p.rindex("/")] + "/." * (d // 2) + "/" * (d % 2) + p[p.rindex("/"):] + "-not-there")' "$tmp/q-index")
[ ${#long} -gt 4096 ] && ok || bad "the long GIT_INDEX_FILE is ${#long} bytes"
export GIT_INDEX_FILE="$long"
run P --staged
unset GIT_INDEX_FILE
expect_no_out "q.yaml" "a long GIT_INDEX_FILE is not cut to another index"
g rm -q --cached q.yaml
rm "$repo/q.yaml"

# --staged PATH...: only the staged files under the PATHs are reported
# (the others still feed the model), and the summary counts only them
mkdir -p "$repo/apps/web" "$repo/infra"
printf 'a: 1\na: 2\n' >"$repo/apps/web/dup.yaml"
printf 'b: 1\nb: 2\n' >"$repo/infra/dup.yaml"
printf 'c: 1\n' >"$repo/apps/ok.yaml"
g add apps infra
run P --staged
expect_out "in 3 files" "no PATH: every staged file is counted"
run P --staged apps
expect_rc 1 "a finding under the PATH fails"
expect_out "apps/web/dup.yaml:2:1: error[yaml/duplicate-key]" "the staged file under the PATH is reported"
expect_no_out "infra/dup.yaml" "a staged file outside the PATH is not"
expect_out "1 error, 0 warnings, 0 infos in 2 files" "the summary counts the two staged files under apps/"
run P --staged infra/dup.yaml apps/ok.yaml
expect_out "infra/dup.yaml:2:1: error[yaml/duplicate-key]" "a file PATH"
expect_no_out "apps/web/dup.yaml" "only the PATHs given"
expect_out "in 2 files" "two files named, two counted"
run P --staged apps/ok.yaml
expect_rc 0 "a clean staged file under the PATH passes, whatever else is staged"
expect_out "no findings in 1 file" "and counts one file"
(cd "$repo/apps" && "$PLUMB" check --staged web) >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
err=$(cat "$tmp/err")
expect_rc 1 "--staged with a PATH relative to a sub-folder"
expect_out "web/dup.yaml:2:1: error[yaml/duplicate-key]" "reported from the current directory"
expect_no_out "infra" "nothing outside the sub-folder's PATH"
(cd "$repo/apps" && "$PLUMB" check --staged .) >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
expect_no_out "infra" "'.' in a sub-folder is that sub-folder"
expect_out "in 2 files" "the two staged files of the sub-folder"
run P --staged "$tmp"
expect_rc 2 "a PATH outside the repository"
mkdir -p "$tmp/elsewhere"
run P --staged . "$tmp/elsewhere"
expect_rc 2 "a second PATH outside the repository"
expect_err "--staged: '$tmp/elsewhere' is outside the repository at" "says which"
g rm -rq --cached apps infra
rm -rf "$repo/apps" "$repo/infra"

# --- --diff-base -------------------------------------------------------------
g checkout -q -b feature
printf 'x: 1\nx: 2\n' >"$repo/old.yaml"
g add old.yaml
g commit -qm "old finding"
g branch base
printf 'x: 1\nx: 2\ny: 1\ny: 2\n' >"$repo/old.yaml"
printf 'z: 1\nz: 2\n' >"$repo/new.yaml"
g add old.yaml new.yaml
g commit -qm "new findings"
run P --diff-base base
expect_rc 1 "--diff-base fails on changed files"
expect_out "new.yaml:2:1: error[yaml/duplicate-key]" "a new file"
expect_out "old.yaml:2:1: error[yaml/duplicate-key]" "every finding of a changed file"
expect_no_out "clean.yaml" "an unchanged file is not reported"
expect_out "3 errors, 0 warnings, 0 infos in 2 files" "the summary counts the changed files only"
run P --diff-base base --new-only
expect_out "old.yaml:4:1: error[yaml/duplicate-key]" "--new-only keeps a changed line"
expect_no_out "old.yaml:2:1" "--new-only drops an old line"
printf 'w: 1\nw: 2\n' >"$repo/wip.yaml"
run P --diff-base base
expect_no_out "wip.yaml" "uncommitted files need --include-worktree"
run P --diff-base base --include-worktree
expect_out "wip.yaml:2:1: error[yaml/duplicate-key]" "--include-worktree adds them"
rm "$repo/wip.yaml"
run P --diff-base no-such-ref
expect_rc 2 "an unknown REF"
expect_err "--diff-base: 'no-such-ref' is not a commit of this repository" "says so"
run P --new-only
expect_rc 2 "--new-only alone"
expect_err "--new-only needs --diff-base REF" "says so"
run P --staged --diff-base base
expect_rc 2 "--staged with --diff-base"

# --- outside a repository ------------------------------------------------------
mkdir "$tmp/plain"
printf 'a: 1\na: 2\n' >"$tmp/plain/x.yaml"
run "$PLUMB" check --staged "$tmp/plain"
expect_rc 2 "--staged outside git"
expect_err "--staged needs a git repository" "a clear message"
run "$PLUMB" check --diff-base main "$tmp/plain"
expect_rc 2 "--diff-base outside git"
run "$PLUMB" check "$tmp/plain"
expect_rc 1 "plain check works without git"

echo "cli-git: $n assertions, $fails failed"
[ "$fails" = 0 ]
