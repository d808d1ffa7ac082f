"""Alembic's entry point for the room schema: runs on the connection `upgrade` passes.

`teamroles.room.store.upgrade` has already begun a transaction and taken the
migration lock on that connection; Alembic sees the open transaction and runs
every step inside it, so an upgrade applies whole or not at all.
"""

from __future__ import annotations

from alembic import context

from teamroles.room.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through teamroles.room.store.upgrade(engine)")

context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
