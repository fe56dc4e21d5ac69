#!/bin/sh
# The persistent cache of per-file findings (engine/run/cache.h): a warm
# run prints byte for byte what a cold one and --no-cache print (text,
# json, sarif; -j1 and -j2) and reads its findings from the cache; a
# changed file, rule file, .plumb.yaml, plumb build or schema folder gives
# the answer a run without cache gives; a truncated, random, stale or
# edited cache is ignored and replaced, with the same output and exit
# code; runs in parallel leave a valid cache; the cache lives under
# .git/plumb/cache (nothing in the work tree), else $XDG_CACHE_HOME/plumb
# or ~/.cache/plumb; --no-cache neither reads nor writes one.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
export NO_COLOR=1
# run-all.sh points every other test's cache at a scratch folder; here
# the default places are under test
unset PLUMB_CACHE_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/xdg"
tool="python3 $PWD/tests/cli/cache_tool.py"
tok=ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE
tok2=ghp_Xk9mQ2vL7tR4wZ8nB3cF6hJ1pS5dG0aE2yU4

# cache_files DIR: the cache files below DIR, one a line
cache_files() { find "$1" -name '*.cache' -type f 2>/dev/null | sort; }

repo="$tmp/repo"
mkdir -p "$repo/apps" "$repo/docs" "$repo/policies" "$repo/schemas"
cat >"$repo/apps/web.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: DEBUG
              value: yes
            - name: GITHUB_TOKEN
              value: $tok
YAML
cat >"$repo/apps/clean.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: "fast"
YAML
cat >"$repo/apps/ignored.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: fixture
data:
  sample: $tok2 # plumb:ignore secrets/token -- a scanner's test vector
  other: "1" # plumb:ignore yaml/duplicate-key -- nothing here
YAML
printf 'deploy with %s\n' "$tok" >"$repo/docs/notes.txt"
cat >"$repo/apps/gadget.yaml" <<'YAML'
apiVersion: example.org/v1
kind: Gadget
metadata: {name: g}
spec: {size: big}
YAML
printf '{"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}\n' >"$repo/schemas/gadget-example-v1.json"
cat >"$repo/policies/replicas.yaml" <<'YAML'
rules:
  - id: team/replicas
    severity: warning
    summary: A Deployment runs fewer replicas than the team's floor
    help: |
      Fewer replicas than the floor mean downtime on a rollout.
      Fix: raise spec.replicas.
    match:
      kinds: [Deployment]
    assert:
      path: spec.replicas
      min: 2
    message: "{kind} '{name}' runs {value} replicas"
YAML
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.name=t -c user.email=t@example.org commit -qm init
gitcache="$repo/.git/plumb/cache"
check() { run_in "$repo" "$PLUMB" check --rules policies --schema-location schemas "$@"; }

# --- --no-cache writes nothing ----------------------------------------------
check --no-cache
expect_rc 1 "the repository has errors"
expect_out "apps/web.yaml:16:22: error[secrets/token]" "the token in env"
expect_out "docs/notes.txt:1:13: error[secrets/token]" "the token in a text file"
expect_out "warning[team/replicas]: Deployment 'web' runs 1 replicas" "the rule file's rule"
expect_out "apps/gadget.yaml:4:14: error[schema/invalid]: spec.size: expected integer" "the schema folder's schema"
expect_out "apps/ignored.yaml:7:16: warning[suppression/unused]" "an unused suppression"
expect_no_out "apps/ignored.yaml:6" "the suppressed token is not shown"
# (silence proves nothing when plumb failed: ran_cleanly first)
ran_cleanly "--no-cache writes nothing" &&
	{ [ -z "$(cache_files "$repo/.git"; cache_files "$tmp/xdg"; cache_files "$tmp/home")" ] && ok ||
		bad "--no-cache wrote a cache: $(cache_files "$tmp")"; }

# --- cold, then warm: the same bytes, in every format, at -j1 and -j2 --------
for f in text json sarif; do
	check --no-cache --format "$f"
	printf '%s' "$out" >"$tmp/want.$f"
	echo "$rc" >"$tmp/want.$f.rc"
