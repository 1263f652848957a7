"""The CityGraph client: one authenticated session over Thrift, answers as
pandas DataFrames.

    import citygraph
    cg = citygraph.connect("127.0.0.1", 9090, "analyst", "secret")
    cg.stats()
    cg.profile("420102198001011234")

A Client owns one TCP connection and is NOT thread-safe: use one Client per
thread. Every method raises a subclass of citygraph.CityGraphError on failure
(see errors.py); none returns partial results silently: answers cut by a server
guardrail say so in ``.attrs["truncated"]`` (DataFrames) or ``.truncated``.
"""

import os
import time

from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TApplicationException
from thrift.transport import TSocket, TTransport

from . import _bindings, errors, frames
from .results import ConflictReport, LocateBatch, Subgraph

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9090
# Re-authenticate this long before the session's expiry.
_RENEW_MARGIN_MS = 5_000


def settings_from_env(user=None, password=None):
    """(host, port, user, password) from CITYGRAPH_HOST, CITYGRAPH_PORT,
    CITYGRAPH_USER and CITYGRAPH_PASSWORD; `user`/`password` are the defaults
    used when the variables are unset."""
    return (os.environ.get("CITYGRAPH_HOST", DEFAULT_HOST),
            int(os.environ.get("CITYGRAPH_PORT", DEFAULT_PORT)),
            os.environ.get("CITYGRAPH_USER", user),
            os.environ.get("CITYGRAPH_PASSWORD", password))


def connect(host=None, port=None, user=None, password=None, *, timeout_s=60.0, deadline_ms=None):
    """Opens a connection and authenticates.

    Arguments left as None come from the environment (settings_from_env).
    `timeout_s` bounds every socket read on the client side; `deadline_ms`,
    when set, is sent with each query as its server-side budget.
    Raises Unauthenticated for a wrong user or password, Unavailable when the
    server cannot be reached, BindingsNotFound when the bindings are missing.
    """
    env_host, env_port, env_user, env_password = settings_from_env()
    host = host or env_host
    port = int(port or env_port)
    user = user if user is not None else env_user
    password = password if password is not None else env_password
    if not user:
        raise errors.InvalidArgument("no user given: pass user= or set CITYGRAPH_USER", method="connect")
    client = Client(host, port, timeout_s=timeout_s, deadline_ms=deadline_ms)
    try:
        client.authenticate(user, password or "")
    except BaseException:
        client.close()
        raise
    return client


def _entity_ref(ttypes, entity, kind=None):
    """An EntityRef from what users have at hand: an internal id (int), a key
    (str, id_number unless `kind` says otherwise), a (kind, key) tuple, or a
    row/dict with an ``id`` field."""
    if isinstance(entity, ttypes.EntityRef):
        return entity
    if isinstance(entity, bool):
        raise errors.InvalidArgument(f"not an entity: {entity!r}")
    if isinstance(entity, int) or type(entity).__name__ in ("int64", "int32", "uint32"):
        return ttypes.EntityRef(id=int(entity))
    if isinstance(entity, str):
        return ttypes.EntityRef(kind=kind, key=entity)
    if isinstance(entity, tuple) and len(entity) == 2:
        return ttypes.EntityRef(kind=entity[0], key=entity[1])
    if hasattr(entity, "get") and entity.get("id") is not None:
        return ttypes.EntityRef(id=int(entity.get("id")))
    raise errors.InvalidArgument(f"not an entity reference: {entity!r}"
                                 " (use an id, a key string or a (kind, key) tuple)")


