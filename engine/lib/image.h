/*
 * image.h - container image references, parsed and normalised the way
 * Docker and containerd do (the distribution/reference grammar).
 *
 * `nginx` is docker.io/library/nginx, `bitnami/redis:7` is
 * docker.io/bitnami/redis, `ghcr.io/fluxcd/source-controller:v1.3.0` names
 * its registry. A parsed pl_image holds NUL-terminated strings copied into
 * the caller's arena: they live as long as that arena and never point into
 * the input, so the YAML scalar can go first. No state, no globals: safe
 * from any worker. Templated values (`{{ .Values.image }}`, `${IMAGE}`) are
 * not references; pl_image_parse says so with a code of its own so that
 * rules stay silent on them instead of reporting a parse error.
 */
#ifndef PL_IMAGE_H
#define PL_IMAGE_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"

/* Docker's caps: a name (registry/repository as written) of at most 255
 * bytes, a tag of at most 128. */
#define PL_IMAGE_NAME_MAX 255
#define PL_IMAGE_TAG_MAX  128

/* pl_image_parse's "not an image, a template" result: positive, not an
 * error, so `rc != 0` skips it and `rc < 0` is a malformed reference. */
#define PL_IMAGE_TEMPLATED 1

typedef struct pl_image {
	/*
	 * "docker.io" when the reference names no registry, and for
	 * index.docker.io and registry-1.docker.io, which are Docker Hub
	 * too; otherwise as written, port included ("localhost:5000").
	 */
	const char *registry;
	/* The path, lower case, with `library/` added for a one-component
	 * Docker Hub name: "library/nginx", "fluxcd/source-controller". */
	const char *repository;
	const char *tag;         /* "1.25", or NULL when none is written */
	const char *digest;      /* "sha256:<64 hex>", or NULL */
	bool registry_defaulted; /* no registry written: docker.io implied */
	bool library_defaulted;  /* `library/` was added */
} pl_image;

/*
 * Parses the len bytes at s (no NUL needed) into out, copying its strings
 * into arena. Returns 0, PL_IMAGE_TEMPLATED for a value holding `{{` or
 * `${` (out is zeroed, err untouched), or PL_EPARSE with err saying what
 * is wrong and quoting it: empty, whitespace or control characters, a bad
 * registry or port, an upper-case or malformed repository, a bad tag
 * (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`), a digest that is not
 * `algorithm:hex` (sha256 needs 64 lower-case hex digits, sha384 96,
 * sha512 128; other algorithms are refused as containerd does), a 64-hex
 * image id. Nothing is allocated on failure. Without a tag or digest,
 * Docker pulls `latest`; out->tag stays NULL so rules can tell.
 */
int pl_image_parse(pl_image *out, pl_arena *arena, const char *s, size_t len,
                   pl_error *err);

/*
 * True when a and b name the same repository once normalised: `nginx`,
 * `library/nginx`, `docker.io/nginx` and `index.docker.io/library/nginx`
 * are one. Registries compare case-insensitively (host names); tags and
 * digests are ignored.
 */
bool pl_image_same_repository(const pl_image *a, const pl_image *b);

/* Appends the normalised name, "docker.io/library/nginx", to out.
 * Returns 0 or PL_ELIMIT (the buffer's cap, see buf.h). */
int pl_image_name(pl_buf *out, const pl_image *img);

/* Appends the short name users write and Docker prints, "nginx",
 * "bitnami/redis", "ghcr.io/fluxcd/source-controller". Same returns. */
int pl_image_familiar_name(pl_buf *out, const pl_image *img);

#endif
