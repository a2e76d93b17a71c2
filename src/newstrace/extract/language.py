"""The language of an article's text (py3langid, whose model ships in the package)."""

from __future__ import annotations

import py3langid

_SAMPLE_CHARS = 3000
_MIN_WORDS = 8


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the text; the page's declared language when the text is too short to tell."""
    if len(text.split()) >= _MIN_WORDS:
        code, _ = py3langid.classify(text[:_SAMPLE_CHARS])
        return code
    if declared:
        return declared.split("-")[0].split("_")[0].lower() or None
    return None
