"""`tiktok-transition scan EXPORT --format csv` redone as one DuckDB SQL statement.

    python benchmarks/contenders/duckdb_scan.py EXPORT [--as-of WHEN] [--cutoff WHEN] > out.csv

What a data-savvy user could write instead of the tool, for the benchmark (`run.py` checks its
output byte for byte against the scan's before timing it). Covers a clean Seller Center CSV
(UTF-8 with BOM, trailing tabs, times `DD/MM/YYYY HH:MM:SS` in WIB), one file: none of the
tool's checks, other encodings, XLSX, re-saved spreadsheets or merging of several exports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rules as r

WHITE = "' \t\r\n'"  # what a trim removes (the export's trailing tabs)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def case(expression: str, table: dict[object, int], default: str) -> str:
    arms = " ".join(f"WHEN {literal(str(k)) if isinstance(k, str) else k} THEN {v}"
                    for k, v in table.items())  # fmt: skip
    return f"CASE {expression} {arms} ELSE {default} END"


def stage(column: str) -> str:
    word = f"lower(regexp_replace({column}, '\\s+', ' ', 'g'))"
    known = case(word, r.STATUS_WORDS, str(r.UNKNOWN))
    return f"CASE WHEN {column} = '' THEN {r.EMPTY} ELSE {known} END"


def query(path: str, argv: list[str]) -> str:
    _, as_of, cutoff, shutdown = r.parse_args([path, *argv])
    columns = ", ".join(
        f"coalesce(trim({duckdb_name(header)}, {WHITE}), '') AS {name}"
        for name, header in r.COLUMNS.items()
    )
    names = ", ".join(r.COLUMNS)
    parsed = ", ".join(
        f"try_strptime(l.{c}, {literal(r.TIME_FORMAT)}) AS {c}, l.{c} <> '' AS {c}_filled"
        for c in r.TIMES
    )
    plain = ", ".join(f"l.{c}" for c in r.COLUMNS if c not in r.TIMES)
    firsts = ", ".join(
        f"arg_min({c}, rn) AS {c}"
        for c in ("status", "substatus", "pre_order", "payment_method", "shipping_provider",
                  "tracking_id", "status_code", "sub_code", "line_stage")
    )  # fmt: skip
    first_times = ", ".join(
        f"arg_min({c}, rn) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in r.TIMES
    )
    unparsed = " OR ".join(f"({c}_filled AND {c} IS NULL)" for c in r.TIMES)
    says_paid = f"stage IN ({r.TO_SHIP}, {r.AWAITING_SHIPMENT}, {r.AWAITING_COLLECTION})"
    missed = as_of > cutoff
    flag = (
        f"CASE WHEN cancelled_at OR stage = {r.CANCELLED} THEN 5 "
        f"WHEN shipped OR stage = {r.HANDED_OVER} THEN 4 "
        f"WHEN NOT (paid OR cod OR rts OR {says_paid}) THEN 3 "
        + (
            "ELSE 2 END"
            if missed
            else f"WHEN rts OR stage = {r.AWAITING_COLLECTION} THEN 0 ELSE 1 END"
        )
    )
    conflict = (
        f"(stage = {r.UNPAID} AND (paid OR rts OR shipped)) OR ({says_paid} AND (shipped OR "
        f"cancelled_at)) OR (stage = {r.AWAITING_SHIPMENT} AND rts) OR (stage = {r.HANDED_OVER} "
        "AND cancelled_at)"
    )
    shutdown_ts = f"TIMESTAMP {literal(r.wib_naive(shutdown).isoformat(sep=' '))}"
    checks = [
        f"coalesce(created_time > {shutdown_ts}, false)",
        f"(status_code = {r.UNKNOWN} OR sub_code = {r.UNKNOWN})",
        f"coalesce({conflict}, false)",
        "varies",
        "unparsed",
        "disagree",
    ]
    words = zip(r.WARNINGS, checks, strict=True)
    warnings = "concat_ws(';', " + ", ".join(
        f"CASE WHEN {check} THEN {literal(word)} END" for word, check in words
    ) + ")"  # fmt: skip
    flag_words = "CASE flag_rank " + " ".join(
        f"WHEN {i} THEN {literal(w)}" for i, w in enumerate(r.FLAGS)
    ) + " END"  # fmt: skip

    def text(c: str) -> str:  # formula-guarded; NULL (an unquoted empty cell) for ''
        return (f"nullif(CASE WHEN regexp_matches({c}, {literal(r.FORMULA_START)}) "
                f"THEN '''' || {c} ELSE {c} END, '') AS {c}")  # fmt: skip

    def iso(c: str) -> str:
        return f"strftime({c}, '%Y-%m-%dT%H:%M:%S') || {literal(r.OFFSET_TEXT)} AS {c}"

    line_stage = "CASE WHEN sub_code >= 0 THEN sub_code ELSE status_code END"
    hours = literal(r.hours_left(as_of, cutoff))
    out = {
        "hours_left": f"CASE WHEN flag_rank IN (0, 1, 2) THEN {hours} END AS hours_left",
        "lines": "lines", "units": "units", "order_amount": "order_amount",
        "cod": "coalesce(cod, false) AS cod", "pre_order": "coalesce(pre, false) AS pre_order",
    }  # fmt: skip
    select = ", ".join(out.get(c) or (text(c) if c in r.TEXT_OUTPUT else iso(c)) for c in r.OUTPUT)
    return f"""
