/* natsort — "natural" string order: digit runs compare as numbers, so pod-2 sorts before
 * pod-10. Ties fall back to byte order, so the order is total. */
#ifndef TIMON_UTIL_NATSORT_H
#define TIMON_UTIL_NATSORT_H

int natsort_cmp(const char *a, const char *b);

#endif
