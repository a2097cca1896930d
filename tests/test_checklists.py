"""The bundled checklists, user checklist files, and progress kept in one JSON file."""

from __future__ import annotations

import json
import multiprocessing
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tiktok_transition.checklists import (
    BUNDLED_PLATFORMS,
    STATE_ENV,
    Checklist,
    ChecklistFileError,
    Phase,
    ProgressStore,
    StateError,
    UnknownItemError,
    UnknownPlatformError,
    default_state_path,
    load_checklists,
)
from tiktok_transition.i18n import catalogue, current_language, set_language

MARKETPLACES = ("tokopedia", "shopee", "lazada", "blibli", "bukalapak")
CONTRACT_PLATFORMS = {*MARKETPLACES, "tiktok-wind-down"}
DATA = resources.files("tiktok_transition.checklists") / "data"
BUNDLED_FILES = sorted(entry.name for entry in DATA.iterdir() if entry.name.endswith(".toml"))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English whatever another test left behind."""
    before = current_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture
def state_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A progress file in a temporary folder, also named by the environment variable."""
    path = tmp_path / "state" / "progress.json"
    monkeypatch.setenv(STATE_ENV, str(path))
    return path


def raw(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def item_block(item_id: str, phase: str = "account", **fields: str) -> str:
    values = {
        "id": item_id,
        "title_en": f"Do {item_id}",
        "title_id": f"Lakukan {item_id}",
        "detail_en": "Detail.",
        "detail_id": "Rincian.",
        "phase": phase,
        "source": "general practice",
        **fields,
    }
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())
    return f"\n[[items]]\n{lines}"


def checklist_text(platform: str, item_ids: list[str], title: str = "Test") -> str:
    head = (
        f'platform = "{platform}"\ntitle_en = "{title}"\ntitle_id = "Uji {title}"\n'
        "checked_on = 2026-11-28\n"
    )
    return head + "".join(item_block(item_id) for item_id in item_ids)


# --- bundled data ---------------------------------------------------------------------------


def test_bundled_files_are_the_known_platforms() -> None:
    checklists = load_checklists()
    assert list(checklists) == list(BUNDLED_PLATFORMS)
    assert set(checklists) >= CONTRACT_PLATFORMS
    assert sorted(f"{platform}.toml" for platform in BUNDLED_PLATFORMS) == BUNDLED_FILES


@pytest.mark.parametrize("name", BUNDLED_FILES)
def test_bundled_file_validates_and_is_named_after_its_platform(name: str) -> None:
    checklist = Checklist.model_validate(raw(name))
    assert f"{checklist.platform}.toml" == name
    assert checklist.checked_on <= date.today()


