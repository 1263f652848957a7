"""Result objects for the API answers that are more than one table: a batch
locate, a conflict audit and a subgraph. Each holds pandas DataFrames that
join on documented columns, so they can be filtered and merged freely.

Plain values built once from the server's answer; safe to share read-only.
"""

import pandas as pd

from . import frames
from .frames import ENTITY_FIELDS, frame


class _NoStatus:
    _VALUES_TO_NAMES = {}


class LocateBatch:
    """The answer to a batch locate.

    Attributes:
        results: one row per input number, in input order: ``input``,
            ``normalized``, ``status`` (found, not_found, invalid_id,
            ambiguous, refused), the person, the best candidate's
            ``address``/``grid_code``/``grid_name``/``confidence``, the grid
            worker to send (``worker_*``), ``candidates`` (count), ``message``.
        candidates: one row per (input, rank) candidate residence.
        evidence: one row per fact behind a candidate (input, rank, kind, date,
            detail, edge and source columns).
        members: one row per (input, household member).
        truncated / truncation_reason: set when a guardrail cut the answer.
    """

    def __init__(self, responses, status_enum):
        res_rows, cand_rows, ev_rows, mem_rows = [], [], [], []
        truncated, reasons = False, []
        for response in responses:
            t = frames.truncation_dict(response.truncation)
            truncated = truncated or t["truncated"]
            if t["truncation_reason"]:
                reasons.append(t["truncation_reason"])
            for r in response.results or []:
                status = status_enum._VALUES_TO_NAMES.get(r.status, str(r.status)).lower()
                top = r.candidates[0] if r.candidates else None
                row = {"input": r.input, "normalized": r.normalized, "status": status}
                row.update(frames.entity_row(r.person, "person_"))
                row.update({
                    "address": top.address if top else None,
                    "grid_code": top.grid_code if top else None,
                    "grid_name": top.grid_name if top else None,
                    "confidence": top.confidence if top else None,
                })
                row.update(frames.entity_row(r.grid_worker, "worker_"))
                row["candidates"] = len(r.candidates or [])
                row["message"] = r.message
                res_rows.append(row)
                for rank, c in enumerate(r.candidates or [], start=1):
                    crow = {"input": r.input, "normalized": r.normalized, "rank": rank}
                    crow.update(frames.entity_row(c.house, "house_"))
                    crow.update(address=c.address, grid_code=c.grid_code, grid_name=c.grid_name,
                                confidence=c.confidence,
                                evidence_kinds=", ".join(sorted({e.kind for e in c.evidence or []})))
                    cand_rows.append(crow)
                    for e in c.evidence or []:
                        erow = {"input": r.input, "rank": rank}
                        erow.update(frames.evidence_row(e))
                        ev_rows.append(erow)
                for m in r.household_members or []:
                    mrow = {"input": r.input}
                    mrow.update(frames.entity_row(m, "member_"))
                    mem_rows.append(mrow)

        def pref(p):
            return tuple(p + f for f in ENTITY_FIELDS)

        self.results = frame(res_rows, ("input", "normalized", "status") + pref("person_") +
                             ("address", "grid_code", "grid_name", "confidence") + pref("worker_") +
                             ("candidates", "message"))
        self.candidates = frame(cand_rows, ("input", "normalized", "rank") + pref("house_") +
                                ("address", "grid_code", "grid_name", "confidence", "evidence_kinds"))
        ev_cols = ("input", "rank", "kind", "date", "detail") + tuple(
            c for c in frames.EDGE_FIELDS if c not in ("department", "file", "record", "batch", "recorded_at")
        ) + frames.SOURCE_FIELDS
        self.evidence = frame(ev_rows, ev_cols)
        self.members = frame(mem_rows, ("input",) + pref("member_"))
        self.truncated = truncated
        self.truncation_reason = ", ".join(sorted(set(reasons)))

    @classmethod
    def combine(cls, batches, column="case_no"):
        """One LocateBatch from several, e.g. one locate per execution case:
        `batches` maps a label (the case number) to its LocateBatch; every
        table gains `column` holding that label as its first column."""
        out = cls([], _NoStatus)
        parts = {name: [] for name in ("results", "candidates", "evidence", "members")}
        reasons = []
        for label, batch in batches.items():
            for name, dfs in parts.items():
                df = getattr(batch, name).copy()
                df.insert(0, column, label)
                dfs.append(df)
            out.truncated = out.truncated or batch.truncated
            if batch.truncation_reason:
                reasons.append(batch.truncation_reason)
        for name, dfs in parts.items():
            empty = getattr(out, name)
            cols = [column] + list(empty.columns)
            setattr(out, name, pd.concat(dfs, ignore_index=True) if dfs else frame([], cols))
        out.truncation_reason = ", ".join(sorted(set(reasons)))
        return out

    def status_counts(self):
        """Number of inputs per status, largest first."""
        return self.results["status"].value_counts().rename_axis("status").rename("count")

    def dispatch_list(self):
        """The found debtors grouped for dispatch: one row per debtor with the
        grid cell, the grid worker to send and the best address, sorted by grid
        then by confidence (highest first)."""
        found = self.results[self.results["status"] == "found"]
        cols = ["grid_code", "grid_name", "worker_display", "worker_key", "person_display",
                "normalized", "address", "confidence"]
        if "case_no" in found.columns:
            cols.insert(4, "case_no")
        return (found[cols].sort_values(["grid_code", "confidence"], ascending=[True, False])
                .reset_index(drop=True))

    def __len__(self):
        return len(self.results)

    def __repr__(self):
        return f"<LocateBatch {len(self)} inputs: {dict(self.status_counts())}>"


