"""CityGraph's Python client: answers from a CityGraph server as pandas
DataFrames and networkx graphs, for analysts' notebooks.

    import citygraph
    cg = citygraph.connect()          # host, port, user, password from CITYGRAPH_* env vars
    cg.stats()

The Thrift bindings are generated at build time from api/citygraph.thrift and
loaded from $CITYGRAPH_GEN_PY (default <repository>/build/gen-py) on first use.
"""

from .client import Client, connect, read_id_file, settings_from_env
from .errors import (BindingsNotFound, CityGraphError, DeadlineExceeded, InternalError,
                     InvalidArgument, LimitExceeded, NotFound, PermissionDenied, Unauthenticated,
                     Unavailable)
from .results import ConflictReport, LocateBatch, Subgraph

__all__ = [
    "BindingsNotFound", "CityGraphError", "Client", "ConflictReport", "DeadlineExceeded",
    "InternalError", "InvalidArgument", "LimitExceeded", "LocateBatch", "NotFound",
    "PermissionDenied", "Subgraph", "Unauthenticated", "Unavailable", "connect", "read_id_file",
    "settings_from_env",
]
