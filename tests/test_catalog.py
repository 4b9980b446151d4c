"""The catalog machinery, tested on a tiny inline catalog."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import phindicators.catalog as catalog_module
from phindicators import (
    Catalog,
    CatalogError,
    UnknownDomainError,
    UnknownIndicatorError,
    load_catalog,
)
from phindicators._once import Once
from tests.conftest import TINY


def test_lookup_by_any_name(tiny: Catalog) -> None:
    assert tiny.get("managed_rate").name_zh == "管理率"
    for name in ["管理率", "managed rate", "MANAGED_RATE", "系统化管理率", "０-６岁管理率", " 0~6 岁管理率 "]:
        assert tiny.find(name).id == "managed_rate", name


def test_unknown_names_suggest_close_matches(tiny: Catalog) -> None:
    with pytest.raises(UnknownIndicatorError) as caught:
        tiny.find("系统管理率")
    assert caught.value.suggestions[0] == "管理率 (managed_rate)"
    assert isinstance(caught.value, LookupError)
    with pytest.raises(UnknownIndicatorError, match="no indicator named 'zzz'$"):
        tiny.get("zzz")


def test_lookup_returns_a_default(tiny: Catalog) -> None:
    assert tiny.lookup("nothing") is None
    assert tiny.lookup("死亡率").id == "death_ratio"
    assert tiny.lookup(42) is None  # type: ignore[arg-type]


def test_get_is_exact_on_ids(tiny: Catalog) -> None:
    with pytest.raises(UnknownIndicatorError):
        tiny.get("管理率")


def test_domains_and_listing(tiny: Catalog) -> None:
    assert tiny.domains() == ["tiny", "other"]
    assert [i.id for i in tiny.indicators("tiny")] == ["managed_rate", "death_ratio"]
    assert len(tiny.indicators()) == len(tiny) == 5
    with pytest.raises(UnknownDomainError, match="domains are: tiny, other"):
        tiny.indicators("nope")


def test_terms_are_shared_objects(tiny: Catalog) -> None:
    assert tiny.get("managed_rate").denominator is tiny.get("death_ratio").denominator
    assert tiny.terms["births"].name_zh == "活产数"


def _broken(old: str, new: str) -> str:
    assert old in TINY
    return TINY.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = [", r"<string>: not valid TOML"),
        (_broken('kind = "proportion"', 'kind = "percentage"'), r"<string>: managed_rate\.kind: must be one of"),
        (_broken('unit = "percent"', 'unit = "pct"'), r"managed_rate\.unit: unknown unit 'pct'"),
        (_broken('numerator = "managed"', 'numerator = "managd"'), r"managed_rate\.numerator: unknown term 'managd'; did you mean managed"),
        (_broken('source = "spec"', 'source = "spek"'), r"managed_rate\.source: unknown source"),
        (_broken("decimals = 2", 'decimals = "2"'), r"managed_rate\.decimals: must be a whole number"),
        (_broken("decimals = 2", "decimal = 2"), r"managed_rate\.decimal: unknown field \(did you mean 'decimals'\?\)"),
        (_broken('polarity = "high_is_good"\n', ""), r"managed_rate\.polarity: is required"),
        (_broken('domain = "tiny"\n', ""), r"managed_rate\.domain: is required"),
        (_broken('aliases = ["系统化管理率"', 'aliases = ["死亡率"'), r"name '死亡率' is used by both"),
        (_broken('title = "Test specification"', "title = 3"), r"spec\.title: must be a non-empty string"),
        (_broken('unit = "wan_yuan"', 'unit = "wan"'), r"amount\.unit: unknown unit"),
        (TINY + "\n[extra]\n", r"unknown top-level key 'extra'"),
        (TINY + "\n[terms.births2]\nname_en='x'\n", r"births2\.name_zh: is required"),
        (_broken('definition = { en = "Managed / births.", zh', 'definition = { zh'), r"managed_rate\.en: is required"),
    ],
)
def test_malformed_catalogs_name_file_item_and_field(text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        Catalog.from_toml(text)


def test_terms_and_sources_are_defined_once() -> None:
    with pytest.raises(CatalogError, match=r"<string 1>: births: already defined in <string 0>"):
        Catalog.from_toml(TINY, '[terms.births]\nname_en = "b"\nname_zh = "b"\n')


def test_variant_of_must_exist() -> None:
    text = _broken('source = "spec"\n', 'source = "spec"\nvariant_of = "nothing"\n')
    with pytest.raises(CatalogError, match=r"managed_rate\.variant_of: unknown indicator 'nothing'"):
        Catalog.from_toml(text)


def test_examples_are_checked() -> None:
    text = TINY + "\n[[indicators.death_ratio.examples]]\nnumerater = 2\n"
    with pytest.raises(CatalogError, match=r"death_ratio\.numerater: unknown field"):
        Catalog.from_toml(text)


def test_user_file_extends_the_bundled_catalog(tmp_path: Path) -> None:
    user = tmp_path / "local.toml"
    user.write_text(
        """
[indicators.local_death_ratio]
name_en = "Local maternal death ratio"
name_zh = "本地孕产妇死亡率"
domain = "local"
definition = { en = "As the national one, local births.", zh = "本地" }
numerator = "maternal_deaths"
denominator = "live_births"
kind = "ratio"
unit = "per_hundred_thousand"
decimals = 1
polarity = "low_is_good"
source = "nbphs_2017"
""",
        encoding="utf-8",
    )
    catalog = load_catalog(user)
    assert catalog.get("local_death_ratio").compute(1, 1000).format() == "100.0/10万"
    assert "maternal_mortality_ratio" in catalog


def test_user_file_errors_name_the_path(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text("[indicators.maternal_mortality_ratio]\nname_en = 'x'\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"{user}: maternal_mortality_ratio: already defined in phindicators/data/"):
        load_catalog(user)
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "missing.toml")


def test_lazy_loader_reads_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = catalog_module.load_catalog

    def counting_load() -> Catalog:
        calls.append(1)
        return real()

    monkeypatch.setattr(catalog_module, "_bundled", Once(counting_load))
    barrier = threading.Barrier(16)
    seen: list[Catalog] = []

    def worker() -> None:
        barrier.wait()
        seen.append(catalog_module.bundled_catalog())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(seen) == 16 and all(c is seen[0] for c in seen)


def test_bundled_data_reads_the_same_without_the_folder_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    # A zipped package has no data folder on disk: importlib.resources reads it.
    from phindicators import _data, stats

    names = ("sources.toml", "terms.toml", "indicators/")
    on_disk = catalog_module.bundled_documents(*names)
    files = [("reports", "example_report.txt"), ("schema", "catalog.schema.json"), ("labels.toml",)]
    texts = [_data.bundled_text(*parts) for parts in files]
    populations = stats.standard_populations()
    monkeypatch.setattr(_data, "_DATA_FOLDER", "/no/such/folder")
    assert type(_data.data_root()).__name__ != "_Folder"
    assert catalog_module.bundled_documents(*names) == on_disk
    assert len(on_disk) > 8
    assert [_data.bundled_text(*parts) for parts in files] == texts
    assert stats.standard_populations() == populations == ["china_2000", "esp_2013", "segi_world", "who_world_2000"]
