"""uvicorn's h11 protocol with a deadline on reading a request's headers.

uvicorn times out idle keep-alive connections but not a request whose
headers trickle in a byte at a time, so a few hundred slow clients could hold
connections open for ever. Here the headers of every request must be complete
within `header_timeout` seconds of the connection opening (or of the previous
response); the connection is closed otherwise. The body has its own deadline
in the app (`pipeline.events.webhooks.app`), which answers 408.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0


class DeadlineH11Protocol(H11Protocol):
    def __init__(self, *args, header_timeout: float = DEFAULT_HEADER_TIMEOUT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self._header_deadline: asyncio.TimerHandle | None = None

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.logger.info("closed a connection whose request headers did not arrive in time")
            self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._arm()
        super().data_received(data)
        if not self._waiting_for_headers():
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._waiting_for_headers() and not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
