"""Bahasa Indonesia for the people who use it, English for the machines (issue #8).

One catalogue per language with the same keys and placeholders; `--lang`, then
TIKTOK_TRANSITION_LANG, then the locale; everything a person reads in `--lang id` is Indonesian
(help included), while column names, JSON keys, flag words and exit codes never change.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import AS_OF, EXAMPLE, ROOT, run
from tiktok_transition.i18n import (
    catalogue,
    detect_language,
    format_date,
    language_from_args,
    placeholders,
    set_language,
)
from tiktok_transition.ui.orders import format_hours, format_moment

GOLDEN = ROOT / "tests" / "golden" / "example-scan.csv"
WIB = ZoneInfo("Asia/Jakarta")


# --- the catalogue -------------------------------------------------------------------------------


def _files(lang: str) -> set[str]:
    folder = resources.files("tiktok_transition") / "locales" / lang
    return {entry.name for entry in folder.iterdir() if entry.name.endswith(".toml")}


def test_both_languages_have_the_same_files_and_keys() -> None:
    assert _files("en") == _files("id")
    english, indonesian = set(catalogue("en")), set(catalogue("id"))
    assert sorted(english - indonesian) == [], "missing in Indonesian"
    assert sorted(indonesian - english) == [], "missing in English"


def test_both_languages_fill_in_the_same_placeholders() -> None:
    english, indonesian = catalogue("en"), catalogue("id")
    differ = {
        key: (placeholders(text), placeholders(indonesian[key]))
        for key, text in english.items()
        if key in indonesian and placeholders(text) != placeholders(indonesian[key])
    }
    assert differ == {}


def test_no_message_is_empty() -> None:
    for lang in ("en", "id"):
        assert [key for key, text in catalogue(lang).items() if not text.strip()] == []


def test_placeholders_are_read_as_str_format_reads_them() -> None:
    assert placeholders("{count} order(s) in {file}") == {"count", "file"}
    assert placeholders("{hour:02d}.{minute:02d}") == {"hour", "minute"}
    assert placeholders("[default: {}]") == {""}
    assert placeholders("no fields") == set()


COMMANDS = ("scan", "summary", "plan", "picklist", "catalog", "timeline")
CHECKLIST_COMMANDS = ("list", "show", "done", "undo", "reset")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_help_texts_keep_an_example_and_no_rich_markup(lang: str) -> None:
    messages = catalogue(lang)
    example = {"en": "Example: tiktok-transition ", "id": "Contoh: tiktok-transition "}[lang]
    for command in [*COMMANDS, *(f"checklist_{name}" for name in CHECKLIST_COMMANDS)]:
        assert example in messages[f"help.{command}"], command
    helps = {key: text for key, text in messages.items() if key.startswith("help.")}
    assert [key for key, text in helps.items() if "[" in text] == []
    # Help is translated again when it is printed, by finding its text: no two may be alike.
    texts = [" ".join(text.split()) for text in helps.values()]
    assert len(texts) == len(set(texts))


# --- which language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANG": "id"}, "id"),
        ({"LC_MESSAGES": "id_ID.UTF-8", "LANG": "C"}, "id"),
        ({"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),
        ({"LC_ALL": "C", "LANG": "id_ID.UTF-8"}, "en"),
        ({"TIKTOK_TRANSITION_LANG": "id"}, "id"),
        ({"TIKTOK_TRANSITION_LANG": "ID "}, "id"),
        ({"TIKTOK_TRANSITION_LANG": "id", "LANG": "en_US.UTF-8"}, "id"),
        ({"TIKTOK_TRANSITION_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        ({"TIKTOK_TRANSITION_LANG": "fr", "LANG": "id_ID.UTF-8"}, "id"),
    ],
)
def test_the_variable_beats_the_locale(environ: dict[str, str], expected: str) -> None:
    assert detect_language(environ) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], None),
        (["scan", "x.csv"], None),
        (["scan", "x.csv", "--lang", "id"], "id"),
        (["scan", "--lang=id", "x.csv"], "id"),
        (["--lang", "id", "--lang", "en"], "en"),
        (["--lang", "fr"], None),
        (["--lang"], None),
        (["--", "--lang", "id"], None),
    ],
)
def test_the_language_a_command_line_asks_for(args: list[str], expected: str | None) -> None:
    assert language_from_args(args) == expected


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {}, "en"),
        ([], {"LANG": "C"}, "en"),
        ([], {"LANG": "id_ID.UTF-8"}, "id"),
        ([], {"LC_ALL": "id_ID.UTF-8"}, "id"),
        ([], {"TIKTOK_TRANSITION_LANG": "id", "LANG": "C"}, "id"),
        ([], {"TIKTOK_TRANSITION_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        (["--lang", "en"], {"TIKTOK_TRANSITION_LANG": "id", "LANG": "id_ID.UTF-8"}, "en"),
        (["--lang", "id"], {"TIKTOK_TRANSITION_LANG": "en", "LANG": "C"}, "id"),
        (["--lang=id"], {}, "id"),
    ],
)
def test_lang_beats_the_variable_which_beats_the_locale(
    args: list[str], env: dict[str, str | None], expected: str
) -> None:
    result = run("summary", str(EXAMPLE), *AS_OF, "--format", "table", *args, env=env)
    assert result.exit_code == 0, result.stderr
    title = {"en": "Summary of 60 orders", "id": "Ringkasan 60 pesanan"}
    assert title[expected] in result.stdout
    assert title["id" if expected == "en" else "en"] not in result.stdout


def _state(path: Path) -> list[str]:
    return ["--state", str(path)]


# Every command, with a text only its Indonesian output has (standard output, else error).
EVERY_COMMAND = [
    (["scan", str(EXAMPLE), *AS_OF, "--format", "table"], "Pesanan (60), yang paling mendesak"),
    (["summary", str(EXAMPLE), *AS_OF, "--format", "table"], "Ringkasan 60 pesanan"),
    (["plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--format", "table"], "Hari serah terima"),
    (["picklist", str(EXAMPLE), *AS_OF, "--format", "table"], "unit untuk dikemas"),
    (["catalog", str(EXAMPLE), *AS_OF, "--format", "table"], "Produk yang dipasang ulang"),
    (["timeline", *AS_OF, "--format", "table"], "Tanggal penting penutupan"),
    (["checklist", "list", "--format", "table"], "Checklist pindah platform"),
    (["checklist", "show", "tokopedia", "--format", "table"], "Progres: 0/13 selesai."),
    (["checklist", "done", "tokopedia", "verify-ktp"], "ditandai selesai: verify-ktp"),
    (["checklist", "undo", "tokopedia", "verify-ktp"], "memang belum selesai: verify-ktp"),
    (["checklist", "reset", "tokopedia"], "belum ada progres untuk direset"),
]


@pytest.mark.parametrize(("args", "indonesian"), EVERY_COMMAND, ids=lambda v: str(v)[:40])
def test_every_command_takes_lang_and_speaks_it(
    args: list[str], indonesian: str, tmp_path: Path
) -> None:
    # Each language on its own progress file: `done` changes the file it marks.
    checklist = args[0] == "checklist"
    english = run(*args, *(_state(tmp_path / "en.json") if checklist else []), "--lang", "en")
    translated = run(*args, *(_state(tmp_path / "id.json") if checklist else []), "--lang", "id")
    assert english.exit_code == translated.exit_code == 0, translated.stderr
    assert indonesian in translated.stdout + translated.stderr
    assert indonesian not in english.stdout + english.stderr


# --- machines read the same words in every language ---------------------------------------------


def test_scan_csv_is_the_golden_file_in_indonesian_too() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "csv", "--lang", "id")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["summary", str(EXAMPLE), *AS_OF, "--format", "json"],
        ["summary", str(EXAMPLE), *AS_OF, "--format", "csv"],
        ["scan", str(EXAMPLE), *AS_OF, "--format", "jsonl", "--at-risk"],
        ["plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--format", "csv"],
        ["picklist", str(EXAMPLE), *AS_OF, "--format", "json"],
        ["catalog", str(EXAMPLE), *AS_OF, "--format", "csv"],
    ],
)
def test_machine_formats_do_not_depend_on_the_language(args: list[str]) -> None:
    english = run(*args, "--lang", "en")
    indonesian = run(*args, "--lang", "id", env={"TIKTOK_TRANSITION_LANG": "id"})
    assert english.exit_code == indonesian.exit_code == 0
    assert english.stdout == indonesian.stdout


def test_checklist_and_timeline_keep_their_keys_and_columns_in_indonesian() -> None:
    english = json.loads(run("checklist", "show", "tokopedia", "--format", "json").stdout)
    indonesian = json.loads(
        run("checklist", "show", "tokopedia", "--format", "json", "--lang", "id").stdout
    )
    assert list(english) == list(indonesian)
    assert [list(item) for item in english["items"]] == [list(i) for i in indonesian["items"]]
    assert [i["source"] for i in english["items"]] == [i["source"] for i in indonesian["items"]]
    header = run("timeline", *AS_OF, "--format", "csv", "--lang", "id").stdout.splitlines()[0]
    assert header == "when,event,source,hours_from_as_of"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["scan", "missing.csv"], 2),
        (["plan", str(EXAMPLE), *AS_OF, "--capacity", "0"], 2),
        (["scan", str(EXAMPLE), "--bogus"], 2),
        (["scan", str(EXAMPLE), *AS_OF, "--fail-on-risk", "--format", "csv"], 1),
    ],
)
def test_exit_codes_do_not_depend_on_the_language(args: list[str], code: int) -> None:
    assert run(*args, "--lang", "en").exit_code == code
    assert run(*args, "--lang", "id").exit_code == code


# --- dates and money as Indonesian writes them ---------------------------------------------------


def test_dates_and_times_in_each_language() -> None:
    cutoff = datetime(2023, 11, 5, 23, 59, 59, tzinfo=WIB)
    set_language("id")
    assert format_moment(cutoff) == "5 Nov 2023 23.59 WIB"
    assert format_date(date(2023, 10, 4)) == "4 Okt 2023"
    assert format_date(date(2023, 5, 17)) == "17 Mei 2023"
    assert format_hours(399.0) == "sisa 16 hari 15 jam"
    assert format_hours(-3) == "lewat 3 jam yang lalu"
    set_language("en")
    assert format_moment(cutoff) == "5 Nov 2023 23:59 WIB"
    assert format_date(date(2023, 10, 4)) == "4 Oct 2023"
    assert format_moment(cutoff.astimezone(ZoneInfo("Asia/Makassar"))) == "6 Nov 2023 00:59 WITA"


def test_the_summary_shows_rupiah_and_wib_in_indonesian() -> None:
    result = run("summary", str(EXAMPLE), *AS_OF, "--format", "table", "--lang", "id")
    assert "Batas akhir 5 Nov 2023 23.59 WIB: sisa 16 hari 15 jam" in result.stdout
    assert "Berisiko: 28 pesanan, 79 unit, Rp 4.683.300" in result.stdout


def test_the_stale_export_notice_shows_dates_a_person_reads() -> None:
    late = ["--as-of", "2023-10-25 09:00"]
    result = run("summary", str(EXAMPLE), *late, "--format", "json", "--lang", "id")
    assert "20 Okt 2023 07.02 WIB" in result.stderr and "25 Okt 2023 09.00 WIB" in result.stderr
    assert "T07:02:00" not in result.stderr


# --- no English in what an Indonesian reads -------------------------------------------------------

# English words of the English catalogue (and of Typer's own messages). Data from the export or
# from the timeline and checklist sources (product, courier and status words, citations) is
# shown as written, so the words are chosen not to occur in it.
ENGLISH = [
    "orders",
    "order",
    "left",
    "Cutoff",
    "cutoff",
    "At risk",
    "Awaiting",
    "pickup",
    "To ship",
    "Handed",
    "Unpaid",
    "missing",
    "column",
    "Summary",
    "day",
    "days",
    "units",
    "Amount",
    "Courier",
    "Notes",
    "Status in export",
    "Payment",
    "Progress",
    "Details",
    "Task",
    "When",
    "Event",
    "From now",
    "Next",
    "passed",
    "ago",
    "Handover",
    "Will miss",
    "Facts checked",
    "Before the",
    "Usage",
    "Error",
    "Try",
    "Invalid",
    "No such",
    "Missing",
    "cannot",
    "is not",
    "Use",
    "Check the path",
    "no such file",
    "not a moment",
    "unknown flag",
    "Unknown",
    "integer",
    "not one of",
]


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def _not_an_export(tmp_path: Path) -> str:
    other = tmp_path / "other.csv"
    other.write_text("Nama,Telepon\nBudi,0812\n", encoding="utf-8")
    return str(other)


# (arguments, exit code, Indonesian words the output must have)
MAIN_OUTPUTS = [
    (
        ["scan", str(EXAMPLE), *AS_OF, "--format", "table"],
        0,
        ["Tunggu kurir", "Perlu dikirim", "Diserahkan", "Ringkasan"],
    ),
    (
        ["scan", str(EXAMPLE), "--as-of", "2023-11-10 09:00", "--format", "table"],
        0,
        ["Batal otomatis", "Sudah dibatalkan otomatis setelah batas akhir"],
    ),
    (
        ["summary", str(EXAMPLE), *AS_OF, "--format", "table"],
        0,
        ["Batas akhir", "Berisiko", "Per penanda", "Rp 4.683.300"],
    ),
    (
        ["plan", str(EXAMPLE), *AS_OF, "--capacity", "3", "--format", "table"],
        0,
        ["Hari serah terima", "pesanan sehari", "Jum 20 Okt 2023"],
    ),
    (
        [
            "plan",
            str(EXAMPLE),
            "--as-of",
            "2023-11-04 09:00",
            "--capacity",
            "5",
            "--format",
            "table",
        ],
        0,
        ["Akan terlambat dari batas akhir", "sehari cukup untuk menyelamatkan semuanya"],
    ),
    (
        ["timeline", *AS_OF, "--format", "table"],
        0,
        ["Tanggal penting", "Berikutnya", "5 Nov 2023 23.59 WIB", "sisa 16 hari 15 jam"],
    ),
    (
        ["checklist", "show", "tokopedia", "--format", "table"],
        0,
        ["Pindah ke Tokopedia", "Sebelum batas waktu", "Tugas", "praktik umum"],
    ),
    (
        ["checklist", "show", "bukalapak", "--format", "markdown"],
        0,
        ["Perhatian", "Fakta diperiksa pada", "sumber: praktik umum"],
    ),
    (["scan", "pesanan-okt.csv"], 2, ["file tidak ditemukan"]),
    (["scan", "{other}", *AS_OF], 2, ["bukan ekspor pesanan TikTok Shop"]),
    (["scan", str(EXAMPLE), "--as-of", "tomorrow"], 2, ["bukan waktu yang valid"]),
    (["scan", str(EXAMPLE), *AS_OF, "--tz", "Mars/Base"], 2, ["bukan nama zona waktu"]),
    (["scan", str(EXAMPLE), *AS_OF, "--flag", "late"], 2, ["penanda late tidak dikenal"]),
    (["plan", str(EXAMPLE), *AS_OF, "--capacity", "0"], 2, ["isi 1 atau lebih"]),
    (["scan", str(EXAMPLE), *AS_OF, "--bogus"], 2, ["Opsi tidak dikenal: --bogus", "Kesalahan"]),
    (["scan"], 2, ["Argumen 'EXPORT...' belum diisi.", "Penggunaan:"]),
    (["plan", str(EXAMPLE)], 2, ["Opsi '--capacity' wajib diisi."]),
    (["plan", str(EXAMPLE), "--capacity", "many"], 2, ["harus bilangan bulat"]),
    (["scan", str(EXAMPLE), "--format", "pdf"], 2, ["'pdf' bukan salah satu dari"]),
    (["scan", str(EXAMPLE), "--at-risk=yes"], 2, ["tidak menerima nilai"]),
    (["scann", str(EXAMPLE)], 2, ["Perintah 'scann' tidak dikenal", "Mungkin maksud Anda"]),
    (["checklist", "reset", "shopee", "lazada"], 2, ["argumen tambahan"]),
    (["checklist", "show", "tiktok"], 2, ['Platform "tiktok" tidak dikenal']),
]


@pytest.mark.parametrize(("args", "code", "indonesian"), MAIN_OUTPUTS, ids=lambda v: str(v)[:50])
def test_no_english_word_in_indonesian_output(
    args: list[str], code: int, indonesian: list[str], tmp_path: Path
) -> None:
    filled = [arg.replace("{other}", _not_an_export(tmp_path)) for arg in args]
    result = run(*filled, "--lang", "id")
    shown = result.stdout + result.stderr
    assert result.exit_code == code, shown
    assert [word for word in indonesian if word not in shown] == [], shown
    assert _english_in(shown) == [], shown
    # The check can see English: the same command in English has some of these words.
    english = run(*filled, "--lang", "en")
    assert english.exit_code == code and _english_in(english.stdout + english.stderr)


def test_typer_speaks_english_again_after_indonesian() -> None:
    run("scan", str(EXAMPLE), "--bogus", "--lang", "id")
    result = run("scan", str(EXAMPLE), "--bogus")
    # One line (issue #14): the error and where to find help.
    assert "No such option: --bogus" in result.stderr and "-h' for help" in result.stderr
    assert "Error" in result.stderr and "Kesalahan" not in result.stderr


def test_bad_lang_is_told_in_the_language_of_the_environment() -> None:
    result = run("scan", str(EXAMPLE), "--lang", "fr", env={"TIKTOK_TRANSITION_LANG": "id"})
    assert result.exit_code == 2
    assert "bukan bahasa alat ini" in result.stderr


# --- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "--help", "--lang", "id"],
        ["scan", "--lang=id", "--help"],
        ["checklist", "show", "-h", "--lang", "id"],
    ],
)
def test_help_follows_lang_in_process(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "Contoh: tiktok-transition" in result.stdout and "Opsi" in result.stdout
    assert "Example" not in result.stdout and "Options" not in result.stdout
    english = run(*[arg for arg in args if arg not in ("--lang", "id", "--lang=id")])
    assert "Example: tiktok-transition" in english.stdout and "Options" in english.stdout


HELP_PROGRAM = """
import json, sys
from tiktok_transition.cli.main import app
try:
    app(sys.argv[1:], prog_name="tiktok-transition")
