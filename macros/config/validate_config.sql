{#
  purpose: stop compilation with an actionable message when a setting is malformed: every var,
           var monitored_models (model names, unknown keys) and every model's resolved settings,
           each error naming the var, or the model and key (monitored_models.<model>.<key>).
  args: none (reads the settings through setting())
  example: {% do score_monitoring.validate_config() %}
#}
{% macro validate_config() %}
    {%- set defaults = score_monitoring.setting_defaults() -%}
    {%- set per_model_keys = defaults.per_model.keys() | list -%}
    {%- set models = score_monitoring.setting('monitored_models') -%}
    {%- if models is not mapping -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var monitored_models must map each model_name to its settings, e.g. {churn: {label_horizon_days: 30}}; got '" ~ models ~ "'") }}
    {%- endif -%}
    {%- for model_name, model_settings in models.items() -%}
        {%- if model_name is not string or not modules.re.match("^[^'\\\\]{1,1024}$", model_name) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: monitored_models key '" ~ model_name ~ "' is not a model_name (a non-empty string without quotes or backslashes)") }}
        {%- endif -%}
        {%- if model_settings is not mapping -%}
            {{ exceptions.raise_compiler_error("score_monitoring: monitored_models." ~ model_name ~ " must be a mapping of settings, e.g. {label_horizon_days: 30}; got '" ~ model_settings ~ "'") }}
        {%- endif -%}
        {%- for key in model_settings.keys() if key not in per_model_keys -%}
            {{ exceptions.raise_compiler_error("score_monitoring: monitored_models." ~ model_name ~ " has unknown key '" ~ key ~ "'; a model can set " ~ per_model_keys | sort | join(', ')) }}
        {%- endfor -%}
    {%- endfor -%}

    {#- Per-model settings: the vars first (errors name the var), then each model's own values. -#}
    {%- for scope in ['*'] + (models.keys() | list | sort) -%}
        {%- set model_name = none if scope == '*' else scope -%}
        {%- set own = {} if scope == '*' else models[scope] -%}
        {%- set ns = namespace(origin={}) -%}
        {%- for key in per_model_keys -%}
            {%- do ns.origin.update({key: ("monitored_models." ~ scope ~ "." ~ key) if key in own else ("var " ~ key)}) -%}
        {%- endfor -%}
        {%- set modes = ['previous', 'trailing', 'fixed', 'profile'] -%}
        {%- set mode = score_monitoring.setting('drift_reference_mode', model_name) -%}
        {%- if mode not in modes -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.drift_reference_mode ~ " is '" ~ mode ~ "'; use one of " ~ modes | join(', ')) }}
        {%- endif -%}
        {%- if mode == 'profile' and not score_monitoring.reference_profile_enabled() -%}
            {{ exceptions.raise_compiler_error("score_monitoring: drift_reference_mode 'profile' (" ~ ns.origin.drift_reference_mode ~ ") needs a reference profile: set var reference_profile_model, reference_profile_path or reference_profile_table (README, \"Reference profiles\")") }}
        {%- endif -%}
        {%- set reference_start = score_monitoring.setting('drift_reference_start', model_name) -%}
        {%- set reference_end = score_monitoring.setting('drift_reference_end', model_name) -%}
        {%- set calibration_start = score_monitoring.setting('calibration_reference_start', model_name) -%}
        {%- set calibration_end = score_monitoring.setting('calibration_reference_end', model_name) -%}
        {%- for key, value in [('drift_reference_start', reference_start), ('drift_reference_end', reference_end),
            ('calibration_reference_start', calibration_start), ('calibration_reference_end', calibration_end)] if value -%}
            {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin[key] ~ " must be a date 'YYYY-MM-DD'; got '" ~ value ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- if mode == 'fixed' -%}
            {%- if not reference_start or not reference_end -%}
                {{ exceptions.raise_compiler_error("score_monitoring: drift_reference_mode 'fixed' (" ~ ns.origin.drift_reference_mode ~ ") needs drift_reference_start and drift_reference_end ('YYYY-MM-DD')" ~ (" for model " ~ scope if model_name else "")) }}
            {%- endif -%}
            {%- if (reference_start | string) > (reference_end | string) -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.drift_reference_start ~ " " ~ reference_start ~ " is after " ~ ns.origin.drift_reference_end ~ " " ~ reference_end) }}
            {%- endif -%}
        {%- endif -%}
        {%- if (calibration_start and not calibration_end) or (calibration_end and not calibration_start) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.calibration_reference_start ~ " and " ~ ns.origin.calibration_reference_end ~ " go together ('YYYY-MM-DD' both, or neither for the calibration_reference_days before the monitoring date's due cohorts)") }}
        {%- endif -%}
        {%- if calibration_start and (calibration_start | string) > (calibration_end | string) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.calibration_reference_start ~ " " ~ calibration_start ~ " is after " ~ ns.origin.calibration_reference_end ~ " " ~ calibration_end) }}
        {%- endif -%}
        {%- if score_monitoring.setting('version_aware_reference', model_name) is not boolean -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.version_aware_reference ~ " must be true or false; got '" ~ score_monitoring.setting('version_aware_reference', model_name) ~ "'") }}
        {%- endif -%}
        {%- set calibration_methods = ['bins', 'none'] -%}
        {%- if score_monitoring.setting('calibration_method', model_name) not in calibration_methods -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.calibration_method ~ " is '" ~ score_monitoring.setting('calibration_method', model_name) ~ "'; use one of " ~ calibration_methods | join(', ')) }}
        {%- endif -%}
        {%- for list_key in ['segment_columns', 'numeric_features', 'categorical_features'] -%}
            {%- set value = score_monitoring.setting(list_key, model_name) -%}
            {%- if value is string or value is mapping or value is not iterable -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin[list_key] ~ " must be a list of column names, e.g. [income_segment, region]; got '" ~ value ~ "'") }}
            {%- endif -%}
            {%- for name in value -%}
                {%- do score_monitoring.validate_identifier(name, ns.origin[list_key]) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set feature_names = ['score'] + score_monitoring.setting('numeric_features', model_name) + score_monitoring.setting('categorical_features', model_name) -%}
        {%- for name in feature_names if feature_names.count(name) > 1 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: feature '" ~ name ~ "' is listed twice (or is 'score') in " ~ ns.origin.numeric_features ~ " / " ~ ns.origin.categorical_features) }}
        {%- endfor -%}
        {#- categorical_top_k + 1 bins must stay inside seed chi_square_critical_values (1000 degrees of freedom). -#}
        {%- for int_key, minimum, maximum in [('label_horizon_days', 0, none), ('drift_reference_days', 1, none), ('min_segment_rows', 1, none), ('categorical_top_k', 1, 1000),
            ('calibration_reference_days', 1, none)] -%}
            {%- set value = score_monitoring.setting(int_key, model_name) -%}
            {%- if value is not number or value is boolean or (value | int) != value or value < minimum or (maximum is not none and value > maximum) -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin[int_key] ~ " must be an integer >= " ~ minimum ~ (" and <= " ~ maximum if maximum is not none else "") ~ "; got '" ~ value ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- for capacity_key in ['decision_capacity', 'review_capacity'] -%}
            {%- set value = score_monitoring.setting(capacity_key, model_name) -%}
            {%- if value is not none and (value is not number or value is boolean or (value | int) != value or value < 1) -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin[capacity_key] ~ " must be an integer >= 1 (rows per day), or unset; got '" ~ value ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- for money_key in ['value_per_true_positive', 'cost_per_false_positive', 'cost_per_false_negative', 'cost_per_decision', 'cost_per_review'] -%}
            {%- set value = score_monitoring.setting(money_key, model_name) -%}
            {%- if value is not number or value is boolean or value < 0 -%}
                {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin[money_key] ~ " must be a number >= 0 (money per row; a cost is given as a positive amount); got '" ~ value ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set threshold = score_monitoring.setting('decision_threshold', model_name) -%}
        {%- if threshold is not number or threshold is boolean or threshold < 0 or threshold > 1 -%}
            {{ exceptions.raise_compiler_error("score_monitoring: " ~ ns.origin.decision_threshold ~ " must be a number in [0, 1]; got '" ~ threshold ~ "'") }}
        {%- endif -%}
    {%- endfor -%}

    {#- A column is one type for every model: it is cast once, in staging. -#}
    {%- set ns_types = namespace(types={}) -%}
    {%- for scope in ['*'] + (models.keys() | list | sort) -%}
        {%- for type_key in ['numeric_features', 'categorical_features'] -%}
            {%- for name in score_monitoring.setting(type_key, none if scope == '*' else scope) -%}
                {%- set seen = ns_types.types.get(name | lower) -%}
                {%- if seen and seen[0] != type_key -%}
                    {{ exceptions.raise_compiler_error("score_monitoring: column '" ~ name ~ "' is in " ~ type_key ~ " for " ~ ("the vars" if scope == '*' else "model " ~ scope) ~ " but in " ~ seen[0] ~ " for " ~ seen[1] ~ "; a column has one type for every model") }}
                {%- endif -%}
                {%- do ns_types.types.update({name | lower: (type_key, "the vars" if scope == '*' else "model " ~ scope)}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

    {#- Global settings. -#}
    {%- for int_var, minimum in [('previous_reference_max_gap_days', 1), ('label_lookback_days', 1),
        ('zscore_history_days', 1), ('zscore_min_history', 2), ('alert_cooldown_days', 0)] -%}
        {%- set value = score_monitoring.setting(int_var) -%}
        {%- if value is not number or value is boolean or (value | int) != value or value < minimum -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ int_var ~ " must be an integer >= " ~ minimum ~ "; got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set quantile_methods = ['approx', 'exact'] -%}
    {%- set quantile_method = score_monitoring.setting('quantile_method') -%}
    {%- if quantile_method not in quantile_methods -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var quantile_method is '" ~ quantile_method ~ "'; use one of " ~ quantile_methods | join(', ') ~ " (BigQuery quantiles: APPROX_QUANTILES or exact; DuckDB is always exact)") }}
    {%- endif -%}
    {#- The alphas of seed chi_square_critical_values (scripts/generate_chi_square_table.py). -#}
    {%- set drift_alphas = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1] -%}
    {%- set drift_alpha = score_monitoring.setting('drift_alpha') -%}
    {%- if drift_alpha is not number or drift_alpha is boolean or drift_alpha not in drift_alphas -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var drift_alpha is '" ~ drift_alpha ~ "'; use one of " ~ drift_alphas | join(', ') ~ " (the significance levels of seed chi_square_critical_values)") }}
    {%- endif -%}
    {%- if score_monitoring.setting('drift_require_significance') is not boolean -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var drift_require_significance must be true or false; got '" ~ score_monitoring.setting('drift_require_significance') ~ "'") }}
    {%- endif -%}
    {%- if score_monitoring.setting('monitoring_date') -%}
        {%- do score_monitoring.date_literal(score_monitoring.setting('monitoring_date')) -%}
    {%- endif -%}
    {#- Source names reach SQL as quoted identifiers: refuse anything that could close the quotes. #}
    {%- set source_project = score_monitoring.setting('source_project') -%}
    {%- if source_project and not modules.re.match('^[A-Za-z0-9_.:-]{1,128}$', source_project | string) -%}
        {{ exceptions.raise_compiler_error("score_monitoring: var source_project '" ~ source_project ~ "' is not a plain database / GCP project name (letters, digits, _ . : -)") }}
    {%- endif -%}
    {%- for name_var, pattern in [('source_dataset', '^[A-Za-z0-9_]{1,1024}$'), ('scores_table', '^[A-Za-z0-9_-]{1,1024}$'), ('labels_table', '^[A-Za-z0-9_-]{1,1024}$'),
        ('scores_model', '^[A-Za-z0-9_]{1,1024}$'), ('labels_model', '^[A-Za-z0-9_]{1,1024}$')] -%}
        {%- set value = score_monitoring.setting(name_var) -%}
        {%- if value and not modules.re.match(pattern, value | string) -%}
            {{ exceptions.raise_compiler_error("score_monitoring: var " ~ name_var ~ " '" ~ value ~ "' is not a plain " ~ ("dbt model name" if name_var.endswith('_model') else "table or dataset name") ~ " (letters, digits, underscore" ~ (", hyphen" if name_var.endswith('_table') else "") ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
