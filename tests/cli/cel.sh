#!/bin/sh
# CLI tests of `plumb cel EXPR [--var NAME=VALUE]`: the value printed in
# CEL syntax, exit 0 for a value, 1 for an evaluation error (with its
# column), 2 for a syntax or usage error; --var reads JSON and YAML;
# the cost limit stops an expression that would run for minutes with an
# error, never a hang. The language itself is proved by cel_suite.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# --- values -------------------------------------------------------------
run "$PLUMB" cel '1 + 2 * 3'
expect_rc 0 "an expression with a value: exit 0"
expect_out_is "7" "precedence: * before +"
expect_err_is "" "nothing on stderr"

run "$PLUMB" cel '[1, 2u, 3.0, "a", b"\x01", null, {"k": true}]'
expect_out_is '[1, 2u, 3.0, "a", b"\x01", null, {"k": true}]' "every literal kind prints in CEL syntax"

run "$PLUMB" cel 'self.spec.replicas > 2 && self.spec.image.startsWith("ghcr.io/")' \
	--var 'self={"spec": {"replicas": 3, "image": "ghcr.io/a/b:1"}}'
expect_rc 0 "a rule over a JSON variable"
expect_out_is "true" "JSON numbers stay integers"

run "$PLUMB" cel 'self.ports.all(p, p.port < 65536) && !has(self.host)' \
	--var 'self=ports: [{port: 80}, {port: 443}]'
expect_out_is "true" "a YAML variable, all() and has()"

run "$PLUMB" cel 'has(self.chart) && !has(self.chartRef)' --var 'self={"chart": "a", "chartRef": null}'
expect_out_is "true" "a null field is absent, as the API server has it"

run "$PLUMB" cel "self.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?\$')" --var 'self={name: web-1}'
expect_out_is "true" "matches() with a regular expression"

run "$PLUMB" cel "'%s has %d replicas (%.1f%%)'.format([self.name, 3, 42.25]) + ' ' + ' a b '.trim().reverse()" --var 'self={name: web}'
expect_out_is '"web has 3 replicas (42.2%) b a"' "the strings library: format, trim, reverse"

run "$PLUMB" cel 'false || 1 / 0 == 1 || true'
expect_rc 0 "|| absorbs an error when another side is true"
expect_out_is "true" "commutative ||"

run "$PLUMB" cel "duration('1h30m') > duration('90m') || timestamp('2024-01-01T00:00:00Z').getFullYear() == 2024"
expect_out_is "true" "durations and timestamps"

# --- evaluation errors: exit 1, with the column --------------------------
run "$PLUMB" cel '1 + 9223372036854775807'
expect_rc 1 "integer overflow is an error"
expect_err_is "plumb: cel:1:3: return error for overflow
  1 + 9223372036854775807
    ^" "the error names its column and shows a caret"

run "$PLUMB" cel '1 + 1u'
expect_rc 1 "no implicit conversion between int and uint"
expect_err "no such overload" "the overload is missing"

run "$PLUMB" cel 'self.missing' --var 'self={}'
expect_rc 1 "a missing field is an error"
expect_err "cel:1:5: no such key: 'missing'" "the key is named"

# --- the cost limit: a rule that would run for minutes stops -------------
big='[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]'
nested="$big.all(a, $big.all(b, $big.all(c, $big.all(d, $big.all(e, $big.all(f, a + b + c + d + e + f >= 0))))))"
start=$(date +%s)
run "$PLUMB" cel "$nested"
end=$(date +%s)
expect_rc 1 "20^6 iterations stop at the cost limit with an error"
expect_err "cost limit of 1000000 steps exceeded" "the cost limit is named"
[ $((end - start)) -le 5 ] && ok || bad "the cost limit stops quickly: took $((end - start))s"

run "$PLUMB" cel --cost-limit 50 "$big.map(x, x * 2).size()"
expect_rc 1 "--cost-limit lowers the limit"
expect_err "cost limit of 50 steps exceeded" "the lowered limit is named"
run "$PLUMB" cel --cost-limit 1000 "$big.map(x, x * 2).size()"
expect_rc 0 "the same expression fits a larger limit"
expect_out_is "20" "and gives its value"

# --- syntax and usage errors: exit 2 -------------------------------------
run "$PLUMB" cel 'self.a +'
expect_rc 2 "a syntax error: exit 2"
expect_err "plumb: cel:1:9: unexpected end of expression" "the syntax error names its column"

run "$PLUMB" cel "'unterminated"
expect_rc 2 "an unterminated string"
expect_err "cel:1:1: unterminated string literal" "at the opening quote"

