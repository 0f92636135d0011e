/*
 * arena.c - a bump allocator over a list of blocks, for memory that lives
 * as long as one request or one parse and is freed in one place.
 */
#include <string.h>

#include "base.h"

struct ctis_arena_block {
    struct ctis_arena_block *next;
    size_t used;
    size_t size;
    _Alignas(16) unsigned char data[];
};

/* Empty arena. */
void ctis_arena_init(struct ctis_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size < 256 ? 256 : block_size;
}

/* Bump-allocate, starting a new block when the current one is full. */
void *ctis_arena_alloc(struct ctis_arena *a, size_t n)
{
    struct ctis_arena_block *b = a->head;
    size_t need = (n + 15) & ~(size_t)15;
    void *p;

    if (b == NULL || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;

        b = ctis_malloc(sizeof *b + size);
        if (b == NULL) {
            return NULL;
        }
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += need;
    return p;
}

/* String copy in the arena. */
char *ctis_arena_strdup(struct ctis_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *p = ctis_arena_alloc(a, n + 1);

    if (p != NULL) {
        memcpy(p, s, n + 1);
    }
    return p;
}

/* Free all blocks at once. */
void ctis_arena_release(struct ctis_arena *a)
{
    struct ctis_arena_block *b;

    if (a == NULL) {
        return;
    }
    b = a->head;
    while (b != NULL) {
        struct ctis_arena_block *next = b->next;

        ctis_free(b);
        b = next;
    }
    a->head = NULL;
}
