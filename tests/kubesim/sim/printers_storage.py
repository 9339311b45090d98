"""Table printers for storage kinds, as the 1.32 apiserver prints them: persistentvolumes,
persistentvolumeclaims, storageclasses (plus csidrivers, csinodes, volumeattachments and
volumeattributesclasses when some module registers those kinds).
"""

from .printers_common import access_modes, age_of, d, name_of, quantity_string
from .tables import col, register_printer

BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"

# ---- persistentvolumes -----------------------------------------------------------------------------

PV_COLUMNS = [
    col("Name", format="name"),
    col("Capacity", description="capacity is the description of the persistent volume's resources and capacity."),
    col("Access Modes", description="accessModes contains all ways the volume can be mounted."),
    col("Reclaim Policy", description="persistentVolumeReclaimPolicy defines what happens to a persistent volume "
                                      "when released from its claim."),
    col("Status", description="phase indicates if a volume is available, bound to a claim, or released by a claim."),
    col("Claim", description="claimRef is part of a bi-directional binding between PersistentVolume and "
                             "PersistentVolumeClaim."),
    col("StorageClass", description="StorageClass of the pv"),
    col("VolumeAttributesClass", description="VolumeAttributesClass of the pv"),
    col("Reason", description="reason is a brief CamelCase string that describes any failure and is meant for "
                              "machine parsing and tidy display in the CLI."),
    col("Age"),
    col("VolumeMode", priority=1, description="volumeMode defines if a volume is intended to be used with a "
                                              "formatted filesystem or to remain in raw block state."),
]


def _annotations(obj):
    a = (obj.get("metadata") or {}).get("annotations")
    return a if isinstance(a, dict) else {}


def pv_class(obj):
    ann = _annotations(obj)
    if BETA_CLASS_ANNOTATION in ann:
        return str(ann[BETA_CLASS_ANNOTATION])
    return str(d(obj, "spec", "storageClassName") or "")


def pvc_class(obj):
    return pv_class(obj)


def pv_row(obj, now):
    spec = obj.get("spec") or {}
    claim = ""
    ref = spec.get("claimRef")
    if isinstance(ref, dict):
        claim = "%s/%s" % (ref.get("namespace") or "", ref.get("name") or "")
    phase = d(obj, "status", "phase") or ""
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        phase = "Terminating"
    cap = spec.get("capacity") if isinstance(spec.get("capacity"), dict) else {}
    vac = spec.get("volumeAttributesClassName")
    vm = spec.get("volumeMode")
    return [name_of(obj), quantity_string(cap.get("storage")), access_modes(spec.get("accessModes")),
            str(spec.get("persistentVolumeReclaimPolicy") or ""), str(phase), claim, pv_class(obj),
            "<unset>" if vac is None else str(vac), str(d(obj, "status", "reason") or ""), age_of(obj, now),
            "<unset>" if vm is None else str(vm)]


register_printer("persistentvolumes", PV_COLUMNS, pv_row)

# ---- persistentvolumeclaims --------------------------------------------------------------------------

PVC_COLUMNS = [
    col("Name", format="name"),
    col("Status", description="phase represents the current phase of PersistentVolumeClaim."),
    col("Volume", description="volumeName is the binding reference to the PersistentVolume backing this claim."),
    col("Capacity", description="capacity represents the actual resources of the underlying volume."),
    col("Access Modes", description="accessModes contains the actual access modes the volume backing the PVC has."),
    col("StorageClass", description="StorageClass of the pvc"),
    col("VolumeAttributesClass", description="VolumeAttributesClass of the pvc"),
    col("Age"),
    col("VolumeMode", priority=1, description="volumeMode defines what type of volume is required by the claim."),
]


def pvc_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    phase = st.get("phase") or ""
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        phase = "Terminating"
    capacity = ""
    modes = ""
    if spec.get("volumeName"):
        modes = access_modes(st.get("accessModes"))
        cap = st.get("capacity") if isinstance(st.get("capacity"), dict) else {}
        capacity = quantity_string(cap.get("storage"))
    vac = spec.get("volumeAttributesClassName")
    vm = spec.get("volumeMode")
    return [name_of(obj), str(phase), str(spec.get("volumeName") or ""), capacity, modes, pvc_class(obj),
            "<unset>" if vac is None else str(vac), age_of(obj, now), "<unset>" if vm is None else str(vm)]


register_printer("persistentvolumeclaims", PVC_COLUMNS, pvc_row)

# ---- storageclasses ----------------------------------------------------------------------------------

