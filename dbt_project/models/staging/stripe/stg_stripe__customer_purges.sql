{#
    Purged customers, or no rows when the purge register has not been
    copied into the warehouse (a build outside Dagster, before any purge).
#}
{{ config(materialized='view') }}
{% set purges = source('purges', 'customer_purges') %}

with

source as (

    {% if relation_exists(purges) %}
        select * from {{ purges }}
    {% else %}
        select
            cast(null as varchar) as customer_id,
            cast(null as timestamptz) as purged_at
        where false
    {% endif %}

),

renamed as (

    select
        {# ids #}
        customer_id,

        {# timestamps #}
        min(purged_at) as purged_at

    from source
    group by customer_id

)

select * from renamed
