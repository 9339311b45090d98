"""The semantics of create / get / update / patch / delete, shared by the HTTP handlers and the controllers.

Everything that makes a write behave like the apiserver lives here: defaulting and validation hooks,
server-set metadata (uid, creationTimestamp, generation, resourceVersion), optimistic concurrency,
no-op updates that keep the resourceVersion, status vs. main-resource updates, graceful deletion,
finalizers, propagation policies, and conversion between served versions.

Controllers call the same functions with `Context.system()` (no status reset, given uid/timestamps kept).
"""

import threading
import time

from . import errors, patch as patchmod, selectors, util
from .errors import FieldError
from .resources import REGISTRY
from .store import Exists, Missing


class Context:
    """Who is asking, and how."""

    def __init__(self, user="system:admin", groups=None, uid="", internal=False, dry_run=False,
                 field_manager="", load=False):
        self.user = user
        self.groups = list(groups or [])
        self.uid = uid
        self.internal = internal      # a controller or the loader, not a client
        self.dry_run = dry_run
        self.field_manager = field_manager
        self.load = load              # loading manifests: keep status, uid, timestamps as given

    @classmethod
    def system(cls, name="kubesim-controller"):
        return cls(user="system:serviceaccount:kube-system:" + name, groups=["system:masters"], internal=True)


