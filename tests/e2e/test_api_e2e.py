"""End-to-end tests of the Thrift API through the generated Python bindings:
sessions, the role matrix, purpose binding, the audit log and malformed frames.
Run by ctest (api_python_e2e) with /usr/bin/python3 -m pytest."""

import collections
import random
import socket
import struct
import subprocess

import pytest

import api_server
from api_server import ttypes

MATRIX = {  # method -> roles allowed (api/README.md)
    "signout": set(api_server.ROLES),
    "health": set(api_server.ROLES),
    "stats": set(api_server.ROLES),
    "profile": {"admin", "investigator", "welfare_auditor", "analyst"},
    "neighbors": {"admin", "investigator", "welfare_auditor", "analyst"},
    "subgraph": {"admin", "investigator", "welfare_auditor", "analyst"},
    "paths": {"admin", "investigator", "analyst"},
    "locate": {"admin", "investigator", "court_executor"},
    "conflicts": {"admin", "welfare_auditor"},
    "upsert": {"admin"},
    "runAlgorithm": {"admin", "investigator", "analyst"},
    "auditQuery": {"admin"},
    "auditVerify": {"admin"},
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return api_server.prepared_city(tmp_path_factory.mktemp("api-city"))


@pytest.fixture(scope="module")
def cases(city):
    """(open case, two of its debtors' ids, a closed case with a debtor id, another open case's debtor)."""
    rows = api_server.court_cases(city)
    by_case = collections.defaultdict(list)
    for r in rows:
        by_case[r["案号"]].append(r)

    def debtors(rs):
        return [r["证件号码"] for r in rs if r["当事人类型"] == "被执行人" and r["证件号码"]
                and not r["证件号码"].startswith("9")]

    open_cases = [c for c, rs in by_case.items() if not rs[0]["结案日期"] and debtors(rs)]
    closed = [c for c, rs in by_case.items() if rs[0]["结案日期"] and debtors(rs)]
    assert len(open_cases) >= 2 and closed
    first = open_cases[0]
    other = next(c for c in open_cases[1:] if set(debtors(by_case[c])) - set(debtors(by_case[first])))
    other_debtor = next(d for d in debtors(by_case[other]) if d not in debtors(by_case[first]))
    return {"open": first, "open_debtors": debtors(by_case[first]), "closed": closed[0],
            "closed_debtor": debtors(by_case[closed[0]])[0], "other_debtor": other_debtor,
            "applicant": next((r["证件号码"] for r in by_case[first] if r["当事人类型"] == "申请执行人"
                               and r["证件号码"] and not r["证件号码"].startswith("9")), None)}


@pytest.fixture(scope="module")
def server(tmp_path_factory, city):
    s = api_server.Server(tmp_path_factory.mktemp("api-server"), city).start()
    yield s
    assert s.stop() == 0


def person_key(cases):
    return cases["open_debtors"][0]


def calls(cases):
    """method -> f(client, token) making one valid request."""
    key = ttypes.EntityRef(key=person_key(cases))
    purpose = ttypes.Purpose(case_no=cases["open"])
    return {
        "signout": lambda c, t: c.signout(t),
        "health": lambda c, t: c.health(t),
        "stats": lambda c, t: c.stats(t),
        "profile": lambda c, t: c.profile(t, ttypes.ProfileRequest(entity=key)),
        "neighbors": lambda c, t: c.neighbors(t, ttypes.NeighborsRequest(entity=key)),
        "subgraph": lambda c, t: c.subgraph(t, ttypes.SubgraphRequest(entity=key, hops=1)),
        "paths": lambda c, t: c.paths(t, ttypes.PathsRequest(
            from_entity=key, to_entity=ttypes.EntityRef(key=cases["other_debtor"]), max_hops=4)),
        "locate": lambda c, t: c.locate(t, ttypes.LocateRequest(ids=[person_key(cases)], purpose=purpose)),
        "conflicts": lambda c, t: c.conflicts(t, ttypes.ConflictsRequest(as_of="2024-06-30", page_size=5)),
        "upsert": lambda c, t: c.upsert(t, ttypes.UpsertRequest(mapping="telecom_mobile_subscribers",
                                                                header="手机号码,机主姓名,证件类型,证件号码,入网日期,销户日期,登记地址",
                                                                records=[f"13600000001,测试,身份证,{person_key(cases)},2024-01-01,,"],
                                                                source_file="e2e.csv")),
        "runAlgorithm": lambda c, t: c.runAlgorithm(t, ttypes.AlgorithmRequest(name="degree", top_k=3)),
        "auditQuery": lambda c, t: c.auditQuery(t, ttypes.AuditQuery(limit=3)),
        "auditVerify": lambda c, t: c.auditVerify(t),
    }


def code_of(fn):
    try:
        fn()
    except ttypes.ApiError as e:
        return e.code
    return None


def test_every_method_refuses_unauthenticated_calls(server, cases):
    c, _, transport = server.client()
    all_calls = calls(cases)
    assert set(all_calls) == set(MATRIX)
    for name, call in all_calls.items():
        for token in ["", "bogus", "0" * 64]:
            assert code_of(lambda: call(c, token)) == ttypes.ErrorCode.UNAUTHENTICATED, name
    assert code_of(lambda: c.authenticate("admin", "wrong")) == ttypes.ErrorCode.UNAUTHENTICATED
    transport.close()


def test_role_matrix_method_by_method(server, cases):
    all_calls = calls(cases)
    for role in api_server.ROLES:
        for name, call in all_calls.items():
            c, token, transport = server.client(role)
            code = code_of(lambda: call(c, token))
            if role in MATRIX[name]:
                assert code is None, f"{role} {name}: {code}"
            else:
                assert code == ttypes.ErrorCode.PERMISSION_DENIED, f"{role} {name}: {code}"
            transport.close()


def test_purpose_binding(server, cases):
    c, token, transport = server.client("court_executor")
    ids = cases["open_debtors"][:2] + [cases["other_debtor"]]
    if cases["applicant"]:
        ids.append(cases["applicant"])
    r = c.locate(token, ttypes.LocateRequest(ids=ids, purpose=ttypes.Purpose(case_no=cases["open"])))
    statuses = [x.status for x in r.results]
    n_debtors = len(cases["open_debtors"][:2])
    assert all(s != ttypes.LocateStatus.REFUSED for s in statuses[:n_debtors])
    assert statuses[0] == ttypes.LocateStatus.FOUND
    assert r.results[0].candidates, "a debtor of the open case is located"
    assert all(s == ttypes.LocateStatus.REFUSED for s in statuses[n_debtors:])
    assert all(not x.candidates for x in r.results[n_debtors:])
    # A closed case is refused outright, even for its own debtor.
    assert code_of(lambda: c.locate(token, ttypes.LocateRequest(
        ids=[cases["closed_debtor"]], purpose=ttypes.Purpose(case_no=cases["closed"])))) == \
        ttypes.ErrorCode.PERMISSION_DENIED
    # No purpose: refused.
    assert code_of(lambda: c.locate(token, ttypes.LocateRequest(ids=ids))) == ttypes.ErrorCode.PERMISSION_DENIED
    transport.close()
    a, at, t2 = server.client("admin")
    entries = a.auditQuery(at, ttypes.AuditQuery(user=api_server.user_of("court_executor"), method="locate",
                                                  limit=10))
    assert [e.purpose for e in entries[-3:]] == [cases["open"], cases["closed"], ""]
    assert [e.outcome for e in entries[-3:]] == ["OK", "PERMISSION_DENIED", "PERMISSION_DENIED"]
    assert "refused=" in entries[-3].detail
    t2.close()


def test_audit_log_is_verifiable(server, cases):
    a, token, transport = server.client("admin")
    before = a.auditVerify(token)
    assert before.ok and before.entries > 0 and len(before.head_hash) == 64
    entries = a.auditQuery(token, ttypes.AuditQuery(limit=0))
    assert len(entries) >= before.entries
    for prev, cur in zip(entries, entries[1:]):
        assert cur.prev_hash == prev.hash and cur.seq == prev.seq + 1
    transport.close()


def test_malformed_frames_do_not_crash_the_server(server):
    rng = random.Random(5)
    payloads = [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2000))) for _ in range(10)]
    payloads += [struct.pack(">I", 100) + b"x" * 10,          # truncated
                 b"\x00\x00",                                  # truncated length
                 struct.pack(">I", 0x7FFFFFFF) + b"y" * 1000,  # oversized
                 struct.pack(">I", 0xFFFFFFFF) + b"z",         # negative
                 struct.pack(">I", 8) + b"\xff" * 8]           # not a Thrift message
    for p in payloads:
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            try:
                s.sendall(p)
                s.shutdown(socket.SHUT_WR)
                s.settimeout(2)
                while s.recv(4096):
                    pass
            except OSError:
                pass
        assert server.alive()
    c, token, transport = server.client("analyst")
    assert c.health(token).status == "ok"
    transport.close()


def test_audit_verify_cli_after_shutdown(tmp_path, city):
    s = api_server.Server(tmp_path / "srv", city).start()
    c, token, transport = s.client("investigator")
    c.health(token)
    transport.close()
    assert s.stop() == 0
    out = subprocess.run([api_server.binary(), "audit", "verify", "--db", s.db], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "intact" in out.stdout
    show = subprocess.run([api_server.binary(), "audit", "show", "--db", s.db,
                           "--user", api_server.user_of("investigator")],
                          capture_output=True, text=True)
    assert show.returncode == 0 and "health" in show.stdout
