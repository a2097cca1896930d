"""`report`: one self-contained HTML page, through the CLI and in a real browser."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import browser
from conftest import AS_OF, EXAMPLE, run
from exportkit import CANARY, line, write_csv

XSS = "<img src=x onerror=alert(1)>"


def make_report(target: Path, *args: str) -> str:
    result = run("report", *args, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


def summary_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = run("summary", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    parsed: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return parsed


def metrics(page: str) -> dict[str, str]:
    """The headline's numbers: `data-metric` -> `data-value`."""
    return dict(re.findall(r'data-metric="([^"]+)" data-value="([^"]+)"', page))


def section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert match, f"no section {name}"
    return match.group(1)


def loaded_urls(page: str) -> list[str]:
    """Every address the page could load: src/href attributes and CSS url()."""
    found = re.findall(r'\b(?:src|href|xlink:href|srcset|poster|action)\s*=\s*"([^"]*)"', page)
    found += re.findall(r"\b(?:src|href)\s*=\s*'([^']*)'", page)
    found += re.findall(r"url\(\s*['\"]?([^'\")]*)", page)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", page)
    return found


def assert_self_contained(page: str) -> None:
    for url in loaded_urls(page):
        assert url.startswith(("data:", "#")), f"external address in the page: {url[:80]}"
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()


def chart_images(page: str) -> list[str]:
    return re.findall(r'<img src="(data:image/svg\+xml;base64,[^"]+)"', page)


def plan_rows(capacity: int, *args: str) -> list[dict[str, str]]:
    result = run("plan", *args, "--capacity", str(capacity), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def hostile_export(tmp_path: Path) -> Path:
    """The XSS product name, quotes, `&`, a formula; the buyers' canaries on every line."""
    rows = [
        line("576461413038785901", Product_Name=XSS, Seller_SKU="=HYPERLINK(1)"),
        line("576461413038785902", Product_Name='Gamis "Aisyah" & <b>Khimar</b>'),
        line(
            "576461413038785903",
            RTS_Time="02/10/2023 09:00:00",
            Tracking_ID="JX1",
            **{"Shipping Provider Name": "<script>alert(2)</script> Express"},
        ),
        line("576461413038785904", Order_Status="Selesai", Order_Substatus=""),
        line("576461413038785905", Order_Status="Dibatalkan", Order_Substatus=""),
    ]
    return write_csv(tmp_path / "hostile.csv", rows)


# --- through the CLI ---------------------------------------------------------------------------


def test_the_page_has_the_headline_of_summary_and_the_plan_in_order(tmp_path: Path) -> None:
    page = make_report(tmp_path / "report.html", str(EXAMPLE), *AS_OF)
    summary = summary_json(str(EXAMPLE), *AS_OF)
    shown = metrics(page)
    assert shown == {
        "hours_left": str(summary["hours_left"]),
        "at_risk.orders": str(summary["at_risk"]["orders"]),
        "at_risk.units": str(summary["at_risk"]["units"]),
        "at_risk.amount": str(summary["at_risk"]["amount"]),
        "by_flag.auto_cancelled.orders": str(summary["by_flag"]["auto_cancelled"]["orders"]),
    }
    assert "Rp 4.683.300" in section(page, "headline")
    assert "16 d 15 h left" in section(page, "headline")
    # Default capacity: the least that saves them all (2 a day here), as `plan` computes it.
    assert "Handover plan at 2 orders a day (what saves them all)" in page
    expected = plan_rows(2, str(EXAMPLE), *AS_OF)
    orders = section(page, "orders")
    assert re.findall(r'<td class="id">(\d+)</td>', orders) == [r["order_id"] for r in expected]
    days = re.findall(r"<td>(\d+ \w{3} \d{4})</td><td>", orders)
    planned = [datetime.fromisoformat(r["day"]) for r in expected]
    assert days == [f"{d.day} {d:%b %Y}" for d in planned]
    assert len(chart_images(page)) == 3
    assert_self_contained(page)


def test_charts_are_svg_with_their_text_as_paths(tmp_path: Path) -> None:
    page = make_report(tmp_path / "report.html", str(EXAMPLE), *AS_OF)
    for uri in chart_images(page):
        svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
        assert "<svg" in svg and "<path" in svg
        assert "<text" not in svg and "@font-face" not in svg and "font-family" not in svg
        assert not re.search(r'(?:href|src)="(?!#)', svg)
    readings = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert readings == [
        "At 2 a day the last order leaves on 2 Nov 2023; 2 a day is the least that saves them all.",
        "J&amp;T Express carries the most at risk: Rp 1.894.600 of Rp 4.683.300.",
        "The busiest day was 4 Oct 2023 (13 orders); 3 orders created on it are still at risk.",
    ]


def test_a_capacity_too_small_marks_the_missed_orders(tmp_path: Path) -> None:
    args = [str(EXAMPLE), "--as-of", "2023-11-03 09:00", "--capacity", "5"]
    page = make_report(tmp_path / "report.html", *args)
    expected = plan_rows(5, *args[:3])
    missed = [row for row in expected if row["fits"] == "false"]
    assert len(missed) == 13
    assert section(page, "orders").count("misses the cutoff") == 13
    assert "At 5 a day, 13 of 28 orders miss the cutoff (red); 10 a day would save them all." in (
        page
    )


def test_skip_day_leaves_the_day_out_of_the_plan(tmp_path: Path) -> None:
    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF, "--skip-day", "sun")
    expected = plan_rows(2, str(EXAMPLE), *AS_OF, "--skip-day", "sun")
    assert "22 Oct 2023" not in section(page, "orders")  # a Sunday
    assert len(re.findall(r'<td class="id">', section(page, "orders"))) == len(expected)


