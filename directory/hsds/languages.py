"""Language names and codes as sources write them: "Spanish", "es", "spa",
"Chinese (Mandarin)". A small table of the languages US directories list; a name
not in it (and not already in the database) is reported, not guessed."""

import re

# ISO 639-1 where it exists, else ISO 639-3; English names.
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "cmn": "Mandarin",
    "yue": "Cantonese",
    "nan": "Taiwanese",
    "tl": "Tagalog",
    "vi": "Vietnamese",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
    "fr": "French",
    "ht": "Haitian Creole",
    "pt": "Portuguese",
    "pl": "Polish",
    "it": "Italian",
    "de": "German",
    "hi": "Hindi",
    "ur": "Urdu",
    "ja": "Japanese",
    "hmn": "Hmong",
    "so": "Somali",
    "am": "Amharic",
    "fa": "Persian",
    "prs": "Dari",
    "ps": "Pashto",
    "uk": "Ukrainian",
    "gu": "Gujarati",
    "pa": "Punjabi",
    "bn": "Bengali",
    "th": "Thai",
    "km": "Khmer",
    "lo": "Lao",
    "el": "Greek",
    "he": "Hebrew",
    "yi": "Yiddish",
    "hy": "Armenian",
    "sw": "Swahili",
    "my": "Burmese",
    "ne": "Nepali",
    "ti": "Tigrinya",
    "om": "Oromo",
    "tr": "Turkish",
    "ro": "Romanian",
    "sr": "Serbian",
    "bs": "Bosnian",
    "hr": "Croatian",
    "sq": "Albanian",
    "yo": "Yoruba",
    "ig": "Igbo",
    "nl": "Dutch",
    "sv": "Swedish",
    "ms": "Malay",
    "id": "Indonesian",
    "te": "Telugu",
    "ta": "Tamil",
    "ml": "Malayalam",
    "mr": "Marathi",
    "lt": "Lithuanian",
    "cs": "Czech",
    "sk": "Slovak",
    "hu": "Hungarian",
    "bg": "Bulgarian",
    "ka": "Georgian",
    "ku": "Kurdish",
    "uz": "Uzbek",
    "rw": "Kinyarwanda",
    "rn": "Kirundi",
    "ff": "Fula",
    "wo": "Wolof",
    "mh": "Marshallese",
    "sm": "Samoan",
    "to": "Tongan",
    "chk": "Chuukese",
    "ilo": "Ilocano",
    "nv": "Navajo",
    "ase": "American Sign Language",
    "quc": "K'iche'",
    "mam": "Mam",
}
_ALIASES = {
    "asl": "ase",
    "sign language": "ase",
    "farsi": "fa",
    "creole": "ht",
    "haitian": "ht",
    "kreyol": "ht",
    "filipino": "tl",
    "mandarin chinese": "cmn",
    "cantonese chinese": "yue",
    "hokkien": "nan",
    "cambodian": "km",
    "laotian": "lo",
    "burmese": "my",
    "hebrew": "he",
    "punjabi": "pa",
    "eng": "en",
    "spa": "es",
    "zho": "zh",
    "chi": "zh",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "vie": "vi",
    "kor": "ko",
    "rus": "ru",
    "ara": "ar",
    "tgl": "tl",
    "por": "pt",
    "pol": "pl",
    "ita": "it",
    "urd": "ur",
    "hin": "hi",
}
_BY_NAME = {name.lower(): code for code, name in LANGUAGES.items()}


def resolve(value):
    """(code, name) for a language name or code; None when we cannot tell."""
    word = " ".join(str(value or "").split()).strip().lower()
    if not word:
        return None
    # "Chinese (Mandarin)": the variety in brackets is the more precise answer.
    inner = re.match(r"^(.*?)\s*\((.+)\)$", word)
    candidates = [inner.group(2), inner.group(1)] if inner else [word]
    for candidate in candidates:
        code = _ALIASES.get(candidate) or _BY_NAME.get(candidate)
        if code is None and candidate in LANGUAGES:
            code = candidate
        if code is None and re.fullmatch(r"[a-z]{2,3}-[a-z]{2}", candidate):
            base = candidate.split("-")[0]
            code = base if base in LANGUAGES else None
        if code:
            return code, LANGUAGES[code]
    return None
