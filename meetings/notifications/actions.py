"""Creating and reading notifications. Messages are rendered in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from meetings.db import utcnow
from meetings.i18n import N_, gettext, local_datetime
from meetings.notifications.models import Notification

# What changed, for amendments and change notices; values come from the stored data.
CHANGES = {
    "item_added": N_("item “%(item)s” added"),
    "item_changed": N_("item “%(item)s” changed"),
    "item_withdrawn": N_("item “%(item)s” withdrawn"),
    "items_reordered": N_("the order of the items changed"),
    "time_changed": N_("new time %(when)s"),
    "place_changed": N_("new place %(place)s"),
    "details_changed": N_("details changed"),
}

MESSAGES = {
    "invitation": N_("You are invited to “%(title)s” at %(when)s."),
    "meeting_changed": N_("“%(title)s” has changed: %(change)s"),
    "meeting_cancelled": N_("“%(title)s” has been cancelled: %(reason)s"),
    "meeting_postponed": N_("“%(title)s” has been postponed: %(reason)s"),
    "agenda_amended": N_("The agenda of “%(title)s” has changed: %(change)s"),
    "documents_published": N_("%(count)s documents of “%(title)s” have been published."),
    "document_version": N_("Version %(number)s of “%(document)s” (%(title)s) has been published."),
    "document_withdrawn": N_("“%(document)s” (%(title)s) has been withdrawn."),
    "substitute": N_("You will attend “%(title)s” at %(when)s in place of %(principal)s."),
    "ballot_opened": N_("Your opinion is asked on “%(question)s”, before %(when)s."),
    "ballot_reminder": N_("Reminder: your opinion on “%(question)s” is due before %(when)s."),
    "task_assigned": N_("You are responsible for the task “%(title)s”, due on %(due)s."),
    "task_due_soon": N_("Reminder: the task “%(title)s” is due on %(due)s."),
    "task_overdue": N_("The task “%(title)s” was due on %(due)s and is overdue."),
    "task_submitted": N_("The task “%(title)s” is reported done: accept it or return it."),
    "task_accepted": N_("The task “%(title)s” has been accepted as done."),
    "task_returned": N_("The task “%(title)s” has been returned to you: %(reason)s"),
    "task_cancelled": N_("The task “%(title)s” has been cancelled: %(reason)s"),
    "minutes_circulated": N_("The minutes of “%(title)s” are circulated for your comments."),
    "conclusions_circulated": N_(
        "The conclusion notice of “%(title)s” is circulated for your comments."
    ),
    "addendum_circulated": N_(
        "An addendum to the records of “%(title)s” is circulated for your comments."
    ),
    "minutes_approved": N_("The minutes of “%(title)s” are approved and final."),
    "conclusions_approved": N_("The conclusion notice of “%(title)s” is approved and final."),
    "addendum_approved": N_("An addendum to the records of “%(title)s” is approved and final."),
}


# Where a notification leads, by the id its data carries (the first that applies).
LINKS = (
    ("poll_id", "/polls/{}", N_("Open the ballot")),
    ("task_id", "/tasks/{}", N_("Open the task")),
    ("record_id", "/records/{}", N_("Open the record")),
)


def link(row: Notification) -> tuple[str, str]:
    """The page a notification leads to and the words for the button ("" when none)."""
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        data = {}
    for key, path, words in LINKS:
        if isinstance(data.get(key), int):
            return path.format(data[key]), gettext(words)
    if row.meeting_id:
        return f"/meetings/{row.meeting_id}", gettext("Open the meeting")
    return "", ""


def notify(
    db: Session,
    user_ids: Iterable[int | None],
    kind: str,
    *,
    organisation_id: int | None,
    meeting_id: int | None = None,
    **data: Any,
) -> int:
    """Queue a notification for each user (in the caller's transaction); return how many."""
    assert kind in MESSAGES, kind
    payload = json.dumps(data, ensure_ascii=False, default=str)
    count = 0
    for user_id in dict.fromkeys(uid for uid in user_ids if uid):
        db.add(
            Notification(
                user_id=user_id,
                organisation_id=organisation_id,
                kind=kind,
                meeting_id=meeting_id,
                data=payload,
            )
        )
        count += 1
    return count


def render(template: str, raw: str) -> str:
    """A stored message (template and JSON values) in the current language and time zone."""
    data = json.loads(raw)
    for key in ("when", "new_when"):
        if key in data:
            data[key] = local_datetime(datetime.fromisoformat(data[key]), "short")
    kind = data.get("change_kind")
    if kind:
        change = CHANGES[kind]
        data["change"] = gettext(change, **data)
    return gettext(template, **data)


def change_text(kind: str, raw: str) -> str:
    """An amendment's description in the current language."""
    return render(CHANGES[kind], raw)


def message(notification: Notification) -> str:
    """The notification's text in the current language."""
    return render(MESSAGES[notification.kind], notification.data)


def for_user(db: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(col(Notification.id).desc())
            .limit(limit)
        )
    )


def unread_count(db: Session, user_id: int) -> int:
    rows = db.exec(
        select(Notification.id).where(
            Notification.user_id == user_id, col(Notification.read_at).is_(None)
        )
    ).all()
    return len(rows)


def mark_all_read(db: Session, user_id: int) -> None:
    now = utcnow()
    for row in db.exec(
        select(Notification).where(
            Notification.user_id == user_id, col(Notification.read_at).is_(None)
        )
    ):
        row.read_at = now
        db.add(row)
    db.commit()