class Api:
    def __init__(self, store, registry=REGISTRY, clock=time.time, rng=None):
        import random
        self.store = store
        self.registry = registry
        self.clock = clock
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        # uids of pods whose graceful deletion was asked for through the API (the kubelet finishes them)
        self.graceful = set()

    # ---- versions ---------------------------------------------------------------------------

    def out(self, rt, obj):
        """A stored object as served by rt (conversion / apiVersion). Returns obj itself when identical."""
        if rt.convert:
            return rt.convert[1](obj)
        if obj.get("apiVersion") != rt.api_version:
            o = dict(obj)
            o["apiVersion"] = rt.api_version
            return o
        return obj

    def out_json(self, rt, entry):
        if not rt.convert and entry.obj.get("apiVersion") == rt.api_version:
            return entry.json()
        return util.dumpb(self.out(rt, entry.obj))

    def _storage_rt(self, rt):
        return self.registry.by_key(rt.key) or rt

    def into(self, rt, obj):
        """A client object (already checked to be of rt's kind) in storage form."""
        if rt.convert:
            obj = rt.convert[0](obj)
        srt = self._storage_rt(rt)
        obj["apiVersion"] = srt.api_version
        obj["kind"] = srt.kind
        return obj

    # ---- reads ------------------------------------------------------------------------------

    def namespace_exists(self, ns):
        return self.store.get_entry("namespaces", "", ns) is not None

    def get_entry(self, rt, ns, name):
        e = self.store.get_entry(rt.key, ns if rt.namespaced else "", name)
        if e is None:
            raise errors.not_found(rt, name)
        return e

    def get(self, rt, ns, name):
        return util.deep_copy(self.out(rt, self.get_entry(rt, ns, name).obj))

    # ---- helpers ------------------------------------------------------------------------------

    def _check_body(self, rt, obj, ns, name=None):
        if not isinstance(obj, dict):
            raise errors.bad_request("the object provided is unrecognized (must be of type %s)" % rt.kind)
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        if kind and kind != rt.kind:
            raise errors.bad_request('%s in version "%s" cannot be handled as a %s: the object provided is '
                                     'unrecognized (must be of type %s)'
                                     % (kind, api_version or rt.version, rt.kind, rt.kind))
        if api_version and api_version != rt.api_version:
            raise errors.bad_request("the API version in the data (%s) does not match the expected API "
                                     "version (%s)" % (api_version, rt.api_version))
        md = obj.get("metadata")
        if md is None:
            md = obj["metadata"] = {}
        if not isinstance(md, dict):
            raise errors.bad_request("metadata must be an object")
        obj["apiVersion"] = rt.api_version
        obj["kind"] = rt.kind
        if rt.namespaced:
            body_ns = md.get("namespace")
            if body_ns and ns and body_ns != ns:
                raise errors.bad_request("the namespace of the provided object does not match the namespace "
                                         "sent on the request")
            if ns:
                md["namespace"] = ns
        else:
            md.pop("namespace", None)
        if name is not None:
            if md.get("name") and md.get("name") != name:
                raise errors.bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                                         % (md.get("name"), name))
            md["name"] = name
        return md

    def _validate_meta(self, rt, obj, create):
        md = obj.get("metadata") or {}
        errs = []
        name = md.get("name") or ""
        if not name:
            if create and md.get("generateName"):
                pass
            else:
                errs.append(FieldError("Required", "metadata.name", "name or generateName is required"))
        else:
            errs += _name_errors(rt, name, "metadata.name")
        if rt.namespaced and not md.get("namespace"):
            errs.append(FieldError("Required", "metadata.namespace"))
        labels = md.get("labels")
        if labels is not None:
            if not isinstance(labels, dict):
                errs.append(FieldError("Invalid", "metadata.labels", "must be a map", labels))
            else:
                for k, v in labels.items():
                    for msg in selectors._qualified_name_errors(k):
                        errs.append(FieldError("Invalid", "metadata.labels", msg, k))
                    if not isinstance(v, str):
                        errs.append(FieldError("Invalid", "metadata.labels", "must be a string", v))
                    elif len(v) > 63:
                        errs.append(FieldError("Invalid", "metadata.labels", "must be no more than 63 characters",
                                               v))
                    elif not selectors._VALUE_RE.fullmatch(v):
                        errs.append(FieldError("Invalid", "metadata.labels", selectors._VALUE_MSG, v))
        ann = md.get("annotations")
        if ann is not None:
            if not isinstance(ann, dict):
                errs.append(FieldError("Invalid", "metadata.annotations", "must be a map", ann))
            else:
                for k, v in ann.items():
                    for msg in selectors._qualified_name_errors(k):
                        errs.append(FieldError("Invalid", "metadata.annotations", msg, k))
                    if not isinstance(v, str):
                        errs.append(FieldError("Invalid", "metadata.annotations", "must be a string", v))
        return errs

    def _run_validate(self, ctx, rt, obj, old, create):
        errs = self._validate_meta(rt, obj, create)
        for fn in rt.hooks["validate"]:
            errs += fn(ctx, obj, old) or []
        if errs:
            name = (obj.get("metadata") or {}).get("name") or ""
            raise errors.invalid(rt.kind, rt.group, name, errs)

    def _namespace_ok(self, rt, ns, name):
        if not rt.namespaced:
            return
        e = self.store.get_entry("namespaces", "", ns)
        if e is None:
            raise errors.namespace_not_found(ns)
        if (e.obj.get("metadata") or {}).get("deletionTimestamp"):
            err = errors.forbidden('%s "%s" is forbidden: unable to create new content in namespace %s because '
                                   'it is being terminated' % (errors.qualified(rt), name, ns),
                                   name=name, group=rt.group, kind=rt.plural)
            err.details["causes"] = [{"reason": "NamespaceTerminating",
                                      "message": "namespace %s is being terminated" % ns,
                                      "field": "metadata.namespace"}]
            raise err

    def _after(self, ctx, rt, etype, obj, old):
        ctx.api = self
        for fn in rt.hooks["after_commit"]:
            try:
                fn(ctx, etype, obj, old)
            except errors.ApiError:
                raise
            except Exception:   # an after-effect must never fail the client's request
                import traceback
                traceback.print_exc()

    # ---- create -------------------------------------------------------------------------------

    def create(self, ctx, rt, ns, obj):
        """Create obj (client form of rt). Returns the stored object as served by rt."""
        md = self._check_body(rt, obj, ns)
        ns = md.get("namespace", "") if rt.namespaced else ""
        obj = self.into(rt, obj)
        md = obj["metadata"]
        srt = self._storage_rt(rt)
        now = self.clock()
        if not ctx.load:
            for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                      "resourceVersion", "generation", "selfLink"):
                md.pop(k, None)
            if srt.has_status and not srt.extra.get("keep_status_on_create") and not ctx.internal:
                obj.pop("status", None)
        md.pop("resourceVersion", None)
        md.setdefault("uid", util.new_uid())
        md.setdefault("creationTimestamp", util.rfc3339(now))
        if srt.generation:
            md.setdefault("generation", 1)
        for fn in srt.hooks["prepare_create"]:
            fn(ctx, obj)
        generated = not md.get("name") and md.get("generateName")
        if generated:
            md["name"] = md["generateName"] + util.random_suffix(5, self.rng)
        self._run_validate(ctx, srt, obj, None, True)
        self._namespace_ok(srt, ns, md.get("name", ""))
        if ctx.dry_run:
            return self.out(rt, obj)
        for attempt in range(8):
            try:
                entry = self.store.create(srt.key, ns, md["name"], obj)
                break
            except Exists:
                if generated and attempt < 7:
                    md["name"] = md["generateName"] + util.random_suffix(5, self.rng)
                    continue
                if generated:
                    raise errors.ApiError(409, "AlreadyExists", 'the server was not able to generate a unique '
                                          'name for the object', {"kind": rt.plural, "group": rt.group})
                raise errors.already_exists(rt, md["name"])
        self._after(ctx, srt, "ADDED", entry.obj, None)
        return util.deep_copy(self.out(rt, entry.obj))

    # ---- update / patch -----------------------------------------------------------------------

    def _finish_update(self, ctx, rt, srt, cur, new, subresource):
        """Shared by PUT and PATCH: returns ("update", obj) / ("delete", obj) / None for mutate()."""
        cmd = cur["metadata"]
        nmd = new.get("metadata")
        if not isinstance(nmd, dict):
            raise errors.bad_request("metadata must be an object")
        want_rv = nmd.get("resourceVersion")
        if want_rv and str(want_rv) != cmd.get("resourceVersion"):
            raise errors.stale_conflict(rt, cmd.get("name"))
        if nmd.get("uid") and nmd.get("uid") != cmd.get("uid"):
            raise errors.conflict(rt, cmd.get("name"), "Precondition failed: UID in precondition: %s, UID in "
                                  "object meta: %s" % (nmd.get("uid"), cmd.get("uid")))
        if subresource == "status":
            out = dict(cur)
            if "status" in new:
                out["status"] = new["status"]
            else:
                out.pop("status", None)
            new = out
            nmd = new["metadata"] = dict(cmd)
        else:
            for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                      "generation", "namespace", "name"):
                if k in cmd:
                    nmd[k] = cmd[k]
                else:
                    nmd.pop(k, None)
            if "managedFields" not in nmd and "managedFields" in cmd:
                nmd["managedFields"] = cmd["managedFields"]
            if srt.has_status and not ctx.internal:
                if "status" in cur:
                    new["status"] = cur["status"]
                else:
                    new.pop("status", None)
            for fn in srt.hooks["prepare_update"]:
                fn(ctx, new, cur)
            if srt.generation and _spec_part(new) != _spec_part(cur):
                nmd["generation"] = int(cmd.get("generation") or 0) + 1
        nmd["resourceVersion"] = cmd.get("resourceVersion")
        self._run_validate(ctx, srt, new, cur, False)
        if new == cur:
            return None
        if nmd.get("deletionTimestamp") and not pending_finalizers(srt, new) and \
                int(nmd.get("deletionGracePeriodSeconds") or 0) == 0:
            return ("delete", new)
        if ctx.dry_run:
            raise _DryRun(new)
        return ("update", new)

    def update(self, ctx, rt, ns, name, obj, subresource=None):
        """PUT. Returns the new object as served by rt."""
        self._check_body(rt, obj, ns if rt.namespaced else None, name)
        srt = self._storage_rt(rt)
        obj = self.into(rt, obj)
        ns = ns if rt.namespaced else ""

        def fn(cur, entry):
            return self._finish_update(ctx, rt, srt, cur, util.deep_copy(obj), subresource)
        return self._commit_mutation(ctx, rt, srt, ns, name, fn)

    def patch(self, ctx, rt, ns, name, content_type, data, subresource=None):
        srt = self._storage_rt(rt)
        ns = ns if rt.namespaced else ""
        ct = (content_type or "").split(";")[0].strip().lower()
        if ct not in patchmod.PATCH_TYPES or (ct == patchmod.STRATEGIC and rt.crd):
            raise patchmod.unsupported(rt)

        def fn(cur, entry):
            served = util.deep_copy(self.out(rt, cur))
            patched = patchmod.apply_patch(ctx, rt, content_type, served, data)
            if not isinstance(patched, dict):
                raise errors.bad_request("the patch did not produce an object")
            if patched.get("kind", rt.kind) != rt.kind or patched.get("apiVersion", rt.api_version) != \
                    rt.api_version:
                raise errors.bad_request("the patch may not change kind or apiVersion")
            md = patched.get("metadata")
            if not isinstance(md, dict):
                raise errors.bad_request("metadata must be an object")
            if md.get("name", name) != name:
                raise errors.bad_request("the name of the object (%s) does not match the name on the URL (%s)"
                                         % (md.get("name"), name))
            patched = self.into(rt, patched)
            return self._finish_update(ctx, rt, srt, cur, patched, subresource)
        return self._commit_mutation(ctx, rt, srt, ns, name, fn)

    def mutate(self, ctx, rt, ns, name, change, subresource=None):
        """Controllers: apply change(obj) -> obj|None to the stored object (storage form), with the same
        semantics as a PUT. Returns the new object, or None when the object does not exist."""
        srt = self._storage_rt(rt)
        ns = ns if rt.namespaced else ""

        def fn(cur, entry):
            new = change(util.deep_copy(cur))
            if new is None:
                return None
            return self._finish_update(ctx, rt, srt, cur, new, subresource)
        try:
            return self._commit_mutation(ctx, rt, srt, ns, name, fn)
        except errors.ApiError as e:
            if e.code == 404:
                return None
            raise

    def _commit_mutation(self, ctx, rt, srt, ns, name, fn):
        try:
            etype, entry = self.store.mutate(srt.key, ns, name, fn)
        except Missing:
            raise errors.not_found(rt, name)
        except _DryRun as d:
            return util.deep_copy(self.out(rt, d.obj))
        if etype is not None:
            self._after(ctx, srt, etype, entry.obj, None)
        return util.deep_copy(self.out(rt, entry.obj))

    # ---- delete -------------------------------------------------------------------------------

    def delete(self, ctx, rt, ns, name, options=None):
        """DELETE. Returns (http_code, body_dict)."""
        opts = parse_delete_options(options or {})
        srt = self._storage_rt(rt)
        ns = ns if rt.namespaced else ""
        result = {}

        def fn(cur, entry):
            md = cur["metadata"]
            pre = opts.get("preconditions") or {}
            if pre.get("uid") and pre["uid"] != md.get("uid"):
                raise errors.conflict(rt, name, "Precondition failed: UID in precondition: %s, UID in object "
                                      "meta: %s" % (pre["uid"], md.get("uid")))
            if pre.get("resourceVersion") and pre["resourceVersion"] != md.get("resourceVersion"):
                raise errors.conflict(rt, name, "Precondition failed: ResourceVersion in precondition: %s, "
                                      "ResourceVersion in object meta: %s"
                                      % (pre["resourceVersion"], md.get("resourceVersion")))
            for hook in srt.hooks["before_delete"]:
                cur = hook(ctx, cur, opts) or cur
                md = cur["metadata"]
            grace = self._grace_period(srt, cur, opts)
            finalizers = list(md.get("finalizers") or [])
            policy = opts.get("propagationPolicy")
            if policy is None and opts.get("orphanDependents") is not None:
                policy = "Orphan" if opts["orphanDependents"] else "Background"
            if policy == "Foreground" and "foregroundDeletion" not in finalizers:
                if "orphan" in finalizers:
                    finalizers.remove("orphan")
                finalizers.append("foregroundDeletion")
            elif policy == "Orphan" and "orphan" not in finalizers:
                if "foregroundDeletion" in finalizers:
                    finalizers.remove("foregroundDeletion")
                finalizers.append("orphan")
            pending = list(finalizers) + list(_spec_finalizers(srt, cur))
            already = bool(md.get("deletionTimestamp"))
            if not pending and grace == 0:
                result["deleted"] = True
                if ctx.dry_run:
                    raise _DryRun(cur)
                return ("delete", cur)
            # graceful deletion or finalizers pending: mark the object
            new = cur
            changed = False
            if finalizers != list(md.get("finalizers") or []):
                md["finalizers"] = finalizers
                changed = True
            if not already:
                md["deletionTimestamp"] = util.rfc3339(self.clock() + grace)
                md["deletionGracePeriodSeconds"] = grace
                if md.get("generation"):
                    md["generation"] = int(md["generation"]) + 1
                changed = True
            elif grace < int(md.get("deletionGracePeriodSeconds") or 0):
                md["deletionTimestamp"] = util.rfc3339(self.clock() + grace)
                md["deletionGracePeriodSeconds"] = grace
                changed = True
            if srt.key == "namespaces":
                st = new.setdefault("status", {})
                if st.get("phase") != "Terminating":
                    st["phase"] = "Terminating"
                    changed = True
            if ctx.dry_run:
                raise _DryRun(new)
            if srt.key == "pods" and grace > 0:
                with self._lock:
                    self.graceful.add(md.get("uid"))
            return ("update", new) if changed else None

        try:
            etype, entry = self.store.mutate(srt.key, ns, name, fn)
        except Missing:
            raise errors.not_found(rt, name)
        except _DryRun as d:
            return 200, self.out(rt, d.obj)
        if etype is not None:
            self._after(ctx, srt, etype, entry.obj, None)
        body = util.deep_copy(self.out(rt, entry.obj))
        if etype == "DELETED" and not srt.return_deleted_object:
            md = body.get("metadata") or {}
            details = {"name": name, "kind": rt.plural, "uid": md.get("uid")}
            if rt.group:
                details = {"name": name, "group": rt.group, "kind": rt.plural, "uid": md.get("uid")}
            return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                         "details": details}
        return 200, body

    def _grace_period(self, srt, obj, opts):
        g = opts.get("gracePeriodSeconds")
        if srt.key != "pods":
            return 0
        spec = obj.get("spec") or {}
        status = obj.get("status") or {}
        if g is None:
            g = spec.get("terminationGracePeriodSeconds")
            if g is None:
                g = 30
        g = int(g)
        if g < 0:
            g = 1
        if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
            return 0
        return g

    def delete_collection(self, ctx, rt, ns, label_sel, field_sel, options=None):
        _, entries = self.store.list_entries(rt.key, ns if rt.namespaced else None)
        out = []
        for e in entries:
            if not label_sel.matches_obj(e.obj):
                continue
            if not field_sel.matches(selectors.field_getter(rt, e.obj)):
                continue
            try:
                code, body = self.delete(ctx, rt, e.ns, e.name, options)
                out.append(body)
            except errors.ApiError as err:
                if err.code != 404:
                    raise
        return out


