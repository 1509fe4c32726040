-- Stand-in for the compiled analysis (dbt compile --target bigquery): same shape, far shorter.
with run_date_scores as (

    select * from `my-project`.`score_monitoring`.`stg_scores`
    where score_date = @run_date

)

select
    score_date,
    model_name,
    count(*) as row_count,
    case when count(*) = 0 then 'fail' else 'pass' end as monitoring_status
from run_date_scores
group by score_date, model_name
