with

source as (

    {{ latest_per_id(source('stripe', 'invoices')) }}

),

parsed as (

    select
        *,
        {{ parse_payload({
            'amount_due': 'bigint',
            'amount_paid': 'bigint',
            'amount_remaining': 'bigint',
            'attempt_count': 'integer',
            'attempted': 'boolean',
            'billing_reason': 'varchar',
            'charge': 'varchar',
            'collection_method': 'varchar',
            'currency': 'varchar',
            'customer': 'varchar',
            'deleted': 'boolean',
            'due_date': 'bigint',
            'livemode': 'boolean',
            'number': 'varchar',
            'paid': 'boolean',
            'parent': {'type': 'varchar', 'subscription_details': {'subscription': 'varchar'}},
            'period_end': 'bigint',
            'period_start': 'bigint',
            'status': 'varchar',
            'status_transitions': {
                'finalized_at': 'bigint',
                'paid_at': 'bigint',
                'voided_at': 'bigint',
            },
            'subscription': 'varchar',
            'subtotal': 'bigint',
            'tax': 'bigint',
            'total': 'bigint',
            'total_excluding_tax': 'bigint',
            'total_taxes': [{'amount': 'bigint'}],
        }) }} as obj
    from source

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
        account as account_id,

        {# amounts, minor units of `currency` #}
        obj.subtotal,
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

    from parsed

)

select * from renamed
