/* describe_podspec — containers, volumes and the pod template, as kubectl describe lays them out.
 * See describe_podspec.h. */
#include "model/describe_podspec.h"
#include "model/kind.h"
#include "util/json.h"
#include "util/qty.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *yes(bool b)
{
    return b ? "true" : "false";
}

static void ports(const cJSON *list, const char *field, struct strbuf *out)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        strbuf_printf(out, "%s%lld/%s", out->len ? ", " : "", (long long)json_int(p, field, 0),
                      json_strz(p, "protocol"));
    }
}

static void seccomp(struct describe_w *w, const cJSON *sc, int level)
{
    const cJSON *prof = json_get(sc, "seccompProfile");
    if (!cJSON_IsObject(prof))
        return;
    const char *type = json_strz(prof, "type");
    describe_write(w, level, "SeccompProfile:\t%s\n", type);
    if (strcmp(type, "Localhost") == 0)
        describe_write(w, level + 1, "LocalhostProfile:\t%s\n",
                       json_strz(prof, "localhostProfile"));
}

static void basic_info(struct describe_w *w, const cJSON *c, const cJSON *st, const char *space)
{
    describe_write(w, 1, "%s%s:\n", space[0] ? " " : "", json_strz(c, "name"));
    if (st)
        describe_write(w, 2, "Container ID:\t%s\n", json_strz(st, "containerID"));
    describe_write(w, 2, "Image:\t%s\n", json_strz(c, "image"));
    if (st)
        describe_write(w, 2, "Image ID:\t%s\n", json_strz(st, "imageID"));
    struct strbuf p = {0};
    ports(json_get(c, "ports"), "containerPort", &p);
    if (strchr(strbuf_str(&p), ','))
        describe_write(w, 2, "Ports:\t%s\n", strbuf_str(&p));
    else
        describe_write(w, 2, "Port:\t%s\n", p.len ? strbuf_str(&p) : "<none>");
    strbuf_reset(&p);
    ports(json_get(c, "ports"), "hostPort", &p);
    if (strchr(strbuf_str(&p), ','))
        describe_write(w, 2, "Host Ports:\t%s\n", strbuf_str(&p));
    else
        describe_write(w, 2, "Host Port:\t%s\n", p.len ? strbuf_str(&p) : "<none>");
    strbuf_free(&p);
    seccomp(w, json_get(c, "securityContext"), 2);
}

static void lines_of(struct describe_w *w, const char *title, const cJSON *list)
{
    if (json_len(list) <= 0)
        return;
    describe_write(w, 2, "%s:\n", title);
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const char *s = cJSON_IsString(it) ? it->valuestring : "";
        for (;;) {
            const char *nl = strchr(s, '\n');
            describe_write(w, 3, "%.*s\n", (int)(nl ? nl - s : (long)strlen(s)), s);
            if (!nl)
                break;
            s = nl + 1;
        }
    }
}

static void state(struct describe_w *w, const char *name, const cJSON *st)
{
    const cJSON *run = json_get(st, "running"), *wait = json_get(st, "waiting"),
                *term = json_get(st, "terminated");
    char t[64];
    if (cJSON_IsObject(run)) {
        describe_write(w, 2, "%s:\tRunning\n", name);
        describe_write(w, 3, "Started:\t%s\n", describe_time(run, "startedAt", t, sizeof t));
    } else if (cJSON_IsObject(wait)) {
        describe_write(w, 2, "%s:\tWaiting\n", name);
        if (json_strz(wait, "reason")[0])
            describe_write(w, 3, "Reason:\t%s\n", json_strz(wait, "reason"));
    } else if (cJSON_IsObject(term)) {
        describe_write(w, 2, "%s:\tTerminated\n", name);
        if (json_strz(term, "reason")[0])
            describe_write(w, 3, "Reason:\t%s\n", json_strz(term, "reason"));
        if (json_strz(term, "message")[0])
            describe_write(w, 3, "Message:\t%s\n", json_strz(term, "message"));
        describe_write(w, 3, "Exit Code:\t%lld\n", (long long)json_int(term, "exitCode", 0));
        if (json_int(term, "signal", 0) > 0)
            describe_write(w, 3, "Signal:\t%lld\n", (long long)json_int(term, "signal", 0));
        describe_write(w, 3, "Started:\t%s\n", describe_time(term, "startedAt", t, sizeof t));
        describe_write(w, 3, "Finished:\t%s\n", describe_time(term, "finishedAt", t, sizeof t));
    } else {
        describe_write(w, 2, "%s:\tWaiting\n", name);
    }
}

