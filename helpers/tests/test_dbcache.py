"""The database cache (helpers/dbcache.py): Django's cache contract, expiry, culling, one primary,
and counters that stay exact when many connections count at once (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.utils import ConnectionDoesNotExist

from helpers import dbcache, replica
from helpers.dbcache import SharedDatabaseCache
from helpers.models import CacheEntry
from helpers.testing import FakeClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(dbcache, "clock", fake)
    return fake


def make_cache(prefix="unit", **options) -> SharedDatabaseCache:
    """A cache over the same table, as another process (or another prefix) would have it."""
    return SharedDatabaseCache("", {"KEY_PREFIX": prefix, "OPTIONS": {"CULL_PROBABILITY": 0, **options}})


@pytest.fixture
def cache(clock):
    return make_cache()


@pytest.mark.parametrize(
    "value", [0, -7, 2**62, 2**70, True, "text", b"\x00bytes", {"a": [1, 2]}, 1.5], ids=repr
)
def test_a_value_reads_back_as_it_was_set(cache, value):
    cache.set("key", value)

    read = cache.get("key")
    assert read == value and type(read) is type(value)


def test_a_missing_key_reads_as_the_default(cache):
    assert cache.get("nothing") is None
    assert cache.get("nothing", "fallback") == "fallback"
    assert cache.has_key("nothing") is False


def test_add_stores_only_when_the_key_is_missing_or_expired(cache, clock):
    assert cache.add("key", "first", timeout=10) is True
    assert cache.add("key", "second", timeout=10) is False
    assert cache.get("key") == "first"

    clock.now += 10
    assert cache.add("key", "third", timeout=10) is True
    assert cache.get("key") == "third"


def test_values_expire_after_their_timeout(cache, clock):
    cache.set("short", 1, timeout=5)
    cache.set("forever", 2, timeout=None)
    cache.set("default", 3)  # Django's default timeout, 300 s
    cache.set("gone", 4, timeout=0)

    clock.now += 4.9
    assert cache.get_many(["short", "forever", "default", "gone"]) == {"short": 1, "forever": 2, "default": 3}
    clock.now += 0.1
    assert cache.get("short") is None and cache.has_key("short") is False
    clock.now += 300
    assert cache.get_many(["short", "forever", "default"]) == {"forever": 2}


def test_touch_moves_a_live_keys_expiry_only(cache, clock):
    cache.set("key", 1, timeout=5)
    assert cache.touch("key", timeout=60) is True
    clock.now += 30
    assert cache.get("key") == 1
    clock.now += 30
    assert cache.touch("key", timeout=60) is False
    assert cache.get("key") is None


def test_incr_adds_to_a_live_integer_and_refuses_anything_else(cache, clock):
    cache.set("count", 5, timeout=10)
    cache.set("text", "five")

    assert cache.incr("count") == 6
    assert cache.incr("count", 10) == 16
    assert cache.decr("count", 6) == 10
    for key in ["missing", "text"]:
        with pytest.raises(ValueError):
            cache.incr(key)
    clock.now += 10
    with pytest.raises(ValueError):
        cache.incr("count")


def test_incr_or_add_counts_from_delta_and_keeps_the_first_expiry(cache, clock):
    assert cache.incr_or_add("hits", timeout=10) == 1
    clock.now += 6
    assert cache.incr_or_add("hits", timeout=10) == 2
    assert cache.incr_or_add("hits", -1, timeout=10) == 1
    clock.now += 4  # ten seconds after the first hit: a new count
    assert cache.incr_or_add("hits", timeout=10) == 1
    cache.set("hits", "not a number")
    assert cache.incr_or_add("hits", 3, timeout=10) == 3


def test_delete_and_delete_many_and_clear(cache):
    cache.set_many({"a": 1, "b": 2, "c": 3})

    assert cache.delete("a") is True
    assert cache.delete("a") is False
    cache.delete_many(["b", "missing"])
    assert cache.get_many(["a", "b", "c"]) == {"c": 3}
    cache.clear()
    assert cache.get("c") is None


def test_prefixes_and_versions_keep_keys_apart(clock):
    ours, theirs = make_cache("ours"), make_cache("theirs")
    ours.set("key", "ours")
    ours.set("key", "v2", version=2)

    assert theirs.get("key") is None
    assert ours.get("key") == "ours" and ours.get("key", version=2) == "v2"


def test_a_cull_deletes_expired_rows_only(cache, clock):
    cache.set_many({f"old{n}": n for n in range(5)}, timeout=1)
    cache.set("live", 1, timeout=100)
    clock.now += 2

    assert cache.cull() == 5
    assert list(CacheEntry.objects.values_list("key", flat=True)) == ["unit:1:live"]


def test_writes_cull_expired_rows_at_the_configured_rate(clock):
    always = make_cache(CULL_PROBABILITY=1)
    always.set("old", 1, timeout=1)
    clock.now += 2

    always.incr_or_add("new", timeout=10)

    assert CacheEntry.objects.count() == 1


def test_the_cache_always_answers_from_the_primary_even_inside_a_lag_tolerant_read(cache, settings):
    """The replica router is never asked: inside a replica read a model query goes to `replica`
    (not configured here, so it fails), the cache still reads the primary's table."""
    settings.DATABASE_ROUTERS = ["helpers.replica.ReplicaRouter"]
    cache.set("key", "primary")
    token = replica._reads_may_lag.set(True)
    try:
        with pytest.raises(ConnectionDoesNotExist):
            CacheEntry.objects.count()
        assert cache.get("key") == "primary"
    finally:
        replica._reads_may_lag.reset(token)


def test_a_callers_replica_pin_is_in_the_shared_table_every_process_reads(settings):
    """A pin written by one worker is read by another: the table is the one copy."""
    settings.CACHES = {"default": {"BACKEND": "helpers.dbcache.SharedDatabaseCache", "KEY_PREFIX": "pin"}}
    replica.pin_caller_to_primary(42)

    another_worker = make_cache("pin")
    assert another_worker.get("primary-pin:42") == 1
    assert replica.caller_pinned_to_primary(42) and not replica.caller_pinned_to_primary(43)
    assert CacheEntry.objects.filter(key="pin:1:primary-pin:42").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_on_postgresql_are_exact():
    """Many connections at once: every increment counts once, and one `add` wins."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's writers queue on one lock")
    threads = 24
    start = threading.Barrier(threads)
    shared = make_cache("race")

    def count(_):
        try:
            start.wait()
            return shared.incr_or_add("hits", timeout=60), shared.add("first", "x", timeout=60)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(count, range(threads)))

    assert sorted(total for total, _ in answers) == list(range(1, threads + 1))
    assert [added for _, added in answers].count(True) == 1
