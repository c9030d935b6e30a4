"""pytest setup: vgrad from this source tree (unless installed), a scratch
cache directory, and the test C files.  vgradcc comes from $VGRADCC or
PATH (tests/run.sh installs it into a temporary prefix)."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
C_DIR = os.path.join(HERE, "c")
REPO = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(REPO, "samples")

if not os.environ.get("VGRAD_TEST_INSTALLED"):
    sys.path.insert(0, os.path.dirname(HERE))


@pytest.fixture(scope="session", autouse=True)
def scratch_cache(tmp_path_factory):
    if not os.environ.get("VGRAD_CACHE_DIR"):
        os.environ["VGRAD_CACHE_DIR"] = str(tmp_path_factory.mktemp("vgrad-cache"))
    yield
