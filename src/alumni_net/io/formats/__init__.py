"""The formats the package reads, one module each, and the registry that finds a file's format.

As in networkx's ``readwrite``: each module turns its format into the same two text tables
(:class:`~alumni_net.io.toolkit.Tables`), which :func:`alumni_net.io.load_dataset` validates,
types and pseudonymises the same way for every format. A new format is one module defining a
:class:`~alumni_net.io.formats.base.Format` and its tests; ``tests/io/test_formats_contract.py``
runs the same checks over every registered format.

A path's format is found from its ending and a cheap look at its content (``sniff``), in the
order of :data:`FORMATS`; ``format=NAME`` (``--format NAME``) forces one.
"""

from __future__ import annotations

from pathlib import Path

from alumni_net.errors import Problem, ValidationError
from alumni_net.io.formats import (
    egocentric,
    folder,
    gephi_csv,
    gexf,
    graphml,
    kumu,
    kumu_json,
    nominations,
    pajek,
    polinode,
    ucinet,
)
from alumni_net.io.formats.base import Format

__all__ = ["FORMATS", "Format", "detect"]

#: Every format, by name, in the order they are tried.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        folder.FOLDER,
        egocentric.EGOCENTRIC,
        gephi_csv.GEPHI_CSV,
        folder.WORKBOOK,
        kumu.KUMU,
        kumu_json.KUMU_JSON,
        polinode.POLINODE,
        polinode.POLINODE_SURVEY,
        gexf.GEXF,
        graphml.GRAPHML,
        pajek.PAJEK,
        ucinet.UCINET,
        nominations.NOMINATIONS,
    )
}


def detect(path: Path, forced: str | None = None) -> Format:
    """The format of ``path``: ``forced`` when given, else the first whose ending and content fit.

    Raises
    ------
    ValidationError
        One sentence when the path does not exist, the forced format is unknown, or no format
        fits (naming the formats its ending allows).
    """
    if forced is not None:
        if forced not in FORMATS:
            raise ValidationError([Problem(str(path), None, None,
                                           f"unknown format '{forced}'; the formats are "
                                           f"{', '.join(FORMATS)}")])
        return FORMATS[forced]
    if not path.exists():
        where = path.parent if path.suffix else path
        what = "file" if path.suffix else "folder"
        raise ValidationError([Problem(str(path), None, None,
                                       f"no such {what} (looked in {where.resolve()})")])
    if path.is_dir():
        fits = [f for f in FORMATS.values() if f.folder and f.sniff(path)]
        if fits:
            return fits[0]
        raise ValidationError([Problem(str(path), None, None, _folder_hint(path))])
    suffix = path.suffix.lower()
    candidates = [f for f in FORMATS.values() if suffix in f.suffixes]
    for fmt in candidates:
        if fmt.sniff(path):
            return fmt
    if candidates:
        names = ", ".join(f.name for f in candidates)
        raise ValidationError([Problem(path.name, None, None,
                                       f"is not laid out as any format its ending allows "
                                       f"({names}); see data/README.md, or name one with "
                                       "--format")])
    endings = sorted({s for f in FORMATS.values() for s in f.suffixes})
    raise ValidationError([Problem(path.name, None, None,
                                   f"is not a format the package reads (endings: "
                                   f"{', '.join(endings)}, or a dataset folder)")])


def _folder_hint(path: Path) -> str:
    files = sorted(p.name for p in path.iterdir())[:6]
    held = f" (it holds {', '.join(files)})" if files else " (it is empty)"
    return (f"is not a dataset folder: people.csv not found{held}; a dataset folder holds "
            "people and ties tables (.csv, .parquet, .xlsx, .xls or .ods), or give a single "
            "file in a supported format")
