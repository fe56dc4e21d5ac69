#!/bin/sh
# `plumb build`: the build model printed as kustomize prints it, the
# sources of each value, and the folders kustomize refuses (exit 2 with
# file:line:col of the entry at fault). The kustomize-build suite holds
# the model to kustomize over the corpus; this holds the command's
# contract. UPDATE=1 rewrites the golden files (review the diff).
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
golden() {
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/out" "$1"
		ok
	elif cmp -s "$tmp/out" "$1"; then
		ok
	else
		bad "$2: output differs from $1"
		diff -u "$1" "$tmp/out" | head -40
	fi
}

F=fixtures/build

# --- a build, with and without sources ------------------------------------
run "$PLUMB" build "$F/sources/overlay"
expect_rc 0 "an overlay builds"
golden tests/cli/golden/build-overlay.yaml "the overlay as kustomize builds it"
expect_out "name: web-settings-47668c6k28" \
	"generated ConfigMap gets kustomize's hash suffix"
expect_out "image: nginx:1.27" "images: sets the tag"

run "$PLUMB" build --sources "$F/sources/overlay"
expect_rc 0 "--sources builds"
golden tests/cli/golden/build-sources.yaml "every value names its source"
o="$F/sources/overlay/kustomization.yaml"
expect_out "namespace: shop  # $o:3:12" "namespace: set by the overlay's namespace line"
expect_out "image: nginx:1.27  # $o:12:13" "image set by the images: newTag line"
expect_out "replicas: 3  # $F/sources/overlay/hostnetwork.yaml:6:13" "replicas set by the patch"
expect_out "hostNetwork: true  # $F/sources/overlay/hostnetwork.yaml:9:20" "hostNetwork added by the patch"
expect_out "path: /healthz  # $F/sources/components/probe/kustomization.yaml:12:19" \
	"a value added by the component's inline patch points into the component"
expect_out "app: web  # $F/sources/base/deployment.yaml:10:12" "base values keep the base line"
expect_out "      - name: app  # $F/sources/base/deployment.yaml:17:17" \
	"a value a patch repeats unchanged keeps the base line"

# --- a Flux Kustomization ----------------------------------------------------
run "$PLUMB" build --sources --flux flux-system/apps "$F/flux"
expect_rc 0 "--flux builds the Kustomization's spec.path"
golden tests/cli/golden/build-flux.yaml "what the Flux Kustomization applies"
k="$F/flux/clusters/prod/apps.yaml"
expect_out "namespace: web  # $k:13:20" "targetNamespace sets the namespace"
expect_out "kind: Service" "the generated kustomization lists sub-folders' files"
expect_out "replicas: 2  # $k:24:18" "spec.patches apply"
expect_out "image: nginx:1.27  # $k:16:15" "spec.images apply"
expect_out "cluster: prod  # $k:27:16" "postBuild.substitute resolves \${CLUSTER}"
expect_out "value: web.example.org  # $F/flux/clusters/prod/cluster-vars.yaml:7:11" \
	"substituteFrom resolves \${DOMAIN} from the repository's ConfigMap"
expect_out "value: eu-west-1a  # $F/flux/clusters/prod/zone-secret.yaml:7:9" \
	"substituteFrom resolves \${ZONE} from a Secret's base64 data"
expect_out "value: eu  #" "\${REGION:=eu} takes its default"
expect_out 'value: ${UNSET}' "an unresolved variable is printed as written"
expect_out 'value: ${KEPT}' "\$\${KEPT} is the literal \${KEPT}"

run "$PLUMB" build --flux flux-system/nothing "$F/flux"
expect_rc 2 "--flux names a Kustomization that does not exist"
expect_err "no Flux Kustomization 'flux-system/nothing'" "says which"

run "$PLUMB" build --flux apps "$F/flux"
expect_rc 2 "--flux needs NAMESPACE/NAME"

# --- what kustomize refuses -------------------------------------------------
run "$PLUMB" build "$F/refused/missing-resource"
expect_rc 2 "a missing resource is refused"
expect_err "$F/refused/missing-resource/kustomization.yaml:4:5: accumulating resources: 'deployment.yaml'" \
	"the missing entry is named at its line"

run "$PLUMB" build "$F/refused/remote-resource"
expect_rc 2 "a remote resource is refused (offline)"
expect_err "$F/refused/remote-resource/kustomization.yaml:4:5: accumulating resources: remote resource" \
	"the remote entry is named at its line"

run "$PLUMB" build "$F/refused/patch-matches-nothing"
expect_rc 2 "a patch whose target does not exist is refused"
expect_err "$F/refused/patch-matches-nothing/kustomization.yaml:6:11: no resource matches strategic merge patch \"Service website\"" \
	"the patch entry is named"

run "$PLUMB" build "$F/refused/cycle/a"
expect_rc 2 "a kustomization that includes itself is refused"
expect_err "$F/refused/cycle/b/kustomization.yaml:2:5: accumulating resources: cycle detected" \
	"the entry that closes the cycle is named"

run "$PLUMB" build "$F/sources/overlay/hostnetwork.yaml"
expect_rc 2 "a file is not a kustomization folder"
expect_err "is not a folder" "says why"

run "$PLUMB" build "$F/sources"
expect_rc 2 "a folder without a kustomization file"
expect_err "unable to find one of 'kustomization.yaml'" "in kustomize's terms"

run "$PLUMB" build
expect_rc 2 "build needs a DIR"

run "$PLUMB" build --help
expect_rc 0 "build --help"
expect_out "--sources" "--help lists --sources"

# --- the rules judge the same build -----------------------------------------
# `plumb check` reads the objects the build model makes, and reports a
# value where --sources says it was written: the two cannot disagree.
run "$PLUMB" check -q --format json "$F/sources/overlay"
expect_rc 0 "check of the overlay (warnings only)"
expect_out '"path": "fixtures/build/sources/overlay/hostnetwork.yaml"' \
	"the patch file holds the finding, though patches are not objects"
expect_out '"line": 9' "at the hostNetwork line --sources names (9:20)"
expect_out '"column": 20' "at its column"
expect_out '"rule": "workloads/host-network"' "the rule that judges the built pod"
run "$PLUMB" build --sources "$F/sources/overlay"
expect_out "hostNetwork: true  # $F/sources/overlay/hostnetwork.yaml:9:20" \
	"the same position as plumb build --sources"

# A ${var} no ConfigMap or Secret of the repository resolves stays as
# written: the reference is unknown, never a dangling-ref warning; the run
# says once, as info, what it could not judge.
run "$PLUMB" check -q --disable schema --disable workloads "$F/unresolved-substitution"
expect_rc 0 "an unresolved substitution is no error"
expect_no_out "warning[flux/dangling-ref]" "no warning for a source that waits for a variable"
expect_out "info[flux/dangling-ref]: spec.chart.spec.sourceRef names HelmRepository '\${CHART_REPO}', which plumb cannot resolve: its name waits for a substitution" \
	"one info names what could not be resolved"
expect_count 1 "info[flux/dangling-ref]" "at most one such info per run"

echo "build: $((n - fails)) of $n passed"
[ "$fails" = 0 ]
