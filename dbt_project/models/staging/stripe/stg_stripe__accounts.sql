{{ config(unique_key='connected_account_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'accounts'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as connected_account_id,
        account as account_id,

        {# descriptive #}
        obj.type as account_type,
        obj.controller.type as controller_type,
        upper(obj.country) as country,
        lower(obj.default_currency) as default_currency,
        obj.business_type,
        obj.business_profile.name as business_name,
        obj.business_profile.mcc as merchant_category_code,
        obj.business_profile.url as business_url,
        obj.email,
        cast(obj.capabilities as varchar) as capabilities,
        obj.requirements.disabled_reason,
        coalesce(len(obj.requirements.currently_due), 0) as currently_due_count,

        {# booleans #}
        coalesce(obj.charges_enabled, false) as is_charges_enabled,
        coalesce(obj.payouts_enabled, false) as is_payouts_enabled,
        coalesce(obj.details_submitted, false) as is_details_submitted,
        coalesce(livemode, false) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
