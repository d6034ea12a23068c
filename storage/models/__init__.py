"""The ORM models, one module per group of tables; importing this registers every table.

Only `storage/` imports them: the floors above call the repository functions of `storage/`,
so a schema change stays inside this package.
"""

from storage.models.alerts import Alert, AlertMute, Delivery
from storage.models.authors import (
    AuthorProfile,
    AuthorTag,
    MentionDerived,
    MentionFlag,
    NearDuplicateEntry,
)
from storage.models.base import Base, BigId, JsonType, UtcDateTime
from storage.models.collection import CrawlThread, ImportedFile
from storage.models.locks import RunLockRow, scheduler_jobs
from storage.models.mentions import (
    Author,
    BrandDismissal,
    Label,
    Mention,
    MentionBrand,
    MentionThemes,
    Source,
)
from storage.models.privacy import Erasure, Tombstone
from storage.models.runs import Rejected, Report, Run
from storage.models.workers import WorkerRow
from storage.models.workspace import (
    ApiToken,
    AuditEntry,
    AuditTarget,
    BrandEvent,
    MentionAttention,
    MentionNote,
    MentionTriage,
    SavedView,
    User,
    ViewWatch,
)

__all__ = [
    "Alert",
    "AlertMute",
    "ApiToken",
    "AuditEntry",
    "AuditTarget",
    "Author",
    "AuthorProfile",
    "AuthorTag",
    "Base",
    "BigId",
    "BrandDismissal",
    "BrandEvent",
    "CrawlThread",
    "Delivery",
    "Erasure",
    "ImportedFile",
    "JsonType",
    "Label",
    "Mention",
    "MentionAttention",
    "MentionBrand",
    "MentionDerived",
    "MentionFlag",
    "MentionNote",
    "MentionThemes",
    "MentionTriage",
    "NearDuplicateEntry",
    "Rejected",
    "Report",
    "Run",
    "RunLockRow",
    "SavedView",
    "Source",
    "Tombstone",
    "User",
    "UtcDateTime",
    "ViewWatch",
    "WorkerRow",
    "scheduler_jobs",
]
