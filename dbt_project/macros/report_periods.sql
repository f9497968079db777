{#
    The four grains of the report marts, UTC: day, ISO week (from Monday),
    month and quarter. `report_period_grains()` is a select of one row per
    grain (`period_grain`, `period_length`); `report_period_end(grain, start)`
    is the first date after the period starting at `start`.
#}
{% macro report_period_grains() -%}
    select
        unnest(['day', 'week', 'month', 'quarter']) as period_grain,
        unnest([interval 1 day, interval 7 day, interval 1 month, interval 3 month])
            as period_length
{%- endmacro %}

{% macro report_period_end(grain, start) -%}
    cast(
        {{ start }} + case {{ grain }}
            when 'day' then interval 1 day
            when 'week' then interval 7 day
            when 'month' then interval 1 month
            when 'quarter' then interval 3 month
        end as date
    )
{%- endmacro %}
