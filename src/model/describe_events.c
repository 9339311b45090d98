/* describe_events — the Events section every describe ends with: core/v1 Events sorted by
 * lastTimestamp, their age as "9h (x3 over 2d)" for repeated or series events. */
#include "model/describe.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ev {
    const cJSON *e;
    int64_t last; /* lastTimestamp; the zero time sorts first */
};

static int cmp_last(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;
    return x->last < y->last ? -1 : x->last > y->last;
}

/* strings.TrimSpace over ASCII whitespace and the Unicode spaces U+0085 and U+00A0. */
static void trimmed(const char *s, const char **start, int *len)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && strchr(" \t\n\v\f\r", *s)) {
            s++, n--;
        } else if (n >= 2 && (unsigned char)s[0] == 0xc2 &&
                   ((unsigned char)s[1] == 0x85 || (unsigned char)s[1] == 0xa0)) {
            s += 2, n -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && strchr(" \t\n\v\f\r", s[n - 1])) {
            n--;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 &&
                   ((unsigned char)s[n - 1] == 0x85 || (unsigned char)s[n - 1] == 0xa0)) {
            n -= 2;
        } else {
            break;
        }
    }
    *start = s;
    *len = (int)n;
}

void describe_events(struct describe_w *w, const cJSON *events, const cJSON *more)
{
    int n = json_len(events) + json_len(more);
    if (n <= 0) {
        describe_write(w, 0, "Events:\t<none>\n");
        return;
    }
    struct ev *v = xcalloc((size_t)n, sizeof *v);
    size_t k = 0;
    const cJSON *e;
    const cJSON *lists[] = {events, more};
    for (int l = 0; l < 2; l++) {
        if (!cJSON_IsArray(lists[l]))
            continue;
        cJSON_ArrayForEach(e, lists[l])
        {
            if ((int)k < n) {
                v[k].e = e;
                v[k++].last = json_time(e, "lastTimestamp");
            }
        }
    }
    describe_sort(v, k, sizeof *v, cmp_last);
    describe_write(w, 0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    describe_write(w, 1, "----\t------\t----\t----\t-------\n");
    for (size_t i = 0; i < k; i++) {
        e = v[i].e;
        char first[DURATION_MAX_LEN], last[DURATION_MAX_LEN], interval[64];
        if (json_time(e, "eventTime"))
            describe_since(w, e, "eventTime", first, sizeof first);
        else
            describe_since(w, e, "firstTimestamp", first, sizeof first);
        const cJSON *series = json_get(e, "series");
        int64_t count = json_int(e, "count", 0);
        if (cJSON_IsObject(series)) {
            snprintf(interval, sizeof interval, "%s (x%lld over %s)",
                     describe_since(w, series, "lastObservedTime", last, sizeof last),
                     (long long)json_int(series, "count", 0), first);
        } else if (count > 1) {
            snprintf(interval, sizeof interval, "%s (x%lld over %s)",
                     describe_since(w, e, "lastTimestamp", last, sizeof last), (long long)count,
                     first);
        } else {
            snprintf(interval, sizeof interval, "%s", first);
        }
        const char *source = json_strz(json_get(e, "source"), "component");
        if (!source[0])
            source = json_strz(e, "reportingComponent");
        const char *msg;
        int ml;
        trimmed(json_strz(e, "message"), &msg, &ml);
        describe_write(w, 1, "%s\t%s\t%s\t%s\t%.*s\n", json_strz(e, "type"), json_strz(e, "reason"),
                       interval, source, ml, msg);
    }
    free(v);
}