done
check -j1
expect_rc 1 "cold run with the cache"
[ "$(cache_files "$gitcache" | wc -l)" = 1 ] && ok || bad "one cache file under .git/plumb/cache: $(cache_files "$repo")"
ran_cleanly "the cold run" && {
	[ -z "$(git -C "$repo" status --porcelain)" ] && ok || bad "the work tree holds nothing new: $(git -C "$repo" status --porcelain)"
	[ -z "$(cache_files "$tmp/xdg"; cache_files "$tmp/home")" ] && ok || bad "inside git, nothing in the user's cache folder"
}
cf=$(cache_files "$gitcache")
# secrets are kept masked and as places in the file, never as text
[ -n "$cf" ] && ! grep -rqF -e "$tok" -e "$tok2" "$repo/.git/plumb" && ok ||
	bad "no cache file, or a token's text is in the cache"
run $tool check "$cf"
expect_out "valid 7" "one entry per linted file"
for f in text json sarif; do
	for j in 1 2; do
		check -j$j --format "$f"
		[ "$rc" = 1 ] && [ "$rc" = "$(cat "$tmp/want.$f.rc")" ] && ok || bad "warm $f -j$j: exit $rc"
		printf '%s' "$out" | cmp -s - "$tmp/want.$f" && ok ||
			bad "warm $f -j$j differs from --no-cache: $(printf '%s' "$out" | diff "$tmp/want.$f" - | head -20)"
	done
done
# a warm run that hits every entry has nothing to write
before=$(ls -l --time-style=full-iso "$cf")
sleep 1
check
expect_rc 1 "the all-hit run"
[ "$(ls -l --time-style=full-iso "$cf")" = "$before" ] && ok || bad "an all-hit run rewrote the cache"

# --- the warm run reads the cache: an entry edited (checksum fixed) shows -----
run $tool tamper "$cf" "GitHub personal access token" "GITHUB PERSONAL ACCESS TOKEN"
expect_rc 0 "the message is in the cache"
check
expect_out "docs/notes.txt:1:13: error[secrets/token]: GITHUB PERSONAL ACCESS TOKEN committed" "the cached message is what the report prints"
check --no-cache
expect_no_out "GITHUB PERSONAL" "--no-cache reads nothing"
expect_out "GitHub personal access token committed" "--no-cache lints afresh"
# the build that wrote it is part of what the file must match: another
# version's file is foreign
run $tool build "$cf" "9.9.9 (commit 0000000)"
check
expect_no_out "GITHUB PERSONAL" "a cache of another plumb version is not trusted"
printf '%s' "$out" | cmp -s - "$tmp/want.text" && ok || bad "after a foreign cache: $(printf '%s' "$out" | diff "$tmp/want.text" - | head)"
run $tool check "$cf"
expect_out "valid 7" "the foreign file was replaced by a valid one"

# --- corrupt caches: ignored, same output and exit, then replaced -----------
corrupt() {
	what=$1
	check
	[ "$rc" = 1 ] && ok || bad "$what: exit $rc"
	printf '%s' "$out" | cmp -s - "$tmp/want.text" && ok ||
		bad "$what: output differs: $(printf '%s' "$out" | diff "$tmp/want.text" - | head)"
	run $tool check "$cf"
	expect_out "valid 7" "$what: replaced by a valid cache"
}
[ -n "$cf" ] || cf="$gitcache/missing.cache" # (plumb wrote none: fail below)
mkdir -p "$gitcache"
head -c 100 "$cf" >"$tmp/cut"; cp "$tmp/cut" "$cf"
corrupt "a truncated cache"
head -c 4096 /dev/urandom >"$cf"
corrupt "random bytes"
run $tool flip "$cf"
corrupt "a body that fails its checksum"
: >"$cf"
corrupt "an empty file"

