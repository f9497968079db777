{{ config(unique_key='event_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'events'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as event_id,
        obj.data.object.id as object_id,
        obj.request.id as request_id,
        coalesce(obj.account, account) as account_id,

        {# descriptive #}
        obj.type as event_type,
        obj.data.object.object as object_type,
        obj.api_version as event_api_version,
        obj.pending_webhooks,
        obj.data.previous_attributes is not null as has_previous_attributes,

        {# booleans #}
        coalesce(obj.livemode, livemode) as is_livemode,
        is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
