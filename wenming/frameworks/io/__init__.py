"""Import, export and comparison of evaluation systems.

Every importer (YAML, Excel) builds a `FrameworkSpec`; `spec.validate` checks it and
`spec.save` writes it in one transaction. Exporters read a `FrameworkSpec` from the
database with `spec.from_framework`, so export → import round-trips by construction.
"""
