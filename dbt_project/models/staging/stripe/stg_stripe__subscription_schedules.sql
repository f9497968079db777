{{ config(unique_key='subscription_schedule_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'subscription_schedules'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids: `subscription` while it manages one, `released_subscription` after #}
        id as subscription_schedule_id,
        {{ stripe_id('coalesce(obj.subscription, obj.released_subscription)') }}
            as subscription_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        obj.phases[1].items[1].price as first_phase_price_id,
        obj.phases[-1].items[1].price as last_phase_price_id,
        account as account_id,

        {# numerics #}
        len(coalesce(obj.phases, [])) as phase_count,

        {# descriptive #}
        obj.status,
        obj.end_behavior,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.current_phase.start_date') }} as current_phase_start_at,
        {{ stripe_timestamp('obj.current_phase.end_date') }} as current_phase_end_at,
        {{ stripe_timestamp('obj.phases[-1].end_date') }} as last_phase_end_at,
        {{ stripe_timestamp('obj.released_at') }} as released_at,
        {{ stripe_timestamp('obj.canceled_at') }} as canceled_at,
        {{ stripe_timestamp('obj.completed_at') }} as completed_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
