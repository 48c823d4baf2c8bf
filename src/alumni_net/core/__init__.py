"""Stage 0: the helpers every stage shares, defined once.

``checks`` (parameter checkers), ``convert`` (plain Python values), ``files`` (atomic writes,
output folders and their locks), ``formatting`` (the one number and interval format),
``markdown`` (Markdown outputs from autoescaped jinja2 templates in ``templates/``),
``privacy`` (the one suppression rule and the personal-field guards), ``publish`` (the
allow-list of what an output may publish: people columns, tie kinds, groupings, labels),
``progress`` (progress bars), ``jitcache`` (Numba's cache dropped when a kernel package's
source changes), ``rng`` (seeds normalised once, at the boundary) and ``tables`` (the one
CSV/Excel writer, cells a spreadsheet would run quoted). Nothing here imports a later stage.
"""
