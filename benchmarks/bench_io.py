"""Reading a million ties in every format, against the package's own CSV (issue 14 target:
within 2x the time and 2x the memory of reading the same ties from people.csv + ties.csv).

The same network (50,000 people, 1,000,000 ties of one kind; ``--quick``: 5,000 and 100,000)
is written in each format the registry reads, then each file is loaded with
:func:`alumni_net.io.load_dataset` (format found from the file, every check, no
pseudonymisation beyond what the format needs) in a fresh process, so that its peak memory is
its own. CPU time of the load and the process's peak resident memory (interpreter and libraries
included, the same for every format) are printed with their ratios to the CSV. Egocentric data
hold them as 50,000 ego-alter ties (1,250 egos naming 40 alters each) and 950,000 alter-alter
ties.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
SEED = 20240614


def network(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``m`` distinct unordered pairs among ``n`` people, in random order."""
    rng = np.random.default_rng(SEED)
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < m:
        a, b = rng.integers(0, n, size=(2, 2 * m))
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keys = np.unique(np.concatenate([keys, (lo * n + hi)[lo != hi]]))
    keys = rng.permutation(keys)[:m]
    return keys // n, keys % n


def _lines(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(header)
        fh.writelines(rows)


def _book(path: Path, sheets: dict) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def write_all(root: Path, n: int, m: int) -> dict[str, Path]:
    """The network in every format; returns format name -> path."""
    src, dst = network(n, m)
    ids = [f"P{i}" for i in range(n)]
    s = [ids[i] for i in src.tolist()]
    t = [ids[i] for i in dst.tolist()]
    out = {}
    folder = root / "csv"
    folder.mkdir()
    _lines(folder / "people.csv", ["person_id,is_alum\n"],
           (f"{p},{'true' if i % 50 == 0 else 'false'}\n" for i, p in enumerate(ids)))
    _lines(folder / "ties.csv", ["source,target,kind,weight\n"],
           (f"{a},{b},colleague,1\n" for a, b in zip(s, t, strict=True)))
    out["folder"] = folder
    out["workbook"] = root / "book.xlsx"
    _book(out["workbook"], {"people": [["person_id"], *([p] for p in ids)],
                            "ties": [["source", "target", "kind", "weight"],
                                     *([a, b, "colleague", 1] for a, b in zip(s, t, strict=True))]})
    out["kumu"] = root / "kumu.xlsx"
    _book(out["kumu"], {"Elements": [["Label"], *([p] for p in ids)],
                        "Connections": [["From", "To", "Type", "Strength"],
                                        *([a, b, "colleague", 1] for a, b in zip(
                                            s, t, strict=True))]})
    out["kumu-json"] = root / "kumu.json"
    out["kumu-json"].write_text(json.dumps({
        "elements": [{"label": p} for p in ids],
        "connections": [{"from": a, "to": b, "type": "colleague", "strength": 1}
                        for a, b in zip(s, t, strict=True)]}))
    out["polinode"] = root / "polinode.xlsx"
    _book(out["polinode"], {"Nodes": [["Name"], *([p] for p in ids)],
                            "Edges": [["Source", "Target", "Type"],
                                      *([a, b, "colleague"] for a, b in zip(s, t, strict=True))]})
    out["polinode-survey"] = root / "survey.xlsx"
    _book(out["polinode-survey"], {
        "Node Attributes": [["Name"], *([p] for p in ids)],
        "Relationship Question 1": [["Source", "Target"], *([a, b] for a, b in zip(
            s, t, strict=True))]})
    out["gexf"] = root / "net.gexf"
    _lines(out["gexf"], ['<?xml version="1.0" encoding="utf-8"?>\n<gexf xmlns="http://www.gexf.'
                         'net/1.2draft" version="1.2">\n<graph defaultedgetype="undirected">\n'
                         '<attributes class="edge"><attribute id="0" title="kind" type="string"/>'
                         "</attributes>\n<nodes>\n",
                         *(f'<node id="{p}" label="{p}"/>\n' for p in ids), "</nodes>\n<edges>\n"],
           [*(f'<edge id="{k}" source="{a}" target="{b}" weight="1.0"><attvalues><attvalue '
              f'for="0" value="colleague"/></attvalues></edge>\n'
              for k, (a, b) in enumerate(zip(s, t, strict=True))), "</edges>\n</graph>\n</gexf>\n"])
    out["graphml"] = root / "net.graphml"
    _lines(out["graphml"], ['<?xml version="1.0" encoding="utf-8"?>\n<graphml xmlns="http://'
                            'graphml.graphdrawing.org/xmlns">\n<key id="d0" for="edge" attr.name='
                            '"kind" attr.type="string"/>\n<key id="d1" for="edge" '
                            'attr.name="weight" attr.type="double"/>\n'
                            '<graph edgedefault="undirected">\n',
                            *(f'<node id="{p}"/>\n' for p in ids)],
           [*(f'<edge source="{a}" target="{b}"><data key="d0">colleague</data><data key="d1">'
              f"1.0</data></edge>\n" for a, b in zip(s, t, strict=True)), "</graph>\n</graphml>\n"])
    gephi = root / "gephi"
    gephi.mkdir()
    _lines(gephi / "nodes.csv", ["Id;Label\n"], (f"{p};{p}\n" for p in ids))
    _lines(gephi / "edges.csv", ["Source;Target;Type;Weight;Kind\n"],
           (f"{a};{b};Undirected;1.0;colleague\n" for a, b in zip(s, t, strict=True)))
    out["gephi-csv"] = gephi / "edges.csv"
    out["pajek"] = root / "net.net"
    _lines(out["pajek"], [f"*Vertices {n}\n", *(f'{i + 1} "{p}"\n' for i, p in enumerate(ids)),
                          '*Edges :1 "colleague"\n'],
           (f"{a + 1} {b + 1} 1\n" for a, b in zip(src.tolist(), dst.tolist(), strict=True)))
    out["ucinet"] = root / "net.dl"
    _lines(out["ucinet"], [f"dl n={n} format=edgelist1\n", "labels:\n", ",".join(ids) + "\n",
                           "data:\n"],
           (f"{a + 1} {b + 1} 1\n" for a, b in zip(src.tolist(), dst.tolist(), strict=True)))
    out["nominations"] = _survey(root / "survey.csv", ids, src, dst)
    out["egocentric"] = _egocentric(root / "ego", n, m)
    return out


def _survey(path: Path, ids: list[str], src: np.ndarray, dst: np.ndarray) -> Path:
    """One row per respondent, its nominations in friend1..friendK (the ties as source named
    target)."""
    order = np.argsort(src, kind="stable")
    counts = np.bincount(src, minlength=len(ids))
    k = int(counts.max())
    starts = np.concatenate([[0], np.cumsum(counts)])
    targets = dst[order]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id," + ",".join(f"friend{j}" for j in range(1, k + 1)) + "\n")
        for i, p in enumerate(ids):
            named = [ids[x] for x in targets[starts[i]:starts[i + 1]].tolist()]
            fh.write(p + "," + ",".join(named + [""] * (k - len(named))) + "\n")
    return path


def _egocentric(folder: Path, n: int, m: int) -> Path:
    """``n // 40`` egos naming 40 alters each, and the rest of the ties among their alters."""
    folder.mkdir()
    egos, per = max(n // 40, 1), 40
    rng = np.random.default_rng(SEED)
    _lines(folder / "egos.csv", ["egoID\n"], (f"{e}\n" for e in range(egos)))
    _lines(folder / "alters.csv", ["egoID,alterID\n"],
           (f"{e},{a}\n" for e in range(egos) for a in range(per)))
    pairs = [(a, b) for a in range(per) for b in range(a + 1, per)]
    need = m - egos * per
    chosen = rng.choice(egos * len(pairs), size=min(need, egos * len(pairs)), replace=False)
    _lines(folder / "alter_ties.csv", ["egoID,Source,Target\n"],
           (f"{c // len(pairs)},{pairs[c % len(pairs)][0]},{pairs[c % len(pairs)][1]}\n"
            for c in np.sort(chosen).tolist()))
    return folder


def read_one(path: str) -> None:
    """In a fresh process: load ``path`` and print CPU seconds, ties and peak memory as JSON."""
    os.environ.setdefault("ALUMNI_NET_KEY", "bench-io-key-0123456789")
    from alumni_net.io import load_dataset

    start, wall = time.process_time(), time.perf_counter()
    ds = load_dataset(path)
    cpu, seconds = time.process_time() - start, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(json.dumps({"cpu": cpu, "wall": seconds, "peak_mib": peak, "ties": ds.n_ties,
                      "people": ds.n_people}))


def _written(root: Path, n: int, m: int) -> dict[str, Path]:
    """The files under ``root``, written unless a previous run left them there."""
    index = root / "formats.json"
    if index.exists():
        saved = json.loads(index.read_text())
        if saved["n"] == n and saved["m"] == m:
            return {k: Path(v) for k, v in saved["paths"].items()}
    for child in root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    start = time.perf_counter()
    paths = write_all(root, n, m)
    print(f" files written in {time.perf_counter() - start:.0f} s", flush=True)
    index.write_text(json.dumps({"n": n, "m": m, "paths": {k: str(v) for k, v in paths.items()}}))
    return paths


def main(quick: bool = False, keep: str | None = None, only: list[str] | None = None) -> dict:
    """Write the network in every format (or reuse ``keep``'s files) and read each; ``only``
    reads just those formats (and the CSV folder, the baseline)."""
    n, m = (5_000, 100_000) if quick else (50_000, 1_000_000)
    print(f" {m:,} ties among {n:,} people, written in every format; each read in a fresh "
          f"process (load average {os.getloadavg()[0]:.1f})", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(keep) if keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        paths = _written(root, n, m)
        for name, path in paths.items():
            if only and name != "folder" and name not in only:
                continue
            done = subprocess.run([sys.executable, str(HERE), "--read", str(path)],
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                print(f"  {name:<16} failed: {done.stderr.strip()[-500:]}", flush=True)
                continue
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
            base = results.get("folder", results[name])
            r = results[name]
            print(f"  {name:<16} {r['ties']:>10,} ties {r['cpu']:7.2f} s CPU ({r['wall']:6.2f} s "
                  f"wall)  x{r['cpu'] / base['cpu']:4.2f}   peak {r['peak_mib']:7.0f} MiB  "
                  f"x{r['peak_mib'] / base['peak_mib']:4.2f}", flush=True)
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--read":
        read_one(sys.argv[2])
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--quick", action="store_true")
        parser.add_argument("--keep", metavar="DIR",
                            help="write the files in DIR and reuse them on the next run")
        parser.add_argument("--only", action="append", metavar="FORMAT",
                            help="read only this format (repeatable; the CSV folder always)")
        args = parser.parse_args()
        main(quick=args.quick, keep=args.keep, only=args.only)
