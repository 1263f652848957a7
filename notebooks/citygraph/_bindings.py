"""Finds and loads the Python Thrift bindings generated from api/citygraph.thrift.

The bindings are generated at build time (``thrift --gen py``) into the build
tree and never committed. They are looked up, in order, in:

1. the directory named by the environment variable CITYGRAPH_GEN_PY;
2. <repository>/build/gen-py (the default build of ``make``).

The generated package is imported under the private name ``_citygraph_gen``
whatever its Thrift namespace is, so it can never shadow this package.
"""

import importlib.util
import os
import pathlib
import sys

from .errors import BindingsNotFound

ENV_VAR = "CITYGRAPH_GEN_PY"
_ALIAS = "_citygraph_gen"
_REPO = pathlib.Path(__file__).resolve().parents[2]
_loaded = None


def gen_py_dir():
    """The directory the bindings are loaded from (it may not exist)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return pathlib.Path(env).expanduser().resolve()
    return _REPO / "build" / "gen-py"


def _find_package(root):
    """The generated package directory under `root`: the one holding ttypes.py
    next to a service module (a .py file defining a Thrift Client class)."""
    candidates = sorted(p.parent for p in root.rglob("ttypes.py"))
    for pkg in candidates:
        for py in sorted(pkg.glob("*.py")):
            if py.name in ("__init__.py", "ttypes.py", "constants.py"):
                continue
            if "class Client(" in py.read_text(encoding="utf-8", errors="replace"):
                return pkg, py.stem
    return None, None


class Bindings:
    """The loaded generated modules: `ttypes` (structs, enums, exceptions),
    `service` (the Thrift Client and Iface) and `constants`."""

    def __init__(self, root, ttypes, service, constants):
        self.root = root
        self.ttypes = ttypes
        self.service = service
        self.constants = constants


def _import(name, path, package_dir=None):
    kwargs = {}
    if package_dir is not None:
        kwargs["submodule_search_locations"] = [str(package_dir)]
    spec = importlib.util.spec_from_file_location(name, path, **kwargs)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load():
    """Loads (once) and returns the Bindings.

    Raises BindingsNotFound, naming the directory searched and how to build
    the bindings, if they are missing or cannot be imported.
    """
    global _loaded
    if _loaded is not None:
        return _loaded
    root = gen_py_dir()
    hint = (f"Build them with `cmake --build build --target citygraph_py` (or `make`),"
            f" or point {ENV_VAR} at the gen-py directory of your build tree.")
    if not root.is_dir():
        raise BindingsNotFound(f"CityGraph Thrift bindings not found: {root} does not exist. {hint}")
    pkg, service_name = _find_package(root)
    if pkg is None:
        raise BindingsNotFound(f"CityGraph Thrift bindings not found under {root}"
                               f" (no generated package with ttypes.py and a service). {hint}")
    try:
        _import(_ALIAS, pkg / "__init__.py", package_dir=pkg)
        ttypes = _import(f"{_ALIAS}.ttypes", pkg / "ttypes.py")
        constants = None
        if (pkg / "constants.py").exists():
            constants = _import(f"{_ALIAS}.constants", pkg / "constants.py")
        service = _import(f"{_ALIAS}.{service_name}", pkg / f"{service_name}.py")
    except Exception as exc:  # a broken or stale generation
        raise BindingsNotFound(f"CityGraph Thrift bindings under {pkg} failed to import: {exc}. {hint}") from exc
    _loaded = Bindings(pkg, ttypes, service, constants)
    return _loaded
