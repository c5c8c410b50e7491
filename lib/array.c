/* array.c - see array.h. */
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

void *array_room(void *items, size_t count, size_t *cap, size_t size, size_t first)
{
	size_t ncap;
	void *grown;

	if (count < *cap)
		return items;
	ncap = *cap ? 2 * *cap : first;
	if (ncap <= *cap || !size || ncap > SIZE_MAX / size)
		return NULL;
	grown = realloc(items, ncap * size);
	if (grown)
		*cap = ncap;
	return grown;
}
