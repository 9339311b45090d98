/* libFuzzer target: kubeconfig YAML loading, merging and context resolution. */
#include <stddef.h>
#include <stdint.h>

#include "client/kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kubeconfig kc = {0};
    struct err e = {0};
    if (kubeconfig_load_buffer(&kc, "/nonexistent/fuzz.yaml", (const char *)data, size, &e)) {
        for (size_t i = 0; i < kc.contexts.len; i++) {
            struct kube_conn c;
            if (kubeconfig_resolve(&kc, kc.contexts.v[i].name, NULL, &c, &e))
                kube_conn_free(&c);
        }
        struct kube_conn c;
        if (kubeconfig_resolve(&kc, NULL, "ns", &c, &e))
            kube_conn_free(&c);
    }
    kubeconfig_free(&kc);
    return 0;
}
