"""Benchmark `tiktok-transition scan` against a floor and a naive read, or the CLI's startup.

    python benchmarks/run.py [--sizes 10000,200000,1000000] [--repeat 3]
    python benchmarks/run.py --startup [--repeat 10]

Scan mode, per size (files generated once into benchmarks/data/ and reused):
  floor  a child process: pyarrow.csv.read_csv(newlines_in_values=True), only the columns the
         triage needs, all as strings, then .to_pandas(): what any reader must at least pay;
  naive  a child process: pandas.read_csv(path, dtype=str): every column, no care;
  scan   a child process: python -m tiktok_transition scan FILE --format csv --as-of ... >/dev/null;
  report a child process: python -m tiktok_transition report FILE --as-of ... -o PAGE.html, shown
         as a ratio to the scan of the same run, with the page's size.
The four alternate within each repetition (rotating who goes first), so machine noise hits all
of them alike. Wall time is measured around the child; peak memory is the child's own maximum
resident set (ru_maxrss from os.wait4 on its pid). A contender that fails is reported as n/a.

History mode (`--history`), per size: `scan FILE --format csv` against the same with `--record`
(into a fresh history file before each run, outside the timing) and `changes FILE` against a
snapshot recorded (untimed) at the benchmark's --as-of, judged after the cutoff (every at-risk
order moved to auto_cancelled); alternated the same way, reported as ratios to the scan.

Startup mode: `python -c "import typer"` (the floor of any Typer CLI) against
`python -m tiktok_transition --help`, `--version`, `checklist list` and `timeline`; also shown,
the smallest Typer app that parses one option (what Typer itself adds once it parses).

Results are printed as Markdown and written to benchmarks/results/ (scan.md, startup.md, their
raw runs as JSON, and latest.md with both sections). Exit status 0 unless the usage is wrong.
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from generate_export import TRIAGE_COLUMNS, generate_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
CONTENDERS = HERE / "contenders"
DEFAULT_AS_OF = "2023-10-20T09:00:00+07:00"

FLOOR_SCRIPT = """\
import json, sys
import pyarrow as pa
import pyarrow.csv as pc
cols = json.loads(sys.argv[2])
table = pc.read_csv(
    sys.argv[1],
    parse_options=pc.ParseOptions(newlines_in_values=True),
    convert_options=pc.ConvertOptions(
        include_columns=cols, column_types={c: pa.string() for c in cols}
    ),
)
df = table.to_pandas()
print(len(df))
"""

# The smallest Typer app that parses an option: what any Typer CLI pays past `import typer`
# (Typer 0.29 validates every parameter with a pydantic TypeAdapter, imported on first use).
ONE_OPTION_APP = """\
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world") -> None:
    print(name)
app()
"""

# The floor, then what any tool must also pay to print its result: a CSV of as many rows as the
# scan writes (argv[3]), through pyarrow's writer, to standard output.
FLOOR_CSV_SCRIPT = (
    FLOOR_SCRIPT.replace("print(len(df))\n", "")
    + """\
