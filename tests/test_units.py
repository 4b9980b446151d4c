"""The unit table agrees with pint, conversions round-trip, the registry is lazy."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phindicators import UnitError, registry
from phindicators.units import UNITS, conversion_factor, quantity, unit_spec

DIMENSIONLESS = [name for name, spec in UNITS.items() if spec.dimension == ""]


@pytest.mark.parametrize("name", list(UNITS))
def test_table_multiplier_agrees_with_pint(name: str) -> None:
    spec = UNITS[name]
    base = "yuan" if spec.dimension == "currency" else "dimensionless"
    assert registry().Quantity(1, name).to(base).magnitude == pytest.approx(spec.multiplier)


@pytest.mark.parametrize("source", DIMENSIONLESS)
@pytest.mark.parametrize("target", DIMENSIONLESS)
def test_conversion_factor_agrees_with_pint(source: str, target: str) -> None:
    expected = registry().Quantity(1, source).to(target).magnitude
    assert conversion_factor(source, target) == pytest.approx(expected, rel=1e-12)


def test_permille_to_percent_is_exact() -> None:
    assert conversion_factor("permille", "percent") == 0.1
    assert conversion_factor("percent", "per_hundred_thousand") == 1000.0


@given(
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    path=st.lists(st.sampled_from(DIMENSIONLESS), min_size=1, max_size=5),
)
def test_round_trip_through_any_units_preserves_value(value: float, path: list[str]) -> None:
    current, unit = value, "permille"
    for step in [*path, "permille"]:
        current *= conversion_factor(unit, step)
        unit = step
    assert current == pytest.approx(value, rel=1e-12, abs=1e-300)


def test_different_dimensions_do_not_convert() -> None:
    with pytest.raises(UnitError, match="cannot convert 'yuan'"):
        conversion_factor("yuan", "percent")


def test_unknown_unit_suggests_close_names() -> None:
    with pytest.raises(UnitError, match="unknown unit 'permile'; did you mean permille"):
        unit_spec("permile")


def test_quantity_carries_library_units() -> None:
    q = quantity(10.66, "permille").to("per_hundred_thousand")
    assert math.isclose(q.magnitude, 1066.0)
    assert quantity(21507, "wan_yuan").to("yuan").magnitude == pytest.approx(215_070_000)


def test_registry_is_one_object() -> None:
    assert registry() is registry()


def test_import_does_not_import_pint_or_read_the_catalog() -> None:
    code = (
        "import sys, phindicators, phindicators.catalog as c;"
        "print('pint' in sys.modules, not c._bundled.loaded)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_first_quantity_builds_the_registry() -> None:
    code = (
        "import sys, phindicators as ph;"
        "from phindicators.units import quantity;"
        "quantity(1, 'percent'); print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
