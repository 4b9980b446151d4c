"""Benchmarks of phindicators against references run in the same process.

Run from the repository root (``python benchmarks/run.py --help``)::

    python benchmarks/run.py                  # every case, 10 million rows
    python benchmarks/run.py --quick          # a smoke run in seconds
    python benchmarks/run.py --cases A,C --repeat 9

Timings on shared machines are noisy, so every case is timed as the median
of several repeats and compared with a reference timed in the same process,
interleaved with ours (one of ours, one of the reference, and so on), so that
a busy moment slows both. The table gives our median, the reference's, their
ratio, the budget and whether it is met.

Cases (see benchmarks/README.md):

A. proportions: value, 95 % Wilson interval and target status of ``--rows``
   integer count pairs, against statsmodels' ``proportion_confint(method=
   "wilson")`` and against one ``np.divide`` pass (the floor); peak memory
   in a fresh process.
B. rates with the exact / Byar switch, against exact limits from
   ``scipy.stats.chi2.ppf`` for every row.
C. the scalar path of an app: ``get(id).compute(n, d)``, ``format("zh")``
   and a target check, per call.
D. ``import phindicators`` in a fresh interpreter against ``import numpy``,
   the first catalog load, and both together (what an app pays before its
   first answer, for information: the import is lazy).
E. pooling ``--rows`` rows into 10 000 groups against ``numpy.bincount``
   sums.
F. dask (optional): ten times ``--rows`` rows, lazily and chunk by chunk,
   checked against numpy on a sample; skipped if dask is not installed.
G. reading reports: ``extract`` (which audits every figure it finds) on a
   10 MB report (the bundled example report repeated) and on one 1 MB
   sentence, each against a budget of 2 s: reading must stay linear.
H. DSR (ESP 2013, Dobson) and life expectancy (Chiang II, Silcocks) over
   10 000 areas x 19 age bands, against plain numpy of the same formulas
   without checks (budget 3x).
I. the CLI scorecard of a 100 000-row wide CSV (three indicators, 300 000
   rows out) against benchmarks/scorecard_naive.py (pandas + statsmodels:
   value, limits and one display column), each in a fresh process, run
   alternately: wall time (budget 0.5x) and peak memory (budget 1.0x).
J. ``compute_frame`` (``displays=False``) on a ``--rows``-row pandas frame
   against ``Indicator.compute`` on its columns as arrays (budget 1.5x),
   and with ``by=`` into 10 000 groups against ``groupby().sum()`` then the
   array path (budget 2x); with the display columns for information.
K. the CLI scorecard of a 1 000 000-row wide CSV (3 000 000 rows out) in a
   fresh process: under 10 s and under 1 GB peak (100 000 rows with --quick).
L. dask (optional): ``compute_frame`` with ``by=`` 10 000 groups on a dask
   DataFrame of ten times ``--rows`` rows, made partition by partition
   (``dd.from_map``) in a fresh process: pooled where the data lives, peak
   memory (budget 2 GB), and every group equal to numpy ``bincount`` sums of
   the same partitions put through ``Indicator.compute``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
SEED = 2024
PROPORTION = "maternal_systematic_management_rate"
RATE = "infant_mortality_rate"
#: The plan whose target on PROPORTION case A checks (≥ 85 %).
TARGET_SET = "women_outline_2011"
GROUPS = 10_000
MEMORY_BUDGET_MB = 2048


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    case: str
    ours: str
    reference: str
    ratio: str
    budget: str
    passed: bool | None  # None: nothing to judge (information only)

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: ""}[self.passed]


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def _median_pair(ours: Callable[[], object], reference: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Medians of ``repeat`` interleaved timings of ours and the reference,
    after one untimed warm-up run of each."""
    ours(), reference()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for run, bucket in ((ours, times[0]), (reference, times[1])):
            gc.collect()
            start = time.perf_counter()
            run()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def _ratio_row(case: str, ours: float, reference: float, budget: float) -> Row:
    ratio = ours / reference
    return Row(case, _ms(ours), _ms(reference), f"{ratio:.2f}x", f"<= {budget:g}x", ratio <= budget)