except SystemExit:
    pass
heavy = [name for name in ("pandas", "pyarrow") if name in sys.modules]
print(json.dumps(heavy), file=sys.stderr)
"""


def _help(args: list[str], **env: str) -> tuple[str, list[str]]:
    """Help printed by a fresh process, as `tiktok-transition` shows it; the heavy modules it
    imported."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    clean.pop("TIKTOK_TRANSITION_LANG", None)
    finished = subprocess.run(
        [sys.executable, "-c", HELP_PROGRAM, *args],
        capture_output=True,
        text=True,
        env={**clean, "COLUMNS": "200", **env},
        timeout=120,
        check=False,
    )
    heavy: list[str] = json.loads(finished.stderr.strip().splitlines()[-1])
    return finished.stdout, heavy


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["scan", "--help"], {"TIKTOK_TRANSITION_LANG": "id"}),
        (["scan", "--help"], {"LANG": "id_ID.UTF-8"}),
        (["scan", "--help", "--lang", "id"], {}),
        (["scan", "--lang=id", "--help"], {"LANG": "C"}),
    ],
)
def test_help_in_indonesian_in_a_fresh_process(args: list[str], env: dict[str, str]) -> None:
    text, heavy = _help(args, **env)
    for words in [
        "Penggunaan:",
        "Satu baris per pesanan: penandanya terhadap batas akhir.",
        'Contoh: tiktok-transition scan export.csv --as-of "2023-10-20 09:00" > laporan.csv',
        "Argumen",
        "Opsi",
        "[bawaan: Asia/Jakarta]",
        "[wajib]",
        "Tampilkan bantuan ini lalu keluar.",
        "Hanya tampilkan pesanan dengan penanda ini",
    ]:
        assert words in text, words
    assert _english_in(text.replace("[OPTIONS]", "")) == [], text
    assert "Example" not in text and "Show this message" not in text
    assert heavy == []


def test_help_of_the_program_and_its_groups_in_indonesian() -> None:
    text, _ = _help(["--help"], TIKTOK_TRANSITION_LANG="id")
    assert "Perintah" in text and "Tampilkan versi." in text
    assert "Satu baris per pesanan" in text and "Checklist pindah platform" in text
    text, _ = _help(["checklist", "--help"], TIKTOK_TRANSITION_LANG="id")
    assert "Tandai item selesai" in text
    text, _ = _help(["plan", "--help"], TIKTOK_TRANSITION_LANG="id")
    assert "--skip-day min" in text and "Jumlah pesanan yang bisa Anda serahkan" in text


def test_help_stays_english_without_indonesian_anywhere() -> None:
    text, heavy = _help(["scan", "--help"], LANG="C")
    assert "Usage:" in text and "One row per order" in text and "Example:" in text
    assert "[default: Asia/Jakarta]" in text and "Contoh" not in text
    assert heavy == []