rows = int(sys.argv[3])
out = pa.Table.from_pandas(df.iloc[:rows], preserve_index=False)
pc.write_csv(out, sys.stdout.buffer, pc.WriteOptions(quoting_style="needed"))
"""
)

NAIVE_SCRIPT = """\
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str)
print(len(df))
"""


@dataclass
class Run:
    """One timed child process."""

    wall_s: float
    maxrss_mb: float
    returncode: int
    stdout: str = ""
    error: str = ""
    cpu_s: float = 0.0  # user + system CPU seconds of the child (wait4)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Contender:
    name: str
    label: str
    cmd: list[str]
    capture_stdout: bool = True  # False: standard output goes to /dev/null
    runs: list[Run] = field(default_factory=list)
    before: Callable[[], None] | None = None  # untimed, before each run (e.g. remove a file)
    key: str = ""  # short name for --skip
    verdict: str = ""  # "same bytes as scan", "DIFFERS ...": contenders checked against the scan

    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    def wall(self) -> float | None:
        ok = self.ok_runs()
        return statistics.median(r.wall_s for r in ok) if ok else None

    def rss(self) -> float | None:
        ok = self.ok_runs()
        return statistics.median(r.maxrss_mb for r in ok) if ok else None

    def cpu(self) -> float | None:
        ok = self.ok_runs()
        return statistics.median(r.cpu_s for r in ok) if ok else None

    def record(self) -> dict[str, object]:
        """The contender in a results file (`*.json`): its command, medians and every run."""
        return {
            "cmd": shlex.join(self.cmd),
            "verdict": self.verdict,
            "median_wall_s": self.wall(),
            "median_maxrss_mb": self.rss(),
            "median_cpu_s": self.cpu(),
            "runs": [asdict(r) for r in self.runs],
        }

    def failure(self) -> str | None:
        """Why the contender is n/a (None if at least one run succeeded)."""
        if self.ok_runs() or not self.runs:
            return None
        r = self.runs[-1]
        return f"exit {r.returncode}: {r.error or '(no message)'}"


def child_env() -> dict[str, str]:
    """The children's environment: the working tree's src/ first, a private checklist state."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    state = Path(tempfile.gettempdir()) / f"tiktok-transition-bench-{os.getpid()}.json"
    env["TIKTOK_TRANSITION_STATE"] = str(state)
    env.setdefault("PYTHONHASHSEED", "0")
    # The warm-up run writes src/'s bytecode, as an installed package has it (pip compiles it);
    # a shell with PYTHONDONTWRITEBYTECODE would make every timed run compile the project from
    # source, while the floors' libraries (pandas, pyarrow, typer) load theirs.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# The children are started by a small launcher process, not by this one. On Linux a child's
# ru_maxrss is at least the resident size of the process it was forked (or vforked) from at its
# exec, so children of this script would all report >= this script's RSS. The launcher is a bare
# `python -I -S` (about 10 MB); its own peak is reported as the floor of the memory figures.
LAUNCHER = """\
import json, os, signal, sys, time
child = 0
killed = False
def on_alarm(signum, frame):
    global killed
    if child:
        os.kill(child, signal.SIGKILL)
        killed = True
signal.signal(signal.SIGALRM, on_alarm)
def hwm():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0
def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\\n")
    sys.stdout.flush()
reply({"ready": True, "hwm_kib": hwm()})
for line in sys.stdin:
    req = json.loads(line)
    fds = [
        os.open(os.devnull, os.O_RDONLY),
        os.open(req["stdout"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    actions = [(os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate(fds)]
    killed = False
    t = time.perf_counter()
    try:
        pid = os.posix_spawn(req["cmd"][0], req["cmd"], req["env"], file_actions=actions)
    except OSError as e:
        reply({"error": str(e)})
        continue
    finally:
        for fd in fds:
            os.close(fd)
    child = pid
    signal.setitimer(signal.ITIMER_REAL, req["timeout"])
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # exited, not reaped yet
    wall = time.perf_counter() - t
    signal.setitimer(signal.ITIMER_REAL, 0)
    child = 0  # from here the alarm can no longer signal a pid that might be reused
    _, status, usage = os.wait4(pid, 0)
    reply({"wall": wall, "maxrss_kib": usage.ru_maxrss,
           "cpu": usage.ru_utime + usage.ru_stime,
           "returncode": os.waitstatus_to_exitcode(status), "killed": killed})
"""


def _last_message(text: str) -> str:
    """The last meaningful line of a child's standard error (Rich panel borders dropped)."""
    for line in reversed(text.splitlines()):
        line = line.strip().strip("│╭╮╰╯─ ").strip()
        if any(ch.isalnum() for ch in line):
            return line
    return ""


