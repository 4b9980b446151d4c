"""Mutation testing of the numeric core with mutmut (issue 20).

From the repository root, with the ``mutation`` extra installed::

    .venv/bin/python mutation/run.py                  # the documented sample (README, "Mutation testing")
    .venv/bin/python mutation/run.py --every 1        # every mutant (hours on 2 cores)
    .venv/bin/python mutation/run.py --only 'phindicators.stats.*'
    .venv/bin/python mutation/run.py --list           # count the mutants, run nothing
    .venv/bin/python mutation/run.py --report         # the report of the last run again

What is mutated and which tests run is ``[tool.mutmut]`` in pyproject.toml;
mutmut works on a copy in ``mutants/`` (ignored by git), so the working tree
is never touched. Steps:

1. The selected tests run once on the clean tree; tests that already fail
   there (someone's work in progress) are deselected and listed, since a
   mutant cannot be judged by a test that fails without it.
2. mutmut writes every mutant; a fixed sample is kept: the mutants whose name
   hashes (CRC-32) to 0 modulo ``--every``, the same sample on every run as
   long as the function is unchanged.
3. mutmut runs each sampled mutant against the tests that reach its function
   (``-x``, ``--hypothesis-seed=0``).
4. The report (``mutation/report.md`` and stdout) gives the score per module
   family and the diff of every survivor. Survivors listed in
   ``mutation/equivalent.toml`` leave the score out: under ``[equivalent]``
   (mutant name = the reason no input can tell it from the original) and
   under ``[unobservable]`` (code that runs only at import, before mutmut
   switches a mutant on).

The score is killed / (sampled - equivalent); "no tests" (no selected test
reaches the function) and timeouts are reported apart: a mutant no test
reaches counts as a survivor, a timeout as killed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zlib
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"

#: Module family of a mutated file, as the issue scores them.
FAMILIES = [
    ("phindicators.stats.", "stats"),
    ("phindicators.compute", "compute"),
    ("phindicators.validation.", "validation"),
    ("phindicators._counts.", "validation"),
    ("phindicators.targets.", "targets"),
    ("phindicators.figures.", "figures"),
    ("phindicators.audit.", "audit"),
]


#: Functions left out of the sample: they format text, align pandas labels or
#: manage memory, and no number depends on them.
NOT_NUMERIC = [
    "phindicators.validation.x__preview__*",
    "phindicators.validation.x__text_error__*",
    "phindicators.validation.x__raise_listed__*",
    "phindicators.validation.x_aligned__*",
    "phindicators.validation.x__pandas_index__*",
    "phindicators.compute.*x__huge_page_aligned__*",
    "phindicators.compute.*x__owned__*",
    "phindicators.compute.*x__read_only__*",
    "phindicators.compute.*xǁResultǁ__repr____*",
    "phindicators.compute.*xǁResultǁformat__*",
    "phindicators.compute.*xǁResultǁ_repr_html___*",
    "phindicators.compute.*xǁResultǁas_dict__*",
    "phindicators.compute.*xǁResultǁto_json__*",
    "phindicators.compute.*xǁResultǁto_frame__*",
    "phindicators.audit.arithmetic.x__display__*",
    "phindicators.audit.arithmetic.x__number__*",
    "phindicators.audit.arithmetic.x__sign__*",
    "phindicators.audit.judging.x__range_text__*",
]


def family(name: str) -> str:
    for prefix, label in FAMILIES:
        if name.startswith(prefix):
            return label
    return "other"


def module(name: str) -> str:
    """phindicators.stats.proportions.x_f__mutmut_3 -> phindicators.stats.proportions"""
    return name.split(".x")[0] if ".x" in name else name.rsplit(".", 1)[0]


def settings() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["mutmut"]


def failing_tests(selection: list[str], args: list[str]) -> list[str]:
    """Node ids of the selected tests that fail on the clean tree."""
    command = [sys.executable, "-m", "pytest", "-q", "-rfE", "--tb=no", *args, *selection]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stdout
    return sorted({m.group(2) for m in re.finditer(r"^(FAILED|ERROR) (\S+)", out, re.M)})


def all_mutants() -> dict[str, Path]:
    """Every generated mutant name and the source path it belongs to."""
    import json

    names: dict[str, Path] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        with open(meta) as f:
            data = json.load(f)
        source = meta.relative_to(ROOT / "mutants").with_suffix("")
        for key in data.get("exit_code_by_key", {}):
            names[key] = source
    return names


def sampled(names: list[str], every: int, only: list[str]) -> list[str]:
    chosen = [n for n in names if (not only or any(fnmatch(n, p) for p in only))
              and not any(fnmatch(n, p) for p in NOT_NUMERIC)]
    return sorted(n for n in chosen if zlib.crc32(n.encode()) % every == 0)


def generate(jobs: int) -> None:
    """Write every mutant into mutants/ (mutmut's own first step)."""
    from mutmut.__main__ import CatchOutput, create_mutants
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths

    with CatchOutput(spinner_title="Generating mutants"):
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        create_mutants(jobs)


def quick_hypothesis() -> None:
    """Hypothesis without shrinking or its database for the mutant runs.

    A mutant that fails a property test is killed at its first failing
    example; shrinking it (minutes for some kernels) would only turn kills
    into timeouts. tests/conftest.py loads the profile HYPOTHESIS_PROFILE
    names; the forked test runs inherit this registration.
    """
    from hypothesis import HealthCheck, Phase
    from hypothesis import settings as hypothesis_settings
    from mutmut.configuration import config

    hypothesis_settings.register_profile(
        "mutation",
        max_examples=100,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    os.environ["HYPOTHESIS_PROFILE"] = "mutation"
    # hypothesis is now imported before pytest could rewrite its asserts,
    # which pytest warns about (an error under filterwarnings = error).
    config().pytest_add_cli_args.extend(["-W", "ignore::pytest.PytestAssertRewriteWarning"])
    # Fresh memo caches and no forked thread pools under each mutant (mutant_session.py).
    sys.path.insert(0, str(HERE))
    config().pytest_add_cli_args.extend(["-p", "mutant_session"])


def equivalents() -> dict[str, str]:
    path = HERE / "equivalent.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        data = tomllib.load(f)
    marked = dict(data.get("equivalent", {}))
    marked.update({k: f"not observable under mutmut: {v}" for k, v in data.get("unobservable", {}).items()})
    return marked


def statuses(names: list[str]) -> dict[str, str]:
    import json

    from mutmut.stats import status_by_exit_code

    codes: dict[str, int | None] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        with open(meta) as f:
            codes.update(json.load(f).get("exit_code_by_key", {}))
    return {n: status_by_exit_code[codes.get(n)] for n in names}


def diff(name: str, path: Path) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        return get_diff_for_mutant(name, path=str(path)).strip()
    except Exception as error:  # noqa: BLE001 - a report line, not a crash
        return f"(no diff: {error})"


def report(names: list[str], paths: dict[str, Path], seconds: float | None, deselected: list[str],
           every: int, total: int) -> str:
    status = statuses(names)
    patterns = equivalents()  # names, or globs such as module.x_function__mutmut_*
    equivalent = {n: next(r for p, r in patterns.items() if fnmatch(n, p)) for n in names
                  if any(fnmatch(n, p) for p in patterns)}
    rows: dict[str, Counter] = defaultdict(Counter)
    survivors: list[str] = []
    for name in names:
        s = status[name]
        fam = family(name)
        rows[fam]["sampled"] += 1
        if s in ("killed", "timeout", "segfault", "caught by type check"):
            rows[fam]["killed"] += 1
            if name in equivalent:
                rows[fam]["marked equivalent but killed"] += 1
        elif name in equivalent:
            rows[fam]["equivalent"] += 1
        elif s == "not checked":
            rows[fam]["not checked"] += 1
        else:
            rows[fam]["survived" if s != "no tests" else "no tests"] += 1
            survivors.append(name)
    lines = ["# Mutation testing report", ""]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines.append(f"Run {when} on the working tree at {commit} (plus uncommitted changes). "
                 f"{len(names)} of {total} mutants sampled (every {every})"
                 + (f"; {seconds / 60:.1f} minutes." if seconds else "."))
    if deselected:
        lines += ["", "Tests deselected because they fail on the clean tree:", ""]
        lines += [f"- `{t}`" for t in deselected]
    lines += ["", "| family | sampled | equivalent | killed | survived | no tests | score |",
              "|---|---|---|---|---|---|---|"]
    grand: Counter = Counter()
    for fam in sorted(rows):
        r = rows[fam]
        grand.update(r)
        judged = r["sampled"] - r["equivalent"] - r["not checked"]
        score = f"{100 * r['killed'] / judged:.0f} %" if judged else "-"
        lines.append(f"| {fam} | {r['sampled']} | {r['equivalent']} | {r['killed']} | {r['survived']} "
                     f"| {r['no tests']} | {score} |")
    judged = grand["sampled"] - grand["equivalent"] - grand["not checked"]
    score = f"{100 * grand['killed'] / judged:.1f} %" if judged else "-"
    lines.append(f"| **all** | {grand['sampled']} | {grand['equivalent']} | {grand['killed']} "
                 f"| {grand['survived']} | {grand['no tests']} | **{score}** |")
    if grand["not checked"]:
        lines.append(f"\n{grand['not checked']} sampled mutants were not checked (run interrupted).")
    stale = [n for n in equivalent if status[n] in ("killed", "timeout")]
    if stale:
        lines += ["", "Marked equivalent but killed (remove from equivalent.toml):", ""]
        lines += [f"- `{n}`" for n in stale]
    lines += ["", "## Survivors", ""]
    if not survivors:
        lines.append("None.")
    for name in survivors:
        lines += [f"### `{name}` ({status[name]})", "", "```diff", diff(name, paths[name]), "```", ""]
    marked = [n for n in names if n in equivalent and status[n] not in ("killed", "timeout")]
    if marked:
        lines += ["", "## Equivalent (from mutation/equivalent.toml)", ""]
        lines += [f"- `{n}`: {equivalent[n]}" for n in marked]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=2, help="keep one mutant in EVERY (default 2)")
    parser.add_argument("--only", action="append", default=[], help="glob of mutant names (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel mutants")
    parser.add_argument("--list", action="store_true", help="generate and count the mutants, run nothing")
    parser.add_argument("--report", action="store_true", help="write the report of the last run")
    parser.add_argument("--again", action="store_true",
                        help="run the last sample's survivors again (after adding tests), keep the rest")
    options = parser.parse_args()
    os.chdir(ROOT)
    cfg = settings()
    if options.again:
        paths = all_mutants()
        last = statuses(sampled(sorted(paths), options.every, options.only))
        names = [n for n, s in last.items() if s not in ("killed", "timeout", "segfault")]
        print(f"{len(names)} survivors of the last run to run again", flush=True)
        (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # new tests: map them again
        from mutmut.__main__ import _run

        quick_hypothesis()
        start = time.monotonic()
        _run(names, options.jobs)
        text = report(sorted(last), paths, time.monotonic() - start, [], options.every, len(paths))
        (HERE / "report.md").write_text(text)
        print(text)
        return 0
    if options.report:
        names = sampled(sorted(all_mutants()), options.every, options.only)
        text = report(names, all_mutants(), None, [], options.every, len(all_mutants()))
        (HERE / "report.md").write_text(text)
        print(text)
        return 0

    start = time.monotonic()
    deselected: list[str] = []
    if not options.list:
        print("Running the selected tests on the clean tree ...", flush=True)
        deselected = failing_tests(cfg["pytest_add_cli_args_test_selection"], cfg.get("pytest_add_cli_args", []))
        for test in deselected:
            print(f"    deselected (fails without any mutant): {test}")
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)

    from mutmut.configuration import config

    extra = [arg for test in deselected for arg in ("--deselect", test)]
    config().pytest_add_cli_args.extend(extra)
    config().debug = bool(os.environ.get("MUTATION_DEBUG"))
    generate(options.jobs)
    paths = all_mutants()
    names = sampled(sorted(paths), options.every, options.only)
    counts = Counter(family(n) for n in names)
    print(f"{len(paths)} mutants, {len(names)} sampled: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if options.list:
        for name in names:
            print(name)
        return 0
    from mutmut.__main__ import _run

    quick_hypothesis()
    try:
        _run(names, options.jobs)
    except SystemExit as stop:  # mutmut exits on a failing clean run
        if stop.code:
            print("mutmut stopped early", file=sys.stderr)
            return int(stop.code) if isinstance(stop.code, int) else 1
    seconds = time.monotonic() - start
    text = report(names, paths, seconds, deselected, options.every, len(paths))
    (HERE / "report.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
