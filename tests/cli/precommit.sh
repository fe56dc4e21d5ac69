#!/bin/sh
# .pre-commit-hooks.yaml under a real pre-commit (Debian's package, 3.0.4
# on Debian 12; ci/install-deps.sh installs it): in a scratch repository
# whose .pre-commit-config.yaml points at a copy of this manifest,
#   - a staged token blocks `git commit`, and the hook prints plumb's
#     finding (rule id, path:line:col);
#   - a clean file commits;
#   - plumb-diff, configured for pre-push in the spelling this pre-commit
#     knows, blocks a push that adds a token and lets a clean one through.
# pre-commit missing is a printed SKIP, never a silent pass.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
if ! command -v pre-commit >/dev/null 2>&1; then
	echo "SKIP precommit: pre-commit is not installed (sh ci/install-deps.sh installs Debian's)"
	exit 0
fi
manifest=$PWD/.pre-commit-hooks.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

export NO_COLOR=1 PRE_COMMIT_HOME="$tmp/cache" GIT_CONFIG_NOSYSTEM=1
export HOME="$tmp/home" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME" "$tmp/bin"
ln -s "$PLUMB" "$tmp/bin/plumb"
PATH="$tmp/bin:$PATH"
git config --global init.defaultBranch main
git config --global protocol.file.allow always
version=$(pre-commit --version | sed 's/^pre-commit //')
echo "pre-commit $version"
case $version in
[0-2].* | 3.[01].*) push_stage=push ;;
*) push_stage=pre-push ;;
esac

# The hook repository: this checkout's manifest, committed.
git init -q "$tmp/hooks"
cp "$manifest" "$tmp/hooks/.pre-commit-hooks.yaml"
git -C "$tmp/hooks" add .pre-commit-hooks.yaml
git -C "$tmp/hooks" commit -qm hooks
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

git init -q --bare "$tmp/remote.git"
git init -q "$tmp/work"
cd "$tmp/work" || exit 2
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: plumb
      - id: plumb-diff
        stages: [$push_stage]
EOF
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n' >cm.yaml
git add .pre-commit-config.yaml cm.yaml
git commit -qm base
git remote add origin "$tmp/remote.git"
git push -q origin main 2>/dev/null
git fetch -q origin
if pre-commit install --install-hooks >"$tmp/out" 2>&1 &&
	pre-commit install --hook-type pre-push >>"$tmp/out" 2>&1; then
	ok
else
	bad "pre-commit install: $(cat "$tmp/out")"
fi

# 1. a staged token blocks the commit
printf 'token = "ghp_Xk9mQ2vL7tR4wZ8nB3cF6hJ1pS5dG0aE2yU4"\n' >deploy.sh
git add deploy.sh
if git commit -qm token >"$tmp/out" 2>&1; then
	bad "a staged token was committed: $(cat "$tmp/out")"
else
	ok
fi
grep -q 'deploy.sh:1:10: error\[secrets/token\]' "$tmp/out" && ok ||
	bad "the hook prints plumb's finding: $(cat "$tmp/out")"
grep -q 'InvalidManifestError\|InvalidConfigError' "$tmp/out" &&
	bad "pre-commit $version refuses the manifest: $(cat "$tmp/out")" || ok
grep -qi 'deprecated' "$tmp/out" &&
	bad "pre-commit warns about the manifest: $(cat "$tmp/out")" || ok
[ "$(git rev-list --count HEAD)" = 1 ] && ok || bad "the token commit is not in history"

# 2. a clean file commits
git reset -q
rm -f deploy.sh
printf 'echo hello\n' >hello.sh
git add hello.sh
if git commit -qm clean >"$tmp/out" 2>&1; then ok; else bad "a clean commit is blocked: $(cat "$tmp/out")"; fi
grep -q 'plumb.*Passed' "$tmp/out" && ok || bad "the plumb hook ran and passed: $(cat "$tmp/out")"

# 3. plumb-diff on pre-push: a clean push goes through
if git push -q origin main >"$tmp/out" 2>&1; then ok; else bad "a clean push is blocked: $(cat "$tmp/out")"; fi
git fetch -q origin

# ... a push that adds a token is blocked (committed with --no-verify)
printf 'token = "ghp_Xk9mQ2vL7tR4wZ8nB3cF6hJ1pS5dG0aE2yU4"\n' >deploy.sh
git add deploy.sh
git commit -q --no-verify -m token
if git push origin main >"$tmp/out" 2>&1; then
	bad "a push adding a token went through: $(cat "$tmp/out")"
else
	ok
fi
grep -q 'deploy.sh:1:10: error\[secrets/token\]' "$tmp/out" && ok ||
	bad "plumb-diff prints the new finding: $(cat "$tmp/out")"

echo "precommit: $n checks, $fails failed"
[ $fails -eq 0 ]
