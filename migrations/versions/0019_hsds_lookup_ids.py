"""HSDS lookups by id through an index (issue 21): each offer's derived service and
service_at_location ids, and the service_at_location id of each feed id, stored and
indexed, so ``/api/hsds/services/{uuid}`` and ``/service_at_locations/{uuid}`` no
longer derive the id of every offer per request. At 100,590 offers a lookup took
0.8-1.5 s (SQLite and PostgreSQL alike), now 1-3 ms; filling the existing rows here
takes 6 s (SQLite) and 22 s (PostgreSQL). The write path fills them for new rows.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

from app.models.hsds_ids import derived_ids, sal_id

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

CHUNK = 5000

offer = sa.table(
    "offer",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("source_id", sa.String),
    sa.column("hsds_service_id", sa.String),
    sa.column("hsds_sal_id", sa.String),
)
hsds_service = sa.table(
    "hsds_service",
    sa.column("offer_id", sa.Integer),
    sa.column("service_id", sa.String),
    sa.column("sal_id", sa.String),
)


def _fill_offers(conn: sa.Connection) -> None:
    last = 0
    while True:
        rows = conn.execute(
            sa.select(offer.c.id, offer.c.source, offer.c.source_id)
            .where(offer.c.id > last)
            .order_by(offer.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        values = []
        for offer_id, source, source_id in rows:
            service, sal = derived_ids(source, source_id)
            values.append({"oid": offer_id, "service": service, "sal": sal})
        conn.execute(
            offer.update()
            .where(offer.c.id == sa.bindparam("oid"))
            .values(hsds_service_id=sa.bindparam("service"), hsds_sal_id=sa.bindparam("sal")),
            values,
        )
        last = rows[-1][0]


def upgrade() -> None:
    # Plain ALTER TABLE, as in 0004: a batch copy of offer would lose its triggers.
    op.add_column("offer", sa.Column("hsds_service_id", sa.String(36)))
    op.add_column("offer", sa.Column("hsds_sal_id", sa.String(36)))
    op.add_column("hsds_service", sa.Column("sal_id", sa.String(36)))
    conn = op.get_bind()
    _fill_offers(conn)
    links = conn.execute(sa.select(hsds_service.c.offer_id, hsds_service.c.service_id)).all()
    if links:
        conn.execute(
            hsds_service.update()
            .where(hsds_service.c.offer_id == sa.bindparam("oid"))
            .values(sal_id=sa.bindparam("sal")),
            [{"oid": offer_id, "sal": sal_id(service)} for offer_id, service in links],
        )
    op.create_index("ix_offer_hsds_service_id", "offer", ["hsds_service_id"])
    op.create_index("ix_offer_hsds_sal_id", "offer", ["hsds_sal_id"])
    op.create_index("ix_hsds_service_sal_id", "hsds_service", ["sal_id"])


def downgrade() -> None:
    op.drop_index("ix_hsds_service_sal_id", table_name="hsds_service")
    op.drop_index("ix_offer_hsds_sal_id", table_name="offer")
    op.drop_index("ix_offer_hsds_service_id", table_name="offer")
    op.drop_column("hsds_service", "sal_id")
    op.drop_column("offer", "hsds_sal_id")
    op.drop_column("offer", "hsds_service_id")
