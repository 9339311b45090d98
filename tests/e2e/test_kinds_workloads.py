"""`timon get` for deployments, replicasets, statefulsets, daemonsets, jobs and cronjobs agrees
with `kubectl get` on every column both show (normal and wide, one namespace and all), against
one kubesim loaded with fixtures/kinds-workloads.yaml (statuses frozen: --no-controllers)."""
import os

import pytest

from conftest import FIXTURES
from kinds_diff import check_aliases, check_all_namespaces, check_namespace, serve

FIXTURE = os.path.join(FIXTURES, "kinds-workloads.yaml")

# kind: (timon's columns, timon's wide columns, shared with kubectl, shared with kubectl -o wide)
KINDS = {
    "deployments": (
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "LABELS", "AGE"],
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    ),
    "replicasets": (
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "CONTAINERS", "IMAGES", "SELECTOR", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "CONTAINERS", "IMAGES", "SELECTOR", "AGE"],
    ),
    "statefulsets": (
        ["NAME", "READY", "SERVICE", "AGE"],
        ["NAME", "READY", "SELECTOR", "SERVICE", "CONTAINERS", "IMAGES", "LABELS", "AGE"],
        ["NAME", "READY", "AGE"],
        ["NAME", "READY", "CONTAINERS", "IMAGES", "AGE"],
    ),
    "daemonsets": (
        ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "LABELS", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    ),
    "jobs": (
        ["NAME", "COMPLETIONS", "DURATION", "AGE"],
        ["NAME", "COMPLETIONS", "DURATION", "SELECTOR", "CONTAINERS", "IMAGES", "AGE"],
        ["NAME", "COMPLETIONS", "DURATION", "AGE"],
        ["NAME", "COMPLETIONS", "DURATION", "SELECTOR", "CONTAINERS", "IMAGES", "AGE"],
    ),
    "cronjobs": (
        ["NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
        ["NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "SELECTOR", "CONTAINERS",
         "IMAGES", "LABELS", "AGE"],
        ["NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
        ["NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "SELECTOR", "CONTAINERS",
         "IMAGES", "AGE"],
    ),
}

# Cells the fixture exists for: each rule of kubectl's printers is really exercised.
SPOT = {
    ("deployments", "rolling"): {"READY": "4/4", "UP-TO-DATE": "2", "AVAILABLE": "3"},
    ("deployments", "broken"): {"READY": "0/2", "AVAILABLE": "0"},
    ("deployments", "scaled-to-zero"): {"READY": "0/0"},
    ("replicasets", "web-old"): {"SELECTOR": "app=web,!canary,env notin (dev,prod),team"},
    ("replicasets", "web-5d8f7c9b4"): {"CONTAINERS": "nginx,sidecar",
                                       "IMAGES": "nginx:1.27,envoy:1.30"},
    ("statefulsets", "db"): {"READY": "2/3", "SERVICE": "db-headless"},
    ("statefulsets", "cache"): {"SERVICE": "<none>"},
    ("daemonsets", "node-exporter"): {"DESIRED": "5", "UP-TO-DATE": "3"},
    ("jobs", "queue"): {"COMPLETIONS": "1/1 of 4"},
    ("jobs", "migrate"): {"COMPLETIONS": "3/3", "DURATION": "2m5s", "SELECTOR": "app=migrate"},
    ("jobs", "long-ago"): {"DURATION": "2d3h"},
    ("jobs", "suspended"): {"DURATION": ""},
    ("cronjobs", "backup"): {"SUSPEND": "False", "ACTIVE": "2"},
    ("cronjobs", "report"): {"SUSPEND": "True", "LAST SCHEDULE": "<none>", "SELECTOR": "<none>",
                             "CONTAINERS": "report,mailer"},
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("wide", [False, True], ids=["table", "wide"])
def test_namespace(sim, kind, wide):
    check_namespace(sim, KINDS, SPOT, kind, "wl", wide)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_all_namespaces(sim, kind):
    rows = check_all_namespaces(sim, KINDS, kind)
    namespaces = {ns for ns, _ in rows}
    assert "wl" in namespaces
    if kind in ("deployments", "cronjobs"):
        assert "wl-other" in namespaces  # the fixture spreads these over two namespaces


def test_aliases(sim):
    """kubectl's short names and k9s's extra aliases list the same objects."""
    check_aliases(sim, "wl", [("deploy", "deployments"), ("dp", "deployments"),
                              ("rs", "replicasets"), ("sts", "statefulsets"), ("ds", "daemonsets"),
                              ("jo", "jobs"), ("job", "jobs"), ("cj", "cronjobs")])
