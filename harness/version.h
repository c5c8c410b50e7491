/* version.h - what tcpconf build this is: its release and the git commit it was built from, for --version and meta.json. */
#ifndef TCPCONF_VERSION_H
#define TCPCONF_VERSION_H

/*
 * "0.1 (git 1a2b3c4d5e6f)", "0.1 (git 1a2b3c4d5e6f-dirty)", or "0.1 (not
 * built from git)": a static string, never freed.
 */
const char *version_string(void);

/* The commit alone ("1a2b3c4d5e6f", "...-dirty"), or NULL when the build
 * was not made in a git work tree. */
const char *version_commit(void);

#endif
