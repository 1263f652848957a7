"""The committed notebooks are clean: valid nbformat, no outputs, no
execution counts, a Python 3 kernelspec, connection settings read from the
environment (so they run against any server), and a markdown story first.

Run: /usr/bin/python3 -m pytest tests/e2e/test_notebooks_clean.py
"""

import pathlib

import nbformat
import pytest

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_the_five_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01_quickstart", "02_welfare_audit", "03_court_locator",
                                           "04_link_analysis", "05_graph_analytics"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; strip them (notebooks/README.md)"
    assert not any(c.get("attachments") for c in nb.cells), f"{path.name}: attachments committed"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_its_server_from_the_environment(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "citygraph.settings_from_env(" in code
    assert "citygraph.connect(HOST, PORT, USER, PASSWORD)" in code
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "CITYGRAPH_HOST" in nb.cells[0].source