def test_product_names_are_text_and_buyers_stay_out(tmp_path: Path) -> None:
    page = make_report(tmp_path / "r.html", str(hostile_export(tmp_path)), *AS_OF)
    assert html.escape(XSS, quote=False) in page
    assert "<img src=x" not in page and "<b>Khimar" not in page and "<script" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Express" in page
    for value in CANARY.values():
        assert value not in page
    assert_self_contained(page)


def test_include_pii_adds_the_buyers_with_a_warning(tmp_path: Path) -> None:
    export = str(hostile_export(tmp_path))
    page = make_report(tmp_path / "r.html", export, *AS_OF, "--include-pii")
    orders = section(page, "orders")
    assert CANARY["Recipient"] in orders and CANARY["Phone #"] in orders
    assert "personal data" in page


def test_indonesian_page(tmp_path: Path) -> None:
    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF, "--lang", "id")
    assert '<html lang="id">' in page
    assert "Pesanan TikTok Shop menjelang batas waktu" in page
    assert "Batas waktu 5 Nov 2023 23.59 WIB" in page
    assert "Rp 4.683.300" in page
    assert "Pesanan berisiko" in page and "Sisa waktu" in page
    assert "Orders at risk" not in page


def test_checklist_progress_comes_from_the_state_store(tmp_path: Path) -> None:
    state = tmp_path / "progress.json"
    done = run("checklist", "done", "tokopedia", "verify-ktp", "--state", str(state))
    assert done.exit_code == 0, done.stderr
    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF, "--state", str(state))
    assert re.search(r'data-platform="tokopedia" data-done="1" data-total="\d+"', page)
    assert re.search(r'data-platform="shopee" data-done="0"', page)
    # The environment variable is the default store.
    env_page = make_report(tmp_path / "e.html", str(EXAMPLE), *AS_OF)
    assert re.search(r'data-platform="tokopedia" data-done="0"', env_page)
    os.environ["TIKTOK_TRANSITION_STATE"] = str(state)  # restored by conftest's monkeypatch
    env_page = make_report(tmp_path / "e.html", str(EXAMPLE), *AS_OF)
    assert re.search(r'data-platform="tokopedia" data-done="1"', env_page)


def test_sources_and_fingerprints(tmp_path: Path) -> None:
    import hashlib

    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF)
    files = section(page, "files")
    data = EXAMPLE.read_bytes()
    assert EXAMPLE.name in files
    assert hashlib.sha256(data).hexdigest() in files
    assert f"{len(data):,} bytes" in files
    sources = section(page, "sources")
    assert "Permendag No. 31/2023" in sources and "voi.id/en/economy/316520" in sources


