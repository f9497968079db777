{{ config(unique_key='payout_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'payouts'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as payout_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        {{ stripe_id('obj.failure_balance_transaction') }} as failure_balance_transaction_id,
        {{ stripe_id('obj.destination') }} as destination_id,
        {{ stripe_id('obj.original_payout') }} as original_payout_id,
        {{ stripe_id('obj.reversed_by') }} as reversed_by_payout_id,
        account as account_id,

        {# amounts: paid out to the bank, positive, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.status,
        obj.method,
        obj.type as payout_type,
        obj.source_type,
        obj.description,
        obj.statement_descriptor,
        obj.reconciliation_status,
        obj.failure_code,
        obj.failure_message,

        {# booleans: Stripe itemizes only automatic payouts into transactions #}
        coalesce(obj.automatic, false) as is_automatic,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps and dates (UTC) #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.arrival_date') }} as arrival_at,
        {{ stripe_date('obj.arrival_date') }} as arrival_date,
        {{ stripe_month('obj.arrival_date') }} as arrival_month,
        extracted_at,
        api_version

    from source

)

select * from renamed
