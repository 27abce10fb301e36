-- Code 16 (strategy discussions not leading to s47) is 100 - code 15 in every
-- month with discussions, over the same denominator; both null in a month
-- with none.
with

values_ as (

    select * from {{ ref('indicator_values') }}

),

code_15_values as (
    select * from values_
    where indicator_code = 15
),

code_16_values as (
    select * from values_
    where indicator_code = 16
)

select
    code_15_values.period_end,
    code_15_values.value as code_15,
    code_16_values.value as code_16
from code_15_values
inner join code_16_values
    on code_15_values.period_end = code_16_values.period_end
where
    code_15_values.denominator <> code_16_values.denominator
    or code_15_values.numerator + code_16_values.numerator <> code_15_values.denominator
    or (code_15_values.value is null) <> (code_16_values.value is null)
    or abs(code_15_values.value + code_16_values.value - 100) > 1e-9
