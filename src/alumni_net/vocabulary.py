"""The package's shared words, defined once: engines, the influence direction, the privacy cut-off.

Every module that needs one of these concepts imports it from here, so a word means one thing
across the package (for example ``threshold`` is only ever the model's adoption threshold; the
privacy cut-off for small counts is ``min_count``).

Examples
--------
>>> ENGINES
('fast', 'reference')
>>> check_influence("both")
'both'
>>> DEFAULT_MIN_COUNT
10
"""

from __future__ import annotations

from typing import Literal, cast

from alumni_net.errors import ConfigError

__all__ = [
    "DEFAULT_INFLUENCE",
    "DEFAULT_MIN_COUNT",
    "ENGINES",
    "INFLUENCE_DIRECTIONS",
    "Influence",
    "check_influence",
]

#: The contagion model's engines: ``"fast"`` (arrays, everyone updated at once) and
#: ``"reference"`` (one Mesa agent at a time: readable, the oracle the fast engine is tested on).
ENGINES = ("fast", "reference")

#: Direction influence travels on directed (nomination) ties. Nomination data say "source named
#: target": advice and influence then travel from the person named to the person who named them
#: (``"target_to_source"``, the default); ``"source_to_target"`` follows the arrows and
#: ``"both"`` ignores direction. Undirected data are the same under all three.
Influence = Literal["target_to_source", "source_to_target", "both"]
INFLUENCE_DIRECTIONS: tuple[str, ...] = ("target_to_source", "source_to_target", "both")
DEFAULT_INFLUENCE: Influence = "target_to_source"

#: Privacy cut-off: counts of people from 1 to ``DEFAULT_MIN_COUNT - 1`` are suppressed in
#: published tables and maps (0 and ``DEFAULT_MIN_COUNT`` upwards are shown).
DEFAULT_MIN_COUNT = 10


def check_influence(influence: object) -> Influence:
    """``influence`` as a known direction; :class:`~alumni_net.errors.ConfigError` otherwise.

    Examples
    --------
    >>> check_influence("both")
    'both'
    """
    if influence not in INFLUENCE_DIRECTIONS:
        raise ConfigError(
            f"influence must be one of {', '.join(INFLUENCE_DIRECTIONS)}, not {influence!r}")
    return cast(Influence, influence)
