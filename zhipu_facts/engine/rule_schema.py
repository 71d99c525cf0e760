"""The declared shape of every rule and lexicon file, and its problems as messages.

One pydantic model per kind of file (a rule file, a lexicon, a file of
fragments) says which keys exist, which are required and what each holds;
its `description` is the hint a message gives. The loader (engine/rules.py)
validates each file against it before reading anything, so every wrong type
or unknown key is reported the same way, with the file and the line of the
key, and the loader itself checks only what a schema cannot say (a pattern
compiles, a fragment exists, a group is read by its kind).

pydantic rather than jsonschema: it is already installed (typer's rich help
uses it), validates in compiled code, and its errors carry the path to the
bad value, which rule_yaml.line_at turns into a line; jsonschema would be a
new dependency, slower, and its messages no closer to an author's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, ValidationError,
                      create_model)

#: What a clean rule does with its match.
CLEAN_ACTIONS = ("drop_line", "drop_to_end", "delete", "byline")
#: The values of a fact an example may state: numbers, compared as Decimal ...
VALUE_FIELDS = ("value", "low", "high")
#: ... and words, compared as written.
TEXT_FIELDS = ("qualifier", "unit", "per", "change", "basis", "as_of", "metric", "subject")


def _as_text(v: Any) -> Any:
    """A scalar YAML read as a number or a date (2024, 2025-01-02) is the
    text it was written as; anything else is left for the type to refuse."""
    if isinstance(v, (int, float, dt.date)) and not isinstance(v, bool):
        return str(v)
    return v


Text = Annotated[str, BeforeValidator(_as_text)]
NonEmpty = Annotated[str, BeforeValidator(_as_text), Field(min_length=1)]
Number = Annotated[Decimal, BeforeValidator(lambda v: str(v) if isinstance(v, float) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, arbitrary_types_allowed=True)


class Example(_Strict):
    text: Text = Field(description="the sentence, as an article would hold it")
    span: Text | None = Field(None, description="the exact text of the fact in `text`")
    published: dt.date | None = Field(None, description="a date YYYY-MM-DD")
    clean: Text | None = Field(None, description="the text the clean rules leave")
    flags: list[Text] | None = Field(None, description="a list of flags")
    value: Number | None = Field(None, description="a number")
    low: Number | None = Field(None, description="a number")
    high: Number | None = Field(None, description="a number")
    qualifier: Text | None = None
    unit: Text | None = None
    per: Text | None = None
    change: Text | None = None
    basis: Text | None = None
    as_of: Text | None = None
    metric: Text | None = None
    subject: Text | None = None


class Negative(_Strict):
    text: Text = Field(description="a sentence that must give no fact of the rule's kind")
    allow: list[Text] = Field([], description="a list of the facts' texts that are legitimate there")


def _negative(v: Any) -> Any:
    return {"text": v} if isinstance(v, (str, int, float)) and not isinstance(v, bool) else v


class Options(_Strict):
    implied_currency: Literal["cue", "previous", "colloquial"] | None = Field(
        None, description="how a bare amount gets its currency: cue, previous or colloquial")
    default_currency: Text | None = Field(None, description="a currency code of lexicon/currencies.yaml (CNY)")


class RuleSpec(_Strict):
    id: NonEmpty = Field(description="the rule's id, KIND.FILE.NAME as the path says")
    kind: Text = Field(description="the folder the file sits in")
    pattern: NonEmpty = Field(description="a regular expression (regex module, VERBOSE), {FRAGMENT}s allowed")
    priority: StrictInt = Field(0, description="a whole number (higher wins among matches of one length)")
    options: Options = Field(Options(), description="a mapping of the normalizer's options")
    examples: list[Example] = Field([], description="a list of examples (text, span, values)")
    negatives: list[Annotated[Negative, BeforeValidator(_negative)]] = Field(
        [], description="a list of sentences (or text: with allow:)")
    known_misses: list[Example] = Field([], description="a list of examples the rule is known to miss")
    action: Literal[CLEAN_ACTIONS] | None = Field(  # type: ignore[valid-type]
        None, description=f"one of {', '.join(CLEAN_ACTIONS)} (clean rules only)")
    max_line: Annotated[StrictInt, Field(ge=1)] | None = Field(
        None, description="a whole number of lines, 1 or more")
    trigger: NonEmpty | None = Field(None, description="a non-empty pattern (fact rules only)")


class RuleFile(_Strict):
    rules: list[dict[str, Any]] = Field(description="a list `rules:` of mappings, one per rule")


FragmentName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]


class FragmentFile(_Strict):
    fragments: dict[FragmentName, NonEmpty] = Field(description="a mapping NAME: pattern, names UPPER_CASE")


#: Per shipped lexicon, its entries' fields that are not word lists (every
#: other field is one, or a flag: true or false). `Tags` are lists of attributes shared by entries (a
#: metric's kinds), never re-mapped by a user's lexicon
#: (vocabulary.Lexicon.laid_over). A lexicon of another name (a plug-in's
#: own) may hold words, single values and mappings.
Tags = Annotated[list[Text], Field(json_schema_extra={"tags": True})]
ENTRY_FIELDS: dict[str, dict[str, Any]] = {
    "metrics": {"kinds": Tags, "units": Tags, "modifies": Text, "context_modifies": Text,
                "unnamed_change": StrictBool, "rated": StrictBool},
    "currencies": {"factors": dict[Text, Number]},
    "holidays": {"solar": Text, "lunar": Text, "term": Text, "shift": StrictInt},
    "locales": {"cues": Tags, "currency": Text, "min_cues": StrictInt},
    "entities": {"index": StrictBool},
    **{name: {} for name in ("changes", "context", "counters", "dates", "grammar", "magnitudes",
                             "numerals", "per_units", "qualifiers", "quantities", "scopes")},
}


def lexicon_tags(name: str) -> tuple[str, ...]:
    return tuple(f for f, t in ENTRY_FIELDS.get(name, {}).items() if t is Tags)


_KEY = "what the entry's words map to"
_ENTRIES = "a list of entries, each a mapping with a `key`"


def _entry_value(v: Any) -> Any:
    scalar = (str, int, float, bool, dt.date)
    if isinstance(v, scalar) or (isinstance(v, list) and all(isinstance(w, scalar) for w in v)) or (
            isinstance(v, dict) and all(isinstance(w, scalar) for w in (*v, *v.values()))):
        return v
    raise ValueError("must be a list of words, a single value, or a mapping word: value")


class Entry(BaseModel):
    """An entry of a lexicon of unknown name (a plug-in's own): a key, and
    fields of words, single values or mappings."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Annotated[Any, BeforeValidator(_entry_value)]]
    key: NonEmpty = Field(description=_KEY)


def _words_or_flag(v: Any) -> Any:
    scalar = (str, int, float, dt.date)
    if isinstance(v, bool) or (isinstance(v, list) and all(isinstance(w, scalar) for w in v)):
        return v
    raise ValueError("must be a list of words, or true or false for a flag (a shipped lexicon's field of another "
                     "shape is declared in ENTRY_FIELDS, zhipu_facts/engine/rule_schema.py)")


class _ExtraWords(BaseModel):
    """An entry of a shipped lexicon: its declared fields, every other a list
    of words or a flag (a word where a list belongs would be read letter by
    letter)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Annotated[Any, BeforeValidator(_words_or_flag)]]


def _entry_model(name: str) -> type[BaseModel]:
    if name not in ENTRY_FIELDS:
        return Entry
    fields = {f: (t | None, None) for f, t in ENTRY_FIELDS[name].items()}
    return create_model(f"Entry_{name}", __base__=_ExtraWords, key=(NonEmpty, Field(description=_KEY)), **fields)


class LexiconExample(Example):
    span: Text = Field(description="the exact text of the money or percent fact in `text`")


class LexiconFile(_Strict):
    lexicon: NonEmpty = Field(description="the lexicon's name (a user's file of a shipped name extends it)")
    entries: list[dict[str, Any]] = Field(description=_ENTRIES)
    fragments: dict[FragmentName, Text] = Field(
        {}, description="a mapping NAME: field (CUR: names), names UPPER_CASE")
    examples: list[LexiconExample] = Field([], description="a list of examples (text, span, metric, subject)")


_LEXICON_MODELS: dict[str, type[BaseModel]] = {}


def lexicon_model(name: Any) -> type[BaseModel]:
    """The schema of a lexicon file: its entries' fields as ENTRY_FIELDS
    declares them for its name, or free for a plug-in's own lexicon."""
    name = name if isinstance(name, str) else ""
    if name not in _LEXICON_MODELS:
        _LEXICON_MODELS[name] = create_model(f"Lexicon_{name}", __base__=LexiconFile,
                                             entries=(list[_entry_model(name)], Field(description=_ENTRIES)))
    return _LEXICON_MODELS[name]


def validated(model: type[BaseModel], data: Any) -> tuple[BaseModel | None, list[tuple[tuple, str]]]:
    """Data read as the model, or None and (path to the bad value, message)
    for each way it breaks the model."""
    try:
        return model.model_validate(data), []
    except ValidationError as e:
        return None, [(tuple(err["loc"]), _message(model, err)) for err in e.errors()]


def problems_of(model: type[BaseModel], data: Any) -> list[tuple[tuple, str]]:
    return validated(model, data)[1]


def _message(model: type[BaseModel], err: dict) -> str:
    loc = tuple(err["loc"])
    name = str(loc[-1]) if loc else ""
    where = _shown(loc)
    if err["type"] == "missing":
        desc = _description(model, loc)
        owner = _shown(loc[:-1])
        return f"{owner + ' ' if owner else ''}needs `{name}`" + (f": {desc}" if desc else "")
    if err["type"] == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return f"unknown key `{where}`" + (f"; allowed: {allowed}" if allowed else "")
    where = where or "the file"
    if loc and loc[-1] == "[key]":  # a mapping's key, not its value: fragments: {baht: ...}
        return f"{_shown(loc[:-2])}: the name {loc[-2]!r} must be {_TYPE_WORDS.get(err['type'], err['msg'])}"
    desc = _description(model, loc)
    got = err.get("input")
    if err["type"] == "value_error":
        return f"{where} {err['ctx']['error']}, got {got!r}"
    desc = desc or _TYPE_WORDS.get(err["type"])
    if desc:
        return f"{where} must be {desc}, got {got!r}"
    return f"{where}: {err['msg']}, got {got!r}"


#: How a value of a field without a description is named in a message.
_TYPE_WORDS = {"list_type": "a list", "string_type": "a word or a sentence (text)", "bool_type": "true or false",
               "int_type": "a whole number", "dict_type": "a mapping", "decimal_parsing": "a number",
               "decimal_type": "a number", "date_from_datetime_parsing": "a date YYYY-MM-DD",
               "date_parsing": "a date YYYY-MM-DD", "date_type": "a date YYYY-MM-DD",
               "model_type": "a mapping", "model_attributes_type": "a mapping",
               "string_pattern_mismatch": "UPPER_CASE (A-Z, 0-9 and _, a letter first)"}


def _shown(loc: tuple) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    for step in loc:
        if isinstance(step, int) or model is None:
            continue
        info = model.model_fields.get(str(step))
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _description(model: type[BaseModel], loc: tuple) -> str | None:
    named = [s for s in loc if not isinstance(s, int)]
    if not named:
        return None
    parent = _model_at(model, loc[:max(i for i, s in enumerate(loc) if not isinstance(s, int))])
    info = parent.model_fields.get(str(named[-1])) if parent else None
    return info.description if info else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