def test_output_to_standard_output() -> None:
    result = run("report", str(EXAMPLE), *AS_OF, "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert not (Path.cwd() / "-").exists()
    piped = run("report", str(EXAMPLE), *AS_OF)
    assert piped.exit_code == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_on_a_terminal_without_output_it_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_transition.ui import terminal

    monkeypatch.setattr(terminal, "is_terminal", lambda _stream: True)
    result = run("report", str(EXAMPLE), *AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "-o report.html" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--capacity", "0"], "--capacity"),
        (["--skip-day", "someday"], "someday"),
        (["--as-of", "yesterday"], "--as-of"),
    ],
)
def test_bad_options_write_nothing(tmp_path: Path, args: list[str], words: str) -> None:
    target = tmp_path / "r.html"
    result = run("report", str(EXAMPLE), *AS_OF, *args, "-o", str(target))
    assert result.exit_code == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_export_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = run("report", str(tmp_path / "nope.csv"), *AS_OF, "-o", str(target))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert not target.exists()


def test_long_tables_are_capped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiktok_transition.report import builder

    monkeypatch.setattr(builder, "TABLE_CAP", 5)
    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF)
    assert len(re.findall(r'<td class="id">', section(page, "orders"))) == 5
    assert "The first 5 of 28 orders are listed" in page
    assert 'id="picks-capped"' in page


def test_no_order_at_risk(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "done.csv",
        [line("576461413038785904", Order_Status="Selesai", Order_Substatus="")],
    )
    page = make_report(tmp_path / "r.html", str(export), *AS_OF)
    assert "No order is at risk" in page and "Nothing to hand over." in page
    assert len(chart_images(page)) == 1  # only the orders by created day have bars


def test_the_history_section_draws_the_pile_and_the_pace() -> None:
    from tiktok_transition.report import charts
    from tiktok_transition.report.model import HistoryRun

    cutoff = datetime(2023, 11, 5, 16, 59, 59, tzinfo=UTC)
    runs = [
        HistoryRun(datetime(2023, 10, 20, 2, tzinfo=UTC), 40),
        HistoryRun(datetime(2023, 10, 25, 2, tzinfo=UTC), 30),
    ]
    chart = charts.history_chart(runs, cutoff, "en")
    assert chart.image and chart.image.startswith("data:image/svg+xml;base64,")
    assert chart.reading == (
        "30 orders at risk at the last run; 3 a day finishes them by the cutoff."
    )


# --- in a real browser -------------------------------------------------------------------------


def _need_chromium() -> None:
    if browser.find_chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    made = {
        "en": folder / "report.html",
        "id": folder / "laporan.html",
        "hostile": folder / "hostile.html",
    }
    state = folder / "progress.json"
    env = {"TIKTOK_TRANSITION_STATE": str(state)}
    for key, extra in (("en", []), ("id", ["--lang", "id"])):
        result = run("report", str(EXAMPLE), *AS_OF, *extra, "-o", str(made[key]), env=env)
        assert result.exit_code == 0, result.stderr
    result = run("report", str(hostile_export(folder)), *AS_OF, "-o", str(made["hostile"]), env=env)
    assert result.exit_code == 0, result.stderr
    return made


