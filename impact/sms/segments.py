"""How many SMS segments a text costs (pure functions, no Django).

GSM-7 (3GPP TS 23.038): 160 septets in one message, 153 per part of a longer one;
a character of the extension table costs two septets (an escape and itself) and is
never split across parts. Anything outside GSM-7 makes the whole text UCS-2: 70
UTF-16 code units in one message, 67 per part, a surrogate pair never split.
"""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")

# Look-alikes that keep a text in GSM-7 (as providers' "smart encoding" does):
# one accented letter would otherwise cut a segment from 160 characters to 70.
GSM_LOOKALIKES = str.maketrans(
    {
        "á": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "Á": "A",
        "Í": "I",
        "Ó": "O",
        "Ú": "U",
        "â": "a",
        "ê": "e",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ç": "c",
        "ã": "a",
        "õ": "o",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def is_gsm7(text):
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def to_gsm(text):
    """`text` with look-alike characters replaced so it stays in GSM-7 where it can."""
    return text.translate(GSM_LOOKALIKES)


def _costs(text):
    if is_gsm7(text):
        return "GSM-7", [2 if ch in GSM_EXTENSION else 1 for ch in text], 160, 153
    return "UCS-2", [2 if ord(ch) > 0xFFFF else 1 for ch in text], 70, 67


def segment_count(text):
    """(encoding, number of segments) for `text`; an empty text is one segment."""
    encoding, costs, single, part = _costs(text)
    if sum(costs) <= single:
        return encoding, 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:  # an escape pair or surrogate pair is never split
            segments += 1
            used = 0
        used += cost
    return encoding, segments


def fit(text, max_segments):
    """`text` cut (at a word, with "...") so it takes at most `max_segments`."""
    text = to_gsm(text)
    if segment_count(text)[1] <= max_segments:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with the marker
        mid = (low + high + 1) // 2
        if segment_count(text[:mid].rstrip() + "...")[1] <= max_segments:
            low = mid
        else:
            high = mid - 1
    cut = text[:low]
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "..."
