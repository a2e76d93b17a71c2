"""newstrace: read the news like an analyst.

The pipeline (DESIGN.md): sources → extract → provenance → claims → store → link → serve.
``newstrace.pipeline`` runs the per-document stages; the CLI, the web server and Dask all call it.
"""

__version__ = "0.1.0"
