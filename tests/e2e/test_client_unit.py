"""Unit tests of the Python client (notebooks/citygraph) against the real
generated Thrift bindings, served by a fake in-process handler over a real
framed TCP transport: DataFrame conversion, paging, batching and the mapping
of every API error code to its Python exception.

Run: CITYGRAPH_GEN_PY=build/gen-py /usr/bin/python3 -m pytest tests/e2e/test_client_unit.py
"""

import os
import pathlib
import subprocess
import sys
import threading

import pytest

import citygraph
from citygraph import _bindings
from citygraph.testing import free_port
from thrift.protocol import TBinaryProtocol
from thrift.server import TServer
from thrift.transport import TSocket, TTransport

REPO = pathlib.Path(__file__).resolve().parents[2]

B = _bindings.load()
T = B.ttypes


def ent(i, label="Person", kind="id_number", key=None, display=None):
    return T.Entity(id=i, label=label, keys=[T.Key(kind=kind, value=key or f"K{i}")],
                    display=display or f"{label} {i}")


def src(dept="police", file="hukou_persons.csv", record=2):
    return T.Source(department=dept, file=file, record=record, batch=1, recorded_at="2024-09-30T00:00:00Z")


def edge(i, type_, a, b, valid_to=""):
    return T.Edge(id=i, type=type_, src=a, dst=b, valid_from="2016-07-09", valid_to=valid_to,
                  source=src(record=10 + i), properties={"share": "0.5"} if type_ == "OWNS" else {})