static void resource_list(struct describe_w *w, const char *title, const cJSON *list, int level)
{
    size_t k;
    const cJSON **v = describe_members(list, &k);
    if (!k)
        return;
    describe_write(w, level, "%s:\n", title);
    for (size_t i = 0; i < k; i++) {
        char q[QTY_MAX_LEN];
        describe_write(w, level + 1, "%s:\t%s\n", v[i]->string,
                       describe_qty(v[i], "0", q, sizeof q));
    }
    free(v);
}

void describe_podspec_resources(struct describe_w *w, const cJSON *resources, int level)
{
    resource_list(w, "Limits", json_get(resources, "limits"), level);
    resource_list(w, "Requests", json_get(resources, "requests"), level);
}

/* Go's url.URL{Scheme, Host, Path}.String() for the probe's URL: the path percent-encoded
 * except for the characters a path may hold. */
static void url_path(struct strbuf *out, const char *path)
{
    static const char ok[] = "-_.~$&+,/:;=@";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(ok, *p))
            strbuf_putc(out, (char)*p);
        else
            strbuf_printf(out, "%%%02X", *p);
    }
}

static void probe(struct describe_w *w, const char *title, const cJSON *p)
{
    if (!cJSON_IsObject(p))
        return;
    char attrs[160], a[32];
    snprintf(
        attrs, sizeof attrs, "delay=%llds timeout=%llds period=%llds #success=%lld #failure=%lld",
        (long long)json_int(p, "initialDelaySeconds", 0),
        (long long)json_int(p, "timeoutSeconds", 0), (long long)json_int(p, "periodSeconds", 0),
        (long long)json_int(p, "successThreshold", 0),
        (long long)json_int(p, "failureThreshold", 0));
    struct strbuf s = {0};
    const cJSON *exec = json_get(p, "exec"), *http = json_get(p, "httpGet"),
                *tcp = json_get(p, "tcpSocket"), *grpc = json_get(p, "grpc");
    if (cJSON_IsObject(exec)) {
        strbuf_puts(&s, "exec [");
        const cJSON *c;
        int i = 0;
        cJSON_ArrayForEach(c, json_get(exec, "command"))
        {
            strbuf_printf(&s, "%s%s", i++ ? " " : "", cJSON_IsString(c) ? c->valuestring : "");
        }
        strbuf_printf(&s, "] %s", attrs);
    } else if (cJSON_IsObject(http)) {
        const char *scheme = json_strz(http, "scheme");
        const char *host = json_strz(http, "host");
        const char *port = describe_intstr(json_get(http, "port"), a, sizeof a);
        strbuf_puts(&s, "http-get ");
        for (const char *c = scheme; *c; c++)
            strbuf_putc(&s, (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
        strbuf_puts(&s, scheme[0] ? "://" : "//");
        if (port[0] && strchr(host, ':'))
            strbuf_printf(&s, "[%s]:%s", host, port);
        else if (port[0])
            strbuf_printf(&s, "%s:%s", host, port);
        else
            strbuf_puts(&s, host);
        const char *path = json_strz(http, "path");
        if (path[0] && path[0] != '/')
            strbuf_putc(&s, '/');
        url_path(&s, path);
        strbuf_printf(&s, " %s", attrs);
    } else if (cJSON_IsObject(tcp)) {
        strbuf_printf(&s, "tcp-socket %s:%s %s", json_strz(tcp, "host"),
                      describe_intstr(json_get(tcp, "port"), a, sizeof a), attrs);
    } else if (cJSON_IsObject(grpc)) {
        strbuf_printf(&s, "grpc <pod>:%lld %s %s", (long long)json_int(grpc, "port", 0),
                      json_strz(grpc, "service"), attrs);
    } else {
        strbuf_printf(&s, "unknown %s", attrs);
    }
    describe_write(w, 2, "%s:\t%s\n", title, strbuf_str(&s));
    strbuf_free(&s);
}

static bool optional(const cJSON *ref)
{
    return json_true(ref, "optional");
}

static const char *optional_ptr(const cJSON *ref)
{
    const cJSON *v = json_get(ref, "optional");
    return cJSON_IsBool(v) ? yes(cJSON_IsTrue(v)) : "<nil>";
}

/* A downward-API env var as kubectl resolves it: only metadata.name and metadata.namespace
 * (kubectl's scheme has no pod field-label conversions; anything else resolves to ""). */
static const char *field_value(const cJSON *pod, const char *path)
{
    if (!pod)
        return "";
    if (strcmp(path, "metadata.name") == 0)
        return json_strz(json_get(pod, "metadata"), "name");
    if (strcmp(path, "metadata.namespace") == 0)
        return json_strz(json_get(pod, "metadata"), "namespace");
    return "";
}

/* resourcehelper.ExtractContainerResourceValue: the container's value over the divisor, rounded
 * up; "" when the resource is not one of the standard ones. */
static void resource_value(const cJSON *c, const cJSON *ref, char *buf, size_t n)
{
    const char *res = json_strz(ref, "resource");
    struct qty div = {0}, val = {0};
    const cJSON *d = json_get(ref, "divisor");
    if (!cJSON_IsString(d) || !qty_parse(d->valuestring, &div) || qty_is_zero(&div))
        qty_parse("1", &div);
    const char *dot = strchr(res, '.');
    buf[0] = '\0';
    if (!dot)
        return;
    char which[16];
    snprintf(which, sizeof which, "%.*s", (int)(dot - res), res);
    if (strcmp(which, "limits") != 0 && strcmp(which, "requests") != 0)
        return;
    const char *name = dot + 1;
    bool cpu = strcmp(name, "cpu") == 0;
    if (!cpu && strcmp(name, "memory") != 0 && strcmp(name, "ephemeral-storage") != 0)
        return;
    const cJSON *q = json_get(json_get(json_get(c, "resources"), which), name);
    if (cJSON_IsString(q))
        qty_parse(q->valuestring, &val);
    double num = cpu ? (double)qty_milli(&val) : (double)qty_value(&val);
    double den = cpu ? (double)qty_milli(&div) : (double)qty_value(&div);
    snprintf(buf, n, "%lld", (long long)ceil(num / den));
}

static void env(struct describe_w *w, const cJSON *c, const cJSON *pod)
{
    const cJSON *list = json_get(c, "env");
    describe_write(w, 2, "Environment:%s\n", json_len(list) > 0 ? "" : "\t<none>");
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *name = json_strz(e, "name");
        const cJSON *from = json_get(e, "valueFrom");
        if (!cJSON_IsObject(from)) {
            const char *s = json_strz(e, "value");
            for (int i = 0;; i++) {
                const char *nl = strchr(s, '\n');
                int len = (int)(nl ? nl - s : (long)strlen(s));
                if (i == 0)
                    describe_write(w, 3, "%s:\t%.*s\n", name, len, s);
                else
                    describe_write(w, 3, "\t%.*s\n", len, s);
                if (!nl)
                    break;
                s = nl + 1;
            }
            continue;
        }
        const cJSON *fr = json_get(from, "fieldRef"), *rr = json_get(from, "resourceFieldRef"),
                    *sk = json_get(from, "secretKeyRef"), *ck = json_get(from, "configMapKeyRef");
        if (cJSON_IsObject(fr)) {
            const char *path = json_strz(fr, "fieldPath");
            describe_write(w, 3, "%s:\t%s (%s:%s)\n", name, field_value(pod, path),
                           json_strz(fr, "apiVersion"), path);
        } else if (cJSON_IsObject(rr)) {
            char v[32];
            resource_value(c, rr, v, sizeof v);
            const char *res = json_strz(rr, "resource");
            if (strcmp(v, "0") == 0 &&
                (strcmp(res, "limits.cpu") == 0 || strcmp(res, "limits.memory") == 0))
                snprintf(v, sizeof v, "node allocatable");
            describe_write(w, 3, "%s:\t%s (%s)\n", name, v, res);
        } else if (cJSON_IsObject(sk)) {
            describe_write(w, 3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %s\n", name,
                           json_strz(sk, "key"), json_strz(sk, "name"), yes(optional(sk)));
        } else if (cJSON_IsObject(ck)) {
            describe_write(w, 3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %s\n",
                           name, json_strz(ck, "key"), json_strz(ck, "name"), yes(optional(ck)));
        }
    }
}

static void env_from(struct describe_w *w, const cJSON *c)
{
    const cJSON *list = json_get(c, "envFrom");
    if (json_len(list) <= 0)
        return;
    describe_write(w, 2, "Environment Variables from:\n");
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *from = "", *name = "";
        bool opt = false;
        const cJSON *cm = json_get(e, "configMapRef"), *sec = json_get(e, "secretRef");
        if (cJSON_IsObject(cm)) {
            from = "ConfigMap";
            name = json_strz(cm, "name");
            opt = optional(cm);
        } else if (cJSON_IsObject(sec)) {
            from = "Secret";
            name = json_strz(sec, "name");
            opt = optional(sec);
        }
        const char *prefix = json_strz(e, "prefix");
        if (!prefix[0])
            describe_write(w, 3, "%s\t%s\tOptional: %s\n", name, from, yes(opt));
        else
            describe_write(w, 3, "%s\t%s with prefix '%s'\tOptional: %s\n", name, from, prefix,
                           yes(opt));
    }
}

