/*
 * mse_int.h - helpers shared inside mse/: the design of one model over the
 * cells of a table, the IRLS solver, the existence check and the model
 * choice without intervals.
 */
#ifndef CTIS_MSE_INT_H
#define CTIS_MSE_INT_H

#include "mse.h"

/*
 * The design of one model: the cells kept (patterns, counts) and, for
 * each cell, the columns that are 1 in its row of the model matrix
 * (intercept, the main effects of its lists, the two-list terms of the
 * model both of whose lists it holds). Column c is coefficient
 * term[c] of the mse_fit layout.
 */
struct mse_design {
    int k;
    int ncells;
    int p;                    /* columns */
    int term[MSE_MAX_PARAMS]; /* column -> coefficient index */
    int *cell;                /* ncells patterns */
    double *y;                /* ncells counts */
    int *nact;                /* ncells numbers of active columns */
    int *act;                 /* ncells * p column indices */
};

/* Build the design of the model `pairs` (without the terms in neginf,
 * whose cells are dropped) for t. With with0 the unobserved cell 0 is
 * added last (row: the intercept alone; count 0 until the caller sets
 * it). 0 or CTIS_ENOMEM. */
int mse_design_build(struct mse_design *d, const struct mse_table *t,
                     uint64_t pairs, uint64_t neginf, int with0,
                     struct ctis_err *err);
/* Free d's arrays. Accepts NULL. */
void mse_design_release(struct mse_design *d);

/* Existence code of the model of d (rank, then the linear program).
 * 0 or CTIS_ENOMEM. */
int mse_design_existence(const struct mse_design *d, int *code,
                         struct ctis_err *err);

/*
 * Fit d by IRLS. beta (p values, by column) is the start when `warm` is
 * set, and the result; var (p values, may be NULL) receives the diagonal
 * of the inverse of the information (the coefficients' variances). OUT:
 * *loglik and *dev, *iters. 0, CTIS_ENUMERIC or CTIS_ENOMEM.
 */
int mse_irls(const struct mse_design *d, int warm, double *beta, double *var,
             double *loglik, double *dev, int *iters, struct ctis_err *err);

/* OUT: *full, nonzero when the rows of d (those with a positive count
 * when positive_only) have full column rank. 0 or CTIS_ENOMEM. */
int mse_design_full_rank(const struct mse_design *d, int positive_only,
                         int *full, struct ctis_err *err);

/* SparseMSE's Poisson p-value of every pair not in f's model (f must
 * exist), 1 for those whose addition fails the existence check. OUT:
 * pv[mse_npairs(k)] (1 for pairs in the model), *best the first pair of
 * smallest p-value or -1 when none can be added. 0 or CTIS_ENOMEM. */
int mse_candidates(const struct mse_table *t, const struct mse_fit *f,
                   double *pv, int *best, struct ctis_err *err);

/* Set *n to "none" (n may be NULL), or to pairs with term q added
 * (added = 1) or removed, at p-value p. */
void mse_next_clear(struct mse_next *n);
void mse_next_term(struct mse_next *n, uint64_t pairs, int q, int added,
                   double p);

/* SparseMSE's stepwise rule (stepwise.c) into *best; next (may be NULL)
 * receives the next-best model's terms. Returns as mse_select. */
int mse_stepwise_poisson(const struct mse_table *t, double pthresh,
                         struct mse_fit *best, struct mse_next *next,
                         mse_fit_cb cb, void *ctx, struct ctis_err *err);

/* mse_select, also giving the next-best model's terms into *next (may be
 * NULL: then nothing extra is computed). */
int mse_select_next(const struct mse_table *t, const struct mse_options *o,
                    struct mse_fit *best, struct mse_next *next, mse_fit_cb cb,
                    void *ctx, struct ctis_err *err);

#endif
