#!/bin/sh
# `plumb lsp` driven as an editor drives it (tests/cli/lsp_driver.py):
# initialize (position encodings), didOpen of a ConfigMap whose ambiguous
# value follows a non-BMP character on its line, the diagnostic's range in
# UTF-16 code units and in UTF-8 bytes, hover, the code actions (the quoting
# fix and the plumb:ignore line), didChange with each applied (the
# diagnostic goes), didClose, shutdown and exit codes; then malformed
# messages (JSON-RPC errors, the server goes on serving); and the
# relatedInformation of a finding about another file (an ImagePolicy's
# range), in both encodings. Each assertion is
# on what the driver saw the server send.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
py=${PYTHON:-/usr/bin/python3}
driver=$PWD/tests/cli/lsp_driver.py

# The workspace: one ConfigMap; line 5 holds U+1F600 (4 UTF-8 bytes, 2
# UTF-16 units, 1 code point) before `yes`, which YAML 1.1 reads as a bool.
ws="$tmp/work space"
mkdir -p "$ws"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: emoji\ndata: {greeting: "\360\237\230\200", enabled: yes}\n' >"$ws/cm.yaml"
run "$PLUMB" check -q "$ws/cm.yaml"
expect_out "cm.yaml:5:32: error[yaml/ambiguous-scalar]" "plumb check sees the value at code point 32"

# --- UTF-16, the LSP default ------------------------------------------------
run "$py" "$driver" "$PLUMB" edit-utf16 "$ws"
expect_rc 0 "the utf-16 editor session"
expect_out "encoding utf-16" "no utf-8 offered: UTF-16 code units"
expect_out 'sync {"change": 1, "openClose": true, "save": {"includeText": false}}' "text sync: open/close, full changes, save"
expect_out "hover True" "hover is served"
expect_out "codeActions quickfix" "quick fixes are served"
expect_out "published 1 version 1" "didOpen publishes one diagnostic for version 1"
expect_out "diagnostic yaml/ambiguous-scalar 4:32-4:35 severity=1 source=plumb href=https://github.com/plumb-lint/plumb/blob/main/docs/rules/yaml/ambiguous-scalar.md" \
	"range in UTF-16 units (the emoji counts 2), code, severity, source, docs link"
expect_out "hover-kind markdown" "hover is Markdown"
expect_out "hover-first **yaml/ambiguous-scalar** (error): ConfigMap key 'enabled'" "hover leads with the finding"
expect_out "hover-has-help True" "hover carries the rule's explanation"
expect_out 'action plumb: quote it: "yes" | 4:32-4:35 "\"yes\""' "the fix quotes the value, in UTF-16 units"
expect_out 'action plumb: ignore yaml/ambiguous-scalar with # plumb:ignore yaml/ambiguous-scalar -- reason | 4:0-4:0 "# plumb:ignore yaml/ambiguous-scalar -- reason\n"' \
	"the ignore action inserts a line above"
expect_out 'fixed-line data: {greeting: "' "the editor applied the fix"
expect_out "after-fix 0 version 2" "didChange with the fix clears the diagnostic"
expect_out "shutdown null" "shutdown answers null"
expect_out "exit 0" "exit after shutdown: 0"
expect_no_err "plumb lsp:" "nothing logged in a clean session"

# --- UTF-8 when the client offers it ----------------------------------------
run "$py" "$driver" "$PLUMB" edit-utf8 "$ws"
expect_rc 0 "the utf-8 editor session"
expect_out "encoding utf-8" "utf-8 offered: utf-8 chosen"
expect_out "diagnostic yaml/ambiguous-scalar 4:34-4:37" "range in UTF-8 bytes (the emoji counts 4)"
expect_out 'action plumb: quote it: "yes" | 4:34-4:37' "the fix in UTF-8 bytes"
expect_out "after-fix 0 version 2" "the fix applied in bytes clears it"
expect_out "exit 0" "utf-8 session exits 0"

run "$py" "$driver" "$PLUMB" edit-default "$ws"
expect_rc 0 "a client that names no encodings"
expect_out "encoding utf-16" "no positionEncodings: UTF-16"
expect_out "diagnostic yaml/ambiguous-scalar 4:32-4:35" "and UTF-16 ranges"

