"""Defaulting of storage kinds as the 1.32 apiserver does it (SetDefaults_* and the create strategies):

- PersistentVolume: reclaim policy Retain, volumeMode Filesystem, status.phase Pending with its
  lastPhaseTransitionTime;
- PersistentVolumeClaim: volumeMode Filesystem, status.phase Pending;
- StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate.
"""

from . import util
from .resources import REGISTRY

PVS = REGISTRY.core("persistentvolumes")
PVCS = REGISTRY.core("persistentvolumeclaims")
SCS = REGISTRY.get("storage.k8s.io", "v1", "storageclasses")


def _pv_defaults(ctx, obj, old=None):
    spec = obj.get("spec")
    if isinstance(spec, dict):
        spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
        spec.setdefault("volumeMode", "Filesystem")


def _pv_create(ctx, obj):
    _pv_defaults(ctx, obj)
    st = obj.get("status")
    if not isinstance(st, dict) or not st.get("phase"):
        obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": util.rfc3339()}


def _pvc_defaults(ctx, obj, old=None):
    spec = obj.get("spec")
    if isinstance(spec, dict):
        spec.setdefault("volumeMode", "Filesystem")


def _pvc_create(ctx, obj):
    _pvc_defaults(ctx, obj)
    st = obj.get("status")
    if not isinstance(st, dict) or not st.get("phase"):
        obj["status"] = {"phase": "Pending"}


def _sc_defaults(ctx, obj, old=None):
    obj.setdefault("reclaimPolicy", "Delete")
    obj.setdefault("volumeBindingMode", "Immediate")


PVS.add_hook("prepare_create", _pv_create)
PVS.add_hook("prepare_update", _pv_defaults)
PVCS.add_hook("prepare_create", _pvc_create)
PVCS.add_hook("prepare_update", _pvc_defaults)
if SCS is not None:
    SCS.add_hook("prepare_create", _sc_defaults)
    SCS.add_hook("prepare_update", _sc_defaults)
