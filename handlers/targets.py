"""Where the menu, the global buttons and the /commands lead: the one table of targets.

A menu button carries ``Action(Kind.MENU, target)``; a command names a target through
``COMMANDS``. Each target says whether it needs a logged-in member and, for a plain view,
the state it opens (journeys that decide for themselves, such as redeem or log out, have
none: the router starts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from states import State


class Target(StrEnum):
    """A place a menu button or a command leads to (the value travels in button data)."""

    MENU = "menu"
    STATUS = "status"
    FAQ = "faq"
    SUPPORT = "support"
    CLOSE_SUPPORT = "close_support"
    REGISTER = "register"
    REDEEM = "redeem"
    PROMOS = "promos"
    PRODUCTS = "products"
    PROFILE = "profile"
    LOGIN = "login"
    SIGNUP = "signup"
    LOGOUT = "logout"
    RESUME = "resume"  # the form the customer left last


@dataclass(frozen=True, slots=True)
class Destination:
    """What a target opens: ``state`` for a plain view (None: the router starts a journey),
    ``member`` when it needs a logged-in member, ``commands`` that name it."""

    state: State | None
    member: bool = False
    commands: tuple[str, ...] = ()


TARGETS: dict[Target, Destination] = {
    Target.MENU: Destination(State.MENU, commands=("menu",)),
    Target.STATUS: Destination(State.STATUS, member=True, commands=("status",)),
    Target.FAQ: Destination(State.FAQ, commands=("faq",)),
    Target.SUPPORT: Destination(State.SUPPORT_COMPOSE, commands=("support",)),
    Target.CLOSE_SUPPORT: Destination(None),
    Target.REGISTER: Destination(State.REG_CATEGORY, member=True, commands=("register",)),
    Target.REDEEM: Destination(None, member=True, commands=("redeem",)),
    Target.PROMOS: Destination(State.PROMOTIONS, commands=("promotions", "promos")),
    Target.PRODUCTS: Destination(State.PRODUCTS, member=True, commands=("products",)),
    Target.PROFILE: Destination(State.PROFILE, member=True, commands=("profile",)),
    Target.LOGIN: Destination(State.LOGIN_EMAIL, commands=("login",)),
    Target.SIGNUP: Destination(State.SIGNUP_EMAIL, commands=("signup",)),
    Target.LOGOUT: Destination(None, member=True, commands=("logout",)),
    Target.RESUME: Destination(None),
}

#: command name -> the target it opens
COMMANDS: dict[str, Target] = {name: t for t, d in TARGETS.items() for name in d.commands}


def target_of(value: str) -> Target | None:
    """The target a button's value names; None for anything else (an old or forged button)."""
    try:
        return Target(value)
    except ValueError:
        return None
