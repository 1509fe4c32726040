"""Write the chi-square critical values that the drift significance rule reads (seed chi_square_critical_values).

Neither DuckDB nor BigQuery has a chi-square quantile function, so the values come from
scipy.stats.chi2.ppf(1 - alpha, degrees_of_freedom), one row per supported alpha (the values var
drift_alpha may take) and degrees of freedom 1 .. MAX_DEGREES_OF_FREEDOM (a drift row has at most
categorical_top_k + 1 bins, and validate_config() caps categorical_top_k so that B - 1 stays inside).
  python scripts/generate_chi_square_table.py                      # rewrites seeds/chi_square_critical_values.csv
  python scripts/generate_chi_square_table.py --out /tmp/table.csv

Exit code: 0 written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from scipy.stats import chi2

ALPHAS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1)
MAX_DEGREES_OF_FREEDOM = 1000
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "seeds" / "chi_square_critical_values.csv"
HEADER = ("alpha", "degrees_of_freedom", "critical_value")


def table_rows(
    alphas: Sequence[float] = ALPHAS, max_df: int = MAX_DEGREES_OF_FREEDOM
) -> Iterator[tuple[str, int, str]]:
    """(alpha, df, chi2.ppf(1 - alpha, df)); floats as repr, which round-trips a double exactly."""
    for alpha in alphas:
        for degrees in range(1, max_df + 1):
            yield repr(alpha), degrees, repr(float(chi2.ppf(1 - alpha, degrees)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV to write (default: the seed)")
    args = parser.parse_args(argv)
    with args.out.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(table_rows())
    return 0


if __name__ == "__main__":
    sys.exit(main())
