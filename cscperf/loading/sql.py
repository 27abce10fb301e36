"""SQL that types and checks an extract's fields in bulk (DuckDB).

The stage table holds, per record in file order (its ``rowid`` is the record's
ordinal), each contract column typed, plus for each column that can hold a bad
value a sparse ``_bad_<column>`` column: the field as read where it is bad,
null elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from cscperf.contract import Column, ColumnType, Extract

T = ColumnType

MIN_DATE = "DATE '1900-01-01'"
MIN_TIMESTAMP = "TIMESTAMP '1900-01-01 00:00:00'"

# DuckDB's read_csv max_line_size (its default), set explicitly: a record longer than
# this, its line break included, is rejected by the loader (DuckDB cannot read it).
MAX_LINE_BYTES = 2_000_000

STAGE = "_stage"
REJECTS = "_rejects"
LINES = "_lines"

SQL_TYPES: dict[ColumnType, str] = {
    T.ID: "VARCHAR",
    T.TEXT: "VARCHAR",
    T.CODE: "VARCHAR",
    T.DATE: "DATE",
    T.DATETIME: "TIMESTAMP",
    T.FLAG: "BOOLEAN",
}

REASON_ID_NULL = "id is null"
REASON_DUPLICATE = "duplicate id"  # + " (first at line N)"
REASON_REQUIRED = "required value is null"
REASON_DATE = "date does not parse"
REASON_OLD_DATE = "date before 1900-01-01"
REASON_FLAG = "flag is not Y/N"
REASON_CODE = "code not in code list"


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date(v: str) -> str:
    """DD/MM/YYYY or YYYY-MM-DD, nothing else (shape checked before parsing)."""
    return (
        f"CASE WHEN length({v}) = 10 THEN CASE "
        f"WHEN substr({v}, 3, 1) = '/' AND substr({v}, 6, 1) = '/' "
        f"THEN try_strptime({v}, '%d/%m/%Y') "
        f"WHEN substr({v}, 5, 1) = '-' AND substr({v}, 8, 1) = '-' "
        f"THEN try_strptime({v}, '%Y-%m-%d') END END"
    )


def _datetime(v: str) -> str:
    """DD/MM/YYYY HH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DDTHH:MM[:SS].

    One strptime format per shape: a format list tries every format in turn and
    is several times slower on the later ones.
    """
    branches = []
    for length, seconds in ((16, ""), (19, ":%S")):
        branches.append(
            f"WHEN {length} THEN CASE "
            f"WHEN substr({v}, 3, 1) = '/' THEN try_strptime({v}, '%d/%m/%Y %H:%M{seconds}') "
            f"WHEN substr({v}, 11, 1) = 'T' THEN try_strptime({v}, '%Y-%m-%dT%H:%M{seconds}') "
            f"ELSE try_strptime({v}, '%Y-%m-%d %H:%M{seconds}') END"
        )
    return f"CASE length({v}) {' '.join(branches)} END"


def _codes(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote_literal(c.upper()) for c in codes) + ")"


def typed(col: Column, v: str) -> str:
    """``v`` (the field, null when blank; trimmed unless free text) as the column's type."""
    kind = col.type
    if kind in (T.ID, T.TEXT):
        expr = v
    elif kind == T.CODE:
        expr = f"upper({v})"
    elif kind == T.DATE:
        expr = _date(v)
    elif kind == T.DATETIME:
        expr = _datetime(v)
    elif kind == T.FLAG:
        expr = f"CASE upper({v}) WHEN 'Y' THEN true WHEN 'N' THEN false END"
    else:  # pragma: no cover - the contract has no other types
        raise ValueError(f"unknown column type {kind}")
    return f"CAST({expr} AS {SQL_TYPES[kind]})"


def is_checked(col: Column) -> bool:
    """Whether a present value of ``col`` can be bad (so a ``_bad_`` column exists)."""
    return col.type in (T.DATE, T.DATETIME, T.FLAG) or (
        col.type == T.CODE and col.codes is not None
    )


