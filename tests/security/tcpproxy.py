"""A small TCP proxy between the app and PostgreSQL that a test can cut and restore, so
the database "goes away" for the app while the shared server keeps running.

Modes: ``open`` forwards; ``down`` closes every connection and closes new ones at once
(a server that crashed or restarts); ``hang`` closes every connection and holds new
ones open without an answer (a network that drops packets).
"""

import socket
import threading
from contextlib import suppress


class TcpProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.mode = "open"
        self.accepted = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- what a test does --------------------------------------------------------------

    def cut(self) -> None:
        self._switch("down")

    def hang(self) -> None:
        self._switch("hang")

    def restore(self) -> None:
        self._switch("open")

    def stop(self) -> None:
        self._stopped = True
        self._switch("down")
        with suppress(OSError):
            self.listener.close()

    # --- inside ------------------------------------------------------------------------

    def _switch(self, mode: str) -> None:
        with self._lock:
            self.mode = mode
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            with self._lock:
                mode = self.mode
                if mode != "down":
                    self._sockets.add(client)
            if mode == "down":
                client.close()
            elif mode == "open":
                threading.Thread(target=self._connect, args=(client,), daemon=True).start()
            # "hang": kept open, never read or answered, until the next switch

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets.add(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
