"""Receiving a picture: the per-chat rate, the size check before download, then the image
port (normalise) and the media store. Every refusal is a catalog text; the caller keeps the
customer where they are.

The rate is a token bucket per chat kept in the session (``Session.buckets``): it is saved
with the conversation, so it holds across replicas and restarts, and neither logging out
nor a failed step's undo refills it. Signed-in customers get ``Rules.image_rate``, chats not
signed in (guests writing to support) the tighter ``Rules.guest_image_rate`` and
``Rules.guest_max_image_bytes``, and the image port gives them a tighter pixel budget and a
lane of their own in the worker pool.
"""

from __future__ import annotations

import math

from handlers.context import Ctx
from handlers.io import ImageIn

BUCKET = "image"


def take_token(
    bucket: list[float] | None, now: float, rate: tuple[int, float]
) -> tuple[list[float], float]:
    """One picture from a token bucket of ``rate`` = (count, per seconds).

    Returns the bucket's new state and 0 when the picture may go, else the state unchanged
    and the seconds until it may. A clock that went back refills nothing."""
    count, per = rate
    tokens, at = bucket if bucket else (float(count), now)
    tokens = min(float(count), tokens + max(0.0, now - at) * count / per)
    at = max(at, now)
    if tokens >= 1.0:
        return [tokens - 1.0, at], 0.0
    return [tokens, at], (1.0 - tokens) * per / count


def _allowed(ctx: Ctx, guest: bool) -> bool:
    rules = ctx.ports.rules
    rate = rules.guest_image_rate if guest else rules.image_rate
    state, wait = take_token(ctx.session.buckets.get(BUCKET), ctx.now.timestamp(), rate)
    ctx.session.buckets[BUCKET] = state
    if wait > 0:
        ctx.say("image.slow_down", seconds=max(1, math.ceil(wait - 1e-6)))
        return False
    return True


async def fetch_image(ctx: Ctx, image: ImageIn) -> bytes | None:
    """Download an image within the chat's rate and size limits; say why when it is
    refused (then None). The bytes are not decoded yet."""
    guest = ctx.member_id is None
    if not _allowed(ctx, guest):
        return None
    rules = ctx.ports.rules
    limit = rules.guest_max_image_bytes if guest else rules.max_image_bytes
    if image.size is not None and image.size > limit:
        ctx.say("image.too_large", max_mb=limit // (1024 * 1024))
        return None
    try:
        data = await image.fetch()
    except Exception as exc:  # a failed download is the channel's problem, told kindly
        ctx.say(getattr(exc, "key", "image.download_failed"), **getattr(exc, "params", {}))
        return None
    if len(data) > limit:  # the channel's size was missing or wrong
        ctx.say("image.too_large", max_mb=limit // (1024 * 1024))
        return None
    return data


async def receive_image(ctx: Ctx, image: ImageIn) -> str | None:
    """Download, normalise and store an image; say why when it is refused (then None)."""
    guest = ctx.member_id is None
    data = await fetch_image(ctx, image)
    if data is None:
        return None
    jpeg = await normalized(ctx, image, data, guest=guest)
    return None if jpeg is None else await ctx.ports.media.put(jpeg)


async def normalized(ctx: Ctx, image: ImageIn, data: bytes, *, guest: bool = False) -> bytes | None:
    """``data`` as the normalised JPEG; a refusal (its catalog key) is said, then None."""
    try:
        return await ctx.ports.images.normalize(
            data, filename=image.filename, mime=image.mime, guest=guest
        )
    except Exception as exc:
        key = getattr(exc, "key", None)
        if key is None:
            raise
        ctx.say(key, **getattr(exc, "params", {}))
        return None
