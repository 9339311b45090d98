/* Config kinds (configmaps, secrets, serviceaccounts): fixtures written from the API reference,
 * mapped through kind_project and the table to the exact cells kubectl prints (DATA counts,
 * secret TYPE, SECRETS counts), typed sorting, row states and names; and no secret value ever
 * reaches the store. */
#include "kinds_check.h"

/* ---- configmaps ----------------------------------------------------------------------------- */

static const char *const configmaps[] = {
    /* DATA counts data and binaryData keys together. */
    META("cfg", "app", T_1D) ",'labels':{'app':'x'}},'data':{'a.yaml':'x: 1','b.yaml':'y: 2',"
                             "'LOG_LEVEL':'debug'},'binaryData':{'logo.png':'iVBORw0KGgo='}}",
    META("cfg", "empty", T_5M) "}}",
    META("cfg", "empty-maps", T_5M) "},'data':{},'binaryData':{}}",
    META("cfg", "binary", T_1H) "},'binaryData':{'blob':'AAEC'}}",
    META("cfg", "settings-12", T_1Y) "},'data':{'k1':'v','k2':'v','k3':'v','k4':'v','k5':'v',"
                                     "'k6':'v','k7':'v','k8':'v','k9':'v','k10':'v','k11':'v',"
                                     "'k12':'v'}}",
    META("cfg", "gone", T_1D) GONE "},'data':{'a':'b'}}",
    NULL,
};

static void test_configmaps(void **state)
{
    (void)state;
    kt_identity("configmaps", "", "v1", "configmap", "ConfigMap",
                (const char *const[]){"cm", "ConfigMap", NULL});
    struct kt f;
    kt_load(&f, "configmaps", configmaps);
    kt_expect(&f, true, true, NULL, false,
              (const char *const[]){
                  "NAMESPACE|NAME|DATA|AGE",
                  "cfg|app|4|24h",
                  "cfg|binary|1|60m",
                  "cfg|empty|0|5m",
                  "cfg|empty-maps|0|5m",
                  "cfg|gone|1|24h",
                  "cfg|settings-12|12|365d",
                  NULL,
              });
    kt_expect(&f, false, false, "DATA", true,
              (const char *const[]){
                  "NAME|DATA|AGE",
                  "settings-12|12|365d",
                  "app|4|24h",
                  "binary|1|60m",
                  "gone|1|24h",
                  "empty|0|5m",
                  "empty-maps|0|5m",
                  NULL,
              });
    kt_state(&f, "app", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_int_equal(f.k->selector, -1);
    kt_free(&f);
}

/* ---- secrets -------------------------------------------------------------------------------- */

#define VALUE_B64 "czNjcjN0LXZhbHVl" /* "s3cr3t-value" */

static const char *const secrets[] = {
    META("cfg", "db", T_1D) "},'type':'Opaque','data':{'username':'YWRtaW4=','password':'" VALUE_B64
                            "'}}",
    META("cfg", "tls", T_1H) "},'type':'kubernetes.io/tls','data':{'tls.crt':'" VALUE_B64 "',"
                             "'tls.key':'" VALUE_B64 "','ca.crt':'" VALUE_B64 "'}}",
    META("cfg", "registry", T_1Y) "},'type':'kubernetes.io/dockerconfigjson','data':{"
                                  "'.dockerconfigjson':'e30='}}",
    META("cfg", "empty", T_5M) "},'type':'Opaque'}",
    /* stringData is write-only; the server merges it into data. Only data counts. */
    META("cfg", "untyped", T_5M) "},'stringData':{'plain':'s3cr3t-value'}}",
    META("cfg", "token", T_1Y) GONE "},'type':'kubernetes.io/service-account-token','data':{"
                                    "'token':'" VALUE_B64
                                    "','namespace':'Y2Zn','ca.crt':'" VALUE_B64 "'}}",
    NULL,
};

static void test_secrets(void **state)
{
    (void)state;
    kt_identity("secrets", "", "v1", "secret", "Secret",
                (const char *const[]){"sec", "Secret", NULL});
    struct kt f;
    kt_load(&f, "secrets", secrets);
    kt_expect(&f, true, true, NULL, false,
              (const char *const[]){
                  "NAMESPACE|NAME|TYPE|DATA|AGE",
                  "cfg|db|Opaque|2|24h",
                  "cfg|empty|Opaque|0|5m",
                  "cfg|registry|kubernetes.io/dockerconfigjson|1|365d",
                  "cfg|tls|kubernetes.io/tls|3|60m",
                  "cfg|token|kubernetes.io/service-account-token|3|365d",
                  "cfg|untyped||0|5m",
                  NULL,
              });
    kt_expect(&f, false, false, "TYPE", false,
              (const char *const[]){
                  "NAME|TYPE|DATA|AGE",
                  "untyped||0|5m",
                  "db|Opaque|2|24h",
                  "empty|Opaque|0|5m",
                  "registry|kubernetes.io/dockerconfigjson|1|365d",
                  "token|kubernetes.io/service-account-token|3|365d",
                  "tls|kubernetes.io/tls|3|60m",
                  NULL,
              });
    kt_state(&f, "db", OBJ_STATE_OK);
    kt_state(&f, "token", OBJ_STATE_TERMINATING);
    /* No string of any stored secret holds a value, encoded or not, or a key name. */
    for (size_t i = 0; i < store_len(&f.s); i++) {
        const struct obj *o = store_at(&f.s, i);
        for (unsigned s = 0; s < o->nstr; s++) {
            const char *str = obj_str(o, s);
            if (strstr(str, VALUE_B64) || strstr(str, "s3cr3t") || strstr(str, "password") ||
                strstr(str, "YWRtaW4="))
                fail_msg("secret %s keeps \"%s\"", obj_str(o, OBJ_NAME), str);
        }
    }
    assert_int_equal(f.k->selector, -1);
    kt_free(&f);
}

/* ---- serviceaccounts ------------------------------------------------------------------------ */

static const char *const serviceaccounts[] = {
    META("cfg", "builder", T_1D) ",'labels':{'app':'ci'}},'secrets':[{'name':'builder-token'},{"
                                 "'name':'registry'}],'imagePullSecrets':[{'name':'registry'}]}",
    META("cfg", "default", T_5M) "}}",
    META("cfg", "empty-list", T_1H) "},'secrets':[]}",
    META("cfg", "gone", T_1Y) GONE "},'secrets':[{'name':'a'}]}",
    NULL,
};

static void test_serviceaccounts(void **state)
{
    (void)state;
    kt_identity("serviceaccounts", "", "v1", "serviceaccount", "ServiceAccount",
                (const char *const[]){"sa", "ServiceAccount", NULL});
    struct kt f;
    kt_load(&f, "serviceaccounts", serviceaccounts);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|SECRETS|AGE",
                  "builder|2|24h",
                  "default|0|5m",
                  "empty-list|0|60m",
                  "gone|1|365d",
                  NULL,
              });
    kt_expect(&f, true, true, "SECRETS", true,
              (const char *const[]){
                  "NAMESPACE|NAME|SECRETS|LABELS|AGE",
                  "cfg|builder|2|app=ci|24h",
                  "cfg|gone|1||365d",
                  "cfg|default|0||5m",
                  "cfg|empty-list|0||60m",
                  NULL,
              });
    kt_state(&f, "builder", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    kt_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_configmaps),
        cmocka_unit_test(test_secrets),
        cmocka_unit_test(test_serviceaccounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
