"""Uploaded files and the files chitra reads: the limits of the settings in one place.

* :func:`read_limits` turns the settings (``CHITRA_UPLOAD_MAX_BYTES``...) into the engine's
  :class:`~chitra.engine.sheets.limits.ReadLimits`; every service that reads a file passes them, so
  pages, API, tasks and commands apply the same limits.
* :class:`LimitedUploadHandler` (first of ``FILE_UPLOAD_HANDLERS``) stops an uploaded file at
  the size limit while the request is read: the bytes above it are never stored, what was
  spooled is deleted, and the request remembers which field was refused.
* :class:`UploadForm` turns that into a clear error on the field; :func:`validate_upload_size`
  and :func:`validate_spreadsheet` are the fields' validators (the spreadsheet one also looks at
  a zipped workbook's declared sizes before the file is stored).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from chitra.engine.sheets.limits import ZIPPED_EXTENSIONS, ReadLimits, check_archive
from chitra.engine.sheets.reading import TableReadError

__all__ = [
    "LimitedUploadHandler",
    "UploadForm",
    "oversize_message",
    "read_limits",
    "refused_uploads",
    "store_upload",
    "validate_spreadsheet",
    "validate_upload_size",
]

#: room for the form's other fields (CSRF token, sheet name...) in a multipart body
_FORM_SLACK = 1024 * 1024
_REFUSED = "_chitra_refused_uploads"


def read_limits() -> ReadLimits:
    return ReadLimits(
        max_bytes=settings.CHITRA_UPLOAD_MAX_BYTES,
        max_inflated_bytes=settings.CHITRA_UPLOAD_MAX_INFLATED_BYTES,
        max_ratio=settings.CHITRA_UPLOAD_MAX_RATIO,
        max_members=settings.CHITRA_UPLOAD_MAX_MEMBERS,
        max_rows=settings.CHITRA_IMPORT_MAX_ROWS,
        max_columns=settings.CHITRA_IMPORT_MAX_COLUMNS,
    )


def oversize_message(name: str = "") -> str:
    limit = filesizeformat(settings.CHITRA_UPLOAD_MAX_BYTES)
    if name:
        return _(
            "The file %(name)s is larger than %(limit)s, the largest file accepted; it was "
            "not stored. Split it into smaller files."
        ) % {"name": name, "limit": limit}
    return _(
        "The file is larger than %(limit)s, the largest file accepted; it was not "
        "stored. Split it into smaller files."
    ) % {"limit": limit}


def refused_uploads(request: HttpRequest | None) -> dict[str, str]:
    """``field name -> file name`` of the files the upload handler refused in ``request``."""
    if request is None:
        return {}
    if request.method == "POST":
        request.FILES  # noqa: B018 - the body is parsed lazily: parse it (once) now
    return dict(getattr(request, _REFUSED, {}))


def _refuse(request: Any, field_name: str, file_name: str) -> None:
    if request is None:
        return
    refused = getattr(request, _REFUSED, None)
    if refused is None:
        refused = {}
        setattr(request, _REFUSED, refused)
    refused[field_name] = file_name or ""


class LimitedUploadHandler(FileUploadHandler):
    """Refuses an uploaded file larger than ``CHITRA_UPLOAD_MAX_BYTES`` as it arrives.

    A body far larger than the limit stops the upload at the first file (nothing of it is
    read into a file); a file part that grows past the limit is skipped (the handlers after
    this one drop what they spooled) and the rest of the form is still read."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.limit = settings.CHITRA_UPLOAD_MAX_BYTES
        self.body_too_large = content_length > self.limit + _FORM_SLACK
        return None

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: Any = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        if getattr(self, "body_too_large", False):
            _refuse(self.request, field_name, file_name)
            raise StopUpload(connection_reset=True)
        if content_length is not None and content_length > self.limit:
            _refuse(self.request, field_name, file_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            _refuse(self.request, self.field_name, self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def store_upload(path: Path, chunks: Iterable[bytes], *, name: str = "") -> int:
    """Write an upload's chunks to ``path``; return its size. Beyond the upload limit nothing
    is kept and :class:`~chitra.core.errors.ImportFileError` says so (whoever calls)."""
    from chitra.core.errors import ImportFileError

    limit = settings.CHITRA_UPLOAD_MAX_BYTES
    size = 0
    try:
        with path.open("wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ImportFileError(oversize_message(name))
                fh.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return size


def validate_upload_size(upload: Any) -> None:
    if (
        upload is not None
        and upload.size is not None
        and (upload.size > settings.CHITRA_UPLOAD_MAX_BYTES)
    ):
        raise ValidationError(
            oversize_message(getattr(upload, "name", "") or ""), code="file_too_large"
        )


def validate_spreadsheet(upload: Any) -> None:
    """Size, then for a zipped workbook what its archive declares (instant; the reader checks
    the real sizes again when it reads the file)."""
    from chitra.core.errors import table_error_text

    validate_upload_size(upload)
    name = getattr(upload, "name", "") or ""
    if Path(name).suffix.lower() not in ZIPPED_EXTENSIONS:
        return
    fh = upload.file
    try:
        check_archive(fh, read_limits(), verify=False)
    except TableReadError as exc:
        raise ValidationError(table_error_text(exc), code=exc.code or "invalid") from exc
    finally:
        fh.seek(0)


class UploadForm(forms.Form):
    """A form with file fields: a file the upload handler refused is an error on its field
    (instead of "this field is required")."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request = request

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for field, name in refused_uploads(self._request).items():
            if field in self.fields:
                self._errors[field] = self.error_class(  # type: ignore[attr-defined]
                    [oversize_message(name)]
                )
                if hasattr(self, "cleaned_data"):
                    self.cleaned_data.pop(field, None)