struct mount {
    const cJSON *m;
    const char *key;
};

static int cmp_mount(const void *a, const void *b)
{
    return strcmp(((const struct mount *)a)->key, ((const struct mount *)b)->key);
}

/* Go's %q of a string: quoted, with backslash escapes for quotes and control characters. */
static void quoted(struct strbuf *out, const char *s)
{
    strbuf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_printf(out, "\\%c", *p);
        else if (*p == '\n')
            strbuf_puts(out, "\\n");
        else if (*p == '\t')
            strbuf_puts(out, "\\t");
        else if (*p == '\r')
            strbuf_puts(out, "\\r");
        else if (*p < 0x20 || *p == 0x7f)
            strbuf_printf(out, "\\x%02x", *p);
        else
            strbuf_putc(out, (char)*p);
    }
    strbuf_putc(out, '"');
}

static struct mount *sorted_by(const cJSON *list, const char *key, size_t *n)
{
    int len = json_len(list);
    *n = 0;
    if (len <= 0)
        return NULL;
    struct mount *v = xcalloc((size_t)len, sizeof *v);
    const cJSON *m;
    cJSON_ArrayForEach(m, list)
    {
        if ((int)*n < len) {
            v[*n].m = m;
            v[(*n)++].key = json_strz(m, key);
        }
    }
    describe_sort(v, *n, sizeof *v, cmp_mount);
    return v;
}

