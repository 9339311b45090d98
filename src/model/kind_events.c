/* kind_events — core/v1 events, as kubectl's event printer shows them: LAST SEEN from
 * lastTimestamp, else firstTimestamp, else eventTime (series.lastObservedTime when the event is a
 * series), OBJECT as `kind-lowercase/name`, SOURCE as `component, host`, MESSAGE trimmed, COUNT
 * (1 for a singleton of the new API). No AGE: the table starts sorted by LAST SEEN, newest first.
 * Events of any type but Normal (Warning) are errors. The times stay instants and are formatted
 * when drawn, so LAST SEEN ticks. */
#include "model/kind.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    EV_TYPE = OBJ_KIND0,
    EV_REASON,
    EV_OBJECT,
    EV_SUBOBJECT,
    EV_SOURCE,
    EV_MESSAGE,
    EV_COUNT,
};

/* num[] slots: instants in epoch seconds, 0 when unknown. */
enum { N_LAST, N_FIRST };

/* Go's unicode.IsSpace, which strings.TrimSpace uses. */
static bool is_space(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Appends s without its leading and trailing white space, as strings.TrimSpace does. */
static void put_trimmed(struct obj_builder *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), start = n, end = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = sanitize_utf8_decode(p + i, n - i, &cp);
        if (len == 0) { /* invalid UTF-8 is RuneError, which is not a space */
            len = 1;
            cp = 0xFFFD;
        }
        if (!is_space(cp)) {
            if (start == n)
                start = i;
            end = i + len;
        }
        i += len;
    }
    if (start >= end) {
        obj_builder_add(b, "");
        return;
    }
    char *t = xmalloc(end - start + 1);
    memcpy(t, s + start, end - start);
    t[end - start] = '\0';
    obj_builder_add(b, t);
    free(t);
}

static void put_object(struct obj_builder *b, const cJSON *involved)
{
    char kind[128];
    const char *k = json_strz(involved, "kind");
    size_t i = 0;
    for (; k[i] && i + 1 < sizeof kind; i++)
        kind[i] = (char)tolower((unsigned char)k[i]);
    kind[i] = '\0';
    const char *name = json_strz(involved, "name");
    if (name[0])
        obj_builder_addf(b, "%s/%s", kind, name);
    else
        obj_builder_add(b, kind);
}

/* kubectl's formatEventSource: the source component and host, falling back to the reporting
 * controller and instance. */
static void put_source(struct obj_builder *b, const cJSON *ev)
{
    const cJSON *src = json_get(ev, "source");
    const char *component = json_strz(src, "component");
    if (!component[0])
        component = json_strz(ev, "reportingComponent");
    const char *host = json_strz(src, "host");
    if (!host[0])
        host = json_strz(ev, "reportingInstance");
    if (host[0])
        obj_builder_addf(b, "%s, %s", component, host);
    else
        obj_builder_add(b, component);
}

static void events_project(const cJSON *ev, struct obj_builder *b)
{
    const char *type = json_strz(ev, "type");
    obj_builder_add(b, type);
    obj_builder_add(b, json_strz(ev, "reason"));
    const cJSON *involved = json_get(ev, "involvedObject");
    put_object(b, involved);
    obj_builder_add(b, json_strz(involved, "fieldPath"));
    put_source(b, ev);
    put_trimmed(b, json_strz(ev, "message"));
    int64_t first = json_time(ev, "firstTimestamp");
    if (!first)
        first = json_time(ev, "eventTime");
    int64_t last = json_time(ev, "lastTimestamp");
    if (!last)
        last = first;
    int64_t count = json_int(ev, "count", 0);
    const cJSON *series = json_get(ev, "series");
    if (cJSON_IsObject(series)) {
        last = json_time(series, "lastObservedTime");
        count = json_int(series, "count", 0);
    } else if (count == 0) {
        count = 1; /* singleton events of the events.k8s.io API carry no count */
    }
    obj_builder_addf(b, "%lld", (long long)count);
    b->num[N_LAST] = last;
    b->num[N_FIRST] = first;
    if (type[0] && strcmp(type, "Normal") != 0)
        b->state = OBJ_STATE_ERROR;
}

static const char *cell_since(int64_t t, const struct cell_ctx *cx, char *buf)
{
    return duration_age(cx->now, t, buf, CELL_MAX);
}

static const char *cell_last(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return cell_since(o->num[N_LAST], cx, buf);
}

static const char *cell_first(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return cell_since(o->num[N_FIRST], cx, buf);
}

/* Ascending means newest first, like AGE; unknown times sort after every known one. */
static int64_t key_since(int64_t t)
{
    return t ? -t : INT64_MAX;
}

static int64_t key_last(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return key_since(o->num[N_LAST]);
}

static int64_t key_first(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return key_since(o->num[N_FIRST]);
}

static const struct kind_column events_columns[] = {
    COLUMN_NAMESPACE,
    {"LAST SEEN", COL_CLOCK, -1, cell_last, SORT_KEY, key_last},
    {"TYPE", 0, EV_TYPE, NULL, SORT_NATURAL, NULL},
    {"REASON", 0, EV_REASON, NULL, SORT_NATURAL, NULL},
    {"OBJECT", 0, EV_OBJECT, NULL, SORT_NATURAL, NULL},
    {"SUBOBJECT", COL_WIDE, EV_SUBOBJECT, NULL, SORT_NATURAL, NULL},
    {"SOURCE", COL_WIDE, EV_SOURCE, NULL, SORT_NATURAL, NULL},
    {"MESSAGE", 0, EV_MESSAGE, NULL, SORT_NATURAL, NULL},
    {"FIRST SEEN", COL_WIDE | COL_CLOCK, -1, cell_first, SORT_KEY, key_first},
    {"COUNT", COL_WIDE, EV_COUNT, NULL, SORT_NUMBER, NULL},
    {"NAME", COL_WIDE, OBJ_NAME, NULL, SORT_NATURAL, NULL},
};

static const char *const events_aliases[] = {"ev", NULL};

const struct kind kind_events = {
    .group = "",
    .version = "v1",
    .resource = "events",
    .singular = "event",
    .kind = "Event",
    .namespaced = true,
    .aliases = events_aliases,
    .columns = events_columns,
    .ncolumns = sizeof events_columns / sizeof events_columns[0],
    .project = events_project,
    .selector = -1,
    .caps = 0,
    .default_sort = "LAST SEEN",
    .default_desc = false,
};
