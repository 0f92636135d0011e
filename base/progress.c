/*
 * progress.c - a one-line progress bar on stderr for long work, drawn only
 * on a terminal (or when forced) and at most ten times a second.
 */
#include <unistd.h>

#include "base.h"

static void draw(struct ctis_progress *p)
{
    if (p->total > 0) {
        int width = 30;
        int filled = (int)((double)p->done / (double)p->total * width);
        int i;

        if (filled > width) {
            filled = width;
        }
        fprintf(stderr, "\r%s [", p->label);
        for (i = 0; i < width; i++) {
            fputc(i < filled ? '#' : '.', stderr);
        }
        fprintf(stderr, "] %3d%% %llu/%llu", (int)(100.0 * (double)p->done /
                (double)p->total), (unsigned long long)p->done,
                (unsigned long long)p->total);
    } else {
        fprintf(stderr, "\r%s %llu", p->label, (unsigned long long)p->done);
    }
    fflush(stderr);
}

/* Begin; decides once whether to draw at all. */
void ctis_progress_start(struct ctis_progress *p, const char *label,
                         uint64_t total, int force)
{
    p->label = label;
    p->total = total;
    p->done = 0;
    p->last = 0;
    if (force < 0) {
        p->enabled = 0;
    } else {
        p->enabled = force > 0 || isatty(2);
    }
}

/* Rate-limited redraw. */
void ctis_progress_update(struct ctis_progress *p, uint64_t done)
{
    double now;

    p->done = done;
    if (!p->enabled) {
        return;
    }
    now = ctis_now();
    if (now - p->last >= 0.1) {
        p->last = now;
        draw(p);
    }
}

/* Final draw and newline. */
void ctis_progress_finish(struct ctis_progress *p)
{
    if (!p->enabled) {
        return;
    }
    if (p->total > 0) {
        p->done = p->total;
    }
    draw(p);
    fputc('\n', stderr);
}
