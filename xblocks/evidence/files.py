"""
Evidence files: the private storage, checking uploads, storing and removing them, and opening one
for its owner or a reviewer.

Files go only to the private storage an operator configured (:func:`evidence_storage`); without
one, uploads are refused and declarations with links still work. Upload sizes are the policy's,
clamped to what the platform and its proxy accept (:mod:`xblocks.evidence.limits`). Files reach
storage only after every check has passed (:mod:`xblocks.evidence.declarations` removes them again
if the database transaction does not commit).
"""
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile

from xblocks.criteria.problems import N_, Problem

from . import filetypes
from .access import Refused
from .models import EvidenceFile

log = logging.getLogger(__name__)

STORAGE_ALIAS = "learning_citizen_evidence"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """An uploaded file as a handler received it: the learner's name for it and a readable stream."""

    name: str
    stream: object


@dataclass(frozen=True)
class PreparedFile:
    name: str
    content_type: str
    extension: str
    data: bytes
    sha256: str


def evidence_storage():
    """
    The storage named ``learning_citizen_evidence`` in STORAGES, or None when the site defines none.
    Never the default storage: on common deployments that is the media folder the web server
    publishes, and evidence (certificates, photos of people) must not be reachable by URL.
    """
    from django.core.files.storage import storages  # pylint: disable=import-outside-toplevel
    from django.core.files.storage.handler import InvalidStorageError  # pylint: disable=import-outside-toplevel
    try:
        return storages[STORAGE_ALIAS]
    except InvalidStorageError:
        return None


def uploads_enabled():
    return evidence_storage() is not None


def _read_bounded(stream, limit):
    """Up to ``limit + 1`` bytes of ``stream``: enough to know a file is too large without reading it all."""
    if hasattr(stream, "seek"):
        try:
            stream.seek(0)
        except (OSError, ValueError):  # pragma: no cover - unseekable streams are read from where they are
            pass
    parts, size = [], 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def prepare_uploads(uploads, policy, limits, problems):
    prepared = []
    for upload in uploads:
        shown = filetypes.safe_display_name(upload.name)
        data = _read_bounded(upload.stream, limits.max_file_bytes)
        if not data:
            problems.append(Problem(N_("\"{name}\" is empty."), {"name": shown}, where="files"))
            continue
        if len(data) > limits.max_file_bytes:
            problems.append(Problem(N_("\"{name}\" is too large: files can be at most {size}."),
                                    {"name": shown, "size": human_size(limits.max_file_bytes)}, where="files"))
            continue
        content_type, extension, problem = filetypes.check_file(upload.name, data[:filetypes.SNIFF_BYTES],
                                                                 allowed=policy.file_types)
        if problem:
            problems.append(problem)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if any(item.sha256 == digest for item in prepared):
            problems.append(Problem(N_("\"{name}\" is the same file as another one you chose."), {"name": shown}, where="files"))
            continue
        prepared.append(PreparedFile(shown, content_type, extension, data, digest))
    if sum(len(item.data) for item in prepared) > limits.max_total_bytes:
        # The proxy would have cut such a request off; one sent past it (or with no proxy) is refused the same way.
        problems.append(Problem(N_("Together the files are too large to send at once: at most {size} in one submission. "
                                   "Attach fewer now and add the others by editing the declaration afterwards."),
                                {"size": human_size(limits.max_total_bytes)}, where="files"))
    return prepared


def human_size(size):
    """A limit for people to read, rounded down (a learner told "3.8 MB" must not be refused at 3.78)."""
    mib = 1024 * 1024
    if size >= mib:
        tenths = size * 10 // mib
        return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10} MB"
    return f"{max(size // 1024, 1)} KB"


def store_files(declaration, prepared, saved_names):
    storage = evidence_storage()
    for item in prepared:
        file_uuid = uuid.uuid4()
        # A random name: nothing the learner typed reaches a path.
        name = storage.save(f"learning-citizen/evidence/{declaration.uuid}/{file_uuid}{item.extension}", ContentFile(item.data))
        saved_names.append(name)
        EvidenceFile.objects.create(
            uuid=file_uuid, declaration=declaration, storage_name=name, original_name=item.name,
            content_type=item.content_type, size=len(item.data), sha256=item.sha256,
        )


def delete_stored(names):
    storage = evidence_storage()
    if storage is None:
        if names:
            log.warning("No evidence storage configured: %d evidence file(s) left in place", len(names))
        return
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # pylint: disable=broad-except
            log.exception("Could not delete evidence file %s from storage", name)


def open_file(actor, place, declaration_uuid, file_uuid):
    """``(EvidenceFile, open file)`` if the actor owns the declaration or may review it; 404 otherwise."""
    if not actor.known:
        raise Refused(404, N_("There is no such file."))
    try:
        declaration_key, file_key = uuid.UUID(str(declaration_uuid)), uuid.UUID(str(file_uuid))
    except ValueError:
        raise Refused(404, N_("There is no such file.")) from None
    row = (EvidenceFile.objects.select_related("declaration")
           .filter(uuid=file_key, declaration__uuid=declaration_key, declaration__usage_key=place.usage_key).first())
    if row is None or (row.declaration.user_id != actor.user_id and not actor.can_review()):
        raise Refused(404, N_("There is no such file."))
    storage = evidence_storage()
    if storage is None:
        raise Refused(503, N_("Evidence files cannot be opened until an administrator sets up private storage for evidence."))
    return row, storage.open(row.storage_name, "rb")
