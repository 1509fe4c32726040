#!/usr/bin/env bash
# Cloud Run Job plan for score-monitoring in my-project (europe-west2)
# Rendered by scripts/render_cloud_run_plan.py; review it, then run it from the directory it was
# rendered in (its paths are relative to it) with a gcloud login that may administer the project. It
# holds no credentials: the jobs it sets up run as their service accounts, and the caller's own login
# comes from gcloud, not from this file. Create steps other than `bq mk --force` are not idempotent:
# re-running stops at the first resource that already exists.
#
# Parameters:
#   project: my-project
#   region: europe-west2
#   location: EU
#   project_dir: .
#   dataset: score_monitoring
#   monitoring_dataset: score_monitoring_score_monitoring
#   source_project: my-project
#   source_dataset: ml_scores
#   job: score-monitoring-dbt
#   image: europe-west2-docker.pkg.dev/my-project/score-monitoring/score-monitoring:abc123
#   service_account: monitoring-runner@my-project.iam.gserviceaccount.com
#   score_date: (not set)
#   report_url: (not set)
#   notify_secrets: (not set)
set -euo pipefail

# 1. Enable the APIs this plan uses
gcloud services enable run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com bigquery.googleapis.com \
    --project=my-project

# 2. Create the Docker repository score-monitoring in europe-west2
gcloud artifacts repositories create score-monitoring \
    --repository-format=docker \
    --location=europe-west2 \
    '--description=score-monitoring dbt images' \
    --project=my-project

# 3. Build the dbt project's ./Dockerfile with Cloud Build and push europe-west2-docker.pkg.dev/my-project/score-monitoring/score-monitoring:abc123
gcloud builds submit . \
    --tag=europe-west2-docker.pkg.dev/my-project/score-monitoring/score-monitoring:abc123 \
    --region=europe-west2 \
    --project=my-project

# 4. Create the target dataset my-project:score_monitoring in EU (--force: keep it if it exists)
bq mk \
    --project_id=my-project \
    --location=EU \
    --force \
    --dataset \
    '--description=score-monitoring target data' \
    my-project:score_monitoring

# 5. Create the monitoring dataset my-project:score_monitoring_score_monitoring in EU (--force: keep it if it exists)
bq mk \
    --project_id=my-project \
    --location=EU \
    --force \
    --dataset \
    '--description=score-monitoring monitoring data' \
    my-project:score_monitoring_score_monitoring

# 6. Grant roles/bigquery.jobUser on project my-project to monitoring-runner@my-project.iam.gserviceaccount.com (run query jobs, nothing else)
gcloud projects add-iam-policy-binding my-project \
    --member=serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com \
    --role=roles/bigquery.jobUser \
    --condition=None

# 7. Grant roles/bigquery.dataViewer on my-project:ml_scores to monitoring-runner@my-project.iam.gserviceaccount.com
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    'GRANT `roles/bigquery.dataViewer` ON SCHEMA `my-project`.ml_scores TO "serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com"'

# 8. Grant roles/bigquery.dataEditor on my-project:score_monitoring to monitoring-runner@my-project.iam.gserviceaccount.com
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    'GRANT `roles/bigquery.dataEditor` ON SCHEMA `my-project`.score_monitoring TO "serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com"'

# 9. Grant roles/bigquery.dataEditor on my-project:score_monitoring_score_monitoring to monitoring-runner@my-project.iam.gserviceaccount.com
bq query \
    --project_id=my-project \
    --location=EU \
    --use_legacy_sql=false \
    'GRANT `roles/bigquery.dataEditor` ON SCHEMA `my-project`.score_monitoring_score_monitoring TO "serviceAccount:monitoring-runner@my-project.iam.gserviceaccount.com"'

# 10. Create or update job score-monitoring-dbt: dbt deps, then dbt build --target bigquery (monitoring tables in my-project:score_monitoring_score_monitoring), then scripts/notify_alerts.py, as monitoring-runner@my-project.iam.gserviceaccount.com
gcloud run jobs deploy score-monitoring-dbt \
    --image=europe-west2-docker.pkg.dev/my-project/score-monitoring/score-monitoring:abc123 \
    --region=europe-west2 \
    --project=my-project \
    --service-account=monitoring-runner@my-project.iam.gserviceaccount.com \
    --set-env-vars=SCORE_MONITORING_TARGET=bigquery,SCORE_MONITORING_BQ_PROJECT=my-project,SCORE_MONITORING_BQ_DATASET=score_monitoring,SCORE_MONITORING_BQ_LOCATION=EU,SCORE_MONITORING_BQ_METHOD=oauth \
    --command=/bin/sh \
    '--args=^|^-c|dbt deps && { dbt "$@"; status=$?; python scripts/notify_alerts.py --bigquery-project my-project --schema score_monitoring_score_monitoring; exit $status; }|dbt|build|--target|bigquery|--vars|{"labels_table": "labels", "scores_table": "scores", "source_dataset": "ml_scores", "source_project": "my-project"}' \
    --tasks=1 \
    --max-retries=1 \
    --task-timeout=3600s
