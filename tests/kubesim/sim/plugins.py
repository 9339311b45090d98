"""Module loading: the core modules, then every module of this package whose name starts with one of
PREFIXES, in name order. A new kind, printer, controller or handler therefore needs no edit of a
shared file: create e.g. sim/printers_workloads.py and it is imported at start.
"""

import importlib
import pkgutil

CORE = ["resources", "kinds_core", "crd", "printers_core", "server", "subresources", "openapi", "controllers"]
PREFIXES = ("kinds_", "printers_", "controllers_", "handlers_", "patch_", "ext_")

_loaded = False


def load_all():
    global _loaded
    if _loaded:
        return
    import sim
    for name in CORE:
        importlib.import_module("sim." + name)
    for info in sorted(pkgutil.iter_modules(sim.__path__), key=lambda m: m.name):
        if info.name.startswith(PREFIXES) and info.name not in CORE:
            importlib.import_module("sim." + info.name)
    _loaded = True
