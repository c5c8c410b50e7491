/*
 * call_file.c - the calls on descriptors that are not sockets: pipe(),
 * open() of a file the case's own commands wrote, and splice() and
 * sendfile(), which move bytes from those into the sockets and back.
 *
 * open() only reads, and only below /tmp.  Inside the per-case sandbox
 * /tmp is a tmpfs of the case's own (lib/sandbox.c), the same one its
 * shell commands see (they are children of the case process, in its mount
 * namespace), and nothing outside the case writes or reads it.  So a file
 * there is one the script's own commands made: a verdict never depends on
 * a host file, and no host file's bytes reach the wire, the capture or the
 * records.  Outside the sandbox /tmp is the host's, and open() SKIPs
 * there, as the commands that would write the file do (shell.c).  The
 * path is resolved beneath /tmp (openat2, RESOLVE_BENEATH): neither ".."
 * nor a symbolic link the commands left leads out of it.
 *
 * As in packetdrill: pipe([R, W]) = 0 names both ends; splice()'s offsets
 * are NULL (packetdrill hands the number to the kernel as an address);
 * sendfile()'s [N] is where reading starts, and the offset after the call
 * is not compared.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "call_arg.h"
#include "call_int.h"
#include "error.h"
#include "expr.h"
#include "shell.h"

/* The one directory open() reads: the case's own tmpfs in the sandbox. */
#define FILE_DIR	"/tmp"

#define READS_ONLY	"open() only reads: a case's files are its commands' to write"

static const struct named open_modes[] = {
	V(O_RDONLY), NO(O_WRONLY, READS_ONLY), NO(O_RDWR, READS_ONLY), END,
};
static const struct named open_flag_bits[] = {
	V(O_CLOEXEC), V(O_NONBLOCK),
	NO(O_CREAT, "it creates a file; " READS_ONLY),
	NO(O_TRUNC, "it empties the file even when read-only; " READS_ONLY),
	END,
};
static const struct named zero[] = { { "0", 0, NULL }, END };
static const struct named splice_flag_bits[] = {
	V(SPLICE_F_MOVE), V(SPLICE_F_NONBLOCK), V(SPLICE_F_MORE), V(SPLICE_F_GIFT), END,
};

/* [R, W]: two different descriptor numbers. */
static int check_pipefds(struct arg_ctx *c, const struct arg_type *t,
			 const struct expr *e)
{
	int64_t fd[2];

	(void)t;
	if (e->kind != EXPR_LIST || e->nitems != 2)
		return arg_bad(c, e, "expected [read end, write end], two descriptors");
	for (size_t k = 0; k < 2; k++)
		if (arg_integer(c, e->items[k], "descriptor", 0, INT_MAX, &fd[k]) < 0)
			return -1;
	if (fd[0] == fd[1])
		return arg_bad(c, e->items[1], "both ends are descriptor %d", (int)fd[0]);
	return 0;
}

/* Does path hold a ".." component? */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return true;
	return false;
}

/* "/tmp/NAME", with no ".." to climb out, where /tmp is the case's own. */
static int check_path(struct arg_ctx *c, const struct arg_type *t,
		      const struct expr *e)
{
	char *why = NULL;
	const char *p;

	(void)t;
	if (e->kind != EXPR_STRING)
		return arg_bad(c, e, "expected a path in quotes, found %s",
			       expr_kind_name(e->kind));
	p = e->string;
	if (strncmp(p, FILE_DIR "/", strlen(FILE_DIR) + 1) || !p[strlen(FILE_DIR) + 1])
		return arg_bad(c, e, "\"%s\" is not below " FILE_DIR "/: open() reads only "
			       "the case's own " FILE_DIR, p);
	if (has_dotdot(p))
		return arg_bad(c, e, "\"%s\" has a '..': open() reads only below " FILE_DIR "/", p);
	if (strlen(p) >= PATH_MAX)
		return arg_bad(c, e, "a path of %zu bytes (at most %d)", strlen(p), PATH_MAX - 1);
	/* where shell commands may run, /tmp is the case's own (see above) */
	if (shell_check(&why) == STATUS_OK)
		return 0;
	free(why);
	c->at = e;
	return error_skip(c->error, "%s(): " FILE_DIR " is the case's own only inside "
			  "the per-case sandbox", c->sc->name);
}

/* splice()'s offsets: NULL (or 0), which pipes and sockets need anyway. */
static int check_no_offset(struct arg_ctx *c, const struct arg_type *t,
			   const struct expr *e)
{
	(void)t;
	if (e->kind == EXPR_NULL || (e->kind == EXPR_INT && e->value == 0))
		return 0;
	return arg_bad(c, e, "expected NULL, found %s (pipes and sockets take no offset; "
		       "packetdrill passes a number as an address)", expr_kind_name(e->kind));
}

