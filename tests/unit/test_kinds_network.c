/* Network kinds (services, ingresses, networkpolicies): fixtures written from the API
 * reference, mapped through kind_project and the table to the exact cells kubectl's printers
 * give (EXTERNAL-IP per type, PORT(S), ingress HOSTS/ADDRESS/PORTS, pod selectors), k9s's wide
 * network policy summaries, typed sorting, row states, selectors and names. */
#include "kinds_check.h"

/* ---- services ------------------------------------------------------------------------------- */

static const char *const services[] = {
    META("net", "web", T_5M) ",'labels':{'app':'web'}},'spec':{'type':'ClusterIP','clusterIP':"
                             "'10.96.0.10','clusterIPs':['10.96.0.10'],'selector':{'tier':"
                             "'front','app':'web'},'ports':[{'name':'http','port':80,"
                             "'targetPort':8080,'protocol':'TCP'},{'name':'dns','port':53,"
                             "'protocol':'UDP'}]}}",
    /* externalIPs on a ClusterIP service; a port without its (defaulted) protocol. */
    META("net", "ext", T_1H) "},'spec':{'type':'ClusterIP','clusterIPs':['10.96.0.9'],"
                             "'externalIPs':['203.0.113.7','203.0.113.8'],'selector':{'app':'web'},"
                             "'ports':[{'port':443}]}}",
    META("net", "np", T_1D) "},'spec':{'type':'NodePort','clusterIPs':['10.96.0.100'],"
                            "'selector':{'app':'web'},'ports':[{'port':80,'nodePort':30080,"
                            "'protocol':'TCP'},{'port':443,'nodePort':30443,'protocol':'TCP'}]}}",
    META("net", "lb-pending", T_5M) "},'spec':{'type':'LoadBalancer','clusterIPs':['10.96.1.1'],"
                                    "'selector':{'app':'web'},'ports':[{'port':80,'nodePort':"
                                    "31000,'protocol':'TCP'}]},'status':{'loadBalancer':{}}}",
    /* Ingress points sorted and unique (IP, else hostname), then externalIPs; never cut. */
    META("net", "lb", T_7D) "},'spec':{'type':'LoadBalancer','clusterIPs':['10.96.1.2'],"
                            "'externalIPs':['198.51.100.1'],'selector':{'app':'web'},'ports':[{"
                            "'port':443,'nodePort':31443,'protocol':'TCP'}]},'status':{"
                            "'loadBalancer':{'ingress':[{'ip':'192.0.2.20'},{'hostname':"
                            "'lb.example.com'},{'ip':'192.0.2.10','hostname':'ignored.example'},"
                            "{'ip':'192.0.2.20'},{}]}}}",
    META("net", "lb-ext", T_1Y) "},'spec':{'type':'LoadBalancer','clusterIPs':['10.96.1.3'],"
                                "'externalIPs':['198.51.100.2'],'ports':[{'port':8080,"
                                "'protocol':'TCP'}]}}",
    META("net", "extname", T_1Y) "},'spec':{'type':'ExternalName','externalName':"
                                 "'db.example.com'}}",
    META("net", "headless", T_1Y) "},'spec':{'type':'ClusterIP','clusterIP':'None','clusterIPs':"
                                  "['None'],'selector':{'app':'db'},'ports':[{'port':5432,"
                                  "'protocol':'SCTP'}]}}",
    /* No type at all (never defaulted): kubectl's printer has no rule for it. */
    META("net", "untyped", T_1Y) "},'spec':{'clusterIPs':['10.96.2.1'],'ports':[]}}",
    META("net", "gone", T_1D) GONE "},'spec':{'type':'ClusterIP','clusterIPs':['10.96.2.2']}}",
    NULL,
};