@pytest.mark.parametrize("name", BUNDLED_FILES)
def test_bundled_item_ids_are_unique(name: str) -> None:
    ids = [item["id"] for item in raw(name)["items"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", BUNDLED_FILES)
def test_every_bundled_item_has_a_source(name: str) -> None:
    for item in load_checklists()[name.removesuffix(".toml")].items:
        assert item.source.strip(), item.id
        # Generic advice is marked in exactly one way, so a reader can filter it.
        if "general" in item.source.lower():
            assert item.source.startswith("general practice"), item.id


@pytest.mark.parametrize("name", BUNDLED_FILES)
def test_every_bundled_item_is_written_in_both_languages(name: str) -> None:
    checklist = load_checklists()[name.removesuffix(".toml")]
    assert checklist.title("en") and checklist.title("id") != checklist.title("en")
    for item in checklist.items:
        assert item.title_en.strip() and item.title_id.strip(), item.id
        assert item.detail_en.strip() and item.detail_id.strip(), item.id
        assert item.title_id != item.title_en, item.id
        assert item.detail_id != item.detail_en, item.id


@pytest.mark.parametrize("name", BUNDLED_FILES)
def test_bundled_items_run_in_phase_order(name: str) -> None:
    order = list(Phase)
    phases = [order.index(item.phase) for item in load_checklists()[name[:-5]].items]
    assert phases == sorted(phases)


@pytest.mark.parametrize("platform", MARKETPLACES)
def test_each_marketplace_has_at_least_eight_items(platform: str) -> None:
    assert len(load_checklists()[platform].items) >= 8


def test_bukalapak_says_up_front_that_it_closed_physical_goods() -> None:
    bukalapak = load_checklists()["bukalapak"]
    for lang in ("en", "id"):
        notice = bukalapak.notice(lang)
        assert notice is not None
        assert "2025" in notice and "bloombergtechnoz.com/detail-news/59959" in notice
    assert all(c.notice() is None for p, c in load_checklists().items() if p != "bukalapak")


def test_wind_down_checklist_carries_the_cutoff() -> None:
    wind_down = load_checklists()["tiktok-wind-down"]
    ship = next(item for item in wind_down.items if item.id == "ship-before-cutoff")
    assert "5 Nov 2023 23:59:59 WIB" in ship.title_en
    assert "okezone 2023/10/05" in ship.source


def test_locale_files_have_the_same_keys() -> None:
    english_keys = {k for k in catalogue("en") if k.startswith("checklist.")}
    indonesian_keys = {k for k in catalogue("id") if k.startswith("checklist.")}
    assert english_keys == indonesian_keys
    assert {f"checklist.phase_{p.value.replace('-', '_')}" for p in Phase} <= english_keys


def test_phase_labels_are_translated() -> None:
    assert Phase.BEFORE_CUTOFF.label("en") == "Before the cutoff"
    assert Phase.BEFORE_CUTOFF.label("id") == "Sebelum batas waktu"


# --- user checklist files -------------------------------------------------------------------


def test_user_file_overrides_a_bundled_platform_and_adds_a_new_one(tmp_path: Path) -> None:
    mine = tmp_path / "shopee.toml"
    mine.write_text(checklist_text("shopee", ["my-step"], title="My Shopee"), encoding="utf-8")
    new = tmp_path / "olx.toml"
    new.write_text(checklist_text("warung-sebelah", ["open-stall"]), encoding="utf-8")

    checklists = load_checklists([mine, new])

    assert checklists["shopee"].title() == "My Shopee"
    assert checklists["shopee"].item_ids == ["my-step"]
    assert checklists["warung-sebelah"].item_ids == ["open-stall"]
    assert list(checklists) == [*BUNDLED_PLATFORMS, "warung-sebelah"]
    # The bundled data is cached: an override must not leak into the next load.
    assert "my-step" not in load_checklists()["shopee"].item_ids


def test_invalid_user_file_lists_one_line_per_problem_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "my.toml"
    bad.write_text(
        'platform = "My Shop"\ntitle_en = "Mine"\ntitle_id = "Punyaku"\n'
        'checked_on = 2026-11-28\ncolour = "red"\n'
        + item_block("ship-fast", phase="whenever")
        + item_block("no-source", source="")
        + item_block("Bad_Id"),
        encoding="utf-8",
    )

    with pytest.raises(ChecklistFileError) as caught:
        load_checklists([bad])

    problems = caught.value.problems
    assert len(problems) == 5
    assert all(line.startswith(f"{bad}: ") for line in problems)
    places = [line.removeprefix(f"{bad}: ").split(": ")[0] for line in problems]
    assert places == [
        "platform",
        "items[0].phase (ship-fast)",
        "items[1].source (no-source)",
        "items[2].id",
        "colour",
    ]
    assert "Input should be 'before-cutoff'" in problems[1]
    assert "like verify-ktp" in problems[3]
    assert str(caught.value).splitlines()[1:] == problems


def test_duplicate_item_ids_in_a_user_file_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "twice.toml"
    bad.write_text(checklist_text("twice", ["verify-ktp", "other", "verify-ktp"]), "utf-8")

    with pytest.raises(ChecklistFileError) as caught:
        load_checklists([bad])

    assert caught.value.problems == [
        f"{bad}: items: item id 'verify-ktp' is used twice: items[0] and items[2]"
    ]


def test_toml_syntax_error_and_missing_file_are_one_line_each(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('platform = "x"\ntitle_en = \n', encoding="utf-8")
    missing = tmp_path / "missing.toml"

    with pytest.raises(ChecklistFileError) as caught:
        load_checklists([broken, missing])

    first, second = caught.value.problems
    assert first.startswith(f"{broken}: not valid TOML: ") and "line 2" in first
    assert second.startswith(f"{missing}: cannot read the file: ")


def test_error_message_follows_the_language(tmp_path: Path) -> None:
    set_language("id")
    with pytest.raises(ChecklistFileError) as caught:
        load_checklists([tmp_path / "missing.toml"])
    assert str(caught.value).startswith("Ada masalah di berkas checklist")


# --- progress ---------------------------------------------------------------------------------


def test_done_undo_reset_round_trip_through_the_state_file(state_path: Path) -> None:
    store = ProgressStore(state_path)
    assert store.completed("tokopedia") == {}

    assert store.done("tokopedia", ["verify-ktp", "export-products"]) == [
        "verify-ktp",
        "export-products",
    ]
    store.done("shopee", ["mass-upload"])

    document = json.loads(state_path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert set(document["platforms"]["tokopedia"]) == {"verify-ktp", "export-products"}

    again = ProgressStore(state_path)
    done = again.completed("tokopedia")
    # In checklist order, whatever order they were marked in.
    assert list(done) == ["export-products", "verify-ktp"]
    assert all(when.tzinfo is not None for when in done.values())

    assert again.undo("tokopedia", ["verify-ktp", "add-bank-account"]) == ["verify-ktp"]
    assert list(ProgressStore(state_path).completed("tokopedia")) == ["export-products"]

    assert again.reset("tokopedia") == 1
    assert ProgressStore(state_path).completed("tokopedia") == {}
    assert list(ProgressStore(state_path).completed("shopee")) == ["mass-upload"]
    assert store.warnings == []
    assert sorted(p.name for p in state_path.parent.iterdir()) == [
        "progress.json",
        "progress.json.lock",
    ]


def test_marking_done_twice_keeps_the_first_time(state_path: Path) -> None:
    store = ProgressStore(state_path)
    first = datetime(2023, 10, 20, 2, 0, tzinfo=UTC)
    store.done("lazada", ["verify-ktp"], when=first)

    assert store.done("lazada", ["verify-ktp"], when=first + timedelta(days=1)) == []
    assert store.completed("lazada") == {"verify-ktp": first}


def test_unknown_platform_or_item_lists_the_valid_ones(state_path: Path) -> None:
    store = ProgressStore(state_path)

    with pytest.raises(UnknownPlatformError) as platform_error:
        store.done("tokped", ["verify-ktp"])
    assert "tokped" in str(platform_error.value)
    assert ", ".join(BUNDLED_PLATFORMS) in str(platform_error.value)

    with pytest.raises(UnknownItemError) as item_error:
        store.done("tokopedia", ["verify-ktp", "verify-sim"])
    message = str(item_error.value)
    assert "verify-sim" in message
    assert ", ".join(load_checklists()["tokopedia"].item_ids) in message
    # Nothing is written when one id is wrong.
    assert not state_path.exists()


def _mark_items(state_path: str, checklist_file: str, item_ids: list[str], start: Any) -> None:
    """One process of the concurrency test: mark each item in its own write."""
    checklists = load_checklists([Path(checklist_file)])
    store = ProgressStore(Path(state_path), checklists=checklists)
    start.wait()
    for item_id in item_ids:
        store.done("crowd", [item_id])


def test_many_processes_marking_at_once_lose_no_update(tmp_path: Path, state_path: Path) -> None:
    processes, per_process = 8, 10
    ids = [f"step-{p}-{i}" for p in range(processes) for i in range(per_process)]
    checklist_file = tmp_path / "crowd.toml"
    checklist_file.write_text(checklist_text("crowd", ids), encoding="utf-8")
    # spawn: the same on every system, and no fork of a process that may hold threads.
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    workers = [
        context.Process(
            target=_mark_items,
            args=(
                str(state_path),
                str(checklist_file),
                ids[p * per_process : (p + 1) * per_process],
                start,
            ),
        )
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * processes

    checklists = load_checklists([checklist_file])
    done = ProgressStore(state_path, checklists=checklists).completed("crowd")
    assert sorted(done) == sorted(ids)
    assert not list(state_path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 1, "platforms": {"tokopedia": ["verify-ktp"]}}',
        '{"version": 1, "platforms": {"tokopedia": {"verify-ktp": "yesterday"}}}',
        '{"version": 1, "platforms": {"tokopedia": {"verify-ktp": "2023-10-20T09:00:00"}}}',
        '{"platforms": {}}',
    ],
)
def test_corrupt_state_file_is_moved_aside_and_recovered(state_path: Path, content: str) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_text(content, encoding="utf-8")
    store = ProgressStore(state_path)

    assert store.done("blibli", ["choose-store-type"]) == ["choose-store-type"]

    backups = list(state_path.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == content
    assert len(store.warnings) == 1
    assert str(backups[0]) in store.warnings[0] and "damaged" in store.warnings[0]
    assert list(ProgressStore(state_path).completed("blibli")) == ["choose-store-type"]


def test_reading_a_corrupt_state_file_also_recovers(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(b"\xff\xfe garbage")
    store = ProgressStore(state_path)

    assert store.completed("shopee") == {}
    assert len(store.warnings) == 1
    assert len(list(state_path.parent.glob("progress.json.corrupt-*"))) == 1
    assert not state_path.exists()


def test_a_state_file_from_a_newer_version_is_left_alone(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    content = '{"version": 2, "platforms": {}, "teams": {}}'
    state_path.write_text(content, encoding="utf-8")

    with pytest.raises(StateError) as caught:
        ProgressStore(state_path).done("shopee", ["mass-upload"])

    assert "newer version" in str(caught.value)
    assert state_path.read_text(encoding="utf-8") == content


def test_state_env_var_is_honoured(state_path: Path) -> None:
    assert default_state_path() == state_path

    ProgressStore().done("tokopedia", ["verify-ktp"])

    assert "verify-ktp" in json.loads(state_path.read_text())["platforms"]["tokopedia"]


def test_default_state_path_is_in_the_user_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STATE_ENV, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    path = default_state_path()

    assert path.name == "progress.json"
    assert path.parent.name == "tiktok-transition"


def test_a_state_path_that_cannot_be_used_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")

    with pytest.raises(StateError) as caught:
        ProgressStore(blocker / "progress.json").done("shopee", ["mass-upload"])

    assert str(caught.value).startswith(f"Cannot use the progress file {blocker / 'progress.json'}")
