/* describe_replicasets — `kubectl describe replicaset`: selector, owner, replicas, the phases of
 * the pods it controls (listed by its selector, kept when their controller reference is this
 * replica set), the pod template, conditions, events. */
#include "model/describe.h"
#include "model/describe_podspec.h"
#include "model/kind.h"
#include "util/json.h"

#include <string.h>

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)t;
    (void)status;
    const cJSON *meta = describe_plan_own_events(p, obj, "ReplicaSet");
    if (!meta)
        return;
    struct strbuf sel = {0}, path = {0};
    kind_selector_text(&sel, json_path(obj, "spec", "selector", NULL), "");
    strbuf_printf(&path, "/api/v1/namespaces/%s/pods", json_strz(meta, "namespace"));
    describer_plan_add(p, strbuf_str(&path), strbuf_str(&sel), NULL, true, true);
    strbuf_free(&sel);
    strbuf_free(&path);
}

static void pods_status(struct describe_w *w, const cJSON *rs, const struct describer_reply *pods)
{
    describe_write(w, 0, "Pods Status:\t");
    if (!pods->ok) {
        describe_write(w, 0, "error in fetching pods: %s\n", pods->error);
        return;
    }
    const char *uid = json_strz(json_get(rs, "metadata"), "uid");
    long long running = 0, waiting = 0, succeeded = 0, failed = 0;
    const cJSON *pod;
    cJSON_ArrayForEach(pod, pods->json)
    {
        const cJSON *ctl = describe_controller(pod);
        if (!ctl || strcmp(json_strz(ctl, "uid"), uid) != 0)
            continue;
        const char *phase = json_strz(json_get(pod, "status"), "phase");
        running += strcmp(phase, "Running") == 0;
        waiting += strcmp(phase, "Pending") == 0;
        succeeded += strcmp(phase, "Succeeded") == 0;
        failed += strcmp(phase, "Failed") == 0;
    }
    describe_write(w, 0, "%lld Running / %lld Waiting / %lld Succeeded / %lld Failed\n", running,
                   waiting, succeeded, failed);
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *rs = r->obj;
    if (!rs)
        return err_set(e, "%s", r->obj_error);
    const cJSON *meta = json_get(rs, "metadata"), *spec = json_get(rs, "spec"),
                *st = json_get(rs, "status");
    describe_name(w, meta);
    struct strbuf sel = {0};
    kind_selector_text(&sel, json_get(spec, "selector"), "<none>");
    describe_write(w, 0, "Selector:\t%s\n", strbuf_str(&sel));
    strbuf_free(&sel);
    describe_labels(w, "Labels", json_get(meta, "labels"));
    describe_annotations(w, "Annotations", json_get(meta, "annotations"));
    const cJSON *ctl = describe_controller(rs);
    if (ctl)
        describe_write(w, 0, "Controlled By:\t%s/%s\n", json_strz(ctl, "kind"),
                       json_strz(ctl, "name"));
    describe_write(w, 0, "Replicas:\t%lld current / %lld desired\n",
                   (long long)json_int(st, "replicas", 0),
                   (long long)json_int(spec, "replicas", 0));
    if (r->n > 1)
        pods_status(w, rs, &r->replies[1]);
    describe_podspec_template(w, json_get(spec, "template"));
    describe_conditions(w, json_get(st, "conditions"));
    if (r->n > 0)
        describe_events(w, r->replies[0].ok ? r->replies[0].json : NULL, NULL);
    return true;
}

const struct describe_kind describe_replicasets = {"apps", "ReplicaSet", plan, render};
