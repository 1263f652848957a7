#!/usr/bin/python3
"""Removes outputs and execution counts from notebooks, in place, so they can
be committed (tests/e2e/test_notebooks_clean.py checks that they were).

    /usr/bin/python3 notebooks/strip_outputs.py notebooks/*.ipynb
"""

import sys

import nbformat


def strip(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        strip(p)
        print("stripped", p)
