/* config — the k9s-schema settings files. */
#include "model/config.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/yamlemit.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cJSON.h>
#include <pcre2.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

void config_init(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->readonly = c->headless = c->logoless = c->crumbsless = CONFIG_UNSET;
}

void config_free(struct config *c)
{
    free(c->skin);
    free(c->default_view);
    free(c->active_ns);
    free(c->last_view);
    for (size_t i = 0; i < CONFIG_FAVOURITES; i++)
        free(c->favourites[i]);
    for (size_t i = 0; i < CONFIG_PATTERNS; i++)
        free(c->danger[i]);
    config_init(c);
}

struct walk {
    struct yamldoc *doc;
    const char *path;
    struct err *e;
};

static bool bad(struct walk *w, yaml_node_t *n, const char *key, const char *want)
{
    return err_set(w->e, "%s: line %lu: %s must be %s", w->path,
                   (unsigned long)n->start_mark.line + 1, key, want);
}

static bool get_bool(struct walk *w, yaml_node_t *map, const char *name, const char *key, int *out)
{
    yaml_node_t *n = yamldoc_get(w->doc, map, name);
    if (!n || (n->type == YAML_SCALAR_NODE && !yamldoc_str(n)))
        return true; /* absent or null: unset */
    bool ok;
    bool v = yamldoc_bool(n, &ok);
    if (!ok)
        return bad(w, n, key, "true or false");
    *out = v ? CONFIG_YES : CONFIG_NO;
    return true;
}

/* A whole number in [min, max]; absent or null leaves *out. */
static bool get_long(struct walk *w, yaml_node_t *map, const char *name, const char *key, long min,
                     long max, long *out)
{
    yaml_node_t *n = yamldoc_get(w->doc, map, name);
    if (!n || (n->type == YAML_SCALAR_NODE && !yamldoc_str(n)))
        return true;
    const char *s = n->type == YAML_SCALAR_NODE ? yamldoc_str(n) : NULL;
    char *end = NULL;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < min || v > max) {
        char what[96];
        snprintf(what, sizeof what, "a whole number from %ld to %ld", min, max);
        return bad(w, n, key, what);
    }
    *out = v;
    return true;
}

static bool get_str(struct walk *w, yaml_node_t *map, const char *name, const char *key, char **out)
{
    yaml_node_t *n = yamldoc_get(w->doc, map, name);
    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE)
        return bad(w, n, key, "a string");
    const char *s = yamldoc_str(n);
    if (s && s[0]) {
        free(*out);
        *out = xstrdup(s);
    }
    return true;
}

static bool get_list(struct walk *w, yaml_node_t *map, const char *name, const char *key,
                     char **out, size_t max)
{
    yaml_node_t *n = yamldoc_get(w->doc, map, name);
    if (!n || (n->type == YAML_SCALAR_NODE && !yamldoc_str(n)))
        return true;
    if (n->type != YAML_SEQUENCE_NODE)
        return bad(w, n, key, "a list of strings");
    size_t k = 0;
    for (size_t i = 0; i < yamldoc_seq_len(n) && k < max; i++) {
        yaml_node_t *it = yamldoc_seq_item(w->doc, n, i);
        const char *s = it && it->type == YAML_SCALAR_NODE ? yamldoc_str(it) : NULL;
        if (!s)
            return bad(w, it ? it : n, key, "a list of strings");
        if (s[0]) {
            free(out[k]);
            out[k++] = xstrdup(s);
        }
    }
    return true;
}

static yaml_node_t *section(struct walk *w, yaml_node_t *map, const char *name, const char *key,
                            bool *ok)
{
    yaml_node_t *n = yamldoc_get(w->doc, map, name);
    if (!n || (n->type == YAML_SCALAR_NODE && !yamldoc_str(n)))
        return NULL;
    if (n->type != YAML_MAPPING_NODE) {
        *ok = bad(w, n, key, "a mapping");
        return NULL;
    }
    return n;
}

