"""nannyml's CBPE ROC AUC per day, run in the nannyml venv (requirements-nannyml.lock) by
test_estimated_performance.py: reads a reference and an analysis parquet (columns score_date,
score, decision, label), fits CBPE on the reference, estimates each analysis day, prints JSON
{"YYYY-MM-DD": roc_auc}.
  python nannyml_cbpe.py reference.parquet analysis.parquet
"""

from __future__ import annotations

import json
import os
import sys
import warnings

os.environ["NML_DISABLE_USAGE_LOGGING"] = "1"  # nannyml would otherwise phone home

import nannyml
import pandas as pd


def main(reference_path: str, analysis_path: str) -> int:
    reference, analysis = (pd.read_parquet(path) for path in (reference_path, analysis_path))
    for frame in (reference, analysis):
        frame["timestamp"] = pd.to_datetime(frame["score_date"])
        frame["decision"] = frame["decision"].astype(int)
    estimator = nannyml.CBPE(
        y_pred_proba="score",
        y_pred="decision",
        y_true="label",
        timestamp_column_name="timestamp",
        metrics=["roc_auc"],
        chunk_period="D",
        problem_type="classification_binary",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "too few chunks": one chunk per day is what is compared
        estimator.fit(reference)
        result = estimator.estimate(analysis).filter(period="analysis").to_df()
    days = result[("chunk", "start_date")].dt.strftime("%Y-%m-%d")
    print(json.dumps(dict(zip(days, result[("roc_auc", "value")].astype(float), strict=True))))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