# --- invalidation ----------------------------------------------------------
# a file's bytes: a token added to a file that was clean
printf '  token: %s\n' "$tok2" >>"$repo/apps/clean.yaml"
check
expect_out "apps/clean.yaml:7:10: error[secrets/token]" "a token added to a cached clean file is found"
check --no-cache
printf '%s' "$out" >"$tmp/nc"
check
printf '%s' "$out" | cmp -s - "$tmp/nc" && ok || bad "after a file change: differs from --no-cache"
git -C "$repo" checkout -q apps/clean.yaml
# the same length, other bytes: the key is the content, not its size
sed 's/"fast"/yes   /' "$repo/apps/clean.yaml" >"$tmp/c" && cp "$tmp/c" "$repo/apps/clean.yaml"
check
expect_out "apps/clean.yaml:6:9: error[yaml/ambiguous-scalar]" "a value changed in place is judged again"
git -C "$repo" checkout -q apps/clean.yaml
check
expect_no_out "apps/clean.yaml" "and the file restored is clean again"

# .plumb.yaml: a rule off, then a setting (its severity)
printf 'rules:\n  secrets/token: off\n' >"$repo/.plumb.yaml"
check
expect_no_finding secrets/token "a rule switched off in .plumb.yaml is not replayed"
printf 'rules:\n  secrets/token: warning\n' >"$repo/.plumb.yaml"
check
expect_out "docs/notes.txt:1:13: warning[secrets/token]" "the severity .plumb.yaml sets"
printf 'secrets:\n  allowlist:\n    paths: ["docs/*"]\n' >"$repo/.plumb.yaml"
check
expect_no_out "docs/notes.txt" "an allowlist path in .plumb.yaml"
expect_out "apps/web.yaml:16:22: error[secrets/token]" "the rest still reported"
rm -f "$repo/.plumb.yaml"
check --disable secrets/token
expect_no_finding secrets/token "--disable is part of the digest"

# a rule file changes
sed 's/min: 2/min: 1/' "$repo/policies/replicas.yaml" >"$tmp/p" && cp "$tmp/p" "$repo/policies/replicas.yaml"
check
expect_no_finding team/replicas "a relaxed rule file fires no more"
git -C "$repo" checkout -q policies/replicas.yaml
check
expect_out "warning[team/replicas]" "and fires again when restored"

# a schema folder changes
sed 's/integer/string/' "$repo/schemas/gadget-example-v1.json" >"$tmp/s" && cp "$tmp/s" "$repo/schemas/gadget-example-v1.json"
check
expect_no_out "apps/gadget.yaml:4:14" "a schema that admits the value"
git -C "$repo" checkout -q schemas
check
expect_out "apps/gadget.yaml:4:14: error[schema/invalid]" "the schema restored"

