"""Load the YAML rule folder: lexicons, fragments and rules, validated and compiled.

Layout (see rules/README.md):
    rules/lexicon/*.yaml     word lists; each may declare fragments built from a field
    rules/lexicon/fragments.yaml   named regex pieces ({ARABIC}, {AMOUNT}, ...)
    rules/clean/*.yaml       boilerplate and markup to cut, bylines
    rules/<kind>/<family>.yaml     rules of one kind of fact (zhipu_facts.kinds.KINDS)

Every problem found is collected, with file, line and rule id, and raised at the
end as one RuleError, so an author sees all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..core.numbers import NUMERAL_FIELDS, NUMERALS
from ..core.shipped import shipped_rules_dir
from ..core.rule import Problem, Rule, RuleError
from ..enrich import ENRICHMENT
from ..ingest import locale
from ..kinds import KINDS
from . import rule_cache
from .rule_checks import GROUP_WORDS, empty_match, unknown_group_words
from ..vocabulary import Lexicon, Vocabulary, Words, unique_words, word_alternation

#: Rule folders that hold no facts: word lists, and the rules that clean the text.
LEXICON_DIR, CLEAN = "lexicon", "clean"
#: The groups a byline rule may define, and must (a dateline names no year:
#: 【财联社10月4日电】; delete rules name the parts they remove cut, cut1, ...;
#: the other actions read no group).
BYLINE_GROUPS = frozenset({"year", "month", "day"})
BYLINE_NEEDS = frozenset({"day"})
_FRAGMENT_REF = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")

@dataclass
class RuleSet:
    rules: list[Rule]
    lexicons: dict[str, Lexicon]
    fragments: dict[str, str]
    vocab: Vocabulary  # every plug-in's lookups and word patterns, compiled once

    def __post_init__(self) -> None:
        self.fact_rules = [r for r in self.rules if r.kind != CLEAN]
        self.clean_rules = [r for r in self.rules if r.kind == CLEAN]
        self.byline_rules = [r for r in self.clean_rules if r.action == "byline"]

    def of_kind(self, *kinds: str) -> list[Rule]:
        return [r for r in self.rules if r.kind in kinds]

    def by_id(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def strip_lines(obj: Any) -> Any:
    """A copy of parsed YAML without the ``__line__`` bookkeeping keys."""
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def load_rules(extra_dirs: list[Path] | tuple[Path, ...] = (), base: Path | None = None) -> RuleSet:
    """Load the shipped rules, then each extra folder on top (same id replaces)."""
    dirs = [base or shipped_rules_dir(), *[Path(d) for d in extra_dirs]]
    problems: list[Problem] = []
    for d in dirs:
        if not d.is_dir():
            problems.append(Problem(str(d), None, None, "rule folder does not exist"))
    if problems:
        raise RuleError(problems)
    # The plug-ins registered decide what is built: they are part of the key.
    plugins = ",".join([*KINDS, *(s.name for s in ENRICHMENT),
                        *(f"{w.name}={w.build.__module__}.{w.build.__qualname__}" for w in declared_words())])
    return rule_cache.cached(dirs, lambda: _build_rules(dirs), plugins, kind=RuleSet)


def declared_words() -> list[Words]:
    """What every plug-in reads of the lexicons: the kinds', the enrichment
    stages' and the locale reader's declarations."""
    return unique_words([*(w for k in KINDS.values() for w in k.words),
                         *(w for s in ENRICHMENT for w in s.words), locale.WORDS])


def _build_rules(dirs: list[Path]) -> RuleSet:
    problems: list[Problem] = []
    lexicons: dict[str, Lexicon] = {}
    fragments: dict[str, str] = {}
    fragment_origin: dict[str, str] = {}
    raw_rules: dict[str, tuple[dict, Any, Path, str]] = {}  # id -> its YAML, its validated spec, file, kind

    for d in dirs:
        for path in sorted((d / LEXICON_DIR).glob("*.yaml")) if (d / LEXICON_DIR).is_dir() else []:
            _load_lexicon_file(path, lexicons, fragments, fragment_origin, problems)
        for kdir in sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            if kdir.name == LEXICON_DIR:
                continue
            if kdir.name != CLEAN and kdir.name not in KINDS:
                problems.append(Problem(str(kdir), None, None,
                                        f"unknown rule folder {kdir.name!r}: rule folders are {LEXICON_DIR}, "
                                        f"{CLEAN} and the kinds {', '.join(KINDS)}"))
                continue
            for path in sorted(kdir.glob("*.yaml")):
                _collect_rules(path, kdir.name, raw_rules, problems)

    problems.extend(_numeral_problems(lexicons.get("numerals")))
    for lex in lexicons.values():
        for frag, spec in lex.fragments.items():
            fragments[frag] = _lexicon_fragment(lex, spec)
            fragment_origin[frag] = lex.file

    expanded: dict[str, str] = {}
    for name in fragments:
        _expand_fragment(name, fragments, expanded, fragment_origin, problems, [])
        try:  # each compiles alone (the shipped ones do): a broken one is named with its file
            regex.compile(expanded[name], regex.VERBOSE | regex.MULTILINE | regex.V1)
        except regex.error as e:
            problems.append(Problem(fragment_origin.get(name, "?"), None, None,
                                    f"fragment {name} does not compile: {e}"))

    rules: list[Rule] = []
    currencies = lexicons.get("currencies")
    codes = {str(e["key"]) for e in currencies.entries} if currencies else set()
    group_words = {kind: {g: {w for f in fields for w in lexicons[lex].words(f)} if lex in lexicons else set()
                          for g, (lex, fields) in groups.items()} for kind, groups in GROUP_WORDS.items()}
    for rule_id, (data, spec, path, kind) in raw_rules.items():
        rule = _build_rule(rule_id, data, spec, path, kind, expanded, problems, codes, group_words)
        if rule is not None:
            rules.append(rule)
    vocab = Vocabulary(declared_words(), lexicons, expanded, str(dirs[-1] / LEXICON_DIR))
    problems.extend(Problem(file, None, None, message) for file, message in vocab.problems)
    if problems:
        raise RuleError(problems)
    rules.sort(key=lambda r: r.id)
    return RuleSet(rules=rules, lexicons=lexicons, fragments=expanded, vocab=vocab)


def _numeral_problems(lex: Lexicon | None) -> list[Problem]:
    """core/numbers.py reads the shipped numeral lexicon itself (without
    PyYAML, before any rules load): the lexicon the rules load must say the same."""
    if lex is None:
        return [Problem(str(shipped_rules_dir() / LEXICON_DIR), None, None, "missing lexicon 'numerals'")]
    loaded = {(f, ch): (0 if f == "point" else key) for f in NUMERAL_FIELDS for ch, key in lex.lookup(f).items()}
    read = {(f, ch): (0 if f == "point" else str(v)) for f, table in NUMERALS.items() for ch, v in table.items()}
    if loaded == read:
        return []
    return [Problem(lex.file, None, None, "the numerals lexicon differs from the shipped one that core/numbers.py "
                                          "reads; numerals cannot be changed by a rule folder")]


def _load_lexicon_file(path, lexicons, fragments, fragment_origin, problems) -> None:
    from .rule_schema import FragmentFile, lexicon_model, lexicon_tags
    from .rule_yaml import read_yaml  # delayed: PyYAML only when rules are built, not read from the cache

    data = read_yaml(path, problems)
    if data is None:
        return
    plain = strip_lines(data)
    if isinstance(plain, dict) and "fragments" in plain and "lexicon" not in plain:
        if _fits(path, FragmentFile, plain, problems) is None:
            return
        for name, pat in plain["fragments"].items():
            fragments[name] = str(pat)
            fragment_origin[name] = str(path)
        return
    if _fits(path, lexicon_model(plain.get("lexicon") if isinstance(plain, dict) else None), plain, problems) is None:
        return
    name = plain["lexicon"]
    lex = Lexicon(name=name, entries=[{**e, "__file__": str(path)} for e in plain["entries"]],
                  fragments={k: str(v) for k, v in plain.get("fragments", {}).items()}, file=str(path),
                  examples=[{**e, "__file__": str(path)} for e in plain.get("examples", [])])
    # A user's lexicon of the same name extends the shipped one (Lexicon.laid_over).
    lexicons[name] = lex.laid_over(lexicons[name], lexicon_tags(name)) if name in lexicons else lex


def _fits(path: Path, model, data, problems: list[Problem], at: tuple = (), rule: str | None = None) -> Any:
    """Data as its declared schema (rule_schema) reads it, or None, each way
    it does not fit being a problem at the line of the bad value."""
    from .rule_schema import validated
    from .rule_yaml import line_at

    spec, found = validated(model, data)
    if found:
        text = path.read_text(encoding="utf-8")  # read_yaml has read it: it decodes
        located = [Problem(str(path), line_at(text, at + loc), rule, message) for loc, message in found]
        problems.extend(sorted(located, key=lambda p: p.line or 0))
    return spec


def _lexicon_fragment(lex: Lexicon, spec: str) -> str:
    """A fragment built from lexicon fields.

    ``names`` or ``names,prefixes``: the words, as an alternation, longest
    first, escaped. ``names,prefixes:last``: a character class of the words'
    last characters; every match of a word holds one, so it makes a fast
    trigger. ``:endchars``: a class of those last characters that the
    lexicon's ``endings`` lists; ``:notends``: the words ending otherwise.
    ``:lastchars``: a class of every word's last character.
    ``prefix:first``: a class of first characters, a cheap guard to put
    before the alternation.
    """
    fields, _, mode = spec.partition(":")
    words = sorted({w for f in fields.split(",") for w in lex.words(f.strip())}, key=lambda w: (-len(w), w))
    if not words:
        return "(?!)"
    if mode == "first":
        return "[" + "".join(sorted({regex.escape(w[0], special_only=True) for w in words})) + "]"
    if mode == "last":
        # Latin words (USD, RMB) stay whole: their last letters are everywhere.
        chars = sorted({regex.escape(w[-1], special_only=True) for w in words if not w[-1].isascii() or not w[-1].isalpha()})
        latin = [regex.escape(w) for w in words if w[-1].isascii() and w[-1].isalpha()]
        return "(?:[" + "".join(chars) + "]" + "".join("|" + w for w in latin) + ")"
    if mode == "lastchars":
        # Every word's last character, Latin letters too: a class to start
        # a trigger with, the conditions following as lookbehinds.
        return "[" + "".join(sorted({regex.escape(w[-1], special_only=True) for w in words})) + "]"
    if mode in ("endchars", "notends"):
        # Split by the lexicon's `endings` (characters rare outside these
        # words, such as 元 and 币): `endchars` is a class of the endings that
        # end some word, `notends` the words that end otherwise (卢比, yuan).
        endings = set(lex.words("endings"))
        if mode == "endchars":
            chars = sorted({regex.escape(w[-1], special_only=True) for w in words if w[-1] in endings})
            return "[" + "".join(chars) + "]" if chars else "(?!)"
        words = [w for w in words if w[-1] not in endings]
    return word_alternation(words, escape=regex.escape, guard=len(words) >= GUARD_WORDS)


#: Word lists at least this long get a first-character guard (see above).
GUARD_WORDS = 8


def _expand_fragment(name, fragments, expanded, origin, problems, stack) -> str:
    if name in expanded:
        return expanded[name]
    if name in stack:
        problems.append(Problem(origin.get(name, "?"), None, None,
                                f"fragment cycle: {' -> '.join(stack + [name])}"))
        return "(?!)"
    body = fragments[name]

    def sub(m):
        ref = m.group(1)
        if ref not in fragments:
            problems.append(Problem(origin.get(name, "?"), None, None,
                                    f"fragment {name} uses unknown fragment {{{ref}}}"))
            return "(?!)"
        return "(?:" + _expand_fragment(ref, fragments, expanded, origin, problems, stack + [name]) + ")"

    expanded[name] = _FRAGMENT_REF.sub(sub, body)
    return expanded[name]


def _collect_rules(path: Path, kind: str, raw_rules: dict, problems: list[Problem]) -> None:
    from .rule_schema import RuleFile, RuleSpec
    from .rule_yaml import read_yaml  # delayed: PyYAML only when rules are built

    data = read_yaml(path, problems)
    if data is None or _fits(path, RuleFile, strip_lines(data), problems) is None:
        return
    prefix = f"{kind}.{path.stem}."
    seen_here: set[str] = set()
    for i, item in enumerate(data["rules"]):
        spec = _fits(path, RuleSpec, strip_lines(item), problems, ("rules", i), str(item.get("id") or "") or None)
        if spec is None:
            continue
        rid, line = spec.id, item.get("__line__")
        if not rid.startswith(prefix):
            problems.append(Problem(str(path), line, rid,
                                    f"id must mirror the path: start it with {prefix!r}"))
        if rid in seen_here:
            problems.append(Problem(str(path), line, rid, "duplicate id in this file"))
        seen_here.add(rid)
        # Same id in a later folder replaces (user rules override shipped ones).
        raw_rules[rid] = (item, spec, path, kind)


def _build_rule(rule_id, data, spec, path, kind, fragments, problems, vocab_codes: set[str],
                group_words: dict[str, dict[str, set[str]]]) -> Rule | None:
    """A rule whose file fits the schema (`spec` as it reads it; `data` the
    YAML, whose examples keep their lines), checked for what a schema cannot
    say (its kind, action, fragments, groups, examples' spans), and compiled."""
    from .rule_schema import CLEAN_ACTIONS

    file = str(path)
    line = data.get("__line__")
    ok = True

    def bad(msg, at=None):
        nonlocal ok
        ok = False
        problems.append(Problem(file, at or line, rule_id, msg))

    if spec.kind != kind:
        bad(f"kind must be {kind!r} (the folder it sits in), got {spec.kind!r}")
    action = spec.action
    if kind == CLEAN and action is None:
        bad(f"clean rules need `action:` one of {list(CLEAN_ACTIONS)}")
    elif kind != CLEAN and action is not None:
        bad("`action` is for clean rules only")
    pattern_source = spec.pattern
    missing_refs = [r for r in _FRAGMENT_REF.findall(pattern_source) if r not in fragments]
    if missing_refs:
        bad(f"unknown fragments {sorted(set(missing_refs))}; define them in rules/lexicon/")
        return None
    expanded = _FRAGMENT_REF.sub(lambda m: "(?:" + fragments[m.group(1)] + ")", pattern_source)
    try:
        compiled = regex.compile(expanded, regex.VERBOSE | regex.MULTILINE | regex.V1)
    except regex.error as e:
        bad(f"pattern does not compile: {e}")
        return None
    _check_groups(kind, action, set(compiled.groupindex), bad)
    examples = data.get("examples") or []
    texts = [e.text for e in (*spec.examples, *spec.known_misses, *spec.negatives)]
    empty = empty_match(compiled, texts)
    if empty:
        bad(f"the pattern matches no text {empty}: a match must hold the fact's characters (make a part "
            f"required: + rather than *, no ? around the whole)")
    for group, words in sorted(unknown_group_words(compiled, expanded, kind, group_words.get(kind, {}), texts).items()):
        lexicon, fields = GROUP_WORDS[kind][group]
        shown = ", ".join(sorted(words)[:8]) + (f" and {len(words) - 8} more" if len(words) > 8 else "")
        bad(f"the group {group} can capture {shown}, which lexicon/{lexicon}.yaml does not list "
            f"in {', '.join(fields)}: the normalizer looks its text up there; add the words to that lexicon")
    if not spec.examples:
        bad("a rule needs at least one example (examples: - text: ... span: ...)")
    for ex, read in zip((*examples, *(data.get("known_misses") or [])), (*spec.examples, *spec.known_misses)):
        if kind != CLEAN and read.span is None:
            bad(f"example at line {ex.get('__line__')} needs `span`: the exact text of the fact", ex.get("__line__"))
    trigger_source = spec.trigger
    trigger = trigger_compiled = None
    if trigger_source is not None:
        refs = [r for r in _FRAGMENT_REF.findall(trigger_source) if r not in fragments]
        if kind == CLEAN:
            bad("`trigger` is for fact rules only")
        elif refs:
            bad(f"trigger uses unknown fragments {sorted(set(refs))}")
        else:
            trigger = _FRAGMENT_REF.sub(lambda m: "(?:" + fragments[m.group(1)] + ")", trigger_source)
            try:
                trigger_compiled = regex.compile(trigger, regex.VERBOSE | regex.V1)
            except regex.error as e:
                bad(f"trigger does not compile: {e}")
    options = spec.options.model_dump(exclude_unset=True)
    if "default_currency" in options and str(options["default_currency"]) not in vocab_codes:
        bad(f"options.default_currency {options['default_currency']!r} is not a currency of lexicon/currencies.yaml")
    if not ok:
        return None
    return Rule(
        id=rule_id, kind=kind, pattern=expanded, compiled=compiled, priority=spec.priority,
        options=options, examples=examples, negatives=data.get("negatives") or [],
        known_misses=data.get("known_misses") or [], file=file, line=line or 0, action=action,
        max_line=spec.max_line, trigger=trigger, trigger_compiled=trigger_compiled,
    )


def _check_groups(kind: str, action: str | None, groups: set[str], bad) -> None:
    """The named groups a rule defines are the ones its kind reads: at least
    one of each required set, and none it does not know (a misspelled group
    would be silently ignored)."""
    if kind == CLEAN:
        if action == "delete":
            unknown = sorted(g for g in groups if not g.startswith("cut"))
            if unknown:
                bad(f"unknown groups {unknown}: a delete rule names only the parts it removes (cut, cut1, ...)")
        elif action == "byline":
            if not BYLINE_NEEDS <= groups or ("year" in groups and "month" not in groups):
                bad("a byline rule needs the group day, and month with year (a dateline may name no year)")
            if groups - BYLINE_GROUPS:
                bad(f"unknown groups {sorted(groups - BYLINE_GROUPS)}; a byline rule reads {sorted(BYLINE_GROUPS)}")
        elif groups:
            bad(f"a {action} rule reads no groups; remove {sorted(groups)}")
        return
    k = KINDS[kind]
    for need in k.required:
        if not groups & set(need):
            bad(f"the {kind} normalizer needs a named group among {list(need)}")
    unknown = sorted(groups - k.known_groups)
    if unknown:
        bad(f"unknown groups {unknown}: the {kind} normalizer reads only {sorted(k.known_groups)}")
