/* kind_namespaces — namespaces: STATUS is the phase, as kubectl prints it; k9s's columns. A
 * namespace being deleted is terminating; one in any phase but Active is an error (k9s's
 * "namespace not ready"). */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>
#include <string.h>

enum { NS_STATUS = OBJ_KIND0 };

static void namespaces_project(const cJSON *ns, struct obj_builder *b)
{
    const char *phase = json_strz(json_get(ns, "status"), "phase");
    obj_builder_add(b, phase);
    if (strcmp(phase, "Terminating") == 0 || kind_deleting(ns))
        b->state = OBJ_STATE_TERMINATING;
    else if (strcmp(phase, "Active") != 0)
        b->state = OBJ_STATE_ERROR;
}

static const struct kind_column namespaces_columns[] = {
    COLUMN_NAME,
    {"STATUS", 0, NS_STATUS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const namespaces_aliases[] = {"ns", NULL};

const struct kind kind_namespaces = {
    .group = "",
    .version = "v1",
    .resource = "namespaces",
    .singular = "namespace",
    .kind = "Namespace",
    .namespaced = false,
    .aliases = namespaces_aliases,
    .columns = namespaces_columns,
    .ncolumns = sizeof namespaces_columns / sizeof namespaces_columns[0],
    .project = namespaces_project,
    .selector = -1,
    .caps = 0,
};
