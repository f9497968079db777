{#
    The origin's `Transfer.during(year, month)`: the payouts that arrived in a
    UTC month, with their summaries.
        dbt compile --select transfers_during --vars '{year: 2024, month: 3}'
#}
select *
from {{ ref('transfers') }}
where arrival_month = printf('%04d-%02d', {{ var('year', 2024) }}, {{ var('month', 3) }})
order by arrival_at, payout_id