class FakeHandler:
    """Implements the service with canned answers. A user named after an error
    code (e.g. "NOT_FOUND") gets a session whose every call fails with it."""

    def __init__(self):
        self.calls = []

    def _check(self, token):
        if not token.startswith("tok-"):
            raise T.ApiError(code=T.ErrorCode.UNAUTHENTICATED, message="no such session")
        code = token[len("tok-"):]
        if code in T.ErrorCode._NAMES_TO_VALUES:
            raise T.ApiError(code=T.ErrorCode._NAMES_TO_VALUES[code], message=f"fake {code}")

    def authenticate(self, user, password):
        self.calls.append(("authenticate", user))
        if password != "pw":
            raise T.ApiError(code=T.ErrorCode.UNAUTHENTICATED, message="wrong user or password")
        return T.Session(token=f"tok-{user}", user=user, role="analyst", expires_at_ms=2**62)

    def signout(self, token):
        self.calls.append(("signout", token))

    def health(self, token):
        self._check(token)
        return T.Health(status="ok", version="1.0.0", api_version_major=1, uptime_ms=5, server_time="x")

    def stats(self, token):
        self._check(token)
        return T.Stats(num_vertices=30, num_edges=40, vertices_per_label={"Person": 20, "House": 10},
                       edges_per_type={"OWNS": 40}, memory_bytes=1, disk_bytes=2, calls_per_method={},
                       active_sessions=1, audit_entries=3, uptime_ms=5)

    def profile(self, token, req):
        self._check(token)
        if req.entity.key == "missing":
            raise T.ApiError(code=T.ErrorCode.NOT_FOUND, message="no Person with id_number missing")
        return T.Profile(entity=ent(7, key=req.entity.key, display="张三"),
                         properties=[T.Property(name="name", type="string", value="张三", source=src()),
                                     T.Property(name="birth_date", type="date", value="1980-01-01",
                                                source=src("housing", "property_rights.csv", 5))],
                         degree_by_edge_type={"OWNS": 2})

    def neighbors(self, token, req):
        self._check(token)
        return T.NeighborsResult(
            center=ent(7), truncation=T.Truncation(truncated=True, reason="max_rows"),
            neighbors=[T.Neighbor(entity=ent(8, "House", "cert_no"), edge=edge(1, "OWNS", 7, 8),
                                  direction=T.Direction.OUT),
                       T.Neighbor(entity=ent(9, "Household", "household_no"), edge=edge(2, "MEMBER_OF", 7, 9),
                                  direction=T.Direction.OUT)])

    def subgraph(self, token, req):
        self._check(token)
        return T.Subgraph(vertices=[ent(7), ent(8, "House"), ent(9, "Person")],
                          edges=[edge(1, "OWNS", 7, 8), edge(2, "OWNS", 9, 8), edge(3, "RESIDES_AT", 7, 8)],
                          truncation=T.Truncation(truncated=False, reason=""))

    def paths(self, token, req):
        self._check(token)
        p = T.Path(vertices=[ent(7), ent(8, "House"), ent(9)],
                   edges=[edge(1, "OWNS", 7, 8), edge(2, "OWNS", 9, 8)])
        return T.PathsResult(paths=[p], truncation=T.Truncation(truncated=False, reason=""))

    def locate(self, token, req):
        self._check(token)
        self.calls.append(("locate", list(req.ids), req.purpose.case_no if req.purpose else None))
        results = []
        for i in req.ids:
            if i.startswith("bad"):
                results.append(T.LocateResult(input=i, normalized="", status=T.LocateStatus.INVALID_ID,
                                              candidates=[], household_members=[], message="bad check"))
                continue
            ev = T.Evidence(kind="home_visit", edge=edge(5, "RESIDES_AT", 7, 8), source=src("grid", "r.csv", 3),
                            date="2024-05-01", detail="visit")
            cands = [T.Candidate(house=ent(8, "House", "cert_no"), address=f"addr {i}", grid_code="G1",
                                 grid_name="grid one", confidence=0.9, evidence=[ev]),
                     T.Candidate(house=ent(10, "House", "cert_no"), address="old", grid_code="G2",
                                 grid_name="grid two", confidence=0.3, evidence=[])]
            results.append(T.LocateResult(input=i, normalized=i.strip().upper(), status=T.LocateStatus.FOUND,
                                          person=ent(7, key=i), candidates=cands, household_members=[ent(11)],
                                          grid_worker=ent(12, "GridWorker", "worker_no", display="李四"),
                                          message=""))
        return T.LocateResponse(results=results, truncation=T.Truncation(truncated=False, reason=""))

    def conflicts(self, token, req):
        self._check(token)
        self.calls.append(("conflicts", req.cursor, req.as_of))
        page = int(req.cursor or "0")
        hh = []
        for j in range(2):
            n = page * 2 + j
            ev = T.Evidence(kind="OWNS", edge=edge(n, "OWNS", 100 + n, 200 + n), source=src("housing"),
                            date="2016-07-09", detail="")
            rule = "two_or_more_houses" if n % 2 == 0 else "owns_vehicle"
            hh.append(T.HouseholdConflict(
                household=ent(300 + n, "Household", "household_no"), members=[ent(100 + n), ent(150 + n)],
                hits=[T.RuleHit(rule=rule, member=ent(100 + n), evidence=[ev, ev], detail="d")],
                probabilistic_links=[T.ProbabilisticLink(vertex=100 + n, score=0.91, explanation="name+birth")]
                if n == 0 else []))
        return T.ConflictsPage(households=hh, next_cursor=str(page + 1) if page < 2 else "", total=6,
                               truncation=T.Truncation(truncated=False, reason=""))

    def runAlgorithm(self, token, req):
        self._check(token)
        top = [T.Score(entity=ent(i), value=1.0 / (i + 1)) for i in range(req.top_k)]
        return T.AlgorithmResult(name=req.name, top=top, summary={"vertices": 30.0},
                                 truncation=T.Truncation(truncated=False, reason=""))

    def upsert(self, token, req):
        self._check(token)
        return T.UpsertResult(accepted=1, rejected=1, rejects=[T.Reject(line=2, column="id", value="x",
                                                                        reason="bad")],
                              batch=4, vertices_added=1, edges_added=2)

    def auditQuery(self, token, q):
        self._check(token)
        return [T.AuditEntry(seq=1, time="t", user="u", role="admin", method="stats", purpose="",
                             params_digest="00", result_count=1, outcome="OK", detail="", prev_hash="0",
                             hash="1")]

    def auditVerify(self, token):
        self._check(token)
        return T.AuditVerifyResult(ok=True, entries=1, problems=[], head_hash="1")


@pytest.fixture(scope="module")
def server():
    handler = FakeHandler()
    port = free_port()
    processor = B.service.Processor(handler)
    srv = TServer.TThreadedServer(processor, TSocket.TServerSocket(host="127.0.0.1", port=port),
                                  TTransport.TFramedTransportFactory(),
                                  TBinaryProtocol.TBinaryProtocolFactory())
    srv.daemon = True
    threading.Thread(target=srv.serve, daemon=True).start()
    import socket
    import time
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return handler, port


@pytest.fixture
def cg(server):
    _, port = server
    with citygraph.connect("127.0.0.1", port, "analyst", "pw") as c:
        yield c


