{{ config(unique_key='invoice_id') }}
with

source as (

    {{ latest_per_id(source('stripe', 'invoices'), only=batch_ids()) }}

),

renamed as (

    select
        {# ids #}
        id as invoice_id,
        {{ stripe_id('obj.customer') }} as customer_id,
        {# today under parent.subscription_details, at top level in older versions #}
        {{ stripe_id(
            'coalesce(obj.parent.subscription_details.subscription, obj.subscription)'
        ) }} as subscription_id,
        {# older versions only; today the paying charge comes from invoice payments #}
        {{ stripe_id('obj.charge') }} as legacy_charge_id,
        obj.discounts[1] as discount_id,
        obj.total_taxes[1].tax_rate_details.tax_rate as tax_rate_id,
        account as account_id,

        {# amounts, minor units of `currency`: total = subtotal − discount_amount
           + exclusive_tax (inclusive tax is already in the line amounts) #}
        obj.subtotal,
        coalesce(obj.subtotal_excluding_tax, obj.subtotal) as subtotal_excluding_tax,
        coalesce(
            list_sum([d.amount for d in obj.total_discount_amounts]), 0
        ) as discount_amount,
        coalesce(list_sum(
            [t.amount for t in obj.total_taxes if t.tax_behavior = 'exclusive']
        ), 0) as exclusive_tax,
        coalesce(list_sum(
            [t.amount for t in obj.total_taxes if t.tax_behavior = 'inclusive']
        ), 0) as inclusive_tax,
        obj.total_excluding_tax,
        {# `tax` in older versions, the sum of `total_taxes` today #}
        coalesce(
            obj.tax,
            list_sum([t.amount for t in obj.total_taxes]),
            obj.total - obj.total_excluding_tax,
            0
        ) as tax,
        obj.total,
        obj.amount_due,
        obj.amount_paid,
        obj.amount_remaining,
        lower(obj.currency) as currency,

        {# descriptive #}
        obj.number as invoice_number,
        obj.status,
        obj.billing_reason,
        obj.collection_method,
        obj.parent.type as parent_type,
        obj.attempt_count,

        {# booleans #}
        coalesce(obj.attempted, false) as is_attempted,
        coalesce(obj.paid, obj.status = 'paid', false) as is_paid,
        coalesce(obj.livemode, livemode) as is_livemode,
        coalesce(is_deleted or obj.deleted, false) as is_deleted,

        {# timestamps #}
        {{ stripe_timestamp('created') }} as created_at,
        {{ stripe_timestamp('obj.period_start') }} as period_start_at,
        {{ stripe_timestamp('obj.period_end') }} as period_end_at,
        {{ stripe_timestamp('obj.due_date') }} as due_at,
        {{ stripe_timestamp('obj.status_transitions.finalized_at') }} as finalized_at,
        {{ stripe_timestamp('obj.status_transitions.paid_at') }} as paid_at,
        {{ stripe_timestamp('obj.status_transitions.voided_at') }} as voided_at,
        extracted_at,
        api_version

    from source

)

select * from renamed
