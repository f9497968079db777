{#
    Models land in the schema they name (`staging`, `marts`, …), not in
    `<target schema>_<name>`: the architecture promises `staging.stg_stripe__*`
    and `marts.*`.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
