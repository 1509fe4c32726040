"""scripts/generate_chi_square_table.py: the seed it writes is the committed seed, byte for byte, and
each value is scipy's chi2.ppf(1 - alpha, df) (the drift significance rule's constants)."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import ROOT, load_script
from scipy.stats import chi2

table = load_script("generate_chi_square_table")
SEED = ROOT / "seeds" / "chi_square_critical_values.csv"


def test_the_committed_seed_is_what_the_script_writes(tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    assert table.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SEED.read_bytes()


def test_values_are_chi2_quantiles_for_every_supported_alpha() -> None:
    with SEED.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(table.ALPHAS) * table.MAX_DEGREES_OF_FREEDOM
    assert {float(row["alpha"]) for row in rows} == set(table.ALPHAS)
    for row in rows:
        expected = chi2.ppf(1 - float(row["alpha"]), int(row["degrees_of_freedom"]))
        assert float(row["critical_value"]) == expected
    # The alphas validate_config() accepts for var drift_alpha are the seed's.
    validate = (ROOT / "macros" / "config" / "validate_config.sql").read_text()
    assert "[" + ", ".join(map(str, table.ALPHAS)) + "]" in validate