# --- the ignore action, applied ----------------------------------------------
run "$py" "$driver" "$PLUMB" ignore "$ws"
expect_rc 0 "the ignore session"
expect_out "ignore-at 4 0" "inserted at the start of the finding's line"
expect_out "after-ignore 0" "the plumb:ignore line (with a reason) silences it"
expect_out "closed 0 False" "didClose clears the document's diagnostics, without a version"
expect_out "exit 0" "ignore session exits 0"

# --- a secrets/ finding in an unsaved buffer ------------------------------------
run "$py" "$driver" "$PLUMB" secret "$ws"
expect_rc 0 "the secret session"
expect_out "secret-findings secrets/k8s-secret" "a buffer that is not on disk is linted too"
expect_out "secret-masked True" "the value is masked in the diagnostic"
expect_out "secret-action plumb: ignore secrets/k8s-secret with # plumb:ignore secrets/k8s-secret -- reason" "the ignore action is offered"
expect_count 1 "secret-action " "and no fix: one action only"

# --- relatedInformation: the other file a finding is about --------------------
# deployment.yaml's marker names an ImagePolicy of image-policy.yaml whose
# range (line 20) follows U+1F600 on its line; the tag is outside it.
rws="$tmp/related space"
mkdir -p "$rws"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  selector:\n    matchLabels: {app: podinfo}\n  template:\n    metadata:\n      labels: {app: podinfo}\n    spec:\n      containers:\n        - name: podinfo\n          image: ghcr.io/stefanprodan/podinfo:5.2.1 # {"$imagepolicy": "flux-system:podinfo"}\n' >"$rws/deployment.yaml"
printf 'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  image: ghcr.io/stefanprodan/podinfo\n  interval: 5m\n---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: podinfo\n  policy:\n    semver:\n      {note: "\360\237\230\200", range: ">=6.0.0 <7.0.0"}\n' >"$rws/image-policy.yaml"
run "$PLUMB" check -q "$rws"
expect_out "image-policy.yaml:20:26: note: the semver range of ImagePolicy 'flux-system/podinfo'" "plumb check notes the range at code point 26"
run "$py" "$driver" "$PLUMB" related-utf16 "$rws"
expect_rc 0 "the related-information session (utf-16)"
expect_out "diagnostic flux/imagepolicy-marker 14:17-14:51 severity=1" "the marker's finding, in the open document"
expect_out "related image-policy.yaml 19:26-19:42 the semver range of ImagePolicy 'flux-system/podinfo'" \
	"relatedInformation: the other file's URI, the range in UTF-16 units (the emoji counts 2), the message"
expect_count 1 "related " "one related place"
expect_out "exit 0" "related session exits 0"
run "$py" "$driver" "$PLUMB" related-utf8 "$rws"
expect_rc 0 "the related-information session (utf-8)"
expect_out "encoding utf-8" "utf-8 negotiated"
expect_out "related image-policy.yaml 19:28-19:44 the semver range" "the related range in UTF-8 bytes (the emoji counts 4)"
run "$py" "$driver" "$PLUMB" related-unsupported "$rws"
expect_rc 0 "a client without relatedInformation"
expect_count 0 "related " "no relatedInformation where the client did not ask for it"
expect_out "| image-policy.yaml:20:26: note: the semver range of ImagePolicy 'flux-system/podinfo'" \
	"the related place ends the message instead, as plumb check prints it"
expect_count 1 "note: " "only the cross-file finding carries a note"

# --- .plumb.yaml changes on disk (didChangeWatchedFiles) ----------------------
run "$py" "$driver" "$PLUMB" watched "$ws"
expect_rc 0 "the watched-files session"
expect_out "before yaml/ambiguous-scalar severity=1" "an error by default"
expect_out "configured yaml/ambiguous-scalar severity=2" ".plumb.yaml created: the session reopens, a warning now"
expect_out "broken type=1 .plumb.yaml:2:3" "a broken .plumb.yaml: an error message with file:line:col"
expect_err "plumb lsp: .plumb.yaml:2:3: unknown rule 'yaml/no-such-rule'" "and the same line on stderr"
expect_out "broken-diagnostics 0" "no stale diagnostics while the configuration is broken"
expect_out "removed yaml/ambiguous-scalar severity=1" ".plumb.yaml deleted: the default again"
expect_out "exit 0" "watched session exits 0"
[ ! -e "$ws/.plumb.yaml" ] && ok || bad "the scenario removed its .plumb.yaml"

