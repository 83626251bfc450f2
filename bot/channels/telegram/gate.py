"""Which updates a turn may start: once each (redelivered ones dropped), none once shutdown
began (they stay in the inbox for the restart), and the work in progress counted so that
shutdown can wait for it. Shared by the customer and the staff side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.channels.telegram.common import InFlight
from bot.channels.telegram.port import CHANNEL

if TYPE_CHECKING:
    from storage.links import UpdateLog


class Gate:
    def __init__(self, updates: UpdateLog | None) -> None:
        self.updates = updates
        self.inflight = InFlight()
        self.closing = False  # shutting down: updates not started yet are left for the restart
        self.abandoned: set[int] = set()  # update ids left untouched since ``close``
        self.recovered: set[int] = set()  # left unfinished by a stopped or killed run

    def close(self) -> None:
        """Shutdown begins: turns in progress finish, updates still waiting for their
        customer's previous one are not started (they stay in the inbox for the restart)."""
        self.closing = True

    def left(self, *update_ids: int) -> bool:
        """True (and noted) when the gate is closed: the caller returns without handling."""
        if self.closing:
            self.abandoned.update(update_ids)
        return self.closing

    def was_abandoned(self, update_id: int) -> bool:
        return update_id in self.abandoned

    def recovering(self, update_ids: Sequence[int]) -> None:
        """These updates were received by a run that stopped before finishing them: one the
        engine already committed may not have been answered, so it gets the current step."""
        self.recovered.update(update_ids)

    def take_recovered(self, update_id: int) -> bool:
        """Was ``update_id`` left unfinished by an earlier run? (asked once per update)"""
        if update_id in self.recovered:
            self.recovered.discard(update_id)
            return True
        return False

    async def first_time(self, update_id: int) -> bool:
        """Dedupe for what the engine does not see (the staff group, membership changes)."""
        return (
            True
            if self.updates is None
            else bool(await self.updates.first_time(CHANNEL, update_id))
        )
