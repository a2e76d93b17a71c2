"""ISO 8601 timestamps from source metadata (JSON Lines fields, WARC-Date headers) as aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def iso_moment(value: Any) -> datetime | None:
    """``value`` read as an ISO 8601 moment ("Z" allowed; no zone means UTC), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
