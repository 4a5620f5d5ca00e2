"""Starting the window: Qt, language, one instance per data home, the engine thread, the tray."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from bellhop import __version__
from bellhop.core.platform import paths
from bellhop.core.platform.settings import load_settings
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.collector import WindowThreadCollector
from bellhop.ui.engine_thread import EngineThread
from bellhop.ui.i18n import choose_language, install_translations
from bellhop.ui.resources import icon
from bellhop.ui.single_instance import InstanceServer, ask_running_instance
from bellhop.ui.theme import apply_theme


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, offscreen when there is no display (a server, CI)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Bellhop")
    app.setApplicationDisplayName("Bellhop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Bellhop")
    app.setWindowIcon(icon("bellhop"))
    app.setQuitOnLastWindowClosed(False)  # closing the window leaves Bellhop in the tray
    return app


class QuitWatcher(QObject):
    """Lets a real quit (tray menu, Cmd+Q, logout, a signal) past the window's close-to-tray.

    Qt 6 asks every window to close before it quits; the main window normally refuses
    (it hides to the tray), which would cancel the quit.
    """

    def __init__(self, window: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Mark the window as quitting when the application is asked to quit."""
        if event.type() == QEvent.Type.Quit:
            self.window.really_quit = True  # type: ignore[attr-defined]
        return False


class BellhopApp:
    """Everything the window process owns, wired together."""

    def __init__(self, app: QApplication, home: Path, *, host: str | None = None,
                 port: int | None = None) -> None:
        from bellhop.ui.main_window import MainWindow
        from bellhop.ui.tray import TrayIcon

        self.app = app
        self.home = home
        settings, _ = load_settings(paths.settings_file(home))
        self.first_run = not settings.welcome_seen
        self.language = choose_language(settings.language)
        install_translations(app, self.language)
        apply_theme(app)
        # Before the engine thread exists: from now on cycles are freed on this thread only.
        self.collector = WindowThreadCollector()
        self.collector.start()
        self.bridge = EngineBridge(EngineThread(home, host, port))
        self.window = MainWindow(self.bridge)
        self.tray = TrayIcon(self.bridge, self.window)
        self.instance = InstanceServer(home, app)
        self.instance.showRequested.connect(self.window.bring_to_front)
        self.quit_watcher = QuitWatcher(self.window, app)
        app.installEventFilter(self.quit_watcher)
        self.bridge.failed.connect(self._cannot_start)
        app.aboutToQuit.connect(self.shutdown)
        self._hooked = True
        self.exit_code = 0

    def start(self, show: bool = True, welcome: bool = True) -> None:
        """Start the engine and show the window (and, the first time, the welcome)."""
        if show and welcome and self.first_run:
            self.bridge.started.connect(self.window.open_welcome)
        self.bridge.start()
        if show:
            self.window.show()

    def _cannot_start(self, message: str) -> None:
        self.exit_code = 1
        if QGuiApplication.platformName() != "offscreen":
            QMessageBox.critical(self.window, "Bellhop", message)
        else:
            print(message, file=sys.stderr)
        QTimer.singleShot(0, self.app.quit)

    def shutdown(self) -> None:
        """Stop the engine cleanly (pending commits finish) before the process ends."""
        self.window.really_quit = True
        self.bridge.stop()
        self.collector.stop()  # the engine thread has ended
        # The watcher and the quit hook belong to the application object, which can
        # outlive this window (the tests start many on one QApplication): left behind,
        # every event of every later window passed through each old watcher in Python.
        if self._hooked:  # a second shutdown (the quit signal after a tray Quit) skips this
            self._hooked = False
            self.app.removeEventFilter(self.quit_watcher)
            self.quit_watcher.deleteLater()
            self.app.aboutToQuit.disconnect(self.shutdown)


def _quit_on_signals(app: QApplication) -> None:
    # Logging out or `kill` sends SIGTERM: quit through Qt so the engine stops cleanly
    # (pending commits finish). Python sees signals only when it runs, hence the timer.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    pulse = QTimer(app)
    pulse.timeout.connect(lambda: None)
    pulse.start(250)


def run_gui(background: bool = False) -> int:
    """`bellhop` with no arguments: the window (or bring the running one forward).

    `background` (the login item) starts in the tray without showing the window,
    unless there is no tray to open it from.
    """
    app = make_application()
    home = paths.data_home()
    if ask_running_instance(home, show=not background):
        return 0
    bellhop = BellhopApp(app, home)
    if os.environ.get("BELLHOP_REPORT_READY"):
        # For benchmarks: one line once the window, the tray and the engine are all up.
        bellhop.bridge.started.connect(
            lambda: QTimer.singleShot(0, lambda: print("bellhop-ready", flush=True)))
    _quit_on_signals(app)
    bellhop.start(show=not background or not QSystemTrayIcon.isSystemTrayAvailable())
    code = app.exec()
    return bellhop.exit_code or code
