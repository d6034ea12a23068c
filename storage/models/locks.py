"""The run lock's table, and APScheduler's job store table (created by migrations)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, Integer, LargeBinary, String, Table, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class RunLockRow(Base):
    """Who holds a named lock, since when, and until when it counts without a heartbeat."""

    __tablename__ = "run_locks"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


# APScheduler's SQLAlchemyJobStore table, declared here so that migrations (not the scheduler)
# create it and the schema check knows it; the job store finds it and leaves it as it is.
scheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
