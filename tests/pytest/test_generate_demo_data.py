"""Tests for scripts/generate_demo_data.py: contract shape, determinism and injected facts."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import duckdb
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_demo_data.py"

SCORE_TYPES = {
    "score_date": "DATE",
    "model_name": "VARCHAR",
    "model_version": "VARCHAR",
    "entity_id": "VARCHAR",
    "score": "DOUBLE",
    "decision": "BOOLEAN",
    "latency_ms": "DOUBLE",
    "error_flag": "BOOLEAN",
    "review_flag": "BOOLEAN",
    "income_segment": "VARCHAR",
    "signup_channel": "VARCHAR",
    "region": "VARCHAR",
    "tenure_months": "DOUBLE",
    "monthly_spend": "DOUBLE",
    "sessions_last_30d": "DOUBLE",
    "account_age_days": "DOUBLE",
    "support_tickets": "DOUBLE",
    "device_type": "VARCHAR",
    "plan_type": "VARCHAR",
    "acquisition_source": "VARCHAR",
}
LABEL_TYPES = {
    "model_name": "VARCHAR",
    "score_date": "DATE",
    "entity_id": "VARCHAR",
    "label": "INTEGER",
}
# Defaults: 21 days from 2026-01-01, drift from day 15, version change at day 10, delay 5.
START = dt.date(2026, 1, 1)
DAYS = 21
DRIFT_DATE = START + dt.timedelta(days=15)
VERSION_DATE = START + dt.timedelta(days=10)
LAST_DATE = START + dt.timedelta(days=DAYS - 1)


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_demo_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


gen = _load_module()


def _generate(out_dir: Path, *args: str) -> Path:
    assert gen.main(["--out-dir", str(out_dir), *args]) == 0
    return out_dir


def _read(path: Path) -> pd.DataFrame:
    with duckdb.connect() as con:
        return con.execute(f"select * from read_parquet('{path}')").df()


def _types(path: Path) -> dict[str, str]:
    with duckdb.connect() as con:
        rows = con.execute(f"describe select * from read_parquet('{path}')").fetchall()
    return {name: col_type for name, col_type, *_ in rows}


def _psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """PSI over reference deciles, as the monitoring models compute it."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.clip(np.histogram(reference, edges)[0] / len(reference), 1e-6, None)
    cur = np.clip(np.histogram(current, edges)[0] / len(current), 1e-6, None)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _ks(a: np.ndarray, b: np.ndarray) -> float:
    grid = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    cdf_b = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.max(np.abs(cdf_a - cdf_b)))


