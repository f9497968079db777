{#
    Per connected account and currency, what passed between the platform and
    it: transfers sent and reversed, application fees taken on its charges and
    refunded (minor units of `currency`, never added across currencies).
    Payouts are the account's own objects: they are known only where the
    warehouse holds that account's rows (extracted with its Stripe-Account),
    else null.
#}
with

transfers as (

    select * from {{ ref('stg_stripe__transfers') }}
    where account_id is null and destination_account_id is not null

),

reversals as (

    select * from {{ ref('transfer_reversals') }}
    where account_id is null

),

fees as (

    select * from {{ ref('stg_stripe__application_fees') }}
    where account_id is null

),

payouts as (

    select * from {{ ref('stg_stripe__payouts') }}
    where account_id is not null

),

transfer_totals as (

    select
        destination_account_id as connected_account_id,
        currency,
        count(*) as transfer_count,
        {{ sum_minor_units('amount') }} as total_transferred
    from transfers
    group by 1, 2

),

reversal_totals as (

    select
        connected_account_id,
        currency,
        count(*) as transfer_reversal_count,
        {{ sum_minor_units('amount') }} as total_reversed
    from reversals
    group by 1, 2

),

fee_totals as (

    select
        connected_account_id,
        currency,
        count(*) as application_fee_count,
        {{ sum_minor_units('amount') }} as total_application_fees,
        {{ sum_minor_units('amount_refunded') }} as total_application_fees_refunded
    from fees
    group by 1, 2

),

payout_totals as (

    select
        account_id as connected_account_id,
        currency,
        count(*) filter (where status = 'paid') as paid_payout_count,
        {{ sum_minor_units('amount', "status = 'paid'") }} as total_paid_out
    from payouts
    group by 1, 2

),

accounts_with_own_rows as (

    select distinct connected_account_id from payout_totals

),

keys as (

    select
        connected_account_id,
        currency
    from transfer_totals
    union
    select
        connected_account_id,
        currency
    from reversal_totals
    union
    select
        connected_account_id,
        currency
    from fee_totals
    union
    select
        connected_account_id,
        currency
    from payout_totals

),

final as (

    select
        keys.connected_account_id,
        keys.currency,

        coalesce(transfer_totals.transfer_count, 0) as transfer_count,
        coalesce(transfer_totals.total_transferred, 0) as total_transferred,
        coalesce(reversal_totals.transfer_reversal_count, 0) as transfer_reversal_count,
        coalesce(reversal_totals.total_reversed, 0) as total_reversed,
        coalesce(transfer_totals.total_transferred, 0)
        - coalesce(reversal_totals.total_reversed, 0) as total_transferred_net,
        coalesce(fee_totals.application_fee_count, 0) as application_fee_count,
        coalesce(fee_totals.total_application_fees, 0) as total_application_fees,
        coalesce(fee_totals.total_application_fees_refunded, 0)
            as total_application_fees_refunded,
        coalesce(fee_totals.total_application_fees, 0)
        - coalesce(fee_totals.total_application_fees_refunded, 0)
            as total_application_fees_net,
        {# null: the warehouse holds none of the account's own payouts #}
        case
            when accounts_with_own_rows.connected_account_id is not null
                then coalesce(payout_totals.paid_payout_count, 0)
        end as paid_payout_count,
        case
            when accounts_with_own_rows.connected_account_id is not null
                then coalesce(payout_totals.total_paid_out, 0)
        end as total_paid_out

    from keys
    left join transfer_totals
        on
            keys.connected_account_id = transfer_totals.connected_account_id
            and keys.currency = transfer_totals.currency
    left join reversal_totals
        on
            keys.connected_account_id = reversal_totals.connected_account_id
            and keys.currency = reversal_totals.currency
    left join fee_totals
        on
            keys.connected_account_id = fee_totals.connected_account_id
            and keys.currency = fee_totals.currency
    left join payout_totals
        on
            keys.connected_account_id = payout_totals.connected_account_id
            and keys.currency = payout_totals.currency
    left join accounts_with_own_rows
        on keys.connected_account_id = accounts_with_own_rows.connected_account_id

)

select * from final