static void mounts(struct describe_w *w, const cJSON *c)
{
    size_t n;
    struct mount *v = sorted_by(json_get(c, "volumeMounts"), "mountPath", &n);
    describe_write(w, 2, "Mounts:%s\n", n ? "" : "\t<none>");
    for (size_t i = 0; i < n; i++) {
        struct strbuf flags = {0};
        strbuf_puts(&flags, json_true(v[i].m, "readOnly") ? "ro" : "rw");
        const char *sub = json_strz(v[i].m, "subPath");
        if (sub[0]) {
            strbuf_puts(&flags, ",path=");
            quoted(&flags, sub);
        }
        describe_write(w, 3, "%s from %s (%s)\n", v[i].key, json_strz(v[i].m, "name"),
                       strbuf_str(&flags));
        strbuf_free(&flags);
    }
    free(v);
    v = sorted_by(json_get(c, "volumeDevices"), "devicePath", &n);
    if (n) {
        describe_write(w, 2, "Devices:\n");
        for (size_t i = 0; i < n; i++)
            describe_write(w, 3, "%s from %s\n", v[i].key, json_strz(v[i].m, "name"));
    }
    free(v);
}

void describe_podspec_containers(struct describe_w *w, const char *label, const cJSON *containers,
                                 const cJSON *statuses, const cJSON *pod, const char *space)
{
    describe_write(w, 0, "%s%s:%s\n", space, label, json_len(containers) > 0 ? "" : " <none>");
    const cJSON *c;
    cJSON_ArrayForEach(c, containers)
    {
        /* Statuses by name; a later duplicate wins, as in kubectl's map. */
        const cJSON *st = NULL, *s;
        cJSON_ArrayForEach(s, statuses)
        {
            if (strcmp(json_strz(s, "name"), json_strz(c, "name")) == 0)
                st = s;
        }
        basic_info(w, c, st, space);
        lines_of(w, "Command", json_get(c, "command"));
        lines_of(w, "Args", json_get(c, "args"));
        if (st) {
            state(w, "State", json_get(st, "state"));
            if (cJSON_IsObject(json_path(st, "lastState", "terminated", NULL)))
                state(w, "Last State", json_get(st, "lastState"));
            describe_write(w, 2, "Ready:\t%s\n", json_true(st, "ready") ? "True" : "False");
            describe_write(w, 2, "Restart Count:\t%lld\n",
                           (long long)json_int(st, "restartCount", 0));
        }
        describe_podspec_resources(w, json_get(c, "resources"), 2);
        probe(w, "Liveness", json_get(c, "livenessProbe"));
        probe(w, "Readiness", json_get(c, "readinessProbe"));
        probe(w, "Startup", json_get(c, "startupProbe"));
        env_from(w, c);
        env(w, c, pod);
        mounts(w, c);
    }
}

