"""Load, validate and pseudonymise alumni datasets: a folder of ``people`` and ``ties`` tables, or
one file in any format of :mod:`alumni_net.io.formats` (Kumu, Polinode, Gephi, Pajek, UCINET,
nomination surveys, egocentric tables).

See ``data/README.md`` for the data dictionary; :mod:`alumni_net.io._schema` defines the columns.
"""

from __future__ import annotations

from alumni_net.io._dataset import Dataset
from alumni_net.io._identifying import identifying_columns
from alumni_net.io._load import (
    load_dataset,
    read_metadata,
    read_options,
    settings_file,
    validate_dataset,
)
from alumni_net.io._problems import describe_problems
from alumni_net.io._provenance import (
    compare_loaded_with,
    read_loaded_with,
    reuse_loaded_with,
)
from alumni_net.io._pseudonymise import (
    PERSONAL_COLUMNS,
    Pseudonymiser,
    find_person,
    resolve_key,
)
from alumni_net.io._schema import (
    COLUMNS,
    DEFAULT_KIND,
    PEOPLE_COLUMNS,
    TIE_COLUMNS,
    TIE_KINDS,
    column_type,
    schema_name,
)
from alumni_net.io._tables import DATE_ORDERS, ReadOptions
from alumni_net.io._write import (
    EXCEL_ROWS,
    TABLE_FORMATS,
    table_format_for,
    toml_text,
    write_dataset,
    write_tables,
)

__all__ = [
    "COLUMNS",
    "DATE_ORDERS",
    "DEFAULT_KIND",
    "EXCEL_ROWS",
    "PEOPLE_COLUMNS",
    "PERSONAL_COLUMNS",
    "TABLE_FORMATS",
    "TIE_COLUMNS",
    "TIE_KINDS",
    "Dataset",
    "Pseudonymiser",
    "ReadOptions",
    "column_type",
    "compare_loaded_with",
    "describe_problems",
    "find_person",
    "format_names",
    "identifying_columns",
    "load_dataset",
    "read_loaded_with",
    "read_metadata",
    "read_options",
    "resolve_key",
    "reuse_loaded_with",
    "schema_name",
    "settings_file",
    "table_format_for",
    "toml_text",
    "validate_dataset",
    "write_dataset",
    "write_tables",
]


def format_names() -> list[str]:
    """The names of the formats the package reads (``--format NAME``)."""
    from alumni_net.io.formats import FORMATS

    return list(FORMATS)