static void test_services(void **state)
{
    (void)state;
    kt_identity("services", "", "v1", "service", "Service",
                (const char *const[]){"svc", "Service", "service", NULL});
    struct kt f;
    kt_load(&f, "services", services);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE",
                  "ext|ClusterIP|10.96.0.9|203.0.113.7,203.0.113.8|443/TCP|60m",
                  "extname|ExternalName|<none>|db.example.com|<none>|365d",
                  "gone|ClusterIP|10.96.2.2|<none>|<none>|24h",
                  "headless|ClusterIP|None|<none>|5432/SCTP|365d",
                  "lb|LoadBalancer|10.96.1.2|192.0.2.10,192.0.2.20,lb.example.com,198.51.100.1|"
                  "443:31443/TCP|7d",
                  "lb-ext|LoadBalancer|10.96.1.3|198.51.100.2|8080/TCP|365d",
                  "lb-pending|LoadBalancer|10.96.1.1|<pending>|80:31000/TCP|5m",
                  "np|NodePort|10.96.0.100|<none>|80:30080/TCP,443:30443/TCP|24h",
                  "untyped||10.96.2.1|<unknown>|<none>|365d",
                  "web|ClusterIP|10.96.0.10|<none>|80/TCP,53/UDP|5m",
                  NULL,
              });
    /* Oldest first; CLUSTER-IP and the selector in wide mode. */
    kt_expect(&f, true, true, "AGE", true,
              (const char *const[]){
                  "NAMESPACE|NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|SELECTOR|PORT(S)|LABELS|AGE",
                  "net|extname|ExternalName|<none>|db.example.com|<none>|<none>||365d",
                  "net|headless|ClusterIP|None|<none>|app=db|5432/SCTP||365d",
                  "net|lb-ext|LoadBalancer|10.96.1.3|198.51.100.2|<none>|8080/TCP||365d",
                  "net|untyped||10.96.2.1|<unknown>|<none>|<none>||365d",
                  "net|lb|LoadBalancer|10.96.1.2|192.0.2.10,192.0.2.20,lb.example.com,"
                  "198.51.100.1|app=web|443:31443/TCP||7d",
                  "net|gone|ClusterIP|10.96.2.2|<none>|<none>|<none>||24h",
                  "net|np|NodePort|10.96.0.100|<none>|app=web|80:30080/TCP,443:30443/TCP||24h",
                  "net|ext|ClusterIP|10.96.0.9|203.0.113.7,203.0.113.8|app=web|443/TCP||60m",
                  "net|lb-pending|LoadBalancer|10.96.1.1|<pending>|app=web|80:31000/TCP||5m",
                  "net|web|ClusterIP|10.96.0.10|<none>|app=web,tier=front|80/TCP,53/UDP|app=web|5m",
                  NULL,
              });
    /* IPs sort naturally: 10.96.0.9 before 10.96.0.10 before 10.96.0.100. */
    kt_expect(&f, false, false, "CLUSTER-IP", false,
              (const char *const[]){
                  "NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE",
                  "ext|ClusterIP|10.96.0.9|203.0.113.7,203.0.113.8|443/TCP|60m",
                  "web|ClusterIP|10.96.0.10|<none>|80/TCP,53/UDP|5m",
                  "np|NodePort|10.96.0.100|<none>|80:30080/TCP,443:30443/TCP|24h",
                  "lb-pending|LoadBalancer|10.96.1.1|<pending>|80:31000/TCP|5m",
                  "lb|LoadBalancer|10.96.1.2|192.0.2.10,192.0.2.20,lb.example.com,198.51.100.1|"
                  "443:31443/TCP|7d",
                  "lb-ext|LoadBalancer|10.96.1.3|198.51.100.2|8080/TCP|365d",
                  "untyped||10.96.2.1|<unknown>|<none>|365d",
                  "gone|ClusterIP|10.96.2.2|<none>|<none>|24h",
                  "extname|ExternalName|<none>|db.example.com|<none>|365d",
                  "headless|ClusterIP|None|<none>|5432/SCTP|365d",
                  NULL,
              });
    kt_state(&f, "web", OBJ_STATE_OK);
    kt_state(&f, "lb-pending", OBJ_STATE_PENDING);
    kt_state(&f, "lb", OBJ_STATE_OK);
    kt_state(&f, "lb-ext", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    /* The drill-down follows spec.selector; a service without one selects no pods. */
    assert_string_equal(kt_selector(&f, "web"), "app=web,tier=front");
    assert_string_equal(kt_selector(&f, "extname"), "<none>");
    assert_int_equal(f.k->caps, KIND_LOGS);
    kt_free(&f);
}

