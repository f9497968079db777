{#
    References to objects the warehouse does not hold: one row per reference
    a `relationships` test checks (macro checked_references), its dangling
    rows counted (0 when none) with a few of the missing ids. A real account
    has them: customers deleted before the first extracted month, invoices of
    subscriptions outside the window, months not extracted.
#}
with

{% for model, column, to_model, to_column in checked_references() %}
    {{ model }}__{{ column }} as (

        select
            '{{ model }}.{{ column }} -> {{ to_model }}.{{ to_column }}' as reference,
            '{{ model }}' as model_name,
            '{{ column }}' as column_name,
            '{{ to_model }}' as referenced_model,
            '{{ to_column }}' as referenced_column,
            {{ loop.index }} as reference_order,
            count(*) as dangling_row_count,
            count(distinct referring.{{ column }}) as dangling_id_count,
            list_slice(list_sort(list_distinct(list(referring.{{ column }}))), 1, 5)
                as example_ids
        from {{ ref(model) }} as referring
        anti join {{ ref(to_model) }} as referenced
            on referring.{{ column }} = referenced.{{ to_column }}
        where referring.{{ column }} is not null

    ),

{% endfor %}

all_references as (

    {% for model, column, _, _ in checked_references() %}
        select * from {{ model }}__{{ column }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        reference,
        model_name,
        column_name,
        referenced_model,
        referenced_column,
        dangling_row_count,
        dangling_id_count,
        coalesce(example_ids, []) as example_ids,
        dangling_row_count > 0 as is_dangling
    from all_references
    order by reference_order

)

select * from final
