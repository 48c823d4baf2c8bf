"""Write a notebook from a plain-text script: cells separated by lines '# %%' ('# %% [markdown]').

Notebooks are committed without outputs; keeping their source as percent-format scripts makes
them easy to review and regenerate: python tools/make_notebook.py tools/notebooks/01_x.py (writes notebooks/01_x.ipynb)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def cells_from_script(text: str) -> list:
    cells, kind, lines = [], None, []

    def flush():
        source = "\n".join(lines).strip("\n")
        if kind == "markdown":
            source = "\n".join(line[2:] if line.startswith("# ") else line.removeprefix("#")
                               for line in source.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(source))
        elif kind == "code" and source:
            cells.append(nbformat.v4.new_code_cell(source))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        cells = cells_from_script(path.read_text())
        for i, cell in enumerate(cells):
            cell.id = f"cell-{i:03d}"  # stable ids: regenerating an unchanged script changes nothing
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        out = Path(__file__).resolve().parents[1] / "notebooks" / f"{path.stem}.ipynb"
        nbformat.write(nb, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