def test_connect_wrong_password_is_unauthenticated(server):
    _, port = server
    with pytest.raises(citygraph.Unauthenticated) as info:
        citygraph.connect("127.0.0.1", port, "analyst", "nope")
    assert info.value.code == "UNAUTHENTICATED"
    assert "wrong user or password" in str(info.value)


def test_connect_to_closed_port_is_unavailable():
    with pytest.raises(citygraph.Unavailable):
        citygraph.connect("127.0.0.1", free_port(), "analyst", "pw", timeout_s=2)


@pytest.mark.parametrize("code,cls", [
    ("NOT_FOUND", citygraph.NotFound), ("INVALID_ARGUMENT", citygraph.InvalidArgument),
    ("PERMISSION_DENIED", citygraph.PermissionDenied), ("LIMIT_EXCEEDED", citygraph.LimitExceeded),
    ("DEADLINE_EXCEEDED", citygraph.DeadlineExceeded), ("UNAUTHENTICATED", citygraph.Unauthenticated),
    ("INTERNAL", citygraph.InternalError)])
def test_every_error_code_maps_to_its_exception(server, code, cls):
    _, port = server
    with citygraph.connect("127.0.0.1", port, code, "pw") as c:
        with pytest.raises(cls) as info:
            c.stats()
    assert isinstance(info.value, citygraph.CityGraphError)
    assert info.value.code == code
    assert info.value.method == "stats"
    assert f"fake {code}" in str(info.value)


def test_every_idl_error_code_has_a_python_exception():
    # A code added to the IDL without a Python class would surface as InternalError.
    for name in T.ErrorCode._NAMES_TO_VALUES:
        assert citygraph.errors.error_class(name).code == name


def test_stats_frame(cg):
    df = cg.stats()
    assert list(df.columns) == ["kind", "name", "count"]
    assert set(zip(df.kind, df.name, df["count"])) == {("vertex", "House", 10), ("vertex", "Person", 20),
                                                         ("edge", "OWNS", 40)}
    assert df.attrs["num_vertices"] == 30


def test_profile_has_source_of_each_fact(cg):
    df = cg.profile("420102198001011234")
    assert list(df["property"]) == ["name", "birth_date"]
    assert list(df["department"]) == ["police", "housing"]
    assert list(df["file"]) == ["hukou_persons.csv", "property_rights.csv"]
    assert df.attrs["label"] == "Person" and df.attrs["display"] == "张三"
    assert df.attrs["key"] == "420102198001011234"
    assert df.attrs["degree_by_edge_type"] == {"OWNS": 2}


def test_profile_not_found(cg):
    with pytest.raises(citygraph.NotFound, match="no Person"):
        cg.profile("missing")


def test_neighbors_frame(cg):
    df = cg.neighbors(7)
    assert list(df["label"]) == ["House", "Household"]
    assert list(df["direction"]) == ["out", "out"]
    assert list(df["edge_type"]) == ["OWNS", "MEMBER_OF"]
    assert df["edge_properties"].iloc[0] == {"share": "0.5"}
    assert df["valid_to"].isna().all()  # "" = still holds
    assert df.attrs["truncated"] and df.attrs["truncation_reason"] == "max_rows"
    assert df.attrs["center_id"] == 7


def test_bad_direction_is_invalid_argument(cg):
    with pytest.raises(citygraph.InvalidArgument):
        cg.neighbors(7, direction="sideways")


def test_subgraph_to_networkx(cg):
    sg = cg.subgraph(("id_number", "K7"), hops=2)
    g = sg.to_networkx()
    assert set(g.nodes) == {7, 8, 9}
    assert g.nodes[8]["label"] == "House"
    assert g.number_of_edges() == 3
    assert {d["edge_type"] for _, _, d in g.edges(data=True)} == {"OWNS", "RESIDES_AT"}
    assert g.edges[7, 8, 1]["department"] == "police"
    simple = sg.to_networkx(multigraph=False)
    assert simple.number_of_edges() == 2


def test_paths_frame_walks_edges_both_ways(cg):
    df = cg.paths("K7", "K9", mode="all_shortest")
    assert list(df["hop"]) == [1, 2]
    assert list(df["forward"]) == [True, False]
    assert list(df["from_id"]) == [7, 8] and list(df["to_id"]) == [8, 9]
    with pytest.raises(citygraph.InvalidArgument):
        cg.paths("a", "b", mode="longest")


