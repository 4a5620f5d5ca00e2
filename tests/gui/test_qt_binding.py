"""Guards against a Qt binding that corrupts Python's reference counts (PySide6 6.12.0).

That release drops a reference to True on every Signal.emit under CPython 3.11, and
the process aborts after a few thousand emits. The check runs in a child process so a
bad binding fails this test instead of killing the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(int)
emitter = Emitter()
emitter.fired.connect(lambda value: None)
before = sys.getrefcount(True), sys.getrefcount(None)
for n in range(20000):
    emitter.fired.emit(n)
after = sys.getrefcount(True), sys.getrefcount(None)
print(before[0] - after[0], before[1] - after[1])
"""


def test_signals_do_not_leak_or_free_true_and_none() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    lost_true, lost_none = (int(n) for n in done.stdout.split())
    assert abs(lost_true) < 100 and abs(lost_none) < 100
