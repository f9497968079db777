{#
    Payment methods are listed per customer (/v1/customers/{id}/payment_methods):
    the raw row's `created` and `month` are its customer's, the method's own
    creation is `obj.created`.
#}
{{ config(unique_key='payment_method_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'payment_methods'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as payment_method_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        account as account_id,

        {# descriptive: the method's own type, and the details of that type #}
        obj.type as payment_method_type,
        coalesce(obj.card.last4, obj.sepa_debit.last4, obj.us_bank_account.last4) as last4,
        coalesce(
            obj.card.fingerprint, obj.sepa_debit.fingerprint, obj.us_bank_account.fingerprint
        ) as fingerprint,
        obj.card.brand as card_brand,
        obj.card.funding as card_funding,
        obj.card.exp_month as card_exp_month,
        obj.card.exp_year as card_exp_year,
        coalesce(obj.card.country, obj.sepa_debit.country) as country,
        obj.us_bank_account.bank_name,
        obj.us_bank_account.account_type as bank_account_type,
        obj.billing_details.email as billing_email,
        obj.allow_redisplay,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('obj.created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
