"""The example file of every format, made from the real datasets in ``data/real``.

``python -m tests.io.examples`` writes them to ``data/examples`` (committed); the tests read the
committed files and compare them with the real datasets they were made from. Each writer lays
its file out as the tool that owns the format does (Kumu's import guide, Polinode's workbook,
Gephi's GEXF and spreadsheet pair, Pajek, UCINET DL, netdiffuseR's wide survey, egor's three
tables), independently of the readers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "real"
EXAMPLES = ROOT / "data" / "examples"
KINDS = ("advice", "discussion", "friendship")  # the physicians' three questions
#: Nominations of physicians who did not answer (ids 900+), added to the wide survey so that
#: keeping or dropping them can be seen: the shipped medInnovations has 462 such nominations,
#: which the shared copy had already dropped.
UNSURVEYED = {1001: "901", 1002: "902", 1003: "901", 2001: "950", 3001: "990"}


def real(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = REAL / name
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    ties = pd.read_csv(folder / "ties.csv", dtype=str, keep_default_na=False)
    return people, ties


def lawyer_label(pid: str) -> str:
    return f"Lawyer {int(pid):02d}"


def doctor_name(pid: str) -> str:
    return f"Dr {pid}"


def _book(sheets: dict[str, list[list]], path: Path, hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def kumu_lawyers(path: Path) -> Path:
    """The Lazega lawyers as a Kumu workbook: Elements (Label, Type, attributes), Connections
    (From, To, Type), and a notes sheet Kumu skips."""
    people, ties = real("lazega_lawyers")
    attrs = ["office_label", "practice_label", "status_label", "seniority", "age"]
    elements = [["Label", "Type", *attrs]] + [
        [lawyer_label(p["person_id"]), "Lawyer", *[p[a] for a in attrs]]
        for _, p in people.iterrows()]
    connections = [["From", "To", "Type"]] + [
        [lawyer_label(t["source"]), lawyer_label(t["target"]), t["kind"]]
        for _, t in ties.iterrows()]
    notes = [["Lazega (2001) law firm, from data/real/lazega_lawyers"]]
    return _book({"Elements": elements, "Connections": connections, "Notes (ignore)": notes},
                 path)


def _physicians():
    people, ties = real("medical_innovation")
    return people, ties


def pajek_physicians(path: Path) -> Path:
    """The physicians as Pajek: vertices 1..125 labelled with their ids, one *Arcs section per
    question."""
    people, ties = _physicians()
    number = {pid: i for i, pid in enumerate(people["person_id"], start=1)}
    lines = [f"*Vertices {len(people)}"] + [f'{i} "{pid}"' for pid, i in number.items()]
    for k, kind in enumerate(KINDS, start=1):
        lines.append(f'*Arcs :{k} "{kind}"')
        part = ties[ties["kind"] == kind]
        lines += [f"{number[s]} {number[t]} 1" for s, t in zip(part["source"], part["target"],
                                                                 strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def survey_physicians(path: Path) -> Path:
    """The physicians as netdiffuseR's medInnovations lays them out: id within city, city, toa,
    net1_1..net3_3 (advice, discussion, friendship), with a few nominations of physicians who
    did not answer (``UNSURVEYED``)."""
    people, ties = _physicians()
    cols = ["id", "city", "toa", "detail", "meet"] + [
        f"net{k}_{j}" for k in range(1, 4) for j in range(1, 4)]
    rows = []
    for _, p in people.iterrows():
        row = {"id": p["id_in_city"], "city": p["city"], "toa": p["toa"],
               "detail": p["detail"], "meet": p["meet"]}
        for k, kind in enumerate(KINDS, start=1):
            named = ties[(ties["source"] == p["person_id"]) & (ties["kind"] == kind)]["target"]
            slots = [str(int(t) % 1000) for t in named]
            if k == 1 and int(p["person_id"]) in UNSURVEYED and len(slots) < 3:
                slots.append(UNSURVEYED[int(p["person_id"])])
            for j in range(1, 4):
                row[f"net{k}_{j}"] = slots[j - 1] if j <= len(slots) else ""
        rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    path.with_suffix(".toml").write_text(
        '[nominations]\ngroup = "city"\n', encoding="utf-8")
    return path


def polinode_physicians(path: Path, survey: bool = False) -> Path:
    """The physicians as a Polinode workbook (Nodes/Edges), or as its survey export (Node
    Attributes, one Relationship Question sheet per question)."""
    people, ties = _physicians()
    attrs = ["city", "toa", "detail"]
    nodes = [["Name", *attrs]] + [[doctor_name(p["person_id"]), *[p[a] for a in attrs]]
                                  for _, p in people.iterrows()]
    if survey:
        sheets = {"Node Attributes": nodes}
        for k, kind in enumerate(KINDS, start=1):
            part = ties[ties["kind"] == kind]
            sheets[f"Relationship Question {k}"] = [["Source", "Target"]] + [
                [doctor_name(s), doctor_name(t)] for s, t in zip(part["source"], part["target"],
                                                                  strict=True)]
        return _book(sheets, path)
    edges = [["Source", "Target", "Type"]] + [
        [doctor_name(t["source"]), doctor_name(t["target"]), t["kind"]]
        for _, t in ties.iterrows()]
    return _book({"Nodes": nodes, "Edges": edges}, path)


def _physician_graph() -> nx.MultiDiGraph:
    people, ties = _physicians()
    G = nx.MultiDiGraph()
    for _, p in people.iterrows():
        G.add_node(p["person_id"], label=doctor_name(p["person_id"]), city=int(p["city"]),
                   toa=int(p["toa"]))
    for _, t in ties.iterrows():
        G.add_edge(t["source"], t["target"], kind=t["kind"], weight=1.0)
    return G


def gexf_physicians(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_gexf(_physician_graph(), path)
    return path


def graphml_physicians(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(_physician_graph(), path)
    return path


def gephi_csv_physicians(folder: Path) -> Path:
    """Gephi's spreadsheet pair with ';' as the separator, as Gephi writes it in many locales."""
    people, ties = _physicians()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "nodes.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(["Id", "Label", "city", "toa"])
        writer.writerows([p["person_id"], doctor_name(p["person_id"]), p["city"], p["toa"]]
                         for _, p in people.iterrows())
    with open(folder / "edges.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(["Source", "Target", "Type", "Weight", "Kind"])
        writer.writerows([t["source"], t["target"], "Directed", "1.0", t["kind"]]
                         for _, t in ties.iterrows())
    return folder / "edges.csv"


def ucinet_physicians(path: Path) -> Path:
    """The physicians' advice network as UCINET DL: edgelist1 with labels, header on one line."""
    people, ties = _physicians()
    number = {pid: i for i, pid in enumerate(people["person_id"], start=1)}
    advice = ties[ties["kind"] == "advice"]
    lines = [f"dl n={len(people)} format=edgelist1", "labels:",
             ",".join(people["person_id"]), "data:"]
    lines += [f"{number[s]} {number[t]} 1" for s, t in zip(advice["source"], advice["target"],
                                                             strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def egocentric_lawyers(folder: Path, n_egos: int = 12) -> Path:
    """egor's three tables from the lawyers: the first ``n_egos`` lawyers as egos, the lawyers
    each asked for advice as their alters, and the advice ties among each ego's alters."""
    people, ties = real("lazega_lawyers")
    advice = ties[ties["kind"] == "advice"]
    attrs = people.set_index("person_id")
    egos, alters, aaties = [], [], []
    for ego in people["person_id"][:n_egos]:
        egos.append({"egoID": ego, "office": attrs.loc[ego, "office_label"],
                     "practice": attrs.loc[ego, "practice_label"]})
        named = list(advice[advice["source"] == ego]["target"])
        number = {pid: i for i, pid in enumerate(named, start=1)}
        alters += [{"egoID": ego, "alterID": number[a], "office": attrs.loc[a, "office_label"],
                    "practice": attrs.loc[a, "practice_label"]} for a in named]
        among = advice[advice["source"].isin(named) & advice["target"].isin(named)]
        pairs = {tuple(sorted((number[s], number[t]))) for s, t in zip(
            among["source"], among["target"], strict=True)}  # egor's alter ties: undirected
        aaties += [{"egoID": ego, "Source": a, "Target": b} for a, b in sorted(pairs)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("egos", egos), ("alters", alters), ("alter_ties", aaties)):
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


def kumu_json_two_cohorts(path: Path) -> Path:
    """The two-cohort toy programme (with names) as a Kumu blueprint."""
    from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES

    people = list(csv.DictReader(TWO_COHORTS_PEOPLE.splitlines()))
    ties = list(csv.DictReader(TWO_COHORTS_TIES.splitlines()))
    name = {p["person_id"]: p["name"] for p in people}
    doc = {
        "elements": [{"label": p["name"], "type": "Alum" if p["cohort"] else "Person",
                      "tags": [p["cohort_start"][:4]] if p["cohort_start"] else [],
                      "email": p["email"], "cohort": p["cohort"], "sector": p["sector"],
                      "region": p["region"]} for p in people],
        "connections": [{"from": name[t["source"]], "to": name[t["target"]], "type": t["kind"],
                         "strength": float(t["weight"]), "since": t["since"],
                         "direction": "undirected"} for t in ties],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return path


def workbook_two_cohorts(path: Path) -> Path:
    from tests.helpers import TWO_COHORTS_PEOPLE, TWO_COHORTS_TIES

    sheets = {name: [row for row in csv.reader(text.splitlines())]
              for name, text in (("people", TWO_COHORTS_PEOPLE), ("ties", TWO_COHORTS_TIES))}
    return _book(sheets, path)


#: Example path (under data/examples) -> the function that makes it.
MAKERS = {
    "kumu/lawyers_kumu.xlsx": kumu_lawyers,
    "kumu/two_cohorts_kumu.json": kumu_json_two_cohorts,
    "workbook/two_cohorts.xlsx": workbook_two_cohorts,
    "pajek/physicians.net": pajek_physicians,
    "nominations/medical_innovation_survey.csv": survey_physicians,
    "polinode/physicians_polinode.xlsx": polinode_physicians,
    "polinode/physicians_polinode_survey.xlsx": lambda p: polinode_physicians(p, survey=True),
    "gephi/physicians.gexf": gexf_physicians,
    "gephi/physicians.graphml": graphml_physicians,
    "gephi/edges.csv": lambda p: gephi_csv_physicians(p.parent),
    "ucinet/physicians_advice.dl": ucinet_physicians,
    "egocentric": egocentric_lawyers,
}


def main() -> None:
    for rel, make in MAKERS.items():
        print(make(EXAMPLES / rel))


if __name__ == "__main__":
    main()
