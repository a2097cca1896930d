"""plan, picklist and catalog: the pure functions, on hand-made orders and lines."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from exportkit import line, write_csv
from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.planning import (
    CATALOG_COLUMNS,
    PICKLIST_COLUMNS,
    PLAN_COLUMNS,
    catalog,
    handover_days,
    parse_weekdays,
    picklist,
    plan_handovers,
)
from tiktok_transition.core.triage import triage
from tiktok_transition.errors import UsageError
from tiktok_transition.reader.files import read_exports
from tiktok_transition.reader.layout import PRODUCT_FIELDS, TRIAGE_FIELDS, ReadOptions

WIB = ZoneInfo("Asia/Jakarta")
CUTOFF = datetime(2023, 11, 5, 23, 59, 59, tzinfo=WIB)
SHUTDOWN = datetime(2023, 10, 4, 17, 0, tzinfo=WIB)


def judged(as_of: str) -> Judgement:
    return Judgement(
        as_of=datetime.fromisoformat(as_of).replace(tzinfo=WIB), cutoff=CUTOFF, shutdown=SHUTDOWN
    )


def order(order_id: str, flag: str = "to_ship", **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "order_id": order_id,
        "flag": flag,
        "order_amount": 100_000,
        "units": 1,
        "pre_order": False,
        "cod": False,
        "shipping_provider": "J&T Express",
        "created_time": datetime(2023, 10, 1, 10, 0, tzinfo=WIB),
        "paid_time": datetime(2023, 10, 1, 10, 5, tzinfo=WIB),
    }
    row.update(fields)
    return row


def orders_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = list(order("0"))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "order_id": "str",
            "flag": "str",
            "order_amount": "int64",
            "units": "int64",
            "pre_order": bool,
            "cod": bool,
            "shipping_provider": "str",
            "created_time": "datetime64[s, Asia/Jakarta]",
            "paid_time": "datetime64[s, Asia/Jakarta]",
        }
    )


def many(count: int, flag: str = "to_ship") -> pd.DataFrame:
    return orders_frame([order(f"5764614130387860{n:02d}", flag) for n in range(count)])


# --- the days --------------------------------------------------------------------------------


def test_days_run_from_the_as_of_day_to_the_cutoff_day_inclusive() -> None:
    days, skipped = handover_days(judged("2023-11-01T22:00"), WIB)
    assert days == [date(2023, 11, d) for d in range(1, 6)] and skipped == []


def test_the_as_of_day_counts_even_late_at_night() -> None:
    days, _ = handover_days(judged("2023-11-05T23:30"), WIB)
    assert days == [date(2023, 11, 5)]


def test_no_day_is_left_after_the_cutoff() -> None:
    assert handover_days(judged("2023-11-06T00:00"), WIB) == ([], [])


def test_days_are_calendar_days_in_the_given_zone() -> None:
    # 23:30 WIB on 1 Nov is already 2 Nov in Jayapura (WIT, UTC+9).
    days, _ = handover_days(judged("2023-11-01T23:30"), ZoneInfo("Asia/Jayapura"))
    assert days[0] == date(2023, 11, 2) and days[-1] == date(2023, 11, 6)


def test_skipped_weekdays_are_left_out() -> None:
    days, skipped = handover_days(judged("2023-10-30T08:00"), WIB, parse_weekdays(["sun"]))
    assert skipped == [date(2023, 11, 5)] and date(2023, 11, 5) not in days
    assert len(days) == 6


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["sun"], {6}),
        (["SUN", "Min", "minggu"], {6}),
        (["sab", "sat", "Sabtu"], {5}),
        (["mon", "sel", "rab", "thu", "jum"], {0, 1, 2, 3, 4}),
        (["Jum'at"], {4}),
        ([], set()),
    ],
)
def test_skip_day_words_in_english_and_indonesian(words: list[str], expected: set[int]) -> None:
    assert parse_weekdays(words) == expected


def test_an_unknown_skip_day_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        parse_weekdays(["sun", "funday"])
    assert caught.value.params["value"] == "funday"


# --- the plan --------------------------------------------------------------------------------


def test_plan_fills_the_days_in_order_at_most_capacity_a_day() -> None:
    plan = plan_handovers(many(7), judged("2023-11-03T09:00"), 2, WIB)
    assert list(plan.rows.columns) == list(PLAN_COLUMNS)
    assert list(plan.rows["day"]) == [
        "2023-11-03", "2023-11-03", "2023-11-04", "2023-11-04", "2023-11-05", "2023-11-05", "",
    ]  # fmt: skip
    assert list(plan.rows["fits"]) == [True] * 6 + [False]
    assert (plan.orders, plan.missed, plan.needed) == (7, 1, 3)


def test_priority_pickup_then_pre_orders_then_amount_then_oldest_then_id() -> None:
    early = datetime(2023, 10, 1, 8, 0, tzinfo=WIB)
    late = datetime(2023, 10, 2, 8, 0, tzinfo=WIB)
    rows = [
        order("9", "to_ship", order_amount=900_000),
        order("8", "to_ship", pre_order=True, order_amount=10_000),
        order("7", "awaiting_pickup", order_amount=5_000),
        order("6", "to_ship", order_amount=50_000, paid_time=late),
        order("5", "to_ship", order_amount=50_000, paid_time=early),
        order("4", "handed_over", order_amount=1_000_000),
        order("3", "unpaid", order_amount=1_000_000),
        order("2", "cancelled", order_amount=1_000_000),
    ]
    plan = plan_handovers(orders_frame(rows), judged("2023-11-01T09:00"), 100, WIB)
    assert list(plan.rows["order_id"]) == ["7", "8", "9", "5", "6"]
    assert plan.rows["fits"].all() and set(plan.rows["day"]) == {"2023-11-01"}


def test_oldest_uses_the_created_time_when_there_is_no_paid_time() -> None:
    rows = [
        order("2", cod=True, paid_time=None, created_time=datetime(2023, 10, 3, tzinfo=WIB)),
        order("1", paid_time=datetime(2023, 10, 4, tzinfo=WIB)),
        order("3", cod=True, paid_time=None, created_time=datetime(2023, 10, 2, tzinfo=WIB)),
    ]
    plan = plan_handovers(orders_frame(rows), judged("2023-11-01T09:00"), 1, WIB)
    assert list(plan.rows["order_id"]) == ["3", "2", "1"]


def test_full_ties_are_broken_by_the_order_id_as_a_number() -> None:
    ids = ["5764614130387859841", "576461413038785985", "576461413038785984"]
    plan = plan_handovers(orders_frame([order(i) for i in ids]), judged("2023-11-05T09:00"), 2, WIB)
    assert list(plan.rows["order_id"]) == [
        "576461413038785984", "576461413038785985", "5764614130387859841",
    ]  # fmt: skip
    assert list(plan.rows["fits"]) == [True, True, False]


def test_the_plan_is_deterministic_whatever_the_input_order() -> None:
    frame = many(12)
    first = plan_handovers(frame, judged("2023-11-03T09:00"), 5, WIB).rows
    second = plan_handovers(frame.iloc[::-1], judged("2023-11-03T09:00"), 5, WIB).rows
    pd.testing.assert_frame_equal(first, second)


def test_more_capacity_than_orders_puts_them_all_on_the_first_day() -> None:
    plan = plan_handovers(many(3), judged("2023-10-20T09:00"), 50, WIB)
    assert set(plan.rows["day"]) == {"2023-10-20"} and plan.missed == 0
    assert plan.needed == 1


def test_as_of_on_the_cutoff_day_leaves_one_day() -> None:
    plan = plan_handovers(many(5), judged("2023-11-05T20:00"), 3, WIB)
    assert plan.days == [date(2023, 11, 5)]
    assert list(plan.rows["fits"]) == [True] * 3 + [False] * 2
    assert (plan.missed, plan.needed) == (2, 5)


def test_after_the_cutoff_nothing_fits_and_every_order_is_missed() -> None:
    plan = plan_handovers(many(4, "auto_cancelled"), judged("2023-11-06T08:00"), 10, WIB)
    assert plan.days == [] and not plan.rows["fits"].any()
    assert set(plan.rows["day"]) == {""} and plan.missed == 4 and plan.needed is None


def test_a_skipped_day_gets_no_order() -> None:
    as_of = judged("2023-11-04T09:00")  # Saturday; Sunday 5 Nov is the cutoff day
    plan = plan_handovers(many(3), as_of, 2, WIB, parse_weekdays(["sun"]))
    assert plan.skipped == [date(2023, 11, 5)]
    assert list(plan.rows["day"]) == ["2023-11-04", "2023-11-04", ""]
    assert plan.needed == 3


def test_no_order_at_risk_is_an_empty_plan() -> None:
    plan = plan_handovers(many(3, "handed_over"), judged("2023-11-01T09:00"), 5, WIB)
    assert plan.rows.empty and list(plan.rows.columns) == list(PLAN_COLUMNS)
    assert (plan.orders, plan.missed, plan.needed) == (0, 0, 0)


@pytest.mark.parametrize("capacity", [0, -3])
def test_capacity_below_one_is_a_usage_error(capacity: int) -> None:
    with pytest.raises(UsageError):
        plan_handovers(many(1), judged("2023-11-01T09:00"), capacity, WIB)


def test_plan_columns_have_the_kinds_the_writers_need() -> None:
    rows = plan_handovers(many(2), judged("2023-11-05T09:00"), 1, WIB).rows
    assert rows["fits"].dtype == bool and rows["pre_order"].dtype == bool
    assert rows["order_amount"].dtype == "int64" and rows["units"].dtype == "int64"
    assert str(rows["day"].dtype) == "str" and str(rows["order_id"].dtype) == "str"


def test_needed_capacity_saves_every_order() -> None:
    as_of = judged("2023-10-30T09:00")
    frame = many(23)
    plan = plan_handovers(frame, as_of, 1, WIB, parse_weekdays(["sun"]))
    assert plan.needed is not None and plan.missed > 0
    assert plan_handovers(frame, as_of, plan.needed, WIB, parse_weekdays(["sun"])).missed == 0
    assert plan_handovers(frame, as_of, plan.needed - 1, WIB, parse_weekdays(["sun"])).missed > 0


# --- lines: picklist and catalog -------------------------------------------------------------


def sku_line(order_id: str, sku: str, quantity: int = 1, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "order_id": order_id,
        "seller_sku": sku,
        "product_name": f"Product {sku}",
        "variation": "Hitam",
        "product_category": "Fashion",
        "quantity": quantity,
        "unit_price": 35_000,
        "subtotal": 35_000 * quantity,
        "shipping_provider": "J&T Express",
        "created_time": datetime(2023, 10, 1, 10, 0, tzinfo=WIB),
    }
    row.update(fields)
    return row


def lines_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return frame.astype(
        {
            "quantity": "int64",
            "unit_price": "int64",
            "subtotal": "int64",
            "created_time": "datetime64[s, Asia/Jakarta]",
        }
    )


def flags(**by_order: str) -> pd.DataFrame:
    return pd.DataFrame({"order_id": list(by_order), "flag": list(by_order.values())}, dtype="str")


def test_picklist_totals_at_risk_skus_by_courier_largest_first() -> None:
    lines = lines_frame(
        [
            sku_line("a", "HIJ-01", 2),
            sku_line("a", "TAS-07", 1),
            sku_line("b", "HIJ-01", 1),
            sku_line("c", "HIJ-01", 5, shipping_provider="SiCepat REG"),
            sku_line("c", "TAS-07", 4, shipping_provider="SiCepat REG"),
            sku_line("d", "HIJ-01", 9),  # handed over: packed already
            sku_line("e", "TAS-07", 9),  # cancelled
        ]
    )
    orders = flags(a="to_ship", b="awaiting_pickup", c="to_ship", d="handed_over", e="cancelled")
    picks = picklist(lines, orders)
    assert list(picks.columns) == list(PICKLIST_COLUMNS)
    assert picks[["shipping_provider", "seller_sku", "units", "orders"]].values.tolist() == [
        ["SiCepat REG", "HIJ-01", 5, 1],
        ["SiCepat REG", "TAS-07", 4, 1],
        ["J&T Express", "HIJ-01", 3, 2],
        ["J&T Express", "TAS-07", 1, 1],
    ]
    assert picks["units"].dtype == "int64" and picks["orders"].dtype == "int64"


def test_picklist_keeps_variations_apart_and_breaks_ties_by_sku() -> None:
    lines = lines_frame(
        [
            sku_line("a", "B-02", 1),
            sku_line("a", "A-01", 1, variation="Merah"),
            sku_line("b", "A-01", 1, variation="Hitam"),
        ]
    )
    picks = picklist(lines, flags(a="to_ship", b="to_ship"))
    assert picks[["seller_sku", "variation"]].values.tolist() == [
        ["A-01", "Hitam"],
        ["A-01", "Merah"],
        ["B-02", "Hitam"],
    ]


def test_picklist_is_empty_when_nothing_is_at_risk() -> None:
    lines = lines_frame([sku_line("a", "HIJ-01")])
    picks = picklist(lines, flags(a="handed_over"))
    assert picks.empty and list(picks.columns) == list(PICKLIST_COLUMNS)


def test_catalog_ranks_sold_skus_by_revenue() -> None:
    lines = lines_frame(
        [
            sku_line("a", "HIJ-01", 2, subtotal=60_000, unit_price=35_000),
            sku_line(
                "b",
                "HIJ-01",
                1,
                subtotal=40_000,
                unit_price=40_000,
                product_category="Hijab",
                created_time=datetime(2023, 10, 3, 9, 0, tzinfo=WIB),
            ),
            sku_line("b", "TAS-07", 1, subtotal=90_000, unit_price=90_000),
            sku_line("c", "GAM-02", 1, subtotal=500_000),  # cancelled
            sku_line("d", "GAM-02", 1, subtotal=500_000),  # never paid
            sku_line("e", "SKN-03", 1, subtotal=80_000),  # at risk, still a sale
        ]
    )
    orders = flags(a="handed_over", b="to_ship", c="cancelled", d="unpaid", e="awaiting_pickup")
    products = catalog(lines, orders)
    assert list(products.columns) == list(CATALOG_COLUMNS)
    assert products[["rank", "seller_sku", "units_sold", "orders", "revenue"]].values.tolist() == [
        [1, "HIJ-01", 3, 2, 100_000],
        [2, "TAS-07", 1, 1, 90_000],
        [3, "SKN-03", 1, 1, 80_000],
    ]
    first = products.iloc[0]
    assert first["unit_price"] == 40_000 and first["product_category"] == "Hijab"
    assert first["last_sold"] == datetime(2023, 10, 3, 9, 0, tzinfo=WIB)
    for name in ("rank", "unit_price", "units_sold", "orders", "revenue"):
        assert products[name].dtype == "int64"


def test_catalog_revenue_ties_go_to_more_units_then_the_sku() -> None:
    lines = lines_frame(
        [
            sku_line("a", "B-02", 1, subtotal=50_000),
            sku_line("a", "C-03", 2, subtotal=50_000),
            sku_line("a", "A-01", 1, subtotal=50_000),
        ]
    )
    products = catalog(lines, flags(a="handed_over"))
    assert list(products["seller_sku"]) == ["C-03", "A-01", "B-02"]
    assert list(products["rank"]) == [1, 2, 3]


def test_catalog_after_the_cutoff_leaves_out_the_auto_cancelled() -> None:
    lines = lines_frame([sku_line("a", "A-01"), sku_line("b", "B-02")])
    products = catalog(lines, flags(a="handed_over", b="auto_cancelled"))
    assert list(products["seller_sku"]) == ["A-01"]


def test_catalog_of_no_sale_is_empty_with_its_columns() -> None:
    lines = lines_frame([sku_line("a", "A-01")])
    products = catalog(lines, flags(a="cancelled"))
    assert products.empty and list(products.columns) == list(CATALOG_COLUMNS)


def test_picklist_and_catalog_from_a_real_export(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "e.csv",
        [
            line("576461413038785984", Quantity="2", **{"SKU Subtotal After Discount": "70000"}),
            line(
                "576461413038785984",
                SKU_ID="1729384756102938476",
                Seller_SKU="TAS-07",
                Product_Name="Tas Selempang",
                Variation="Cream",
                **{"SKU Subtotal After Discount": "79900", "SKU Unit Original Price": "79900"},
            ),
            line("576461413038785985", Order_Status="Selesai", Order_Substatus=""),
            line("576461413038785986", Order_Status="Dibatalkan", Order_Substatus=""),
        ],
    )
    lines = read_exports([str(export)], ReadOptions(fields=(*TRIAGE_FIELDS, *PRODUCT_FIELDS))).frame
    orders = triage(lines, judged("2023-10-20T09:00"))
    picks = picklist(lines, orders)
    assert picks[["seller_sku", "units", "orders"]].values.tolist() == [
        ["HIJ-01", 2, 1],
        ["TAS-07", 1, 1],
    ]
    products = catalog(lines, orders)
    assert products[["seller_sku", "units_sold", "orders", "revenue"]].values.tolist() == [
        ["HIJ-01", 3, 2, 105_000],
        ["TAS-07", 1, 1, 79_900],
    ]
    assert products["last_sold"].iloc[0] == datetime(2023, 10, 1, 10, 0, tzinfo=WIB)
