/* output.h - writing a file a run or a comparison leaves, so that it never damages what its name points at. */
#ifndef TCPCONF_OUTPUT_H
#define TCPCONF_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write len bytes of buf (the caller's) as path:
 * - "-", /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are the
 *   descriptor this process already has, written in place at its offset;
 * - an existing FIFO, character device or socket is opened and written in
 *   place: no truncation, no rename, nothing created;
 * - a regular file, or a name that does not exist yet, is replaced whole:
 *   a temporary made with O_EXCL in the target's own directory, then
 *   rename.  A symbolic link is followed and its target replaced, never
 *   the link itself; a dangling link is refused.
 * On failure *error names path.
 */
int output_write(const char *path, const char *buf, size_t len, char **error);

/* Does path name this process's standard output ("-", /dev/stdout,
 * /dev/fd/1, /proc/self/fd/1)?  Lets a command keep it for results alone. */
bool output_is_stdout(const char *path);

/* The descriptor path names ("-", /dev/stdout, /dev/fd/N, ...), or -1
 * when it names a file: for a writer that streams rather than writes whole. */
int output_named_fd(const char *path);

#endif
