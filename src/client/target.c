/* target — a pinned action target. */
#include "client/target.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup0(const char *s)
{
    return xstrdup(s ? s : "");
}

void target_init(struct target *t, const struct target_spec *s)
{
    t->context = dup0(s->context);
    t->cluster = dup0(s->cluster);
    t->server = dup0(s->server);
    t->kubeconfig = dup0(s->kubeconfig);
    t->session = s->session;
    t->client = s->client;
    t->group = dup0(s->group);
    t->version = dup0(s->version);
    t->resource = dup0(s->resource);
    t->kind = dup0(s->kind);
    t->namespaced = s->namespaced;
    t->ns = dup0(s->namespaced ? s->ns : "");
    t->name = dup0(s->name);
    t->uid = dup0(s->uid);
}

void target_copy(struct target *dst, const struct target *src)
{
    struct target_spec s = {
        .context = src->context,
        .cluster = src->cluster,
        .server = src->server,
        .kubeconfig = src->kubeconfig,
        .session = src->session,
        .client = src->client,
        .group = src->group,
        .version = src->version,
        .resource = src->resource,
        .kind = src->kind,
        .namespaced = src->namespaced,
        .ns = src->ns,
        .name = src->name,
        .uid = src->uid,
    };
    target_init(dst, &s);
}

void target_free(struct target *t)
{
    char **fields[] = {&t->context, &t->cluster, &t->server,   &t->kubeconfig,
                       &t->group,   &t->version, &t->resource, &t->kind,
                       &t->ns,      &t->name,    &t->uid};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}

static void group_version(const char *group, const char *version, struct strbuf *out)
{
    if (group[0])
        strbuf_printf(out, "/apis/%s/%s", group, version);
    else
        strbuf_printf(out, "/api/%s", version);
}

void target_sibling_path(const struct target *t, const char *group, const char *version,
                         const char *resource, struct strbuf *out)
{
    group_version(group, version, out);
    if (t->ns[0]) {
        strbuf_puts(out, "/namespaces/");
        strbuf_put_urlencoded(out, t->ns);
    }
    strbuf_putc(out, '/');
    strbuf_puts(out, resource);
}

void target_path(const struct target *t, const char *sub, struct strbuf *out)
{
    target_sibling_path(t, t->group, t->version, t->resource, out);
    strbuf_putc(out, '/');
    strbuf_put_urlencoded(out, t->name);
    if (sub) {
        strbuf_putc(out, '/');
        strbuf_puts(out, sub);
    }
}

void target_describe(const struct target *t, struct strbuf *out)
{
    for (const char *k = t->kind; *k; k++)
        strbuf_putc(out, (char)tolower((unsigned char)*k));
    strbuf_printf(out, "/%s", t->name);
    if (t->ns[0])
        strbuf_printf(out, " in %s", t->ns);
}
