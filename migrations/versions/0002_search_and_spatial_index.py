"""Full-text and spatial indexes, specific to the database (see app/backend.py).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from app.db.backend import get_backend

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    get_backend(conn).install(conn)


def downgrade() -> None:
    conn = op.get_bind()
    get_backend(conn).uninstall(conn)
