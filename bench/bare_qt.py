"""Baseline for the window's start: a bare PySide6 window with a tray icon, nothing else."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSystemTrayIcon


def main() -> int:
    """Show a window and a tray icon, print 'bellhop-ready', run until killed."""
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    window = QMainWindow()
    window.setCentralWidget(QLabel("baseline"))
    window.resize(1280, 800)
    tray = QSystemTrayIcon(QIcon(), window)
    tray.show()
    window.show()
    QTimer.singleShot(0, lambda: print("bellhop-ready", flush=True))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
