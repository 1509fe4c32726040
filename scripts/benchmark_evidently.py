"""Evidently's DataDriftPreset on one day pair (the latest score date against the one before), of
one model or of every model's rows, the comparison scripts/benchmark.py times with --evidently-python. Runs in a venv
with evidently installed, so it imports nothing from this project.

Example: /path/to/evidently-venv/bin/python scripts/benchmark_evidently.py --scores-path data/demo/scores.parquet \\
             --columns tenure_months device_type
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores-path", type=Path, required=True)
    parser.add_argument("--columns", nargs="+", required=True, help="the columns drift is measured on")
    parser.add_argument("--model", default=None, help="only this model's rows (default: every model's)")
    args = parser.parse_args()
    frame = pd.read_parquet(args.scores_path, columns=["score_date", "model_name", *args.columns])
    if args.model is not None:
        frame = frame[frame["model_name"] == args.model]
    current_date, reference_date = sorted(frame["score_date"].unique())[-1:-3:-1]
    current = frame.loc[frame["score_date"] == current_date, args.columns]
    reference = frame.loc[frame["score_date"] == reference_date, args.columns]
    snapshot = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
    print(f"evidently: {len(snapshot.dict()['metrics'])} metrics on {len(current)} vs {len(reference)} rows")


if __name__ == "__main__":
    main()
