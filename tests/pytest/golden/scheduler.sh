#!/usr/bin/env bash
# Cloud Scheduler plan for score-monitoring in my-project (europe-west2, Europe/London)
# Rendered by scripts/render_scheduler_plan.py; review it, then run it from the directory it was
# rendered in (its paths are relative to it) with a gcloud login that may administer the project. It
# holds no credentials: the jobs it sets up run as their service accounts, and the caller's own login
# comes from gcloud, not from this file. Create steps other than `bq mk --force` are not idempotent:
# re-running stops at the first resource that already exists.
#
# Parameters:
#   project: my-project
#   region: europe-west2
#   time_zone: Europe/London
#   scoring_job: score-models
#   scoring_schedule: 0 6 * * *
#   monitoring_job: score-monitoring-dbt
#   monitoring_schedule: 30 6 * * *
#   scheduler_service_account: scheduler@my-project.iam.gserviceaccount.com
#   billing_account: 012345-6789AB-CDEF01
#   budget_amount: 100GBP
set -euo pipefail

# 1. Enable the APIs this plan uses
gcloud services enable cloudscheduler.googleapis.com run.googleapis.com logging.googleapis.com monitoring.googleapis.com billingbudgets.googleapis.com \
    --project=my-project

# 2. Let scheduler@my-project.iam.gserviceaccount.com run job score-models (roles/run.invoker on that job only)
gcloud run jobs add-iam-policy-binding score-models \
    --region=europe-west2 \
    --member=serviceAccount:scheduler@my-project.iam.gserviceaccount.com \
    --role=roles/run.invoker \
    --project=my-project

# 3. Let scheduler@my-project.iam.gserviceaccount.com run job score-monitoring-dbt (roles/run.invoker on that job only)
gcloud run jobs add-iam-policy-binding score-monitoring-dbt \
    --region=europe-west2 \
    --member=serviceAccount:scheduler@my-project.iam.gserviceaccount.com \
    --role=roles/run.invoker \
    --project=my-project

# 4. Trigger score-models at '0 6 * * *' (Europe/London)
gcloud scheduler jobs create http score-models-daily \
    --location=europe-west2 \
    '--schedule=0 6 * * *' \
    --time-zone=Europe/London \
    --uri=https://europe-west2-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/my-project/jobs/score-models:run \
    --http-method=POST \
    --oauth-service-account-email=scheduler@my-project.iam.gserviceaccount.com \
    '--description=Daily scoring run of score-models' \
    --project=my-project

# 5. Trigger score-monitoring-dbt at '30 6 * * *' (Europe/London)
gcloud scheduler jobs create http score-monitoring-dbt-daily \
    --location=europe-west2 \
    '--schedule=30 6 * * *' \
    --time-zone=Europe/London \
    --uri=https://europe-west2-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/my-project/jobs/score-monitoring-dbt:run \
    --http-method=POST \
    --oauth-service-account-email=scheduler@my-project.iam.gserviceaccount.com \
    '--description=Daily monitoring run of score-monitoring-dbt' \
    --project=my-project

# 6. Count failed-job log entries in a log-based metric
gcloud logging metrics create score-monitoring-job-failures \
    '--description=score-monitoring Cloud Run job errors' \
    '--log-filter=resource.type="cloud_run_job" AND severity>=ERROR AND resource.labels.job_name=("score-models" OR "score-monitoring-dbt")' \
    --project=my-project

# 7. Alert when the failure metric is above zero
gcloud monitoring policies create \
    '--policy={"displayName": "score-monitoring: Cloud Run job failed", "combiner": "OR", "conditions": [{"displayName": "Cloud Run job logged an error", "conditionThreshold": {"filter": "metric.type=\"logging.googleapis.com/user/score-monitoring-job-failures\" AND resource.type=\"cloud_run_job\"", "comparison": "COMPARISON_GT", "thresholdValue": 0, "duration": "0s", "aggregations": [{"alignmentPeriod": "300s", "perSeriesAligner": "ALIGN_SUM"}]}}], "notificationChannels": ["projects/my-project/notificationChannels/123"], "documentation": {"content": "A score-monitoring job failed. Logs: filter `resource.type=\"cloud_run_job\" AND severity>=ERROR AND resource.labels.job_name=(\"score-models\" OR \"score-monitoring-dbt\")` in project my-project.", "mimeType": "text/markdown"}}' \
    --project=my-project

# 8. Budget of 100GBP on my-project, alerting at 50% and 90%
gcloud billing budgets create \
    --billing-account=012345-6789AB-CDEF01 \
    '--display-name=score-monitoring my-project' \
    --budget-amount=100GBP \
    --threshold-rule=percent=0.5 \
    --threshold-rule=percent=0.9 \
    --filter-projects=projects/my-project
