{{ config(unique_key='application_fee_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'application_fees'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as application_fee_id,
        {{ stripe_id('obj.account') }} as connected_account_id,
        {{ stripe_id('obj.application') }} as application_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.charge') }} as charge_id,
        {{ stripe_id('obj.originating_transaction') }} as originating_transaction_id,
        account as account_id,

        {# amounts: taken and refunded, positive, minor units of `currency` #}
        obj.amount,
        coalesce(obj.amount_refunded, 0) as amount_refunded,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.fee_source.type as fee_source_type,

        {# booleans #}
        coalesce(obj.refunded, false) as is_refunded,
        coalesce(obj.refunds.has_more, false) as has_more_refunds,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
