{#
    Each balance snapshot per currency: Stripe's `available`, `pending` and
    `connect_reserved` funds, minor units of `currency`. No rows when no
    snapshot was ever taken (a warehouse older than the balance reports).
#}
{{ config(materialized='view') }}
{% set snapshots = source('balance', 'balance_snapshots') %}

with

source as (

    {% if relation_exists(snapshots) %}
        select * from {{ snapshots }}
    {% else %}
        select
            cast(null as varchar) as snapshot_id,
            cast(null as timestamptz) as taken_at,
            cast(null as timestamptz) as extracted_at,
            cast(null as varchar) as account,
            cast(null as boolean) as livemode,
            cast(null as varchar) as api_version,
            cast(null as varchar) as payload
        where false
    {% endif %}

),

funds as (

    {% for kind in ['available', 'pending', 'connect_reserved'] %}
        select
            source.snapshot_id,
            '{{ kind }}' as kind,
            lower(fund ->> 'currency') as currency,
            cast(fund ->> 'amount' as bigint) as amount
        from source,
            unnest(
                coalesce(
                    cast(json_extract(source.payload, '$.{{ kind }}') as json[]), []
                )
            ) as funds (fund)
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

per_currency as (

    select
        snapshot_id,
        currency,
        coalesce(sum(amount) filter (where kind = 'available'), 0) as available,
        coalesce(sum(amount) filter (where kind = 'pending'), 0) as pending,
        coalesce(sum(amount) filter (where kind = 'connect_reserved'), 0) as connect_reserved
    from funds
    group by snapshot_id, currency

),

renamed as (

    select
        {# ids #}
        source.snapshot_id,
        source.account as account_id,
        per_currency.currency,

        {# amounts, minor units of `currency` #}
        per_currency.available,
        per_currency.pending,
        per_currency.connect_reserved,

        {# booleans #}
        source.livemode as is_livemode,

        {# timestamps #}
        source.taken_at,
        source.extracted_at

    from source
    inner join per_currency on source.snapshot_id = per_currency.snapshot_id

)

select * from renamed