/* ---- volumes ---------------------------------------------------------------------------- */

static void kv_attributes(struct describe_w *w, const char *title, const cJSON *attrs)
{
    describe_write(w, 2, "%s:\t", title);
    size_t k;
    const cJSON **v = describe_members(attrs, &k);
    if (!k) {
        describe_write(w, 0, "<none>\n");
        return;
    }
    for (size_t i = 0; i < k; i++) {
        if (i) {
            describe_write(w, 2, "%s", "");
            describe_write(w, 2, "\t");
        }
        char b[64];
        struct strbuf line = {0};
        strbuf_printf(&line, "%s=%s", v[i]->string, describe_scalar(v[i], b, sizeof b));
        if (line.len > 140)
            describe_write(w, 2, "%.140s...\n", strbuf_str(&line));
        else
            describe_write(w, 2, "%s\n", strbuf_str(&line));
        strbuf_free(&line);
    }
    free(v);
}

static void volume(struct describe_w *w, const cJSON *v)
{
    const cJSON *s;
    char q[QTY_MAX_LEN];
    if (cJSON_IsObject(s = json_get(v, "hostPath"))) {
        const char *type = json_str(s, "type");
        describe_write(w, 2,
                       "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n"
                       "    HostPathType:\t%s\n",
                       json_strz(s, "path"), type ? type : "<none>");
    } else if (cJSON_IsObject(s = json_get(v, "emptyDir"))) {
        struct qty lim;
        const cJSON *sl = json_get(s, "sizeLimit");
        const char *limit = "<unset>";
        if (cJSON_IsString(sl) && qty_parse(sl->valuestring, &lim) && lim.nano > 0)
            limit = qty_format(&lim, q, sizeof q);
        describe_write(w, 2,
                       "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       "    Medium:\t%s\n    SizeLimit:\t%s\n",
                       json_strz(s, "medium"), limit);
    } else if (cJSON_IsObject(s = json_get(v, "gcePersistentDisk"))) {
        describe_write(w, 2,
                       "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute "
                       "Engine)\n    PDName:\t%s\n    FSType:\t%s\n    Partition:\t%lld\n"
                       "    ReadOnly:\t%s\n",
                       json_strz(s, "pdName"), json_strz(s, "fsType"),
                       (long long)json_int(s, "partition", 0), yes(json_true(s, "readOnly")));
    } else if (cJSON_IsObject(s = json_get(v, "awsElasticBlockStore"))) {
        describe_write(w, 2,
                       "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n"
                       "    VolumeID:\t%s\n    FSType:\t%s\n    Partition:\t%lld\n"
                       "    ReadOnly:\t%s\n",
                       json_strz(s, "volumeID"), json_strz(s, "fsType"),
                       (long long)json_int(s, "partition", 0), yes(json_true(s, "readOnly")));
    } else if (cJSON_IsObject(s = json_get(v, "gitRepo"))) {
        describe_write(w, 2,
                       "Type:\tGitRepo (a volume that is pulled from git when the pod is "
                       "created)\n    Repository:\t%s\n    Revision:\t%s\n",
                       json_strz(s, "repository"), json_strz(s, "revision"));
    } else if (cJSON_IsObject(s = json_get(v, "secret"))) {
        describe_write(w, 2,
                       "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%s\n"
                       "    Optional:\t%s\n",
                       json_strz(s, "secretName"), yes(optional(s)));
    } else if (cJSON_IsObject(s = json_get(v, "configMap"))) {
        describe_write(w, 2,
                       "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%s\n"
                       "    Optional:\t%s\n",
                       json_strz(s, "name"), yes(optional(s)));
    } else if (cJSON_IsObject(s = json_get(v, "nfs"))) {
        describe_write(w, 2,
                       "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
                       "    Server:\t%s\n    Path:\t%s\n    ReadOnly:\t%s\n",
                       json_strz(s, "server"), json_strz(s, "path"), yes(json_true(s, "readOnly")));
    } else if (cJSON_IsObject(s = json_get(v, "persistentVolumeClaim"))) {
        describe_write(w, 2,
                       "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                       "the same namespace)\n    ClaimName:\t%s\n    ReadOnly:\t%s\n",
                       json_strz(s, "claimName"), yes(json_true(s, "readOnly")));
    } else if (cJSON_IsObject(s = json_get(v, "downwardAPI"))) {
        describe_write(w, 2,
                       "Type:\tDownwardAPI (a volume populated by information about the "
                       "pod)\n    Items:\n");
        const cJSON *it;
        cJSON_ArrayForEach(it, json_get(s, "items"))
        {
            const cJSON *fr = json_get(it, "fieldRef"), *rr = json_get(it, "resourceFieldRef");
            if (cJSON_IsObject(fr))
                describe_write(w, 3, "%s -> %s\n", json_strz(fr, "fieldPath"),
                               json_strz(it, "path"));
            if (cJSON_IsObject(rr))
                describe_write(w, 3, "%s -> %s\n", json_strz(rr, "resource"),
                               json_strz(it, "path"));
        }
    } else if (cJSON_IsObject(s = json_get(v, "projected"))) {
        describe_write(w, 2,
                       "Type:\tProjected (a volume that contains injected data from "
                       "multiple sources)\n");
        const cJSON *src;
        cJSON_ArrayForEach(src, json_get(s, "sources"))
        {
            /* kubectl prints these *bool fields with %v: "<nil>" when unset, else a pointer
             * address, for which the value is the only useful stand-in. */
            const cJSON *x;
            if (cJSON_IsObject(x = json_get(src, "secret")))
                describe_write(w, 2, "SecretName:\t%s\n    SecretOptionalName:\t%s\n",
                               json_strz(x, "name"), optional_ptr(x));
            else if (cJSON_IsObject(json_get(src, "downwardAPI")))
                describe_write(w, 2, "DownwardAPI:\ttrue\n");
            else if (cJSON_IsObject(x = json_get(src, "configMap")))
                describe_write(w, 2, "ConfigMapName:\t%s\n    ConfigMapOptional:\t%s\n",
                               json_strz(x, "name"), optional_ptr(x));
            else if (cJSON_IsObject(x = json_get(src, "serviceAccountToken")))
                describe_write(w, 2, "TokenExpirationSeconds:\t%lld\n",
                               (long long)json_int(x, "expirationSeconds", 0));
        }
    } else if (cJSON_IsObject(s = json_get(v, "csi"))) {
        describe_write(w, 2,
                       "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
                       "    Driver:\t%s\n    FSType:\t%s\n    ReadOnly:\t%s\n",
                       json_strz(s, "driver"), json_strz(s, "fsType"),
                       yes(json_true(s, "readOnly")));
        kv_attributes(w, "VolumeAttributes", json_get(s, "volumeAttributes"));
    } else if (cJSON_IsObject(s = json_get(v, "ephemeral"))) {
        describe_write(w, 2,
                       "Type:\tEphemeralVolume (an inline specification for a volume that "
                       "gets created and deleted with the pod)\n");
    } else if (cJSON_IsObject(s = json_get(v, "image"))) {
        describe_write(w, 2,
                       "Type:\tImage (a container image or OCI artifact)\n    Reference:\t%s\n"
                       "    PullPolicy:\t%s\n",
                       json_strz(s, "reference"), json_strz(s, "pullPolicy"));
    } else {
        describe_write(w, 1, "<unknown>\n");
    }
}

