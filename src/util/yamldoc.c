/* yamldoc — a thin, defensive layer over libyaml's document API. */
#include "util/yamldoc.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

bool yamldoc_load(struct yamldoc *d, const char *buf, size_t n, struct err *e)
{
    memset(d, 0, sizeof *d);
    if (n > YAMLDOC_MAX_INPUT)
        return err_set(e, "file too large (%zu bytes, limit %zu)", n, YAMLDOC_MAX_INPUT);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return err_set(e, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, n);
    if (!yaml_parser_load(&p, &d->doc)) {
        if (p.problem_mark.line || p.problem_mark.column)
            err_set(e, "line %zu, column %zu: %s", p.problem_mark.line + 1,
                    p.problem_mark.column + 1, p.problem ? p.problem : "invalid YAML");
        else
            err_set(e, "%s", p.problem ? p.problem : "invalid YAML");
        yaml_parser_delete(&p);
        return false;
    }
    yaml_parser_delete(&p);
    d->loaded = true;
    return true;
}

void yamldoc_free(struct yamldoc *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = false;
}

yaml_node_t *yamldoc_root(struct yamldoc *d)
{
    return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

static yaml_node_t *node_at(struct yamldoc *d, int idx)
{
    return yaml_document_get_node(&d->doc, idx);
}

yaml_node_t *yamldoc_get(struct yamldoc *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
            return node_at(d, p->value);
    }
    return NULL;
}

const char *yamldoc_str(yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    const char *s = (const char *)n->data.scalar.value;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
         strcmp(s, "NULL") == 0))
        return NULL;
    /* Embedded NULs would silently cut the value; refuse such scalars. */
    if (strlen(s) != n->data.scalar.length)
        return NULL;
    return s;
}

bool yamldoc_bool(yaml_node_t *n, bool *ok)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No",
                                     "NO",    "off",   "Off",   "OFF"};
    const char *s = yamldoc_str(n);
    if (ok)
        *ok = false;
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) {
            if (ok)
                *ok = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            if (ok)
                *ok = true;
            return false;
        }
    }
    return false;
}

size_t yamldoc_seq_len(yaml_node_t *seq)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *yamldoc_seq_item(struct yamldoc *d, yaml_node_t *seq, size_t i)
{
    if (i >= yamldoc_seq_len(seq))
        return NULL;
    return node_at(d, seq->data.sequence.items.start[i]);
}

size_t yamldoc_map_len(yaml_node_t *map)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

bool yamldoc_map_pair(struct yamldoc *d, yaml_node_t *map, size_t i, yaml_node_t **key,
                      yaml_node_t **val)
{
    if (i >= yamldoc_map_len(map))
        return false;
    yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
    *key = node_at(d, p->key);
    *val = node_at(d, p->value);
    return true;
}

#define YAMLDOC_MAX_DEPTH 64

static bool plain_number(const char *s)
{
    char *end;
    if (!*s)
        return false;
    strtod(s, &end);
    return *end == '\0';
}

static cJSON *to_json(struct yamldoc *d, yaml_node_t *n, int depth)
{
    if (!n || depth > YAMLDOC_MAX_DEPTH)
        return NULL;
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)n->data.scalar.value;
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            bool ok;
            bool b = yamldoc_bool(n, &ok);
            if (ok && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
                return cJSON_CreateBool(b);
            if (!yamldoc_str(n))
                return cJSON_CreateNull();
            if (plain_number(s))
                return cJSON_CreateNumber(strtod(s, NULL));
        }
        return cJSON_CreateString(s);
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < yamldoc_seq_len(n); i++) {
            cJSON *v = to_json(d, yamldoc_seq_item(d, n, i), depth + 1);
            if (!v) {
                cJSON_Delete(arr);
                return NULL;
            }
            cJSON_AddItemToArray(arr, v);
        }
        return arr;
    }
    if (n->type == YAML_MAPPING_NODE) {
        cJSON *obj = cJSON_CreateObject();
        yaml_node_t *k, *v;
        for (size_t i = 0; yamldoc_map_pair(d, n, i, &k, &v); i++) {
            const char *key =
                k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
            cJSON *jv = key ? to_json(d, v, depth + 1) : NULL;
            if (!jv) {
                cJSON_Delete(obj);
                return NULL;
            }
            cJSON_AddItemToObject(obj, key, jv);
        }
        return obj;
    }
    return NULL;
}

cJSON *yamldoc_to_json(struct yamldoc *d, yaml_node_t *n)
{
    return to_json(d, n, 0);
}
