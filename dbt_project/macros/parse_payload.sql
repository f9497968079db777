{#
    Parses a payload once into a typed struct with DuckDB's from_json: fields
    missing in an older API version come out null, so staging can coalesce
    today's shape with older ones. `fields` maps each JSON key to a DuckDB
    type name or to a nested mapping (a one-element list for arrays).
#}
{% macro parse_payload(fields, column='payload') -%}
    from_json({{ column }}, '{{ fields | tojson }}')
{%- endmacro %}
