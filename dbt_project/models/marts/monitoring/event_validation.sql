{# One row per event: its validation verdict against Stripe and processing status. #}
with

lifecycle as (

    select * from {{ ref('stg_stripe__event_lifecycle') }}

),

exceptions as (

    select * from {{ ref('stg_stripe__event_processing_exceptions') }}

),

open_exceptions as (

    select
        event_id,
        count(*) as open_exception_count
    from exceptions
    where is_open
    group by event_id

),

final as (

    select
        lifecycle.event_id,
        lifecycle.object_id,
        lifecycle.account_id,
        lifecycle.event_type,
        lifecycle.received_from,
        lifecycle.status,
        lifecycle.validation_status,
        lifecycle.differing_fields,
        lifecycle.is_valid,
        lifecycle.is_processed,
        coalesce(open_exceptions.open_exception_count, 0) as open_exception_count,
        lifecycle.created_at,
        lifecycle.received_at,
        lifecycle.validated_at,
        lifecycle.processed_at,
        {{ stripe_month('epoch(lifecycle.created_at)') }} as created_month
    from lifecycle
    left join open_exceptions
        on lifecycle.event_id = open_exceptions.event_id

)

select * from final