# plumb's build: another binary (same version, rebuilt) has its own digest
cp "$PLUMB" "$tmp/plumb2"
touch -d '2001-01-01' "$tmp/plumb2"
run_in "$repo" "$tmp/plumb2" check --rules policies --schema-location schemas
printf '%s' "$out" | cmp -s - "$tmp/want.text" && ok || bad "another build: output differs"
newest=$(ls -t "$gitcache"/*.cache | head -1)
[ "$newest" != "$cf" ] && [ -f "$cf" ] && ok || bad "another build keeps a cache file of its own: $(ls -t "$gitcache")"
# each configuration above had its own digest; old ones are pruned
n_files=$(cache_files "$gitcache" | wc -l)
[ "$n_files" -le 5 ] && ok || bad "at most 4 other digests' files are kept: $n_files"

# --- suppressions still apply to cached findings ---------------------------
check --format json
printf '%s' "$out" | grep -q '"suppressed"' && ok || bad "the inline suppression marks the replayed token: $out"
check
expect_no_out "apps/ignored.yaml:6" "a replayed token under plumb:ignore stays hidden"
expect_out "apps/ignored.yaml:7:16: warning[suppression/unused]" "and the unused suppression is still reported"

# --- two runs at once, several times: both right, the cache valid -----------
i=0
while [ $i -lt 5 ]; do
	rm -rf "$gitcache"
	(cd "$repo" && "$PLUMB" check -j1 --rules policies --schema-location schemas >"$tmp/a" 2>&1; echo $? >"$tmp/a.rc") &
	(cd "$repo" && "$PLUMB" check -j2 --rules policies --schema-location schemas >"$tmp/b" 2>&1; echo $? >"$tmp/b.rc") &
	wait
	# (the files end with the newline that $(...) drops from $out)
	[ "$(cat "$tmp/a")" = "$(cat "$tmp/want.text")" ] &&
		[ "$(cat "$tmp/b")" = "$(cat "$tmp/want.text")" ] && ok ||
		bad "parallel round $i: an output differs: $(diff "$tmp/a" "$tmp/want.text" | head -5) $(diff "$tmp/b" "$tmp/want.text" | head -5)"
	[ "$(cat "$tmp/a.rc") $(cat "$tmp/b.rc")" = "1 1" ] && ok || bad "parallel round $i: exits $(cat "$tmp/a.rc") $(cat "$tmp/b.rc")"
	run $tool check "$(cache_files "$gitcache" | head -1)"
	expect_out "valid 7" "parallel round $i: the cache left is valid"
	[ -d "$gitcache" ] && [ -z "$(find "$gitcache" -name '.plumb-tmp-*')" ] && ok || bad "parallel round $i: no cache, or a temporary file is left"
	i=$((i + 1))
done

# --- no place to write: the same answer --------------------------------------
rm -rf "$gitcache" && : >"$gitcache"
check
printf '%s' "$out" | cmp -s - "$tmp/want.text" && ok || bad "a file where the cache folder should be: output differs"
expect_rc 1 "and the exit code is the same"
rm -f "$gitcache"

# --- PLUMB_CACHE_DIR (a CI job's cached folder) wins, inside git too --------
rm -rf "$gitcache"
run_in "$repo" env PLUMB_CACHE_DIR="$tmp/ci-cache" "$PLUMB" check --rules policies --schema-location schemas
[ "$out" = "$(cat "$tmp/want.text")" ] && ok || bad "PLUMB_CACHE_DIR: output differs"
[ "$(cache_files "$tmp/ci-cache" | wc -l)" = 1 ] && ok || bad "PLUMB_CACHE_DIR holds the cache: $(cache_files "$tmp")"
[ ! -e "$gitcache" ] && ok || bad "with PLUMB_CACHE_DIR nothing goes to .git/plumb/cache"
run_in "$repo" env PLUMB_CACHE_DIR="$tmp/ci-cache" "$PLUMB" check --rules policies --schema-location schemas
[ "$out" = "$(cat "$tmp/want.text")" ] && ok || bad "PLUMB_CACHE_DIR warm: output differs"
rm -rf "$tmp/ci-cache"

# --- outside git: $XDG_CACHE_HOME/plumb, else ~/.cache/plumb ----------------
plain="$tmp/plain"
mkdir -p "$plain"
printf 'token: %s\n' "$tok" >"$plain/app.yaml"
run_in "$plain" "$PLUMB" check .
expect_out "app.yaml:1:8: error[secrets/token]" "outside git the check runs"
[ "$(cache_files "$tmp/xdg/plumb" | wc -l)" = 1 ] && ok || bad "outside git the cache goes to \$XDG_CACHE_HOME/plumb: $(cache_files "$tmp")"
[ "$(ls -A "$plain")" = "app.yaml" ] && ok || bad "nothing written beside the files: $(ls -A "$plain")"
run_in "$plain" "$PLUMB" check .
expect_out "app.yaml:1:8: error[secrets/token]" "warm outside git"
run_in "$plain" env -u XDG_CACHE_HOME "$PLUMB" check .
expect_out "app.yaml:1:8: error[secrets/token]" "without XDG_CACHE_HOME"
[ "$(cache_files "$tmp/home/.cache/plumb" | wc -l)" = 1 ] && ok || bad "without XDG_CACHE_HOME: ~/.cache/plumb: $(cache_files "$tmp")"
rm -rf "$tmp/xdg" "$tmp/home"
run_in "$plain" "$PLUMB" check --no-cache .
expect_out "app.yaml:1:8: error[secrets/token]" "--no-cache outside git"
ran_cleanly "--no-cache outside git" &&
	{ [ -z "$(cache_files "$tmp")" ] && ok || bad "--no-cache outside git wrote $(cache_files "$tmp")"; }

finish cli-cache
