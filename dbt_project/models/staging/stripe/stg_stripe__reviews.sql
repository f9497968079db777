{{ config(unique_key='review_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'reviews'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as review_id,
        {{ stripe_id('obj.charge') }} as charge_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# descriptive: why it was opened, and closed (null while open) #}
        obj.opened_reason,
        obj.closed_reason,
        obj.reason,

        {# booleans #}
        coalesce(obj.open, false) as is_open,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
