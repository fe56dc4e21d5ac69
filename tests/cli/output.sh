#!/bin/sh
# What plumb writes: a flagged value never printed in full in any format
# or place (masking is a property of the value), reports and baselines
# written whole or not at all (exit 3, the old file kept), and whatever
# plumb writes it reads back. Every negative assertion checks the exit
# code first, so a plumb that fails early (exit 2) cannot pass it.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# never VALUE WHAT FILE: FILE does not hold VALUE
never() {
	if grep -qF -- "$1" "$3"; then
		bad "$2: the flagged value is printed: $(grep -F -- "$1" "$3" | head -3)"
	else
		ok
	fi
}

# every format of `plumb check ARGS` (exit 1: findings) holds no $1
all_formats() {
	value=$1
	what=$2
	shift 2
	for f in text json sarif github; do
		run "$PLUMB" check --format "$f" "$@"
		expect_rc 1 "$what ($f)"
		never "$value" "$what ($f)" "$tmp/out"
	done
	run "$PLUMB" baseline -o "$tmp/masked-baseline.json" "$@"
	expect_rc 0 "$what (baseline)"
	never "$value" "$what (baseline)" "$tmp/masked-baseline.json"
}

# --- masking: a property of the value ----------------------------------------
tok=ghp_R7pXc2LmQ9vT4wK8sN3yB6hJ1dF5gA0zE2uY
other=ghp_Z1yX2wV3uT4sR5qP6oN7mL8kJ9iH0gF1eD2cB

d="$tmp/mask"
mkdir -p "$d"
# 1,001 identical tokens: the 1,001st is the notice of the cap, whose
# excerpt shows the same value
i=0
while [ $i -lt 1001 ]; do
	echo "- $tok"
	i=$((i + 1))
done >"$d/many.yaml"
all_formats "$tok" "1,001 identical tokens" "$d/many.yaml"
run "$PLUMB" check "$d/many.yaml"
expect_out "many.yaml:1001:3: info[secrets/token]: more findings in this file were not reported (limit per file reached)" "the cap notice is reported"
expect_out " 1001 | - ghp_************************************" "the cap notice's excerpt is masked"

# a value only the finding past the cap flagged is masked in the notice
cp "$d/many.yaml" "$d/capped.yaml"
sed -i '$d' "$d/capped.yaml"
echo "- $other" >>"$d/capped.yaml"
run "$PLUMB" check "$d/capped.yaml"
expect_rc 1 "a value past the cap"
never "$other" "a value past the cap" "$tmp/out"
expect_out " 1001 | - ghp_************************************" "the notice masks a value past the cap"
rm "$d/many.yaml" "$d/capped.yaml"

# the same value on a second line, shown as the excerpt of another
# finding (its own secrets/ finding is suppressed there)
printf 'token: %s\nnote: x\nnote: %s # plumb:ignore secrets/token -- a test value\n' \
	"$tok" "$tok" >"$d/two.yaml"
all_formats "$tok" "the same value on two lines" "$d/two.yaml"
run "$PLUMB" check "$d/two.yaml"
expect_out "two.yaml:3:1: error[yaml/duplicate-key]" "the second line has its own finding"
expect_out " 3 | note: ghp_************************************ # plumb:ignore" "the second line's excerpt is masked"