WITH raw AS (
    SELECT row_number() OVER () AS rn, {columns}
    FROM read_csv({literal(path)}, all_varchar = true, header = true, quote = '"',
                  escape = '"', strict_mode = false)
), distinct_lines AS (  -- an identical line counts once (kept where it first appears)
    SELECT min(rn) AS rn, {names} FROM raw GROUP BY ALL
), words AS (  -- each distinct status word judged once
    SELECT word, {stage("word")} AS code
    FROM (SELECT status AS word FROM distinct_lines UNION SELECT substatus FROM distinct_lines)
), lines AS (
    SELECT l.rn, {plain}, {parsed}, s.code AS status_code, ss.code AS sub_code
    FROM distinct_lines l JOIN words s ON l.status = s.word JOIN words ss ON l.substatus = ss.word
), staged AS (
    SELECT *, {line_stage} AS line_stage, {case(line_stage, r.PROGRESSION_RANK, "-1")} AS rank
    FROM lines
), orders AS (
    SELECT order_id, {firsts}, {first_times},
        count(*) AS lines, sum(quantity::BIGINT) AS units,
        arg_min(order_amount::BIGINT, rn) AS order_amount,
        min(order_amount::BIGINT) <> max(order_amount::BIGINT) AS varies,
        bool_or({unparsed}) AS unparsed,
        max(rank) AS high, min(rank) FILTER (WHERE rank >= 0) AS low
    FROM staged GROUP BY order_id
), judged AS (
    SELECT *,
        CASE WHEN high >= 0 THEN {case("high", r.STAGE_OF_RANK, "NULL")} ELSE line_stage END
            AS stage,
        high >= 0 AND coalesce(low < high, false) AS disagree,
        regexp_matches(payment_method, {literal(r.COD_PATTERN)}) AS cod,
        regexp_matches(pre_order, {literal(r.PRE_ORDER_PATTERN)}) AS pre,
        paid_time IS NOT NULL AS paid, rts_time IS NOT NULL AS rts,
        shipped_time IS NOT NULL OR delivered_time IS NOT NULL AS shipped,
        cancelled_time IS NOT NULL AS cancelled_at
    FROM orders
), flagged AS (
    SELECT *, {flag} AS flag_rank, {warnings} AS warnings FROM judged
)
SELECT {select}
FROM (SELECT *, {flag_words} AS flag FROM flagged)
ORDER BY flag_rank, NOT pre, coalesce(paid_time, created_time) NULLS LAST,
    try_cast(order_id AS UBIGINT) NULLS LAST, order_id
"""


def duckdb_name(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def main() -> None:
    sql = query(sys.argv[1], sys.argv[2:])
    duckdb.sql(f"COPY ({sql}) TO '/dev/stdout' (FORMAT csv, HEADER true)")


if __name__ == "__main__":
    main()