class _DryRun(Exception):
    def __init__(self, obj):
        super().__init__("dry run")
        self.obj = obj


def _spec_part(obj):
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


def _spec_finalizers(rt, obj):
    if rt.key == "namespaces":
        return list((obj.get("spec") or {}).get("finalizers") or [])
    return []


def pending_finalizers(rt, obj):
    return list((obj.get("metadata") or {}).get("finalizers") or []) + _spec_finalizers(rt, obj)


_PATH_SEGMENT_KINDS = {"rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/clusterroles",
                       "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/clusterrolebindings",
                       "serviceaccounts"}

_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                  "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
                  "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
              "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
              "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


def _name_errors(rt, name, field):
    if rt.key in _PATH_SEGMENT_KINDS and rt.key != "serviceaccounts":
        if name in (".", ".."):
            return [FieldError("Invalid", field, 'may not be \'%s\'' % name, name)]
        for bad in ("/", "%"):
            if bad in name:
                return [FieldError("Invalid", field, "may not contain '%s'" % bad, name)]
        return []
    if rt.key in ("namespaces",) or rt.key == "services":
        if not util.is_dns1123_label(name):
            if rt.key == "services":
                return [FieldError("Invalid", field, "a DNS-1035 label must consist of lower case alphanumeric "
                                   "characters or '-', start with an alphabetic character, and end with an "
                                   "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                                   "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')", name)]
            return [FieldError("Invalid", field, _LABEL_MSG, name)]
        return []
    if not util.is_dns1123_subdomain(name):
        return [FieldError("Invalid", field, _SUBDOMAIN_MSG, name)]
    return []


def parse_delete_options(raw):
    """DeleteOptions from a dict merged from the body and the query. Raises 400/422."""
    out = {}
    if not isinstance(raw, dict):
        raise errors.bad_request("DeleteOptions must be an object")
    g = raw.get("gracePeriodSeconds")
    if g is not None and g != "":
        try:
            out["gracePeriodSeconds"] = int(g)
        except (TypeError, ValueError):
            raise errors.bad_request('invalid gracePeriodSeconds: "%s"' % g)
    p = raw.get("propagationPolicy")
    if p:
        if p not in ("Orphan", "Background", "Foreground"):
            raise errors.invalid("DeleteOptions", "meta.k8s.io", "", [
                FieldError("NotSupported", "propagationPolicy", value=p,
                           supported=["Foreground", "Background", "Orphan", "nil"])])
        out["propagationPolicy"] = p
    o = raw.get("orphanDependents")
    if o is not None and o != "":
        out["orphanDependents"] = o in (True, "true", "1", 1)
        if "propagationPolicy" in out:
            raise errors.invalid("DeleteOptions", "meta.k8s.io", "", [
                FieldError("Invalid", "propagationPolicy", "orphanDependents and deletionPropagation cannot "
                           "be both set", out["propagationPolicy"])])
    pre = raw.get("preconditions")
    if pre:
        if not isinstance(pre, dict):
            raise errors.bad_request("preconditions must be an object")
        out["preconditions"] = pre
    dr = raw.get("dryRun")
    if dr:
        out["dryRun"] = dr
    return out
