"""The workers of a multi-machine installation: who they are and their last heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class WorkerRow(Base):
    """One crawl or labelling worker process, as it last reported itself."""

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # crawl or analyze (storage.workers.KINDS)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(20))  # idle, busy or stopped
    doing: Mapped[str | None] = mapped_column(Text)  # the run or batch it is busy with
    done: Mapped[int] = mapped_column(BigInteger, default=0)  # pages or mentions since start
