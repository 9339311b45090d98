/* kind_table — dynamic kinds from discovery, columns from server-side Tables. */
#include "model/kind_table.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_KIND_MAX_COLS 40

struct table_kind {
    struct kind k; /* first: a table_kind is used as a kind */
    char *group, *version, *resource, *singular, *kindname;
    struct kind_column *cols; /* owned */
    size_t ncols;
    char **names; /* owned column names */
    size_t nnames;
    char *signature; /* the column definitions last applied, to detect changes */
};

/* Every cell of the row, in server order, as kubectl prints cells. */
static void table_project(const cJSON *row, struct obj_builder *b)
{
    const cJSON *cell;
    int i = 0;
    cJSON_ArrayForEach(cell, json_get(row, "cells"))
    {
        if (i++ >= TABLE_KIND_MAX_COLS)
            break;
        if (cJSON_IsString(cell)) {
            obj_builder_add(b, cell->valuestring);
        } else if (cJSON_IsNumber(cell)) {
            double d = cell->valuedouble;
            if (d == floor(d) && fabs(d) < 9e15)
                obj_builder_addf(b, "%lld", (long long)d);
            else
                obj_builder_addf(b, "%g", d);
        } else if (cJSON_IsBool(cell)) {
            obj_builder_add(b, cJSON_IsTrue(cell) ? "true" : "false");
        } else if (cJSON_IsNull(cell)) {
            obj_builder_add(b, "");
        } else {
            char *txt = cJSON_PrintUnformatted(cell);
            obj_builder_add(b, txt ? txt : "");
            free(txt);
        }
    }
}

static void free_columns(struct table_kind *t)
{
    for (size_t i = 0; i < t->nnames; i++)
        free(t->names[i]);
    free(t->names);
    free(t->cols);
    t->names = NULL;
    t->cols = NULL;
    t->nnames = t->ncols = 0;
}

static const struct kind_column namespace_col = COLUMN_NAMESPACE;
static const struct kind_column name_col = COLUMN_NAME;
static const struct kind_column age_col = COLUMN_AGE;

/* Before the server has told us its columns: NAMESPACE NAME AGE. */
static void default_columns(struct table_kind *t)
{
    free_columns(t);
    t->cols = xcalloc(3, sizeof *t->cols);
    size_t n = 0;
    if (t->k.namespaced)
        t->cols[n++] = namespace_col;
    t->cols[n++] = name_col;
    t->cols[n++] = age_col;
    t->ncols = n;
    t->k.columns = t->cols;
    t->k.ncolumns = n;
}

bool kind_table_set_columns(const struct kind *kc, const cJSON *defs)
{
    if (!kc || !kc->server_table || !cJSON_IsArray(defs))
        return false;
    struct table_kind *t = (struct table_kind *)(uintptr_t)kc;
    char *sig = cJSON_PrintUnformatted(defs);
    if (sig && t->signature && strcmp(sig, t->signature) == 0) {
        free(sig);
        return false;
    }
    free(t->signature);
    t->signature = sig;
    free_columns(t);
    int n = json_len(defs);
    if (n > TABLE_KIND_MAX_COLS)
        n = TABLE_KIND_MAX_COLS;
    t->cols = xcalloc((size_t)n + 3, sizeof *t->cols);
    t->names = xcalloc((size_t)n + 1, sizeof *t->names);
    size_t c = 0;
    if (t->k.namespaced)
        t->cols[c++] = namespace_col;
    t->cols[c++] = name_col;
    bool age = false;
    for (int i = 0; i < n; i++) {
        const cJSON *d = cJSON_GetArrayItem(defs, i);
        const char *name = json_strz(d, "name");
        const char *type = json_strz(d, "type");
        if (strcmp(json_strz(d, "format"), "name") == 0 || strcmp(name, "Name") == 0)
            continue; /* the name comes from the object */
        if (strcmp(name, "Age") == 0) {
            age = true; /* replaced by a ticking cell, placed last */
            continue;
        }
        /* kubectl upper-cases column names ("Up-to-date" -> "UP-TO-DATE"). */
        char *up = xstrdup(name);
        for (char *p = up; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        t->names[t->nnames++] = up;
        struct kind_column col = {up, 0, OBJ_KIND0 + i, NULL, SORT_NATURAL, NULL};
        if (json_int(d, "priority", 0) > 0)
            col.flags |= COL_WIDE;
        if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)
            col.sort = SORT_NUMBER;
        else if (strcmp(type, "date") == 0)
            col.sort = SORT_DURATION; /* the server renders dates as ages: "26h" before "2d" */
        t->cols[c++] = col;
    }
    (void)age; /* with or without a server Age column, AGE ticks from creationTimestamp */
    t->cols[c++] = age_col;
    t->ncols = c;
    t->k.columns = t->cols;
    t->k.ncolumns = c;
    return true;
}

const struct kind *kind_cache_table(struct kind_cache *c, const struct api_resource *r)
{
    /* A resource whose definition changed (another served version, scope, kind or scale: a CRD
     * was edited) gets a new kind; views still showing the old one keep it until the cache goes. */
    bool scalable = api_resource_has_subresource(r, "scale");
    for (size_t i = c->len; i-- > 0;) {
        const struct kind *k = c->v[i];
        if (strcmp(k->group, r->group) == 0 && strcmp(k->resource, r->name) == 0 &&
            strcmp(k->version, r->version) == 0 && strcmp(k->kind, r->kind) == 0 &&
            k->namespaced == r->namespaced && ((k->caps & KIND_SCALABLE) != 0) == scalable)
            return k;
    }
    struct table_kind *t = xcalloc(1, sizeof *t);
    t->group = xstrdup(r->group);
    t->version = xstrdup(r->version);
    t->resource = xstrdup(r->name);
    t->singular = xstrdup(r->singular);
    t->kindname = xstrdup(r->kind);
    t->k.group = t->group;
    t->k.version = t->version;
    t->k.resource = t->resource;
    t->k.singular = t->singular;
    t->k.kind = t->kindname;
    t->k.namespaced = r->namespaced;
    t->k.aliases = NULL; /* resolution of dynamic kinds goes through discovery */
    t->k.project = table_project;
    t->k.selector = -1;
    t->k.server_table = true;
    if (scalable)
        t->k.caps |= KIND_SCALABLE;
    default_columns(t);
    c->v = xreallocarray(c->v, c->len + 1, sizeof *c->v);
    c->v[c->len++] = &t->k;
    return &t->k;
}

const struct kind *kind_cache_resolve(struct kind_cache *c, const struct discovery *d,
                                      const char *name)
{
    const struct kind *k = kind_lookup(name);
    if (k)
        return k;
    const struct api_resource *r = d ? discovery_resolve(d, name) : NULL;
    if (!r)
        return NULL;
    for (size_t i = 0, n = kind_count(); i < n; i++) {
        k = kind_at(i);
        if (strcmp(k->group, r->group) == 0 && strcmp(k->resource, r->name) == 0)
            return k;
    }
    return kind_cache_table(c, r);
}

void kind_cache_free(struct kind_cache *c)
{
    for (size_t i = 0; i < c->len; i++) {
        struct table_kind *t = (struct table_kind *)c->v[i];
        free_columns(t);
        free(t->signature);
        free(t->group);
        free(t->version);
        free(t->resource);
        free(t->singular);
        free(t->kindname);
        free(t);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}
