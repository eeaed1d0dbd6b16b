"""The audit log: who changed what, when (UTC), before and after."""

from __future__ import annotations

from typing import Any

from tafel import db
from tafel.core.models import AuditEntry


def record(
    action: str,
    obj: Any,
    actor: Any | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add an audit entry for `obj` to the session (the caller commits)."""
    if getattr(obj, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        actor_id=getattr(actor, "id", None),
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(entry)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Reduce two snapshots to the keys that differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
