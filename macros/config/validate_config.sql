{#
  purpose: stop compilation with an actionable message when a contract var is malformed.
  args: none (reads the project vars)
  example: {% do score_monitoring.validate_config() %}
#}
{% macro validate_config() %}
    {%- set modes = ['previous', 'trailing', 'fixed'] -%}
    {%- set mode = var('drift_reference_mode') -%}
    {%- if mode not in modes -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var drift_reference_mode is '" ~ mode ~ "'; use one of " ~ modes | join(', ')) }}
    {%- endif -%}
    {%- if mode == 'fixed' -%}
        {%- if not var('drift_reference_start') or not var('drift_reference_end') -%}
            {{ exceptions.raise_compiler_error("score_monitoring: drift_reference_mode 'fixed' needs vars drift_reference_start and drift_reference_end ('YYYY-MM-DD')") }}
        {%- endif -%}
        {%- if (var('drift_reference_start') | string) > (var('drift_reference_end') | string) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: drift_reference_start " ~ var('drift_reference_start') ~ " is after drift_reference_end " ~ var('drift_reference_end')) }}
        {%- endif -%}
        {%- do score_monitoring.date_literal(var('drift_reference_start')) -%}
        {%- do score_monitoring.date_literal(var('drift_reference_end')) -%}
    {%- endif -%}
    {%- for list_var in ['segment_columns', 'numeric_features', 'categorical_features'] -%}
        {%- set value = var(list_var) -%}
        {%- if value is string or value is mapping or value is not iterable -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ list_var ~ " must be a list of column names, e.g. [income_segment, region]; got '" ~ value ~ "'") }}
        {%- endif -%}
        {%- for name in value -%}
            {%- do score_monitoring.validate_identifier(name, list_var) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for int_var, minimum in [('label_horizon_days', 0), ('drift_reference_days', 1), ('min_segment_rows', 1), ('categorical_top_k', 1)] -%}
        {%- set value = var(int_var) -%}
        {%- if value is not number or value is boolean or (value | int) != value or value < minimum -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ int_var ~ " must be an integer >= " ~ minimum ~ "; got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set threshold = var('decision_threshold') -%}
    {%- if threshold is not number or threshold is boolean or threshold < 0 or threshold > 1 -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var decision_threshold must be a number in [0, 1]; got '" ~ threshold ~ "'") }}
    {%- endif -%}
    {%- set quantile_methods = ['approx', 'exact'] -%}
    {%- set quantile_method = var('quantile_method', 'approx') -%}
    {%- if quantile_method not in quantile_methods -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var quantile_method is '" ~ quantile_method ~ "'; use one of " ~ quantile_methods | join(', ') ~ " (BigQuery quantiles: APPROX_QUANTILES or exact; DuckDB is always exact)") }}
    {%- endif -%}
    {%- if var('monitoring_date') -%}
        {%- do score_monitoring.date_literal(var('monitoring_date')) -%}
    {%- endif -%}
    {#- BigQuery source names reach SQL as quoted identifiers: refuse anything that could close the quotes. #}
    {%- set source_project = var('source_project', none) -%}
    {%- if source_project and not modules.re.match('^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$', source_project | string) -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var source_project '" ~ source_project ~ "' is not a GCP project id (6-30 lowercase letters, digits, hyphens)") }}
    {%- endif -%}
    {%- for name_var, pattern in [('source_dataset', '^[A-Za-z0-9_]{1,1024}$'), ('scores_table', '^[A-Za-z0-9_-]{1,1024}$'), ('labels_table', '^[A-Za-z0-9_-]{1,1024}$')] -%}
        {%- set value = var(name_var, none) -%}
        {%- if value and not modules.re.match(pattern, value | string) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ name_var ~ " '" ~ value ~ "' is not a plain BigQuery name (letters, digits, underscore" ~ (", hyphen" if name_var != 'source_dataset' else "") ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