def _daily_scores(scores: pd.DataFrame, model: str) -> list[np.ndarray]:
    frame = scores[(scores.model_name == model) & ~scores.error_flag]
    return [g.score.to_numpy() for _, g in frame.groupby("score_date", sort=True)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def scores(demo: Path) -> pd.DataFrame:
    frame = _read(demo / "scores.parquet")
    frame["score_date"] = pd.to_datetime(frame.score_date).dt.date
    return frame


@pytest.fixture(scope="module")
def labels(demo: Path) -> pd.DataFrame:
    frame = _read(demo / "labels.parquet")
    frame["score_date"] = pd.to_datetime(frame.score_date).dt.date
    return frame


# --- shape and contract -------------------------------------------------------------


def test_columns_and_types(demo: Path) -> None:
    assert _types(demo / "scores.parquet") == SCORE_TYPES
    assert _types(demo / "labels.parquet") == LABEL_TYPES


def test_rows_split_evenly_between_models(scores: pd.DataFrame) -> None:
    assert len(scores) == 5000 * DAYS
    per_day_model = scores.groupby(["score_date", "model_name"]).size()
    assert set(per_day_model) == {2500}
    assert sorted(scores.score_date.unique()) == [START + dt.timedelta(days=d) for d in range(DAYS)]


def test_uneven_split_and_custom_models(tmp_path: Path) -> None:
    out = _generate(tmp_path, "--rows-per-day", "1001", "--days", "2", "--models", "a,b,churn")
    sizes = _read(out / "scores.parquet").groupby(["score_date", "model_name"]).size()
    assert len(sizes) == 6 and sizes.sum() == 2002 and sizes.max() - sizes.min() <= 1


def test_entities_unique_per_model_day_and_recurring(scores: pd.DataFrame) -> None:
    assert not scores.duplicated(["model_name", "score_date", "entity_id"]).any()
    assert scores.entity_id.str.fullmatch(r"c\d{7}").all()
    act = scores[scores.model_name == "activation"]
    day0 = set(act[act.score_date == START].entity_id)
    day1 = set(act[act.score_date == START + dt.timedelta(days=1)].entity_id)
    assert 0.5 < len(day0 & day1) / len(day1) < 1.0


def test_value_domains(scores: pd.DataFrame) -> None:
    served = scores[~scores.error_flag]
    assert served.score.between(0, 1).all()
    assert served.score.nunique() > 0.9 * len(served)  # continuous without --score-decimals
    threshold = np.where(served.model_name == "churn", 0.3, 0.5)
    assert (served.decision == (served.score >= threshold)).all()
    assert set(scores.income_segment) == {"low", "mid", "high"}
    assert set(scores.signup_channel) == {"web", "app", "partner", "store"}
    assert set(scores.region) == {"north", "south", "east", "west", "london"}
    assert set(scores.device_type) == {"ios", "android", "web"}
    assert set(scores.plan_type) == {"basic", "plus", "premium"}
    features = [
        "tenure_months",
        "sessions_last_30d",
        "account_age_days",
        "support_tickets",
    ]
    assert scores[features].notna().all().all()
    assert (scores.support_tickets == scores.support_tickets.round()).all()
    assert (scores.support_tickets == 0).mean() > 0.5  # heavy ties
    assert 0.04 < scores.monthly_spend.isna().mean() < 0.06


def test_serving_latency_and_errors(scores: pd.DataFrame) -> None:
    # A scoring error loses its score (and so its decision); every other row has one.
    assert (scores.error_flag == scores.score.isna()).all()
    assert scores.decision[scores.error_flag].isna().all()
    assert 0.001 < scores.error_flag.mean() < 0.006
    assert (scores.latency_ms > 0).all()
    medians = scores[scores.model_name == "activation"].groupby(scores.score_date >= VERSION_DATE).latency_ms.median()
    assert 1.4 < medians[True] / medians[False] < 1.8  # v2 is the slower model


def test_review_flag_rate(scores: pd.DataFrame) -> None:
    assert 0.02 < scores.review_flag.mean() < 0.04
    by_income = scores.groupby("income_segment").review_flag.mean()
    assert by_income["low"] > 2 * by_income["mid"]


# --- injected facts ---------------------------------------------------------------


def test_versions(scores: pd.DataFrame) -> None:
    versions = scores.groupby(["model_name", "score_date"]).model_version.unique()
    assert versions.map(len).eq(1).all()  # one version per model per day
    for (model, day), (version,) in versions.items():
        expected = "v3" if model == "churn" else ("v1" if day < VERSION_DATE else "v2")
        assert version == expected, (model, day)


def test_churn_drift(scores: pd.DataFrame) -> None:
    days = _daily_scores(scores, "churn")
    drift_index = (DRIFT_DATE - START).days
    assert _psi(days[drift_index - 1], days[drift_index]) > 0.4
    assert days[drift_index].mean() > days[drift_index - 1].mean() + 0.1
    # Drift persists: every later day differs from the last pre-drift day.
    assert all(_psi(days[drift_index - 1], d) > 0.25 for d in days[drift_index:])

    churn = scores[scores.model_name == "churn"]
    after = churn.score_date >= DRIFT_DATE
    ratio = churn[after].monthly_spend.mean() / churn[~after].monthly_spend.mean()
    assert 1.35 < ratio < 1.65
    assert 0.12 < (churn[after].acquisition_source == "tiktok").mean() < 0.18
    assert not (churn[~after].acquisition_source == "tiktok").any()


def test_activation_stable(scores: pd.DataFrame) -> None:
    days = _daily_scores(scores, "activation")
    for prev, cur in itertools.pairwise(days):
        assert _psi(prev, cur) < 0.05
        assert _ks(prev, cur) < 0.06
    activation = scores[scores.model_name == "activation"]
    assert set(activation.acquisition_source) == {
        "search",
        "social",
        "referral",
        "email",
    }
    spend = activation.groupby("score_date").monthly_spend.mean()
    assert spend.max() / spend.min() < 1.1


def test_label_delay_and_coverage(scores: pd.DataFrame, labels: pd.DataFrame) -> None:
    assert set(labels.label.unique()) <= {0, 1}
    keys = ["model_name", "score_date", "entity_id"]
    assert not labels.duplicated(keys).any()
    assert len(labels.merge(scores[keys], on=keys)) == len(labels)  # every label has a score

    coverage = (labels.groupby("score_date").size() / scores.groupby("score_date").size()).fillna(0)
    for day, share in coverage.items():
        age = (LAST_DATE - day).days
        if age < 5:
            assert share == 0, day
        elif age < 7:
            assert 0.2 < share < 0.8, day  # labels still arriving
        else:
            assert 0.93 < share < 0.97, day


def test_labels_calibrated_except_low_income(scores: pd.DataFrame, labels: pd.DataFrame) -> None:
    joined = labels.merge(scores, on=["model_name", "score_date", "entity_id"])
    low = joined.income_segment == "low"
    assert abs(joined[~low].label.mean() - joined[~low].score.mean()) < 0.02
    assert joined[low].label.mean() > joined[low].score.mean() + 0.04


# --- options ----------------------------------------------------------------------


def test_score_decimals_and_skewed_shape(tmp_path: Path) -> None:
    out = _generate(tmp_path, "--days", "3", "--score-decimals", "2", "--score-shape", "skewed")
    frame = _read(out / "scores.parquet")
    assert frame.score.nunique() <= 101
    assert (frame.score.dropna() == frame.score.dropna().round(2)).all()
    assert frame.score.median() < 0.1 and frame.score.mean() < 0.15


def test_label_delay_flag(tmp_path: Path) -> None:
    out = _generate(tmp_path, "--days", "4", "--label-delay-days", "0", "--drift-day", "1")
    labelled = _read(out / "labels.parquet").groupby("score_date").size()
    assert len(labelled) == 4  # even the last cohort gets some labels


# --- determinism ------------------------------------------------------------------


def test_same_seed_identical_files(tmp_path: Path) -> None:
    args = ("--rows-per-day", "2000", "--days", "8", "--seed", "7")
    first = _generate(tmp_path / "a", *args)
    second = _generate(tmp_path / "b", *args)
    for name in ("scores.parquet", "labels.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
        pd.testing.assert_frame_equal(_read(first / name), _read(second / name))


def test_different_seed_differs(tmp_path: Path) -> None:
    args = ("--rows-per-day", "2000", "--days", "8")
    first = _read(_generate(tmp_path / "a", *args, "--seed", "1") / "scores.parquet")
    second = _read(_generate(tmp_path / "b", *args, "--seed", "2") / "scores.parquet")
    assert first.shape == second.shape
    assert (first.score != second.score).mean() > 0.99
    assert not first.income_segment.equals(second.income_segment)


# --- CLI --------------------------------------------------------------------------


def test_cli_reports_paths_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _generate(tmp_path, "--rows-per-day", "10", "--days", "2")
    out = capsys.readouterr().out
    assert f"wrote 20 rows to {tmp_path / 'scores.parquet'}" in out
    assert f"rows to {tmp_path / 'labels.parquet'}" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows-per-day", "0"], "must be >= 1"),
        (["--rows-per-day", "abc"], "expected an integer"),
        (["--days", "-3"], "must be >= 1"),
        (["--days", "5", "--drift-day", "5"], "--drift-day (5) must be < --days (5)"),
        (["--days", "5", "--version-change-day", "9"], "--version-change-day (9)"),
        (["--drift-day", "-1"], "must be >= 0"),
        (["--label-delay-days", "-1"], "must be >= 0"),
        (["--score-decimals", "0"], "must be >= 1"),
        (["--score-shape", "normal"], "invalid choice"),
        (["--start-date", "2026-13-01"], "expected YYYY-MM-DD"),
        (["--models", "activation,,churn"], "invalid name"),
        (["--models", "churn,churn"], "duplicate"),
        (["--models", "a;drop"], "invalid name"),
        (["--rows-per-day", "2", "--models", "a,b,c"], "must be >= number of models"),
    ],
)
def test_bad_args_exit_2(args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        gen.main(["--out-dir", str(tmp_path / "out"), *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_script_exit_code_2_as_subprocess(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--days", "0", "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--days" in result.stderr
