/* scratch.h - per-test scratch directories under /tmp, for the suites that run the tcpconf binary. */
#ifndef TCPCONF_TESTS_SCRATCH_H
#define TCPCONF_TESTS_SCRATCH_H

#include <check.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_PREFIX "/tmp/tcpconf-test-"

/* A new empty directory; the caller frees the path and removes the tree. */
static inline char *scratch_new(void)
{
	char *d = strdup(SCRATCH_PREFIX "XXXXXX");

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

/* dir/name in a static buffer, one of four so a test may hold a few at once. */
static inline const char *scratch_at(const char *dir, const char *name)
{
	static char buf[4][4200];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* text into the file at path, created or truncated; the test fails if it cannot be written. */
static inline void scratch_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_msg(fclose(f) == 0, "%s: %s", path, strerror(errno));
}

/* The same for dir/name. */
static inline void scratch_write_in(const char *dir, const char *name, const char *text)
{
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
	scratch_write(path, text);
	free(path);
}

/* The whole file at path, NUL-terminated (the caller frees); the test
 * fails if it cannot be read. */
static inline char *scratch_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, chunk[4096];
	size_t len = 0, n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	do {
		n = fread(chunk, 1, sizeof(chunk), f);
		buf = realloc(buf, len + n + 1);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	} while (n == sizeof(chunk));
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Remove a tree scratch_new() made; anything else is left alone. */
static inline void scratch_remove(const char *dir)
{
	char cmd[4200];

	if (strncmp(dir, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) ||
	    strchr(dir, '\''))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/*
 * Run argv[0] with argv, standard output (and standard error unless
 * stdout_only, which sends it to /dev/null) into one buffer (*out,
 * malloc'd); the exit status, 128 + N for a signal.  A run that hangs is
 * killed after 20 s (SIGALRM).
 */
static inline int scratch_spawn(char *const argv[], bool stdout_only, char **out)
{
	char *buf = NULL, chunk[4096];
	size_t len = 0;
	int p[2], status;
	ssize_t n;
	FILE *mem;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(p[1], STDOUT_FILENO);
		dup2(stdout_only ? null : p[1], STDERR_FILENO);
		close(p[0]);
		alarm(20);
		execv(argv[0], argv);
		_exit(127);
	}
	ck_assert_int_gt(pid, 0);
	close(p[1]);
	mem = open_memstream(&buf, &len);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, (size_t)n, mem);
	fclose(mem);
	close(p[0]);
	waitpid(pid, &status, 0);
	*out = buf;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#endif
