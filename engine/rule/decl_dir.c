/*
 * decl_dir.c - the rule files of a folder (--rules DIR, rule-dirs, the
 * shipped packs).
 *
 * A folder's *.yaml and *.yml files are loaded in name order, so that
 * which of two files defining one id is refused does not depend on the
 * order readdir happens to give; hidden files are left out. A path that
 * is a file is loaded as one rule file. The first broken file stops the
 * load (decl.c refuses it whole).
 */
#include "rule/decl.h"
#include "base/vec.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <sys/stat.h>

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pl_ruleset_load_dir(pl_ruleset *rs, const char *dir, pl_error *err)
{
	struct stat st;
	DIR *d;
	const struct dirent *e;
	pl_vec names;
	size_t i;
	int rc = 0;

	if (stat(dir, &st) != 0)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read rules '%s': %s", dir,
		                    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pl_ruleset_load_file(rs, dir, err);
	d = opendir(dir);
	if (!d)
		return pl_error_set(err, PL_EIO, NULL, NULL,
		                    "cannot read rules '%s': %s", dir,
		                    strerror(errno));
	pl_vec_init(&names, sizeof(char *));
	for (e = readdir(d); e; e = readdir(d)) {
		size_t n = strlen(e->d_name);
		char *full;
		if (e->d_name[0] == '.' ||
		    !((n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) ||
		      (n > 4 && strcmp(e->d_name + n - 4, ".yml") == 0)))
			continue;
		full = pl_xmalloc(strlen(dir) + n + 2);
		snprintf(full, strlen(dir) + n + 2, "%s/%s", dir, e->d_name);
		pl_vec_append(&names, &full);
	}
	closedir(d);
	if (names.len > 1)
		qsort(names.items, names.len, sizeof(char *), cmp_name);
	for (i = 0; i < names.len; i++) {
		char *full = *(char **)pl_vec_at(&names, i);
		if (rc == 0)
			rc = pl_ruleset_load_file(rs, full, err);
		free(full);
	}
	pl_vec_release(&names);
	return rc;
}
