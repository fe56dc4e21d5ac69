/*
 * kustomize_flux.c - what the Flux kustomize-controller adds to a build
 * [FP kustomize/kustomize_generator.go, kustomize/kustomize_varsub.go;
 * KC docs/spec/v1/kustomizations.md]:
 *
 * - a folder without a kustomization file gets a generated one: every
 *   .yaml/.yml file below it (lexical order, recursively), except that
 *   a sub-folder holding a kustomization file is one folder resource and
 *   is not descended into;
 * - post-build substitution of `${var}` in every string of every object
 *   (unless labelled or annotated kustomize.toolkit.fluxcd.io/substitute:
 *   disabled): `${var}`, `${var:=default}`, `${var=default}` and
 *   `${var:-default}` (the default when var is unset or empty); `$${var}`
 *   is the literal `${var}`. A variable plumb cannot resolve is printed
 *   as written: unknown, not empty.
 */
#include "model/kustomize_impl.h"
#include "tree/scalar.h"

static bool has_kustomization(kz_ctx *c, const char *dir)
{
	static const char *const names[] = {
	        "kustomization.yaml", "kustomization.yml", "Kustomization"};
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(names); i++)
		if (kz_stat(c, pl_arena_printf(c->arena, "%s/%s", dir,
		                               names[i])) == 1)
			return true;
	return false;
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

int kz_generated_resources(kz_ctx *c, kz_resmap *rm, const char *dir,
                           const pl_file *at_file, const pl_node *at)
{
	char **names;
	size_t n = 0, i;
	int rc = 0;

	if (++c->depth > PL_KZ_MAX_DEPTH) {
		c->depth--;
		return kz_fail(c, at_file, at, PL_ELIMIT,
		               "folders nest deeper than %d", PL_KZ_MAX_DEPTH);
	}
	c->stack[c->depth - 1].known = false; /* a plain folder */
	names = kz_list(c, dir, &n);
	if (!names) {
		c->depth--;
		return kz_fail(c, at_file, at, PL_EIO, "cannot open '%s': %s",
		               dir, strerror(errno));
	}
	for (i = 0; i < n && !rc; i++) {
		char *path = pl_arena_printf(c->arena, "%s/%s", dir, names[i]);
		int k = kz_stat(c, path);
		if (k == 2) {
			if (has_kustomization(c, path))
				rc = kz_resource_dir(c, rm, path, at_file, at);
			else
				rc = kz_generated_resources(c, rm, path,
				                            at_file, at);
		} else if (k == 1 && yaml_name(names[i])) {
			rc = kz_resource_file(c, rm, path, at_file, at);
		}
	}
	c->depth--;
	return rc;
}

/* --- post-build substitution
 * -------------------------------------------------- */

static const pl_kvar *lookup(const pl_kflux *fx, const char *name, size_t len)
{
	size_t i;
	for (i = fx->nvars; i-- > 0;)
		if (strlen(fx->vars[i].name) == len &&
		    memcmp(fx->vars[i].name, name, len) == 0)
			return &fx->vars[i];
	return NULL;
}

static bool name_char(char ch, bool first)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (!first && ch >= '0' && ch <= '9');
}

/* Substitutes into b; returns whether anything changed, *from the first
 * variable used. */
static bool substitute(const pl_kflux *fx, const char *s, size_t len, pl_buf *b,
                       const pl_kvar **from)
{
	size_t i = 0;
	bool changed = false;
	while (i < len) {
		size_t j, nlen, end;
		const pl_kvar *v;
		const char *dflt = NULL;
		size_t dlen = 0;
		if (s[i] == '$' && i + 2 < len && s[i + 1] == '$' &&
		    s[i + 2] == '{') {
			pl_buf_addc(b, '$');
			i += 2;
			changed = true;
			continue;
		}
		if (!(s[i] == '$' && i + 1 < len && s[i + 1] == '{')) {
			pl_buf_addc(b, s[i++]);
			continue;
		}
		j = i + 2;
		while (j < len && name_char(s[j], j == i + 2))
			j++;
		nlen = j - (i + 2);
		end = j;
		if (nlen && j < len && s[j] != '}') {
			size_t k = j;
			if (s[k] == ':' && k + 1 < len &&
			    (s[k + 1] == '=' || s[k + 1] == '-'))
				k += 2;
			else if (s[k] == '=')
				k += 1;
			else
				k = 0;
			if (k) {
				end = k;
				while (end < len && s[end] != '}')
					end++;
				dflt = s + k;
				dlen = end - k;
			} else {
				end = len; /* not a form we substitute */
			}
		}
		if (!nlen || end >= len || s[end] != '}') {
			pl_buf_addc(b, s[i++]);
			continue;
		}
		v = lookup(fx, s + i + 2, nlen);
		if (v && *v->value) {
			pl_buf_adds(b, v->value);
			if (!*from)
				*from = v;
			changed = true;
		} else if (dflt) {
			pl_buf_add(b, dflt, dlen);
			changed = true;
		} else if (v) {
			if (!*from)
				*from = v;
			changed = true; /* set, but empty */
		} else {
			pl_buf_add(b, s + i, end + 1 - i); /* unknown: as is */
		}
		i = end + 1;
	}
	return changed;
}

static void walk(kz_ctx *c, const pl_kflux *fx, pl_knode *n)
{
	size_t i;
	if (n->kind == PL_NODE_SEQUENCE) {
		for (i = 0; i < n->n; i++)
			walk(c, fx, n->items[i]);
		return;
	}
	if (n->kind == PL_NODE_MAPPING) {
		for (i = 0; i < n->n; i++) {
			pl_knode *v = n->pairs[i].value;
			if (v->kind != PL_NODE_SCALAR) {
				walk(c, fx, v);
				continue;
			}
			if (!memchr(v->str, '$', v->len))
				continue;
			{
				pl_buf b;
				const pl_kvar *from = NULL;
				pl_knode *k;
				pl_buf_init(&b, 0);
				if (substitute(fx, v->str, v->len, &b, &from)) {
					k = kz_copy(c->arena, v);
					k->str = pl_arena_strndup(
					        c->arena, b.ptr ? b.ptr : "",
					        b.len);
					k->len = b.len;
					/* Flux substitutes in the text and
					 * parses it again */
					if (k->style == PL_STYLE_PLAIN)
						k->type = (uint8_t)
						        pl_scalar_type12(
						                k->str, k->len);
					if (from) {
						k->file = from->file;
						k->origin = from->at;
					}
					n->pairs[i].value = k;
				}
				pl_buf_release(&b);
			}
		}
	}
}

static bool disabled(const pl_knode *md, const char *what)
{
	return kz_is(pl_knode_get(pl_knode_get(md, what),
	                          "kustomize.toolkit.fluxcd.io/substitute"),
	             "disabled");
}

void kz_post_build(kz_ctx *c, kz_resmap *rm, const pl_kflux *fx)
{
	size_t i;
	for (i = 0; i < rm->objs.len; i++) {
		pl_kobject *o = *(pl_kobject **)pl_vec_at(&rm->objs, i);
		const pl_knode *md = pl_knode_get(o->root, "metadata");
		if (disabled(md, "labels") || disabled(md, "annotations"))
			continue;
		walk(c, fx, o->root);
	}
}
