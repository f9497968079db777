{#
    One row per connected account of the platform: its type, country,
    default (settlement) currency, capabilities and whether it can take
    charges and receive payouts.
#}
with

accounts as (

    select * from {{ ref('stg_stripe__accounts') }}
    where account_id is null and not is_deleted

),

final as (

    select
        connected_account_id,
        account_type,
        controller_type,
        country,
        default_currency,
        business_type,
        business_name,
        email,
        capabilities,
        disabled_reason,
        currently_due_count,
        is_charges_enabled,
        is_payouts_enabled,
        is_details_submitted,
        created_at
    from accounts

)

select * from final
