/*
 * source_files.c - source/ family: files plumb could not lint.
 *
 * Skipping a file is never silent: each skipped file is a finding, so a
 * run that "passed" says what it did not look at.
 */
#include "builtin/builtin.h"

static pl_span whole_file(void)
{
	pl_span s;
	memset(&s, 0, sizeof(s));
	s.start.line = 1;
	s.start.col = 1;
	s.end = s.start;
	return s;
}

static void check_skipped(pl_ctx *ctx, const pl_file *f)
{
	const pl_source *s = &f->src;
	switch (s->skip) {
	case PL_SKIP_BINARY:
		pl_emit_span(ctx, whole_file(),
		             "binary file (NUL byte at offset %zu); not linted",
		             s->skip_at);
		break;
	case PL_SKIP_TOO_LARGE:
		pl_emit_span(ctx, whole_file(),
		             "file is larger than the size limit (%zu bytes "
		             "or more); not linted",
		             s->skip_at);
		break;
	case PL_SKIP_ENCODING:
		pl_emit_span(ctx, whole_file(),
		             "UTF-32, or UTF-16 that does not decode (byte "
		             "order mark; byte %zu); plumb reads UTF-8 and "
		             "UTF-16; not linted",
		             s->skip_at);
		break;
	case PL_SKIP_TOO_DEEP:
		pl_emit_span(
		        ctx, whole_file(),
		        "folder nested deeper than 256 levels; not walked");
		break;
	case PL_SKIP_SPECIAL:
		pl_emit_span(ctx, whole_file(),
		             "not a regular file (a FIFO, socket or device); "
		             "not read");
		break;
	case PL_SKIP_LINK_OUTSIDE:
		pl_emit_span(ctx, whole_file(),
		             "symbolic link to a target outside the linted "
		             "tree; not followed");
		break;
	default:
		break;
	}
}

const pl_rule pl_rule_source_skipped = {
        .id = "source/skipped",
        .severity = PL_SEV_INFO,
        .summary = "A file was not linted: binary, too large, not UTF-8, or "
                   "a link out of the tree",
        .help = "plumb lints every text file it finds, but never reads a "
                "binary file (one with a NUL byte), a file above the size "
                "limit (16 MiB), a UTF-16/UTF-32 file, or the target of a "
                "symbolic link that leaves the linted tree. Each such file is "
                "reported once at info level, so a clean run never hides what "
                "it skipped.\n"
                "Fix: nothing, if the file is meant to be there. Otherwise "
                "convert text files to UTF-8, split huge manifests, or add "
                "the path to .gitignore.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_SKIPPED,
        .check_file = check_skipped,
        .tags = PL_TAGS("source"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_SOURCE,
};

static void check_unreadable(pl_ctx *ctx, const pl_file *f)
{
	if (f->src.skip == PL_SKIP_LINK_DANGLING) {
		pl_emit_span(ctx, whole_file(),
		             "broken symbolic link: its target does not "
		             "exist");
		return;
	}
	if (f->src.skip == PL_SKIP_FOLDER) {
		pl_emit_span(
		        ctx, whole_file(),
		        "cannot read folder: %s; what is in it was not "
		        "linted",
		        strerror(f->src.skip_errno ? f->src.skip_errno : EIO));
		return;
	}
	if (f->src.skip == PL_SKIP_GIT) {
		pl_emit_span(ctx, whole_file(),
		             "not linted: git could not give its content (%s)",
		             f->src.skip_note ? f->src.skip_note : "blob");
		return;
	}
	if (f->src.skip != PL_SKIP_UNREADABLE)
		return;
	pl_emit_span(ctx, whole_file(), "cannot read file: %s",
	             strerror(f->src.skip_errno ? f->src.skip_errno : EIO));
}

const pl_rule pl_rule_source_unreadable = {
        .id = "source/unreadable",
        .severity = PL_SEV_ERROR,
        .summary = "A file or folder could not be read",
        .help = "plumb could not open or read a file or folder of the "
                "linted tree (permissions, a dangling symbolic link, an I/O "
                "error), or git could not give a blob that --staged or "
                "--history reads (a partial clone made with `git clone "
                "--filter`, a missing or corrupt object). Nothing in it was "
                "checked, so the run cannot pass for it; content git could "
                "not give also makes the run exit 2.\n"
                "Fix: make the file readable by the user running plumb, or "
                "remove the broken link. For git: fetch the missing objects "
                "(in a partial clone: git config --unset "
                "remote.origin.partialclonefilter, then git fetch --refetch "
                "origin), or clone without --filter; git fsck lists what a "
                "damaged repository lacks.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_SKIPPED,
        .check_file = check_unreadable,
        .tags = PL_TAGS("source"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_SOURCE,
};
