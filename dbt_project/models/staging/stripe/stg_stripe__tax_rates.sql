{{ config(unique_key='tax_rate_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'tax_rates'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as tax_rate_id,
        account as account_id,

        {# numerics: percent out of 100 #}
        obj.percentage,

        {# descriptive #}
        obj.display_name,
        obj.description,
        obj.tax_type,
        obj.country,
        obj.state,
        obj.jurisdiction,

        {# booleans: inclusive rates are already in the line amounts #}
        coalesce(obj.inclusive, false) as is_inclusive,
        coalesce(obj.active, false) as is_active,
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
