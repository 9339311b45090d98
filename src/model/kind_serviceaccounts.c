/* kind_serviceaccounts — service accounts: SECRETS counts the listed secrets, as kubectl does. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum { SA_SECRETS = OBJ_KIND0 };

static void serviceaccounts_project(const cJSON *sa, struct obj_builder *b)
{
    obj_builder_addf(b, "%d", json_len(json_get(sa, "secrets")));
    if (kind_deleting(sa))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column serviceaccounts_columns[] = {
    COLUMN_NAMESPACE, COLUMN_NAME, {"SECRETS", 0, SA_SECRETS, NULL, SORT_NUMBER, NULL},
    COLUMN_LABELS,    COLUMN_AGE,
};

static const char *const serviceaccounts_aliases[] = {"sa", NULL};

const struct kind kind_serviceaccounts = {
    .group = "",
    .version = "v1",
    .resource = "serviceaccounts",
    .singular = "serviceaccount",
    .kind = "ServiceAccount",
    .namespaced = true,
    .aliases = serviceaccounts_aliases,
    .columns = serviceaccounts_columns,
    .ncolumns = sizeof serviceaccounts_columns / sizeof serviceaccounts_columns[0],
    .project = serviceaccounts_project,
    .selector = -1,
    .caps = 0,
};