# the `stable` fingerprint of that yaml/duplicate-key finding is an
# unkeyed hash of its line: of the line with the value masked, never of
# the value (FNV-1a of rule, path, line, occurrence; finding.c)
(cd "$d" && "$PLUMB" check --format json two.yaml) >"$tmp/two.json"
stable=$(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["rule"] == "yaml/duplicate-key":
        print(f["stable"])' "$tmp/two.json")
fnv() {
	python3 -c '
import sys
h = 14695981039346656037
data = b"yaml/duplicate-key\0two.yaml\0" + sys.argv[1].encode() + (0).to_bytes(8, "little")
for b in data:
    h = ((h ^ b) * 1099511628211) % (1 << 64)
print("%016x" % h)' "$1"
}
raw=$(fnv "note: $tok # plumb:ignore secrets/token -- a test value")
masked=$(fnv "note: ghp_************************************ # plumb:ignore secrets/token -- a test value")
[ -n "$stable" ] && [ "$stable" = "$masked" ] && ok || bad "stable is the hash of the masked line ($stable, want $masked)"
[ "$stable" != "$raw" ] && ok || bad "stable is a hash of the line holding the value"

# and in another file, where no secrets/ finding is reported
printf 'note: x\nnote: %s # plumb:ignore secrets/token -- a test value\n' "$tok" >"$d/z-other.yaml"
run "$PLUMB" check "$d"
expect_rc 1 "a value flagged in another file"
never "$tok" "a value flagged in another file" "$tmp/out"
expect_out " 2 | note: ghp_****" "another file's excerpt is masked"
rm "$d/two.yaml" "$d/z-other.yaml"

# a schema/invalid message quoting a flagged value
cat >"$d/deploy.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: $tok
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
EOF
all_formats "$tok" "schema/invalid quoting a flagged value" "$d/deploy.yaml"
run "$PLUMB" check "$d/deploy.yaml"
expect_out 'deploy.yaml:5:13: error[schema/invalid]: spec.replicas: expected integer, got string "ghp_***"' "schema/invalid quotes the masked value"
rm "$d/deploy.yaml"

# a short value in yaml/ambiguous-scalar's message and hint: masked whole
cat >"$d/secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData:
  password: 017
EOF
all_formats "017" "a short flagged value" "$d/secret.yaml"
run "$PLUMB" check "$d/secret.yaml"
expect_out "secret.yaml:5:13: error[yaml/ambiguous-scalar]" "the short value has an ambiguous-scalar finding"
expect_out '= hint: quote it: "***"' "the hint masks a short value whole"
expect_out " 5 |   password: ***" "the excerpt masks a short value whole"
expect_rc 1 "a short flagged value"
expect_no_out "schema/invalid" "one value, one finding: ambiguous-scalar names the fix, schema/invalid is not repeated"
rm "$d/secret.yaml"

# --- atomic writes: whole or not at all, exit 3 -----------------------------
w="$tmp/write"
mkdir -p "$w/repo"
printf 'a: 1\na: 2\n' >"$w/repo/dup.yaml"
for f in text json sarif github; do
	run "$PLUMB" check --format "$f" -o /dev/full "$w/repo"
	expect_rc 3 "-o /dev/full ($f) is an internal failure"
	expect_err "plumb: cannot write the report to '/dev/full': No space left on device" "-o /dev/full ($f) says why"
done
"$PLUMB" check "$w/repo" >/dev/full 2>"$tmp/err"
rc=$?
err=$(cat "$tmp/err")
expect_rc 3 "a full standard output is an internal failure"
expect_err "No space left on device" "a full standard output says why"

# a report or baseline that fails part-way (a file-size limit) keeps the
# previous file byte for byte and leaves no temporary file behind; the
# new ones are far larger than the limit (8 blocks of 512 bytes)
run "$PLUMB" baseline -o "$w/base.json" "$w/repo"
expect_rc 0 "a first baseline"
run "$PLUMB" check --format sarif -o "$w/report.sarif" "$w/repo"
expect_rc 1 "a first SARIF report"
cp "$w/base.json" "$w/base.orig"
cp "$w/report.sarif" "$w/report.orig"
i=0
while [ $i -lt 300 ]; do
	echo "k$i: 1"
	echo "k$i: 2"
	i=$((i + 1))
done >"$w/repo/many.yaml"
limited() { sh -c 'trap "" XFSZ; ulimit -f 8; exec "$@"' limited "$@"; }
run limited "$PLUMB" baseline -o "$w/base.json" "$w/repo"
expect_rc 3 "a baseline write that fails part-way"
expect_err "plumb: cannot write '$w/base.json': File too large" "the failed baseline write says why"
cmp -s "$w/base.json" "$w/base.orig" && ok || bad "the previous baseline is not intact"
run limited "$PLUMB" check --format sarif -o "$w/report.sarif" "$w/repo"
expect_rc 3 "a report write that fails part-way"
expect_err "File too large" "the failed report write says why"
cmp -s "$w/report.sarif" "$w/report.orig" && ok || bad "the previous report is not intact"
left=$(ls -A "$w" | grep -c plumb-tmp)
[ "$left" = 0 ] && ok || bad "temporary files left behind: $(ls -A "$w")"
# without a limit the same writes replace the files
run "$PLUMB" baseline -o "$w/base.json" "$w/repo"
expect_rc 0 "the baseline is written without the limit"
cmp -s "$w/base.json" "$w/base.orig" && bad "the baseline was not replaced" || ok
run "$PLUMB" check --baseline "$w/base.json" "$w/repo"
expect_rc 0 "the new baseline reads back"
expect_out "no findings in 2 files (301 suppressed)" "the new baseline holds every finding"

# --- whatever plumb writes, plumb reads back ---------------------------------
# a baseline above 16 MiB (the cap on linted files): 45 files of 1,000
# findings each under long paths (about 20 MiB)
b="$tmp/big"
long=deeply-nested-folder-name-that-makes-the-paths-long-0123456789
bd="$b/repo/$long/$long/$long"
mkdir -p "$bd"
i=0
while [ $i -lt 1001 ]; do
	printf 'k%s-a-long-key-name-to-make-the-message-longer: 1\n' $i
	printf 'k%s-a-long-key-name-to-make-the-message-longer: 2\n' $i
	i=$((i + 1))
done >"$bd/f0.yaml"
for i in $(seq 1 44); do cp "$bd/f0.yaml" "$bd/f$i.yaml"; done
run "$PLUMB" baseline -o "$b/base.json" "$b/repo"
expect_rc 0 "a baseline above 16 MiB is written"
size=$(wc -c <"$b/base.json")
[ "$size" -gt 16777216 ] && ok || bad "the big baseline is only $size bytes"
run "$PLUMB" check --baseline "$b/base.json" "$b/repo"
expect_rc 0 "a baseline above 16 MiB that plumb wrote is read back"
expect_out "no findings in 45 files (45045 suppressed)" "every finding of the big baseline matches"
rm -rf "$b"

# the limits on plumb's own inputs are named in their errors
mkdir -p "$tmp/limits"
printf '{"version": 1, "findings": [], "x": ' >"$tmp/limits/deep.json"
i=0
while [ $i -lt 70 ]; do printf '['; i=$((i + 1)); done >>"$tmp/limits/deep.json"
run "$PLUMB" check --baseline "$tmp/limits/deep.json" "$w/repo"
expect_rc 2 "a baseline nested too deep"
expect_err "deep.json:1:" "the nesting error has a position"
expect_err "nesting deeper than 64 levels (the limit for baseline files)" "the baseline nesting limit is named"
{
	echo "fail-on: error"
	yes '# padding padding padding padding padding padding padding' | head -c 17000000
} >"$tmp/limits/big.yaml"
run "$PLUMB" check --config "$tmp/limits/big.yaml" "$w/repo"
expect_rc 2 "a configuration file above 16 MiB"
expect_err "cannot read '$tmp/limits/big.yaml': larger than the 16 MiB limit on input files (max_file_size)" "the config size limit is named"
mkdir -p "$tmp/limits/rules"
mv "$tmp/limits/big.yaml" "$tmp/limits/rules/big.yaml"
run "$PLUMB" check --rules "$tmp/limits/rules" "$w/repo"
expect_rc 2 "a rule file above 16 MiB"
expect_err "larger than the 16 MiB limit on input files (max_file_size)" "the rule file size limit is named"
rm -rf "$tmp/limits"

# --- keyed secret fingerprints ------------------------------------------------
# a fingerprint is an HMAC-SHA256 (rule, NUL, value) under a key kept in
# .git/plumb (or the baseline), so a report does not let anyone test a
# guess of the value offline; baselines match on every clone
k="$tmp/keyed"
mkdir -p "$k/repo"
git -C "$k/repo" init -q
printf 'export GITHUB_TOKEN=%s\n' "$tok" >"$k/repo/env.sh"
git -C "$k/repo" add env.sh
git -C "$k/repo" -c user.name=t -c user.email=t@example.com commit -qm one
fp_of() { "$PLUMB" check --format json "$1" | grep -o '"secrets/token:[0-9a-f]*"' | tr -d '"'; }
fp1=$(fp_of "$k/repo")
fp2=$(fp_of "$k/repo")
[ -n "$fp1" ] && [ "$fp1" = "$fp2" ] && ok || bad "fingerprints are stable across runs ($fp1 / $fp2)"
keyfile="$k/repo/.git/plumb/fingerprint-key"
[ -f "$keyfile" ] && ok || bad "the key is kept in .git/plumb"
[ "$(stat -c %a "$keyfile" 2>/dev/null)" = 600 ] && ok || bad "the key file is private (mode $(stat -c %a "$keyfile" 2>/dev/null))"
want=$(python3 -c '
import hmac, hashlib, sys
key = bytes.fromhex(open(sys.argv[1]).read().strip())
mac = hmac.new(key, b"secrets/token\0" + sys.argv[2].encode(), hashlib.sha256)
print("secrets/token:" + mac.hexdigest()[:16])' "$keyfile" "$tok")
[ "$fp1" = "$want" ] && ok || bad "the fingerprint is the HMAC under the repository's key ($fp1, want $want)"
plain=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest()[:16])' "$tok")
case "$fp1" in *"$plain"*) bad "the fingerprint is an unkeyed hash" ;; *) ok ;; esac
# another clone has another key, so another fingerprint for the value
git clone -q "$k/repo" "$k/clone"
fp3=$(fp_of "$k/clone")
[ -n "$fp3" ] && [ "$fp3" != "$fp1" ] && ok || bad "another clone's key gives another fingerprint ($fp3)"
# a baseline carries its key: it matches in any clone
run "$PLUMB" baseline -o "$k/repo/base.json" "$k/repo"
expect_rc 0 "a baseline of the secret"
grep -q '"key": "[0-9a-f]\{64\}"' "$k/repo/base.json" && ok || bad "the baseline holds its key"
run "$PLUMB" check --baseline "$k/repo/base.json" "$k/clone"
expect_rc 0 "the baseline matches the secret in another clone"
expect_out "no findings in 1 file (1 suppressed)" "the other clone's secret is suppressed by the baseline"
fp4=$("$PLUMB" check --baseline "$k/repo/base.json" --format json "$k/clone" | grep -o '"secrets/token:[0-9a-f]*"' | tr -d '"')
[ "$fp4" = "$fp1" ] && ok || bad "with the baseline, the clone names the secret as the baseline does ($fp4 / $fp1)"
keyline=$(grep '"key"' "$k/repo/base.json")
run "$PLUMB" baseline -o "$k/repo/base.json" "$k/clone"
expect_rc 0 "the baseline is regenerated from the clone"
[ "$(grep '"key"' "$k/repo/base.json")" = "$keyline" ] && ok || bad "regenerating a baseline keeps its key"
printf '{"version": 1, "key": "xyz", "findings": []}\n' >"$k/bad-key.json"
run "$PLUMB" check --baseline "$k/bad-key.json" "$k/repo"
expect_rc 2 "a baseline with a broken key"
expect_err 'bad-key.json:1:23: a baseline "key" is 64 hex digits' "the broken key is located"
rm -rf "$k"

