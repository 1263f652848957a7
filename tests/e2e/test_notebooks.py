"""Executes every notebook headless against a real server and fails on any
cell error.

The server is `citygraph serve` on a small generated city: the city prepared
by the ctest fixture notebooks_city_setup (CITYGRAPH_TEST_CITY), or one
prepared here when that variable is unset. Each notebook runs under the
account of its story's role. The executed notebooks and every chart, as PNG,
are written to CITYGRAPH_NB_OUT (default: a temp dir) for inspection.

Run: CITYGRAPH_BIN=build/bin/citygraph CITYGRAPH_GEN_PY=build/gen-py \
     /usr/bin/python3 -m pytest tests/e2e/test_notebooks.py
"""

import base64
import json
import os
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
# The demo account each story runs as (citygraph.testing.ACCOUNTS).
ACCOUNT = {"01": "analyst", "02": "auditor", "03": "court", "04": "investigator", "05": "analyst"}
KERNEL = "citygraph-debian-python3"


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory):
    """A kernelspec running Debian's python3 (the python3 on PATH may be
    another interpreter without python3-pandas & co)."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Debian)", "language": "python"}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    d = os.environ.get("CITYGRAPH_NB_OUT")
    path = pathlib.Path(d) if d else tmp_path_factory.mktemp("executed")
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_outputs(nb, name, out_dir):
    """Writes the executed notebook and its PNG charts; returns the PNG count
    and the text of every stream written to stderr."""
    nbformat.write(nb, out_dir / f"{name}.ipynb")
    pngs, stderr = 0, []
    for i, cell in enumerate(nb.cells):
        for j, out in enumerate(cell.get("outputs", [])):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                stderr.append(out.get("text", ""))
            data = out.get("data", {})
            if "image/png" in data:
                pngs += 1
                (out_dir / f"{name}_cell{i:02d}_{j}.png").write_bytes(base64.b64decode(data["image/png"]))
    return pngs, "".join(stderr)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, server, kernel_dir, out_dir, monkeypatch):
    """`server` (conftest.py): the citygraph.testing server on the prepared city."""
    for key, value in server.env(ACCOUNT[path.stem[:2]]).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(NOTEBOOK_DIR)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the inline backend, so charts become PNG outputs
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=240, kernel_name=KERNEL, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    try:
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        pngs, stderr = save_outputs(nb, path.stem, out_dir)
    assert pngs >= 2, f"{path.name} drew {pngs} charts; every story shows at least two"
    # A missing glyph means an unreadable chart (Chinese names drawn as boxes).
    assert "missing from current font" not in stderr, stderr[:2000]
