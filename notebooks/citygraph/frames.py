"""Turns the API's Thrift structs into pandas DataFrames.

Each function takes the generated structs (or anything with the same
attributes) and returns a DataFrame whose columns are documented in
notebooks/README.md. Entities are flattened into ``<prefix>id``,
``<prefix>label``, ``<prefix>key_kind``, ``<prefix>key`` and
``<prefix>display`` columns; a fact's source into ``department``, ``file``,
``record``, ``batch`` and ``recorded_at``.

Pure functions of their input; safe to call from any thread.
"""

import pandas as pd

ENTITY_FIELDS = ("id", "label", "key_kind", "key", "display")
SOURCE_FIELDS = ("department", "file", "record", "batch", "recorded_at")
EDGE_FIELDS = ("edge_id", "edge_type", "src", "dst", "valid_from", "valid_to") + SOURCE_FIELDS + (
    "edge_properties",)


def entity_row(entity, prefix=""):
    """An Entity as a flat dict; all values None when `entity` is None."""
    if entity is None:
        return {prefix + f: None for f in ENTITY_FIELDS}
    keys = list(getattr(entity, "keys", None) or [])
    first = keys[0] if keys else None
    return {
        prefix + "id": entity.id,
        prefix + "label": entity.label,
        prefix + "key_kind": first.kind if first is not None else None,
        prefix + "key": first.value if first is not None else None,
        prefix + "display": entity.display,
    }


def source_row(source):
    """A Source as a flat dict (all None when absent)."""
    if source is None:
        return {f: None for f in SOURCE_FIELDS}
    return {
        "department": source.department,
        "file": source.file,
        "record": source.record,
        "batch": source.batch,
        "recorded_at": source.recorded_at,
    }


def _date(value):
    """API dates: "" on output means open-ended; keep it readable as None."""
    return value if value else None


def edge_row(edge):
    """An Edge as a flat dict: type, endpoints, validity, source, properties."""
    if edge is None:
        return {f: None for f in EDGE_FIELDS}
    row = {
        "edge_id": edge.id,
        "edge_type": edge.type,
        "src": edge.src,
        "dst": edge.dst,
        "valid_from": _date(edge.valid_from),
        "valid_to": _date(edge.valid_to),
    }
    row.update(source_row(edge.source))
    row["edge_properties"] = dict(edge.properties or {})
    return row


def evidence_row(evidence):
    """One Evidence: its kind, date and detail, the edge behind it, the source."""
    row = {"kind": evidence.kind, "date": _date(evidence.date), "detail": evidence.detail}
    edge = edge_row(evidence.edge)
    # The evidence's own source wins; the edge carries the same one when set.
    src = source_row(evidence.source)
    for k, v in edge.items():
        if k not in SOURCE_FIELDS:
            row[k] = v
    for k, v in src.items():
        row[k] = v if v not in (None, "") else edge.get(k)
    return row


def frame(rows, columns):
    """A DataFrame with exactly `columns`, in order, even when `rows` is empty."""
    return pd.DataFrame(list(rows), columns=list(columns))


def stats_frame(stats):
    """Stats as rows (kind, name, count): kind is "vertex" or "edge"."""
    rows = [{"kind": "vertex", "name": k, "count": v}
            for k, v in sorted((stats.vertices_per_label or {}).items())]
    rows += [{"kind": "edge", "name": k, "count": v}
             for k, v in sorted((stats.edges_per_type or {}).items())]
    df = frame(rows, ["kind", "name", "count"])
    df.attrs.update(num_vertices=stats.num_vertices, num_edges=stats.num_edges,
                    memory_bytes=stats.memory_bytes, disk_bytes=stats.disk_bytes,
                    active_sessions=stats.active_sessions, audit_entries=stats.audit_entries,
                    uptime_ms=stats.uptime_ms, calls_per_method=dict(stats.calls_per_method or {}))
    return df


def profile_frame(profile):
    """One row per observed property with the source that asserts it."""
    rows = []
    for p in profile.properties or []:
        row = {"property": p.name, "type": p.type, "value": p.value}
        row.update(source_row(p.source))
        rows.append(row)
    df = frame(rows, ("property", "type", "value") + SOURCE_FIELDS)
    e = profile.entity
    df.attrs.update(entity_row(e))
    df.attrs["keys"] = [(k.kind, k.value) for k in (e.keys or [])] if e is not None else []
    df.attrs["degree_by_edge_type"] = dict(profile.degree_by_edge_type or {})
    return df


def _direction_name(value, enum):
    return enum._VALUES_TO_NAMES.get(value, str(value)).lower() if enum is not None else value


def neighbors_frame(result, direction_enum=None):
    """One row per neighbour: the neighbour, the edge joining it, its source."""
    rows = []
    for n in result.neighbors or []:
        row = entity_row(n.entity)
        row["direction"] = _direction_name(n.direction, direction_enum)
        row.update(edge_row(n.edge))
        rows.append(row)
    df = frame(rows, ENTITY_FIELDS + ("direction",) + EDGE_FIELDS)
    df.attrs.update(entity_row(result.center, prefix="center_"))
    df.attrs.update(truncation_dict(result.truncation))
    return df


def truncation_dict(truncation):
    if truncation is None:
        return {"truncated": False, "truncation_reason": ""}
    return {"truncated": bool(truncation.truncated), "truncation_reason": truncation.reason or ""}


def entities_frame(entities, prefix=""):
    return frame((entity_row(e, prefix) for e in entities or []),
                 tuple(prefix + f for f in ENTITY_FIELDS))


def edges_frame(edges):
    return frame((edge_row(e) for e in edges or []), EDGE_FIELDS)


def paths_frame(result):
    """One row per hop of every path: path, hop, from, edge, to.

    ``forward`` is True when the edge points from the hop's `from` vertex to
    its `to` vertex (paths may walk edges backwards).
    """
    rows = []
    for i, path in enumerate(result.paths or []):
        verts = list(path.vertices or [])
        for j, edge in enumerate(path.edges or []):
            a, b = verts[j], verts[j + 1]
            row = {"path": i, "hop": j + 1, "length": len(path.edges)}
            row.update(entity_row(a, "from_"))
            row.update(edge_row(edge))
            row["forward"] = edge.src == a.id
            row.update(entity_row(b, "to_"))
            rows.append(row)
    cols = (("path", "hop", "length") + tuple("from_" + f for f in ENTITY_FIELDS) + EDGE_FIELDS +
            ("forward",) + tuple("to_" + f for f in ENTITY_FIELDS))
    df = frame(rows, cols)
    df.attrs.update(truncation_dict(result.truncation))
    df.attrs["num_paths"] = len(result.paths or [])
    return df


def algorithm_frame(result):
    """The top entities of an algorithm run: rank (1 = highest), entity, value."""
    rows = []
    for rank, score in enumerate(result.top or [], start=1):
        row = {"rank": rank}
        row.update(entity_row(score.entity))
        row["value"] = score.value
        rows.append(row)
    df = frame(rows, ("rank",) + ENTITY_FIELDS + ("value",))
    df.attrs["algorithm"] = result.name
    df.attrs["summary"] = dict(result.summary or {})
    df.attrs.update(truncation_dict(result.truncation))
    return df


def audit_frame(entries):
    cols = ("seq", "time", "user", "role", "method", "purpose", "params_digest", "result_count",
            "outcome", "detail", "prev_hash", "hash")
    return frame(({c: getattr(e, c) for c in cols} for e in entries or []), cols)
