/* kind_poddisruptionbudgets — PDBs: MIN AVAILABLE and MAX UNAVAILABLE (an int or a percentage,
 * `N/A` when unset) and ALLOWED DISRUPTIONS as kubectl prints them, with k9s's CURRENT, DESIRED
 * and EXPECTED (healthy pods now, healthy pods needed, pods counted). A budget with fewer healthy
 * pods than it needs is an error. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum {
    PDB_MIN = OBJ_KIND0,
    PDB_MAX,
    PDB_ALLOWED,
    PDB_CURRENT,
    PDB_DESIRED,
    PDB_EXPECTED,
};

/* intstr.IntOrString.String(), or "N/A" when the field is unset. */
static void put_int_or_string(struct obj_builder *b, const cJSON *v)
{
    if (cJSON_IsNumber(v))
        obj_builder_addf(b, "%d", v->valueint); /* an int32; cJSON saturates it */
    else if (cJSON_IsString(v))
        obj_builder_add(b, v->valuestring);
    else
        obj_builder_add(b, "N/A");
}

static void pdb_project(const cJSON *pdb, struct obj_builder *b)
{
    const cJSON *spec = json_get(pdb, "spec"), *status = json_get(pdb, "status");
    put_int_or_string(b, json_get(spec, "minAvailable"));
    put_int_or_string(b, json_get(spec, "maxUnavailable"));
    kind_put_int(b, status, "disruptionsAllowed", "0");
    kind_put_int(b, status, "currentHealthy", "0");
    kind_put_int(b, status, "desiredHealthy", "0");
    kind_put_int(b, status, "expectedPods", "0");
    if (kind_deleting(pdb))
        b->state = OBJ_STATE_TERMINATING;
    else if (json_int(status, "currentHealthy", 0) < json_int(status, "desiredHealthy", 0))
        b->state = OBJ_STATE_ERROR;
}

static const struct kind_column pdb_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"MIN AVAILABLE", 0, PDB_MIN, NULL, SORT_NUMBER, NULL},
    {"MAX UNAVAILABLE", 0, PDB_MAX, NULL, SORT_NUMBER, NULL},
    {"ALLOWED DISRUPTIONS", 0, PDB_ALLOWED, NULL, SORT_NUMBER, NULL},
    {"CURRENT", 0, PDB_CURRENT, NULL, SORT_NUMBER, NULL},
    {"DESIRED", 0, PDB_DESIRED, NULL, SORT_NUMBER, NULL},
    {"EXPECTED", 0, PDB_EXPECTED, NULL, SORT_NUMBER, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const pdb_aliases[] = {"pdb", NULL};

const struct kind kind_poddisruptionbudgets = {
    .group = "policy",
    .version = "v1",
    .resource = "poddisruptionbudgets",
    .singular = "poddisruptionbudget",
    .kind = "PodDisruptionBudget",
    .namespaced = true,
    .aliases = pdb_aliases,
    .columns = pdb_columns,
    .ncolumns = sizeof pdb_columns / sizeof pdb_columns[0],
    .project = pdb_project,
    .selector = -1,
    .caps = 0,
};
