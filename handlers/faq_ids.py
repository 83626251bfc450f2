"""The vendor FAQ's entries, in menu order (the catalog has ``faq.<id>.q/.a/.keywords``)."""

FAQ_IDS = (
    "no_promotion",
    "incomplete",
    "how_long",
    "no_email",
    "find_serial",
    "chk",
    "invoice",
    "limit",
    "zero_o",
)