/* ---- ingresses ------------------------------------------------------------------------------ */

static const char *const ingresses[] = {
    META("net", "shop", T_1D) "},'spec':{'ingressClassName':'nginx','tls':[{'hosts':["
                              "'shop.example.com'],'secretName':'shop-tls'}],'rules':[{'host':"
                              "'shop.example.com'}]},'status':{'loadBalancer':{'ingress':[{"
                              "'ip':'192.0.2.30'},{'hostname':'ingress.example.com'}]}}}",
    /* Three hosts shown; "+ N more" counts the rules after the third, host or not. */
    META("net", "many", T_7D) "},'spec':{'ingressClassName':'traefik','rules':[{'host':"
                              "'a.example.com'},{'host':'b.example.com'},{'http':{}},{'host':"
                              "'c.example.com'},{'host':'d.example.com'},{'host':"
                              "'e.example.com'}]}}",
    META("net", "three", T_1H) "},'spec':{'ingressClassName':'nginx','rules':[{'host':'x.io'},{"
                               "'host':'y.io'},{'host':'z.io'}]},'status':{'loadBalancer':{"
                               "'ingress':[{'ip':'192.0.2.9'},{'ip':'192.0.2.10'},{'ip':"
                               "'192.0.2.9'}]}}}",
    META("net", "catch-all", T_1Y) "},'spec':{'defaultBackend':{'service':{'name':'web','port':{"
                                   "'number':80}}}}}",
    META("net", "hostless", T_5M) "},'spec':{'ingressClassName':'','rules':[{'http':{}},{'host':"
                                  "'only.example.com'}],'tls':[]}}",
    META("net", "gone", T_1D) GONE "},'spec':{'ingressClassName':'nginx'}}",
    NULL,
};