def _bad_condition(col: Column, t: str, v: str) -> str:
    if col.type == T.DATE:
        return f"{v} IS NOT NULL AND ({t} IS NULL OR {t} < {MIN_DATE})"
    if col.type == T.DATETIME:
        return f"{v} IS NOT NULL AND ({t} IS NULL OR {t} < {MIN_TIMESTAMP})"
    if col.type == T.FLAG:
        return f"{v} IS NOT NULL AND {t} IS NULL"
    assert col.codes is not None
    return f"{t} NOT IN {_codes(col.codes)}"


def stage_select(
    extract: Extract, positions: Mapping[str, int | None], source: str, numbered: bool = False
) -> str:
    """The stage query over ``source`` (a read_csv call giving columns c0..cN).

    ``numbered``: add ``_rn``, the record's ordinal, by a streaming window (slower:
    one thread) for when the plan of the plain query would not keep file order.
    """
    first: list[str] = ["row_number() OVER () - 1 AS _rn"] if numbered else []
    second: list[str] = ["_rn"] if numbered else []
    third: list[str] = ["_rn"] if numbered else []
    for col in extract.columns:
        name = col.db_name
        raw, v, t = f"r_{name}", f"v_{name}", f"t_{name}"
        position = positions[col.name]
        if position is None:
            first += [f"NULL::VARCHAR AS {raw}", f"NULL::VARCHAR AS {v}"]
        else:
            # ids and codes are trimmed; free text keeps its spaces (null when blank)
            value = (
                f"CASE WHEN trim(c{position}) = '' THEN NULL ELSE c{position} END"
                if col.type == T.TEXT
                else f"nullif(trim(c{position}), '')"
            )
            first += [f"c{position} AS {raw}", f"{value} AS {v}"]
        second.append(f"{typed(col, v)} AS {t}")
        third.append(f"{t} AS {quote_ident(name)}")
        if is_checked(col):
            second.append(f"{raw}, {v}")
            third.append(
                f"CASE WHEN {_bad_condition(col, t, v)} THEN {raw} END AS "
                f"{quote_ident('_bad_' + name)}"
            )
    return (
        f"SELECT {', '.join(third)} FROM (SELECT {', '.join(second)} FROM ("
        f"SELECT {', '.join(first)} FROM {source}))"
    )


def stage_sql(select: str) -> str:
    """CREATE the stage table from :func:`stage_select`."""
    return f"CREATE OR REPLACE TEMP TABLE {STAGE} AS {select}"


# Plan operators that keep their input's order (the stage must come out in file order,
# so that the table's rowid is the record's ordinal).
ORDER_KEEPING_OPERATORS = frozenset({"PROJECTION", "READ_CSV", "FILTER", "STREAMING_WINDOW"})


def keeps_values(extract: Extract) -> bool:
    """Whether rejected rows of ``extract`` keep the bad value (of a non-personal column).

    A record short of a field, or with a field missing in the middle, has its later
    fields read into the wrong columns: a postcode can sit in a code column. So a
    file holding any personal column (people.csv) keeps no rejected value at all.
    """
    return not any(col.personal for col in extract.columns)


def kept_value(extract: Extract, col: Column, value: str) -> str:
    """``value`` (an SQL expression), or NULL when it may be personal data.

    An id is never shifted (it is the first field) and is not personal: a
    duplicate id keeps its value in every file. Free text is never kept (it is
    never checked either). The other files' free-text columns (LOCALITY, TEAM)
    are not personal data in the contract: shifted into a code column by a short
    row, such a value may be kept.
    """
    if col is extract.id_column:
        return value
    if col.personal or col.type == T.TEXT or not keeps_values(extract):
        return "NULL::VARCHAR"
    return value


