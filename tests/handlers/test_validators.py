"""Table-driven tests of the input validators, the region list and the choice lists."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import regions
from handlers import validators as v
from handlers.validators import Invalid

TODAY = date(2024, 6, 1)
LONG = "x" * 10_000


def invalid(fn, *args, **kwargs) -> Invalid:
    with pytest.raises(Invalid) as info:
        fn(*args, **kwargs)
    return info.value


# -- Invalid ---------------------------------------------------------------------------


def test_invalid_carries_key_and_params():
    exc = Invalid("invalid.text_long", max=10)
    assert exc.key == "invalid.text_long"
    assert exc.params == {"max": 10}
    assert isinstance(exc, Exception)
    assert "invalid.text_long" in repr(exc)


# -- email -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("john@example.com", "john@example.com"),
        ("  John.Doe@Example.COM  ", "John.Doe@example.com"),
        ("a+tag@mail.co.uk", "a+tag@mail.co.uk"),
        ("user_name-1@sub.domain.io", "user_name-1@sub.domain.io"),
        ("12345678@qq.com", "12345678@qq.com"),
        ("mailto:Ann@Example.org", "Ann@example.org"),
        ("ann@example.org.", "ann@example.org"),  # sentence full stop
        ("ann＠example.org", "ann@example.org"),  # full-width at sign
        ("\u200bann@example.org", "ann@example.org"),  # zero-width space
        ("ann@Bücher.DE", "ann@bücher.de"),
        ("ann@example.xn--p1ai", "ann@example.xn--p1ai"),
    ],
)
def test_email_good(raw, expected):
    assert v.email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "john",
        "john@",
        "@example.com",
        "john@example",
        "john@@example.com",
        "jo hn@example.com",
        "john@exa mple.com",
        "john@example.c",
        "john@example.123",
        "john@-example.com",
        "john@example-.com",
        "john@ex..com",
        ".john@example.com",
        "john.@example.com",
        "jo..hn@example.com",
        "john@example.com..",
        "a@b@c.com",
        "jöhn@example.com",
        "john@[127.0.0.1]",
        "john@exa_mple.com",
        "john@127.0.0.1",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "a@" + "b" * 64 + ".com",
        LONG,
        "王@例子.公司" * 30,
    ],
)
def test_email_bad(raw):
    assert invalid(v.email, raw).key == "invalid.email"


# -- passwords -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["abcdefg1", "Passw0rd!", "  spaced 1  ", "密码密码密码密码1", "ü" * 7 + "9", "a1" * 64],
)
def test_password_good_is_returned_unchanged(raw):
    assert v.password(raw) == raw


@pytest.mark.parametrize(
    ("raw", "key", "params"),
    [
        ("", "invalid.password_short", {"min": 8}),
        ("abc1", "invalid.password_short", {"min": 8}),
        ("abcdef1", "invalid.password_short", {"min": 8}),
        ("abcdefgh", "invalid.password_weak", {}),
        ("12345678", "invalid.password_weak", {}),
        ("!!!!!!!!", "invalid.password_weak", {}),
        ("        ", "invalid.password_weak", {}),
        ("a1" * 64 + "x", "invalid.password_long", {"max": 128}),
        (LONG, "invalid.password_long", {"max": 128}),
    ],
)
def test_password_bad(raw, key, params):
    exc = invalid(v.password, raw)
    assert (exc.key, exc.params) == (key, params)


# -- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna", "Anna"),
        ("  Anna  ", "Anna"),
        ("Mary   Jane", "Mary Jane"),
        ("Anna\nBerg", "Anna Berg"),  # whitespace of any kind collapses
        ("O'Brien", "O'Brien"),
        ("Jean-Luc", "Jean-Luc"),
        ("J. R. R.", "J. R. R."),
        ("王小明", "王小明"),
        ("陳", "陳"),
        ("山田 太郎", "山田 太郎"),
        ("김민준", "김민준"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # decomposed: normalised to NFC
        ("José María", "José María"),
        ("Ngô Bảo Châu", "Ngô Bảo Châu"),
        ("Ān·Bèi", "Ān·Bèi"),
        ("Мария", "Мария"),
        ("محمد", "محمد"),
        ("देवनागरी", "देवनागरी"),  # combining vowel signs
        ("A", "A"),
        ("a" * 50, "a" * 50),
    ],
)
def test_name_good(raw, expected):
    assert v.name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "12345",
        "Anna2",
        "R2D2",
        "-",
        "...",
        "' -",
        "a" * 51,
        "Anna!",
        "Anna@home",
        "😀",
        "Anna 😀",
        LONG,
    ],
)
def test_name_bad(raw):
    exc = invalid(v.name, raw)
    assert (exc.key, exc.params) == ("invalid.name", {"max": 50})


# -- phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0912 345 678", "TW", "+886912345678"),
        ("0912-345-678", "tw", "+886912345678"),
        ("+886 912 345 678", None, "+886912345678"),
        ("+49 (30) 1234-5678", None, "+493012345678"),
        ("030 12345678", "DE", "+493012345678"),
        ("0049 30 12345678", "DE", "+493012345678"),
        ("(201) 555-0123", "US", "+12015550123"),
        ("201.555.0123", "US", "+12015550123"),
        ("+1 201 555 0123", "DE", "+12015550123"),  # explicit country code wins
        ("08123456789", "ID", "+628123456789"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("９１２３４５６７８", "TW", "+886912345678"),  # full-width digits
        (" +44 20 7946 0958 ", "", "+442079460958"),
    ],
)
def test_phone_good(raw, region, expected):
    assert v.phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", "DE"),
        ("   ", "DE"),
        ("12", "DE"),
        ("call me", "DE"),
        ("0800 FLOWERS", "US"),
        ("0912 345 678", None),  # no country code and no region
        ("0912 345 678", "XX"),  # unknown region
        ("0912 345 678", "AQ"),  # region without a numbering plan
        ("+999 123 456 789", None),
        ("+1 555", None),
        ("123", "US"),
        ("1" * 40, "US"),
        ("+49 30 1234 5678 ext 9", None),
        ("+49+30", None),
        (LONG, "DE"),
    ],
)
def test_phone_bad(raw, region):
    assert invalid(v.phone, raw, region).key == "invalid.phone"


# -- zip codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("12345", "US", "12345"),
        ("12345-6789", "US", "12345-6789"),
        ("12345 6789", "us", "12345-6789"),
        ("123456789", "US", "12345-6789"),
        ("00907", "PR", "00907"),  # US system
        ("10115", "DE", "10115"),
        (" 10115 ", "DE", "10115"),
        ("100", "TW", "100"),
        ("10617", "TW", "10617"),
        ("106003", "TW", "106003"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("M1 1AE", "GB", "M1 1AE"),
        ("B33 8TH", "GB", "B33 8TH"),
        ("cr2 6xh", "GB", "CR2 6XH"),
        ("DN55 1PT", "GB", "DN55 1PT"),
        ("GY1 1AA", "GG", "GY1 1AA"),
        ("K1A 0B1", "CA", "K1A 0B1"),
        ("1234 AB", "NL", "1234 AB"),
        ("75008", "FR", "75008"),
        ("100-0001", "JP", "100-0001"),
        ("999077", "HK", "999077"),
        ("12", None, "12"),
        ("d02 x285", "IE", "D02 X285"),
        ("１０１１５", "DE", "10115"),
    ],
)
def test_zip_good(raw, region, expected):
    assert v.zip_code(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", "US"),
        ("   ", None),
        ("1", None),
        ("12345678901", None),
        ("12#45", None),
        ("-1234", None),
        ("1234-", None),
        ("ä1234", None),
        ("1234", "US"),
        ("123456", "US"),
        ("12345-678", "US"),
        ("ABCDE", "US"),
        ("1011", "DE"),
        ("101155", "DE"),
        ("1234", "TW"),
        ("1234567", "TW"),
        ("SW1A", "GB"),
        ("12345", "GB"),
        ("QW1 1AA", "GB"),
        (LONG, "DE"),
    ],
)
def test_zip_bad(raw, region):
    assert invalid(v.zip_code, raw, region).key == "invalid.zip"


# -- free text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Berlin", "Berlin"),
        ("  Hauptstraße 5  ", "Hauptstraße 5"),
        ("Line one\nline two", "Line one line two"),
        ("tab\there", "tab here"),
        ("bell\x07char", "bellchar"),
        ("nul\x00x", "nulx"),
        ("台北市信義區", "台北市信義區"),
        ("Floor 3 🏢", "Floor 3 🏢"),
        ("x" * 100, "x" * 100),
    ],
)
def test_text_good(raw, expected):
    assert v.text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "max_len", "key", "params"),
    [
        ("", 100, "invalid.text_empty", {}),
        ("   \n\t ", 100, "invalid.text_empty", {}),
        ("\x00\x01", 100, "invalid.text_empty", {}),
        ("\u200b", 100, "invalid.text_empty", {}),
        ("x" * 101, 100, "invalid.text_long", {"max": 100}),
        ("abcdef", 5, "invalid.text_long", {"max": 5}),
        (LONG, 2000, "invalid.text_long", {"max": 2000}),
    ],
)
def test_text_bad(raw, max_len, key, params):
    exc = invalid(v.text, raw, max_len=max_len)
    assert (exc.key, exc.params) == (key, params)


# -- CHK -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "changed"),
    [
        ("123", "123", ()),
        (" 007 ", "007", ()),
        ("0 4 2", "042", ()),
        ("１２３", "123", ()),
        ("12O", "120", (2,)),
        ("12o", "120", (2,)),
        ("l23", "123", (0,)),
        ("I23", "123", (0,)),
        ("OlI", "011", (0, 1, 2)),
        ("S8Z", "582", (0, 2)),
        ("B00", "800", (0,)),
    ],
)
def test_chk_good(raw, value, changed):
    reading = v.chk(raw)
    assert reading.value == value
    assert reading.changed == changed
    assert reading.ambiguous == bool(changed)


@pytest.mark.parametrize("raw", ["", "  ", "12", "1234", "abc", "12X", "1-2", "12.", "???", LONG])
def test_chk_bad(raw):
    exc = invalid(v.chk, raw)
    assert (exc.key, exc.params) == ("invalid.chk", {"length": 3})


# -- serial ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "changed", "uncertain"),
    [
        # typed right: nothing to ask
        ("BA3T01946000V", "BA3T01946000V", (), ()),
        ("ba3t01946000v", "BA3T01946000V", (), ()),
        ("  BA3T 0194 6000V ", "BA3T01946000V", (), ()),
        ("BA3T-0194-6000V", "BA3T01946000V", (), ()),
        ("BA3T–0194–6000V", "BA3T01946000V", (), ()),  # en dashes
        ("S/N: BA3T01946000V", "BA3T01946000V", (), ()),
        ("SN# BA3T01946000V", "BA3T01946000V", (), ()),
        ("ＢＡ３Ｔ０１９４６０００Ｖ", "BA3T01946000V", (), ()),  # full-width
        ("K2203N0123456", "K2203N0123456", (), ()),
        ("k2203n0123456", "K2203N0123456", (), ()),
        # letter O typed for zero where the format needs a digit
        ("BA3TO1946000V", "BA3T01946000V", (4,), ()),
        ("BA3TO1946OOOV", "BA3T01946000V", (4, 9, 10, 11), ()),
        ("ba3to1946ooov", "BA3T01946000V", (4, 9, 10, 11), ()),
        ("K22O3NO123456", "K2203N0123456", (3, 6), ()),
        # I / l / L typed for one
        ("BA3T0I946000V", "BA3T01946000V", (5,), ()),
        ("BA3T0L946000V", "BA3T01946000V", (5,), ()),
        ("ba3t0l946000v", "BA3T01946000V", (5,), ()),  # lower-case l: always reported
        ("K22O3NOl23456", "K2203N0123456", (3, 6, 7), ()),
        # S / B / Z typed for 5 / 8 / 2
        ("K22O3NO1234S6", "K2203N0123456", (3, 6, 11), ()),
        ("BA3T0194B000V", "BA3T01948000V", (8,), ()),
        ("KZ2O3NO123456", "K2203N0123456", (1, 3, 6), ()),
        # digit typed where the format needs a letter
        ("8A3T01946000V", "BA3T01946000V", (0,), ()),
        # the format accepts either reading: ask the customer
        ("BA5T01946000V", "BA5T01946000V", (), (2,)),
        ("B03T01946000V", "B03T01946000V", (), (1,)),
        ("BOST01946000V", "BOST01946000V", (), (1, 2)),
        # lower-case l where the format takes 1 or L: read as 1, reported, and asked about
        ("BA3T01946000l", "BA3T019460001", (12,), (12,)),
    ],
)
def test_serial_good(raw, value, changed, uncertain):
    reading = v.serial(raw)
    assert reading.value == value
    assert reading.changed == changed
    assert reading.uncertain == uncertain
    assert reading.positions == tuple(sorted(set(changed) | set(uncertain)))
    assert reading.ambiguous == bool(changed or uncertain)
    assert len(reading.typed) == len(reading.value)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "S/N:",
        "XYZ",
        "12345",
        "BA3T",
        "BA3T01946000VV",
        "BA3T019460",
        "BA3T01946000V!",
        "BA3T.0194.6000V",
        "K2203N012345678",
        "BA3T_01946000V",
        "БА3Т01946000V",
        "OOOOOOOOOOOOOOOOOOOO",
        "0" * 40,
        "B" * 41,
        LONG,
        "BA3T01946000V BA3T01946000V",
    ],
)
def test_serial_bad(raw):
    exc = invalid(v.serial, raw)
    assert (exc.key, exc.params) == ("invalid.serial", {"example": "BA3T01946000V"})


def test_serial_custom_patterns():
    patterns = [r"602[A-Z0-9]{4}[0-9]{3}[A-Z]{2}[0-9]{10}"]
    reading = v.serial("602-V381-11OSB22O1000123", patterns)
    assert reading.value == "602V381110SB2201000123"
    assert reading.changed == (9, 14)
    # an empty list means the defaults
    assert v.serial("BA3T01946000V", []).value == "BA3T01946000V"
    assert invalid(v.serial, "BA3T01946000V", patterns).key == "invalid.serial"


def test_serial_many_letter_o_for_zeros():
    # nine O -> 0 swaps: beyond the full search, found by the letters -> digits pass
    reading = v.serial("BOOOOOOOOOOOOV")
    assert reading.value.startswith("B") and reading.value.endswith("V")
    assert reading.ambiguous
    assert any(p.fullmatch(reading.value) for p in v.check_patterns(v.DEFAULT_SERIAL_PATTERNS))


def test_check_patterns_rejects_bad_config():
    with pytest.raises(ValueError):
        v.check_patterns(["[A-Z"])


def test_reading_round_trips_through_a_dict():
    reading = v.serial("BA3TO1946OOOV")
    assert v.CodeReading.from_dict(reading.as_dict()) == reading


def test_confusable_display():
    glyphs = v.confusable_display("BA3TO1", marked=[4])
    assert [g.char for g in glyphs] == list("BA3TO1")
    assert [g.note for g in glyphs] == [
        "glyph.letter_b",
        None,
        None,
        None,
        "glyph.letter_o",
        "glyph.digit_one",
    ]
    assert [g.marked for g in glyphs] == [False, False, False, False, True, False]
    reading = v.serial("BA3TO1946000V")
    shown = reading.display()
    assert "".join(g.char for g in shown) == "BA3T01946000V"
    assert shown[4] == v.Glyph("0", "glyph.digit_zero", True)
    assert all(note in v.GLYPH_NOTES.values() for g in shown if (note := g.note))


def test_spell_serial():
    assert v.spell_serial("BA3T01946000V") == "B A 3 T 0 1 9 4 6 0 0 0 V"
    assert v.spell_serial("BA3T0", marked=(4,)) == "B A 3 T [0]"
    assert v.spell_serial("") == ""


# -- purchase date ---------------------------------------------------------------------

D = date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-04-25", D(2022, 4, 25)),
        ("2022/04/25", D(2022, 4, 25)),
        ("2022.4.5", D(2022, 4, 5)),
        ("2022 - 04 - 25", D(2022, 4, 25)),
        ("20220425", D(2022, 4, 25)),
        ("25/04/2022", D(2022, 4, 25)),
        ("04/25/2022", D(2022, 4, 25)),
        ("25.04.2022", D(2022, 4, 25)),
        ("03.04.2022", D(2022, 4, 3)),  # dots are day-first
        ("04.25.2022", D(2022, 4, 25)),
        ("25-04-2022", D(2022, 4, 25)),
        ("25 04 2022", D(2022, 4, 25)),
        ("25/04/22", D(2022, 4, 25)),
        ("25.4.22", D(2022, 4, 25)),
        ("04/04/2022", D(2022, 4, 4)),  # day == month: not ambiguous
        ("Apr 25 2022", D(2022, 4, 25)),
        ("apr 25, 2022", D(2022, 4, 25)),
        ("25 April 2022", D(2022, 4, 25)),
        ("April 25, 2022", D(2022, 4, 25)),
        ("April 25th, 2022", D(2022, 4, 25)),
        ("25th of April 2022", D(2022, 4, 25)),
        ("25-Apr-2022", D(2022, 4, 25)),
        ("25 Apr 22", D(2022, 4, 25)),
        ("Sept 1 2023", D(2023, 9, 1)),
        ("2022 Apr 25", D(2022, 4, 25)),
        ("1. März 2022", D(2022, 3, 1)),
        ("25 avril 2022", D(2022, 4, 25)),
        ("2022年4月25日", D(2022, 4, 25)),
        ("2022 年 4 月 25 日", D(2022, 4, 25)),
        ("2022년 4월 25일", D(2022, 4, 25)),
        ("２０２２－０４－２５", D(2022, 4, 25)),
        ("today", TODAY),
        (" Today! ", TODAY),
        ("yesterday", D(2024, 5, 31)),
        ("heute", TODAY),
        ("昨天", D(2024, 5, 31)),
        ("2024-06-01", TODAY),
        ("2014-06-01", D(2014, 6, 1)),  # exactly ten years
        ("05/07/2024", D(2024, 5, 7)),  # 5 July is in the future: only 7 May is left
        ("07/05/2024", D(2024, 5, 7)),
    ],
)
def test_date_good(raw, expected):
    reading = v.purchase_date(raw, TODAY)
    assert reading.value == expected
    assert reading.candidates == ()
    assert not reading.ambiguous


@pytest.mark.parametrize(
    ("raw", "candidates"),
    [
        ("03/04/2022", (D(2022, 4, 3), D(2022, 3, 4))),
        ("03-04-2022", (D(2022, 4, 3), D(2022, 3, 4))),
        ("3/4/22", (D(2022, 4, 3), D(2022, 3, 4))),
        ("12 11 2023", (D(2023, 11, 12), D(2023, 12, 11))),
    ],
)
def test_date_ambiguous(raw, candidates):
    reading = v.purchase_date(raw, TODAY)
    assert reading.value is None
    assert reading.candidates == candidates
    assert reading.ambiguous


@pytest.mark.parametrize(
    ("raw", "key", "params"),
    [
        ("", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("   ", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("soon", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("31/02/2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("2022-13-01", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("32/01/2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("25/04/202", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("25/04-2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("April 2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("Apr May 2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("25 Foo 2022", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("2022-04-25 10:00", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        (LONG, "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("2024-06-02", "invalid.date_future", {}),
        ("tomorrow", "invalid.date", {"examples": "2024-06-01, 1 June 2024"}),
        ("01/01/2030", "invalid.date_future", {}),
        ("2014-05-31", "invalid.date_too_old", {"years": 10}),
        ("1999-04-25", "invalid.date_too_old", {"years": 10}),
        ("25/04/99", "invalid.date_too_old", {"years": 10}),  # 2-digit 99 is 1999
    ],
)
def test_date_bad(raw, key, params):
    exc = invalid(v.purchase_date, raw, TODAY)
    assert (exc.key, exc.params) == (key, params)


def test_date_leap_day_today():
    leap = date(2024, 2, 29)
    assert v.purchase_date("2014-02-28", leap).value == date(2014, 2, 28)
    assert invalid(v.purchase_date, "2014-02-27", leap).key == "invalid.date_too_old"


# -- yes / no --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "yes",
        "Y",
        " YES ",
        "Yes!",
        "yeah",
        "ok",
        "ja",
        "Ja.",
        "sí",
        "oui",
        "是",
        "是的",
        "好",
        "はい",
        "네",
        "👍",
    ],
)
def test_yes(raw):
    assert v.yesno(raw) is True


@pytest.mark.parametrize(
    "raw",
    [
        "no",
        "N",
        " NO ",
        "No.",
        "nope",
        "nein",
        "non",
        "nie",
        "否",
        "不",
        "不是",
        "いいえ",
        "아니요",
        "👎",
    ],
)
def test_no(raw):
    assert v.yesno(raw) is False


@pytest.mark.parametrize("raw", ["", "  ", "maybe", "yes no", "yess", "1", "是否", LONG])
def test_yesno_bad(raw):
    assert invalid(v.yesno, raw).key == "invalid.yesno"


# -- categories and channels -----------------------------------------------------------


def test_categories_follow_the_vendor_guide():
    assert [c.vendor for c in v.CATEGORIES] == [
        "Laptop",
        "All-in-One PC",
        "Desktop",
        "Monitor",
        "Motherboard",
        "Graphics Card",
        "PC Case",
        "Gaming Gear",
        "Gaming Chair",
        "Liquid Cooling",
        "Power Supply",
    ]
    assert v.CATEGORY_IDS == (
        "laptop",
        "all_in_one",
        "desktop",
        "monitor",
        "motherboard",
        "graphics_card",
        "pc_case",
        "gaming_gear",
        "gaming_chair",
        "liquid_cooling",
        "power_supply",
    )
    assert v.CATEGORIES[0].label_key == "category.laptop"
    assert v.CHANNEL_IDS == ("retail", "online", "reseller")
    assert [c.vendor for c in v.CHANNELS] == ["Retail store", "Online retailer", "Reseller"]
    assert v.CHANNELS[1].label_key == "channel.online"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("laptop", "laptop"),
        ("Graphics Card", "graphics_card"),
        ("graphics_card", "graphics_card"),
        ("GPU", "graphics_card"),
        ("all-in-one pc", "all_in_one"),
        ("notebook", "laptop"),
        ("psu", "power_supply"),
        (" 11 ", "power_supply"),
        ("1", "laptop"),
    ],
)
def test_category(raw, expected):
    assert v.category(raw).id == expected


@pytest.mark.parametrize("raw", ["", "toaster", "0", "12", "aio", LONG])
def test_category_bad(raw):
    assert invalid(v.category, raw).key == "invalid.category"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("retail", "retail"),
        ("Retail store", "retail"),
        ("ONLINE RETAILER", "online"),
        ("online", "online"),
        ("reseller", "reseller"),
        ("3", "reseller"),
    ],
)
def test_channel(raw, expected):
    assert v.channel(raw).id == expected


@pytest.mark.parametrize("raw", ["", "amazon", "4", LONG])
def test_channel_bad(raw):
    assert invalid(v.channel, raw).key == "invalid.channel"


# -- regions ---------------------------------------------------------------------------


def test_region_list():
    every = regions.all_regions()
    assert 245 <= len(every) <= 255
    codes = [r.code for r in every]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 2 and c.isupper() for c in codes)
    for code, name in [
        ("TW", "Taiwan"),
        ("HK", "Hong Kong"),
        ("KR", "Korea"),
        ("DE", "Germany"),
        ("US", "United States"),
        ("GB", "United Kingdom"),
        ("MO", "Macao"),
        ("CN", "China"),
    ]:
        assert regions.region_by_code(code) == regions.Region(code, name)


def test_region_is_frozen():
    region = regions.region_by_code("DE")
    with pytest.raises(AttributeError):
        region.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", "DE"),
        (" us ", "US"),
        ("uk", "GB"),
        ("GB", "GB"),
        ("zz", None),
        ("", None),
        ("germany", None),
    ],
)
def test_region_by_code(code, expected):
    found = regions.region_by_code(code)
    assert (found.code if found else None) == expected


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("de", "DE"),
        ("DE", "DE"),
        ("us", "US"),
        ("uk", "GB"),
        ("UK", "GB"),
        ("tw", "TW"),
        ("Germany", "DE"),
        ("germ", "DE"),
        ("germny", "DE"),
        ("Gremany", "DE"),
        ("taiwan", "TW"),
        ("台灣", "TW"),
        ("台湾", "TW"),
        ("hong kong", "HK"),
        ("Hongkong", "HK"),
        ("香港", "HK"),
        ("korea", "KR"),
        ("South Korea", "KR"),
        ("한국", "KR"),
        ("usa", "US"),
        ("U.S.A.", "US"),
        ("united states", "US"),
        ("america", "US"),
        ("Deutschland", "DE"),
        ("england", "GB"),
        ("cote d'ivoire", "CI"),
        ("Côte", "CI"),
        ("ivory coast", "CI"),
        ("reunion", "RE"),
        ("curacao", "CW"),
        ("aland", "AX"),
        ("netherlands", "NL"),
        ("holland", "NL"),
        ("turkey", "TR"),
        ("macau", "MO"),
        ("philipines", "PH"),
        ("  JAPAN  ", "JP"),
        ("kosovo", "XK"),
    ],
)
def test_search_regions_first_hit(query, first):
    found = regions.search_regions(query)
    assert found and found[0].code == first


def test_search_regions_ranks_and_limits():
    korea = regions.search_regions("korea")
    assert [r.code for r in korea[:2]] == ["KR", "KP"]
    united = [r.code for r in regions.search_regions("united")]
    assert {"AE", "GB", "US"} <= set(united)
    assert len(regions.search_regions("a")) == 8
    assert len(regions.search_regions("a", limit=3)) == 3
    assert regions.search_regions("a", limit=0) == []
    # exact code, then name prefixes, then substrings
    assert regions.search_regions("ma")[0].code == "MA"
    mal = [r.name for r in regions.search_regions("mal", limit=20)]
    assert mal[:5] == ["Malawi", "Malaysia", "Maldives", "Mali", "Malta"]
    assert "Somalia" in mal[5:]


@pytest.mark.parametrize("query", ["", "   ", "...", "qqqqqqq", "zzxxyy", LONG, "\x00"])
def test_search_regions_nothing(query):
    assert regions.search_regions(query) == []


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("DE", "DE"),
        ("uk", "GB"),
        ("Germany", "DE"),
        ("deutschland", "DE"),
        ("台灣", "TW"),
        ("Korea", "KR"),
        ("usa", "US"),
    ],
)
def test_parse_region(raw, code):
    assert regions.parse_region(raw).code == code


@pytest.mark.parametrize("raw", ["", "germ", "germny", "xx", LONG])
def test_parse_region_bad(raw):
    assert invalid(regions.parse_region, raw).key == "invalid.region"


def test_regions_loader_is_cached():
    assert regions.all_regions() is regions.all_regions()


# -- properties: arbitrary text never raises anything but Invalid ------------------------

ANY_TEXT = st.text(max_size=60) | st.text(alphabet="0Oo1lIL5S8B2Z-/ .:AaKkVvNn3", max_size=30)
ANY_DATE = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
REGION = st.sampled_from([None, "", "US", "DE", "TW", "GB", "GG", "PR", "FR", "XX", "aq", "zz"])


def _only_invalid(fn, *args) -> object:
    try:
        return fn(*args)
    except Invalid as exc:
        assert exc.key.startswith("invalid.")
        return None


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_text_validators_raise_only_invalid(raw):
    for fn in (
        v.email,
        v.password,
        v.name,
        v.text,
        v.chk,
        v.serial,
        v.yesno,
        v.category,
        v.channel,
        regions.parse_region,
    ):
        _only_invalid(fn, raw)
    assert isinstance(regions.search_regions(raw), list)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, REGION)
def test_region_validators_raise_only_invalid(raw, region):
    _only_invalid(v.phone, raw, region)
    _only_invalid(v.zip_code, raw, region)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT | st.from_regex(r"\d{1,4}[/.\- ]\d{1,2}[/.\- ]\d{1,4}", fullmatch=True), ANY_DATE)
def test_date_raises_only_invalid(raw, today):
    reading = _only_invalid(v.purchase_date, raw, today)
    if reading is not None:
        for d in (reading.value, *reading.candidates):
            if d is not None:
                assert d <= today


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2024, 6, 1)))
def test_iso_dates_round_trip(d):
    assert v.purchase_date(d.isoformat(), TODAY).value == d
    assert v.purchase_date(f"{d:%d.%m.%Y}", TODAY).value == d


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Z][A-Z0-9]{1,3}[0-9]{7,10}[A-Z]?", fullmatch=True))
def test_serial_reading_is_stable(raw):
    reading = v.serial(raw)
    assert reading.changed == ()
    assert v.serial(reading.value).value == reading.value


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_normalised_values_are_fixed_points(raw):
    for fn in (v.email, v.name, v.text):
        value = _only_invalid(fn, raw)
        if value is not None:
            assert fn(value) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("602-V390-470B2005080001", "602V390470B2005080001"),
        ("602-V381-110SB2201000123", "602V381110SB2201000123"),
    ],
)
def test_graphics_card_serials(typed: str, value: str) -> None:
    assert v.serial(typed).value == value


# -- regions in every language (CLDR names via Babel) ----------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("德國", "DE"),
        ("德国", "DE"),
        ("Taiwan", "TW"),
        ("台灣", "TW"),
        ("Österreich", "AT"),
        ("奧地利", "AT"),
        ("Schweiz", "CH"),
        ("瑞士", "CH"),
        ("Vereinigte Staaten", "US"),
        ("美國", "US"),
        ("Südkorea", "KR"),
        ("南韓", "KR"),
        ("Hongkong", "HK"),
        ("香港", "HK"),
        ("Frankreich", "FR"),
        ("法國", "FR"),
        ("Japan", "JP"),
        ("日本", "JP"),
    ],
)
def test_regions_typed_in_each_language(query, code):
    assert regions.parse_region(query).code == code
    assert regions.search_regions(query)[0].code == code


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("DE", "en", "Germany"),
        ("DE", "de", "Deutschland"),
        ("DE", "zh-Hant", "德國"),
        ("TW", "zh-Hant", "台灣"),
        ("HK", "en", "Hong Kong"),
        ("HK", "de", "Hongkong"),
        ("HK", "zh-Hant", "香港"),
        ("KR", "de", "Südkorea"),
        ("US", "zh-Hant", "美國"),
        ("ZZ", "de", "ZZ"),
    ],
)
def test_region_names_shown_in_the_customers_language(code, locale, name):
    assert regions.region_name(code, locale) == name


# -- dates typed in each language (CLDR month and weekday names, the locale's order) ---------

LATER = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("locale", "raw", "expected"),
    [
        ("en", "1 October 2026", D(2026, 10, 1)),
        ("en", "October 1, 2026", D(2026, 10, 1)),
        ("en", "Thursday, 1 Oct 2026", D(2026, 10, 1)),
        ("en", "2026/10/01", D(2026, 10, 1)),
        ("en", "01.10.2026", D(2026, 10, 1)),
        ("en", "2026年10月1日", D(2026, 10, 1)),
        ("de", "1. Oktober 2026", D(2026, 10, 1)),
        ("de", "Donnerstag, 1. Oktober 2026", D(2026, 10, 1)),
        ("de", "1. Okt. 2026", D(2026, 10, 1)),
        ("de", "3. März 2026", D(2026, 3, 3)),
        ("de", "3. Maerz 2026", D(2026, 3, 3)),
        ("de", "01.10.2026", D(2026, 10, 1)),
        ("de", "03.04.2026", D(2026, 4, 3)),
        ("de", "03/04/2026", D(2026, 4, 3)),
        ("de", "03-04-2026", D(2026, 4, 3)),
        ("de", "2026-04-03", D(2026, 4, 3)),
        ("zh-Hant", "2026年10月1日", D(2026, 10, 1)),
        ("zh-Hant", "2026 年 10 月 1 日", D(2026, 10, 1)),
        ("zh-Hant", "2026/10/01", D(2026, 10, 1)),
        ("zh-Hant", "2026-10-01", D(2026, 10, 1)),
        ("zh-Hant", "01.10.2026", D(2026, 10, 1)),
    ],
)
def test_dates_typed_in_each_language(locale, raw, expected):
    reading = v.purchase_date(raw, LATER, locale)
    assert (reading.value, reading.candidates) == (expected, ())


@pytest.mark.parametrize(
    ("locale", "raw", "candidates"),
    [
        ("en", "03/04/2026", (D(2026, 4, 3), D(2026, 3, 4))),  # asked back: the locale can't tell
        ("en", "03-04-2026", (D(2026, 4, 3), D(2026, 3, 4))),
        ("zh-Hant", "03/04/2026", (D(2026, 4, 3), D(2026, 3, 4))),  # Chinese writes the year first
    ],
)
def test_ambiguous_dates_asked_back_where_the_locale_does_not_settle_them(locale, raw, candidates):
    reading = v.purchase_date(raw, LATER, locale)
    assert reading.value is None and reading.candidates == candidates


@pytest.mark.parametrize(
    ("locale", "examples"),
    [
        ("en", "2026-12-06, 6 December 2026"),
        ("de", "2026-12-06, 6. Dezember 2026"),
        ("zh-Hant", "2026-12-06, 2026年12月6日"),
    ],
)
def test_date_examples_in_the_customers_language(locale, examples):
    exc = invalid(v.purchase_date, "soon", LATER, locale)
    assert (exc.key, exc.params) == ("invalid.date", {"examples": examples})
    for example in examples.split(", "):  # every example we give can be typed back
        assert v.purchase_date(example, LATER, locale).value == LATER