# --- malformed input -----------------------------------------------------------
run "$py" "$driver" "$PLUMB" malformed "$ws"
expect_rc 0 "the malformed session (driver)"
expect_out "before-init error id=1 code=-32002" "a request before initialize: ServerNotInitialized"
expect_out "second-init error id=3 code=-32600" "a second initialize: invalid request"
expect_out "invalid-json error id=null code=-32700" "invalid JSON: parse error"
expect_out "bad-length error id=null code=-32700" "a Content-Length that is not a number"
expect_out "no-length error id=null code=-32700" "a header without Content-Length"
expect_out "twice error id=null code=-32700" "Content-Length given twice"
expect_out "huge-header error id=null code=-32700" "a 100 kB header line is cut, answered, skipped"
expect_out "batch error id=null code=-32600" "a batch (array) is not an LSP request"
expect_out "no-method error id=null code=-32600" "an object without method"
expect_out "bad-id error id=null code=-32600" "an id that is neither number nor string"
expect_out "unknown-method error id=2 code=-32601" "an unknown method: method not found"
expect_out "bad-params error id=3 code=-32602" "hover with a bad position: invalid params"
expect_out "bad-params-2 error id=4 code=-32602" "codeAction without a document: invalid params"
expect_out "after-shutdown error id=6 code=-32600" "a request after shutdown: invalid request"
expect_out "exit 0" "still exits 0 after shutdown and exit"
expect_out "eof-exit 1" "input that ends without exit (inside a 1 TB body): exit 1, no crash"

run "$py" "$driver" "$PLUMB" noshutdown "$ws"
expect_rc 0 "the no-shutdown session"
expect_out "exit-without-shutdown 1" "exit without shutdown: exit code 1"

# --- a real client: Neovim, headless -------------------------------------------
# Debian's neovim (ci/install-deps.sh installs it); skipped, saying so, only
# where it is not installed.
if command -v nvim >/dev/null 2>&1; then
	lua=$PWD/tests/cli/lsp_nvim.lua
	# the config quits itself; cq (exit 1) only runs when it failed
	(cd "$ws" && PLUMB=$PLUMB LSP_ROOT=$ws LSP_OUT=$tmp/nvim.json \
		timeout 60 nvim --headless --clean -n -i NONE \
		-c "luafile $lua" -c cq cm.yaml) </dev/null \
		>"$tmp/nvim.out" 2>&1
	rc=$?
	asserted_rc=""
	out=$(cat "$tmp/nvim.out")
	expect_rc 0 "neovim ran the Lua config and quit ($out)"
	run "$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("waited", d["waited"])
for x in d["diagnostics"]:
    print("nvim %s %d:%d-%d severity=%d source=%s" % (x["code"], x["lnum"], x["col"], x["end_col"], x["severity"], x["source"]))' "$tmp/nvim.json"
	expect_rc 0 "neovim wrote vim.diagnostic.get() as JSON"
	expect_out "waited True" "neovim received diagnostics"
	# Neovim 0.7 offers no utf-8: the server sends UTF-16 units (32) and
	# Neovim turns them into the byte column (34) of its buffer
	expect_out "nvim yaml/ambiguous-scalar 4:34-37 severity=1 source=plumb" "vim.diagnostic.get(): rule id, line, byte column"
	expect_count 1 "nvim " "one diagnostic in neovim"
else
	echo "lsp: SKIPPED the neovim part: nvim is not installed (sh ci/install-deps.sh installs neovim)"
fi

# --- the command line ----------------------------------------------------------
run "$PLUMB" lsp --help
expect_rc 0 "lsp --help"
expect_out "usage: plumb lsp" "lsp --help prints its usage"
run "$PLUMB" lsp extra
expect_rc 2 "lsp takes no arguments"
expect_err "'lsp' takes no arguments" "and says so"
run "$PLUMB" lsp </dev/null
expect_rc 1 "empty input: the client went away before exit"
expect_no_out "Content-Length" "nothing written without a request"

finish lsp
