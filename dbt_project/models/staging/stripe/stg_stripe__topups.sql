{{ config(unique_key='topup_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'topups'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as topup_id,
        {{ stripe_id('obj.balance_transaction') }} as balance_transaction_id,
        account as account_id,

        {# amounts: added to the balance, positive, minor units of `currency` #}
        obj.amount,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.status,
        obj.description,
        obj.statement_descriptor,
        obj.failure_code,
        obj.failure_message,
        obj.transfer_group,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.expected_availability_date') }} as expected_available_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
