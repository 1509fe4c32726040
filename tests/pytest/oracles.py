"""Independent implementations of the contract's metric definitions (numpy / scipy), and the row
comparison the oracle tests share: the demo-free oracles and the integration project use the same code."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd
from conftest import MONITORING_SCHEMA, ROOT, DbtProject
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, ks_2samp, kstwobign

Row = dict[str, object]

TOLERANCE = 1e-9
TOP_K = 20  # var categorical_top_k (default)
OTHER = "__other__"
ZERO_SHARE = 0.0001
DRIFT_ALPHA = 0.01  # var drift_alpha (default)


def read_rows(project: DbtProject, table: str) -> list[Row]:
    with duckdb.connect(str(project.db_path), read_only=True) as connection:
        cursor = connection.execute(f"select * from {MONITORING_SCHEMA}.{table}")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def values_match(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, float):
        return isinstance(actual, float) and math.isclose(actual, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return type(actual) is type(expected) and actual == expected


def index_rows(rows: list[Row], keys: tuple[str, ...]) -> dict[tuple[object, ...], Row]:
    indexed = {tuple(row[key] for key in keys): row for row in rows}
    assert len(indexed) == len(rows), f"duplicate {keys} rows"
    return indexed


def assert_rows_match(actual: list[Row], expected: list[Row], keys: tuple[str, ...]) -> None:
    """Same grain, and every expected column equal (floats within TOLERANCE, the rest exactly)."""
    actual_rows = index_rows(actual, keys)
    expected_rows = index_rows(expected, keys)
    assert sorted(map(str, actual_rows)) == sorted(map(str, expected_rows))
    mismatches = [
        f"{key} {column}: actual {actual_rows[key][column]!r}, expected {value!r}"
        for key, row in expected_rows.items()
        for column, value in row.items()
        if not values_match(actual_rows[key][column], value)
    ]
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:40])


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def rows_between(model_rows: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """The rows with score_date in [start, end] (none for an open window: no reference)."""
    if start is None or end is None:
        return model_rows.iloc[0:0]
    return model_rows[(model_rows["score_date"] >= start) & (model_rows["score_date"] <= end)]


def numeric_bins(current: np.ndarray, reference: np.ndarray) -> list[Bin]:
    """Reference deciles, duplicates collapsed; v is in bin k when edge_k <= v < edge_k+1."""
    if len(reference) == 0:
        return []
    edges = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
    bounds = [None, *map(float, edges), None]
    current_counts, reference_counts = (
        np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
        for values in (current, reference)
    )
    return [
        Bin(
            None,
            bounds[index],
            bounds[index + 1],
            int(current_counts[index]),
            int(reference_counts[index]),
        )
        for index in range(len(edges) + 1)
    ]


def categorical_bins(current: pd.Series, reference: pd.Series, top_k: int = TOP_K) -> list[Bin]:
    """One bin per category seen on either side; beyond the top K by volume, one '__other__'."""
    current_counts = current.value_counts().to_dict()
    reference_counts = reference.value_counts().to_dict()
    categories = set(current_counts) | set(reference_counts)

    def volume(category: str) -> int:
        return current_counts.get(category, 0) + reference_counts.get(category, 0)

    ranked = sorted(categories, key=lambda category: (-volume(category), category))
    kept, merged = sorted(ranked[:top_k]), ranked[top_k:]
    bins = [
        Bin(
            category,
            None,
            None,
            current_counts.get(category, 0),
            reference_counts.get(category, 0),
        )
        for category in kept
    ]
    if merged:
        current_other = sum(current_counts.get(category, 0) for category in merged)
        reference_other = sum(reference_counts.get(category, 0) for category in merged)
        bins.append(Bin(OTHER, None, None, current_other, reference_other))
    return bins


def shares(counts: list[int]) -> list[float | None]:
    return [ratio(count, sum(counts)) for count in counts]


def psi(current: np.ndarray, reference: np.ndarray) -> float:
    current = np.where(current == 0, ZERO_SHARE, current)
    reference = np.where(reference == 0, ZERO_SHARE, reference)
    return float(np.sum((current - reference) * np.log(current / reference)))


def ks_p_value(statistic: float, current_count: int, reference_count: int) -> float:
    """The asymptotic two-sample KS p-value: kstwobign.sf(sqrt(n m / (n + m)) D)."""
    return float(
        kstwobign.sf(math.sqrt(current_count * reference_count / (current_count + reference_count)) * statistic)
    )


def psi_critical_value(
    bin_count: int, current_count: int, reference_count: int, alpha: float = DRIFT_ALPHA
) -> float | None:
    """chi2.ppf(1 - alpha, B - 1) (1/n + 1/m): the PSI sampling noise alone exceeds with probability ~alpha."""
    if bin_count < 2:
        return None
    return float(chi2.ppf(1 - alpha, bin_count - 1) * (1 / current_count + 1 / reference_count))


@dataclass(frozen=True)
class FeatureDay:
    """One feature of one (score_date, model_name): its rows on both sides and its bins."""

    score_date: date
    model_name: str
    feature_name: str
    feature_type: str  # numeric or categorical
    reference_window: tuple[date | None, date | None]
    current_rows: pd.Series
    reference_rows: pd.Series
    top_k: int = TOP_K

    @property
    def current(self) -> pd.Series:
        return self.current_rows.dropna()

    @property
    def reference(self) -> pd.Series:
        return self.reference_rows.dropna()

    @property
    def bins(self) -> list[Bin]:
        if self.feature_type == "numeric":
            return numeric_bins(self.current.to_numpy(dtype=float), self.reference.to_numpy(dtype=float))
        return categorical_bins(self.current, self.reference, self.top_k)

    @property
    def comparable(self) -> bool:
        return len(self.current) > 0 and len(self.reference) > 0

    def drift_metrics(self) -> Row:
        current = np.array([bin_.current_count for bin_ in self.bins]) / len(self.current)
        reference = np.array([bin_.reference_count for bin_ in self.bins]) / len(self.reference)
        metrics: Row = {
            "psi": psi(current, reference),
            "js_distance": float(jensenshannon(current, reference, base=2)),
            "psi_critical_value": psi_critical_value(len(self.bins), len(self.current), len(self.reference)),
        }
        if self.feature_type == "numeric":
            values = self.current.to_numpy(dtype=float)
            outside = (values < self.reference.min()) | (values > self.reference.max())
            statistic = float(ks_2samp(values, self.reference.to_numpy(dtype=float)).statistic)
            return metrics | {
                "ks_statistic": statistic,
                "ks_p_value": ks_p_value(statistic, len(self.current), len(self.reference)),
                "out_of_reference_range_share": float(outside.mean()),
            }
        new = ~self.current.isin(set(self.reference))
        return metrics | {
            "l_inf": float(np.max(np.abs(current - reference))),
            "new_category_share": float(new.mean()),
        }


@dataclass(frozen=True)
class Bin:
    """One bin of one feature: a category, or a numeric interval [lower_edge, upper_edge)."""

    category_value: str | None
    lower_edge: float | None
    upper_edge: float | None
    current_count: int
    reference_count: int


def expected_drift_row(feature_day: FeatureDay) -> Row:
    missing = len(feature_day.current_rows) - len(feature_day.current)
    reference_missing = len(feature_day.reference_rows) - len(feature_day.reference)
    no_metrics = dict.fromkeys(
        (
            "psi",
            "js_distance",
            "ks_statistic",
            "ks_p_value",
            "psi_critical_value",
            "l_inf",
            "new_category_share",
            "out_of_reference_range_share",
        )
    )
    return {
        "score_date": feature_day.score_date,
        "model_name": feature_day.model_name,
        "feature_name": feature_day.feature_name,
        "feature_type": feature_day.feature_type,
        "reference_start": feature_day.reference_window[0],
        "reference_end": feature_day.reference_window[1],
        "current_value_count": len(feature_day.current),
        "reference_value_count": len(feature_day.reference),
        "bin_count": len(feature_day.bins) or None,
        "missing_rate": ratio(missing, len(feature_day.current_rows)),
        "reference_missing_rate": ratio(reference_missing, len(feature_day.reference_rows)),
        **no_metrics,
        **(feature_day.drift_metrics() if feature_day.comparable else {}),
    }


def expected_bin_rows(feature_day: FeatureDay) -> list[Row]:
    bins = feature_day.bins
    current_shares = shares([bin_.current_count for bin_ in bins])
    reference_shares = shares([bin_.reference_count for bin_ in bins])
    return [
        {
            "score_date": feature_day.score_date,
            "model_name": feature_day.model_name,
            "feature_name": feature_day.feature_name,
            "feature_type": feature_day.feature_type,
            "bin_index": bin_index,
            "category_value": bin_.category_value,
            "lower_edge": bin_.lower_edge,
            "upper_edge": bin_.upper_edge,
            "current_count": bin_.current_count,
            "reference_count": bin_.reference_count,
            "current_share": current_shares[bin_index],
            "reference_share": reference_shares[bin_index],
        }
        for bin_index, bin_ in enumerate(bins)
    ]


def seeded_thresholds(check_names: Sequence[str]) -> dict[str, tuple[str, float | None, float | None]]:
    """(direction, warn, fail) of each named check's '*' row in seeds/monitoring_thresholds.csv (empty: None)."""
    with (ROOT / "seeds" / "monitoring_thresholds.csv").open() as seed:
        return {
            row["check_name"]: (
                row["direction"],
                float(row["warn_threshold"]) if row["warn_threshold"] else None,
                float(row["fail_threshold"]) if row["fail_threshold"] else None,
            )
            for row in csv.DictReader(seed)
            if row["model_name"] == "*" and row["check_name"] in check_names
        }


def expected_status(value: float | None, direction: str, warn: float | None, fail: float | None) -> str:
    """The contract's status rule: a row without thresholds is off (pass); else NULL warns, and the
    fail level is tested before the warn level."""
    if warn is None and fail is None:
        return "pass"
    if value is None:
        return "warn"

    def beyond(threshold: float | None) -> bool:
        return threshold is not None and (value < threshold if direction == "below" else value > threshold)

    return "fail" if beyond(fail) else "warn" if beyond(warn) else "pass"