def test_locate_batches_keep_order_and_purpose(server, cg):
    handler, _ = server
    handler.calls.clear()
    ids = ["a1", "bad2", "a3", "a4", "a5"]
    batch = cg.locate(ids, case_no="(2023)鄂0106执1号", batch_size=2)
    locates = [c for c in handler.calls if c[0] == "locate"]
    assert [c[1] for c in locates] == [["a1", "bad2"], ["a3", "a4"], ["a5"]]
    assert all(c[2] == "(2023)鄂0106执1号" for c in locates)
    assert list(batch.results["input"]) == ids
    assert dict(batch.status_counts()) == {"found": 4, "invalid_id": 1}
    assert len(batch.candidates) == 8 and set(batch.candidates["rank"]) == {1, 2}
    assert len(batch.evidence) == 4 and set(batch.evidence["department"]) == {"grid"}
    top = batch.results.set_index("input").loc["a3"]
    assert top["address"] == "addr a3" and top["grid_code"] == "G1" and top["worker_display"] == "李四"
    assert len(batch.dispatch_list()) == 4


def test_locate_reads_id_file(tmp_path, cg):
    f = tmp_path / "ids.txt"
    f.write_text("# debtors\nx1, extra\n\nx2\n", encoding="utf-8")
    assert list(cg.locate(str(f)).results["input"]) == ["x1", "x2"]


def test_conflicts_follow_the_cursor(server, cg):
    handler, _ = server
    handler.calls.clear()
    report = cg.conflicts(as_of="2024-06-30")
    assert [c[1] for c in handler.calls if c[0] == "conflicts"] == ["", "1", "2"]
    assert all(c[2] == "2024-06-30" for c in handler.calls if c[0] == "conflicts")
    assert len(report) == 6 and report.total == 6
    assert dict(report.by_rule()) == {"two_or_more_houses": 3, "owns_vehicle": 3}
    assert len(report.evidence) == 12
    assert len(report.members) == 12
    assert list(report.probabilistic["score"]) == [0.91]
    hits, evidence = report.household(300)
    assert list(hits["rule"]) == ["two_or_more_houses"]
    assert set(evidence["edge_type"]) == {"OWNS"} and set(evidence["department"]) == {"housing"}
    with pytest.raises(KeyError):
        report.household(999)


def test_algorithm_frame(cg):
    df = cg.algorithm("pagerank", top_k=5)
    assert list(df["rank"]) == [1, 2, 3, 4, 5]
    assert df["value"].is_monotonic_decreasing
    assert df.attrs["summary"] == {"vertices": 30.0}


def test_upsert_and_audit(cg):
    r = cg.upsert("grid_reports", ["a,b"], "f.csv")
    assert r["accepted"] == 1 and list(r["rejects"]["reason"]) == ["bad"]
    assert list(cg.audit()["method"]) == ["stats"]
    assert cg.audit_verify()["ok"]


def test_close_signs_out(server):
    handler, port = server
    c = citygraph.connect("127.0.0.1", port, "analyst", "pw")
    c.close()
    c.close()
    assert ("signout", "tok-analyst") in handler.calls
    with pytest.raises(citygraph.Unauthenticated):
        c.stats()


def test_missing_bindings_raise_a_clear_error(tmp_path):
    code = ("import citygraph\n"
            "try:\n    citygraph.connect('127.0.0.1', 1, 'u', 'p')\n"
            "except citygraph.BindingsNotFound as e:\n    print('MISSING', e)\n")
    env = dict(os.environ, CITYGRAPH_GEN_PY=str(tmp_path / "nowhere"),
               PYTHONPATH=str(REPO / "notebooks"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.startswith("MISSING")
    assert str(tmp_path / "nowhere") in out.stdout and "CITYGRAPH_GEN_PY" in out.stdout


def test_locate_batches_combine_per_case(cg):
    a = cg.locate(["a1", "bad2"], case_no="C1")
    b = cg.locate(["a3"], case_no="C2")
    both = citygraph.LocateBatch.combine({"C1": a, "C2": b})
    assert list(both.results["case_no"]) == ["C1", "C1", "C2"]
    assert list(both.results["input"]) == ["a1", "bad2", "a3"]
    assert list(both.candidates["case_no"]) == ["C1", "C1", "C2", "C2"]
    assert list(both.dispatch_list()["case_no"]) == ["C1", "C2"]
    assert dict(both.status_counts()) == {"found": 2, "invalid_id": 1}
