{{ config(unique_key='dispute_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'disputes'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as dispute_id,
        {{ stripe_id('obj.charge') }} as charge_id,
        {{ stripe_id('obj.payment_intent') }} as payment_intent_id,
        account as account_id,

        {# amounts: disputed, positive, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,
        len(coalesce(obj.balance_transactions, [])) as balance_transaction_count,

        {# descriptive #}
        obj.status,
        obj.reason,

        {# booleans #}
        coalesce(obj.is_charge_refundable, false) as is_charge_refundable,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.evidence_details.due_by') }} as evidence_due_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
