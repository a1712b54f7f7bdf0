"""Sending one request from many threads at once, for the tests of double submits: each
thread its own test client (the same session) and its own database connection, released
together by a barrier. Needs a transactional test (`django_db(transaction=True,
serialized_rollback=True)`), so the threads see what the test wrote and each other's commits."""

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection
from django.test import Client

from anwen.testing.world import log_in


def post_at_once(
    user, url: str, data: dict | Callable[[], dict] | None = None, *, senders: int = 20
) -> list[int]:
    """POST `data` to `url` as `user` from `senders` threads at once; their status codes.
    `data` may be a function making each thread its own (uploads are read once each)."""
    first = Client()
    log_in(first, user)
    barrier = threading.Barrier(senders)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            client = Client()
            client.cookies = first.cookies
            sent = data() if callable(data) else data or {}
            barrier.wait()
            statuses.append(client.post(url, sent).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's thread
            failures.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return statuses
