"""Generate deterministic demo inputs (scores.parquet, labels.parquet) for score-monitoring.

DuckDB builds every row from range() and hash-based pseudo-random numbers keyed on
(seed, key, stream), so output depends only on the arguments, never on thread scheduling.

Injected facts the demo and tests rely on:
- 'churn' drifts from --drift-day on: scores shift up, monthly_spend x1.5, new
  acquisition_source 'tiktok' (~15%). 'activation' stays stable day to day.
- 'activation' is v1 before --version-change-day and v2 from it on; 'churn' is v3.
- Labels are Bernoulli(score), except income_segment='low' where p = min(1, LOW_INCOME_LIFT * score):
  a calibration gap the label checks warn about without failing the demo's release gate.
- Cohorts younger than --label-delay-days have no labels; labels then arrive over
  LABEL_RAMP_DAYS days up to LABEL_COVERAGE of rows.
- Serving: latency_ms is log-normal around LATENCY_MEDIAN_MS, LATENCY_V2_FACTOR x slower for
  'activation' v2; ERROR_SHARE of rows are scoring errors (error_flag, score NULL).

Example: python scripts/generate_demo_data.py --seed 7 --days 14 --out-dir data/demo
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

LABEL_COVERAGE = 0.95
LOW_INCOME_LIFT = 1.15
LABEL_RAMP_DAYS = 3
TIKTOK_SHARE = 0.15
CHURN_SCORE_SHIFT = 1.0  # logit units: enough for day-over-day PSI far above 0.25
SPEND_DRIFT_FACTOR = 1.5
# Share of each model's daily entities replaced by new ones each day, so entities recur.
NEW_ENTITY_SHARE = 0.1
LATENCY_MEDIAN_MS = 40.0
LATENCY_V2_FACTOR = 1.6
ERROR_SHARE = 0.003
MODEL_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Config:
    seed: int
    rows_per_day: int
    days: int
    start_date: dt.date
    out_dir: Path
    drift_day: int
    version_change_day: int
    score_decimals: int | None
    score_shape: str
    label_delay_days: int
    models: tuple[str, ...]


def random_macros_sql(seed: int) -> str:
    """Hash-based uniforms in the open interval (0, 1) and Box-Muller normals.

    Multi-argument hash() only XORs in the last argument, so streams of one key would be
    correlated; the outer hash() re-mixes all bits. The top 52 bits plus 0.5, times
    2^-52, is exact in a double, so u is never 0 (ln stays finite) nor 1.
    """
    return f"""
        create or replace temp macro u(k, s) as
            ((hash(hash({seed}::bigint, k::bigint, s::integer)) >> 12)::double + 0.5)
            * 2.220446049250313e-16;
        create or replace temp macro std_normal(k, s) as
            sqrt(-2 * ln(u(k, s))) * cos(2 * pi() * u(k, s + 1000));
    """


def rows_view_sql(cfg: Config) -> str:
    """One row per (day, model, entity) with every column of both outputs plus label draws."""
    n_models = len(cfg.models)
    per_model = -(-cfg.rows_per_day // n_models)
    new_per_day = max(1, int(per_model * NEW_ENTITY_SHARE))
    id_width = max(7, len(str(per_model + new_per_day * cfg.days)))
    models = ", ".join(f"'{m}'" for m in cfg.models)
    # Skewed puts most mass near 0 (beta(0.5, 8)-like) by lowering the logit intercept.
    shape_offset = -3.2 if cfg.score_shape == "skewed" else 0.0
    score = "score_raw" if cfg.score_decimals is None else f"round(score_raw, {cfg.score_decimals})"
    last_day = cfg.days - 1
    return f"""
    create or replace temp view demo_rows as
    -- Each day is split into contiguous per-model blocks (sizes differ by at most one),
    -- so range() order is already (day, model, entity) and the files need no sort.
    with positioned as (
        select i, i // {cfg.rows_per_day} as day, i % {cfg.rows_per_day} as pos
        from range({cfg.rows_per_day * cfg.days}) t(i)
    ),
    blocked as (
        select *, pos * {n_models} // {cfg.rows_per_day} as model_idx from positioned
    ),
    keyed as (
        select
            i,
            day,
            [{models}][model_idx + 1] as model_name,
            -- Slot within the block plus day * new_per_day: unique per model and day while
            -- most entities recur from the previous day.
            pos - (model_idx * {cfg.rows_per_day} + {n_models - 1}) // {n_models}
                + day * {new_per_day} as entity_num
        from blocked
    ),
    -- Entity attributes are keyed on entity_num (streams 1-9) so a customer keeps them.
    entity as (
        select
            *,
            model_name = 'churn' and day >= {cfg.drift_day} as drifted,
            case when u(entity_num, 1) < 0.25 then 'low'
                 when u(entity_num, 1) < 0.75 then 'mid' else 'high' end as income_segment,
            case when u(entity_num, 2) < 0.40 then 'web' when u(entity_num, 2) < 0.75 then 'app'
                 when u(entity_num, 2) < 0.90 then 'partner' else 'store' end as signup_channel,
            ['north', 'south', 'east', 'west', 'london'][floor(u(entity_num, 3) * 5)::int + 1]
                as region,
            case when u(entity_num, 4) < 0.4 then 'ios'
                 when u(entity_num, 4) < 0.8 then 'android' else 'web' end as device_type,
            case when u(entity_num, 5) < 0.55 then 'basic'
                 when u(entity_num, 5) < 0.85 then 'plus' else 'premium' end as plan_type,
            case when u(entity_num, 6) < 0.40 then 'search' when u(entity_num, 6) < 0.65 then 'social'
                 when u(entity_num, 6) < 0.85 then 'referral' else 'email' end as base_source,
            floor(30 + 2000 * pow(u(entity_num, 7), 2)) + day as account_age_days,
            0.4 + 0.6 * u(entity_num, 8) as tenure_share,
            std_normal(entity_num, 9) as propensity
        from keyed
    ),
    -- Row-level draws use streams 11+ so they never coincide with entity draws.
    features as (
        select
            *,
            floor(account_age_days * tenure_share / 30.44) as tenure_months,
            floor(-ln(u(i, 11)) * case when device_type = 'web' then 6 else 12 end)
                as sessions_last_30d,
            -- Geometric with P(0) = 0.65: integer-valued with heavy ties.
            floor(ln(u(i, 12)) / ln(0.35)) as support_tickets,
            case when u(i, 13) >= 0.05 then round(
                exp(3.0 + case plan_type when 'plus' then 0.5 when 'premium' then 1.0 else 0 end
                    + 0.5 * std_normal(i, 14))
                * case when drifted then {SPEND_DRIFT_FACTOR} else 1 end, 2) end as monthly_spend,
            case when drifted and u(i, 15) < {TIKTOK_SHARE} then 'tiktok' else base_source end
                as acquisition_source
        from entity
    ),
    scored as (
        select
            *,
            0.5 * (ln(1 + sessions_last_30d) - 2.2) + 0.3 * (ln(1 + tenure_months) - 2.5)
                - 0.4 * (support_tickets - 0.5)
                + case plan_type when 'plus' then 0.2 when 'premium' then 0.4 else 0 end
                + 0.5 * propensity
                + case income_segment when 'low' then -0.3 when 'high' then 0.2 else 0 end
                as engagement
        from features
    ),
    raw as (
        select
            *,
            1 / (1 + exp(-(
                {shape_offset} + 0.7 * std_normal(i, 16)
                + case when model_name = 'churn' then -0.8 - engagement else engagement end
                + case when drifted then {CHURN_SCORE_SHIFT} else 0 end
            ))) as score_raw
        from scored
    ),
    final as (
        select
            *,
            u(i, 20) < {ERROR_SHARE} as error_flag,
            {score} as true_score,
            case when u(i, 20) >= {ERROR_SHARE} then {score} end as score
        from raw
    )
    select
        i,
        day,
        DATE '{cfg.start_date.isoformat()}' + day::integer as score_date,
        model_name,
        case when model_name = 'churn' then 'v3'
             when model_name = 'activation' and day < {cfg.version_change_day} then 'v1'
             else 'v2' end as model_version,
        'c' || lpad(entity_num::varchar, {id_width}, '0') as entity_id,
        score,
        score >= case when model_name = 'churn' then 0.3 else 0.5 end as decision,
        round({LATENCY_MEDIAN_MS} * exp(0.35 * std_normal(i, 21))
            * case when model_name = 'activation' and day >= {cfg.version_change_day} then {LATENCY_V2_FACTOR} else 1 end, 1)
            as latency_ms,
        error_flag,
        u(i, 17) < case when income_segment = 'low' then 0.07 else 0.017 end as review_flag,
        income_segment,
        signup_channel,
        region,
        tenure_months::double as tenure_months,
        monthly_spend::double as monthly_spend,
        sessions_last_30d::double as sessions_last_30d,
        account_age_days::double as account_age_days,
        support_tickets::double as support_tickets,
        device_type,
        plan_type,
        acquisition_source,
        -- Labels: none for the newest cohorts, then coverage ramps up to LABEL_COVERAGE.
        {last_day} - day >= {cfg.label_delay_days}
            and u(i, 18) < {LABEL_COVERAGE}
                * least(1.0, ({last_day} - day - {cfg.label_delay_days} + 1) / {LABEL_RAMP_DAYS})
            as has_label,
        -- Calibrated except for low income, where the true probability is LOW_INCOME_LIFT x the score.
        -- A scoring error loses the score, not the customer's outcome.
        (u(i, 19) < case when income_segment = 'low' then least(1.0, {LOW_INCOME_LIFT} * true_score) else true_score end)
            ::integer as label
    from final
    """


SCORE_COLUMNS = (
    "score_date, model_name, model_version, entity_id, score, decision, latency_ms, error_flag, review_flag, "
    "income_segment, signup_channel, region, tenure_months, monthly_spend, sessions_last_30d, "
    "account_age_days, support_tickets, device_type, plan_type, acquisition_source"
)


def sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def scores_copy_sql(path: Path) -> str:
    return f"""
        copy (select {SCORE_COLUMNS} from demo_rows)
        to '{sql_path(path)}' (format parquet)
    """


def labels_copy_sql(path: Path) -> str:
    return f"""
        copy (select model_name, score_date, entity_id, label from demo_rows
              where has_label)
        to '{sql_path(path)}' (format parquet)
    """


def generate(cfg: Config) -> dict[Path, int]:
    """Write both files and return {path: row_count}."""
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        cfg.out_dir / "scores.parquet": scores_copy_sql,
        cfg.out_dir / "labels.parquet": labels_copy_sql,
    }
    counts: dict[Path, int] = {}
    with duckdb.connect() as con:
        con.execute(random_macros_sql(cfg.seed))
        con.execute(rows_view_sql(cfg))
        for path, copy_sql in outputs.items():
            con.execute(copy_sql(path))
            row = con.execute(f"select count(*) from read_parquet('{sql_path(path)}')").fetchone()
            counts[path] = int(row[0]) if row else 0
    return counts


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value

    return parse


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--rows-per-day", type=_int_at_least(1), default=5000, help="across all models")
    p.add_argument("--days", type=_int_at_least(1), default=21)
    p.add_argument("--start-date", type=_date, default=dt.date(2026, 1, 1))
    p.add_argument("--out-dir", type=Path, default=Path("data/demo"))
    p.add_argument("--drift-day", type=_int_at_least(0), help="0-based; default days-6 (min 0)")
    p.add_argument("--version-change-day", type=_int_at_least(0), help="0-based; default days//2")
    p.add_argument("--score-decimals", type=_int_at_least(1), help="round scores to create ties")
    p.add_argument("--score-shape", choices=("beta", "skewed"), default="beta")
    p.add_argument("--label-delay-days", type=_int_at_least(0), default=5)
    p.add_argument("--models", default="activation,churn", help="comma-separated model names")
    return p


def parse_config(argv: list[str] | None = None) -> Config:
    parser = build_parser()
    args = parser.parse_args(argv)
    models = tuple(m.strip() for m in args.models.split(","))
    bad = [m for m in models if not MODEL_NAME_RE.match(m)]
    if bad:
        parser.error(f"--models: invalid name(s) {bad}; use lowercase letters, digits, underscores")
    if len(set(models)) != len(models):
        parser.error(f"--models: duplicate names in {args.models!r}")
    if args.rows_per_day < len(models):
        parser.error(f"--rows-per-day ({args.rows_per_day}) must be >= number of models ({len(models)})")
    drift_day = max(args.days - 6, 0) if args.drift_day is None else args.drift_day
    version_change_day = args.days // 2 if args.version_change_day is None else args.version_change_day
    for flag, value in (
        ("--drift-day", drift_day),
        ("--version-change-day", version_change_day),
    ):
        if value >= args.days:
            parser.error(f"{flag} ({value}) must be < --days ({args.days})")
    return Config(
        seed=args.seed,
        rows_per_day=args.rows_per_day,
        days=args.days,
        start_date=args.start_date,
        out_dir=args.out_dir,
        drift_day=drift_day,
        version_change_day=version_change_day,
        score_decimals=args.score_decimals,
        score_shape=args.score_shape,
        label_delay_days=args.label_delay_days,
        models=models,
    )


def main(argv: list[str] | None = None) -> int:
    cfg = parse_config(argv)
    started = time.perf_counter()
    counts = generate(cfg)
    elapsed = time.perf_counter() - started
    for path, n in counts.items():
        print(f"wrote {n:,} rows to {path}")
    print(f"done in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
