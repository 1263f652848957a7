"""The Python client against a real `citygraph serve` on a small generated
city: sessions and roles, DataFrames that agree with the generator's truth
files, error codes as Python exceptions.

Uses the city prepared by the ctest fixture notebooks_city_setup
(CITYGRAPH_TEST_CITY) or prepares one (CITYGRAPH_BIN names the binary).
Run: CITYGRAPH_GEN_PY=build/gen-py /usr/bin/python3 -m pytest tests/e2e/test_client_server.py
"""

import json
import pathlib

import pandas as pd
import pytest

import citygraph
from citygraph import testing

# `server` (conftest.py): the citygraph.testing server on the prepared city.


@pytest.fixture(scope="module")
def truth(server):
    d = server.city_dir / "truth"
    return {name: json.loads((d / f"{name}.json").read_text(encoding="utf-8"))
            for name in ("manifest", "counts", "conflicts", "locate", "paths")}


def login(server, account):
    _, password = testing.ACCOUNTS[account]
    return citygraph.connect(server.host, server.port, account, password)


@pytest.fixture(scope="module")
def analyst(server):
    with login(server, "analyst") as c:
        yield c


@pytest.fixture(scope="module")
def investigator(server):
    with login(server, "investigator") as c:
        yield c


def check_char(body17):
    """ISO 7064 MOD 11-2 check character of an identity number's first 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


def test_wrong_password_is_unauthenticated(server):
    with pytest.raises(citygraph.Unauthenticated):
        citygraph.connect(server.host, server.port, "analyst", "not-the-password")


def test_session_carries_the_role(server):
    for account, (role, _) in testing.ACCOUNTS.items():
        with login(server, account) as c:
            assert c.role == role and c.user == account


@pytest.mark.parametrize("account,call", [
    ("analyst", lambda c: c.conflicts(as_of="2024-06-30")),
    ("court", lambda c: c.profile("420102198001011234")),
    ("auditor", lambda c: c.paths("420102198001011234", "420102198001011234")),
    ("investigator", lambda c: c.audit()),
])
def test_role_matrix_refusals_are_permission_denied(server, account, call):
    with login(server, account) as c:
        with pytest.raises(citygraph.PermissionDenied):
            call(c)


def test_stats_match_the_generated_city(analyst, truth):
    stats = analyst.stats()
    vertices = stats[stats.kind == "vertex"].set_index("name")["count"]
    # An analyst's stats count only the labels the role may see.
    assert 0 < vertices.sum() <= stats.attrs["num_vertices"]
    assert "Phone" not in vertices.index and "Case" not in vertices.index
    # Entity resolution must not lose or split many persons (homonyms are distinct persons).
    persons = truth["counts"]["entities"]["persons"]
    assert abs(vertices["Person"] - persons) <= 0.02 * persons, (vertices["Person"], persons)


def test_profile_names_the_source_of_every_fact(analyst, truth):
    person = truth["locate"]["debtors"][0]["id_number"]
    profile = analyst.profile(person)
    assert profile.attrs["label"] == "Person" and profile.attrs["key"] == person
    assert "name" in set(profile["property"])
    files = {pathlib.PurePath(f["path"]).name for f in truth["manifest"]["files"]}
    assert profile["department"].str.len().gt(0).all()
    assert set(profile["file"].map(lambda f: pathlib.PurePath(f).name)) <= files
    # The same person through a pasted variant: lower-case x, spaces.
    variant = " " + person[:6] + " " + person[6:].lower()
    assert analyst.profile(variant).attrs["id"] == profile.attrs["id"]


def test_unknown_and_malformed_keys(analyst):
    body = "11010119000101001"  # Beijing, 1900-01-01: valid, but nobody in Wuhan's city
    with pytest.raises(citygraph.NotFound):
        analyst.profile(body + check_char(body))
    with pytest.raises(citygraph.InvalidArgument):
        analyst.profile(("id_number", "not-an-identity-number"))


def test_neighbors_hold_on_the_as_of_date(analyst, truth):
    as_of = truth["manifest"]["as_of"]
    person = truth["locate"]["debtors"][0]["id_number"]
    nbrs = analyst.neighbors(person, as_of=as_of)
    assert not nbrs.empty
    assert (nbrs["valid_from"].fillna("0000-00-00") <= as_of).all()
    assert (nbrs["valid_to"].fillna("9999-99-99") > as_of).all()
    assert set(nbrs["direction"]) <= {"out", "in"}


def test_subgraph_to_networkx(investigator, truth):
    person = truth["locate"]["debtors"][0]["id_number"]
    sg = investigator.subgraph(person, hops=2, as_of=truth["manifest"]["as_of"])
    g = sg.to_networkx()
    assert set(g.nodes) == set(sg.vertices["id"])
    assert g.number_of_edges() == len(sg.edges)
    assert person in {d["key"] for _, d in g.nodes(data=True)}


def test_paths_have_the_true_length(investigator, truth):
    pairs = [p for p in truth["paths"]["pairs"] if 0 < p["distance"] <= 6][:5]
    assert pairs
    for p in pairs:
        df = investigator.paths(p["a"], p["b"], max_hops=8, edge_types=truth["paths"]["edge_types"],
                                as_of=truth["paths"]["as_of"])
        assert not df.empty, p
        assert df["length"].iloc[0] == p["distance"], p
        hops = df[df["path"] == 0]
        assert list(hops["to_id"].iloc[:-1]) == list(hops["from_id"].iloc[1:])  # a connected walk


def test_conflicts_agree_with_the_truth(server, truth):
    t = truth["conflicts"]
    with login(server, "auditor") as c:
        report = c.conflicts(as_of=t["audit_date"], program=t["program_code"], page_size=7)
    flagged = set(report.households["household_key"])
    expected = {h["household_no"] for h in t["ineligible"]}
    decoys = {d["household_no"] for d in t["decoys"]}
    assert report.total == len(report.households)
    assert not flagged & decoys, f"decoys flagged: {sorted(flagged & decoys)}"
    assert flagged == expected, (sorted(flagged - expected), sorted(expected - flagged))
    # Every hit is backed by evidence with a source record.
    assert (report.hits["evidence"] > 0).all()
    assert report.evidence["department"].str.len().gt(0).all()


def test_locate_finds_debtors_under_their_case(server, truth):
    # Cases still open today (the server judges purpose on today's status).
    court = pd.read_csv(server.city_dir / "court" / "execution_cases.csv", dtype=str, keep_default_na=False)
    open_cases = set(court.loc[(court["案件状态"] == "执行中") & (court["结案日期"] == ""), "案号"])
    debtors = [d for d in truth["locate"]["debtors"] if open_cases & set(d["case_nos"])][:20]
    assert debtors
    with login(server, "court") as c:
        batches = {}
        for d in debtors:
            case = sorted(open_cases & set(d["case_nos"]))[0]
            batches.setdefault(case, []).append(d["id_number"])
        located = citygraph.LocateBatch.combine(
            {case: c.locate(ids, case_no=case, as_of=truth["locate"]["as_of"]) for case, ids in batches.items()})
        res = located.results.set_index("input")
        assert (res["status"] == "found").all(), res[res["status"] != "found"][["status", "message"]]
        top = located.candidates[located.candidates["rank"] == 1].set_index("input")["house_key"]
        hits = sum(top.get(d["id_number"]) == d["residence"]["cert_no"] for d in debtors)
        assert hits >= 0.9 * len(debtors), f"top-1 right for {hits} of {len(debtors)}"
        # Purpose binding: another case's debtor is not located.
        other = next((d for d in debtors if case not in d["case_nos"]), None)
        if other is not None:
            try:
                wrong = c.locate([other["id_number"]], case_no=case)
                assert wrong.results["status"].iloc[0] == "refused"
            except citygraph.PermissionDenied:
                pass


def test_pagerank_top_entities(analyst):
    pr = analyst.algorithm("pagerank", top_k=50)
    assert len(pr) == 50
    assert pr["value"].is_monotonic_decreasing
    assert list(pr["rank"]) == list(range(1, 51))
    assert pd.api.types.is_float_dtype(pr["value"]) and (pr["value"] > 0).all()