def _proportion_counts(rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    denominator = rng.integers(1, 20_000, rows)
    return rng.binomial(denominator, 0.9), denominator


def _proportion_target():  # type: ignore[no-untyped-def]
    from phindicators import target_set

    return target_set(TARGET_SET).for_indicator(PROPORTION)[0]


# ----------------------------------------------------------------- the cases


def case_a(rows: int, repeat: int) -> Iterator[Row]:
    """Proportions: value + Wilson + target status vs statsmodels and the floor."""
    from statsmodels.stats.proportion import proportion_confint

    import phindicators as ph

    numerator, denominator = _proportion_counts(rows)
    indicator, target = ph.get(PROPORTION), _proportion_target()
    floor_buffer = np.empty(rows)

    def ours() -> None:
        result = indicator.compute(numerator, denominator)
        target.is_met(result)

    ours_s, statsmodels_s = _median_pair(
        ours, lambda: proportion_confint(numerator, denominator, method="wilson"), repeat
    )
    yield _ratio_row("A  proportions vs statsmodels", ours_s, statsmodels_s, 0.25)
    ours_f, floor_s = _median_pair(ours, lambda: np.divide(numerator, denominator, out=floor_buffer), repeat)
    yield _ratio_row("A  proportions vs np.divide floor", ours_f, floor_s, 6)

    result = indicator.compute(numerator, denominator)
    low, high = proportion_confint(numerator, denominator, method="wilson")
    worst = max(np.max(np.abs(result.lower / 100 - low)), np.max(np.abs(result.upper / 100 - high)))
    yield Row("A  largest difference from statsmodels", f"{worst:.1e}", "", "", "<= 1e-12", bool(worst <= 1e-12))

    child = _child("memory", rows)
    peak = child["peak_mb"]
    yield Row(
        "A  peak memory (fresh process)",
        f"{peak:,.0f} MB",
        f"inputs {child['inputs_mb']:,.0f} MB",
        "",
        f"<= {MEMORY_BUDGET_MB} MB",
        peak <= MEMORY_BUDGET_MB,
    )


def _exact_by_scipy(deaths: np.ndarray, births: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits per 1000 from chi-squared quantiles, every row."""
    from scipy.stats import chi2

    lower = np.where(deaths > 0, chi2.ppf(0.025, 2 * deaths) / 2, 0.0)
    upper = chi2.ppf(0.975, 2 * deaths + 2) / 2
    return lower * 1000 / births, upper * 1000 / births


def case_b(rows: int, repeat: int) -> Iterator[Row]:
    """Rates with the exact / Byar switch vs scipy's chi2.ppf on every row."""
    import phindicators as ph

    rng = np.random.default_rng(SEED + 1)
    births = rng.integers(100, 5_000, rows)
    deaths = rng.poisson(births * 0.004)  # about half the rows below 10 events
    indicator = ph.get(RATE)
    ours_s, scipy_s = _median_pair(
        lambda: indicator.compute(deaths, births), lambda: _exact_by_scipy(deaths, births), repeat
    )
    yield _ratio_row("B  rates vs scipy chi2.ppf", ours_s, scipy_s, 0.25)


def case_c(calls: int, repeat: int) -> Iterator[Row]:
    """The per-request path of an app, in microseconds per call."""
    import phindicators as ph

    target = _proportion_target()

    def request() -> None:
        result = ph.get(PROPORTION).compute(2067, 2164)
        result.format("zh")
        _ = ph.compare_to_target(result, target).status

    per_call = statistics.median(timeit.repeat(request, number=calls, repeat=repeat)) / calls
    yield Row(
        "C  get().compute() + format() + target",
        f"{per_call * 1e6:.1f} us",
        "",
        "",
        "<= 30 us",
        per_call <= 30e-6,
    )


def _fresh(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter, timed inside it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(output.stdout)


def _fresh_process(module: str) -> float:
    """Seconds a whole fresh interpreter takes to start and import ``module``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], env=env, check=True)
    return time.perf_counter() - start


def case_d(repeat: int) -> Iterator[Row]:
    """Import time in fresh interpreters (bytecode cache on and warm)."""
    for statement in ("import numpy", "import phindicators"):
        _fresh(statement)  # writes and warms the bytecode cache
    ours_s, numpy_s = _median_pair(
        lambda: _fresh("import phindicators"), lambda: _fresh("import numpy"), 3 * repeat
    )
    yield _ratio_row("D  import phindicators vs numpy", ours_s, numpy_s, 1.5)
    whole_ours, whole_numpy = _median_pair(
        lambda: _fresh_process("phindicators"), lambda: _fresh_process("numpy"), 3 * repeat
    )
    ratio = whole_ours / whole_numpy
    yield Row("D  (whole interpreter, start-up included)", _ms(whole_ours), _ms(whole_numpy), f"{ratio:.2f}x", "", None)
    first_use = f"import phindicators; phindicators.get({PROPORTION!r})"
    load = statistics.median(_fresh(first_use) - _fresh("import phindicators") for _ in range(repeat))
    yield Row("D  first catalog load (get)", _ms(load), "", "", "", None)
    # What an app pays before its first answer: the import is lazy (SPEC 1),
    # so attrs, the model and the catalog arrive with the first lookup.
    start_s, numpy_s = _median_pair(lambda: _fresh(first_use), lambda: _fresh("import numpy"), repeat)
    ratio = start_s / numpy_s
    yield Row("D  import + first get()", _ms(start_s), _ms(numpy_s), f"{ratio:.2f}x", "", None)


def case_e(rows: int, repeat: int) -> Iterator[Row]:
    """Pooling into 10 000 groups vs numpy.bincount sums."""
    import phindicators as ph

    numerator, denominator = _proportion_counts(rows)
    labels = np.random.default_rng(SEED + 2).integers(0, GROUPS, rows)
    result = ph.get(PROPORTION).compute(numerator, denominator)

    def reference() -> None:
        np.bincount(labels, weights=numerator, minlength=GROUPS)
        np.bincount(labels, weights=denominator, minlength=GROUPS)

    ours_s, bincount_s = _median_pair(lambda: ph.pool(result, by=labels), reference, repeat)
    yield _ratio_row("E  pooling into 10 000 groups vs bincount", ours_s, bincount_s, 3)


def case_f(rows: int) -> Iterator[Row]:
    """dask: lazily and chunk by chunk, in a fresh process."""
    try:
        import dask  # noqa: F401
    except ImportError:
        yield Row("F  dask", "skipped: dask is not installed", "", "", 'pip install "dask[array]"', None)
        return
    child = _child("dask", rows)
    yield Row("F  dask: the result stays lazy", str(child["result_type"]), "", "", "a dask array", child["lazy"])
    yield Row(
        f"F  dask: {rows:,} rows made and reduced by chunks",
        f"{child['seconds']:.1f} s",
        f"{child['rows_per_second'] / 1e6:.1f} M rows/s",
        "",
        "",
        None,
    )
    yield from _memory_and_equal("F", child, f"numpy on {child['sample']:,} sampled rows")


# -------------------------------------------------------- child processes


def _child(task: str, rows: int) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, str(HERE), "--child", task, "--rows", str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _status_mb(field: str) -> float:
    """A memory figure of /proc/self/status (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM starts afresh with the
    process image; ru_maxrss (elsewhere) would carry the parent's peak
    across fork and exec on Linux."""
    if Path("/proc/self/status").exists():
        return _status_mb("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024)  # bytes on macOS


def child_memory(rows: int) -> dict[str, object]:
    """Case A once, in a fresh process: its peak resident memory."""
    import phindicators as ph

    numerator, denominator = _proportion_counts(rows)
    indicator, target = ph.get(PROPORTION), _proportion_target()
    inputs = _rss_mb()
    target.is_met(indicator.compute(numerator, denominator))
    return {"peak_mb": _peak_mb(), "inputs_mb": inputs}


def child_dask(rows: int) -> dict[str, object]:
    """Case F in a fresh process: lazy compute and target check of ``rows``
    proportions, reduced chunk by chunk, and a sample checked against numpy."""
    import dask
    import dask.array as da

    import phindicators as ph

    chunk = 2_000_000
    rng = da.random.default_rng(SEED)
    denominator = rng.integers(1, 20_000, size=rows, chunks=chunk)
    numerator = rng.binomial(denominator, 0.9)
    indicator, target = ph.get(PROPORTION), _proportion_target()

    result = indicator.compute(numerator, denominator)
    met = target.is_met(result)
    lazy = all(isinstance(a, da.Array) for a in (result.value, result.lower, result.upper, met))
    start = time.perf_counter()
    dask.compute(result.value.mean(), result.lower.min(), result.upper.max(), met.sum())
    seconds = time.perf_counter() - start

    sample = slice(rows // 2, rows // 2 + min(rows // 2, 1_000_000))
    num_sample, den_sample = dask.compute(numerator[sample], denominator[sample])
    expected = indicator.compute(num_sample, den_sample)
    got = dask.compute(result.value[sample], result.lower[sample], result.upper[sample], met[sample])
    equal = all(
        np.array_equal(a, b)
        for a, b in zip(
            got, (expected.value, expected.lower, expected.upper, target.is_met(expected)), strict=True
        )
    )
    return {
        "result_type": f"{type(result.value).__module__}.{type(result.value).__name__}",
        "lazy": lazy,
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "peak_mb": _peak_mb(),
        "sample": sample.stop - sample.start,
        "equal": equal,
    }


def case_g(scale: float, repeat: int) -> Iterator[Row]:
    """extract/audit on a long report and on one long sentence (issue 15, F12)."""
    import phindicators as ph
    from phindicators.extract import example_report

    report = example_report()
    # Real text at the density reports print figures: the corpus excerpts of
    # issue 19 (one figure per 240 bytes; whole seed reports have one per
    # 600 bytes to 17 KB, the example report one per 70 bytes).
    corpus = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted((HERE.parent.parent / "tests/data/reports").glob("*.txt"))
    )
    texts = {
        f"G  audit of a {10 * scale:g} MB report (example)": report * round(10e6 * scale / len(report.encode())),
        f"G  audit of {10 * scale:g} MB of real excerpts": corpus * round(10e6 * scale / len(corpus.encode())),
        # One sentence: no "。" anywhere, a figure every 20 bytes.
        f"G  audit of one {scale:g} MB sentence": "孕产妇系统管理率95%," * round(1e6 * scale / 26),
        f"G  one {scale:g} MB sentence of counts": "孕产妇死亡率" + "1/10万" * round(1e6 * scale / 10),
    }
    ph.extract(report)  # warm: the catalog and the label table load once
    for name, text in texts.items():
        seconds = statistics.median(timeit.repeat(lambda t=text: ph.extract(t), number=1, repeat=repeat))
        budget = 2 * scale
        yield Row(name, f"{seconds:.2f} s", "", "", f"<= {budget:g} s", seconds <= budget)


def _areas_by_age(areas: int, bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and populations of ``areas`` areas in ``bands`` age bands."""
    rng = np.random.default_rng(SEED + 3)
    populations = rng.integers(2_000, 60_000, size=(areas, bands)).astype(np.float64)
    rates = np.exp(np.linspace(-7.5, -1.5, bands))
    deaths = rng.poisson(populations * rates).astype(np.float64) + 1
    return deaths, populations


def _dsr_numpy(deaths: np.ndarray, populations: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """The DSR with Dobson's interval (Byar's limits of the total), plain numpy."""
    per = weights / weights.sum() / populations
    value = (per * deaths).sum(axis=1)
    variance = (per * per * deaths).sum(axis=1)
    total = deaths.sum(axis=1)
    z = 1.959963984540054
    low = total * (1 - 1 / (9 * total) - z / (3 * np.sqrt(total))) ** 3
    high = (total + 1) * (1 - 1 / (9 * (total + 1)) + z / (3 * np.sqrt(total + 1))) ** 3
    spread = np.sqrt(variance / total)
    return value, value + spread * (low - total), value + spread * (high - total)


def _life_expectancy_numpy(deaths: np.ndarray, populations: np.ndarray, ages: np.ndarray) -> tuple[np.ndarray, ...]:
    """Chiang II with Silcocks' variance, plain numpy (no checks, no suppression)."""
    n = np.diff(ages).astype(np.float64)
    a = np.full(n.size, 0.5)
    a[0] = 0.1
    m = deaths / populations
    q = np.ones_like(m)
    mn = m[:, :-1] * n
    q[:, :-1] = np.where(deaths[:, :-1] <= populations[:, :-1] / n / a, mn / (1 + mn * (1 - a)), 1.0)
    alive = np.empty_like(m)
    alive[:, 0] = 1e5
    alive[:, 1:] = 1e5 * np.cumprod(1 - q[:, :-1], axis=1)
    died = alive - np.concatenate([alive[:, 1:], np.zeros((alive.shape[0], 1))], axis=1)
    lived = np.concatenate([n * (alive[:, 1:] + a * died[:, :-1]), alive[:, -1:] / m[:, -1:]], axis=1)
    e = np.cumsum(lived[:, ::-1], axis=1)[:, ::-1] / alive
    var_q = q * q * (1 - q) / deaths
    var_q[:, -1] = 4 / (deaths[:, -1] * m[:, -1] ** 2)
    w = np.concatenate(
        [var_q[:, :-1] * alive[:, :-1] ** 2 * ((1 - a) * n + e[:, 1:]) ** 2, (alive[:, -1:] / 2) ** 2 * var_q[:, -1:]],
        axis=1,
    )
    se = np.sqrt(np.cumsum(w[:, ::-1], axis=1)[:, ::-1] / alive**2)
    return e, e - 1.959963984540054 * se, e + 1.959963984540054 * se


def case_h(repeat: int) -> Iterator[Row]:
    """DSR and life expectancy over 10 000 areas x 19 age bands vs plain numpy."""
    from phindicators.stats import dsr, standard_population
    from phindicators.stats.life_tables import life_expectancy

    deaths, populations = _areas_by_age(GROUPS, 19)
    esp = standard_population("esp_2013")
    weights = np.asarray(esp.weights)
    ours = dsr(deaths, populations, esp)
    value, lower, upper = _dsr_numpy(deaths, populations, weights)
    assert np.allclose(ours.value, value * 1e5, rtol=1e-12) and np.allclose(ours.lower, lower * 1e5, rtol=1e-12)
    ours_s, numpy_s = _median_pair(
        lambda: dsr(deaths, populations, esp), lambda: _dsr_numpy(deaths, populations, weights), repeat
    )
    yield _ratio_row("H  DSR, 10 000 areas x 19 bands vs numpy", ours_s, numpy_s, 3)
    ages = np.array([0, 1, *range(5, 90, 5)])
    big = populations * 10  # life tables of populations above PHE's 5 000
    le = life_expectancy(deaths, big, ages)
    e, low, _ = _life_expectancy_numpy(deaths, big, ages)
    assert np.allclose(le.lower, low, rtol=1e-12) and np.allclose(np.nan_to_num(le.value, nan=e), e, rtol=1e-12)
    ours_s, numpy_s = _median_pair(
        lambda: life_expectancy(deaths, big, ages), lambda: _life_expectancy_numpy(deaths, big, ages), repeat
    )
    yield _ratio_row("H  life expectancy, 10 000 areas x 19 bands vs numpy", ours_s, numpy_s, 3)


# ------------------------------------------------------------------- main


def _wide_csv(path: Path, rows: int) -> None:
    """A wide scorecard table: area, period and four term columns."""
    rng = np.random.default_rng(SEED)
    births = rng.integers(500, 20_000, rows)
    infant = rng.binomial(births, 0.006)
    table = {
        "area": np.char.add("area", (np.arange(rows) // 5).astype(str)),
        "period": 2019 + np.arange(rows) % 5,
        "live_births": births,
        "maternal_deaths": rng.binomial(births, 0.0002),
        "infant_deaths": infant,
        "neonatal_deaths": rng.binomial(infant, 0.6),
    }
    lines = [",".join(table)] + [",".join(map(str, values)) for values in zip(*table.values(), strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# Runs a command and prints its wall time and peak RSS. A fresh, small
# launcher: a forked child's ru_maxrss starts from its parent's resident
# size, so measured straight from this process (grown by the cases run
# before) a child would be charged this process's memory.
_LAUNCHER = """
import os, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
kilobytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(code, seconds, kilobytes / (1024 if sys.platform == "darwin" else 1))
"""


def _timed_process(command: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of a fresh process, with the
    bytecode cache on as in an installed package (as case D; the naive
    script's pandas and statsmodels have theirs in site-packages)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    code, seconds, kilobytes = int(out[0]), float(out[1]), float(out[2])
    if code not in (0, 1):  # 1: rows reported, the others computed
        raise RuntimeError(f"{command} exited with {code}")
    return seconds, kilobytes / 1024


def case_i(rows: int, repeat: int) -> Iterator[Row]:
    """The CLI scorecard against a naive pandas + statsmodels script."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "wide.csv"
        _wide_csv(table, rows)
        ours_cmd = [sys.executable, "-m", "phindicators", "scorecard", str(table), "--format", "csv",
                    "--output", str(Path(folder) / "ours.csv")]
        naive_cmd = [sys.executable, str(HERE.parent / "scorecard_naive.py"), str(table),
                     str(Path(folder) / "naive.csv")]
        runs: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
        _timed_process(ours_cmd), _timed_process(naive_cmd)  # warm the file cache
        for _ in range(repeat):
            runs[0].append(_timed_process(ours_cmd))
            runs[1].append(_timed_process(naive_cmd))
    ours_s, naive_s = (statistics.median(t for t, _ in run) for run in runs)
    ours_mb, naive_mb = (statistics.median(m for _, m in run) for run in runs)
    yield _ratio_row(f"I  CLI scorecard, {rows:,} wide rows vs naive script", ours_s, naive_s, 0.5)
    yield Row("I  CLI scorecard: peak memory vs naive script", f"{ours_mb:,.0f} MB", f"{naive_mb:,.0f} MB",
              f"{ours_mb / naive_mb:.2f}x", "<= 1x", ours_mb <= naive_mb)


def case_k(rows: int, repeat: int) -> Iterator[Row]:
    """The CLI scorecard of a million-row wide CSV: wall time and peak memory."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "wide.csv"
        # Written by a child: a vforked child's ru_maxrss starts from this
        # process's peak, which building the table in here would raise.
        subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); import run; "
             f"run._wide_csv(__import__('pathlib').Path({str(table)!r}), {rows})"],
            check=True,
        )
        command = [sys.executable, "-m", "phindicators", "scorecard", str(table), "--format", "csv",
                   "--output", str(Path(folder) / "ours.csv")]
        _timed_process(command)  # warm the file and bytecode caches
        runs = [_timed_process(command) for _ in range(repeat)]
    seconds = statistics.median(t for t, _ in runs)
    megabytes = statistics.median(m for _, m in runs)
    yield Row(f"K  CLI scorecard, {rows:,} wide rows", _ms(seconds), "—", "—", "< 10 s", seconds < 10)
    yield Row("K  CLI scorecard: peak memory", f"{megabytes:,.0f} MB", "—", "—", "< 1,024 MB", megabytes < 1024)


def case_j(rows: int, repeat: int) -> Iterator[Row]:
    """compute_frame against the array path, ungrouped and grouped."""
    import pandas as pd

    from phindicators import get
    from phindicators.frames import compute_frame

    numerator, denominator = _proportion_counts(rows)
    labels = np.random.default_rng(SEED + 3).integers(0, GROUPS, rows)
    frame = pd.DataFrame({"area": labels, "managed": numerator, "births": denominator})
    indicator = get(PROPORTION)

    def ours() -> None:
        compute_frame(frame, indicator, numerator="managed", denominator="births", displays=False)

    def reference() -> None:
        indicator.compute(frame["managed"].to_numpy(), frame["births"].to_numpy())

    ours_s, array_s = _median_pair(ours, reference, repeat)
    yield _ratio_row(f"J  compute_frame, {rows:,} rows vs Indicator.compute", ours_s, array_s, 1.5)
    start = time.perf_counter()
    compute_frame(frame, indicator, numerator="managed", denominator="births")
    yield Row("J  ... with the four display columns (information)", _ms(time.perf_counter() - start), "", "", "", None)

    def grouped() -> None:
        compute_frame(frame, indicator, numerator="managed", denominator="births", by="area", displays=False)

    def grouped_reference() -> None:
        sums = frame.groupby("area")[["managed", "births"]].sum()
        indicator.compute(sums["managed"].to_numpy(), sums["births"].to_numpy())

    ours_s, pandas_s = _median_pair(grouped, grouped_reference, repeat)
    yield _ratio_row("J  compute_frame by= 10 000 groups vs groupby().sum()", ours_s, pandas_s, 2)


def case_l(rows: int) -> Iterator[Row]:
    """compute_frame on a dask DataFrame, grouped, in a fresh process."""
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:
        yield Row("L  dask compute_frame", "skipped: no dask", "", "", "pip install 'dask[dataframe]'", None)
        return
    child = _child("dask_frame", rows)
    yield Row(
        f"L  dask compute_frame by= 10 000 groups, {rows:,} rows",
        f"{child['seconds']:.1f} s",
        f"{child['rows_per_second'] / 1e6:.1f} M rows/s",
        "",
        "",
        None,
    )
    yield Row("L  dask: the result is a dask DataFrame", str(child["result_type"]), "", "", "dask", child["lazy"])
    yield from _memory_and_equal("L", child, f"numpy bincount + Indicator.compute, {child['groups']:,} groups")


def _memory_and_equal(case: str, child: dict[str, object], reference: str) -> Iterator[Row]:
    """The rows a dask case's fresh process ends with: its peak memory against
    the budget, and whether its results equal ``reference``'s."""
    yield Row(
        f"{case}  dask: peak memory (fresh process)",
        f"{child['peak_mb']:,.0f} MB",
        "",
        "",
        f"<= {MEMORY_BUDGET_MB} MB",
        child["peak_mb"] <= MEMORY_BUDGET_MB,
    )
    yield Row(
        f"{case}  dask = {reference}",
        "identical" if child["equal"] else "DIFFERENT",
        "",
        "",
        "identical",
        child["equal"],
    )


#: Rows of one partition of case L.
PARTITION_ROWS = 1_000_000


def _partition(number: int, rows: int) -> object:
    """Partition ``number`` of case L's frame of ``rows`` rows (pandas):
    area, managed, births, drawn from a seed of its own."""
    import pandas as pd

    rng = np.random.default_rng([SEED, number])
    size = min(PARTITION_ROWS, rows - number * PARTITION_ROWS)
    births = rng.integers(1, 20_000, size)
    return pd.DataFrame({"area": rng.integers(0, GROUPS, size), "managed": rng.binomial(births, 0.9), "births": births})


def child_dask_frame(rows: int) -> dict[str, object]:
    """Case L in a fresh process: ``rows`` rows made partition by partition,
    pooled by compute_frame into 10 000 groups, checked against numpy."""
    import functools
    import warnings

    import dask.dataframe as dd

    from phindicators import get
    from phindicators.frames import compute_frame

    # narwhals announces that dask support moves to the narwhals-dask package.
    warnings.filterwarnings("ignore", "Dask support is moving", FutureWarning)
    partitions = -(-rows // PARTITION_ROWS)
    make = functools.partial(_partition, rows=rows)
    frame = dd.from_map(make, range(partitions), meta=make(0).iloc[:0])  # type: ignore[attr-defined]
    indicator = get(PROPORTION)
    start = time.perf_counter()
    lazy = compute_frame(frame, indicator, numerator="managed", denominator="births", by="area", displays=False)
    out = lazy.compute().sort_values("area")
    seconds = time.perf_counter() - start

    managed, births = np.zeros(GROUPS), np.zeros(GROUPS)
    for number in range(partitions):
        part = make(number)
        managed += np.bincount(part["area"], weights=part["managed"], minlength=GROUPS)
        births += np.bincount(part["area"], weights=part["births"], minlength=GROUPS)
    present = births > 0
    expected = indicator.compute(managed[present], births[present])
    equal = (
        np.array_equal(out["area"].to_numpy(), np.flatnonzero(present))
        and np.array_equal(out["numerator"].to_numpy(), managed[present])
        and np.array_equal(out["denominator"].to_numpy(), births[present])
        and all(
            np.array_equal(out[name].to_numpy(), np.asarray(getattr(expected, name)))
            for name in ("value", "lower", "upper")
        )
    )
    return {
        "result_type": f"{type(lazy).__module__}.{type(lazy).__name__}",
        "lazy": type(lazy).__module__.startswith("dask"),
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "peak_mb": _peak_mb(),
        "groups": int(present.sum()),
        "equal": bool(equal),
    }


CASES = "ABCDEFGHIJKL"


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=10_000_000, help="rows of cases A, B, E (default 10 000 000); F uses 10x"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed repeats per case; medians are reported (default 5)"
    )
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated cases to run (default all)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a fast smoke run: 200 000 rows, 3 repeats (budgets are for 10 million rows)",
    )
    parser.add_argument("--child", choices=("memory", "dask", "dask_frame"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.quick:
        options.rows, options.repeat = min(options.rows, 200_000), min(options.repeat, 3)
    cases = [c.strip().upper() for c in options.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; cases are {', '.join(CASES)}")
    options.cases = cases
    return options


def _print_table(rows: list[Row]) -> None:
    header = Row("case", "ours (median)", "reference (median)", "ratio", "budget", None)
    table = [header, *rows]
    fields = ("case", "ours", "reference", "ratio", "budget")
    widths = [max(len(getattr(r, f)) for r in table) for f in fields]
    for i, row in enumerate(table):
        cells = [getattr(row, f).ljust(w) for f, w in zip(fields, widths, strict=True)]
        print(" | ".join([*cells, "result" if i == 0 else row.verdict]).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in [*widths, 6]))


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    if options.child:
        task = {"memory": child_memory, "dask": child_dask, "dask_frame": child_dask_frame}[options.child]
        print(json.dumps(task(options.rows)))
        return 0
    import phindicators

    print(
        f"phindicators {phindicators.__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    print(f"rows {options.rows:,}, repeats {options.repeat} (medians of interleaved runs)\n")
    runs = {
        "A": lambda: case_a(options.rows, options.repeat),
        "B": lambda: case_b(options.rows, options.repeat),
        "C": lambda: case_c(2_000 if options.quick else 20_000, max(options.repeat, 5)),
        "D": lambda: case_d(options.repeat),
        "E": lambda: case_e(options.rows, options.repeat),
        "F": lambda: case_f(10 * options.rows),
        "G": lambda: case_g(0.1 if options.quick else 1.0, min(options.repeat, 3)),
        "H": lambda: case_h(options.repeat),
        "I": lambda: case_i(20_000 if options.quick else 100_000, min(options.repeat, 3)),
        "J": lambda: case_j(options.rows, options.repeat),
        "K": lambda: case_k(100_000 if options.quick else 1_000_000, min(options.repeat, 3)),
        "L": lambda: case_l(10 * options.rows),
    }
    rows: list[Row] = []
    for case in options.cases:
        rows.extend(runs[case]())
    _print_table(rows)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
