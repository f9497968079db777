{#
    Event processing failures, or no rows when pipeline/events has not
    created its table yet.
#}
{{ config(materialized='view') }}
{% set exceptions = source('stripe_events', 'event_processing_exceptions') %}

with

source as (

    {% if relation_exists(exceptions) %}
        select * from {{ exceptions }}
    {% else %}
        select
            cast(null as varchar) as id,
            cast(null as varchar) as event_id,
            cast(null as varchar) as stage,
            cast(null as varchar) as message,
            cast(null as timestamptz) as occurred_at,
            cast(null as timestamptz) as resolved_at
        where false
    {% endif %}

),

renamed as (

    select
        {# ids #}
        id as exception_id,
        event_id,

        {# descriptive #}
        stage,
        message,

        {# booleans #}
        resolved_at is null as is_open,

        {# timestamps #}
        occurred_at,
        resolved_at

    from source

)

select * from renamed