def _colours(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").resize((200, 400))
        return len(small.getcolors(maxcolors=200 * 400) or [])


@pytest.mark.chromium
def test_chromium_dom_holds_the_summary_numbers(pages: dict[str, Path]) -> None:
    _need_chromium()
    dom = browser.dump_dom(pages["en"])
    summary = summary_json(str(EXAMPLE), *AS_OF)
    shown = metrics(dom)
    assert shown["at_risk.orders"] == str(summary["at_risk"]["orders"]) == "28"
    assert shown["at_risk.units"] == str(summary["at_risk"]["units"])
    assert shown["at_risk.amount"] == str(summary["at_risk"]["amount"])
    assert shown["hours_left"] == str(summary["hours_left"])
    assert shown["by_flag.auto_cancelled.orders"] == str(
        summary["by_flag"]["auto_cancelled"]["orders"]
    )
    headline = section(dom, "headline")
    assert "Rp 4.683.300" in headline and ">28<" in headline
    assert len(chart_images(dom)) == 3
    assert_self_contained(dom)


@pytest.mark.chromium
@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_chromium_screenshots_are_not_blank(
    pages: dict[str, Path], tmp_path: Path, name: str, width: int
) -> None:
    _need_chromium()
    target = browser.screenshot(pages["en"], tmp_path / f"{name}.png", width, 1800)
    assert target.stat().st_size > 20_000
    from PIL import Image

    with Image.open(target) as image:
        assert image.size == (width, 1800)
    # Text, bars in the flags' colours, the page's bands: far from one flat colour.
    assert _colours(target) > 50


@pytest.mark.chromium
def test_chromium_shows_the_hostile_name_as_text(pages: dict[str, Path]) -> None:
    _need_chromium()
    dom = browser.dump_dom(pages["hostile"])
    assert html.escape(XSS, quote=False) in dom
    assert '<img src="x"' not in dom and "onerror=" not in dom.replace("onerror=alert(1)&gt;", "")
    for value in CANARY.values():
        assert value not in dom
    assert_self_contained(dom)


@pytest.mark.chromium
def test_chromium_indonesian_page(pages: dict[str, Path]) -> None:
    _need_chromium()
    dom = browser.dump_dom(pages["id"])
    assert "Batas waktu 5 Nov 2023 23.59 WIB" in dom
    assert "Rp 4.683.300" in dom and "Pesanan berisiko" in dom


def test_an_export_from_standard_input_is_named_but_not_fingerprinted(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = run("report", "-", *AS_OF, "-o", str(target), input=EXAMPLE.read_bytes())
    assert result.exit_code == 0, result.stderr
    files = section(target.read_text(encoding="utf-8"), "files")
    assert "standard input" in files and "not fingerprinted" in files


def test_after_the_cutoff_the_lost_orders_lead(tmp_path: Path) -> None:
    args = [str(EXAMPLE), "--as-of", "2023-11-10 09:00"]
    page = make_report(tmp_path / "r.html", *args)
    summary = summary_json(*args)
    lost = summary["by_flag"]["auto_cancelled"]
    assert lost["orders"] == 28
    assert metrics(page)["by_flag.auto_cancelled.orders"] == "28"
    assert metrics(page)["at_risk.orders"] == "0"
    assert "The cutoff has passed" in page and "passed 4 d 9 h ago" in page
    assert "No handover day is left: all 28 orders miss the cutoff." in page
    assert "what saves them all" not in page
    assert section(page, "orders").count("misses the cutoff") == 28


def test_the_recorded_runs_of_the_shop_become_the_history_chart(tmp_path: Path) -> None:
    """`scan --record` on two mornings, then `report --history`: the pile per run is drawn; a
    shop with no runs, or no database at all, gives a page without it (and creates no file)."""
    db = tmp_path / "history.sqlite3"
    for when in ("2023-10-18 09:00", "2023-10-20 09:00"):
        recorded = run("scan", str(EXAMPLE), "--as-of", when, "--record", "--history", str(db))
        assert recorded.exit_code == 0, recorded.stderr
    page = make_report(tmp_path / "r.html", str(EXAMPLE), *AS_OF, "--history", str(db))
    assert len(chart_images(page)) == 4 and 'id="chart-history"' in page
    assert "28 orders at risk at the last run" in page
    other = make_report(
        tmp_path / "o.html", str(EXAMPLE), *AS_OF, "--history", str(db), "--shop", "other"
    )
    assert 'id="chart-history"' not in other
    missing = tmp_path / "none.sqlite3"
    page = make_report(tmp_path / "n.html", str(EXAMPLE), *AS_OF, "--history", str(missing))
    assert 'id="chart-history"' not in page and not missing.exists()


def test_a_damaged_history_database_is_exit_2_and_no_report(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"not a database at all\n" * 40)
    target = tmp_path / "r.html"
    result = run("report", str(EXAMPLE), *AS_OF, "--history", str(db), "-o", str(target))
    assert result.exit_code == 2 and not target.exists()
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == b"not a database at all\n" * 40
