/* natsort — natural comparison without allocation. */
#include "util/natsort.h"

#include <string.h>

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

int natsort_cmp(const char *a, const char *b)
{
    const char *pa = a, *pb = b;
    while (*pa && *pb) {
        if (isdig(*pa) && isdig(*pb)) {
            const char *sa = pa, *sb = pb;
            while (*sa == '0')
                sa++;
            while (*sb == '0')
                sb++;
            const char *ea = sa, *eb = sb;
            while (isdig(*ea))
                ea++;
            while (isdig(*eb))
                eb++;
            size_t la = (size_t)(ea - sa), lb = (size_t)(eb - sb);
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(sa, sb, la);
            if (c)
                return c < 0 ? -1 : 1;
            pa = ea;
            pb = eb;
            continue;
        }
        if (*pa != *pb)
            return (unsigned char)*pa < (unsigned char)*pb ? -1 : 1;
        pa++;
        pb++;
    }
    if (*pa || *pb)
        return *pa ? 1 : -1;
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}