class Launcher:
    """A small process that spawns each child and reports its wall time and wait4 rusage."""

    def __init__(self, python: str) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="tiktok-bench-")
        self.proc = subprocess.Popen(
            [python, "-I", "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        hello = self._read()
        self.floor_mb = hello["hwm_kib"] / 1024

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark launcher died")
        result: dict[str, Any] = json.loads(line)
        return result

    def run(
        self,
        cmd: Sequence[str],
        env: dict[str, str],
        timeout: float,
        capture: bool,
        stdout_file: Path | None = None,
    ) -> Run:
        """`stdout_file`: the child's whole standard output goes there (not read back)."""
        out = stdout_file or Path(self.tmp.name, "stdout")
        err = Path(self.tmp.name, "stderr")
        request = {
            "cmd": list(cmd),
            "env": env,
            "stdout": str(out) if capture else None,
            "stderr": str(err),
            "timeout": timeout,
        }
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        result = self._read()
        if "error" in result:
            return Run(0.0, 0.0, 127, error=str(result["error"]))
        message = _last_message(err.read_text("utf-8", "replace"))
        if result["killed"]:
            message = f"killed after the {timeout:.0f} s timeout"
        stdout = ""
        if capture and stdout_file is None:
            with open(out, encoding="utf-8", errors="replace") as f:
                stdout = f.read(4096).strip()
        return Run(
            wall_s=result["wall"],
            maxrss_mb=result["maxrss_kib"] / 1024,  # KiB on Linux
            returncode=-9 if result["killed"] else result["returncode"],
            stdout=stdout,
            error=message[:300],
            cpu_s=result.get("cpu", 0.0),
        )

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.tmp.cleanup()


def run_alternating(
    launcher: Launcher,
    contenders: list[Contender],
    repeat: int,
    env: dict[str, str],
    timeout: float,
    warmup: int,
) -> None:
    """Each repetition runs every contender once, rotating the starting one."""
    for _ in range(warmup):
        for c in contenders:
            if c.before:
                c.before()
            launcher.run(c.cmd, env, timeout, c.capture_stdout)
    n = len(contenders)
    for rep in range(repeat):
        order = contenders[rep % n :] + contenders[: rep % n]
        for c in order:
            if c.before:
                c.before()
            run = launcher.run(c.cmd, env, timeout, c.capture_stdout)
            c.runs.append(run)
            status = f"{run.wall_s:7.2f} s {run.maxrss_mb:8.1f} MB"
            if not run.ok:
                status += f"  FAILED ({run.error})"
            print(f"  rep {rep + 1}/{repeat} {c.name:<24} {status}", file=sys.stderr)


# ----------------------------------------------------------------------------- reporting


def machine_line(python: str) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    probe = (
        "import sys, platform\n"
        "from importlib import metadata\n"
        "def v(n):\n"
        "    try: return metadata.version(n)\n"
        "    except Exception: return 'n/a'\n"
        "print(platform.python_version(), v('pandas'), v('pyarrow'), v('typer'))\n"
    )
    try:
        py, pd_v, pa_v, typer_v = subprocess.run(
            [python, "-c", probe], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
    except (subprocess.SubprocessError, ValueError, OSError):
        py = platform.python_version()
        pd_v, pa_v, typer_v = (_version(n) for n in ("pandas", "pyarrow", "typer"))
    return (
        f"Machine: {cpu}, {cores} cores ({usable} usable){mem}, {platform.system()} "
        f"{platform.release()}; Python {py}; pandas {pd_v}; pyarrow {pa_v}; typer {typer_v}"
    )


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "n/a"


def fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def write_results(mode: str, markdown: str, raw: dict[str, object], results_dir: Path) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"{mode}.md").write_text(markdown, encoding="utf-8")
    (results_dir / f"{mode}.json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    sections = [
        (results_dir / f"{m}.md").read_text(encoding="utf-8")
        for m in ("scan", "example", "history", "startup")
        if (results_dir / f"{m}.md").exists()
    ]
    latest = "# tiktok-transition benchmarks\n\n" + "\n".join(sections)
    tmp = results_dir / "latest.md.tmp"
    tmp.write_text(latest, encoding="utf-8")
    os.replace(tmp, results_dir / "latest.md")


# ----------------------------------------------------------------------------- modes


def data_file(data_dir: Path, lines: int, layout: int, seed: int) -> Path:
    """The generated export for a size, made once and reused."""
    path = data_dir / f"orders-{lines}-l{layout}-s{seed}.csv"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        generate_file(path, lines, seed=seed, layout=layout)
        print(
            f"generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
    return path


def warm_cache(path: Path) -> None:
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def first_difference(expected: Path, actual: Path) -> str:
    """Where two outputs part: "line N" (1-based), or "" when they are the same bytes."""
    if filecmp.cmp(expected, actual, shallow=False):
        return ""
    with open(expected, "rb") as a, open(actual, "rb") as b:
        for number, (x, y) in enumerate(itertools.zip_longest(a, b), start=1):
            if x != y:
                return f"line {number}"
    return "?"  # changed while compared


def check_against(
    launcher: Launcher,
    reference: Contender,
    checked: list[Contender],
    env: dict[str, str],
    timeout: float,
) -> tuple[Path | None, list[Contender]]:
    """Run the reference and each checked contender once (untimed), standard output to files,
    and compare the bytes. Returns the reference's output (None if it failed) and the
    contenders fit to time: a contender whose output differs is not timed (its verdict says
    where it differs), nor one that fails (n/a)."""
    folder = Path(launcher.tmp.name)
    expected = folder / f"{reference.key}.out"
    run = launcher.run(reference.cmd, env, timeout, True, stdout_file=expected)
    if not run.ok:
        reference.runs.append(run)  # reported as n/a with its error
        for c in checked:
            c.verdict = "not checked (the scan failed)"
        return None, []
    fit = []
    for c in checked:
        actual = folder / f"{c.key}.out"
        result = launcher.run(c.cmd, env, timeout, True, stdout_file=actual)
        if not result.ok:
            c.runs.append(result)
            c.verdict = "failed"
            continue
        where = first_difference(expected, actual)
        c.verdict = f"DIFFERS from scan at {where}: not timed" if where else "same bytes as scan"
        if not where:
            fit.append(c)
        actual.unlink(missing_ok=True)
    return expected, fit


def contender_rows(label: str, contenders: list[Contender], base: Contender) -> str:
    """One table row per contender: median time and memory, both against `base`."""
    rows = ""
    for c in contenders:
        why = c.failure()
        output = c.verdict or ("failed" if why else "")
        time_ratio = paired(c, base) if c is not base else "1.00x"
        rows += (
            f"| {label} | {c.name} | {fmt(c.wall())} | {time_ratio} "
            f"| {fmt(c.rss(), 0)} | {ratio(c.rss(), base.rss())} | {output} |\n"
        )
    return rows


def scan_contenders(
    args: argparse.Namespace, path: Path, described: bool
) -> tuple[Contender, list[Contender]]:
    """The scan of `path`, and the contenders doing its job (those not in `--skip`), whose
    output is checked against the scan's; `described`: with the labels scan mode prints."""

    def label(text: str) -> str:
        return text if described else ""

    py = args.python
    scan = Contender(
        "scan (tiktok-transition)",
        label("python -m tiktok_transition scan FILE --format csv --as-of ... > /dev/null"),
        [py, "-m", "tiktok_transition", "scan", str(path), "--format", "csv",
         "--as-of", args.as_of],
        capture_stdout=False,
        key="scan",
    )  # fmt: skip
    engines = (
        ("DuckDB SQL", "duckdb", "the same job as one DuckDB SQL statement"),
        ("Polars lazy", "polars", "the same job as one Polars lazy query"),
    )
    checked = [
        Contender(
            f"{name} (contenders/{key}_scan.py)",
            label(what),
            [py, str(CONTENDERS / f"{key}_scan.py"), str(path), "--as-of", args.as_of],
            capture_stdout=False,
            key=key,
        )
        for name, key, what in engines
        if key not in args.skip
    ]
    return scan, checked


def scan_mode(
    args: argparse.Namespace, env: dict[str, str], launcher: Launcher
) -> tuple[str, dict[str, object]]:
    py = args.python
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    header = (
        "| size | contender | median s | x floor, time (per-rep median, range) | peak MB "
        "| x floor, memory | output |\n"
        "|---|---|---:|---:|---:|---:|---|\n"
    )
    table = ""
    for i, lines in enumerate(args.sizes):
        path = data_file(args.data_dir, lines, args.layout, args.seed)
        warm_cache(path)
        mb = path.stat().st_size / 1e6
        print(f"size {human(lines)} ({lines} lines, {mb:.0f} MB): {path}", file=sys.stderr)
        scan, checked = scan_contenders(args, path, described=True)
        print("  checking the contenders' output against the scan's", file=sys.stderr)
        expected, fit = check_against(launcher, scan, checked, env, args.timeout)
        scan_rows = 0
        if expected is not None:
            with open(expected, "rb") as f:
                scan_rows = max(sum(1 for _ in f) - 1, 0)
            expected.unlink()
        floor = Contender(
            "floor (pyarrow read + to_pandas)",
            "pyarrow.csv.read_csv, triage columns as strings, .to_pandas()",
            [py, "-c", FLOOR_SCRIPT, str(path), json.dumps(list(TRIAGE_COLUMNS))],
            key="floor",
        )
        floor_csv = Contender(
            "floor + writing a CSV",
            "the floor, then pyarrow.csv.write_csv of as many rows as the scan writes",
            [py, "-c", FLOOR_CSV_SCRIPT, str(path), json.dumps(list(TRIAGE_COLUMNS)),
             str(scan_rows)],
            capture_stdout=False,
            key="floor-csv",
        )  # fmt: skip
        naive = Contender(
            "naive (pandas.read_csv, dtype=str)",
            "pandas.read_csv(path, dtype=str)",
            [py, "-c", NAIVE_SCRIPT, str(path)],
            key="naive",
        )
        page = Path(tempfile.gettempdir()) / f"tiktok-transition-bench-{os.getpid()}.html"
        report = Contender(
            "report (tiktok-transition)",
            "python -m tiktok_transition report FILE --as-of ... -o PAGE.html",
            [py, "-m", "tiktok_transition", "report", str(path), "--as-of", args.as_of,
             "-o", str(page)],
            key="report",
        )  # fmt: skip
        shown = [floor, floor_csv, scan, *checked, naive, report]
        shown = [c for c in shown if c.key not in args.skip]
        timed = [c for c in shown if c not in checked or c in fit]
        if scan.runs:  # the reference run failed: nothing is timed against it
            timed = [c for c in timed if c is not scan and c not in checked]
        warmup = args.warmup if i == 0 else 0
        run_alternating(launcher, timed, args.repeat, env, args.timeout, warmup)
        for c in (floor, naive):
            bad = {r.stdout for r in c.ok_runs() if r.stdout.strip() != str(lines)}
            if bad:
                notes.append(f"{human(lines)}: {c.name} read {', '.join(sorted(bad))} rows")
        if page.exists():
            notes.append(f"{human(lines)}: the report's page is {page.stat().st_size / 1e6:.2f} MB")
        page.unlink(missing_ok=True)
        for c in shown:
            why = c.failure()
            if why:
                notes.append(f"{human(lines)}: {c.name} n/a ({why})")
        table += contender_rows(f"{human(lines)} ({mb:.0f} MB)", shown, floor)
        rows.append(
            {
                "lines": lines,
                "file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                "file_bytes": path.stat().st_size,
                "scan_rows": scan_rows,
                "contenders": {c.name: c.record() for c in shown},
            }
        )
    machine = machine_line(py)
    md = (
        f"## scan: {args.repeat} repetition(s), median, layout {args.layout}, "
        f"seed {args.seed}, --as-of {args.as_of}\n\n"
        f"{header}{table}\n"
        "floor = pyarrow.csv.read_csv (newlines_in_values, the 15 triage columns as strings) + "
        ".to_pandas(); floor + writing a CSV = the same, then pyarrow.csv.write_csv of as many "
        "rows as the scan writes to /dev/null; scan = `python -m tiktok_transition scan FILE "
        "--format csv --as-of ... > /dev/null`; DuckDB and Polars = "
        "`benchmarks/contenders/{duckdb,polars}_scan.py FILE --as-of ... > /dev/null`, the same "
        "job, their output compared byte for byte with the scan's before timing (a contender "
        "that differs is not timed); naive = pandas.read_csv(path, dtype=str); report = `python "
        "-m tiktok_transition report FILE --as-of ... -o PAGE.html`. Times are wall seconds of "
        "the whole child process (interpreter start and imports included), alternated within "
        "each repetition; `x floor, time` is the median of the per-repetition ratios (and "
        "their range); memory is the child's peak RSS "
        f"(floor {launcher.floor_mb:.0f} MB: the launcher's own).\n\n"
        + "".join(f"- {n}\n" for n in notes)
        + ("\n" if notes else "")
        + f"{machine}; {package_versions(py)}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    raw = {"mode": "scan", "machine": machine, "rss_floor_mb": launcher.floor_mb}
    return md, {**raw, "as_of": args.as_of, "sizes": rows, "notes": notes}


def package_versions(python: str) -> str:
    """The contenders' engines, as the children's interpreter has them."""
    probe = (
        "from importlib import metadata\n"
        "def v(n):\n"
        "    try: return metadata.version(n)\n"
        "    except Exception: return 'not installed'\n"
        'print(f\'polars {v("polars")}; duckdb {v("duckdb")}\')\n'
    )
    try:
        return subprocess.run(
            [python, "-c", probe], capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return "polars/duckdb versions unknown"


EXAMPLE = ROOT / "examples" / "orders-2023-10-20.csv"


def example_mode(
    args: argparse.Namespace, env: dict[str, str], launcher: Launcher
) -> tuple[str, dict[str, object]]:
    """The bundled example (a small export): start-up dominates. Against `import pandas,
    pyarrow` (what any pandas-based tool pays before reading a byte)."""
    py = args.python
    path = args.example_file
    base = Contender(
        "python -c 'import pandas, pyarrow'", "", [py, "-c", "import pandas, pyarrow"], False,
        key="base",
    )  # fmt: skip
    scan, checked = scan_contenders(args, path, described=False)
    expected, fit = check_against(launcher, scan, checked, env, args.timeout)
    if expected is not None:
        expected.unlink()
    floors = [
        Contender("python -c pass", "", [py, "-c", "pass"], False, key="pass"),
        base,
        Contender("python -c 'import duckdb'", "", [py, "-c", "import duckdb"], False,
                  key="duckdb"),
        Contender("python -c 'import polars'", "", [py, "-c", "import polars"], False,
                  key="polars"),
    ]  # fmt: skip
    floors = [c for c in floors if c is base or c.key not in args.skip]
    shown = [*floors, scan, *checked]
    timed = [c for c in shown if c not in checked or c in fit]
    if scan.runs:
        timed = [c for c in timed if c is not scan and c not in checked]
    run_alternating(launcher, timed, args.repeat, env, args.timeout, args.warmup)
    table = (
        "| command | median ms | x import pandas, pyarrow (per-rep median, range) | peak MB "
        "| output |\n|---|---:|---:|---:|---|\n"
    )
    notes = []
    for c in shown:
        wall = c.wall()
        table += (
            f"| `{c.name}` | {fmt(None if wall is None else wall * 1000, 0)} "
            f"| {paired(c, base) if c is not base else '1.00x'} | {fmt(c.rss(), 0)} "
            f"| {c.verdict} |\n"
        )
        why = c.failure()
        if why:
            notes.append(f"`{c.name}` n/a ({why})")
    machine = machine_line(py)
    shown_path = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    md = (
        f"## example: {shown_path}, {args.repeat} repetition(s), median, --as-of {args.as_of}\n\n"
        f"{table}\n"
        "Whole child processes, standard output to /dev/null, alternated; the contenders' output "
        "was compared byte for byte with the scan's first.\n\n"
        + "".join(f"- {n}\n" for n in notes)
        + ("\n" if notes else "")
        + f"{machine}; {package_versions(py)}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    raw = {
        "mode": "example",
        "machine": machine,
        "file": str(shown_path),
        "commands": {c.name: c.record() for c in shown},
        "notes": notes,
    }
    return md, raw


def paired(contender: Contender, base: Contender) -> str:
    """The median of the ratios within each repetition (the two ran minutes apart at most), and
    their range: steadier than a ratio of medians when the machine's load drifts."""
    ratios = sorted(
        c.wall_s / b.wall_s
        for c, b in zip(contender.runs, base.runs, strict=False)
        if c.ok and b.ok and b.wall_s > 0
    )
    if not ratios:
        return "n/a"
    return f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})"


CHANGES_AS_OF = "2023-11-10T09:00:00+07:00"  # after the cutoff: the at-risk orders all move


def history_mode(
    args: argparse.Namespace, env: dict[str, str], launcher: Launcher
) -> tuple[str, dict[str, object]]:
    """scan, scan --record and changes, alternated; record and changes as ratios to the scan."""
    py = args.python
    m = [py, "-m", "tiktok_transition"]
    folder = Path(launcher.tmp.name)
    recorded, baseline = folder / "record.sqlite3", folder / "baseline.sqlite3"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{recorded}{suffix}").unlink(missing_ok=True)

    table = (
        "| lines | file MB | scan s | scan --record s | changes s | record / scan "
        "| changes / scan | record / scan, per rep | changes / scan, per rep "
        "| scan CPU s | record CPU s | changes CPU s | scan MB | record MB | changes MB |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    for i, lines in enumerate(args.sizes):
        path = data_file(args.data_dir, lines, args.layout, args.seed)
        warm_cache(path)
        mb = path.stat().st_size / 1e6
        print(f"size {human(lines)} ({lines} lines, {mb:.0f} MB): {path}", file=sys.stderr)
        scan_cmd = [*m, "scan", str(path), "--format", "csv", "--as-of", args.as_of, "-q"]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{baseline}{suffix}").unlink(missing_ok=True)
        seed = launcher.run([*scan_cmd, "--record", "--history", str(baseline)], env, 1800, False)
        if not seed.ok:
            notes.append(f"{human(lines)}: recording the baseline failed ({seed.error})")
        scan = Contender("scan", "", scan_cmd, capture_stdout=False)
        record = Contender(
            "scan --record",
            "",
            [*scan_cmd, "--record", "--history", str(recorded)],
            capture_stdout=False,
            before=fresh,
        )
        changes = Contender(
            "changes",
            "",
            [*m, "changes", str(path), "--format", "csv", "--as-of", CHANGES_AS_OF, "-q",
             "--history", str(baseline)],
            capture_stdout=False,
        )  # fmt: skip
        contenders = [scan, record, changes]
        warmup = args.warmup if i == 0 else 0
        run_alternating(launcher, contenders, args.repeat, env, args.timeout, warmup)
        for c in contenders:
            why = c.failure()
            if why:
                notes.append(f"{human(lines)}: {c.name} n/a ({why})")
        table += (
            f"| {human(lines)} | {mb:.0f} | {fmt(scan.wall())} | {fmt(record.wall())} "
            f"| {fmt(changes.wall())} | {ratio(record.wall(), scan.wall())} "
            f"| {ratio(changes.wall(), scan.wall())} | {paired(record, scan)} "
            f"| {paired(changes, scan)} | {fmt(scan.cpu())} | {fmt(record.cpu())} "
            f"| {fmt(changes.cpu())} | {fmt(scan.rss(), 0)} "
            f"| {fmt(record.rss(), 0)} | {fmt(changes.rss(), 0)} |\n"
        )
        rows.append(
            {
                "lines": lines,
                "file_bytes": path.stat().st_size,
                "contenders": {c.name: c.record() for c in contenders},
            }
        )
    machine = machine_line(py)
    md = (
        f"## history: {args.repeat} repetition(s), median, layout {args.layout}, "
        f"seed {args.seed}\n\n{table}\n"
        f"scan = `scan FILE --format csv --as-of {args.as_of} -q > /dev/null`; record = the same "
        "with `--record` into a history file removed before each run (not timed); changes = "
        f"`changes FILE --format csv --as-of {CHANGES_AS_OF}` against a snapshot recorded at "
        f"{args.as_of}. Wall seconds of the whole child process, medians; CPU s: its user + "
        "system seconds (wait4), steadier than wall time when other work shares the cores.\n\n"
        + "".join(f"- {n}\n" for n in notes)
        + ("\n" if notes else "")
        + f"{machine}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    raw = {"mode": "history", "machine": machine, "sizes": rows, "notes": notes}
    return md, raw


def startup_mode(
    args: argparse.Namespace, env: dict[str, str], launcher: Launcher
) -> tuple[str, dict[str, object]]:
    py = args.python
    m = [py, "-m", "tiktok_transition"]
    base = Contender("python -c 'import typer'", "", [py, "-c", "import typer"], False)
    contenders = [
        Contender("python -c pass", "", [py, "-c", "pass"], False),
        base,
        Contender("a one-option Typer app", "", [py, "-c", ONE_OPTION_APP, "--name", "x"], False),
        Contender("--help", "", [*m, "--help"], False),
        Contender("--version", "", [*m, "--version"], False),
        Contender("checklist list", "", [*m, "checklist", "list"], False),
        Contender("timeline", "", [*m, "timeline", "--as-of", args.as_of], False),
    ]
    run_alternating(launcher, contenders, args.repeat, env, args.timeout, args.warmup)
    table = (
        "| command | median ms | peak RSS MB | time vs import typer | memory vs import typer |\n"
        "|---|---:|---:|---:|---:|\n"
    )
    notes = []
    base_wall = base.wall()
    base_ms = None if base_wall is None else base_wall * 1000
    for c in contenders:
        c_wall = c.wall()
        wall = None if c_wall is None else c_wall * 1000
        table += (
            f"| `{c.name}` | {fmt(wall, 0)} | {fmt(c.rss(), 1)} | {ratio(wall, base_ms)} "
            f"| {ratio(c.rss(), base.rss())} |\n"
        )
        why = c.failure()
        if why:
            notes.append(f"`{c.name}` n/a ({why})")
    machine = machine_line(py)
    md = (
        f"## startup: {args.repeat} repetition(s), median\n\n{table}\n"
        "`python -m tiktok_transition ...` with standard output to /dev/null; a command that "
        "fails (not implemented yet) is n/a. Peak RSS cannot read below the launcher's own "
        f"({launcher.floor_mb:.1f} MB), see README.\n\n"
        + "".join(f"- {n}\n" for n in notes)
        + ("\n" if notes else "")
        + f"{machine}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    raw = {
        "mode": "startup",
        "machine": machine,
        "rss_floor_mb": launcher.floor_mb,
        "commands": {c.name: c.record() for c in contenders},
        "notes": notes,
    }
    return md, raw


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be integers: {text!r}") from None
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes",
        type=parse_sizes,
        default=None,
        help="comma-separated line counts (default 10000,200000,1000000)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="repetitions per contender (default 3; 10 with --startup)",
    )
    p.add_argument("--startup", action="store_true", help="measure CLI startup instead")
    p.add_argument(
        "--example",
        action="store_true",
        help="the bundled example (a small export) against `import pandas, pyarrow`",
    )
    p.add_argument("--example-file", type=Path, default=EXAMPLE, help=argparse.SUPPRESS)
    p.add_argument(
        "--skip",
        type=lambda text: {k.strip() for k in text.split(",") if k.strip()},
        default=set(),
        help="contenders not to run, comma-separated: floor-csv, duckdb, polars, naive, report",
    )
    p.add_argument(
        "--history",
        action="store_true",
        help="measure scan --record and changes against scan (default size: 1000000)",
    )
    p.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="untimed runs of each contender first (default 1; scan: first size only)",
    )
    p.add_argument("--layout", type=int, choices=(53, 65), default=65)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--as-of", default=DEFAULT_AS_OF)
    p.add_argument("--timeout", type=float, default=1800, help="seconds per child (default 1800)")
    p.add_argument("--python", default=sys.executable, help="interpreter for the children")
    p.add_argument("--data-dir", type=Path, default=HERE / "data")
    p.add_argument("--results-dir", type=Path, default=HERE / "results")
    args = p.parse_args(argv)  # fmt: skip
    if args.repeat is None:
        args.repeat = 10 if args.startup or args.example else 3
    if args.sizes is None:
        args.sizes = [1_000_000] if args.history else [10_000, 200_000, 1_000_000]
    if args.repeat < 1:
        p.error("--repeat must be at least 1")

    env = child_env()
    launcher = Launcher(args.python)
    try:
        if args.startup:
            md, raw = startup_mode(args, env, launcher)
            mode = "startup"
        elif args.example:
            md, raw = example_mode(args, env, launcher)
            mode = "example"
        elif args.history:
            md, raw = history_mode(args, env, launcher)
            mode = "history"
        else:
            md, raw = scan_mode(args, env, launcher)
            mode = "scan"
    finally:
        launcher.close()
        state = env["TIKTOK_TRANSITION_STATE"]
        for leftover in (state, state + ".lock"):
            Path(leftover).unlink(missing_ok=True)
    print(md)
    write_results(mode, md, raw, args.results_dir)
    print(f"written to {args.results_dir / 'latest.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
