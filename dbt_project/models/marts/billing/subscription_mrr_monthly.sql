{#
    MRR per (month, currency, account) and its movements. Signs: new,
    expansion and reactivated are positive, contraction and churned
    negative, so mrr = starting_mrr + new + expansion + contraction
    + churned + reactivated.
#}
with

subscription_months as (

    select * from {{ ref('int_subscription_mrr_by_month') }}

),

movements as (

    select
        month,
        currency,
        account_id,
        mrr,
        previous_mrr,
        case when previous_mrr = 0 and mrr > 0 and not had_mrr_before then mrr else 0 end
            as new_mrr,
        case when previous_mrr > 0 and mrr > previous_mrr then mrr - previous_mrr else 0 end
            as expansion_mrr,
        case
            when previous_mrr > 0 and mrr > 0 and mrr < previous_mrr then mrr - previous_mrr
            else 0
        end as contraction_mrr,
        case when previous_mrr > 0 and mrr = 0 then -previous_mrr else 0 end as churned_mrr,
        case when previous_mrr = 0 and mrr > 0 and had_mrr_before then mrr else 0 end
            as reactivated_mrr
    from subscription_months

),

final as (

    select
        month,
        currency,
        account_id,
        {{ sum_minor_units('mrr') }} as mrr,
        {{ sum_minor_units('previous_mrr') }} as starting_mrr,
        {{ sum_minor_units('new_mrr') }} as new_mrr,
        {{ sum_minor_units('expansion_mrr') }} as expansion_mrr,
        {{ sum_minor_units('contraction_mrr') }} as contraction_mrr,
        {{ sum_minor_units('churned_mrr') }} as churned_mrr,
        {{ sum_minor_units('reactivated_mrr') }} as reactivated_mrr,
        count(*) filter (where mrr > 0) as subscription_count,
        count(*) filter (where new_mrr > 0) as new_subscription_count,
        count(*) filter (where churned_mrr < 0) as churned_subscription_count
    from movements
    group by month, currency, account_id

)

select * from final
