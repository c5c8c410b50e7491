/* symbol.h - the names a script may use for constants (SOL_SOCKET, SO_LINGER, O_NONBLOCK, TCP_TIME_WAIT, errno names). */
#ifndef TCPCONF_SYMBOL_H
#define TCPCONF_SYMBOL_H

#include <stdbool.h>
#include <stdint.h>

/* Value of a constant name; false when the name is unknown. */
bool symbol_lookup(const char *name, int64_t *value);

/* errno value of "ECONNRESET" etc.; false when unknown. */
bool symbol_errno(const char *name, int *value);

/* Name of an errno value ("EPIPE"), or NULL. */
const char *symbol_errno_name(int value);

#endif
