{#
    The events lifecycle table (validation verdicts, processing status), or
    no rows when pipeline/events has not created it yet.
#}
{{ config(materialized='view') }}
{% set lifecycle = source('stripe_events', 'events') %}

with

source as (

    {% if relation_exists(lifecycle) %}
        select * from {{ lifecycle }}
    {% else %}
        select
            cast(null as varchar) as id,
            cast(null as varchar) as type,
            cast(null as bigint) as created,
            cast(null as varchar) as api_version,
            cast(null as varchar) as account,
            cast(null as boolean) as livemode,
            cast(null as varchar) as source,
            cast(null as timestamptz) as received_at,
            cast(null as varchar) as object_id,
            cast(null as boolean) as valid,
            cast(null as varchar) as validation_status,
            cast(null as varchar[]) as differing_fields,
            cast(null as timestamptz) as validated_at,
            cast(null as boolean) as processed,
            cast(null as timestamptz) as processed_at,
            cast(null as varchar) as status
        where false
    {% endif %}

),

renamed as (

    select
        {# ids #}
        id as event_id,
        object_id,
        account as account_id,

        {# descriptive #}
        type as event_type,
        source as received_from,
        status,
        validation_status,
        differing_fields,
        api_version as event_api_version,

        {# booleans #}
        valid as is_valid,
        coalesce(processed, false) as is_processed,
        livemode as is_livemode,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        received_at,
        validated_at,
        processed_at

    from source

)

select * from renamed