class ConflictReport:
    """All households flagged by the asset-conflict audit, every page fetched.

    Attributes:
        households: one row per flagged household (``household_*`` entity
            columns, ``members`` count, ``rules`` hit, ``hits`` count,
            ``probabilistic_links`` count).
        hits: one row per (household, rule, member) with the rule's detail.
        evidence: one row per fact behind a hit: household and member keys,
            rule, kind, date, detail, the edge (type, endpoints, validity) and
            its source record.
        members: one row per (household, member).
        probabilistic: links that rest on an entity-resolution match (score).
        total: households flagged according to the server.
    """

    def __init__(self, pages, as_of, program):
        hh_rows, hit_rows, ev_rows, mem_rows, prob_rows = [], [], [], [], []
        truncated, reasons, total = False, [], 0
        for page in pages:
            total = page.total
            t = frames.truncation_dict(page.truncation)
            truncated = truncated or t["truncated"]
            if t["truncation_reason"]:
                reasons.append(t["truncation_reason"])
            for h in page.households or []:
                hrow = frames.entity_row(h.household, "household_")
                hrow["members"] = len(h.members or [])
                hrow["rules"] = ", ".join(sorted({x.rule for x in h.hits or []}))
                hrow["hits"] = len(h.hits or [])
                hrow["probabilistic_links"] = len(h.probabilistic_links or [])
                hh_rows.append(hrow)
                hid = h.household.id if h.household is not None else None
                for m in h.members or []:
                    mrow = {"household_id": hid}
                    mrow.update(frames.entity_row(m, "member_"))
                    mem_rows.append(mrow)
                for x in h.hits or []:
                    xrow = {"household_id": hid, "rule": x.rule}
                    xrow.update(frames.entity_row(x.member, "member_"))
                    xrow["evidence"] = len(x.evidence or [])
                    xrow["detail"] = x.detail
                    hit_rows.append(xrow)
                    for e in x.evidence or []:
                        erow = {"household_id": hid, "rule": x.rule,
                                "member_id": x.member.id if x.member is not None else None,
                                "member_display": x.member.display if x.member is not None else None}
                        erow.update(frames.evidence_row(e))
                        ev_rows.append(erow)
                for p in h.probabilistic_links or []:
                    prob_rows.append({"household_id": hid, "vertex": p.vertex, "score": p.score,
                                      "explanation": p.explanation})

        def pref(p):
            return tuple(p + f for f in ENTITY_FIELDS)

        self.households = frame(hh_rows, pref("household_") + ("members", "rules", "hits",
                                                              "probabilistic_links"))
        self.hits = frame(hit_rows, ("household_id", "rule") + pref("member_") + ("evidence", "detail"))
        ev_cols = ("household_id", "rule", "member_id", "member_display", "kind", "date", "detail") + tuple(
            c for c in frames.EDGE_FIELDS if c not in frames.SOURCE_FIELDS) + frames.SOURCE_FIELDS
        self.evidence = frame(ev_rows, ev_cols)
        self.members = frame(mem_rows, ("household_id",) + pref("member_"))
        self.probabilistic = frame(prob_rows, ("household_id", "vertex", "score", "explanation"))
        self.total = total
        self.as_of = as_of
        self.program = program
        self.truncated = truncated
        self.truncation_reason = ", ".join(sorted(set(reasons)))

    def by_rule(self):
        """Number of distinct households hitting each rule."""
        return (self.hits.groupby("rule")["household_id"].nunique().sort_values(ascending=False)
                .rename("households"))

    def household(self, household):
        """The hits and evidence of one household, given its id or key."""
        hh = self.households
        match = hh[(hh["household_id"] == household) | (hh["household_key"] == household)]
        if match.empty:
            raise KeyError(f"household {household!r} is not in this report")
        hid = match["household_id"].iloc[0]
        return (self.hits[self.hits["household_id"] == hid].reset_index(drop=True),
                self.evidence[self.evidence["household_id"] == hid].reset_index(drop=True))

    def __len__(self):
        return len(self.households)

    def __repr__(self):
        return f"<ConflictReport {self.program} as of {self.as_of}: {len(self)} households>"


class Subgraph:
    """A neighbourhood as two tables, convertible to a networkx graph.

    Attributes:
        vertices: one row per entity (id, label, key_kind, key, display).
        edges: one row per edge (edge_id, edge_type, src, dst, validity,
            source, edge_properties).
        truncated / truncation_reason: set when a guardrail cut the answer.
    """

    def __init__(self, result):
        self.vertices = frames.entities_frame(result.vertices)
        self.edges = frames.edges_frame(result.edges)
        t = frames.truncation_dict(result.truncation)
        self.truncated = t["truncated"]
        self.truncation_reason = t["truncation_reason"]

    def to_networkx(self, multigraph=True):
        """A networkx MultiDiGraph (or DiGraph when multigraph=False, keeping the
        first edge between two vertices). Nodes are vertex ids with attributes
        label, key_kind, key, display; edges carry edge_type, validity, the
        source record and the edge properties, keyed by edge id."""
        import networkx as nx

        g = nx.MultiDiGraph() if multigraph else nx.DiGraph()
        for row in self.vertices.itertuples(index=False):
            g.add_node(row.id, label=row.label, key_kind=row.key_kind, key=row.key,
                       display=row.display)
        for row in self.edges.to_dict("records"):
            attrs = {k: v for k, v in row.items() if k not in ("src", "dst")}
            if multigraph:
                g.add_edge(row["src"], row["dst"], key=row["edge_id"], **attrs)
            elif not g.has_edge(row["src"], row["dst"]):
                g.add_edge(row["src"], row["dst"], **attrs)
        return g

    def __repr__(self):
        return f"<Subgraph {len(self.vertices)} vertices, {len(self.edges)} edges>"
