"""Answers as respondents type them, read into values; a problem (file, row, column) otherwise."""

from __future__ import annotations

import re

from alumni_net.errors import Problem

__all__ = ["Cell", "normalise", "parse_answer", "split_choices"]

_YES = {"yes", "y", "true", "1", "ja", "oui"}
_NO = {"no", "n", "false", "0"}
_UNKNOWN = {"don't know", "dont know", "do not know", "don’t know", "unknown", "not sure", "dk",
            "n/a", "na"}
_WHOLE = re.compile(r"^\d+(\.0+)?$")


class Cell:
    """Where an answer sits, for the problem sentence: file, spreadsheet row, column."""

    __slots__ = ("column", "file", "problems", "row")

    def __init__(self, file: str, row: int, column: str, problems: list[Problem]):
        self.file, self.row, self.column, self.problems = file, row, column, problems

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.file, self.row, self.column, message))


def normalise(text: str) -> str:
    """Case, spaces and dashes set aside, so 'Social care' matches 'social_care'.

    Examples
    --------
    >>> normalise("  Social-care ")
    'social_care'
    """
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


def split_choices(text: str) -> list[str]:
    """A multiple-choice answer as a list: ';' separates (Microsoft Forms), else ','.

    Examples
    --------
    >>> split_choices("A. Smith;B. Jones;")
    ['A. Smith', 'B. Jones']
    >>> split_choices("a01, a02")
    ['a01', 'a02']
    """
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep) if part.strip()]


def parse_answer(text: str, answer: str, cell: Cell, options: tuple[str, ...] = ()):
    """The value of one answer (None when empty or "don't know"); a problem when unreadable."""
    text = str(text).strip()
    if not text:
        return None
    low = text.lower()
    if answer == "choice":
        wanted = {normalise(o): o for o in options}
        if normalise(text) in wanted:
            return wanted[normalise(text)]
        if low in _UNKNOWN:
            return None
        cell.problem(f"'{text}' is not one of the options ({', '.join(options)})")
        return None
    if answer in ("yes_no", "yes_no_unknown"):
        if low in _YES:
            return True
        if low in _NO:
            return False
        if answer == "yes_no_unknown" and low in _UNKNOWN:
            return None
        allowed = "yes or no" + (" (or don't know)" if answer == "yes_no_unknown" else "")
        cell.problem(f"'{text}' is not an answer to this question: write {allowed}")
        return None
    if answer == "count":
        if _WHOLE.match(low.replace(",", "")):
            return int(float(low.replace(",", "")))
        cell.problem(f"'{text}' is not a number: write a whole number such as 20")
        return None
    if answer == "scale":
        if _WHOLE.match(low) and 1 <= int(float(low)) <= 10:
            return int(float(low))
        cell.problem(f"'{text}' is not a rating: write a whole number from 1 to 10")
        return None
    if answer == "year":
        if _WHOLE.match(low) and 1900 <= int(float(low)) <= 2100:
            return int(float(low))
        cell.problem(f"'{text}' is not a year: write a year such as 2021")
        return None
    return text
