/*
 * report.c - the table of report formats (report.h): --format looks a
 * name up here, the run writes through the entry it found, and the
 * option's help lists the names from here. Sorted by pl_format, which is
 * the index, so a lookup by format is direct.
 */
#include "report/report.h"
#include "base/buf.h"

#include <assert.h>

const pl_reporter pl_reporters[] = {
        {"text", PL_FORMAT_TEXT,
         "compiler style: file:line:col, the source line and a caret",
         pl_report_text},
        {"json", PL_FORMAT_JSON, "one document (schemas/report.schema.json)",
         pl_report_json},
        {"sarif", PL_FORMAT_SARIF, "SARIF 2.1.0, for code scanning",
         pl_report_sarif},
        {"github", PL_FORMAT_GITHUB,
         "GitHub Actions workflow commands: annotations on the diff",
         pl_report_github},
};

const size_t pl_nreporters = PL_ARRAY_SIZE(pl_reporters);

const pl_reporter *pl_reporter_find(const char *s)
{
	size_t i;
	for (i = 0; i < pl_nreporters; i++)
		if (strcmp(pl_reporters[i].name, s) == 0)
			return &pl_reporters[i];
	return NULL;
}

int pl_format_parse(pl_format *out, const char *s)
{
	const pl_reporter *r = pl_reporter_find(s);
	if (!r)
		return PL_EUSAGE;
	*out = r->format;
	return 0;
}

int pl_report_write(FILE *out, pl_format f, const pl_report *r, pl_error *err)
{
	assert((size_t)f < pl_nreporters && pl_reporters[f].format == f);
	return pl_reporters[f].write(out, r, err);
}

void pl_report_format_names(pl_buf *out)
{
	size_t i;
	for (i = 0; i < pl_nreporters; i++) {
		if (i > 0)
			pl_buf_adds(out, i + 1 < pl_nreporters ? ", " : " or ");
		pl_buf_adds(out, pl_reporters[i].name);
	}
}
