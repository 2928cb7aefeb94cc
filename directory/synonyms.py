"""Search words to what they should match: synonyms, in English and Spanish.

The lists are shipped data (directory/data/synonyms.json: one group per line, any
entry of a group matches every other). A query is cut into concepts: the longest
group entry found at each position ("rent help", "legal aid") or else one word.
Each concept becomes the alternatives it may match (itself and its group); the
search matches every concept (AND) through any of its alternatives (OR).
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.json"
MAX_PHRASE_WORDS = 5
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def normalize(text):
    """Lower case, no accents, single spaces: how entries and exact matches compare."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD_RE.findall(text.lower()))


@functools.cache
def synonym_groups(path=SYNONYMS_PATH):
    """{normalised entry: tuple of the entries of every group holding it}."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    groups = {}
    for language in ("en", "es"):
        for group in data.get(language, []):
            entries = [e for e in dict.fromkeys(g.strip() for g in group) if e]
            for entry in entries:
                key = normalize(entry)
                known = groups.setdefault(key, [])
                known.extend(e for e in entries if e not in known)
    return {key: tuple(values) for key, values in groups.items()}


def concepts(words):
    """[(what was typed, (alternatives...))] for a list of query words."""
    groups = synonym_groups()
    normalised = [normalize(w) for w in words]
    found = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            key = " ".join(normalised[i : i + size])
            if size > 1 and key not in groups:
                continue
            typed = " ".join(words[i : i + size])
            alternatives = [typed]
            alternatives.extend(a for a in groups.get(key, ()) if normalize(a) != normalize(typed))
            found.append((typed, tuple(alternatives)))
            i += size
            break
    return found
