"""Documents of a meeting: the same checks and storage as submission
attachments (content-based type check, size limit, generated names outside
static/, always served as a download)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from tafel import db
from tafel.core import audit
from tafel.core import uploads as files
from tafel.meetings.models import AgendaItem, Meeting, MeetingDocument

MAX_DOCUMENTS = 60


def directory():
    return files.upload_dir(current_app)


def validate(file_storage, meeting: Meeting) -> files.ValidatedUpload:
    """The checked upload; a refusal names the form's `file` field."""
    try:
        if len(meeting.documents) >= MAX_DOCUMENTS:
            raise files.UploadError(
                "count", _("Een vergadering heeft hoogstens %(n)s documenten.", n=MAX_DOCUMENTS)
            )
        return files.validate_upload(file_storage, existing_count=0)
    except files.UploadError as error:
        error.field = "file"
        raise


def add(
    meeting: Meeting, actor, upload: files.ValidatedUpload, visibility: str, item: AgendaItem | None
) -> MeetingDocument:
    with upload:
        try:  # the file is moved into place when the request commits
            stored_name = files.store(upload, directory())
        except files.UploadError as error:
            error.field = "file"
            raise
    row = MeetingDocument(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        visibility=visibility,
        original_name=upload.original_name,
        stored_name=stored_name,
        mime_type=upload.mime_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by_id=actor.id,
    )
    meeting.documents.append(row)
    db.session.flush()
    audit.record("meeting_document.add", row, actor, after={"name": row.original_name})
    return row


def remove(document: MeetingDocument, actor) -> None:
    """Delete the record; its file goes once that is committed."""
    files.remove_on_commit(document.stored_name, directory())
    audit.record(
        "meeting_document.remove", document, actor, before={"name": document.original_name}
    )
    db.session.delete(document)


def send(document: MeetingDocument):
    return files.send_stored(document, directory())
