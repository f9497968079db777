{{ config(unique_key='customer_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'customers'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as customer_id,
        account as account_id,
        {{ stripe_id('obj.default_source') }} as default_source_id,
        {{ stripe_id('obj.invoice_settings.default_payment_method') }}
            as default_payment_method_id,

        {# descriptive #}
        obj.email,
        obj.name,
        obj.description,
        obj.phone,
        lower(obj.currency) as currency,
        {# the default source's card, when extracted expanded #}
        json_extract_string(obj.default_source, '$.object') as default_source_object,
        lower(json_extract_string(obj.default_source, '$.brand')) as default_card_brand,
        json_extract_string(obj.default_source, '$.last4') as default_card_last4,
        json_extract_string(obj.default_source, '$.fingerprint') as default_card_fingerprint,
        cast(json_extract(obj.default_source, '$.exp_month') as integer)
            as default_card_exp_month,
        cast(json_extract(obj.default_source, '$.exp_year') as integer)
            as default_card_exp_year,

        {# booleans #}
        coalesce(obj.delinquent, false) as is_delinquent,
        coalesce(obj.livemode, livemode) as is_livemode,
        coalesce(is_deleted or obj.deleted, false) as is_deleted,
        {# never seen but as Stripe's deleted stub, retrieved because others refer to it #}
        coalesce(source = 'retrieve' and obj.deleted, false) as is_retrieved_as_deleted,
        {# purged: deleted, and all we still hold is Stripe's `{id, object, deleted}` stub #}
        coalesce(obj.deleted, false) and obj.created is null as is_purged,

        {# timestamps: a stub has no `created`; the raw row keeps the last one seen (a
           retrieved stub's raw `created` is only its first referrer's: unknown here) #}
        case
            when coalesce(source, '') != 'retrieve'
                then {{ stripe_timestamp('coalesce(obj.created, created)') }}
        end as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
