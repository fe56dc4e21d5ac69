#!/bin/sh
# CLI tests of `plumb schema check --schema FILE DOC...`: exit 0 when every
# document is valid, 1 with one `doc:line:col: error[schema/invalid]:
# PATH: message` line per error, 2 for a schema that cannot be used
# (`schema:line:col: message` on stderr), a missing file or bad usage.
# Schemas and documents are written into a temporary folder. The keyword
# tables run in test_schema and schema_suite; this proves the command.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

cat >"$tmp/deploy.schema.yaml" <<'EOF'
type: object
required: [apiVersion, kind, spec]
properties:
  kind: {enum: [Deployment]}
  spec:
    type: object
    properties:
      replicas: {type: integer, minimum: 0}
      template:
        type: object
        properties:
          spec:
            type: object
            properties:
              containers:
                type: array
                items: {$ref: "#/$defs/container"}
$defs:
  container:
    type: object
    required: [name, image]
    properties:
      name: {type: string}
      image: {type: string}
      ports:
        type: array
        items:
          type: object
          properties:
            containerPort: {type: integer, maximum: 65535}
EOF
cat >"$tmp/schema.json" <<'EOF'
{"type": "object", "properties": {"port": {"type": ["integer", "string"],
 "x-kubernetes-int-or-string": true}}, "additionalProperties": false}
EOF

cat >"$tmp/good.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
spec: {}
EOF
cat >"$tmp/bad.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
spec:
  replicas: "2"
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: "80"
---
apiVersion: apps/v1
kind: Deployment
EOF
printf '{"port": 8080}\n' >"$tmp/good.json"
printf '{"port": 1.5, "extra": true}\n' >"$tmp/bad.json"

# --- valid documents -------------------------------------------------------
run "$PLUMB" schema check --schema "$tmp/deploy.schema.yaml" "$tmp/good.yaml"
expect_rc 0 "every document valid: exit 0"
expect_out_is "" "nothing printed for valid documents"

run "$PLUMB" schema check --schema "$tmp/schema.json" "$tmp/good.json"
expect_rc 0 "a JSON schema and a JSON document"

# a count beyond int64 is no bound (found by fuzzing: converting it was
# undefined behaviour); a fraction is refused
printf '{"type": "string", "maxLength": 1e300, "minLength": 2}\n' >"$tmp/huge.schema.json"
printf '"abc"\n' >"$tmp/abc.json"
run "$PLUMB" schema check --schema "$tmp/huge.schema.json" "$tmp/abc.json"
expect_rc 0 "maxLength 1e300 bounds nothing"
printf '{"type": "string", "maxLength": 1.5}\n' >"$tmp/frac.schema.json"
run "$PLUMB" schema check --schema "$tmp/frac.schema.json" "$tmp/abc.json"
expect_rc 2 "maxLength 1.5 is refused"
expect_err "frac.schema.json:1:33: maxLength must be a non-negative integer" "at its position"

# --- invalid documents -----------------------------------------------------
run "$PLUMB" schema check --schema "$tmp/deploy.schema.yaml" "$tmp/bad.yaml"
expect_rc 1 "an invalid document: exit 1"
expect_out "$tmp/bad.yaml:4:13: error[schema/invalid]: spec.replicas: expected integer, got string \"2\"" "a quoted number is a string, at its line:col"
expect_out "$tmp/bad.yaml:11:30: error[schema/invalid]: spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string \"80\"" "the path through a \$ref and arrays"
expect_out "$tmp/bad.yaml:13:1: error[schema/invalid]: (root): missing required property 'spec'" "every document of a stream is checked"
[ "$(printf '%s\n' "$out" | wc -l)" = 3 ] && ok || bad "exactly three errors: $out"

run "$PLUMB" schema check --schema "$tmp/schema.json" "$tmp/good.json" "$tmp/bad.json"
expect_rc 1 "one invalid DOC among several: exit 1"
expect_out "bad.json:1:10: error[schema/invalid]: port: expected integer or string, got number 1.5" "x-kubernetes-int-or-string"
expect_out "bad.json:1:15: error[schema/invalid]: extra: unknown property 'extra' (additionalProperties is false)" "an unknown property points at its key"

printf 'a: [1, 2\n' >"$tmp/broken.yaml"
run "$PLUMB" schema check --schema "$tmp/schema.json" "$tmp/broken.yaml"
expect_rc 1 "a DOC that is not valid YAML: exit 1"
expect_out "error[yaml/syntax]" "the YAML error is reported"

# --- schema errors -----------------------------------------------------------
printf 'type: object\nproperties:\n  name: {type: strin}\n' >"$tmp/typo.yaml"
run "$PLUMB" schema check --schema "$tmp/typo.yaml" "$tmp/good.yaml"
expect_rc 2 "an unknown type name: exit 2"
expect_err "typo.yaml:3:16: type must be one of null, boolean, integer, number, string, array, object" "schema error at file:line:col"

printf 'properties:\n  a: {$ref: "#/$defs/missing"}\n' >"$tmp/ref.yaml"
run "$PLUMB" schema check --schema "$tmp/ref.yaml" "$tmp/good.yaml"
expect_rc 2 "a \$ref to nothing: exit 2"
expect_err "ref.yaml:2:13: \$ref '#/\$defs/missing' names nothing in the schema" "the bad \$ref is located"

printf 'properties:\n  a: {pattern: "[a-"}\n' >"$tmp/pat.yaml"
run "$PLUMB" schema check --schema "$tmp/pat.yaml" "$tmp/good.yaml"
expect_rc 2 "a bad pattern: exit 2"
expect_err "pat.yaml:2:16: bad regular expression" "the bad pattern is located"

