/*
 * seal_int.h - private to seal/: what stream.c needs of seal.c.
 */
#ifndef CTIS_SEAL_INT_H
#define CTIS_SEAL_INT_H

#include "seal.h"

/* The data key's subkey for sealed streams; borrowed from k. */
const unsigned char *seal_key_stream(const struct seal_key *k);

#endif
