/*
 * parse_baseline.c - the floor `make bench` compares plumb check with
 * (issue 9): libyaml's event parser alone over every .yaml and .yml file
 * of a folder. Each file is read once into memory and parsed with
 * yaml_parser_parse, events counted and freed; no tree, no rules. This is
 * a benchmark program, not engine code: STYLE.md's "only tree/load.c
 * includes <yaml.h>" is about engine/ and rules/.
 * usage: parse_baseline DIR; prints files, bytes, events and errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

typedef struct {
	unsigned long files, events, errors;
	unsigned long long bytes;
	unsigned char *buf;
	size_t cap;
} tally;

static int is_yaml(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* One read of the whole file into t->buf (grown as needed); 0 on success. */
static int read_file(tally *t, const char *path, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size + 1 > t->cap) {
		unsigned char *nb;
		t->cap = (size_t)st.st_size + 1;
		nb = realloc(t->buf, t->cap);
		if (!nb) {
			close(fd);
			return -1;
		}
		t->buf = nb;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, t->buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return 0;
}

static void parse_file(tally *t, const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
	size_t len;
	int done = 0;

	if (read_file(t, path, &len) != 0) {
		t->errors++;
		return;
	}
	t->files++;
	t->bytes += len;
	if (!yaml_parser_initialize(&parser)) {
		t->errors++;
		return;
	}
	yaml_parser_set_input_string(&parser, t->buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			t->errors++;
			break;
		}
		t->events++;
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
}

/* Depth first; symbolic links are not followed, as plumb's walk skips them. */
static void walk(tally *t, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		t->errors++;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, ".git") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path)) {
			t->errors++;
			continue;
		}
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(t, path);
		else if (S_ISREG(st.st_mode) && is_yaml(e->d_name))
			parse_file(t, path);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	tally t;

	if (argc != 2) {
		fprintf(stderr, "usage: parse_baseline DIR\n");
		return 2;
	}
	memset(&t, 0, sizeof(t));
	walk(&t, argv[1]);
	free(t.buf);
	printf("%lu files %llu bytes %lu events %lu errors\n", t.files, t.bytes,
	       t.events, t.errors);
	return 0;
}
