/* libFuzzer target: config.yaml (global and per-context) parsing, and the edits of the labels
 * dialog (text typed by the user, checked before anything is sent). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "model/labeledit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c;
    config_init(&c);
    struct err e = {0};
    config_parse(&c, (const char *)data, size, "fuzz.yaml", &e);
    config_free(&c);
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = '\0';
    cJSON *edits = labeledit_parse(line, LABELEDIT_LABELS, NULL, &e);
    if (edits) {
        char *back = labeledit_format(edits);
        free(back);
        cJSON_Delete(edits);
    }
    cJSON_Delete(labeledit_parse(line, LABELEDIT_ANNOTATIONS, NULL, &e));
    free(line);
    return 0;
}
