-- Every entry of the indicator registry has exactly one row of wording (seed
-- indicator_wording) and every wording row an entry: reference.indicator_catalogue
-- joins the two, so a code missing from either would drop out of the report.
-- Returns the codes found on one side only.

with

registry as (

    {%- for indicator in indicator_registry() %}
    {% if not loop.first %}
    union all
    {% endif %}select {{ indicator.code }} as indicator_code
    {%- endfor %}

),

wording as (

    select indicator_code from {{ ref('indicator_wording') }}

)

select coalesce(registry.indicator_code, wording.indicator_code) as indicator_code
from registry
full outer join wording
    on registry.indicator_code = wording.indicator_code
where registry.indicator_code is null or wording.indicator_code is null
