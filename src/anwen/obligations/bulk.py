"""Fast inserts for the two bulk writes of the rhythm engine (periods, demo history records).

`bulk_create` compiles every value through the ORM and, on SQLite, sends at most 999
parameters per statement; for a district's year of daily periods (hundreds of thousands of
rows) that costs tens of seconds. Here rows are plain tuples adapted by the backend's own
adapters and sent with one `executemany` per chunk. `ON CONFLICT DO NOTHING` is understood by
both supported databases (SQLite ≥ 3.24, PostgreSQL)."""

from collections.abc import Iterable, Sequence
from typing import cast

from django.db import connection, models

_CHUNK = 5000


def _adapter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert `rows` (tuples in the order of `fields`, attribute names such as "org_id") into
    `model`'s table. Returns the number of rows sent."""
    meta = model._meta
    # Concrete columns only (the callers name them); attnames ("org_id") work too.
    columns = [cast(models.Field, meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in columns) if a is not None]
    sent, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
            batch.append(row)
            if len(batch) >= _CHUNK:
                cursor.executemany(sql, batch)
                sent, batch = sent + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            sent += len(batch)
    return sent
