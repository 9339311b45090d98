/* kind_persistentvolumes — volumes: CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS (the phase, or
 * Terminating), CLAIM as `ns/name`, STORAGECLASS, REASON and the wide VOLUMEMODE (`<unset>`), as
 * kubectl prints them; k9s's column set. Failed or Lost volumes are errors. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>
#include <string.h>

enum {
    PV_CAPACITY = OBJ_KIND0,
    PV_MODES,
    PV_RECLAIM,
    PV_STATUS,
    PV_CLAIM,
    PV_CLASS,
    PV_REASON,
    PV_VOLUMEMODE,
};

static void pv_project(const cJSON *pv, struct obj_builder *b)
{
    const cJSON *meta = json_get(pv, "metadata");
    const cJSON *spec = json_get(pv, "spec"), *status = json_get(pv, "status");
    bool deleting = kind_deleting(pv);
    const char *phase = json_strz(status, "phase");
    kind_put_quantity(b, json_get(json_get(spec, "capacity"), "storage"), "0");
    kind_put_access_modes(b, json_get(spec, "accessModes"));
    obj_builder_add(b, json_strz(spec, "persistentVolumeReclaimPolicy"));
    obj_builder_add(b, deleting ? "Terminating" : phase);
    const cJSON *claim = json_get(spec, "claimRef");
    if (cJSON_IsObject(claim))
        obj_builder_addf(b, "%s/%s", json_strz(claim, "namespace"), json_strz(claim, "name"));
    else
        obj_builder_add(b, "");
    /* The beta annotation wins over spec.storageClassName, as in kubectl. */
    const cJSON *beta =
        json_get(json_get(meta, "annotations"), "volume.beta.kubernetes.io/storage-class");
    obj_builder_add(b,
                    cJSON_IsString(beta) ? beta->valuestring : json_strz(spec, "storageClassName"));
    obj_builder_add(b, json_strz(status, "reason"));
    const char *mode = json_str(spec, "volumeMode");
    obj_builder_add(b, mode ? mode : "<unset>");
    if (deleting)
        b->state = OBJ_STATE_TERMINATING;
    else if (strcmp(phase, "Failed") == 0 || strcmp(phase, "Lost") == 0)
        b->state = OBJ_STATE_ERROR;
    else if (strcmp(phase, "Pending") == 0)
        b->state = OBJ_STATE_PENDING;
}

static const struct kind_column pv_columns[] = {
    COLUMN_NAME,
    {"CAPACITY", 0, PV_CAPACITY, NULL, SORT_QUANTITY, NULL},
    {"ACCESS MODES", 0, PV_MODES, NULL, SORT_NATURAL, NULL},
    {"RECLAIM POLICY", 0, PV_RECLAIM, NULL, SORT_NATURAL, NULL},
    {"STATUS", 0, PV_STATUS, NULL, SORT_NATURAL, NULL},
    {"CLAIM", 0, PV_CLAIM, NULL, SORT_NATURAL, NULL},
    {"STORAGECLASS", 0, PV_CLASS, NULL, SORT_NATURAL, NULL},
    {"REASON", 0, PV_REASON, NULL, SORT_NATURAL, NULL},
    {"VOLUMEMODE", COL_WIDE, PV_VOLUMEMODE, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const pv_aliases[] = {"pv", NULL};

const struct kind kind_persistentvolumes = {
    .group = "",
    .version = "v1",
    .resource = "persistentvolumes",
    .singular = "persistentvolume",
    .kind = "PersistentVolume",
    .namespaced = false,
    .aliases = pv_aliases,
    .columns = pv_columns,
    .ncolumns = sizeof pv_columns / sizeof pv_columns[0],
    .project = pv_project,
    .selector = -1,
    .caps = 0,
};
