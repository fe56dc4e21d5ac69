/*
 * fuzz_decl.c - libFuzzer target: arbitrary bytes as a declarative rule
 * file (rules/FORMAT.md) through pl_ruleset_load_mem. A file that loads is
 * registered and its rules run over a fixed set of workloads, so the
 * compiled conditions (paths, regexes, semver ranges, env-defines,
 * message placeholders) run too. Anything but a clean return (a crash, a
 * sanitizer report, a hang) is a bug.
 */
#include "base/xalloc.h"
#include "model/model.h"
#include "rule/decl.h"
#include "rule/eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the rules run over: every target kind, env and envFrom, images
 * with tags and digests, a ConfigMap and a Secret for env-defines */
static const char sample[] =
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: api\n"
        "  namespace: prod\n"
        "  labels: {app: api, tier: backend, version: \"1.2\"}\n"
        "spec:\n"
        "  replicas: 3\n"
        "  template:\n"
        "    spec:\n"
        "      volumes:\n"
        "        - name: data\n"
        "          hostPath: {path: /var/lib}\n"
        "      initContainers:\n"
        "        - name: migrate\n"
        "          image: ghcr.io/example/api-migrate:v1.4.0\n"
        "          env:\n"
        "            - {name: HOME, value: /tmp}\n"
        "      containers:\n"
        "        - name: api\n"
        "          image: example/api:latest\n"
        "          ports: [{containerPort: 8080}]\n"
        "          env:\n"
        "            - {name: LOG_LEVEL, value: verbose}\n"
        "            - name: DATABASE_URL\n"
        "              valueFrom:\n"
        "                secretKeyRef: {name: db, key: url}\n"
        "          envFrom:\n"
        "            - configMapRef: {name: api-env}\n"
        "            - prefix: PG_\n"
        "              secretRef: {name: db}\n"
        "            - configMapRef: {name: missing}\n"
        "        - name: sidecar\n"
        "          image: \"postgres@sha256:"
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"\n"
        "      ephemeralContainers:\n"
        "        - {name: debug, image: busybox}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: api-env, namespace: prod}\n"
        "data: {POSTGRES_HOST: db, DB_TYPE: postgresdb}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata: {name: db, namespace: prod}\n"
        "stringData: {PASSWORD: x, USER: y}\n"
        "---\n"
        "apiVersion: batch/v1\n"
        "kind: CronJob\n"
        "metadata: {name: backup}\n"
        "spec:\n"
        "  schedule: \"0 3 * * *\"\n"
        "  jobTemplate:\n"
        "    spec:\n"
        "      template:\n"
        "        spec:\n"
        "          containers:\n"
        "            - {name: backup, image: "
        "\"docker.io/bitnami/postgresql:16.2.0-debian-12-r6\"}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata: {name: one, labels: {app: web}}\n"
        "spec:\n"
        "  containers:\n"
        "    - {name: web, image: \"ghcr.io/fluxcd/source-controller:v0.9\"}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: StatefulSet\n"
        "metadata: {name: pg}\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: pg\n"
        "          image: postgres:15\n"
        "          env: [{name: POSTGRES_PASSWORD, value: \"\"}, 7, ~]\n";

/* the registry the rule files join: one C rule that never fires */
static void check_nothing(pl_ctx *ctx, const pl_object *obj)
{
	(void)ctx;
	(void)obj;
}

static const pl_rule anchor = {
        .id = "zz-fuzz/anchor",
        .severity = PL_SEV_INFO,
        .summary = "Nothing",
        .help = "Keeps the fuzzed registry non-empty.",
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_nothing,
};
static const pl_rule *const anchors[] = {&anchor};

/* built on the first input, kept for the process */
static pl_file files[1];
static pl_model *model;
static bool ready;

static void setup(void)
{
	pl_limits limits;
	pl_file *fp = &files[0];
	char *copy = pl_xstrdup(sample);

	pl_limits_default(&limits);
	pl_file_init(fp);
	pl_source_set_data(&fp->src, "sample.yaml", copy, strlen(copy));
	fp->src.kind = PL_SOURCE_YAML;
	pl_file_load(fp, &limits);
	pl_model_build(&model, &fp, 1);
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_ruleset *rs;
	pl_registry reg;
	pl_findings found;
	pl_ctx ctx;
	pl_error err;

	if (memchr(data, '\0', size))
		return 0; /* a rule file with a NUL byte is never read */
	if (!ready)
		setup();
	pl_error_clear(&err);
	pl_ruleset_new(&rs);
	if (pl_ruleset_load_mem(rs, "fuzz-rules.yaml", (const char *)data, size,
	                        &err) != 0) {
		if (err.code == 0)
			abort(); /* a failure must say why */
		pl_ruleset_free(rs);
		return 0;
	}
	memset(&reg, 0, sizeof(reg));
	if (pl_registry_init(&reg, anchors, 1, &err) == 0 &&
	    pl_ruleset_register(rs, &reg, &err) == 0 &&
	    pl_registry_prepare(&reg, &err) == 0) {
		pl_findings_init(&found);
		pl_ctx_init(&ctx, &found, 1000);
		pl_ctx_set_model(&ctx, model);
		pl_eval_file(&ctx, &reg, &files[0]);
		pl_ctx_release(&ctx);
		pl_findings_sort(&found);
		pl_findings_release(&found);
	}
	pl_registry_release(&reg);
	pl_ruleset_free(rs);
	return 0;
}
