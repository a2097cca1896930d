"""The CSV reader reads the time columns' times while it reads on, a few blocks at a time
(`reader.csv._read_on`): the same times, the same unread values and the same report as
reading each column whole, wherever the blocks end."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import AS_OF, run
from exportkit import line, write_csv
from tiktok_transition.cli import session
from tiktok_transition.reader import csv as reader_csv
from tiktok_transition.reader.times import read_times

# Every kind of time cell: Seller Center's (with its tab), empty, a lone tab, other layouts a
# spreadsheet writes, a two-digit year, dateutil-only text, a date that does not exist, junk.
TIMES = [
    "07/10/2023 09:15:00\t",
    "",
    "\t",
    "2023-10-08 10:00:00",
    "08/10/23 11:30",
    "10/09/2023 01:02:03 PM",
    "9 Oct 2023 08:00",
    "31/02/2023 10:00:00\t",
    "30/09/2023 23:59:59\t",
    "01/10/2023 00:00:00\t",
    "kemarin",
    "03/10/2023 12.30",
]


@pytest.mark.parametrize("cut", range(1, len(TIMES)))
def test_times_read_in_two_parts_are_the_times_read_whole(cut: int) -> None:
    whole = read_times(pa.chunked_array([pa.array(TIMES)]))
    parts = [read_times(pa.chunked_array([pa.array(p)])) for p in (TIMES[:cut], TIMES[cut:])]
    for position in (0, 1):
        joined = [value for part in parts for value in part[position].to_pylist()]
        assert joined == whole[position].to_pylist()
    parsed, unread = whole
    assert parsed.to_pylist()[1:3] == [None, None]  # empty is not unread: it is absent
    assert unread.to_pylist()[1:3] == [False, False]
    assert unread.to_pylist()[7] and unread.to_pylist()[10]  # 31 February, "kemarin"


# A month-first time with AM/PM beside Seller Center's text is refused (a spreadsheet's
# mistake), so the export holds every kind but that one.
EXPORT_TIMES = [time for time in TIMES if not time.endswith("PM")]


def _export(tmp_path: Path) -> Path:
    rows = []
    for number in range(240):
        cell = EXPORT_TIMES[number % len(EXPORT_TIMES)]
        rows.append(
            line(
                f"5764614130387{number // 2:05d}",  # two lines per order
                **{
                    "SKU ID": f"17293847561029{number:05d}",
                    "Created Time": "01/10/2023 08:00:00\t",
                    "Paid Time": cell,
                    "RTS Time": EXPORT_TIMES[(number * 7) % len(EXPORT_TIMES)],
                    "Product Name": f'Kaos "Oversize", ukuran {number}\nwarna 🖤',
                    "Order Status": "Perlu dikirim" if number % 3 else "Dikirim",
                },
            )
        )
    return write_csv(tmp_path / "orders.csv", rows)


@pytest.mark.parametrize("command", ["scan", "summary"])
def test_reading_ahead_in_small_blocks_writes_the_bytes_of_one_thread(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = _export(tmp_path)
    inline = run(command, str(export), *AS_OF, "--format", "csv")
    assert inline.exit_code == 0, inline.stderr
    # Threads (as for a big export), blocks of 4 KB, a few of them handed over at a time.
    monkeypatch.setattr(session, "SMALL_EXPORTS", 0)
    monkeypatch.setattr(reader_csv, "_BLOCK_SIZE", 4096)
    monkeypatch.setattr(reader_csv, "_TIME_ROWS", 16)
    blocks: list[int] = []
    groups: list[int] = []
    beside = reader_csv._times_beside

    def counting(
        reader: pacsv.CSVStreamingReader, times: dict[str, str], batches: list[pa.RecordBatch]
    ) -> list[dict[str, tuple[pa.ChunkedArray, pa.ChunkedArray]]]:
        parts = beside(reader, times, batches)
        blocks.append(len(batches))
        groups.append(len(parts))
        return parts

    monkeypatch.setattr(reader_csv, "_times_beside", counting)
    ahead = run(command, str(export), *AS_OF, "--format", "csv")
    assert blocks and blocks[0] > 5, "the export was read in one block"
    assert groups[0] > 2, "the times were not read a few blocks at a time beside the reader"
    assert (ahead.exit_code, ahead.stdout, ahead.stderr) == (
        inline.exit_code,
        inline.stdout,
        inline.stderr,
    )


def test_an_error_of_the_reader_thread_is_the_usual_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A row with too many fields far into a big export: found by the reader in its thread,
    # reported as for one thread (exit 2, the row named, no traceback).
    export = _export(tmp_path)
    with export.open("a", encoding="utf-8") as stream:
        stream.write("1,2,3," * 80 + "\n")
    monkeypatch.setattr(session, "SMALL_EXPORTS", 0)
    monkeypatch.setattr(reader_csv, "_BLOCK_SIZE", 4096)
    monkeypatch.setattr(reader_csv, "_TIME_ROWS", 16)
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "242" in result.stderr, result.stderr  # the header is row 1, 240 lines, then it
    assert result.stdout == ""


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "UTC", "Asia/Makassar", "Europe/Amsterdam"])
def test_times_made_aware_in_arrow_are_the_times_localized_in_pandas(zone: str) -> None:
    # One offset over the span: the subtraction is made in Arrow; a zone with summer time
    # (the span crosses it) goes the pandas way. Either way the same times.
    import pandas as pd

    from tiktok_transition.reader.times import finish_times, localize

    for cells in ([*TIMES[:3], "01/07/2023 12:00:00", "30/10/2023 02:30:00\t"], ["", "\t"]):
        raw = pa.chunked_array([pa.array(cells)])
        parsed, unread = read_times(raw)
        aware, unparsed = finish_times(raw, parsed, unread, zone)
        naive = pd.Series(parsed.to_pandas(), dtype="datetime64[s]")
        pd.testing.assert_series_equal(aware, localize(naive, zone))
        assert unparsed.tolist() == (unread.to_numpy() | (naive.notna() & aware.isna())).tolist()


def test_a_late_windows_byte_read_by_the_reader_thread_falls_back_as_in_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A spreadsheet's Windows-1252 byte far past the start of the file, in a column the scan
    # reads (the courier): the reader thread meets it, and the file is read again as
    # Windows-1252, as in one thread.
    export = _export(tmp_path)
    data = export.read_bytes()
    late = data.rindex(b"J&T Express", 0, data.rindex(b"J&T Express"))  # the last order's
    export.write_bytes(data[:late] + b"J&T Expr\xe9ss" + data[late + 11 :])
    inline = run("scan", str(export), *AS_OF, "--format", "csv")
    assert inline.exit_code == 0, inline.stderr
    monkeypatch.setattr(session, "SMALL_EXPORTS", 0)
    monkeypatch.setattr(reader_csv, "_BLOCK_SIZE", 4096)
    monkeypatch.setattr(reader_csv, "_TIME_ROWS", 16)
    ahead = run("scan", str(export), *AS_OF, "--format", "csv")
    assert (ahead.exit_code, ahead.stdout, ahead.stderr) == (
        inline.exit_code,
        inline.stdout,
        inline.stderr,
    )
    assert len(ahead.stdout.splitlines()) == 121  # the header and 120 orders
    assert "J&T Expréss" in ahead.stdout