/* sendfile()'s [N]: where reading starts. */
static int check_file_offset(struct arg_ctx *c, const struct arg_type *t,
			     const struct expr *e)
{
	int64_t v;

	(void)t;
	if (e->kind != EXPR_LIST || e->nitems != 1)
		return arg_bad(c, e, "expected [offset], found %s", expr_kind_name(e->kind));
	return arg_integer(c, e, "an offset", 0, INT64_MAX, &v);
}

const struct arg_type arg_pipefds = { .check = check_pipefds },
	arg_path = { .check = check_path },
	arg_open_flags = { .check = arg_check_values, .values = open_modes,
			   .flags = open_flag_bits },
	arg_no_offset = { .check = check_no_offset },
	arg_file_offset = { .check = check_file_offset },
	/* as read() and write(): what one call may move */
	arg_file_count = { .check = arg_check_int, .lo = 0, .hi = CALL_ARG_IO_MAX },
	arg_splice_flags = { .check = arg_check_values, .values = zero,
			     .flags = splice_flag_bits };

/* pipe([R, W]): both ends entered under the numbers the line gives. */
int call_do_pipe(struct calls *cs, const struct syscall_event *sc, long *ret,
		 int *err, char **error)
{
	struct arg_ctx c = { .sc = sc, .error = error };
	const struct expr *l = arg_at(sc, 0);
	int script[2], live[2];

	if (!l || check_pipefds(&c, &arg_pipefds, l) < 0)
		return l ? -1 : error_set(error, "pipe(): expected [read end, write end]");
	for (size_t k = 0; k < 2; k++) {
		script[k] = (int)arg_unwrap(l->items[k])->value;
		if (calls_fd_live(cs, script[k]) >= 0)
			return error_set(error, "pipe(): descriptor %d is already open "
					 "in this script", script[k]);
	}
	if (cs->nfds + 2 > CALLS_MAX_FDS)
		return error_set(error, "too many descriptors");
	call_result(pipe(live), ret, err);
	if (*ret < 0)
		return 0;
	for (size_t k = 0; k < 2; k++)
		calls_fd_add(cs, script[k], live[k]);	/* room checked above */
	return 0;
}

/* open("/tmp/NAME", O_RDONLY[|...]): resolved beneath /tmp, never above it. */
int call_do_open(struct calls *cs, const struct syscall_event *sc, long *ret,
		 int *err, char **error)
{
	const struct expr *p = arg_at(sc, 0);
	struct open_how how = { .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int flags, dir;

	(void)cs;	/* call_run() enters the descriptor */
	if (!p || p->kind != EXPR_STRING || strncmp(p->string, FILE_DIR "/",
						     strlen(FILE_DIR) + 1))
		return error_set(error, "open(): expected a path below " FILE_DIR "/");
	if (call_arg_int(sc, 1, &flags, error) < 0)
		return -1;
	dir = open(FILE_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return error_set(error, "open(): " FILE_DIR ": %s", strerror(errno));
	how.flags = (uint64_t)(unsigned int)flags;
	call_result(syscall(SYS_openat2, dir, p->string + strlen(FILE_DIR) + 1, &how,
			    sizeof(how)), ret, err);
	close(dir);
	return 0;
}

/* splice(in, NULL, out, NULL, len, flags) */
int call_do_splice(struct calls *cs, const struct syscall_event *sc, long *ret,
		   int *err, char **error)
{
	int in, out, len, flags;

	if (call_fd(cs, sc, 0, &in, error) < 0 || call_fd(cs, sc, 2, &out, error) < 0 ||
	    call_arg_int(sc, 4, &len, error) < 0 || call_arg_int(sc, 5, &flags, error) < 0)
		return -1;
	call_result(splice(in, NULL, out, NULL, (size_t)len, (unsigned int)flags), ret, err);
	return 0;
}

/* sendfile(out, in, [offset], count) */
int call_do_sendfile(struct calls *cs, const struct syscall_event *sc, long *ret,
		     int *err, char **error)
{
	struct arg_ctx c = { .sc = sc, .i = 2, .error = error };
	int out, in, count;
	int64_t start;
	off_t off;

	if (call_fd(cs, sc, 0, &out, error) < 0 || call_fd(cs, sc, 1, &in, error) < 0 ||
	    arg_integer(&c, arg_at(sc, 2), "an offset", 0, INT64_MAX, &start) < 0 ||
	    call_arg_int(sc, 3, &count, error) < 0)
		return -1;
	off = (off_t)start;
	call_result(sendfile(out, in, &off, (size_t)count), ret, err);
	return 0;
}