static void test_ingresses(void **state)
{
    (void)state;
    kt_identity("ingresses", "networking.k8s.io", "v1", "ingress", "Ingress",
                (const char *const[]){"ing", "Ingress", "ingresses.networking.k8s.io", NULL});
    struct kt f;
    kt_load(&f, "ingresses", ingresses);
    kt_expect(&f, false, true, NULL, false,
              (const char *const[]){
                  "NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE",
                  "catch-all|<none>|*||80|365d",
                  "gone|nginx|*||80|24h",
                  "hostless||only.example.com||80|5m",
                  "many|traefik|a.example.com,b.example.com,c.example.com + 3 more...||80|7d",
                  "shop|nginx|shop.example.com|192.0.2.30,ingress.example.com|80, 443|24h",
                  "three|nginx|x.io,y.io,z.io|192.0.2.10,192.0.2.9|80|60m",
                  NULL,
              });
    kt_expect(&f, true, false, "AGE", false,
              (const char *const[]){
                  "NAMESPACE|NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE",
                  "net|hostless||only.example.com||80|5m",
                  "net|three|nginx|x.io,y.io,z.io|192.0.2.10,192.0.2.9|80|60m",
                  "net|gone|nginx|*||80|24h",
                  "net|shop|nginx|shop.example.com|192.0.2.30,ingress.example.com|80, 443|24h",
                  "net|many|traefik|a.example.com,b.example.com,c.example.com + 3 more...||80|7d",
                  "net|catch-all|<none>|*||80|365d",
                  NULL,
              });
    kt_state(&f, "shop", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_int_equal(f.k->selector, -1);
    kt_free(&f);
}

/* ---- networkpolicies ------------------------------------------------------------------------ */

static const char *const networkpolicies[] = {
    META("net", "deny-all", T_1Y) "},'spec':{'podSelector':{},'policyTypes':['Ingress',"
                                  "'Egress']}}",
    META("net", "web", T_1D) ",'labels':{'team':'web'}},'spec':{'podSelector':{'matchLabels':{"
                             "'app':'web'},'matchExpressions':[{'key':'tier','operator':'In',"
                             "'values':['front','edge']}]},'policyTypes':['Ingress','Egress'],"
                             "'ingress':[{'from':[{'namespaceSelector':{'matchLabels':{'team':"
                             "'shop'}},'podSelector':{'matchLabels':{'role':'front'}}},{"
                             "'podSelector':{}},{'ipBlock':{'cidr':'10.0.0.0/8','except':["
                             "'10.1.0.0/16','10.2.0.0/16','10.3.0.0/16']}}],'ports':[{"
                             "'protocol':'TCP','port':80},{'protocol':'TCP','port':8000,"
                             "'endPort':8080}]}],'egress':[{'to':[{'ipBlock':{'cidr':"
                             "'0.0.0.0/0'}}],'ports':[{'protocol':'UDP','port':53},{'port':"
                             "'dns-tcp'}]},{'to':[{'namespaceSelector':{}}]}]}}",
    META("net", "no-spec", T_5M) "}}",
    META("net", "sctp", T_1H) "},'spec':{'podSelector':{'matchExpressions':[{'key':'app',"
                              "'operator':'Exists'}]},'ingress':[{'ports':[{'protocol':"
                              "'SCTP'}]},{'from':[{'ipBlock':{'cidr':'192.168.0.0/16','except':"
                              "['192.168.1.0/24','192.168.2.0/24']}},{'ipBlock':{'cidr':"
                              "'172.16.0.0/12'}}]}]}}",
    META("net", "gone", T_1D) GONE "},'spec':{'podSelector':{'matchLabels':{'app':'old'}}}}",
    NULL,
};

static void test_networkpolicies(void **state)
{
    (void)state;
    kt_identity("networkpolicies", "networking.k8s.io", "v1", "networkpolicy", "NetworkPolicy",
                (const char *const[]){"netpol", "np", "NetworkPolicy", NULL});
    struct kt f;
    kt_load(&f, "networkpolicies", networkpolicies);
    kt_expect(&f, false, false, "POD-SELECTOR", false,
              (const char *const[]){
                  "NAME|POD-SELECTOR|AGE",
                  "deny-all|<none>|365d",
                  "no-spec|<none>|5m",
                  "sctp|app|60m",
                  "gone|app=old|24h",
                  "web|app=web,tier in (edge,front)|24h",
                  NULL,
              });
    kt_expect(&f, true, true, NULL, false,
              (const char *const[]){
                  "NAMESPACE|NAME|POD-SELECTOR|ING-SELECTOR|ING-PORTS|ING-BLOCK|EGR-SELECTOR|"
                  "EGR-PORTS|EGR-BLOCK|LABELS|AGE",
                  "net|deny-all|<none>||||||||365d",
                  "net|gone|app=old||||||||24h",
                  "net|no-spec|<none>||||||||5m",
                  "net|sctp|app||SCTP:*|192.168.0.0/16[192.168.1.0/24,192.168.2.0/24],"
                  "172.16.0.0/12|||||60m",
                  "net|web|app=web,tier in (edge,front)|ns:team=shop po:role=front; po:*|"
                  "TCP:80,TCP:8000-8080|10.0.0.0/8[10.1.0.0/16,10.2.0.0/16...]|ns:*|"
                  "UDP:53,TCP:dns-tcp|0.0.0.0/0|team=web|24h",
                  NULL,
              });
    kt_state(&f, "web", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_int_equal(f.k->selector, -1);
    kt_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_ingresses),
        cmocka_unit_test(test_networkpolicies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
