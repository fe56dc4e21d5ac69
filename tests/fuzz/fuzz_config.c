/*
 * fuzz_config.c - libFuzzer target: arbitrary bytes as a .plumb.yaml
 * through pl_config_load_mem and pl_config_apply against a run's registry
 * (built-in rules and packs). A configuration that applies then drives a
 * lint of a fixed file (rule settings read by the rules, excludes, ignore
 * entries through the suppression stage), as a run would. Anything but a
 * clean return (a crash, a sanitizer report, a hang) is a bug.
 */
#include "base/xalloc.h"
#include "finding/suppress.h"
#include "model/model.h"
#include "rule/decl.h"
#include "rule/eval.h"
#include "run/config.h"
#include "run/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the configured rules lint: a few objects the settable rules
 * (flux namespaces, imagepolicy ranges, secrets) look at */
static const char sample[] =
        "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
        "kind: ImagePolicy\n"
        "metadata: {name: podinfo, namespace: flux-system}\n"
        "spec:\n"
        "  imageRepositoryRef: {name: podinfo}\n"
        "  policy:\n"
        "    semver: {range: \">=1.0.0\"}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: source-controller, namespace: gitops}\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: manager\n"
        "          image: ghcr.io/fluxcd/source-controller:v1.2.0 # "
        "{\"$imagepolicy\": \"flux-system:podinfo\"}\n"
        "          env:\n"
        "            - name: TOKEN # plumb:ignore secrets/* -- fixture\n"
        "              value: ghp_Zr8qbQx6F3s1kXnY2uVwT9mLcJ4hA7dE0pGi\n"
        "          yes: on\n";

static const char *const paths[] = {"sample.yaml", "vendor/x.yaml",
                                    "docs/a.example.env", ".plumb.yaml"};

/* built on the first input, kept for the process */
static pl_registry reg;
static pl_ruleset *packs; /* the packs compiled in */
static pl_severity *defaults;
static pl_file sample_file;
static bool ready;

static void setup(void)
{
	pl_limits limits;
	pl_error err;
	char *copy = pl_xstrdup(sample);

	pl_error_clear(&err);
	if (pl_run_registry(&reg, &packs, NULL, 0, &err) != 0 ||
	    pl_registry_prepare(&reg, &err) != 0) {
		fprintf(stderr, "fuzz_config: %s\n", err.msg);
		abort();
	}
	defaults = pl_xcalloc(reg.len, sizeof(*defaults));
	memcpy(defaults, reg.severity, reg.len * sizeof(*defaults));
	pl_limits_default(&limits);
	pl_file_init(&sample_file);
	pl_source_set_data(&sample_file.src, "sample.yaml", copy, strlen(copy));
	sample_file.src.kind = PL_SOURCE_YAML;
	pl_file_load(&sample_file, &limits);
	ready = true;
}

/* Lints the sample with the configured registry, then suppresses. */
static void lint(const pl_config *c)
{
	const pl_file *fp = &sample_file;
	pl_findings found;
	pl_suppress_opts so;
	pl_ctx ctx;

	pl_findings_init(&found);
	pl_ctx_init(&ctx, &found, 1000);
	pl_ctx_set_model(&ctx, NULL);
	pl_eval_file(&ctx, &reg, &sample_file);
	pl_ctx_release(&ctx);
	pl_findings_sort(&found);
	pl_findings_redact(&found);
	pl_findings_fingerprint(&found);
	memset(&so, 0, sizeof(so));
	so.today = "2026-01-01";
	so.config = c->ignores.items;
	so.nconfig = c->ignores.len;
	so.missing_reason = so.expired = so.unused = PL_SEV_WARNING;
	pl_suppress_apply(&found, &fp, 1, &so);
	pl_findings_sort(&found);
	pl_findings_fingerprint(&found);
	pl_findings_release(&found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_config c;
	pl_error err;
	size_t i;

	if (!ready)
		setup();
	pl_error_clear(&err);
	pl_config_init(&c);
	if (pl_config_load_mem(&c, ".plumb.yaml", (const char *)data, size,
	                       &err) != 0) {
		if (err.code == 0)
			abort(); /* a failure must say why */
		pl_config_release(&c);
		return 0;
	}
	for (i = 0; i < PL_ARRAY_SIZE(paths); i++)
		pl_config_excluded(&c, paths[i]);
	if (pl_config_apply(&c, &reg, &err) == 0)
		lint(&c);
	else if (err.code == 0)
		abort();
	/* back to the defaults: the registry outlives this configuration */
	memcpy(reg.severity, defaults, reg.len * sizeof(*defaults));
	memset(reg.settings, 0, reg.len * sizeof(*reg.settings));
	pl_config_release(&c);
	return 0;
}