# --- error messages echo user input escaped and cut ----------------------------
esc=$(printf '\033')
run "$PLUMB" "$(printf 'frob\033[2Jnicate')"
expect_rc 2 "an unknown command with an escape sequence"
expect_err "plumb: 'frob\\x1b[2Jnicate' is not a plumb command" "the escape character is shown escaped"
case "$err" in *"$esc"*) bad "an escape character reached stderr" ;; *) ok ;; esac
run "$PLUMB" check --format "$(printf 'a\nb')" "$w/repo"
expect_rc 2 "an unknown format with a line break"
expect_err "plumb: unknown format 'a\\nb' (expected text, json, sarif or github)" "the line break is shown escaped"
long=$(printf '%05000d' 0)
run "$PLUMB" check "--x$long" "$w/repo"
expect_rc 2 "a 5,000-character unknown option"
expect_err "unknown option '--x0000" "the long option is echoed"
expect_err "...'" "the long option is cut"
[ "${#err}" -lt 300 ] && ok || bad "the message for a long option is ${#err} characters"
run "$PLUMB" check --fail-on "$(printf 'err\tor')" "$w/repo"
expect_rc 2 "an unknown level with a tab"
expect_err "unknown level 'err\\tor' for --fail-on" "the tab is shown escaped"

echo "output: $n assertions, $fails failed"
[ "$fails" = 0 ]
