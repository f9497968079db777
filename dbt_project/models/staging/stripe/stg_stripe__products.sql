{{ config(unique_key='product_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'products'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as product_id,
        account as account_id,
        {{ stripe_id('obj.default_price') }} as default_price_id,

        {# descriptive #}
        obj.name,
        obj.description,
        obj.type as product_type,
        obj.unit_label,

        {# booleans #}
        coalesce(obj.active, false) as is_active,
        coalesce(obj.livemode, livemode) as is_livemode,
        coalesce(is_deleted or obj.deleted, false) as is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.updated') }} as updated_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
