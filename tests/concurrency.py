"""Run test work from many threads at once, each with its own database connection."""
import threading

from django.db import connections


def run_at_once(work, count):
    """
    Run ``work(index)`` in ``count`` threads released together by a barrier; returns the results
    by index. Fails the test with every exception a thread raised.
    """
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results
