#!/usr/bin/env bash
# BigQuery plan for score-monitoring in my-project (EU)
# Rendered by scripts/render_bigquery_plan.py; review it, then run it from the directory it was
# rendered in (its paths are relative to it) with a gcloud login that may administer the project. It
# holds no credentials: the jobs it sets up run as their service accounts, and the caller's own login
# comes from gcloud, not from this file. Create steps other than `bq mk --force` are not idempotent:
# re-running stops at the first resource that already exists.
#
# Parameters:
#   project: my-project
#   location: EU
#   source_dataset: ml_scores
#   dataset: score_monitoring
#   table: scheduled_monitoring_daily
#   service_account: monitoring-runner@my-project.iam.gserviceaccount.com
#   schedule_time_utc: 07:15
#   score_date: 2026-01-21
set -euo pipefail

# 1. Enable the APIs this plan uses
gcloud services enable bigquery.googleapis.com bigquerydatatransfer.googleapis.com \
    --project=my-project

# 2. Create the source dataset my-project:ml_scores in EU (--force: keep it if it exists)
bq mk \
    --project_id=my-project \
    --location=EU \
    --force \
    --dataset \
    '--description=score-monitoring source data' \
    my-project:ml_scores

# 3. Create the monitoring dataset my-project:score_monitoring in EU (--force: keep it if it exists)
bq mk \
    --project_id=my-project \
    --location=EU \
    --force \
    --dataset \
    '--description=score-monitoring monitoring data' \
    my-project:score_monitoring

# 4. Grant roles/bigquery.jobUser on project my-project to monitoring-runner@my-project.iam.gserviceaccount.com (run query jobs, nothing else)
gcloud projects add-iam-policy-binding my-project \
    --member=serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com \
    --role=roles/bigquery.jobUser \
    --condition=None

# 5. Grant roles/bigquery.dataViewer on my-project:ml_scores to monitoring-runner@my-project.iam.gserviceaccount.com
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    'GRANT `roles/bigquery.dataViewer` ON SCHEMA `my-project`.ml_scores TO "serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com"'

# 6. Grant roles/bigquery.dataEditor on my-project:score_monitoring to monitoring-runner@my-project.iam.gserviceaccount.com
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    'GRANT `roles/bigquery.dataEditor` ON SCHEMA `my-project`.score_monitoring TO "serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com"'

# 7. Run the monitoring query once with @run_date = 2026-01-21 into score_monitoring.scheduled_monitoring_daily
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    --parameter=run_date:DATE:2026-01-21 \
    '--destination_table=my-project:score_monitoring.scheduled_monitoring_daily$20260121' \
    --time_partitioning_field=score_date \
    --time_partitioning_type=DAY \
    --replace=true \
    'with run_date_scores as (

    select * from `my-project`.`score_monitoring`.`stg_scores`
    where score_date = @run_date

)

select
    score_date,
    model_name,
    count(*) as row_count,
    case when count(*) = 0 then '"'"'fail'"'"' else '"'"'pass'"'"' end as monitoring_status
from run_date_scores
group by score_date, model_name'
