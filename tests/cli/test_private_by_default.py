"""Private by default: every command, run on data with names and emails, writes neither anywhere.

The dataset below has a name, an email, a staff number, a line manager and notes naming a third
person for each person, tie kinds naming people, and a dataset name holding an email. Every
command in the CLI registry runs on it (or, for commands that make their own data, beside it),
and every file written is searched, case-insensitively, as raw bytes and inside what the bytes
hide: PDF streams, images embedded in HTML, and image metadata (PNG text chunks, GIF comments).
"""

from __future__ import annotations

import base64
import io
import re
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from tests.helpers import generic_invocation  # noqa: E402

from alumni_net.cli import COMMANDS, main  # noqa: E402
from alumni_net.synth import synthesize  # noqa: E402

FIRST = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Tim")
# How each command is run; "{data}" is the named dataset, "{out}" a folder for the results.
INVOCATIONS: dict[str, list[list[str]]] = {
    "synth": [["synth", "--out", "{out}/synth", "--people", "3000", "--cohorts", "4"]],
    "validate": [["validate", "{data}"]],
    "analyze": [["analyze", "{data}", "--out", "{out}/results"]],
    "simulate": [
        [
            "simulate",
            "{data}",
            "--replicates",
            "2",
            "--horizon",
            "12",
            "--seed",
            "1",
            "--workers",
            "1",
            "--out",
            "{out}/results",
        ]
    ],
    "map": [
        ["map", "{data}", "--out", "{out}/maps/network.svg", "--labels", "--color-by", "sector"],
        ["map", "{data}", "--out", "{out}/maps/sectors.pdf", "--aggregate", "--color-by", "sector"],
        ["map", "{data}", "--out", "{out}/maps/ego.pdf", "--ego", "{first_id}", "--labels"],
        ["map", "{data}", "--out", "{out}/maps/growth.gif", "--growth"],
    ],
    "export": [["export", "{data}", "--out", "{out}/export"]],
    "diffusion": [["diffusion", "{data}", "--out", "{out}/diffusion", "--replicates", "20"]],
    "calibrate": [["calibrate", "{data}", "--out", "{out}/calibrate", "--model", "simple",
                   "--particles", "30", "--generations", "2", "--workers", "1"]],
    "report": [["report", "{out}/results", "--data", "{data}"]],
    "demo": [
        [
            "demo",
            "--out",
            "{out}/demo",
            "--people",
            "1000",
            "--cohorts",
            "2",
            "--replicates",
            "2",
            "--workers",
            "1",
        ]
    ],
}
# Run order: results first, the report last (it reads them).
ORDER = ("synth", "validate", "analyze", "simulate", "calibrate", "diffusion", "map", "export",
         "demo", "report")
NOT_RUN = {"dashboard": "starts a web server", "scenarios": "needs a scenario file",
           # read survey answers and a roster, not a dataset; their own privacy tests are
           # tests/survey/test_import.py and tests/pipelines/test_workforce.py
           "survey": "reads survey answers and a roster",
           "workforce": "reads a survey dataset"}


@pytest.fixture(scope="module")
def named_data(tmp_path_factory) -> tuple[Path, list[str]]:
    """A synthetic programme whose people.csv also has a name and an email for everyone."""
    folder = tmp_path_factory.mktemp("named")
    synthesize(folder, n_people=600, n_cohorts=1, seed=5, overwrite=True)
    people = pd.read_csv(folder / "people.csv", dtype=str)
    n = len(people)
    people.insert(1, "name", [f"{FIRST[i % len(FIRST)]} Quillfeather{i:04d}" for i in range(n)])
    people.insert(
        2,
        "email",
        [f"{FIRST[i % len(FIRST)].lower()}.q{i:04d}@privacy-test.example" for i in range(n)],
    )
    # Observed adoption months, so that diffusion and calibrate run too: a third adopt, later
    # the more of their contacts the synthetic network gives them (any pattern will do here).
    rng = np.random.default_rng(5)
    months = rng.integers(1, 25, size=n).astype(object)
    months[rng.random(n) < 0.66] = None
    people["adoption_time"] = months
    # Free text that names people (issue 19 red team): notes naming a third person, a line
    # manager, a staff number; none of it is a category, so no output may publish it.
    people["notes"] = [f"met Frances Quillfeather{i:04d} at a site visit" if i % 7 == 0 else ""
                       for i in range(n)]
    people["line_manager"] = [f"{FIRST[i % 3]} Quillfeather{i % 3:04d}" for i in range(n)]
    people["staff_number"] = [f"QF{900000 + i}" for i in range(n)]
    people.to_csv(folder / "people.csv", index=False)
    # Tie kinds naming a person: a rare one, and a common one (a category by count, but a name).
    ties = pd.read_csv(folder / "ties.csv", dtype=str)
    pairs = ties.drop_duplicates(["source", "target"]).index  # one renamed tie per pair
    ties.loc[pairs[:5], "kind"] = "mentored_by_Ada_Quillfeather"
    ties.loc[pairs[5:40], "kind"] = "Grace Quillfeather team"
    ties.to_csv(folder / "ties.csv", index=False)
    return folder, [*people["name"], *people["email"], *people["staff_number"]]


#: The dataset's name holds an email. The loader refuses that (io), so the loaders of the commands
#: are wrapped to let it through: every output path must still check it, as defence in depth.
EMAIL_NAME = "programme list from barbara.q9999@privacy-test.example"


