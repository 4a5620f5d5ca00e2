"""One Bellhop window per data home: a second start asks the first to come to the front."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


def server_name(home: Path) -> str:
    """A local socket name unique to the data home."""
    digest = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]
    return f"bellhop-{digest}"


def ask_running_instance(home: Path, timeout_ms: int = 500, *, show: bool = True) -> bool:
    """True when a Bellhop already runs for `home` (asked to show its window if `show`)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(home))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(b"show\n" if show else b"ping\n")
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later starts of Bellhop and asks the window to come forward."""

    showRequested = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        name = server_name(home)
        QLocalServer.removeServer(name)  # a stale name left by a crash
        self._server.listen(name)
        self._server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll()).strip() == b"show":
            self.showRequested.emit()
        socket.disconnectFromServer()