STORAGECLASS_COLUMNS = [
    col("Name", format="name"),
    col("Provisioner", description="provisioner indicates the type of the provisioner."),
    col("ReclaimPolicy", description="reclaimPolicy controls the reclaimPolicy for dynamically provisioned "
                                     "PersistentVolumes of this storage class."),
    col("VolumeBindingMode", description="volumeBindingMode indicates how PersistentVolumeClaims should be "
                                         "provisioned and bound."),
    col("AllowVolumeExpansion", description="allowVolumeExpansion shows whether the storage class allow volume "
                                            "expand."),
    col("Age"),
]

DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                             "storageclass.beta.kubernetes.io/is-default-class")


def is_default_class(obj):
    ann = _annotations(obj)
    return any(ann.get(a) == "true" for a in DEFAULT_CLASS_ANNOTATIONS)


def storageclass_row(obj, now):
    name = name_of(obj)
    if is_default_class(obj):
        name += " (default)"
    ave = obj.get("allowVolumeExpansion")
    return [name, str(obj.get("provisioner") or ""), str(obj.get("reclaimPolicy") or "Delete"),
            str(obj.get("volumeBindingMode") or "Immediate"), ave is True, age_of(obj, now)]


register_printer("storage.k8s.io/storageclasses", STORAGECLASS_COLUMNS, storageclass_row)

# ---- CSI and attachment kinds (printed if a module registers them) ---------------------------------------

CSIDRIVER_COLUMNS = [
    col("Name", format="name"),
    col("AttachRequired", type="boolean", description="attachRequired indicates this CSI volume driver requires "
                                                      "an attach operation."),
    col("PodInfoOnMount", type="boolean", description="podInfoOnMount indicates this CSI volume driver requires "
                                                      "additional pod information during mount operations."),
    col("StorageCapacity", type="boolean", description="storageCapacity indicates that the CSI volume driver "
                                                       "wants pod scheduling to consider the storage capacity."),
    col("TokenRequests", description="tokenRequests indicates the CSI driver needs pods' service account tokens."),
    col("RequiresRepublish", type="boolean", description="requiresRepublish indicates the CSI driver wants "
                                                         "NodePublishVolume being periodically called."),
    col("Modes", description="volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
    col("Age"),
]


def _bool(v, default):
    return v if isinstance(v, bool) else default


def csidriver_row(obj, now):
    spec = obj.get("spec") or {}
    modes = ",".join(str(m) for m in spec.get("volumeLifecycleModes") or []) or "<none>"
    tr = spec.get("tokenRequests")
    tokens = "<unset>" if tr is None else ",".join(str((t or {}).get("audience") or "") for t in tr)
    return [name_of(obj), _bool(spec.get("attachRequired"), True), _bool(spec.get("podInfoOnMount"), False),
            _bool(spec.get("storageCapacity"), False), tokens, _bool(spec.get("requiresRepublish"), False), modes,
            age_of(obj, now)]


register_printer("storage.k8s.io/csidrivers", CSIDRIVER_COLUMNS, csidriver_row)

CSINODE_COLUMNS = [col("Name", format="name"),
                   col("Drivers", type="integer", description="Drivers indicates the number of CSI drivers "
                                                              "registered on the node"),
                   col("Age")]


def csinode_row(obj, now):
    drivers = d(obj, "spec", "drivers")
    return [name_of(obj), len(drivers) if isinstance(drivers, list) else 0, age_of(obj, now)]


register_printer("storage.k8s.io/csinodes", CSINODE_COLUMNS, csinode_row)

VOLUMEATTACHMENT_COLUMNS = [
    col("Name", format="name"),
    col("Attacher", format="name", description="attacher indicates the name of the volume driver that MUST "
                                               "handle this request."),
    col("PV", description="persistentVolumeName represents the name of the persistent volume to attach."),
    col("Node", description="nodeName represents the node that the volume should be attached to."),
    col("Attached", type="boolean", description="attached indicates the volume is successfully attached."),
    col("Age"),
]


def volumeattachment_row(obj, now):
    spec = obj.get("spec") or {}
    return [name_of(obj), str(spec.get("attacher") or ""), str(d(spec, "source", "persistentVolumeName") or ""),
            str(spec.get("nodeName") or ""), d(obj, "status", "attached") is True, age_of(obj, now)]


register_printer("storage.k8s.io/volumeattachments", VOLUMEATTACHMENT_COLUMNS, volumeattachment_row)

CSISTORAGECAPACITY_COLUMNS = [
    col("Name", format="name"),
    col("StorageClassName", description="storageClassName represents the name of the StorageClass that the "
                                        "reported capacity applies to."),
    col("Capacity", description="capacity is the value reported by the CSI driver in its GetCapacityResponse."),
]


def csistoragecapacity_row(obj, now):
    cap = obj.get("capacity")
    return [name_of(obj), str(obj.get("storageClassName") or ""), "<unset>" if cap is None else quantity_string(cap)]


register_printer("storage.k8s.io/csistoragecapacities", CSISTORAGECAPACITY_COLUMNS, csistoragecapacity_row)