def _email_named(load):
    def wrapped(*args, **kwargs):
        import dataclasses

        ds = load(*args, **kwargs)
        return dataclasses.replace(ds, name=EMAIL_NAME,
                                   loaded_with={**ds.loaded_with, "dataset": EMAIL_NAME})

    return wrapped


def literal_search(words: list[bytes]) -> re.Pattern[bytes]:
    """A pattern matching wherever any of ``words`` occurs: the alternation of the words, written
    as a trie (shared prefixes factored out), which matches the same text as ``a|b|c...``.

    With ~1,800 names, emails and staff numbers, the plain alternation made the regex engine try
    hundreds of words at almost every byte of a multi-megabyte report (about 17 s of the test);
    the trie tries one branch per byte read.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = {}  # a word ends here

    def alternation(node: dict) -> bytes:
        if None in node:  # a word ends here: any match of a longer word starts with a match
            return b""
        branches = [re.escape(bytes([b])) + alternation(child) for b, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"

    return re.compile(alternation(trie))


def _blobs(path: Path) -> list[bytes]:
    """The bytes of a file plus what they hide (PDF streams, embedded images, image metadata)."""
    data = path.read_bytes()
    blobs = [data]
    if path.suffix == ".pdf":
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
            try:
                stream = zlib.decompress(stream)
            except zlib.error:
                pass
            blobs += [stream, _pdf_text(stream)]
    if path.suffix in (".html", ".svg"):
        for payload in re.findall(rb"data:[a-z/+]+;base64,([A-Za-z0-9+/=]+)", data):
            image = base64.b64decode(payload)
            blobs += [image, *_image_info(image)]
    if path.suffix in (".png", ".gif"):
        blobs += _image_info(data)
    return blobs


def _pdf_text(stream: bytes) -> bytes:
    """Text shown by a PDF content stream: kerned ``[(A) 16.9 (d) ...] TJ`` pieces joined up."""
    shown = re.findall(rb"\[(.*?)\]\s*TJ|\((.*?)\)\s*Tj", stream, flags=re.S)
    return b"\n".join(b"".join(re.findall(rb"\((.*?)\)", arr)) + one for arr, one in shown)


def _image_info(data: bytes) -> list[bytes]:
    try:
        with Image.open(io.BytesIO(data)) as im:
            return [str(v).encode() for v in im.info.values()]
    except Exception:  # not an image PIL reads (e.g. SVG): the raw bytes were searched already
        return []


def test_no_command_writes_a_name_or_email(named_data, tmp_path, monkeypatch, capsys):
    import alumni_net.cli._common as common
    import alumni_net.report.html_report as html_report

    data, personal = named_data
    monkeypatch.setenv("ALUMNI_NET_KEY", "privacy-test-key-0123456789")
    for module in (common, html_report):
        monkeypatch.setattr(module, "load_dataset", _email_named(module.load_dataset))
    first_id = pd.read_csv(data / "people.csv", dtype=str).loc[0, "person_id"]
    ran = []
    # Text kept as text in SVG and uncompressed in PDF, so that drawn labels can be searched too.
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.compression": 0}):
        for name in sorted(COMMANDS, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER)):
            if name in NOT_RUN:
                continue
            for argv in INVOCATIONS.get(name) or [generic_invocation(name)]:
                args = [a.format(data=data, out=tmp_path, first_id=first_id) for a in argv]
                assert main(args) == 0, " ".join(args)
            ran.append(name)
    assert {"map", "report", "export"} <= set(ran)
    assert set(COMMANDS) - set(ran) <= set(NOT_RUN)
    pattern = literal_search(
        [v.lower().encode() for v in personal] + [b"quillfeather", b"privacy-test.example"]
    )
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 10
    leaks = {
        str(p.relative_to(tmp_path))
        for p in files
        for blob in _blobs(p)
        if pattern.search(blob.lower())
    }
    assert not leaks, f"names or emails found in {sorted(leaks)}"
    printed = capsys.readouterr()  # the terminal too: it is pasted into tickets and e-mails
    assert not pattern.search((printed.out + printed.err).lower().encode())


def test_the_search_finds_what_it_looks_for(tmp_path):
    """The search is not vacuous: a name in a PDF stream or an embedded PNG's text is found."""
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.5, 0.5, "Ada Quillfeather0000")
    with matplotlib.rc_context({"pdf.compression": 6}):
        fig.savefig(tmp_path / "a.pdf")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Author": "ada.q0000@privacy-test.example"})
    page = b'<img src="data:image/png;base64,' + base64.b64encode(buf.getvalue()) + b'">'
    (tmp_path / "r.html").write_bytes(page)
    pdf_hit = any(b"quillfeather" in b.lower() for b in _blobs(tmp_path / "a.pdf"))
    html_hit = any(b"privacy-test.example" in b.lower() for b in _blobs(tmp_path / "r.html"))
    assert pdf_hit and html_hit


def test_the_trie_search_matches_the_plain_alternation():
    """literal_search finds a word wherever ``a|b|c...`` does, and nowhere else."""
    words = [b"ada q", b"ada quill", b"alan", b"qf900012", b"qf9000", b"x.y@z", b"grace"]
    texts = [b"", b"ad", b"ada qu", b"xx ada quill", b"qf9001", b"qf90001", b"alan.",
             b"x.y@z", b"x-y@z", b"gracq grac", b"graceful", b"al an", b"qf900012"]
    plain = re.compile(b"|".join(re.escape(w) for w in words))
    trie = literal_search(words)
    for text in texts:
        assert bool(trie.search(text)) == bool(plain.search(text)), text
        # the first match starts at the same place
        assert (m := trie.search(text)) is None or m.start() == plain.search(text).start(), text
