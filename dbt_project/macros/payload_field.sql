{#
    The one fallback to the JSON payload. Staging reads the typed column `obj`
    (the catalogue's typed fields, parsed once at load by pipeline/raw); a
    field the catalogue does not type is read from the payload here, by its
    JSON path and DuckDB type, with `from_json`'s rules (so it reads like an
    `obj` field): `payload_field('$.outcome.seller_message', 'varchar')`.
    It parses the payload on every build: a field read for good belongs in
    `pipeline/catalog/typed_fields.py` instead (the next load derives it for every row).
#}
{% macro payload_field(path, type, column='payload') -%}
    from_json(json_extract({{ column }}, '{{ path }}'), '"{{ type }}"')
{%- endmacro %}
