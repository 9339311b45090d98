/* kind_storageclasses — storage classes: NAME with " (default)" for the default class,
 * PROVISIONER, RECLAIMPOLICY (Delete when unset), VOLUMEBINDINGMODE (Immediate when unset) and
 * ALLOWVOLUMEEXPANSION, as kubectl prints them; k9s's column set. */
#include "model/kind.h"
#include "util/json.h"

#include <string.h>

enum { SC_NAME = OBJ_KIND0, SC_PROVISIONER, SC_RECLAIM, SC_BINDING, SC_EXPANSION };

/* storageutil.IsDefaultAnnotation: the GA or the beta annotation set to "true". */
static bool is_default(const cJSON *meta)
{
    const cJSON *ann = json_get(meta, "annotations");
    const char *ga = json_str(ann, "storageclass.kubernetes.io/is-default-class");
    const char *beta = json_str(ann, "storageclass.beta.kubernetes.io/is-default-class");
    return (ga && strcmp(ga, "true") == 0) || (beta && strcmp(beta, "true") == 0);
}

static void sc_project(const cJSON *sc, struct obj_builder *b)
{
    const cJSON *meta = json_get(sc, "metadata");
    const char *name = json_strz(meta, "name");
    if (is_default(meta))
        obj_builder_addf(b, "%s (default)", name);
    else
        obj_builder_add(b, name);
    obj_builder_add(b, json_strz(sc, "provisioner"));
    const char *reclaim = json_str(sc, "reclaimPolicy");
    obj_builder_add(b, reclaim ? reclaim : "Delete");
    const char *binding = json_str(sc, "volumeBindingMode");
    obj_builder_add(b, binding ? binding : "Immediate");
    obj_builder_add_raw(b, json_true(sc, "allowVolumeExpansion") ? "true" : "false");
    if (kind_deleting(sc))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column sc_columns[] = {
    {"NAME", 0, SC_NAME, NULL, SORT_NATURAL, NULL},
    {"PROVISIONER", 0, SC_PROVISIONER, NULL, SORT_NATURAL, NULL},
    {"RECLAIMPOLICY", 0, SC_RECLAIM, NULL, SORT_NATURAL, NULL},
    {"VOLUMEBINDINGMODE", 0, SC_BINDING, NULL, SORT_NATURAL, NULL},
    {"ALLOWVOLUMEEXPANSION", 0, SC_EXPANSION, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const sc_aliases[] = {"sc", NULL};

const struct kind kind_storageclasses = {
    .group = "storage.k8s.io",
    .version = "v1",
    .resource = "storageclasses",
    .singular = "storageclass",
    .kind = "StorageClass",
    .namespaced = false,
    .aliases = sc_aliases,
    .columns = sc_columns,
    .ncolumns = sizeof sc_columns / sizeof sc_columns[0],
    .project = sc_project,
    .selector = -1,
    .caps = 0,
};
