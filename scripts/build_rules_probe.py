"""Build src/newstrace/data/rules_probe.spacy: the probe sentences (rules_probe.txt) as parsed now.

    PYTHONPATH=src python scripts/build_rules_probe.py

The attribution model records a digest of what the rules read in these parses
(``network.rules_fingerprint``); storing the parses, not re-parsing, keeps that digest the same on
every machine. Rebuilding the probe changes the digest: update the shipped model's meta.json (or
retrain) in the same change.
"""

from spacy.tokens import DocBin

from newstrace.claims.model.network import PROBE_DOCS, PROBE_TEXT
from newstrace.claims.nlp import load_nlp

lines = [line for line in PROBE_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
store = DocBin(attrs=["ORTH", "TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE", "SENT_START"])
for doc in load_nlp().pipe(lines):
    store.add(doc)
PROBE_DOCS.write_bytes(store.to_bytes())
print(f"wrote {PROBE_DOCS} ({len(lines)} sentences)")
