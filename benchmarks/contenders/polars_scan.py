"""`tiktok-transition scan EXPORT --format csv` redone as one Polars lazy query.

    python benchmarks/contenders/polars_scan.py EXPORT [--as-of WHEN] [--cutoff WHEN] > out.csv

What a data-savvy user could write instead of the tool, for the benchmark (`run.py` checks its
output byte for byte against the scan's before timing it). Covers a clean Seller Center CSV
(UTF-8 with BOM, trailing tabs, times `DD/MM/YYYY HH:MM:SS` in WIB), one file: none of the
tool's checks, other encodings, XLSX, re-saved spreadsheets or merging of several exports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rules as r


def scan(path: str, as_of_text: list[str]) -> pl.LazyFrame:
    _, as_of, cutoff, shutdown = r.parse_args([path, *as_of_text])
    raw = pl.scan_csv(path, infer_schema=False, encoding="utf8")
    lines = raw.select(
        pl.col(header).str.strip_chars().fill_null("").alias(name)
        for name, header in r.COLUMNS.items()
    ).unique(maintain_order=True)  # an identical line counts once

    def stage(column: str) -> pl.Expr:
        word = pl.col(column).str.replace_all(r"\s+", " ").str.to_lowercase()
        return (
            pl.when(word == "")
            .then(pl.lit(r.EMPTY))
            .otherwise(word.replace_strict(r.STATUS_WORDS, default=r.UNKNOWN, return_dtype=pl.Int8))
        )

    times = {
        c: pl.col(c).str.to_datetime(r.TIME_FORMAT, strict=False, time_unit="ms") for c in r.TIMES
    }
    unparsed = pl.any_horizontal((pl.col(c) != "") & times[c].is_null() for c in r.TIMES)
    lines = lines.with_columns(
        *(times[c] for c in r.TIMES),
        status_code=stage("status"),
        sub_code=stage("substatus"),
        unparsed=unparsed,
        quantity=pl.col("quantity").cast(pl.Int64),
        order_amount=pl.col("order_amount").cast(pl.Int64),
    ).with_columns(
        rank=pl.when(pl.col("sub_code") >= 0)
        .then(pl.col("sub_code"))
        .otherwise(pl.col("status_code"))
        .replace_strict(r.PROGRESSION_RANK, default=-1, return_dtype=pl.Int8)
    )
    line_stage = pl.when(pl.col("sub_code") >= 0).then("sub_code").otherwise("status_code")
    firsts = ("status", "substatus", "pre_order", "payment_method", "shipping_provider",
              "tracking_id", "status_code", "sub_code")  # fmt: skip
    orders = lines.group_by("order_id", maintain_order=True).agg(
        *(pl.col(c).first() for c in firsts),
        *(pl.col(c).drop_nulls().first() for c in r.TIMES),
        first_stage=line_stage.first(),
        lines=pl.len(),
        units=pl.col("quantity").sum(),
        order_amount=pl.col("order_amount").first(),
        varies=pl.col("order_amount").min() != pl.col("order_amount").max(),
        unparsed=pl.col("unparsed").any(),
        high=pl.col("rank").max(),
        low=pl.col("rank").filter(pl.col("rank") >= 0).min(),
    )
    rank_stage = pl.col("high").replace_strict(r.STAGE_OF_RANK, default=None)
    orders = orders.with_columns(
        stage=pl.when(pl.col("high") >= 0).then(rank_stage).otherwise("first_stage"),
        disagree=(pl.col("high") >= 0) & (pl.col("low") < pl.col("high")).fill_null(False),
        cod=pl.col("payment_method").str.contains(r.COD_PATTERN),
        pre=pl.col("pre_order").str.contains(r.PRE_ORDER_PATTERN),
        paid=pl.col("paid_time").is_not_null(),
        rts=pl.col("rts_time").is_not_null(),
        shipped=pl.col("shipped_time").is_not_null() | pl.col("delivered_time").is_not_null(),
        cancelled_at=pl.col("cancelled_time").is_not_null(),
    )
    at = pl.col("stage").is_in
    says_paid = at([r.TO_SHIP, r.AWAITING_SHIPMENT, r.AWAITING_COLLECTION])
    flag = (
        pl.when(pl.col("cancelled_at") | at([r.CANCELLED]))
        .then(pl.lit(5))
        .when(pl.col("shipped") | at([r.HANDED_OVER]))
        .then(pl.lit(4))
        .when(~(pl.col("paid") | pl.col("cod") | pl.col("rts") | says_paid))
        .then(pl.lit(3))
    )
    if as_of > cutoff:
        flag = flag.otherwise(pl.lit(2))
    else:
        flag = flag.when(pl.col("rts") | at([r.AWAITING_COLLECTION])).then(pl.lit(0))
        flag = flag.otherwise(pl.lit(1))
    conflict = (
        (at([r.UNPAID]) & (pl.col("paid") | pl.col("rts") | pl.col("shipped")))
        | (says_paid & (pl.col("shipped") | pl.col("cancelled_at")))
        | (at([r.AWAITING_SHIPMENT]) & pl.col("rts"))
        | (at([r.HANDED_OVER]) & pl.col("cancelled_at"))
    )
    checks = [
        pl.col("created_time") > r.wib_naive(shutdown),
        (pl.col("status_code") == r.UNKNOWN) | (pl.col("sub_code") == r.UNKNOWN),
        conflict,
        pl.col("varies"),
        pl.col("unparsed"),
        pl.col("disagree"),
    ]
    warnings = pl.concat_str(
        [pl.when(check.fill_null(False)).then(pl.lit(word + ";")) for word, check in
         zip(r.WARNINGS, checks, strict=True)],
        ignore_nulls=True,
    ).str.strip_suffix(";")  # fmt: skip
    orders = orders.with_columns(flag_rank=flag, warnings=warnings).sort(
        "flag_rank",
        pl.col("pre").not_(),
        pl.coalesce("paid_time", "created_time"),
        pl.col("order_id").cast(pl.UInt64, strict=False),
        "order_id",
        nulls_last=True,
        maintain_order=True,
    )

    # Polars writes "" for an empty string and nothing for a null: empty cells are nulls.
    def text(column: str) -> pl.Expr:
        value = pl.col(column).fill_null("")
        guarded = pl.when(value.str.contains(r.FORMULA_START)).then("'" + value)
        return guarded.otherwise(value).replace("", None).alias(column)  # unquoted when empty

    def iso(column: str) -> pl.Expr:
        value = pl.col(column).dt.strftime("%Y-%m-%dT%H:%M:%S") + r.OFFSET_TEXT
        return value.alias(column)  # null: an empty cell

    timed = pl.col("flag_rank").is_in([0, 1, 2])
    return orders.with_columns(
        flag=pl.col("flag_rank").replace_strict(dict(enumerate(r.FLAGS)), return_dtype=pl.String),
        hours_left=pl.when(timed).then(pl.lit(r.hours_left(as_of, cutoff))),
        cod=pl.col("cod").fill_null(False),
        pre_order=pl.col("pre").fill_null(False),
    ).select(
        *(
            text(c) if c in r.TEXT_OUTPUT else iso(c) if c.endswith("_time") else pl.col(c)
            for c in r.OUTPUT
        )
    )


def main() -> None:
    result = scan(sys.argv[1], sys.argv[2:]).collect()
    result.write_csv(sys.stdout.buffer, quote_style="necessary", line_terminator="\n")


if __name__ == "__main__":
    main()
