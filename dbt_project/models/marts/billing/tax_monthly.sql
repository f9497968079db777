{#
    Invoice line taxes by UTC month of the invoice's creation, per currency and
    tax rate (and account): what was taxed and the tax. Finalized invoices only
    (open, paid, uncollectible); drafts and void invoices owe no tax.
#}
with

lines as (

    select * from {{ ref('invoice_line_items') }}
    where tax_rate_id is not null
        and invoice_status in ('open', 'paid', 'uncollectible')

),

tax_rates as (

    select * from {{ ref('stg_stripe__tax_rates') }}

),

final as (

    select
        {{ stripe_month('epoch(lines.invoice_created_at)') }} as month,
        lines.currency,
        lines.tax_rate_id,
        lines.account_id,
        any_value(tax_rates.display_name) as tax_rate_name,
        any_value(tax_rates.jurisdiction) as jurisdiction,
        any_value(tax_rates.percentage) as percentage,
        coalesce(bool_or(tax_rates.is_inclusive), false) as is_inclusive,

        count(*) as line_count,
        count(distinct lines.invoice_id) as invoice_count,
        {# minor units of `currency` #}
        {{ sum_minor_units('lines.amount - lines.discount_amount') }} as total_discounted_amount,
        {{ sum_minor_units('lines.exclusive_tax') }} as total_exclusive_tax,
        {{ sum_minor_units('lines.inclusive_tax') }} as total_inclusive_tax,
        {{ sum_minor_units('lines.exclusive_tax + lines.inclusive_tax') }} as total_tax

    from lines
    left join tax_rates
        on lines.tax_rate_id = tax_rates.tax_rate_id
    group by all

)

select * from final
