{#
    One row per subscription schedule: the subscription it drives, its phases
    and where it stands.
#}
with

schedules as (

    select * from {{ ref('stg_stripe__subscription_schedules') }}
    where not is_deleted

),

subscriptions as (

    select
        subscription_id,
        status as subscription_status
    from {{ ref('stg_stripe__subscriptions') }}

),

final as (

    select
        schedules.subscription_schedule_id,
        schedules.subscription_id,
        schedules.customer_id,
        schedules.account_id,
        schedules.first_phase_price_id,
        schedules.last_phase_price_id,
        schedules.phase_count,
        schedules.status,
        schedules.end_behavior,
        subscriptions.subscription_status,
        schedules.is_livemode,
        schedules.created_at,
        schedules.current_phase_start_at,
        schedules.current_phase_end_at,
        schedules.last_phase_end_at,
        schedules.released_at,
        schedules.canceled_at,
        schedules.completed_at

    from schedules
    left join subscriptions
        on schedules.subscription_id = subscriptions.subscription_id

)

select * from final
