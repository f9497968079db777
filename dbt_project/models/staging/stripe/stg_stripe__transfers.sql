{{ config(unique_key='transfer_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'transfers'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as transfer_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.destination') }} as destination_account_id,
        {{ stripe_id('obj.destination_payment') }} as destination_payment_id,
        {{ stripe_id('obj.source_transaction') }} as source_transaction_id,
        account as account_id,

        {# amounts: sent and reversed, positive, minor units of `currency` #}
        obj.amount,
        coalesce(obj.amount_reversed, 0) as amount_reversed,
        lower(obj.currency) as currency,
        coalesce(obj.reversals.data, []) as reversals,

        {# descriptive #}
        obj.description,
        obj.source_type,
        obj.transfer_group,

        {# booleans #}
        coalesce(obj.reversed, false) as is_reversed,
        coalesce(obj.reversals.has_more, false) as has_more_reversals,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
