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
#   score_date: (not set)
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

# 7. Schedule the monitoring query every day at 07:15 UTC into score_monitoring.scheduled_monitoring_daily
bq mk \
    --project_id=my-project \
    --location=EU \
    --transfer_config \
    --data_source=scheduled_query \
    --target_dataset=score_monitoring \
    '--display_name=score-monitoring score_monitoring.scheduled_monitoring_daily' \
    '--schedule=every day 07:15' \
    --service_account_name=monitoring-runner@my-project.iam.gserviceaccount.com \
    '--params={"query": "with run_date_scores as (\n\n    select * from `my-project`.`score_monitoring`.`stg_scores`\n    where score_date = @run_date\n\n)\n\nselect\n    score_date,\n    model_name,\n    count(*) as row_count,\n    case when count(*) = 0 then '"'"'fail'"'"' else '"'"'pass'"'"' end as monitoring_status\nfrom run_date_scores\ngroup by score_date, model_name", "destination_table_name_template": "scheduled_monitoring_daily${run_date}", "write_disposition": "WRITE_TRUNCATE", "partitioning_field": "score_date"}'
