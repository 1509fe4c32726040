# The image the Cloud Run job runs (scripts/render_cloud_run_plan.py): dbt build on BigQuery.
# Credentials never enter the image: on Cloud Run the job's service account signs in through the
# metadata server (SCORE_MONITORING_BQ_METHOD=oauth); elsewhere a keyfile path comes from the
# SCORE_MONITORING_BQ_KEYFILE env var at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DBT_PROFILES_DIR=/app/profiles \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DO_NOT_TRACK=1

WORKDIR /app

# The lock file alone first, so the dependency layer is reused while only project files change.
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# dbt writes target/ and logs/ under /app; run as an unprivileged user that owns them.
RUN useradd --create-home --uid 10001 dbt && chown -R dbt /app
USER dbt

ENTRYPOINT ["dbt"]
CMD ["build", "--target", "bigquery"]
