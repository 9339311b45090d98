/* discovery: aggregated (v2) and legacy documents, resolution of what users type. */
#include "test_util.h"

#include <string.h>

#include "client/discovery.h"

static const char aggregated[] =
    "{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"apidiscovery.k8s.io/v2\",\"items\":["
    "{\"metadata\":{\"name\":\"\"},\"versions\":[{\"version\":\"v1\",\"resources\":["
    "{\"resource\":\"pods\",\"singularResource\":\"pod\",\"scope\":\"Namespaced\","
    "\"responseKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"verbs\":[\"get\","
    "\"list\",\"watch\"],\"shortNames\":[\"po\"],\"categories\":[\"all\"],\"subresources\":["
    "{\"subresource\":\"log\",\"responseKind\":{\"kind\":\"Pod\"},\"verbs\":[\"get\"]},"
    "{\"subresource\":\"exec\",\"verbs\":[\"create\"]}]},"
    "{\"resource\":\"events\",\"singularResource\":\"event\",\"scope\":\"Namespaced\","
    "\"responseKind\":{\"kind\":\"Event\"},\"verbs\":[\"list\"],\"shortNames\":[\"ev\"]},"
    "{\"resource\":\"nokind\",\"scope\":\"Namespaced\",\"verbs\":[\"list\"]}]}]},"
    "{\"metadata\":{\"name\":\"apps\"},\"versions\":[{\"version\":\"v1\",\"resources\":["
    "{\"resource\":\"deployments\",\"singularResource\":\"deployment\",\"scope\":\"Namespaced\","
    "\"responseKind\":{\"kind\":\"Deployment\"},\"verbs\":[\"list\",\"patch\"],"
    "\"shortNames\":[\"deploy\"],\"subresources\":[{\"subresource\":\"scale\","
    "\"responseKind\":{\"kind\":\"Scale\"},\"verbs\":[\"patch\"]}]}]}]},"
    "{\"metadata\":{\"name\":\"events.k8s.io\"},\"versions\":[{\"version\":\"v1beta9\","
    "\"freshness\":\"Stale\",\"resources\":[]},{\"version\":\"v1\",\"resources\":["
    "{\"resource\":\"events\",\"singularResource\":\"event\",\"scope\":\"Namespaced\","
    "\"responseKind\":{\"kind\":\"Event\"},\"verbs\":[\"list\"],\"shortNames\":[\"ev\"]}]}]},"
    "{\"metadata\":{\"name\":\"example.com\"},\"versions\":[{\"version\":\"v1\",\"resources\":["
    "{\"resource\":\"widgets\",\"singularResource\":\"widget\",\"scope\":\"Cluster\","
    "\"responseKind\":{\"kind\":\"Widget\"},\"verbs\":[\"list\"],\"shortNames\":[\"wd\"]}]}]}"
    "]}";

static void test_aggregated(void **state)
{
    (void)state;
    struct discovery d = {0};
    assert_true(discovery_parse_aggregated(aggregated, strlen(aggregated), &d.res));
    assert_int_equal(d.res.len, 5); /* "nokind" has no responseKind and is dropped */
    const struct api_resource *r = discovery_resolve(&d, "po");
    assert_non_null(r);
    assert_string_equal(r->name, "pods");
    assert_true(r->namespaced);
    assert_true(api_resource_has_subresource(r, "log"));
    assert_false(api_resource_has_subresource(r, "exec")); /* no responseKind */
    assert_true(api_resource_has_verb(r, "watch"));
    /* Core events win over events.k8s.io, whose stale version was skipped for v1. */
    r = discovery_resolve(&d, "ev");
    assert_string_equal(r->group, "");
    r = discovery_resolve(&d, "events.events.k8s.io");
    assert_string_equal(r->group, "events.k8s.io");
    assert_string_equal(r->version, "v1");
    r = discovery_resolve(&d, "Deployment.apps");
    assert_string_equal(r->name, "deployments");
    assert_true(api_resource_has_subresource(r, "scale"));
    r = discovery_resolve(&d, "WIDGET");
    assert_false(r->namespaced);
    assert_non_null(discovery_resolve(&d, "widgets.v1.example.com"));
    assert_null(discovery_resolve(&d, "gadgets"));
    assert_true(discovery_serves(&d, "apps", "v1"));
    assert_false(discovery_serves(&d, "metrics.k8s.io", NULL));
    discovery_free(&d);
}

/* A group served in several versions: every version is kept; a name without a version means
 * the preferred (first listed, not stale) one, and "plural.version.group" names any. */
static void test_every_version(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"kind\":\"APIGroupDiscoveryList\",\"items\":[{\"metadata\":{\"name\":\"autoscaling\"},"
        "\"versions\":[{\"version\":\"v2\",\"resources\":[{\"resource\":"
        "\"horizontalpodautoscalers\",\"singularResource\":\"horizontalpodautoscaler\",\"scope\":"
        "\"Namespaced\",\"responseKind\":{\"kind\":\"HorizontalPodAutoscaler\"},\"verbs\":["
        "\"list\"],\"shortNames\":[\"hpa\"]}]},{\"version\":\"v1\",\"resources\":[{"
        "\"resource\":\"horizontalpodautoscalers\",\"singularResource\":"
        "\"horizontalpodautoscaler\",\"scope\":\"Namespaced\",\"responseKind\":{\"kind\":"
        "\"HorizontalPodAutoscaler\"},\"verbs\":[\"list\"],\"shortNames\":[\"hpa\"]}]},"
        "{\"version\":\"v2beta2\",\"freshness\":\"Stale\",\"resources\":[{\"resource\":"
        "\"horizontalpodautoscalers\",\"responseKind\":{\"kind\":\"HorizontalPodAutoscaler\"}}]}"
        "]}]}";
    struct discovery d = {0};
    assert_true(discovery_parse_aggregated(doc, strlen(doc), &d.res));
    assert_int_equal(d.res.len, 2); /* the stale version is not served */
    assert_string_equal(discovery_resolve(&d, "hpa")->version, "v2");
    assert_string_equal(discovery_resolve(&d, "horizontalpodautoscalers.autoscaling")->version,
                        "v2");
    assert_string_equal(discovery_resolve(&d, "horizontalpodautoscalers.v1.autoscaling")->version,
                        "v1");
    assert_null(discovery_resolve(&d, "horizontalpodautoscalers.v2beta2.autoscaling"));
    assert_true(discovery_serves(&d, "autoscaling", "v1"));
    discovery_free(&d);
}

static void test_legacy(void **state)
{
    (void)state;
    static const char list[] =
        "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
        "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
        "\"verbs\":[\"list\"],\"shortNames\":[\"po\"]},{\"name\":\"pods/log\",\"singularName\":"
        "\"\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\"]},{\"name\":\"nodes\","
        "\"singularName\":\"\",\"namespaced\":false,\"kind\":\"Node\",\"verbs\":[\"list\"]}]}";
    struct discovery d = {0};
    assert_true(discovery_parse_resource_list(list, strlen(list), "", "v1", &d.res));
    assert_int_equal(d.res.len, 2);
    assert_true(api_resource_has_subresource(discovery_resolve(&d, "pod"), "log"));
    assert_string_equal(discovery_resolve(&d, "node")->name, "nodes"); /* singular from kind */
    assert_false(discovery_parse_resource_list("[]", 2, "", "v1", &d.res));
    assert_false(discovery_parse_aggregated("{", 1, &d.res));
    discovery_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregated),
        cmocka_unit_test(test_every_version),
        cmocka_unit_test(test_legacy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
