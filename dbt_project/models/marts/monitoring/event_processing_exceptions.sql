{# One row per event processing failure at any stage; open until a reprocess succeeds. #}
with

exceptions as (

    select * from {{ ref('stg_stripe__event_processing_exceptions') }}

),

lifecycle as (

    select * from {{ ref('stg_stripe__event_lifecycle') }}

),

final as (

    select
        exceptions.exception_id,
        exceptions.event_id,
        lifecycle.event_type,
        lifecycle.object_id,
        exceptions.stage,
        exceptions.message,
        exceptions.is_open,
        exceptions.occurred_at,
        exceptions.resolved_at
    from exceptions
    left join lifecycle
        on exceptions.event_id = lifecycle.event_id

)

select * from final
