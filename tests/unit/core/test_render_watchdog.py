"""The watchdog stops work past its deadline, and its exception never lands anywhere else."""

from __future__ import annotations

import contextlib
import threading

import pytest

from bellhop.core.templating.watchdog import Overtime, check_time, run_with_deadline


def spin() -> None:
    while True:
        pass


def test_a_python_loop_is_stopped_and_nothing_lands_after() -> None:
    with pytest.raises(Overtime):
        run_with_deadline(spin, 0.2)
    assert run_with_deadline(lambda a, b: a + b, 0.2, 2, 3) == 5
    total = 0
    for n in range(3_000_000):  # past any deadline: a late exception would land here
        total += n
    assert total == sum(range(3_000_000))


def test_a_swallowed_stop_is_raised_again_by_the_loops_own_check() -> None:
    def stubborn() -> str:
        with contextlib.suppress(Overtime):  # as a __del__ or a careless `except` would
            spin()
        while True:
            check_time()

    with pytest.raises(Overtime):
        run_with_deadline(stubborn, 0.2)


def test_a_call_inside_a_watched_call_keeps_the_outer_deadline() -> None:
    def outer() -> None:
        run_with_deadline(spin, 60)  # not 60 seconds: the outer 0.2 holds

    with pytest.raises(Overtime):
        run_with_deadline(outer, 0.2)


def test_each_thread_has_its_own_deadline() -> None:
    results: list[str] = []

    def slow() -> None:
        try:
            run_with_deadline(spin, 0.3)
        except Overtime:
            results.append("stopped")

    def quick() -> None:
        for _ in range(10_000):
            run_with_deadline(check_time, 0.3)
        results.append("quick")

    threads = [threading.Thread(target=slow), threading.Thread(target=slow),
               threading.Thread(target=quick)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["quick", "stopped", "stopped"]
