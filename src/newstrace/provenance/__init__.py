"""Provenance: ``Article → Origin``. Who first wrote the text, with evidence, and its fingerprint."""

from newstrace.provenance.fingerprint import fingerprint_text
from newstrace.provenance.origin import find_origin

__all__ = ["find_origin", "fingerprint_text"]
