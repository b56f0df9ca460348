"""Candidate photos and company logos in Django's default storage: the services for pictures.

The pixels are made by `helpers.images` (pure); this module puts them in storage and on the row:

- A row has one picture slot (`SLOTS`): the picture and its thumbnail, two FileFields that only the
  services here write (`editable=False`, so no form or body can set them).
- Names are random (`photos/<token>.jpg`, `photos/<token>-thumb.jpg`), never the uploaded name.
- Replacing or removing a picture deletes the old files after the transaction commits, so a rollback
  never leaves a row pointing at deleted files; deleting a row (directly or by the cascade from its
  account) does the same through `delete_files_of_deleted_row`, connected in `ProfilesConfig.ready`.
  When storing fails halfway, the files already written are deleted at once; files left behind by
  a transaction rolled back later, or by a failed delete, are found by `orphan_files`
  (`manage.py picture_orphans`).
- A storage that refuses or does not answer (an S3 outage, a full or read-only disk) is
  `StorageUnavailable`: the row keeps its old picture, and the view answers 503 with `Retry-After`.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from helpers.images import Picture
from profiles.models import Company, Profile

logger = logging.getLogger(__name__)

# What django-storages and the file system raise when the storage is down, hung or refusing writes.
STORAGE_ERRORS = (BotoCoreError, ClientError, OSError)
STORAGE_RETRY_AFTER_SECONDS = 30


class StorageUnavailable(Exception):
    """The picture storage could not be written; nothing was stored, the client should retry later."""


# Room for the multipart boundary, part headers and other form fields around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


def upload_body_limit() -> int:
    """The longest request body that may carry a picture; longer ones are refused unread (413)."""
    return settings.IMAGE_MAX_BYTES + MULTIPART_ALLOWANCE


def upload_too_large_message() -> str:
    return f"The upload is larger than the {settings.IMAGE_MAX_BYTES / 1024 / 1024:g} MB limit."


@dataclass(frozen=True)
class PictureSlot:
    picture: str  # the FileField holding the picture
    thumbnail: str  # the FileField holding its thumbnail
    folder: str  # the storage folder of both (the fields' upload_to)


SLOTS = {
    Profile: PictureSlot(picture="photo", thumbnail="photo_thumbnail", folder="photos"),
    Company: PictureSlot(picture="logo", thumbnail="logo_thumbnail", folder="logos"),
}


def stored_names(row) -> list[str]:
    """The storage names of `row`'s picture files (none when it has no picture)."""
    slot = SLOTS[type(row)]
    return [name for name in (getattr(row, slot.picture).name, getattr(row, slot.thumbnail).name) if name]


def files_delete(names) -> None:
    """Delete stored files; a file already gone is fine, any other storage error is logged, not raised.

    Runs after a commit, when the rows no longer name these files: a failure leaves an orphan for
    `manage.py picture_orphans`, never a broken row.
    """
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete the stored picture %s", name)


def files_delete_after_commit(names) -> None:
    names = list(names)
    if names:
        transaction.on_commit(lambda: files_delete(names))


@transaction.atomic
def picture_replace(*, row, picture: Picture):
    """Store `picture` as `row`'s picture and thumbnail; the old files go once this commits.

    The row is locked first, so two uploads at once each delete exactly the files they replaced.
    """
    slot = SLOTS[type(row)]
    locked = type(row).objects.select_for_update().get(pk=row.pk)
    old_names = stored_names(locked)
    token = secrets.token_urlsafe(18)
    written = []
    try:
        for field, content, suffix in (
            (slot.picture, picture.picture, ""),
            (slot.thumbnail, picture.thumbnail, "-thumb"),
        ):
            stored = getattr(locked, field)
            stored.save(f"{token}{suffix}.{picture.extension}", ContentFile(content), save=False)
            written.append(stored.name)
        locked.save(update_fields=[slot.picture, slot.thumbnail, "updated_at"])
    except STORAGE_ERRORS as error:
        files_delete(written)
        logger.warning("picture storage unavailable: %s: %s", type(error).__name__, error)
        raise StorageUnavailable from error
    except BaseException:
        files_delete(written)
        raise
    files_delete_after_commit(old_names)
    return locked


@transaction.atomic
def picture_remove(*, row):
    """Clear `row`'s picture; its files go once this commits. No picture: nothing happens."""
    slot = SLOTS[type(row)]
    locked = type(row).objects.select_for_update().get(pk=row.pk)
    old_names = stored_names(locked)
    if old_names:
        setattr(locked, slot.picture, "")
        setattr(locked, slot.thumbnail, "")
        locked.save(update_fields=[slot.picture, slot.thumbnail, "updated_at"])
        files_delete_after_commit(old_names)
    return locked


def delete_files_of_deleted_row(sender, instance, **kwargs):
    """post_delete receiver: a deleted profile or company (cascades included) takes its files along.

    A signal, not a service call, because an account's deletion (djoser, the admin, a queryset
    delete) removes these rows by cascade without passing through any service of this app.
    """
    files_delete_after_commit(stored_names(instance))


def _walk(storage, folder):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def orphan_files(*, min_age: timedelta = timedelta(hours=1)) -> list[str]:
    """Stored picture files that no row names, older than `min_age`, sorted.

    Only the picture folders are searched, so nothing else in the storage is ever reported. The age
    keeps out the files of an upload still in flight (written, its transaction not yet committed).
    """
    referenced = set()
    for model, slot in SLOTS.items():
        for names in model.objects.values_list(slot.picture, slot.thumbnail):
            referenced.update(names)
    cutoff = timezone.now() - min_age
    orphans = []
    for slot in SLOTS.values():
        try:
            names = list(_walk(default_storage, slot.folder))
        except FileNotFoundError:
            continue
        for name in names:
            if name not in referenced and default_storage.get_modified_time(name) <= cutoff:
                orphans.append(name)
    return sorted(orphans)
