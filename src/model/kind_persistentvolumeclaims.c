/* kind_persistentvolumeclaims — claims: STATUS (the phase, or Terminating), VOLUME, CAPACITY and
 * ACCESS MODES (shown only once the claim names a volume) and STORAGECLASS, as kubectl prints
 * them; k9s's column set. Pending claims are pending, Lost or unbound ones are errors. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>
#include <string.h>

enum { PVC_STATUS = OBJ_KIND0, PVC_VOLUME, PVC_CAPACITY, PVC_MODES, PVC_CLASS };

static void pvc_project(const cJSON *pvc, struct obj_builder *b)
{
    const cJSON *meta = json_get(pvc, "metadata");
    const cJSON *spec = json_get(pvc, "spec"), *status = json_get(pvc, "status");
    bool deleting = kind_deleting(pvc);
    const char *phase = json_strz(status, "phase");
    obj_builder_add(b, deleting ? "Terminating" : phase);
    const char *volume = json_strz(spec, "volumeName");
    obj_builder_add(b, volume);
    if (volume[0]) {
        kind_put_quantity(b, json_get(json_get(status, "capacity"), "storage"), "0");
        kind_put_access_modes(b, json_get(status, "accessModes"));
    } else {
        obj_builder_add(b, "");
        obj_builder_add(b, "");
    }
    /* The beta annotation wins over spec.storageClassName, as in kubectl. */
    const cJSON *beta =
        json_get(json_get(meta, "annotations"), "volume.beta.kubernetes.io/storage-class");
    obj_builder_add(b,
                    cJSON_IsString(beta) ? beta->valuestring : json_strz(spec, "storageClassName"));
    if (deleting)
        b->state = OBJ_STATE_TERMINATING;
    else if (strcmp(phase, "Bound") == 0)
        b->state = OBJ_STATE_OK;
    else if (strcmp(phase, "Pending") == 0)
        b->state = OBJ_STATE_PENDING;
    else
        b->state = OBJ_STATE_ERROR; /* Lost, or no phase at all */
}

static const struct kind_column pvc_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"STATUS", 0, PVC_STATUS, NULL, SORT_NATURAL, NULL},
    {"VOLUME", 0, PVC_VOLUME, NULL, SORT_NATURAL, NULL},
    {"CAPACITY", 0, PVC_CAPACITY, NULL, SORT_QUANTITY, NULL},
    {"ACCESS MODES", 0, PVC_MODES, NULL, SORT_NATURAL, NULL},
    {"STORAGECLASS", 0, PVC_CLASS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const pvc_aliases[] = {"pvc", NULL};

const struct kind kind_persistentvolumeclaims = {
    .group = "",
    .version = "v1",
    .resource = "persistentvolumeclaims",
    .singular = "persistentvolumeclaim",
    .kind = "PersistentVolumeClaim",
    .namespaced = true,
    .aliases = pvc_aliases,
    .columns = pvc_columns,
    .ncolumns = sizeof pvc_columns / sizeof pvc_columns[0],
    .project = pvc_project,
    .selector = -1,
    .caps = 0,
};