printf -- '- 1\n- 2\n' >"$tmp/list.yaml"
run "$PLUMB" schema check --schema "$tmp/list.yaml" "$tmp/good.yaml"
expect_rc 2 "an array is not a schema: exit 2"
expect_err "list.yaml:1:1: expected a schema (an object or a boolean), got an array" "not a schema"

printf 'a: [1\n' >"$tmp/syntax.yaml"
run "$PLUMB" schema check --schema "$tmp/syntax.yaml" "$tmp/good.yaml"
expect_rc 2 "a schema that is not YAML: exit 2"
expect_err "syntax.yaml:" "the YAML error of the schema is located"

run "$PLUMB" schema check --schema "$tmp/missing.json" "$tmp/good.yaml"
expect_rc 2 "an unreadable schema: exit 2"
expect_err "plumb: cannot open '$tmp/missing.json'" "git-style message"

run "$PLUMB" schema check --schema "$tmp/schema.json" "$tmp/missing.yaml"
expect_rc 2 "an unreadable DOC: exit 2"

# --- usage -------------------------------------------------------------------
run "$PLUMB" schema check "$tmp/good.yaml"
expect_rc 2 "--schema is required"
run "$PLUMB" schema lint --schema "$tmp/schema.json" "$tmp/good.yaml"
expect_rc 2 "an unknown subcommand"
expect_err "subcommand 'check'" "the subcommand is named"
run "$PLUMB" schema check --help
expect_rc 0 "--help"
expect_out "usage: plumb schema check --schema FILE DOC..." "usage line"
expect_out "--strict" "--strict is listed"

# --- schema check --strict ---------------------------------------------------
printf 'type: object\nproperties:\n  image: {type: string}\n  imagePullPolicy: {type: string}\n' >"$tmp/c.schema.yaml"
printf 'image: nginx\nimagePullpolicy: Always\n' >"$tmp/typo.yaml"
run "$PLUMB" schema check --schema "$tmp/c.schema.yaml" "$tmp/typo.yaml"
expect_rc 0 "an unknown field passes without --strict"
run "$PLUMB" schema check --strict --schema "$tmp/c.schema.yaml" "$tmp/typo.yaml"
expect_rc 1 "--strict: an unknown field is an error"
expect_out "typo.yaml:2:1: error[schema/invalid]: imagePullpolicy: unknown field 'imagePullpolicy'" "the typo at its key"

# --- plumb check: schema/invalid with CRDs, --strict, --schema-location -----
crd=fixtures/schema/invalid/bad/crd-repo
run "$PLUMB" check -j2 "$crd"
expect_rc 1 "a custom resource of the wrong type fails the check"
expect_out "widget-wrong-type.yaml:6:9: error[schema/invalid]: spec.size: expected integer, got string \"3\"" "the CRD's schema validates its resources"
expect_no_out "widget-unknown-field" "unknown field reported without --strict"
run "$PLUMB" check -j2 --strict "$crd"
expect_out "widget-unknown-field.yaml:9:3: error[schema/invalid]: spec.colour: unknown field 'colour'" "--strict reports the unknown field"
expect_no_out "widget-valid" "the valid resource fires"
mkdir -p "$tmp/loc"
printf 'apiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: big}\n---\napiVersion: example.org/v2\nkind: Gadget\nmetadata: {name: h}\n---\napiVersion: example.org/v2\nkind: Gadget\nmetadata: {name: i}\n' >"$tmp/gadget.yaml"
printf '{"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}\n' >"$tmp/loc/gadget-example-v1.json"
run "$PLUMB" check --format text "$tmp/gadget.yaml"
expect_rc 0 "no schema, no --schema-location: silent"
expect_out_is "no findings in 1 file" "a kind without a schema is quiet in a plain check"
run "$PLUMB" check -j2 --schema-location "$tmp/nowhere:$tmp/loc" "$tmp/gadget.yaml"
expect_rc 1 "--schema-location DIR:DIR finds {kind}-{group}-{version}.json"
expect_out "gadget.yaml:4:14: error[schema/invalid]: spec.size: expected integer, got string \"big\"" "the folder's schema validates"
expect_out "gadget.yaml:6:1: info[schema/invalid]: no schema for kind Gadget (example.org/v2)" "no schema: one info finding, on the first object"
[ "$(printf '%s\n' "$out" | grep -c 'no schema for kind')" = 1 ] && ok || bad "the info finding once per kind: $out"

# --- x-kubernetes-validations: CEL rules --------------------------------
cat >"$tmp/cel.schema.yaml" <<'EOF2'
type: object
x-kubernetes-validations:
  - rule: self.min <= self.max
    message: min must not exceed max
EOF2
printf 'min: 5\nmax: 2\n' >"$tmp/cel-bad.yaml"
printf 'min: 1\nmax: 2\n' >"$tmp/cel-good.yaml"
run "$PLUMB" schema check --schema "$tmp/cel.schema.yaml" "$tmp/cel-bad.yaml"
expect_rc 1 "a false CEL rule makes the document invalid"
expect_out "cel-bad.yaml:1:1: error[schema/invalid]: (root): min must not exceed max" "the rule's message, at the node"
run "$PLUMB" schema check --schema "$tmp/cel.schema.yaml" "$tmp/cel-good.yaml"
expect_rc 0 "a document that keeps the rule"
printf '  - rule: "self.min <"\n' >>"$tmp/cel.schema.yaml"
run "$PLUMB" schema check --schema "$tmp/cel.schema.yaml" "$tmp/cel-good.yaml"
expect_rc 2 "a rule that does not compile makes the schema unusable"
expect_err "cel.schema.yaml:5:11: x-kubernetes-validations rule does not compile: 1:11: unexpected end of expression" "with the rule's line and column"

echo "cli-schema: $n assertions, $fails failed"
[ "$fails" = 0 ]
