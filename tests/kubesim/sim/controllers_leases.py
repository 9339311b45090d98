"""What a live kubelet keeps current on its node, as `kubectl describe node` shows it:

- the node Lease in `kube-node-lease` (holderIdentity = node name, leaseDurationSeconds 40, owned by the
  Node), created if missing and renewed every 10 s (a quarter of the lease duration, as the kubelet does);
- the Node's condition heartbeats (lastHeartbeatTime), reported every 5 minutes when nothing changes
  (the kubelet's nodeStatusReportFrequency).

Only Ready nodes do this: a NotReady node stands for a kubelet that stopped posting, so its lease and
heartbeats age, as on a real cluster. With --no-controllers nothing is renewed.

kubesim's watch history is one window for all kinds (a real apiserver keeps one per resource), so lease
writes must not crowd out everything else on big synthetic clusters: at most MAX_RENEWALS_PER_TICK
leases (the stalest) are renewed per 10 s tick, which is every lease for clusters up to that many nodes.
"""

import time
import zlib

from . import controllers, errors, util
from .resources import REGISTRY

LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION = 40
RENEW_INTERVAL = 10.0
STATUS_REPORT_INTERVAL = 300.0
MAX_RENEWALS_PER_TICK = 200


def lease_for(node, now):
    md = node.get("metadata") or {}
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": md.get("name"), "namespace": LEASE_NAMESPACE,
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": md.get("name"),
                                              "uid": md.get("uid")}]},
            "spec": {"holderIdentity": md.get("name"), "leaseDurationSeconds": LEASE_DURATION,
                     "renewTime": util.rfc3339_micro(now)}}


@controllers.register
class NodeLeaseController(controllers.Controller):
    name = "node-lease"
    watches = ("nodes",)
    interval = RENEW_INTERVAL

    def setup(self, mgr):
        self.last_report = {}   # node name -> time of the last heartbeat written

    def on_event(self, mgr, ev):
        if ev.type == "ADDED" and controllers.node_ready(ev.entry.obj):
            self._renew(mgr, ev.entry.obj, time.time())

    def tick(self, mgr, now):
        _, nodes = mgr.store.list_entries("nodes")
        ready = [e for e in nodes if controllers.node_ready(e.obj)]
        if len(ready) > MAX_RENEWALS_PER_TICK:
            def renewed(e):
                le = mgr.store.get_entry("coordination.k8s.io/leases", LEASE_NAMESPACE, e.name)
                t = util.parse_time(((le.obj.get("spec") or {}).get("renewTime")) if le is not None else None)
                return t or 0.0
            ready = sorted(ready, key=renewed)[:MAX_RENEWALS_PER_TICK]
        for e in ready:
            self._renew(mgr, e.obj, now)
        for e in nodes:
            if not controllers.node_ready(e.obj):
                continue
            last = self.last_report.get(e.name)
            if last is None:    # spread the nodes' reports over the interval, as independent kubelets are
                self.last_report[e.name] = now - zlib.crc32(e.name.encode()) % int(STATUS_REPORT_INTERVAL)
            elif now - last >= STATUS_REPORT_INTERVAL:
                self._heartbeat(mgr, e.name, now)
                self.last_report[e.name] = now

    def _renew(self, mgr, node, now):
        rt = REGISTRY.get("coordination.k8s.io", "v1", "leases")
        name = (node.get("metadata") or {}).get("name")
        if rt is None or not name:
            return
        if mgr.store.get_entry(rt.key, LEASE_NAMESPACE, name) is None:
            try:
                mgr.api.create(mgr.ctx, rt, LEASE_NAMESPACE, lease_for(node, now))
            except errors.ApiError:
                pass
            return

        def fn(lease):
            spec = lease.setdefault("spec", {})
            spec["renewTime"] = util.rfc3339_micro(now)
            spec.setdefault("holderIdentity", name)
            spec.setdefault("leaseDurationSeconds", LEASE_DURATION)
            return lease
        mgr.api.mutate(mgr.ctx, rt, LEASE_NAMESPACE, name, fn)

    @staticmethod
    def _heartbeat(mgr, name, now):
        ts = util.rfc3339(now)

        def fn(node):
            for c in (node.get("status") or {}).get("conditions") or []:
                if isinstance(c, dict):
                    c["lastHeartbeatTime"] = ts
            return node
        mgr.api.mutate(mgr.ctx, REGISTRY.core("nodes"), "", name, fn, subresource="status")
