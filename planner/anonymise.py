"""Codes for post and employee ids, and names taken out of text, for anonymised exports.

An anonymised workbook must still join: the same post id gets the same code on every
sheet, so a reader can follow a post from the redeployment matches to the leavers.
Codes are a keyed hash (HMAC-SHA-256 with a random key made for each export, first 10
hex characters, prefixed ``P-`` for posts and ``E-`` for employees): without the key,
which is never written anywhere, nobody can rebuild the code of a known id to find it
in the file, and two exports of the same establishment give different codes.

Free text (warnings, action descriptions, data-quality messages, scenario names) can
mention an id or a name too, so :meth:`Anonymiser.scrub` replaces whole-word
occurrences of the establishment's ids and names. To avoid turning ordinary words and
numbers into codes, ids are looked for in text only when they cannot be mistaken for
one (at least 5 characters, or at least 3 mixing letters and digits, like ``P001019``);
whole cells holding an id column are always coded (:meth:`Anonymiser.frame`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

import pandas as pd

POST_PREFIX, EMPLOYEE_PREFIX = "P-", "E-"
CODE_LENGTH = 10
NAME_LEFT_OUT = "(name left out)"
#: Frame columns holding ids, and the prefix of their codes.
ID_COLUMNS: dict[str, str] = {
    "post_id": POST_PREFIX, "to_post_id": POST_PREFIX, "reports_to": POST_PREFIX,
    "employee_id": EMPLOYEE_PREFIX,
}
NAME_COLUMNS = ("employee_name",)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-./]*[A-Za-z0-9]|[A-Za-z0-9]")
_WORD_CHAR = re.compile(r"\w")
_SEPARATORS = re.compile(r"[./]")
_PIECE = re.compile(r"[A-Za-z0-9_\-]+")
NOTICE = "Anonymised: names removed, ids replaced by codes."
PERSONAL_NOTICE = ("Contains personal data: employee names and ids. Store and share it as "
                   "your council's data-protection policy says.")


def wants_anonymous(anonymise: bool | None, include_names: bool | None = None) -> bool:
    """Resolve ``anonymise`` (default on) and the older ``include_names`` flag."""
    if anonymise is not None and include_names is not None and anonymise == include_names:
        raise ValueError("anonymise and include_names disagree: pass only anonymise")
    if anonymise is not None:
        return anonymise
    return not include_names


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _searchable(token: str) -> bool:
    """Can ``token`` be looked for in free text without hitting ordinary words?"""
    has_digit, has_alpha = any(c.isdigit() for c in token), any(c.isalpha() for c in token)
    return len(token) >= 5 or (len(token) >= 3 and has_digit and has_alpha)


class Anonymiser:
    """Codes ids and removes names for one export (one key, so codes agree across sheets)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)
        self._ids: dict[str, str] = {}  # id text → code, for scrubbing free text
        self._names: dict[str, list[str]] = {}  # first word → full names (longest first)
        self._cache: dict[str, str] = {}

    @classmethod
    def for_posts(cls, *frames: pd.DataFrame | None, key: bytes | None = None) -> Anonymiser:
        """An anonymiser that knows the ids and names in the given posts tables."""
        anon = cls(key)
        for frame in frames:
            if frame is None:
                continue
            for column, prefix in ID_COLUMNS.items():
                if column in frame:
                    anon.learn_ids(frame[column].dropna().unique(), prefix)
            for column in NAME_COLUMNS:
                if column in frame:
                    anon.learn_names(frame[column].dropna().unique())
        return anon

    def learn_ids(self, values: Iterable[object], prefix: str) -> None:
        for value in values:
            text = _text(value)
            if text is not None and _searchable(text):
                self._ids.setdefault(text, self.code(text, prefix))
        self._cache.clear()

    def learn_names(self, values: Iterable[object]) -> None:
        for value in values:
            text = _text(value)
            if text is None or len(text) < 4:
                continue
            first = _TOKEN.search(text)
            if first is None:
                continue
            names = self._names.setdefault(first.group(), [])
            if text not in names:
                names.append(text)
                names.sort(key=len, reverse=True)
        self._cache.clear()

    def code(self, value: object, prefix: str = POST_PREFIX) -> str:
        """``prefix`` + the first 10 hex characters of HMAC-SHA-256(key, id)."""
        text = _text(value) or ""
        digest = hmac.new(self._key, f"{prefix}{text}".encode(), hashlib.sha256).hexdigest()
        return prefix + digest[:CODE_LENGTH]

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy with id columns coded and name columns dropped."""
        out = frame.drop(columns=[c for c in NAME_COLUMNS if c in frame])
        for column, prefix in ID_COLUMNS.items():
            if column in out:
                out[column] = [None if _text(v) is None else self.code(v, prefix)
                               for v in out[column].astype(object)]
        return out

    def scrub(self, text: str) -> str:
        """``text`` with known ids replaced by their codes and known names left out."""
        if not self._ids and not self._names:
            return text
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        whole = text.strip()
        out = self._ids[whole] if whole in self._ids else self._replace(text)
        self._cache[text] = out
        return out

    def _replace(self, text: str) -> str:
        parts: list[str] = []
        pos = 0
        for match in _TOKEN.finditer(text):
            start = match.start()
            if start < pos:
                continue
            token = match.group()
            name = self._name_at(text, start, token)
            if name is not None:
                parts += [text[pos:start], NAME_LEFT_OUT]
                pos = start + len(name)
            elif token in self._ids:
                parts += [text[pos:start], self._ids[token]]
                pos = match.end()
            elif _SEPARATORS.search(token):  # "P001019/P001020": look at each piece
                for piece in _PIECE.finditer(token):
                    if piece.group() in self._ids:
                        parts += [text[pos:start + piece.start()], self._ids[piece.group()]]
                        pos = start + piece.end()
        return "".join(parts) + text[pos:] if parts else text

    def _name_at(self, text: str, start: int, token: str) -> str | None:
        for name in self._names.get(token, ()):
            end = start + len(name)
            if text.startswith(name, start) and (
                    end == len(text) or not _WORD_CHAR.match(text[end])):
                return name
        return None
