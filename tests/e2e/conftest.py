"""Shared by the tests in this folder (pytest loads it before them).

Puts notebooks/ (the citygraph client package and its test harness) first on
sys.path, and provides `server`: a citygraph.testing.LocalServer on the city
the ctest fixture notebooks_city_setup prepared (CITYGRAPH_TEST_CITY), or on
one prepared here when that is unset, started once per test module.
test_api_e2e.py overrides `server` with its own (one that also serves the
ingest mappings and hands out raw Thrift clients).
"""

import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "notebooks"))

from citygraph import testing  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = testing.server_from_env(tmp_path_factory.mktemp("server"), tmp_path_factory.mktemp("city"))
    yield srv
    code = srv.stop()
    assert code == 0, f"server did not shut down cleanly (exit {code}):\n{srv.log_tail()}"
