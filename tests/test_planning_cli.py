"""plan, picklist, catalog and timeline through the CLI, as a seller (or a script) runs them."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLE, run
from exportkit import line, write_csv
from tiktok_transition.core.planning import CATALOG_COLUMNS, PICKLIST_COLUMNS, PLAN_COLUMNS
from tiktok_transition.core.timeline import TIMELINE_COLUMNS

STALE = "--as-of"  # the stale-export notice names the option; the plan sentence does not


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def stderr_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    """Standard error without the stale-export notice that an --as-of long after it causes."""
    return [text for text in result.stderr.splitlines() if text and STALE not in text]


# --- plan ------------------------------------------------------------------------------------


def test_plan_csv_spreads_the_at_risk_orders_over_the_days() -> None:
    result = run("plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(PLAN_COLUMNS)
    assert len(rows) == 28 == len({row["order_id"] for row in rows})
    assert all(row["fits"] == "true" for row in rows)
    per_day = Counter(row["day"] for row in rows)
    assert max(per_day.values()) == 3
    assert min(per_day) == "2023-10-20" and max(per_day) <= "2023-11-05"
    # Days are filled in order: every full day comes before the next one is used.
    assert list(per_day.values()) == [3] * 9 + [1]
    flags = [row["flag"] for row in rows]
    assert flags == ["awaiting_pickup"] * 12 + ["to_ship"] * 16
    amounts = [int(row["order_amount"]) for row in rows[:12]]
    assert amounts == sorted(amounts, reverse=True)
    pre_orders = [row["pre_order"] for row in rows[12:]]
    assert pre_orders == sorted(pre_orders, key=lambda value: value != "true")
    assert stderr_lines(result) == [
        "At 3 a day, all 28 orders are handed over by Sun 29 Oct 2023; 2 a day would be "
        "enough (17 handover days left)."
    ]


def test_plan_says_how_many_a_day_would_save_them_all() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-03 09:00", "--capacity", "5", "--format", "csv"
    )
    assert result.exit_code == 0
    rows = rows_of(result.stdout)
    missed = [row for row in rows if row["fits"] == "false"]
    assert len(missed) == 13 and all(row["day"] == "" for row in missed)
    assert rows[:15] == [row for row in rows if row["fits"] == "true"]
    assert stderr_lines(result) == [
        "At 5 a day, 13 of 28 orders miss the cutoff; 10 a day would save them all "
        "(3 handover days left)."
    ]


def test_plan_json_has_typed_values() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-05 09:00", "--capacity", "20", "--format", "json"
    )
    records = json.loads(result.stdout)
    assert len(records) == 28 and list(records[0]) == list(PLAN_COLUMNS)
    first, last = records[0], records[-1]
    assert first["day"] == "2023-11-05" and first["fits"] is True
    assert last["day"] == "" and last["fits"] is False
    assert isinstance(first["order_id"], str) and isinstance(first["order_amount"], int)
    assert isinstance(first["units"], int) and isinstance(first["cod"], bool)


def test_more_capacity_than_orders_hands_them_all_over_today() -> None:
    result = run("plan", str(EXAMPLE), *AS_OF, "--capacity", "1000", "--format", "jsonl")
    records = [json.loads(text) for text in result.stdout.splitlines()]
    assert {record["day"] for record in records} == {"2023-10-20"}
    assert "all 28 orders are handed over by Fri 20 Oct 2023" in result.stderr


def test_as_of_on_the_cutoff_day_leaves_one_day() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-05 23:00", "--capacity", "10", "--format", "csv"
    )
    rows = rows_of(result.stdout)
    assert Counter(row["day"] for row in rows) == {"2023-11-05": 10, "": 18}
    assert stderr_lines(result) == [
        "At 10 a day, 18 of 28 orders miss the cutoff; 28 a day would save them all "
        "(1 handover day left)."
    ]


def test_after_the_cutoff_every_order_is_missed() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-06 08:00", "--capacity", "99", "--format", "csv"
    )
    assert result.exit_code == 0
    rows = rows_of(result.stdout)
    assert len(rows) == 28
    assert {(row["day"], row["fits"], row["flag"]) for row in rows} == {
        ("", "false", "auto_cancelled")
    }
    assert stderr_lines(result) == [
        "No handover day is left before the cutoff: all 28 orders miss it, and no capacity can "
        "save them."
    ]


def test_skip_day_leaves_sundays_free() -> None:
    result = run(
        "plan", str(EXAMPLE), *AS_OF, "--capacity", "1", "--skip-day", "sun", "--format", "csv"
    )
    rows = rows_of(result.stdout)
    days = {date.fromisoformat(row["day"]) for row in rows if row["day"]}
    assert days and all(day.weekday() != 6 for day in days)
    # 17 days from Fri 20 Oct to Sun 5 Nov, of which 3 are Sundays.
    assert sum(row["fits"] == "true" for row in rows) == 14
    assert "14 of 28 orders miss the cutoff; 2 a day would save them all" in result.stderr
    indonesian = run(
        "plan", str(EXAMPLE), *AS_OF, "--capacity", "1", "--skip-day", "MIN", "--format", "csv"
    )
    assert indonesian.stdout == result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--capacity", "0"], "--capacity"),
        (["--capacity", "-5"], "--capacity"),
        (["--capacity", "4", "--skip-day", "funday"], "--skip-day"),
    ],
)
def test_bad_plan_options_exit_2_with_one_line_and_no_output(
    tmp_path: Path, args: list[str], words: str
) -> None:
    target = tmp_path / "plan.csv"
    result = run("plan", str(EXAMPLE), *AS_OF, *args, "-o", str(target))
    assert result.exit_code == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not target.exists()


def test_capacity_is_required() -> None:
    result = run("plan", str(EXAMPLE), *AS_OF)
    assert result.exit_code == 2 and "--capacity" in result.stderr


def test_no_order_at_risk_is_an_empty_plan_and_exit_0(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "done.csv",
        [line(Order_Status="Selesai", Order_Substatus=""), line("576461413038785985")],
    )
    handed = write_csv(tmp_path / "handed.csv", [line(Order_Status="Selesai", Order_Substatus="")])
    result = run("plan", str(handed), *AS_OF, "--capacity", "5", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == ",".join(PLAN_COLUMNS) + "\n"
    assert stderr_lines(result) == ["No order is at risk: nothing to hand over."]
    as_json = run("plan", str(handed), *AS_OF, "--capacity", "5", "--format", "json")
    assert json.loads(as_json.stdout) == []
    assert run("plan", str(export), *AS_OF, "--capacity", "5").exit_code == 0


def test_ties_are_broken_by_order_id(tmp_path: Path) -> None:
    ids = ["576461413038785990", "576461413038785984", "576461413038785987"]
    export = write_csv(tmp_path / "ties.csv", [line(order_id) for order_id in ids])
    result = run("plan", str(export), "--as-of", "2023-11-05 09:00", "--capacity", "2")
    rows = rows_of(result.stdout)
    assert [row["order_id"] for row in rows] == sorted(ids)
    assert [row["fits"] for row in rows] == ["true", "true", "false"]


def test_plan_fail_on_risk_writes_the_plan_then_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    result = run(
        "plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--fail-on-risk", "-o", str(target)
    )
    assert result.exit_code == 1
    assert len(rows_of(target.read_text(encoding="utf-8"))) == 28


def test_plan_quiet_keeps_standard_error_empty() -> None:
    result = run("plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--quiet")
    assert result.exit_code == 0 and result.stderr == ""


def test_plan_sentence_in_indonesian() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-03 09:00", "--capacity", "5", "--lang", "id"
    )
    assert stderr_lines(result) == [
        "Dengan 5 pesanan sehari, 13 dari 28 pesanan terlambat dari batas akhir; 10 sehari "
        "cukup untuk menyelamatkan semuanya (sisa 3 hari serah terima)."
    ]


def test_plan_table_has_a_table_per_day_with_its_load_and_the_misses() -> None:
    result = run(
        "plan", str(EXAMPLE), "--as-of", "2023-11-04 09:00", "--capacity", "3",
        "--skip-day", "sun", "--format", "table",
    )  # fmt: skip
    assert result.exit_code == 0
    out = result.stdout
    assert "Handover days, up to 3 orders a day" in out
    assert "Sat 4 Nov 2023: 3 of 3 orders" in out and "█" * 20 in out
    assert "Sun 5 Nov 2023" in out and "skipped" in out
    assert "Will miss the cutoff: 25 orders" in out
    assert out.index("Sat 4 Nov 2023: 3 of 3") < out.index("Will miss the cutoff")
    assert "Rp " in out and "576461413038787073" in out


def test_plan_table_in_indonesian() -> None:
    result = run(
        "plan", str(EXAMPLE), *AS_OF, "--capacity", "10", "--format", "table", "--lang", "id"
    )
    assert "Hari serah terima, paling banyak 10 pesanan sehari" in result.stdout
    assert "Jum 20 Okt 2023: 10 dari 10 pesanan" in result.stdout


def test_options_may_come_before_the_export() -> None:
    result = run("plan", "--capacity", "3", "--format", "jsonl", *AS_OF, str(EXAMPLE))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 28


def test_plan_is_deterministic() -> None:
    args = ["plan", str(EXAMPLE), *AS_OF, "--capacity", "2", "--format", "csv"]
    assert run(*args).stdout == run(*args).stdout


# --- picklist --------------------------------------------------------------------------------


def test_picklist_csv_totals_skus_by_courier() -> None:
    result = run("picklist", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(PICKLIST_COLUMNS)
    # Every unit of the at-risk orders, once (summary: 79 units at risk).
    assert sum(int(row["units"]) for row in rows) == 79
    couriers = [row["shipping_provider"] for row in rows]
    assert couriers == sorted(couriers, key=couriers.index)  # grouped, each courier once
    by_courier: dict[str, int] = {}
    for row in rows:
        by_courier[row["shipping_provider"]] = by_courier.get(row["shipping_provider"], 0) + int(
            row["units"]
        )
    assert list(by_courier.values()) == sorted(by_courier.values(), reverse=True)
    for courier in by_courier:
        units = [int(row["units"]) for row in rows if row["shipping_provider"] == courier]
        assert units == sorted(units, reverse=True)
    # A product name that looks like a formula is defused.
    assert any(row["product_name"].startswith("'=") for row in rows)


def test_picklist_only_counts_at_risk_orders(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "e.csv",
        [
            line("576461413038785984", Quantity="2"),
            line("576461413038785985", Quantity="3", Order_Status="Selesai", Order_Substatus=""),
            line(
                "576461413038785986",
                Quantity="1",
                Order_Substatus="Menunggu pengambilan",
                RTS_Time="02/10/2023 09:00:00",
                Shipping_Provider_Name="SiCepat REG",
            ),
        ],
    )
    result = run("picklist", str(export), *AS_OF, "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "shipping_provider": "J&T Express",
            "seller_sku": "HIJ-01",
            "product_name": "Hijab Pashmina",
            "variation": "Hitam",
            "units": 2,
            "orders": 1,
        },
        {
            "shipping_provider": "SiCepat REG",
            "seller_sku": "HIJ-01",
            "product_name": "Hijab Pashmina",
            "variation": "Hitam",
            "units": 1,
            "orders": 1,
        },
    ]


@pytest.mark.parametrize("files", [1, 2])
def test_picklist_couriers_with_equal_units_come_in_text_order(tmp_path: Path, files: int) -> None:
    # SiCepat is seen first, once with a trailing tab; AnterAja last (in a second file, or not).
    rows = [
        line("576461413038785984", Shipping_Provider_Name="SiCepat REG"),
        line("576461413038785985", Shipping_Provider_Name="SiCepat REG\t"),
        line("576461413038785986", Quantity="2", Shipping_Provider_Name="AnterAja"),
    ]
    parts = [rows] if files == 1 else [rows[:2], rows[2:]]
    exports = [str(write_csv(tmp_path / f"{n}.csv", part)) for n, part in enumerate(parts)]
    result = run("picklist", *exports, *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [(row["shipping_provider"], row["units"]) for row in rows_of(result.stdout)] == [
        ("AnterAja", "2"),
        ("SiCepat REG", "2"),
    ]


def test_picklist_table_has_a_table_per_courier() -> None:
    result = run("picklist", str(EXAMPLE), *AS_OF, "--format", "table")
    assert "J&T Express: 27 units to pack" in result.stdout
    assert result.stdout.index("J&T Express:") < result.stdout.index("AnterAja:")


def test_picklist_after_the_cutoff_is_empty() -> None:
    result = run("picklist", str(EXAMPLE), "--as-of", "2023-11-06 08:00", "--format", "table")
    assert result.exit_code == 0 and "Nothing to pack" in result.stdout
    csv_result = run("picklist", str(EXAMPLE), "--as-of", "2023-11-06 08:00", "--format", "csv")
    assert csv_result.stdout == ",".join(PICKLIST_COLUMNS) + "\n"


# --- catalog ---------------------------------------------------------------------------------


def test_catalog_csv_ranks_by_revenue() -> None:
    result = run("catalog", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(CATALOG_COLUMNS)
    assert [int(row["rank"]) for row in rows] == list(range(1, len(rows) + 1))
    revenue = [int(row["revenue"]) for row in rows]
    assert revenue == sorted(revenue, reverse=True)
    assert all(row["last_sold"].endswith("+07:00") for row in rows)
    assert all(row["unit_price"].isdigit() for row in rows)


def test_catalog_counts_sold_lines_only(tmp_path: Path) -> None:
    subtotal = "SKU Subtotal After Discount"
    export = write_csv(
        tmp_path / "e.csv",
        [
            line("576461413038785984", Quantity="2", **{subtotal: "70000"}),
            line(
                "576461413038785985",
                Order_Status="Selesai",
                Order_Substatus="",
                Created_Time="03/10/2023 08:00:00",
                **{subtotal: "30000", "SKU Unit Original Price": "38000"},
            ),
            line(
                "576461413038785986",
                Order_Status="Dibatalkan",
                Order_Substatus="",
                Cancelled_Time="02/10/2023 09:00:00",
                **{subtotal: "999000"},
            ),
        ],
    )
    result = run("catalog", str(export), *AS_OF, "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "rank": 1,
            "seller_sku": "HIJ-01",
            "product_name": "Hijab Pashmina",
            "variation": "Hitam",
            "product_category": "",
            "unit_price": 38000,
            "units_sold": 3,
            "orders": 2,
            "revenue": 100000,
            "last_sold": "2023-10-03T08:00:00+07:00",
        }
    ]


def test_catalog_xlsx_has_numbers_as_numbers(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "catalog.xlsx"
    result = run("catalog", str(EXAMPLE), *AS_OF, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    assert list(header) == list(CATALOG_COLUMNS)
    assert first[0] == 1 and isinstance(first[8], int)


def test_catalog_table_shows_rupiah() -> None:
    result = run("catalog", str(EXAMPLE), *AS_OF, "--format", "table", "--lang", "id")
    assert "Produk yang dipasang ulang lebih dulu" in result.stdout
    assert "Rp 1.709.550" in result.stdout


def test_catalog_missing_export_is_exit_2() -> None:
    result = run("catalog", "missing.csv", *AS_OF)
    assert result.exit_code == 2 and "no such file" in result.stderr and result.stdout == ""


# --- timeline --------------------------------------------------------------------------------


def test_timeline_csv_has_every_event_past_ones_included() -> None:
    result = run("timeline", *AS_OF, "--format", "csv")
    assert result.exit_code == 0 and result.stderr == ""
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(TIMELINE_COLUMNS)
    whens = [row["when"] for row in rows]
    assert whens == [
        "2023-09-25", "2023-09-26", "2023-10-03", "2023-10-04T17:00:00+07:00",
        "2023-11-05T23:59:59+07:00", "2023-12-11", "2023-12-12", "2024-03-27",
    ]  # fmt: skip
    hours = [float(row["hours_from_as_of"]) for row in rows]
    assert hours[3] == -376.0 and hours[4] == 399.0
    assert all(row["source"] for row in rows)


def test_timeline_follows_shutdown_and_cutoff() -> None:
    result = run(
        "timeline", *AS_OF, "--cutoff", "2023-11-10 12:00", "--shutdown", "2023-10-05 09:00",
        "--format", "json",
    )  # fmt: skip
    records = json.loads(result.stdout)
    whens = [record["when"] for record in records]
    assert "2023-11-10T12:00:00+07:00" in whens and "2023-10-05T09:00:00+07:00" in whens
    assert "2023-11-05T23:59:59+07:00" not in whens
    cutoff = next(r for r in records if r["when"] == "2023-11-10T12:00:00+07:00")
    assert cutoff["hours_from_as_of"] == 507.0 and "cancelled" in cutoff["event"]


def test_timeline_in_indonesian_and_jsonl() -> None:
    result = run("timeline", *AS_OF, "--format", "jsonl", "--lang", "id")
    records = [json.loads(text) for text in result.stdout.splitlines()]
    assert len(records) == 8 and list(records[0]) == list(TIMELINE_COLUMNS)
    assert "dibatalkan otomatis" in records[4]["event"]


def test_timeline_markdown_keeps_numbers_plain() -> None:
    result = run("timeline", *AS_OF, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "| when | event | source | hours_from_as_of |" and len(lines) == 10
    assert lines[2].endswith("| -609.0 |")


def test_timeline_excel_csv_has_bom_and_semicolons() -> None:
    result = run("timeline", *AS_OF, "--format", "csv", "--excel")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfwhen;event;source;hours_from_as_of\n")


def test_timeline_table_counts_down_to_the_next_event() -> None:
    result = run("timeline", *AS_OF, "--format", "table")
    out = result.stdout
    assert "Key dates" in out and "Next" in out
    assert "5 Nov 2023 23:59 WIB: 16 d 15 h left" in out
    assert "passed 15 d 16 h ago" in out  # the shutdown
    after = run("timeline", "--as-of", "2025-01-01", "--format", "table")
    assert "Every event has passed" in after.stdout


def test_timeline_output_file(tmp_path: Path) -> None:
    target = tmp_path / "dates.json"
    result = run("timeline", *AS_OF, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 8


def test_timeline_bad_moment_is_exit_2() -> None:
    result = run("timeline", "--as-of", "someday")
    assert result.exit_code == 2 and "--as-of" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", ["plan", "picklist", "catalog", "timeline"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.stdout


@pytest.mark.parametrize("area", ["plan", "picklist", "catalog", "timeline"])
def test_both_languages_have_the_same_keys(area: str) -> None:
    from tiktok_transition.i18n import catalogue

    english = {key for key in catalogue("en") if key.startswith(f"{area}.")}
    indonesian = {key for key in catalogue("id") if key.startswith(f"{area}.")}
    assert english and english == indonesian
