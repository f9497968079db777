{{ config(unique_key='customer_balance_transaction_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'customer_balance_transactions'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as customer_balance_transaction_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {{ stripe_id('obj.credit_note') }} as credit_note_id,
        {{ stripe_id('obj.invoice') }} as invoice_id,
        account as account_id,

        {# amounts, minor units of `currency` (the customer's): negative = a credit
           to the customer, positive = a debit; ending_balance is the balance after #}
        obj.amount,
        obj.ending_balance,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.type as transaction_type,
        obj.description,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps: the raw `created` is the customer's, `obj.created` the transaction's #}
        {{ stripe_timestamp('obj.created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
