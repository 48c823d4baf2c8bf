"""Exceptions that the command line turns into one clear sentence and a non-zero exit."""

from __future__ import annotations

__all__ = ["AlumniNetError", "ClusterError", "ConfigError", "Problem", "ValidationError"]

from dataclasses import dataclass


class AlumniNetError(Exception):
    """Base class for errors caused by the user's input, not by a bug."""


class ConfigError(AlumniNetError):
    """A parameter, scenario or configuration file is invalid."""


class ClusterError(AlumniNetError):
    """The workers of a run were lost: a local worker process died, or a Dask cluster failed."""


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, located as precisely as the input allows.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it (the header is row 1),
    or None when the problem concerns the whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ValidationError(AlumniNetError):
    """The input data are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input data"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))
