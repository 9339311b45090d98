import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from harness import KubeSim, Tui, cleanup  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


@pytest.fixture
def kubesim(tmp_path):
    """A kubesim with the e2e pod fixtures and controllers on."""
    sims = []

    def start(*args):
        sim = KubeSim(*args, workdir=str(tmp_path / f"sim{len(sims)}"))
        sims.append(sim)
        return sim

    yield start
    for s in sims:
        s.stop()


@pytest.fixture
def tui(tmp_path):
    tuis = []

    def start(args, **kw):
        t = Tui(args, workdir=str(tmp_path / f"tui{len(tuis)}"), **kw)
        tuis.append(t)
        return t

    yield start
    for t in tuis:
        t.stop()
