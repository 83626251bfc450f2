"""The customer port (``backend.port.RedemptionBackend``) on the embedded backend: each
call handed to the part that owns its concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.catalog import Catalog
from backend.local.accounts import Accounts
from backend.local.claims import Claims
from backend.local.context import Context
from backend.local.eligibility import Promotions
from backend.local.email_codes import EmailCodes
from backend.local.events import Events
from backend.local.pages import Pages
from backend.local.products import Products
from backend.local.resubmit import Resubmits
from backend.port import (
    Claim,
    ClaimEvent,
    ClaimFix,
    ClaimPage,
    ClaimRequest,
    Eligibility,
    EmailChallenge,
    Ineligibility,
    Member,
    Product,
    ProductPage,
    ProductRegistration,
    Promotion,
    SignUp,
)


class LocalCustomer:
    """Accounts, email codes, products, promotions, claims and their events."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._accounts = Accounts(ctx)
        self._email_codes = EmailCodes(ctx, self._accounts.authenticate)
        self._products = Products(ctx)
        self._promotions = Promotions(ctx)
        self._claims = Claims(ctx)
        self._resubmits = Resubmits(ctx, self._claims)
        self._events = Events(ctx)
        self._pages = Pages(ctx)

    @property
    def catalog(self) -> Catalog:
        return self._ctx.catalog

    # accounts
    async def sign_up(self, data: SignUp) -> EmailChallenge:
        return await self._accounts.sign_up(data)

    async def email_registered(self, email: str) -> bool:
        return await self._accounts.email_registered(email)

    async def log_in(self, email: str, password: str) -> Member:
        return await self._accounts.log_in(email, password)

    async def get_member(self, member_id: str) -> Member:
        return await self._accounts.get_member(member_id)

    async def update_member(self, member_id: str, **changes: Any) -> Member:
        return await self._accounts.update_member(member_id, **changes)

    # email codes
    async def resend_code(self, challenge_id: str) -> EmailChallenge:
        return await self._email_codes.resend_code(challenge_id)

    async def verify_code(self, challenge_id: str, code: str) -> Member:
        return await self._email_codes.verify_code(challenge_id, code)

    async def start_verification(self, email: str, password: str) -> EmailChallenge:
        return await self._email_codes.start_verification(email, password)

    async def start_reset(self, email: str) -> EmailChallenge | None:
        return await self._email_codes.start_reset(email)

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        return await self._email_codes.reset_password(challenge_id, password)

    # products and promotions
    async def register_product(self, member_id: str, data: ProductRegistration) -> Product:
        return await self._products.register_product(member_id, data)

    async def check_serial(self, member_id: str, serial: str) -> None:
        await self._products.check_serial(member_id, serial)

    async def list_products(self, member_id: str) -> list[Product]:
        return await self._products.list_products(member_id)

    async def get_product(self, member_id: str, product_id: str) -> Product:
        return await self._products.get_product(member_id, product_id)

    async def list_promotions(self) -> list[Promotion]:
        return await self._promotions.list_promotions()

    async def get_promotion(self, code: str) -> Promotion:
        return await self._promotions.get_promotion(code)

    async def eligibility(self, member_id: str, today: dt.date) -> list[Eligibility]:
        return await self._promotions.eligibility(member_id, today)

    async def why_not(self, member_id: str, product_id: str, today: dt.date) -> list[Ineligibility]:
        return await self._promotions.why_not(member_id, product_id, today)

    async def product_page(
        self,
        member_id: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        return await self._pages.product_page(member_id, today, offset, limit, product_id)

    async def redeemable_promotions(self, member_id: str, today: dt.date) -> list[Promotion]:
        return await self._pages.redeemable_promotions(member_id, today)

    async def redeemable_products(
        self,
        member_id: str,
        promotion: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        return await self._pages.redeemable_products(
            member_id, promotion, today, offset, limit, product_id
        )

    # claims and their events
    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key: str
    ) -> Claim:
        return await self._claims.submit_claim(member_id, request, idempotency_key)

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key: str
    ) -> Claim:
        return await self._resubmits.resubmit_claim(member_id, claim_id, fix, idempotency_key)

    async def list_claims(self, member_id: str) -> list[Claim]:
        return await self._claims.list_claims(member_id)

    async def claim_page(self, member_id: str, offset: int = 0, limit: int = 10) -> ClaimPage:
        return await self._pages.claim_page(member_id, offset, limit)

    async def get_claim(self, member_id: str, claim_id: str) -> Claim:
        return await self._claims.get_claim(member_id, claim_id)

    async def status_history(self, member_id: str, claim_id: str) -> list[ClaimEvent]:
        return await self._events.status_history(member_id, claim_id)

    async def undelivered_events(
        self, member_id: str | None = None, limit: int = 100
    ) -> list[ClaimEvent]:
        return await self._events.undelivered_events(member_id, limit)

    async def mark_delivered(self, event_ids: list[str]) -> None:
        await self._events.mark_delivered(event_ids)