void describe_podspec_volumes(struct describe_w *w, const cJSON *volumes, const char *space)
{
    if (json_len(volumes) <= 0) {
        describe_write(w, 0, "%sVolumes:\t<none>\n", space);
        return;
    }
    describe_write(w, 0, "%sVolumes:\n", space);
    const cJSON *v;
    cJSON_ArrayForEach(v, volumes)
    {
        describe_write(w, 1, "%s%s:\n", space[0] ? " " : "", json_strz(v, "name"));
        volume(w, v);
    }
}

/* ---- scheduling ------------------------------------------------------------------------- */

void describe_podspec_tolerations(struct describe_w *w, const char *title, const cJSON *tols)
{
    describe_write(w, 0, "%s:\t", title);
    size_t n;
    struct mount *v = sorted_by(tols, "key", &n);
    if (!n)
        describe_write(w, 0, "<none>\n");
    for (size_t i = 0; i < n; i++) {
        const cJSON *t = v[i].m;
        if (i)
            describe_write(w, 0, "\t");
        const char *key = v[i].key, *val = json_strz(t, "value"), *eff = json_strz(t, "effect");
        describe_write(w, 0, "%s", key);
        if (val[0])
            describe_write(w, 0, "=%s", val);
        if (eff[0])
            describe_write(w, 0, ":%s", eff);
        if (strcmp(json_strz(t, "operator"), "Exists") == 0 && !val[0])
            describe_write(w, 0, "%sop=Exists", key[0] || eff[0] ? " " : "");
        const cJSON *secs = json_get(t, "tolerationSeconds");
        if (cJSON_IsNumber(secs))
            describe_write(w, 0, " for %llds", (long long)secs->valuedouble);
        describe_write(w, 0, "\n");
    }
    free(v);
}