run "$PLUMB" cel 'x' --var 'noequals'
expect_rc 2 "--var without NAME="
expect_err "--var takes NAME=VALUE" "the usage is explained"

run "$PLUMB" cel 'x' --var 'x={"a": '
expect_rc 2 "--var with broken JSON"
expect_err "plumb: --var x:" "the variable is named"

run "$PLUMB" cel
expect_rc 2 "no expression"
run "$PLUMB" cel --help
expect_rc 0 "--help"
expect_err_is "" "help goes to stdout"

# --- the Kubernetes regex library: find, findAll -------------------------
run "$PLUMB" cel 'self.image.find(r"[0-9]+\.[0-9]+")' --var 'self={image: "ghcr.io/a/b:v1.25.3"}'
expect_rc 0 "find() with RE2 syntax"
expect_out_is '"1.25"' "find() gives the first match"

run "$PLUMB" cel "'abc'.find('[0-9]+')"
expect_out_is '""' "find() without a match gives the empty string"

run "$PLUMB" cel "'a1 b22 c333'.findAll('[0-9]+')"
expect_out_is '["1", "22", "333"]' "findAll() gives every match, left to right"

run "$PLUMB" cel "'a1 b22 c333'.findAll('[0-9]+', 2)"
expect_out_is '["1", "22"]' "findAll() with a limit"

run "$PLUMB" cel "'abc'.findAll('a*')"
expect_out_is '["a", "", ""]' "an empty match right after a match is skipped, as in RE2"

run "$PLUMB" cel "'abc'.findAll('(?=b)')"
expect_rc 1 "a construct RE2 lacks is an evaluation error"
expect_err "RE2 has no lookaround" "the reason is named"

# --- the Kubernetes quantity library -------------------------------------
run "$PLUMB" cel "quantity(self.limits.memory).isGreaterThan(quantity(self.requests.memory))" \
	--var 'self={limits: {memory: 1.5Gi}, requests: {memory: 512Mi}}'
expect_rc 0 "quantities from YAML strings"
expect_out_is "true" "1.5Gi is above 512Mi"

run "$PLUMB" cel "quantity('1k') == quantity('1000') && quantity('100m').asApproximateFloat() == 0.1"
expect_out_is "true" "equal values are equal whatever their spelling"

run "$PLUMB" cel "quantity('1Gi').add(quantity('512Mi'))"
expect_out_is 'quantity("1610612736")' "a quantity prints as its exact value"

run "$PLUMB" cel "quantity('1Gb')"
expect_rc 1 "a wrong suffix is an evaluation error"
expect_err "not a quantity: '1Gb'" "the value is quoted"

# --- the Kubernetes IP and CIDR libraries ---------------------------------
run "$PLUMB" cel "self.podCIDRs.all(c, cidr(self.clusterCIDR).containsCIDR(c))" \
	--var 'self={clusterCIDR: 10.0.0.0/8, podCIDRs: [10.1.0.0/16, 10.2.0.0/16]}'
expect_rc 0 "cidr() and containsCIDR() over YAML strings"
expect_out_is "true" "both pod ranges are inside the cluster range"

run "$PLUMB" cel "ip(self.dns).isLoopback() || !ip(self.dns).isGlobalUnicast()" --var 'self={dns: 8.8.8.8}'
expect_out_is "false" "a public resolver is global unicast"

run "$PLUMB" cel "isIP('010.0.0.1')"
expect_out_is "false" "an IPv4 octet with a leading zero is refused, as Kubernetes does"

run "$PLUMB" cel "ip('10.0.0.300')"
expect_rc 1 "a wrong address is an evaluation error"
expect_err "not an IP address: '10.0.0.300'" "the value is quoted"

# --- the bench's measurement switch --------------------------------------
# PLUMB_BENCH_CEL_REPEAT=N evaluates every CEL rule N times: findings are
# reported once, the same bytes as a plain run
cases=fixtures/schema/invalid/bad/cel-reason-repo
run "$PLUMB" check -j1 --disable workloads "$cases"
plain=$out plain_rc=$rc
run env PLUMB_BENCH_CEL_REPEAT=7 "$PLUMB" check -j1 --disable workloads "$cases"
expect_rc 1 "a run with every CEL rule evaluated 7 times"
[ "$plain_rc" = 1 ] && [ -n "$plain" ] && [ "$out" = "$plain" ] && ok ||
	bad "PLUMB_BENCH_CEL_REPEAT changes the report: $out"
printf '%s' "$out" | grep -qF 'spec.ports: Duplicate value: ports must be unique' && ok ||
	bad "the repeated run reports its findings: $out"

finish cel
