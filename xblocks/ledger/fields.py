"""
Model fields of the ledger that other apps may use too.

:class:`KeyField` holds a key that identifies something (an idempotency key): two keys are the
same only when their characters are the same. SQLite (``BINARY``) and PostgreSQL (deterministic
collations) compare text that way already; MariaDB and MySQL compare by the column's collation,
which is case- and accent-insensitive and ignores trailing spaces by default (``Case-K`` equals
``case-k``, ``é`` equals ``e``). On those servers the column gets a binary collation that does not
pad either.
"""
from django.db import models


def binary_collation(connection):
    """The utf8mb4 collation that compares characters exactly, without padding, on this MariaDB or MySQL server."""
    if connection.mysql_is_mariadb:
        return "utf8mb4_nopad_bin"  # MariaDB 10.2 and later
    # MySQL 8.0.17 added the no-pad binary collation; before it, utf8mb4_bin (which pads) is the closest.
    return "utf8mb4_0900_bin" if connection.mysql_version >= (8, 0, 17) else "utf8mb4_bin"


class KeyField(models.CharField):
    """A CharField compared character for character on every database (see the module)."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        # The collation is chosen per server here rather than in db_collation, so migrations stay
        # the same whatever database they are made on.
        if connection.vendor == "mysql" and not self.db_collation:
            parameters["collation"] = binary_collation(connection)
        return parameters