void describe_podspec_spread(struct describe_w *w, const cJSON *constraints, const char *space)
{
    size_t n;
    struct mount *v = sorted_by(constraints, "topologyKey", &n);
    if (!n)
        return;
    describe_write(w, 0, "%sTopology Spread Constraints:\t", space);
    for (size_t i = 0; i < n; i++) {
        const cJSON *t = v[i].m;
        if (i) {
            describe_write(w, 0, "%s", space);
            describe_write(w, 0, "\t");
        }
        describe_write(w, 0, "%s:%s when max skew %lld is exceeded", v[i].key,
                       json_strz(t, "whenUnsatisfiable"), (long long)json_int(t, "maxSkew", 0));
        const cJSON *sel = json_get(t, "labelSelector");
        if (cJSON_IsObject(sel)) {
            struct strbuf s = {0};
            kind_selector_text(&s, sel, "<none>");
            describe_write(w, 0, " for selector %s", strbuf_str(&s));
            strbuf_free(&s);
        }
        describe_write(w, 0, "\n");
    }
    free(v);
}

void describe_podspec_template(struct describe_w *w, const cJSON *template)
{
    describe_write(w, 0, "Pod Template:\n");
    const cJSON *meta = json_get(template, "metadata"), *spec = json_get(template, "spec");
    describe_labels(w, "  Labels", json_get(meta, "labels"));
    const cJSON *ann = json_get(meta, "annotations");
    if (cJSON_IsObject(ann) && cJSON_GetArraySize(ann) > 0)
        describe_annotations(w, "  Annotations", ann);
    if (json_strz(spec, "serviceAccountName")[0])
        describe_write(w, 1, "Service Account:\t%s\n", json_strz(spec, "serviceAccountName"));
    if (json_len(json_get(spec, "initContainers")) > 0)
        describe_podspec_containers(w, "Init Containers", json_get(spec, "initContainers"), NULL,
                                    NULL, "  ");
    describe_podspec_containers(w, "Containers", json_get(spec, "containers"), NULL, NULL, "  ");
    describe_podspec_volumes(w, json_get(spec, "volumes"), "  ");
    describe_podspec_spread(w, json_get(spec, "topologySpreadConstraints"), "  ");
    if (json_strz(spec, "priorityClassName")[0])
        describe_write(w, 1, "Priority Class Name:\t%s\n", json_strz(spec, "priorityClassName"));
    describe_labels(w, "  Node-Selectors", json_get(spec, "nodeSelector"));
    describe_podspec_tolerations(w, "  Tolerations", json_get(spec, "tolerations"));
}
