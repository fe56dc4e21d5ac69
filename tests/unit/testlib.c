/*
 * testlib.c - see testlib.h.
 */
#include "testlib.h"
#include "base/xalloc.h"
#include "rule/eval.h"
#include "rule/registry.h"
#include "run/run.h"

void tl_source(pl_source *src, const char *text, size_t len)
{
	char *data = malloc(len + 1);

	assert_non_null(data);
	if (len)
		memcpy(data, text, len);
	data[len] = '\0';
	pl_source_init(src);
	src->kind = PL_SOURCE_YAML;
	pl_source_set_data(src, "test.yaml", data, len);
}

void tl_load_n(tl_doc *out, const char *yaml, size_t len,
               const pl_limits *limits)
{
	tl_source(&out->src, yaml, len);
	pl_arena_init(&out->arena);
	assert_int_equal(
	        pl_tree_load(&out->tree, &out->arena, &out->src, limits), 0);
}

void tl_load(tl_doc *out, const char *yaml)
{
	pl_limits limits;

	pl_limits_default(&limits);
	tl_load_n(out, yaml, strlen(yaml), &limits);
}

void tl_release(tl_doc *d)
{
	if (!d)
		return;
	pl_arena_release(&d->arena);
	pl_source_release(&d->src);
}

const pl_node *tl_root(const tl_doc *d, size_t i)
{
	if (i >= d->tree.ndocs) {
		print_error("document %zu wanted, the stream has %zu "
		            "(problem %d: %s)\n",
		            i, d->tree.ndocs, (int)d->tree.problem,
		            d->tree.message ? d->tree.message : "none");
		fail();
	}
	return d->tree.docs[i].root;
}

bool tl_pos_is(const char *what, const pl_pos *p, uint32_t line, uint32_t col,
               size_t offset)
{
	if (p->line == line && p->col == col && p->offset == offset)
		return true;
	print_error("%s: pos %u:%u@%zu, want %u:%u@%zu\n", what, p->line,
	            p->col, (size_t)p->offset, line, col, offset);
	return false;
}

bool tl_span_is(const char *what, const pl_span *s, uint32_t sl, uint32_t sc,
                size_t so, uint32_t el, uint32_t ec, size_t eo)
{
	if (s->start.line == sl && s->start.col == sc &&
	    s->start.offset == so && s->end.line == el && s->end.col == ec &&
	    s->end.offset == eo)
		return true;
	print_error("%s: span %u:%u@%zu-%u:%u@%zu, want %u:%u@%zu-%u:%u@%zu\n",
	            what, s->start.line, s->start.col, (size_t)s->start.offset,
	            s->end.line, s->end.col, (size_t)s->end.offset, sl, sc, so,
	            el, ec, eo);
	return false;
}

static size_t lint(tl_lint_result *out, const char *path, const char *rules,
                   const char *yaml, const char *rule)
{
	pl_registry *reg = &out->reg;
	pl_error err;
	pl_limits limits;
	pl_rule_env env;
	pl_model *model = NULL;
	pl_findings all;
	pl_ctx ctx;
	size_t len = strlen(yaml), i;
	char *copy = pl_xmalloc(len + 1);

	memcpy(copy, yaml, len + 1);
	memset(out, 0, sizeof(*out));
	pl_error_clear(&err);
	if (pl_run_registry(reg, &out->packs, NULL, 0, &err) != 0) {
		print_error("tl_lint: %s\n", err.msg);
		fail();
	}
	if (rules) {
		pl_ruleset_new(&out->extra);
		if (pl_ruleset_load_mem(out->extra, "rules.yaml", rules,
		                        strlen(rules), &err) != 0 ||
		    pl_ruleset_register(out->extra, reg, &err) != 0) {
			print_error("tl_lint: rules.yaml:%u:%u: %s\n",
			            err.pos.line, err.pos.col, err.msg);
			fail();
		}
	}
	if ((rule && pl_registry_toggle(reg, rule, true, "tl_lint", &err)) ||
	    pl_registry_prepare(reg, &err) != 0) {
		print_error("tl_lint: %s\n", err.msg);
		fail();
	}
	pl_limits_default(&limits);
	out->file = pl_xcalloc(1, sizeof(*out->file));
	pl_file_init(out->file);
	pl_source_set_data(&out->file->src, path, copy, len);
	out->file->src.kind = PL_SOURCE_YAML;
	pl_file_load(out->file, &limits);

	pl_model_build(&model, &out->file, 1);
	memset(&env, 0, sizeof(env));
	env.limits = &limits;
	if (pl_registry_bind(reg, model, &env, &err) != 0) {
		print_error("tl_lint: bind: %s\n", err.msg);
		fail();
	}
	pl_findings_init(&all);
	pl_ctx_init(&ctx, &all, limits.max_findings_per_file);
	pl_ctx_set_model(&ctx, model);
	pl_eval_file(&ctx, reg, out->file);
	pl_ctx_release(&ctx);
	pl_findings_sort(&all);
	pl_findings_redact(&all);

	/* keep the rule's findings (their ids belong to the registry and
	 * the packs, which the result keeps) */
	pl_findings_init(&out->found);
	for (i = 0; i < pl_findings_len(&all); i++) {
		pl_finding *f = pl_findings_at(&all, i);
		if (rule && strcmp(f->rule, rule) != 0)
			continue;
		*(pl_finding *)pl_vec_push(&out->found.items) = *f;
		memset(f, 0, sizeof(*f)); /* moved: all no longer owns it */
	}
	pl_findings_release(&all);
	pl_model_free(model);
	return pl_findings_len(&out->found);
}

size_t tl_lint_path(tl_lint_result *out, const char *path, const char *yaml,
                    const char *rule)
{
	return lint(out, path, NULL, yaml, rule);
}

size_t tl_lint(tl_lint_result *out, const char *yaml, const char *rule)
{
	return lint(out, "test.yaml", NULL, yaml, rule);
}

size_t tl_lint_rules(tl_lint_result *out, const char *rules, const char *yaml,
                     const char *rule)
{
	return lint(out, "test.yaml", rules, yaml, rule);
}

void tl_lint_release(tl_lint_result *r)
{
	pl_findings_release(&r->found);
	pl_file_release(r->file);
	free(r->file);
	pl_registry_release(&r->reg);
	pl_ruleset_free(r->extra);
	pl_ruleset_free(r->packs);
}

const pl_finding *tl_finding(const tl_lint_result *r, size_t i)
{
	if (i >= pl_findings_len(&r->found)) {
		print_error("finding %zu wanted, there are %zu\n", i,
		            pl_findings_len(&r->found));
		fail();
	}
	return pl_findings_at(&r->found, i);
}

bool tl_finding_is(const char *what, const pl_finding *f, const char *rule,
                   uint32_t line, uint32_t col, const char *message)
{
	if (strcmp(f->rule, rule) == 0 && f->span.start.line == line &&
	    f->span.start.col == col &&
	    (!message || strstr(f->message, message)))
		return true;
	print_error("%s: %u:%u %s: %s, want %u:%u %s: ...%s...\n", what,
	            f->span.start.line, f->span.start.col, f->rule, f->message,
	            line, col, rule, message ? message : "");
	return false;
}
