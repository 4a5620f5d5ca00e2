"""Helpers shared by the tests and the benchmarks, one copy each.

A package inside tests/ because the tests are their main users and tests/ is already on
sys.path under pytest (tests/conftest.py puts it there); the bench scripts put tests/ on
sys.path themselves (bench/procs.py does it for them), as they already did for the fakes.
Nothing here imports pytest, so a benchmark runs without it.
"""