def _reject_part(
    ordinal: str, order: int, label: str, value: str, reason: str, where: str, record_id: str
) -> str:
    return (
        f"SELECT {ordinal} AS rn, {order} AS col_order, {label} AS column_name, "
        f"{value} AS value, {reason} AS reason, NULL::BIGINT AS first_rn, "
        f"{record_id} AS record_id FROM {STAGE} WHERE {where}"
    )


def rejects_sql(extract: Extract, ordinal: str = "rowid") -> str:
    """CREATE the rejects table: one row per bad field (rn = the record's ordinal).

    ``ordinal``: the stage's ordinal column, ``rowid`` or ``_rn``. ``record_id``
    is the record's (trimmed) id, null when empty; ``value`` the field as read,
    null for personal columns (see :func:`kept_value`).
    """
    parts: list[str] = []
    id_col = extract.id_column
    record_id = quote_ident(id_col.db_name)
    for order, col in enumerate(extract.columns):
        name = quote_ident(col.db_name)
        bad = quote_ident("_bad_" + col.db_name)
        label = quote_literal(col.name)

        def part(value: str, reason: str, where: str, o: int = order, lb: str = label) -> str:
            return _reject_part(ordinal, o, lb, value, reason, where, record_id)

        if col is id_col:
            parts.append(part("NULL::VARCHAR", quote_literal(REASON_ID_NULL), f"{name} IS NULL"))
            parts.append(
                f"SELECT s.{ordinal} AS rn, {order} AS col_order, {label} AS column_name, "
                f"s.{name} AS value, {quote_literal(REASON_DUPLICATE)} AS reason, "
                f"d.first_rn AS first_rn, s.{name} AS record_id FROM {STAGE} AS s JOIN ("
                f"SELECT {name} AS k, min({ordinal}) AS first_rn FROM {STAGE} "
                f"WHERE {name} IS NOT NULL GROUP BY {name} HAVING count(*) > 1"
                f") AS d ON s.{name} = d.k WHERE s.{ordinal} > d.first_rn"
            )
            continue
        if col.required:
            where = f"{name} IS NULL" + (f" AND {bad} IS NULL" if is_checked(col) else "")
            parts.append(part("NULL::VARCHAR", quote_literal(REASON_REQUIRED), where))
        if not is_checked(col):
            continue
        if col.type in (T.DATE, T.DATETIME):
            reason = (
                f"CASE WHEN {name} IS NULL THEN {quote_literal(REASON_DATE)} "
                f"ELSE {quote_literal(REASON_OLD_DATE)} END"
            )
        elif col.type == T.FLAG:
            reason = quote_literal(REASON_FLAG)
        else:
            reason = quote_literal(REASON_CODE)
        parts.append(part(kept_value(extract, col, bad), reason, f"{bad} IS NOT NULL"))
    return f"CREATE OR REPLACE TEMP TABLE {REJECTS} AS " + " UNION ALL ".join(parts)


def read_csv_sql(path: str, field_count: int, skip: int, pad: bool = False) -> str:
    """A read_csv call giving every field as VARCHAR column c0..c<n-1>, in file order.

    ``pad``: read short records with their missing fields null (DuckDB's null
    padding, which needs the single-threaded reader when fields hold line breaks).
    """
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(field_count))
    padding = ", null_padding = true, parallel = false" if pad else ""
    return (
        f"read_csv({quote_literal(path)}, delim = ',', quote = '\"', escape = '\"', "
        f"header = true, skip = {skip}, auto_detect = false, columns = {{{columns}}}, "
        f"max_line_size = {MAX_LINE_BYTES}{padding})"
    )


RAW_TABLES_SQL = """
CREATE TABLE raw.rejected_rows (
    file VARCHAR, line BIGINT, record_id VARCHAR, column_name VARCHAR, value VARCHAR,
    reason VARCHAR);
CREATE TABLE raw.load_log (
    file VARCHAR, encoding VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT);
CREATE TABLE raw.load_warnings (file VARCHAR, column_name VARCHAR, message VARCHAR);
"""
