"""The one table helpers owns: the shared cache without Redis (helpers/dbcache.py reads and writes it)."""

from django.db import models


class CacheEntry(models.Model):
    """One cache key. Integers live in `number` so a counter is incremented in SQL; anything else is
    pickled in `value`. `expires` is a Unix time in seconds (null: never); an expired row is a miss."""

    key = models.CharField(primary_key=True, max_length=500)
    value = models.BinaryField(null=True)
    number = models.BigIntegerField(null=True)
    expires = models.FloatField(null=True, db_index=True)

    class Meta:
        verbose_name_plural = "cache entries"

    def __str__(self) -> str:
        return self.key
