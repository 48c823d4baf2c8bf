"""Sphinx configuration for the alumni_net documentation (built by ``./dev docs`` into ``site/``).

Why Sphinx, and how the pages are made, is in ``docs/README.md``. Pages are Markdown (MyST);
the API reference and the command-line reference are generated at build time by
``_ext/alumni_api.py`` from the package itself, never listed by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import alumni_net  # noqa: E402  (after the extension path, like every Sphinx conf)

project = "alumni_net"
author = "alumni_net developers"
copyright = "alumni_net developers, MIT licence"
release = alumni_net.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx_copybutton",
    "alumni_api",
]

# Markdown pages, notebooks (rendered by myst-nb) and the generated reStructuredText API pages.
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
# data/formats_registry.md is generated and included by data/formats.md: not a page of its own.
exclude_patterns = [
    "README.md", "_build", "**.ipynb_checkpoints", "data/formats_registry.md",
]
templates_path = ["_templates"]
html_static_path = ["_static"]

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
# The notebooks run in the test suite (nbmake); the site shows them without running them again
# unless `./dev docs --execute` wrote executed copies first (see _ext/alumni_api.py).
nb_execution_mode = "off"
nb_merge_streams = True

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": False}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
python_maximum_signature_line_length = 88
add_module_names = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"alumni_net {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_context = {"default_mode": "light"}
# The ~690 pages of single API objects go without the left sidebar: on each it was the whole API
# tree (~150 KB of the page's 173 KB; the site 142 MB rather than 45 MB), and rendering it was
# ~40% of the build's CPU (67 s -> 41 s). The top bar and the page's own contents stay.
html_sidebars = {"api/names/*": []}
html_show_sourcelink = False
html_css_files = ["alumni_net.css"]

# The site never fetches anything at build time (CI reaches only package registries), so no
# intersphinx inventories: names from numpy, pandas or networkx appear as plain text.
os.environ.setdefault("MPLBACKEND", "Agg")
