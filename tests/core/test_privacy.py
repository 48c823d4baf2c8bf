"""Small-count suppression, personal fields and image metadata."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from alumni_net.core.privacy import (  # noqa: E402
    figure_metadata,
    format_count,
    is_small,
    looks_personal,
    suppress_small,
    without_personal_attributes,
)


def test_suppression_applies_at_the_min_count_exactly():
    table = pd.DataFrame({"group": list("abcde"), "n": [0, 1, 9, 10, 11], "share": [0.1] * 5})
    out = suppress_small(table, ["n"], label=True)
    assert out["n"].tolist() == ["0", "<10", "<10", "10", "11"]
    assert out["share"].tolist() == [0.1] * 5  # other columns untouched
    assert table["n"].tolist() == [0, 1, 9, 10, 11]  # the input is not modified


def test_min_count_is_configurable_and_checked():
    table = pd.DataFrame({"n": [4, 5, 1234]})
    suppressed = suppress_small(table, ["n"], min_count=5, label=True)
    assert suppressed["n"].tolist() == ["<5", "5", "1234"]
    with pytest.raises(ValueError, match="at least 1"):
        suppress_small(table, ["n"], min_count=0)
    with pytest.raises(KeyError, match="people"):
        suppress_small(table, ["people"])


def test_format_count():
    assert [format_count(n) for n in (0, 3, 10, 2500, 12.5)] == ["0", "<10", "10", "2,500", "12.5"]
    assert format_count(None) == "n/a" and not is_small(float("nan"))


def test_personal_fields_by_name_and_by_value():
    assert looks_personal("Full Name") and looks_personal("e-mail") and looks_personal("EMAIL")
    assert not looks_personal("sector") and not looks_personal("organisation", ["ORG1"])
    assert looks_personal("contact", ["x", "ada@example.org"])


def test_without_personal_attributes_keeps_everything_else():
    G = nx.Graph(name="programme")
    G.add_node(1, name="Ada Lovelace", email="ada@example.org", sector="health")
    G.add_node(2, note="grace@example.org", sector="voluntary")
    G.add_edge(1, 2, kinds=("cohort",), contact_email="ada@example.org")
    H = without_personal_attributes(G)
    assert dict(H.nodes(data=True)) == {1: {"sector": "health"}, 2: {"sector": "voluntary"}}
    assert H.edges[1, 2] == {"kinds": ("cohort",)}
    assert H.graph == {"name": "programme"}
    assert G.nodes[1]["name"] == "Ada Lovelace"  # the original is not modified


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_saved_images_carry_no_software_or_dates(fmt):
    fig = Figure()
    fig.add_subplot().plot([0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=figure_metadata(fmt))
    data = buf.getvalue().lower()
    assert b"matplotlib version" not in data and b"matplotlib.org" not in data
    assert b"creationdate" not in data and b"<dc:date>" not in data
    if fmt == "png":
        with Image.open(io.BytesIO(buf.getvalue())) as im:
            assert im.info.get("Software") is None


def test_running_totals_never_give_a_withheld_count_back():
    """Issue 19 red team: curves blanked small new counts but showed the running totals beside
    them, so each withheld count was the difference of two totals shown."""
    import numpy as np

    from alumni_net.core.privacy import suppress_running_counts

    rng = np.random.default_rng(19)
    for _ in range(500):
        counts = rng.choice([0, 0, 1, 2, 3, 5, 9, 10, 12, 30], size=rng.integers(1, 15))
        hide_new, hide_total = suppress_running_counts(counts, 10)
        total = np.cumsum(counts)
        assert not any(is_small(c) for c in counts[~hide_new])  # nothing small is shown
        # Between two totals shown (0 before the first period), what is withheld adds to 0 or
        # to at least 10: neither a count nor a sum of them below 10 can be worked out.
        shown = [-1, *np.flatnonzero(~hide_total)]
        for a, b in zip(shown, shown[1:], strict=False):
            withheld = counts[a + 1:b + 1][hide_new[a + 1:b + 1]].sum()
            assert withheld == 0 or withheld >= 10, (counts, hide_new, hide_total)
        # The final total (everyone who adopted) is shown unless it is itself small.
        assert hide_total[-1] == is_small(total[-1])
        if not hide_total[-1]:
            tail = counts[shown[-2] + 1:][hide_new[shown[-2] + 1:]].sum() if len(shown) > 1 else 0
            assert tail == 0 or tail >= 10


def test_group_totals_published_with_their_sum_give_no_small_count_back():
    """Curves by group beside the whole population's curve: a group's withheld total would be
    the sum less the other groups, so totals are shown only where every group rose enough."""
    import numpy as np

    from alumni_net.core.privacy import suppress_running_totals_jointly

    rng = np.random.default_rng(7)
    for _ in range(300):
        counts = rng.choice([0, 0, 0, 1, 2, 4, 10, 15], size=(rng.integers(1, 5),
                                                               rng.integers(1, 12)))
        hide = suppress_running_totals_jointly(counts, 10)
        assert (hide == hide[0]).all()  # a period is shown for every group or for none
        total = np.cumsum(counts, axis=1)
        previous = np.zeros(len(counts))
        for t in np.flatnonzero(~hide[0]):
            rise = total[:, t] - previous
            assert ((rise == 0) | (rise >= 10)).all() and not any(map(is_small, total[:, t]))
            previous = total[:, t]
        # Everyone's final total is shown unless one of them is itself small.
        assert hide[0, -1] == any(is_small(v) for v in total[:, -1])
