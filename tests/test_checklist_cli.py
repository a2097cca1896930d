"""`checklist list/show/done/undo/reset` through the CLI, as a seller (or a script) runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tiktok_transition.checklists import BUNDLED_PLATFORMS, load_checklists
from tiktok_transition.cli.main import app
from tiktok_transition.output.checklists import ITEM_COLUMNS, LIST_COLUMNS

runner = CliRunner()
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ITEM_KEYS = ["id", "title", "detail", "phase", "source", "done"]
DOCUMENT_KEYS = ["platform", "title", "checked_on", "notice", "items"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["checklist", *args])


def state_file() -> Path:
    return Path(os.environ["TIKTOK_TRANSITION_STATE"])


def show_json(platform: str, *args: str) -> dict[str, Any]:
    result = run("show", platform, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def done_ids(platform: str) -> list[str]:
    return [item["id"] for item in show_json(platform)["items"] if item["done"]]


def write_checklist(
    path: Path, platform: str, items: list[dict[str, str]], title: str = "My shop"
) -> Path:
    head = {
        "platform": platform,
        "title_en": title,
        "title_id": f"Toko {title}",
        "checked_on": "2026-11-28",
    }
    text = "".join(f"{key} = {json.dumps(value)}\n" for key, value in head.items())
    text = text.replace('"2026-11-28"', "2026-11-28")
    for item in items:
        values = {
            "title_en": f"Do {item['id']}",
            "title_id": f"Lakukan {item['id']}",
            "detail_en": "Detail.",
            "detail_id": "Rincian.",
            "phase": "account",
            "source": "general practice",
            **item,
        }
        text += "\n[[items]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())
    path.write_text(text, encoding="utf-8")
    return path


# --- list ---------------------------------------------------------------------------------------


def test_list_csv_has_the_contract_columns_and_one_row_per_platform() -> None:
    run("done", "tokopedia", "verify-ktp", "export-products")

    result = run("list", "--format", "csv")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert (
        reader.fieldnames
        == list(LIST_COLUMNS)
        == [
            "platform",
            "title",
            "items",
            "done",
            "checked_on",
        ]
    )
    assert [row["platform"] for row in rows] == list(BUNDLED_PLATFORMS)
    checklists = load_checklists()
    for row in rows:
        assert int(row["items"]) == len(checklists[row["platform"]].items)
        assert ISO_DATE.match(row["checked_on"])
    by_platform = {row["platform"]: row for row in rows}
    assert by_platform["tokopedia"]["done"] == "2"
    assert by_platform["tokopedia"]["title"] == "Move to Tokopedia"
    assert by_platform["shopee"]["done"] == "0"


def test_list_in_a_pipe_defaults_to_csv() -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == ",".join(LIST_COLUMNS)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_list_json_formats_parse_back_with_numbers(fmt: str) -> None:
    run("done", "shopee", "mass-upload")

    result = run("list", "--format", fmt)

    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        records = json.loads(result.stdout)
    else:
        records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(record) for record in records] == [list(LIST_COLUMNS)] * len(BUNDLED_PLATFORMS)
    shopee = next(record for record in records if record["platform"] == "shopee")
    assert shopee["done"] == 1 and isinstance(shopee["items"], int)
    assert ISO_DATE.match(shopee["checked_on"])


def test_list_markdown_is_a_table() -> None:
    result = run("list", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "| platform | title | items | done | checked_on |"
    assert len(lines) == 2 + len(BUNDLED_PLATFORMS)


def test_list_table_marks_the_platform_with_a_notice() -> None:
    result = run("list", "--format", "table")
    assert result.exit_code == 0
    assert "Move to Bukalapak ⚠" in result.stdout
    assert "│ 0/12 │" in result.stdout


def test_list_with_excel_writes_bom_and_semicolons() -> None:
    result = run("list", "--format", "csv", "--excel")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert result.stdout.lstrip("\ufeff").splitlines()[0] == ";".join(LIST_COLUMNS)


# --- show ---------------------------------------------------------------------------------------


def test_show_json_has_exactly_the_contract_shape() -> None:
    document = show_json("bukalapak")

    assert list(document) == DOCUMENT_KEYS
    assert document["platform"] == "bukalapak"
    assert document["title"] == "Move to Bukalapak"
    assert ISO_DATE.match(document["checked_on"])
    assert "2025" in document["notice"]
    checklist = load_checklists()["bukalapak"]
    assert [item["id"] for item in document["items"]] == checklist.item_ids
    for item in document["items"]:
        assert list(item) == ITEM_KEYS
        assert item["done"] is False
        assert all(isinstance(item[key], str) and item[key] for key in ITEM_KEYS[:-1])
    assert show_json("tokopedia")["notice"] is None


def test_show_several_platforms_prints_an_array() -> None:
    result = run("show", "tokopedia", "shopee", "--format", "json")
    documents = json.loads(result.stdout)
    assert [document["platform"] for document in documents] == ["tokopedia", "shopee"]
    assert all(list(document) == DOCUMENT_KEYS for document in documents)


def test_show_all_prints_every_platform_once() -> None:
    result = run("show", "all", "tokopedia", "--format", "json")
    documents = json.loads(result.stdout)
    assert [document["platform"] for document in documents] == list(BUNDLED_PLATFORMS)


def test_show_jsonl_is_one_object_per_platform() -> None:
    result = run("show", "lazada", "blibli", "--format", "jsonl")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["platform"] for line in lines] == ["lazada", "blibli"]


def test_show_csv_is_one_row_per_item() -> None:
    run("done", "tokopedia", "verify-ktp")

    result = run("show", "tokopedia", "--format", "csv")

    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames == list(ITEM_COLUMNS)
    assert [row["id"] for row in rows] == load_checklists()["tokopedia"].item_ids
    verified = next(row for row in rows if row["id"] == "verify-ktp")
    assert verified["done"] == "true"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00", verified["done_at"])
    others = [row for row in rows if row["id"] != "verify-ktp"]
    assert {(row["done"], row["done_at"]) for row in others} == {("false", "")}


def test_show_markdown_is_a_checklist_grouped_by_phase() -> None:
    run("done", "tokopedia", "verify-ktp")

    result = run("show", "tokopedia", "--format", "markdown")

    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# Move to Tokopedia\n")
    assert "Facts checked on 2026-11-28" in text
    assert "- [x] Verify your identity with your KTP\n" in text
    assert "- [ ] Export your product list from TikTok Shop\n" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Before the cutoff (0/1)"
    assert "## Account (1/4)" in headings
    assert text.index("## Before the cutoff") < text.index("- [ ] Export your product")


def test_show_markdown_puts_the_notice_first() -> None:
    text = run("show", "bukalapak", "--format", "markdown").stdout
    assert text.splitlines()[2].startswith("> **Notice:** Bukalapak closed")
    assert text.index("Bukalapak closed") < text.index("- [ ]")


def test_bukalapak_table_shows_the_notice_before_the_items() -> None:
    run("done", "bukalapak", "export-products")

    result = run("show", "bukalapak", "--format", "table")

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    notice = out.index("Bukalapak closed its marketplace")
    assert notice < out.index("Export your product list")
    assert notice < out.index("Before the cutoff")
    assert "Facts checked on 2026-11-28" in out
    assert "Before the cutoff  1/2" in out
    assert "✓ │ export-products" in out


def test_table_cells_are_not_read_as_markup(tmp_path: Path) -> None:
    mine = write_checklist(
        tmp_path / "mine.toml", "warung", [{"id": "tag", "title_en": "Upload [bold] photos [1]"}]
    )
    result = run("show", "warung", "--format", "table", "--checklist-file", str(mine))
    assert "Upload [bold] photos [1]" in result.stdout


def test_lang_id_shows_indonesian_texts() -> None:
    document = show_json("tokopedia", "--lang", "id")
    assert document["title"] == "Pindah ke Tokopedia"
    checklist = load_checklists()["tokopedia"]
    assert [item["title"] for item in document["items"]] == [
        item.title_id for item in checklist.items
    ]

    table = run("show", "tokopedia", "--format", "table", "--lang", "id").stdout
    assert "Sebelum batas waktu" in table and "Fakta diperiksa pada" in table
    markdown = run("show", "bukalapak", "--format", "markdown", "--lang", "id").stdout
    assert "> **Perhatian:** Bukalapak menutup" in markdown


def test_output_file_format_follows_its_extension(tmp_path: Path) -> None:
    target = tmp_path / "tokopedia.md"
    result = run("show", "tokopedia", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Move to Tokopedia")


def test_xlsx_holds_the_csv_rows_of_list_and_show(tmp_path: Path) -> None:
    """Every command that prints rows writes every format (the contract): one sheet."""
    from openpyxl import load_workbook

    for args in (["list"], ["show", "shopee", "bukalapak"]):
        target = tmp_path / f"{args[0]}.xlsx"
        result = run(*args, "-o", str(target))
        assert result.exit_code == 0 and result.stdout == "", result.stderr
        rows = list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
        book = load_workbook(target, read_only=True)
        sheet = book.active
        assert sheet is not None
        cells = [[str(c) if c is not None else "" for c in row] for row in sheet.values]
        book.close()
        assert cells[0] == rows[0] and len(cells) == len(rows)


# --- progress -----------------------------------------------------------------------------------


def test_done_undo_reset_round_trip() -> None:
    result = run("done", "lazada", "verify-ktp", "verify-ktp")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "lazada: marked done: verify-ktp. Progress: 1/11 done."
    ]
    assert done_ids("lazada") == ["verify-ktp"]

    again = run("done", "lazada", "verify-ktp", "one-bank-account")
    assert "already done: verify-ktp" in again.stderr and "2/11" in again.stderr
    assert done_ids("lazada") == ["verify-ktp", "one-bank-account"]

    undone = run("undo", "lazada", "verify-ktp")
    assert undone.exit_code == 0 and undone.stdout == ""
    assert "marked not done: verify-ktp" in undone.stderr
    assert done_ids("lazada") == ["one-bank-account"]

    reset = run("reset", "lazada")
    assert reset.exit_code == 0 and reset.stdout == ""
    assert "1 mark(s) removed" in reset.stderr
    assert done_ids("lazada") == []
    assert "no progress to reset" in run("reset", "lazada").stderr


def test_quiet_confirms_nothing() -> None:
    result = run("done", "shopee", "mass-upload", "--quiet")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert done_ids("shopee") == ["mass-upload"]


def test_state_option_chooses_the_progress_file(tmp_path: Path) -> None:
    mine = tmp_path / "elsewhere" / "progress.json"
    assert run("done", "blibli", "choose-store-type", "--state", str(mine)).exit_code == 0
    assert "choose-store-type" in mine.read_text(encoding="utf-8")
    assert not state_file().exists()
    assert done_ids("blibli") == []
    assert [
        item["id"] for item in show_json("blibli", "--state", str(mine))["items"] if item["done"]
    ] == ["choose-store-type"]


@pytest.mark.parametrize(
    "args",
    [
        ("show", "tokped"),
        ("show", "tokopedia", "tokped", "--format", "json"),
        ("done", "tokped", "verify-ktp"),
        ("undo", "tokped", "verify-ktp"),
        ("reset", "tokped"),
    ],
)
def test_unknown_platform_lists_the_valid_ones(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert '"tokped"' in result.stderr
    assert ", ".join(BUNDLED_PLATFORMS) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["done", "undo"])
def test_unknown_item_lists_the_valid_ones_and_changes_nothing(command: str) -> None:
    result = run(command, "tokopedia", "verify-ktp", "verify-sim")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "verify-sim" in result.stderr
    assert ", ".join(load_checklists()["tokopedia"].item_ids) in result.stderr
    assert done_ids("tokopedia") == []


# --- user checklist files -----------------------------------------------------------------------


def test_checklist_file_overrides_a_platform_and_adds_one(tmp_path: Path) -> None:
    shopee = write_checklist(tmp_path / "shopee.toml", "shopee", [{"id": "my-step"}], "My Shopee")
    warung = write_checklist(tmp_path / "warung.toml", "warung", [{"id": "open-stall"}], "Warung")
    files = ["--checklist-file", str(shopee), "--checklist-file", str(warung)]

    listed = list(csv.DictReader(io.StringIO(run("list", "--format", "csv", *files).stdout)))
    assert [row["platform"] for row in listed] == [*BUNDLED_PLATFORMS, "warung"]
    assert next(row for row in listed if row["platform"] == "shopee")["title"] == "My Shopee"

    marked = run("done", "warung", "open-stall", *files)
    assert marked.exit_code == 0, marked.stderr
    document = show_json("warung", *files)
    assert document["items"][0]["done"] is True
    assert [item["id"] for item in show_json("shopee", *files)["items"]] == ["my-step"]
    # Without the file the bundled checklist is back.
    assert "my-step" not in [item["id"] for item in show_json("shopee")["items"]]


def test_invalid_checklist_file_is_one_line_per_problem(tmp_path: Path) -> None:
    bad = write_checklist(
        tmp_path / "bad.toml",
        "Bad Shop",
        [{"id": "ship-fast", "phase": "whenever"}, {"id": "no-source", "source": ""}],
    )

    result = run("list", "--checklist-file", str(bad))

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Problems in checklist files, one per line:"
    assert len(lines) == 4
    assert all(line.startswith(f"{bad}: ") for line in lines[1:])
    assert "items[0].phase (ship-fast)" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_checklist_file_is_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    result = run("done", "shopee", "mass-upload", "--checklist-file", str(missing))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{missing}: cannot read the file" in result.stderr
    assert not state_file().exists()


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_text_cells_that_look_like_formulas_are_defused_in_csv(tmp_path: Path, fmt: str) -> None:
    evil = write_checklist(
        tmp_path / "evil.toml",
        "evil",
        [{"id": "formula", "title_en": '=HYPERLINK("http://x")', "detail_en": "-2+3"}],
        title="@SUM(A1)",
    )
    files = ["--checklist-file", str(evil)]

    listed = run("list", "--format", fmt, *files).stdout
    shown = run("show", "evil", "--format", "csv", *files).stdout

    if fmt == "csv":
        row = next(r for r in csv.DictReader(io.StringIO(listed)) if r["platform"] == "evil")
        assert row["title"] == "'@SUM(A1)"
    else:
        assert "| evil | '@SUM(A1) |" in listed
    item = next(csv.DictReader(io.StringIO(shown)))
    assert item["title"] == '\'=HYPERLINK("http://x")'
    assert item["detail"] == "'-2+3"
    assert item["done"] == "false"


# --- the progress file --------------------------------------------------------------------------


def test_corrupt_state_file_is_moved_aside_with_a_warning() -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")

    result = run("list", "--format", "csv", "--quiet")

    assert result.exit_code == 0
    assert "damaged" in result.stderr and str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout.splitlines()[0] == ",".join(LIST_COLUMNS)
    assert len(list(path.parent.glob("progress.json.corrupt-*"))) == 1

    after = run("done", "tokopedia", "verify-ktp")
    assert after.exit_code == 0 and "damaged" not in after.stderr
    assert done_ids("tokopedia") == ["verify-ktp"]


def test_corrupt_state_file_warns_also_when_marking() -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfe garbage")

    result = run("done", "shopee", "mass-upload")

    assert result.exit_code == 0
    warning, confirmation = result.stderr.strip().splitlines()
    assert "damaged" in warning and "marked done: mass-upload" in confirmation


def test_state_file_from_a_newer_version_is_exit_2() -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"version": 9, "platforms": {}}', encoding="utf-8")
    result = run("show", "shopee", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "newer version" in result.stderr


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "show", "done", "undo", "reset"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: tiktok-transition checklist " + command in result.stdout
