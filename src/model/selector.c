/* selector — a small recursive-descent parser for label selectors. */
#include "model/selector.h"
#include "model/labels.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *s;
    size_t i;
    struct err *e;
};

static void skip_ws(struct parser *p)
{
    while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
        p->i++;
}

/* A key or value token: anything up to a delimiter. */
static size_t token(struct parser *p, char *out, size_t max)
{
    skip_ws(p);
    size_t start = p->i;
    while (p->s[p->i] && !strchr(" \t,()=!<>", p->s[p->i]))
        p->i++;
    size_t n = p->i - start;
    if (n >= max)
        n = max - 1;
    memcpy(out, p->s + start, n);
    out[n] = '\0';
    return p->i - start;
}

static bool word(struct parser *p, const char *w)
{
    skip_ws(p);
    size_t n = strlen(w);
    if (strncmp(p->s + p->i, w, n) == 0 && !isalnum((unsigned char)p->s[p->i + n]) &&
        p->s[p->i + n] != '-' && p->s[p->i + n] != '_' && p->s[p->i + n] != '.') {
        p->i += n;
        return true;
    }
    return false;
}

static char **push_value(char **v, size_t *n, const char *val)
{
    v = xreallocarray(v, *n + 2, sizeof *v);
    v[(*n)++] = xstrdup(val);
    v[*n] = NULL;
    return v;
}

static bool parse_req(struct parser *p, struct selector_req *r)
{
    char key[512], val[512];
    memset(r, 0, sizeof *r);
    skip_ws(p);
    bool neg = false;
    if (p->s[p->i] == '!') {
        neg = true;
        p->i++;
    }
    size_t klen = token(p, key, sizeof key);
    if (klen == 0)
        return err_set(p->e, "invalid label selector \"%s\": a requirement has no key", p->s);
    if (!labels_valid_key(key, strlen(key), p->e))
        return err_prefix(p->e, "invalid label selector");
    r->key = xstrdup(key);
    size_t nv = 0;
    r->values = xcalloc(1, sizeof *r->values);
    skip_ws(p);
    if (neg) {
        r->op = SEL_NOTEXISTS;
        return true;
    }
    char c = p->s[p->i];
    if (c == '\0' || c == ',') {
        r->op = SEL_EXISTS;
        return true;
    }
    if (c == '=' || (c == '!' && p->s[p->i + 1] == '=') || c == '>' || c == '<') {
        if (c == '=') {
            r->op = SEL_EQ;
            p->i += p->s[p->i + 1] == '=' ? 2 : 1;
        } else if (c == '!') {
            r->op = SEL_NEQ;
            p->i += 2;
        } else {
            r->op = c == '>' ? SEL_GT : SEL_LT;
            p->i++;
        }
        token(p, val, sizeof val);
        if (r->op == SEL_GT || r->op == SEL_LT) {
            char *end;
            strtol(val, &end, 10);
            if (!val[0] || *end)
                return err_set(p->e, "invalid label selector \"%s\": %s needs an integer value",
                               p->s, key);
        } else if (!labels_valid_value(val, strlen(val), p->e)) {
            return err_prefix(p->e, "invalid label selector");
        }
        r->values = push_value(r->values, &nv, val);
        return true;
    }
    if (word(p, "in"))
        r->op = SEL_IN;
    else if (word(p, "notin"))
        r->op = SEL_NOTIN;
    else
        return err_set(p->e,
                       "invalid label selector \"%s\": expected =, ==, !=, in or notin "
                       "after \"%s\"",
                       p->s, key);
    skip_ws(p);
    if (p->s[p->i] != '(')
        return err_set(p->e, "invalid label selector \"%s\": expected '(' after %s", p->s,
                       r->op == SEL_IN ? "in" : "notin");
    p->i++;
    for (;;) {
        token(p, val, sizeof val);
        if (!labels_valid_value(val, strlen(val), p->e))
            return err_prefix(p->e, "invalid label selector");
        r->values = push_value(r->values, &nv, val);
        skip_ws(p);
        if (p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->s[p->i] == ')') {
            p->i++;
            return true;
        }
        return err_set(p->e,
                       "invalid label selector \"%s\": expected ',' or ')' in the value "
                       "list of %s",
                       p->s, key);
    }
}

bool selector_parse(const char *text, struct selector *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct parser p = {text, 0, e};
    skip_ws(&p);
    if (!text[p.i])
        return true; /* the empty selector selects everything */
    for (;;) {
        out->reqs = xreallocarray(out->reqs, out->n + 1, sizeof *out->reqs);
        struct selector_req *r = &out->reqs[out->n];
        bool ok = parse_req(&p, r);
        out->n++;
        if (!ok) {
            selector_free(out);
            return false;
        }
        skip_ws(&p);
        if (!text[p.i])
            return true;
        if (text[p.i] != ',') {
            err_set(e, "invalid label selector \"%s\": unexpected \"%c\" at position %zu", text,
                    text[p.i], p.i + 1);
            selector_free(out);
            return false;
        }
        p.i++;
    }
}

/* The value of key in "k=v,k2=v2", or NULL. */
static const char *lookup(const char *labels, const char *key, size_t *vlen)
{
    size_t kl = strlen(key);
    const char *p = labels;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == kl && strncmp(p, key, kl) == 0) {
            *vlen = n - kl - 1;
            return eq + 1;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static bool value_in(char *const *values, const char *v, size_t vlen)
{
    for (char *const *x = values; x && *x; x++)
        if (strlen(*x) == vlen && strncmp(*x, v, vlen) == 0)
            return true;
    return false;
}

bool selector_matches(const struct selector *s, const char *labels)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct selector_req *r = &s->reqs[i];
        size_t vlen = 0;
        const char *v = lookup(labels, r->key, &vlen);
        bool ok;
        switch (r->op) {
        case SEL_EQ:
        case SEL_IN:
            ok = v && value_in(r->values, v, vlen);
            break;
        case SEL_NEQ:
        case SEL_NOTIN:
            ok = !v || !value_in(r->values, v, vlen); /* as the server: absent keys match */
            break;
        case SEL_EXISTS:
            ok = v != NULL;
            break;
        case SEL_NOTEXISTS:
            ok = v == NULL;
            break;
        default: {
            if (!v)
                return false;
            char buf[64];
            size_t n = vlen < sizeof buf - 1 ? vlen : sizeof buf - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            char *end;
            long lv = strtol(buf, &end, 10), rv = strtol(r->values[0], NULL, 10);
            ok = *end == '\0' && n > 0 && (r->op == SEL_GT ? lv > rv : lv < rv);
        }
        }
        if (!ok)
            return false;
    }
    return true;
}

void selector_free(struct selector *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->reqs[i].key);
        for (char **v = s->reqs[i].values; v && *v; v++)
            free(*v);
        free(s->reqs[i].values);
    }
    free(s->reqs);
    memset(s, 0, sizeof *s);
}
