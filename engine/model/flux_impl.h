/*
 * flux_impl.h - private to engine/model/flux*.c: the index behind flux.h.
 * flux.c owns the index, references and resolution; flux_made.c finds
 * what Flux makes at run time and what plumb cannot decide. Nothing
 * outside engine/model/flux*.c includes this header.
 */
#ifndef PL_FLUX_IMPL_H
#define PL_FLUX_IMPL_H

#include "base/arena.h"
#include "base/map.h"
#include "base/vec.h"
#include "model/flux.h"

struct pl_flux {
	pl_arena arena;
	pl_vec made;    /* pl_flux_made */
	pl_vec unknown; /* pl_flux_unknown */
	pl_map by_name; /* "kind\x1fname" -> pl_vec * of made indexes */
	pl_vec lists;   /* pl_vec *, the values of by_name, to release */
	size_t nunknown_refs;
	const pl_node *first_unknown;
	const pl_file *first_unknown_file;
};

/* The string value of n (aliases followed), or NULL when it is not a
 * non-empty string. */
const char *pl_flux__str(const pl_node *n);

/* Records a made object; strings must outlive the index. */
void pl_flux__make(pl_flux *fx, const char *group, const char *kind,
                   const char *name, const char *ns, const pl_file *file,
                   const pl_node *at, const char *by);
/* Records objects that may exist (NULL group, kind or ns: any). */
void pl_flux__unknown(pl_flux *fx, const char *group, const char *kind,
                      const char *ns, const pl_file *file, const pl_node *at,
                      const char *why);
/* Same for one name. */
void pl_flux__unknown_named(pl_flux *fx, const char *group, const char *kind,
                            const char *ns, const char *name,
                            const pl_file *file, const pl_node *at,
                            const char *why);

/* Fills fx with what the files of m make at run time. */
void pl_flux__find_made(pl_flux *fx, const pl_model *m);

#endif
