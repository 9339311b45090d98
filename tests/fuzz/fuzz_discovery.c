/* libFuzzer target: discovery documents (aggregated and legacy) and resolution against them. */
#include <stddef.h>
#include <stdint.h>

#include "client/discovery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct discovery d = {0};
    discovery_parse_aggregated((const char *)data, size, &d.res);
    discovery_parse_resource_list((const char *)data, size, "g", "v1", &d.res);
    static const char *const words[] = {"po", "pods", "Pod", "deploy.apps", "x.v1.g", ""};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        discovery_resolve(&d, words[i]);
    discovery_free(&d);
    return 0;
}
