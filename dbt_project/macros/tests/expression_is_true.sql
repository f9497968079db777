{#
    Fails with every row where `expression` is not true (null counts as a
    failure). Used at model level, or on a column (`column_name` unused).
#}
{% test expression_is_true(model, expression, column_name=None) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
