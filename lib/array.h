/* array.h - room for one more element in an array that doubles as it fills, the one growth rule every list here follows. */
#ifndef TCPCONF_ARRAY_H
#define TCPCONF_ARRAY_H

#include <stddef.h>

/*
 * items holds count elements of size bytes in room for *cap.  While there
 * is room, items itself.  When full, items reallocated to twice *cap (first
 * when *cap is 0) with *cap updated: the caller stores the new pointer,
 * which it owns as it did items.  NULL when the bigger array would not fit
 * in size_t or memory, with items and *cap untouched (still the caller's).
 */
void *array_room(void *items, size_t count, size_t *cap, size_t size, size_t first);

#endif