static bool settings(struct config *c, struct walk *w, yaml_node_t *k9s, const char *root)
{
    char key[64];
#define KEY(s) (snprintf(key, sizeof key, "%s.%s", root, s), key)
    bool ok = get_bool(w, k9s, "readOnly", KEY("readOnly"), &c->readonly) &&
              get_str(w, k9s, "defaultView", KEY("defaultView"), &c->default_view) &&
              get_str(w, k9s, "skin", KEY("skin"), &c->skin);
    yaml_node_t *ui = ok ? section(w, k9s, "ui", KEY("ui"), &ok) : NULL;
    if (ui)
        ok = get_bool(w, ui, "headless", KEY("ui.headless"), &c->headless) &&
             get_bool(w, ui, "logoless", KEY("ui.logoless"), &c->logoless) &&
             get_bool(w, ui, "crumbsless", KEY("ui.crumbsless"), &c->crumbsless) &&
             get_str(w, ui, "skin", KEY("ui.skin"), &c->skin);
    yaml_node_t *ns = ok ? section(w, k9s, "namespace", KEY("namespace"), &ok) : NULL;
    if (ns)
        ok = get_str(w, ns, "active", KEY("namespace.active"), &c->active_ns) &&
             get_list(w, ns, "favorites", KEY("namespace.favorites"), c->favourites,
                      CONFIG_FAVOURITES);
    yaml_node_t *logger = ok ? section(w, k9s, "logger", KEY("logger"), &ok) : NULL;
    if (logger)
        ok = get_long(w, logger, "buffer", KEY("logger.buffer"), 100, 1000000, &c->log_lines) &&
             get_long(w, logger, "bufferMiB", KEY("logger.bufferMiB"), 1, 4096, &c->log_mib);
    yaml_node_t *view = ok ? section(w, k9s, "view", KEY("view"), &ok) : NULL;
    if (view)
        ok = get_str(w, view, "active", KEY("view.active"), &c->last_view);
    if (ok)
        ok = get_list(w, k9s, "dangerContexts", KEY("dangerContexts"), c->danger, CONFIG_PATTERNS);
#undef KEY
    return ok;
}

long config_log_lines(const struct config *context, const struct config *global)
{
    return context && context->log_lines ? context->log_lines : global ? global->log_lines : 0;
}

long config_log_mib(const struct config *context, const struct config *global)
{
    return context && context->log_mib ? context->log_mib : global ? global->log_mib : 0;
}

bool config_parse(struct config *c, const char *buf, size_t n, const char *path, struct err *e)
{
    struct yamldoc doc;
    struct err ye = {0};
    if (!yamldoc_load(&doc, buf, n, &ye))
        return err_set(e, "%s: %s", path, ye.msg);
    struct walk w = {&doc, path, e};
    yaml_node_t *root = yamldoc_root(&doc);
    bool ok = true;
    if (root && !(root->type == YAML_SCALAR_NODE && !yamldoc_str(root))) {
        if (root->type != YAML_MAPPING_NODE) {
            ok = bad(&w, root, "the file", "a mapping");
        } else {
            static const char *const roots[] = {"k9s", "timon"};
            for (size_t i = 0; ok && i < sizeof roots / sizeof roots[0]; i++) {
                yaml_node_t *sec = section(&w, root, roots[i], roots[i], &ok);
                if (sec)
                    ok = settings(c, &w, sec, roots[i]);
            }
        }
    }
    yamldoc_free(&doc);
    return ok;
}

bool config_readonly(bool cli_write, bool cli_readonly, const struct config *ctx,
                     const struct config *global)
{
    if (cli_write)
        return false;
    if (cli_readonly)
        return true;
    if (ctx && ctx->readonly != CONFIG_UNSET)
        return ctx->readonly == CONFIG_YES;
    return global && global->readonly == CONFIG_YES;
}

static void safe_component(struct strbuf *sb, const char *s)
{
    if (!s || !s[0] || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        strbuf_putc(sb, '-');
        return;
    }
    for (; *s; s++) {
        char ch = *s;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
        strbuf_putc(sb, ok ? ch : '-');
    }
}

