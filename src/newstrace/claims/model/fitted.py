"""The small fitted models (the content chooser, the boundary ranker, the attribution confidence):
the logistic model they share, and their JSON files.

Each file names the features its weights are for: a file fitted on other features than this
version computes is refused, not misread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy


@dataclass(frozen=True, slots=True)
class Logistic:
    """A logistic model on standardised features."""

    weights: numpy.ndarray
    mean: numpy.ndarray
    scale: numpy.ndarray
    bias: float

    def logit(self, features: numpy.ndarray) -> float:
        return float((features - self.mean) / self.scale @ self.weights + self.bias)

    def probability(self, features: numpy.ndarray) -> float:
        return 1.0 / (1.0 + float(numpy.exp(-self.logit(features))))

    def to_record(self) -> dict:
        return {"weights": self.weights.tolist(), "mean": self.mean.tolist(), "scale": self.scale.tolist(), "bias": self.bias}

    @classmethod
    def from_record(cls, record: dict) -> Logistic:
        return cls(*(numpy.asarray(record[k], dtype=numpy.float64) for k in ("weights", "mean", "scale")), float(record["bias"]))


def fit_logistic(features: numpy.ndarray, labels: numpy.ndarray, l2: float = 1.0, steps: int = 50) -> Logistic:
    """Fit a logistic model by Newton's method (deterministic) on standardised ``features`` (one row
    per example) and 0/1 ``labels``, the weights shrunk by ``l2``. With no examples, every weight
    and the bias are zero."""
    x = numpy.asarray(features, dtype=numpy.float64)
    y = numpy.asarray(labels, dtype=numpy.float64)
    width = x.shape[1]
    if not len(y):
        return Logistic(numpy.zeros(width), numpy.zeros(width), numpy.ones(width), 0.0)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    design = numpy.hstack([(x - mean) / scale, numpy.ones((len(x), 1))])
    penalty = numpy.full(design.shape[1], l2)
    penalty[-1] = 1e-6  # the bias is (all but) not shrunk
    w = numpy.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + numpy.exp(-(design @ w)))
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + numpy.diag(penalty)
        step = numpy.linalg.solve(hessian, gradient)
        w -= step
        if numpy.abs(step).max() < 1e-9:
            break
    return Logistic(w[:-1], mean, scale, float(w[-1]))


def write_fitted(path: str | Path, features: Sequence[str], fields: dict) -> None:
    """Save a fitted model's ``fields`` (JSON-ready) with the names of its ``features``."""
    record = {"features": list(features), **fields}
    Path(path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def read_fitted(path: str | Path, features: Sequence[str], what: str) -> dict:
    """A fitted model's saved fields; ValueError naming ``what`` and the file if its features differ."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(record["features"]) != tuple(features):
        raise ValueError(f"{path}: the {what} was fitted on other features than this version computes; retrain the model")
    return record
