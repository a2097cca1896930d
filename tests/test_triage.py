"""Each flag rule and each trap, on hand-written lines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from exportkit import line, write_csv
from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.summary import Tally, summarize
from tiktok_transition.core.triage import triage
from tiktok_transition.reader.files import read_exports
from tiktok_transition.reader.layout import TRIAGE_FIELDS, ReadOptions

WIB = ZoneInfo("Asia/Jakarta")
DURING = Judgement(
    as_of=datetime(2023, 10, 20, 9, 0, tzinfo=WIB),
    cutoff=datetime(2023, 11, 5, 23, 59, 59, tzinfo=WIB),
    shutdown=datetime(2023, 10, 4, 17, 0, tzinfo=WIB),
)
AFTER = Judgement(DURING.cutoff.replace(day=6, hour=8), DURING.cutoff, DURING.shutdown)


def orders_of(
    tmp_path: Path, rows: list[dict[str, str]], judgement: Judgement = DURING
) -> pd.DataFrame:
    path = write_csv(tmp_path / "e.csv", rows)
    lines = read_exports([str(path)], ReadOptions(fields=TRIAGE_FIELDS)).frame
    return triage(lines, judgement)


def flag_of(tmp_path: Path, judgement: Judgement = DURING, **fields: str) -> tuple[str, str]:
    orders = orders_of(tmp_path, [line(**fields)], judgement)
    return orders.loc[0, "flag"], orders.loc[0, "warnings"]


def test_paid_not_arranged_is_to_ship(tmp_path: Path) -> None:
    assert flag_of(tmp_path) == ("to_ship", "")


def test_arranged_but_not_collected_is_awaiting_pickup(tmp_path: Path) -> None:
    flag = flag_of(
        tmp_path,
        Order_Substatus="Menunggu pengambilan",
        RTS_Time="02/10/2023 09:00:00",
        Tracking_ID="JX123",
    )
    assert flag == ("awaiting_pickup", "")


def test_a_tracking_number_alone_is_not_a_handover(tmp_path: Path) -> None:
    assert flag_of(tmp_path, Order_Substatus="", Tracking_ID="JX123")[0] == "to_ship"


def test_awaiting_collection_without_rts_time_is_filled_in_by_the_status(tmp_path: Path) -> None:
    assert flag_of(tmp_path, Order_Status="To ship", Order_Substatus="Awaiting collection")[0] == (
        "awaiting_pickup"
    )


def test_cash_on_delivery_without_paid_time_still_must_ship(tmp_path: Path) -> None:
    assert flag_of(tmp_path, Paid_Time="", Payment_Method="Bayar di tempat")[0] == "to_ship"
    assert flag_of(tmp_path, Paid_Time="", Payment_Method="Cash on delivery")[0] == "to_ship"


def test_never_paid_and_not_cod_is_unpaid(tmp_path: Path) -> None:
    flag = flag_of(tmp_path, Order_Status="Belum dibayar", Order_Substatus="", Paid_Time="")
    assert flag == ("unpaid", "")
    assert (
        flag_of(tmp_path, AFTER, Order_Status="Unpaid", Order_Substatus="", Paid_Time="")[0]
        == "unpaid"
    )


@pytest.mark.parametrize(
    ("status", "substatus", "times"),
    [
        ("Dikirim", "Sedang transit", {"Shipped_Time": "03/10/2023 09:00:00"}),
        ("Shipped", "Delivered", {"Delivered_Time": "05/10/2023 09:00:00"}),
        ("Selesai", "", {}),  # a completed order whose times were not exported
        ("Completed", "", {"Shipped_Time": "03/10/2023 09:00:00"}),
    ],
)
def test_shipped_delivered_completed_are_handed_over(
    tmp_path: Path, status: str, substatus: str, times: dict[str, str]
) -> None:
    flag = flag_of(tmp_path, Order_Status=status, Order_Substatus=substatus, **times)
    assert flag == ("handed_over", "")


def test_cancelled_wins_over_everything(tmp_path: Path) -> None:
    assert flag_of(tmp_path, Order_Status="Dibatalkan", Order_Substatus="")[0] == "cancelled"
    flag = flag_of(
        tmp_path, Cancelled_Time="02/10/2023 09:00:00", Shipped_Time="01/10/2023 12:00:00"
    )
    assert flag[0] == "cancelled"
    assert "status_timestamp_conflict" in flag[1]


def test_not_handed_over_after_the_cutoff_is_auto_cancelled(tmp_path: Path) -> None:
    orders = orders_of(tmp_path, [line()], AFTER)
    assert orders.loc[0, "flag"] == "auto_cancelled"
    assert orders.loc[0, "hours_left"] == -9.0


def test_timestamps_win_over_a_stale_status(tmp_path: Path) -> None:
    flag = flag_of(
        tmp_path, Order_Substatus="Menunggu pengiriman", Shipped_Time="03/10/2023 09:00:00"
    )
    assert flag == ("handed_over", "status_timestamp_conflict")


def test_an_unknown_status_word_is_a_warning_judged_by_its_times(tmp_path: Path) -> None:
    flag = flag_of(
        tmp_path,
        Order_Status="Sedang diproses gudang",
        Order_Substatus="",
        RTS_Time="02/10/2023 09:00:00",
    )
    assert flag == ("awaiting_pickup", "unknown_status")


def test_status_words_are_case_and_space_insensitive(tmp_path: Path) -> None:
    assert flag_of(tmp_path, Order_Status="  SELESAI ", Order_Substatus="")[0] == "handed_over"
    assert flag_of(tmp_path, Order_Status="perlu  DIKIRIM", Order_Substatus="menunggu pengambilan")[
        0
    ] == ("awaiting_pickup")


def test_created_after_shutdown_is_warned(tmp_path: Path) -> None:
    flag = flag_of(tmp_path, Created_Time="05/10/2023 10:00:00", Paid_Time="05/10/2023 10:01:00")
    assert flag == ("to_ship", "created_after_shutdown")


def test_order_values_are_taken_once_and_units_summed(tmp_path: Path) -> None:
    rows = [
        line(SKU_ID="1729384756102938475", Quantity="2", Order_Amount="189950"),
        line(SKU_ID="1729384756102938476", Quantity="3", Order_Amount="189950"),
    ]
    orders = orders_of(tmp_path, rows)
    assert len(orders) == 1
    assert orders.loc[0, ["lines", "units", "order_amount"]].tolist() == [2, 5, 189950]


def test_pre_orders_sort_first_within_their_flag_then_oldest(tmp_path: Path) -> None:
    rows = [
        line("1001", Paid_Time="01/10/2023 09:00:00"),
        line("1002", Paid_Time="30/09/2023 09:00:00"),
        line("1003", Paid_Time="02/10/2023 09:00:00", **{"Normal or Pre-order": "Pre-order"}),
        line("1004", Order_Status="Selesai", Order_Substatus=""),
        line("1005", RTS_Time="02/10/2023 09:00:00"),
    ]
    ids = orders_of(tmp_path, rows)["order_id"].tolist()
    assert ids == ["1005", "1003", "1002", "1001", "1004"]


def test_summary_counts_every_flag_and_the_money_at_risk(tmp_path: Path) -> None:
    rows = [
        line("1001", Order_Amount="100000"),
        line("1002", Order_Amount="50000", RTS_Time="02/10/2023 09:00:00"),
        line("1003", Order_Amount="70000", Order_Status="Selesai", Order_Substatus=""),
    ]
    report = summarize(orders_of(tmp_path, rows), DURING)
    assert report.at_risk == Tally(orders=2, units=2, amount=150000)
    assert set(report.by_flag) == {
        "to_ship", "awaiting_pickup", "auto_cancelled", "handed_over", "unpaid", "cancelled",
    }  # fmt: skip
    assert report.by_flag["handed_over"].amount == 70000
    assert report.hours_left == 399.0
    assert report.to_dict()["at_risk"] == {"orders": 2, "units": 2, "amount": 150000}