class Client:
    """A session with a CityGraph server. Create it with connect()."""

    def __init__(self, host, port, *, timeout_s=60.0, deadline_ms=None, transport=None):
        """Opens the connection (not yet authenticated). `transport` replaces the
        framed TCP transport, for tests; it must already be open or openable."""
        self._b = _bindings.load()
        self.host, self.port = host, port
        self.deadline_ms = deadline_ms
        self.session = None
        self._credentials = None
        if transport is None:
            sock = TSocket.TSocket(host, port)
            sock.setTimeout(int(timeout_s * 1000) if timeout_s else None)
            transport = TTransport.TFramedTransport(sock)
        self._transport = transport
        protocol = TBinaryProtocol.TBinaryProtocolAccelerated(transport)
        self._rpc = self._b.service.Client(protocol)
        try:
            if not transport.isOpen():
                transport.open()
        except TTransport.TTransportException as exc:
            raise errors.Unavailable(f"cannot connect to {host}:{port}: {exc}", method="connect") from exc

    # ------------------------------------------------------------ plumbing

    @property
    def types(self):
        """The generated Thrift types module (ttypes), for advanced use."""
        return self._b.ttypes

    def _raw(self, method, *args):
        """Calls `method` and maps every failure to a CityGraphError."""
        ttypes = self._b.ttypes
        try:
            return getattr(self._rpc, method)(*args)
        except ttypes.ApiError as exc:
            name = ttypes.ErrorCode._VALUES_TO_NAMES.get(exc.code, str(exc.code))
            raise errors.error_class(name)(exc.message or name, code=name, method=method) from None
        except TTransport.TTransportException as exc:
            raise errors.Unavailable(f"connection to {self.host}:{self.port} failed: {exc}",
                                     method=method) from exc
        except TApplicationException as exc:
            raise errors.InternalError(f"server could not process the call: {exc}", method=method) from exc

    def _call(self, method, *args):
        """Calls an authenticated method, renewing the session first if it is
        about to expire."""
        if self.session is None:
            raise errors.Unauthenticated("not signed in", method=method)
        if self._credentials and self.session.expires_at_ms and (
                time.time() * 1000 >= self.session.expires_at_ms - _RENEW_MARGIN_MS):
            self.authenticate(*self._credentials)
        return self._raw(method, self.session.token, *args)

    def _options(self, as_of=None, max_rows=None, deadline_ms=None):
        deadline = deadline_ms if deadline_ms is not None else self.deadline_ms
        if as_of is None and max_rows is None and deadline is None:
            return None
        return self._b.ttypes.RequestOptions(deadline_ms=deadline, max_rows=max_rows,
                                             as_of=_iso(as_of) if as_of is not None else None)

    def _ref(self, entity, kind=None):
        return _entity_ref(self._b.ttypes, entity, kind)

    # ------------------------------------------------------------- session

    def authenticate(self, user, password):
        """Signs in; returns the Session (token, user, role, expires_at_ms)."""
        self.session = self._raw("authenticate", user, password)
        self._credentials = (user, password)
        return self.session

    @property
    def user(self):
        return self.session.user if self.session else None

    @property
    def role(self):
        return self.session.role if self.session else None

    def close(self):
        """Signs out (best effort) and closes the connection. Idempotent."""
        if self.session is not None and self._transport.isOpen():
            try:
                self._raw("signout", self.session.token)
            except errors.CityGraphError:
                pass  # closing anyway; a failed signout only leaves the session to expire
        self.session = None
        self._credentials = None
        if self._transport.isOpen():
            self._transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        who = f"{self.user} ({self.role})" if self.session else "not signed in"
        return f"<citygraph.Client {self.host}:{self.port} {who}>"

    # ----------------------------------------------------- server overview

    def health(self):
        """The server's health as a dict (status, version, uptime_ms, ...)."""
        h = self._call("health")
        return {"status": h.status, "version": h.version, "api_version_major": h.api_version_major,
                "uptime_ms": h.uptime_ms, "server_time": h.server_time}

    def stats(self):
        """Counts per vertex label and edge type: columns kind ("vertex" or
        "edge"), name, count. Totals, memory and disk sizes are in ``.attrs``."""
        return frames.stats_frame(self._call("stats"))

    # ---------------------------------------------------------- primitives

    def profile(self, entity, kind=None, as_of=None):
        """Every property of an entity with the source record that asserts it:
        columns property, type, value, department, file, record, batch,
        recorded_at. The entity (id, label, keys, display) and its degree per
        edge type are in ``.attrs``. NotFound if no entity has that key."""
        t = self._b.ttypes
        req = t.ProfileRequest(entity=self._ref(entity, kind), options=self._options(as_of))
        return frames.profile_frame(self._call("profile", req))

    def neighbors(self, entity, kind=None, direction="both", edge_types=None, labels=None,
                  per_vertex_cap=None, as_of=None, max_rows=None):
        """The entity's neighbours, one row per edge: the neighbour (id, label,
        key_kind, key, display), direction ("out": the neighbour is the edge's
        target), the edge (type, validity, properties) and its source record."""
        t = self._b.ttypes
        req = t.NeighborsRequest(entity=self._ref(entity, kind), direction=_direction(t, direction),
                                 edge_types=list(edge_types or []), labels=list(labels or []),
                                 per_vertex_cap=per_vertex_cap,
                                 options=self._options(as_of, max_rows))
        return frames.neighbors_frame(self._call("neighbors", req), t.Direction)

    def subgraph(self, entity, kind=None, hops=2, edge_types=None, labels=None, per_vertex_cap=None,
                 as_of=None, max_rows=None):
        """The `hops`-hop neighbourhood of an entity as a Subgraph (vertices and
        edges DataFrames; ``.to_networkx()``)."""
        t = self._b.ttypes
        req = t.SubgraphRequest(entity=self._ref(entity, kind), hops=hops,
                                edge_types=list(edge_types or []), labels=list(labels or []),
                                per_vertex_cap=per_vertex_cap, options=self._options(as_of, max_rows))
        return Subgraph(self._call("subgraph", req))

    def paths(self, source, target, *, kind=None, max_hops=4, mode="shortest", k=3, edge_types=None,
              as_of=None, max_rows=None):
        """Paths between two entities, one row per hop (path, hop, length, the
        from/to entities, the edge with its validity and source, ``forward``).
        `mode` is "shortest", "all_shortest" or "k_shortest" (up to `k` paths).
        An empty frame means no path within `max_hops`."""
        t = self._b.ttypes
        modes = {"shortest": t.PathMode.SHORTEST, "all_shortest": t.PathMode.ALL_SHORTEST,
                 "k_shortest": t.PathMode.K_SHORTEST}
        if mode not in modes:
            raise errors.InvalidArgument(f"mode must be one of {sorted(modes)}, not {mode!r}", method="paths")
        req = t.PathsRequest(from_entity=self._ref(source, kind), to_entity=self._ref(target, kind),
                             max_hops=max_hops, mode=modes[mode], k=k, edge_types=list(edge_types or []),
                             options=self._options(as_of, max_rows))
        return frames.paths_frame(self._call("paths", req))

    # ----------------------------------------------------- mission queries

    def locate(self, ids, case_no=None, note=None, as_of=None, batch_size=1000):
        """Where do these persons live now? `ids` are identity numbers in any
        pasted format (or a path to a file with one per line). Court executors
        must name the execution case (`case_no`) the lookup serves. Large
        batches are sent in chunks of `batch_size`. Returns a LocateBatch."""
        t = self._b.ttypes
        if isinstance(ids, (str, os.PathLike)):
            ids = read_id_file(ids)
        ids = [str(i) for i in ids]
        purpose = t.Purpose(case_no=case_no, note=note) if case_no else None
        responses = []
        for start in range(0, len(ids), batch_size):
            req = t.LocateRequest(ids=ids[start:start + batch_size], purpose=purpose,
                                  options=self._options(as_of))
            responses.append(self._call("locate", req))
        return LocateBatch(responses, t.LocateStatus)

    def conflicts(self, as_of=None, program="DIBAO", page_size=200, rules_yaml=None):
        """Households receiving `program` on `as_of` with a member who owns what
        the rules forbid, every page fetched. Returns a ConflictReport."""
        t = self._b.ttypes
        as_of = _iso(as_of) if as_of is not None else ""
        pages, cursor = [], ""
        while True:
            req = t.ConflictsRequest(as_of=as_of, program=program, rules_yaml=rules_yaml, cursor=cursor,
                                     page_size=page_size, options=self._options())
            page = self._call("conflicts", req)
            pages.append(page)
            cursor = page.next_cursor
            if not cursor:
                break
        return ConflictReport(pages, as_of, program)

    # ----------------------------------------------------------- analytics

    def algorithm(self, name, projection="person_asset", params=None, top_k=20, as_of=None):
        """Runs a graph algorithm (pagerank, wcc, cdlp, lcc, bfs, sssp,
        betweenness) on a projection; returns its top_k entities (rank,
        entity columns, value). The run's summary (vertices, edges, iterations,
        millis, ...) is in ``.attrs["summary"]``."""
        t = self._b.ttypes
        req = t.AlgorithmRequest(name=name, projection=projection,
                                 params={str(k): str(v) for k, v in (params or {}).items()},
                                 top_k=top_k, options=self._options(as_of))
        return frames.algorithm_frame(self._call("runAlgorithm", req))

    def pagerank(self, projection="person_asset", top_k=20, damping=0.85, iterations=20):
        return self.algorithm("pagerank", projection, {"damping": damping, "iterations": iterations},
                              top_k)

    # ---------------------------------------------------- writes and audit

    def upsert(self, mapping, records, source_file, header=None):
        """Writes a batch of records through a server-side ingest mapping,
        atomically. Returns a dict (accepted, rejected, batch, vertices_added,
        edges_added) and the rejects as a DataFrame under "rejects"."""
        t = self._b.ttypes
        req = t.UpsertRequest(mapping=mapping, records=list(records), header=header,
                              source_file=source_file)
        r = self._call("upsert", req)
        rejects = frames.frame(({"line": x.line, "column": x.column, "value": x.value, "reason": x.reason}
                                for x in r.rejects or []), ("line", "column", "value", "reason"))
        return {"accepted": r.accepted, "rejected": r.rejected, "batch": r.batch,
                "vertices_added": r.vertices_added, "edges_added": r.edges_added, "rejects": rejects}

    def audit(self, user=None, method=None, from_seq=0, limit=100):
        """The newest `limit` audit entries matching user/method (admins only)."""
        q = self._b.ttypes.AuditQuery(user=user, method=method, from_seq=from_seq, limit=limit)
        return frames.audit_frame(self._call("auditQuery", q))

    def audit_verify(self):
        """Verifies the audit hash chain (admins only): dict ok, entries, problems."""
        r = self._call("auditVerify")
        return {"ok": r.ok, "entries": r.entries, "problems": list(r.problems or []),
                "head_hash": r.head_hash}


def _direction(ttypes, direction):
    if isinstance(direction, int):
        return direction
    value = ttypes.Direction._NAMES_TO_VALUES.get(str(direction).upper())
    if value is None:
        raise errors.InvalidArgument(f"direction must be out, in or both, not {direction!r}")
    return value


def _iso(date):
    """A date as the API's ISO string; accepts str, datetime.date, pandas Timestamp."""
    if date is None or date == "":
        return ""
    if hasattr(date, "strftime"):
        return date.strftime("%Y-%m-%d")
    return str(date)


def read_id_file(path):
    """Identity numbers from a text file, one per line; blank lines and lines
    starting with # are skipped; the first column is used for CSV files."""
    ids = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            ids.append(line.split(",")[0].strip())
    return ids