char *config_context_path(const char *data_dir, const char *cluster, const char *context)
{
    struct strbuf sb = {0};
    strbuf_printf(&sb, "%s/clusters/", data_dir);
    safe_component(&sb, cluster);
    strbuf_putc(&sb, '/');
    safe_component(&sb, context);
    strbuf_puts(&sb, "/config.yaml");
    return strbuf_take(&sb);
}

#define MAX_FILE (1 << 20)

bool config_load_file(struct config *c, const char *path, struct err *e)
{
    config_init(c);
    if (access(path, F_OK) != 0)
        return true;
    struct strbuf buf = {0};
    bool ok = fs_read_file(path, MAX_FILE, &buf, e) &&
              config_parse(c, strbuf_str(&buf), buf.len, path, e);
    strbuf_free(&buf);
    if (!ok)
        config_free(c);
    return ok;
}

static cJSON *child(cJSON *parent, const char *key)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (cJSON_IsObject(c))
        return c;
    cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
    return cJSON_AddObjectToObject(parent, key);
}

static void set_str(cJSON *obj, const char *key, const char *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    if (v)
        cJSON_AddStringToObject(obj, key, v);
}

bool config_save_context(const char *path, const struct config_context_state *st, struct err *e)
{
    int lock = fs_lock(path, e);
    if (lock < 0)
        return false;
    cJSON *root = NULL;
    bool ok = true;
    if (access(path, F_OK) == 0) {
        struct strbuf buf = {0};
        struct yamldoc doc;
        struct err ye = {0};
        ok = fs_read_file(path, MAX_FILE, &buf, e);
        if (ok && (ok = yamldoc_load(&doc, strbuf_str(&buf), buf.len, &ye))) {
            yaml_node_t *r = yamldoc_root(&doc);
            root = r ? yamldoc_to_json(&doc, r) : NULL;
            yamldoc_free(&doc);
            if (r && !cJSON_IsObject(root))
                ok = err_set(e, "%s is not a mapping; left as it is", path);
        } else if (ok) {
            err_set(e, "%s: %s; left as it is", path, ye.msg);
        }
        strbuf_free(&buf);
    }
    if (ok) {
        if (!root)
            root = cJSON_CreateObject();
        cJSON *k9s = child(root, "k9s");
        set_str(k9s, "cluster", st->cluster);
        cJSON *ns = child(k9s, "namespace");
        set_str(ns, "active", st->active_ns ? st->active_ns : "all");
        cJSON_DeleteItemFromObjectCaseSensitive(ns, "favorites");
        cJSON *favs = cJSON_AddArrayToObject(ns, "favorites");
        for (size_t i = 0; st->favourites && i < CONFIG_FAVOURITES && st->favourites[i]; i++)
            cJSON_AddItemToArray(favs, cJSON_CreateString(st->favourites[i]));
        if (st->view)
            set_str(child(k9s, "view"), "active", st->view);
        struct strbuf out = {0};
        ok = yamlemit_write(root, &out, e) &&
             fs_write_atomic(path, out.buf ? out.buf : "", out.len, e);
        strbuf_free(&out);
    }
    cJSON_Delete(root);
    fs_unlock(lock);
    return ok;
}

bool config_danger(const struct config *global, const char *context)
{
    static const char *const fallback[] = {"prod", NULL};
    const char *const *pats =
        global && global->danger[0] ? (const char *const *)global->danger : fallback;
    for (size_t i = 0; i < CONFIG_PATTERNS && pats[i]; i++) {
        int err;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED,
                                       PCRE2_CASELESS | PCRE2_UTF, &err, &off, NULL);
        if (!re)
            continue;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
        int rc = pcre2_match(re, (PCRE2_SPTR)context, strlen(context), 0, 0, md, NULL);
        pcre2_match_data_free(md);
        pcre2_code_free(re);
        if (rc >= 0)
            return true;
    }
    return false;
}
