"""The free-text hours parser and the value cleaners of the HSDS importer: pure
functions, no database."""

import datetime as dt
from io import StringIO

import pytest

from directory.hsds import values
from directory.hsds.hours import HoursParseError, parse_hours, parse_range, parse_time
from directory.hsds.languages import resolve

T = dt.time
WEEKDAYS = (1, 2, 3, 4, 5)


def weekly(days, opens, closes):
    return [(day, opens, closes) for day in days]


class TestParseHours:
    def test_reads_times_before_days(self):
        assert parse_hours("9:00am-5:00pm, Mon-Fri") == weekly(WEEKDAYS, T(9), T(17))

    def test_reads_days_before_times_and_several_clauses(self):
        assert parse_hours("Mon-Fri 9-5; Sat 10-2") == [
            *weekly(WEEKDAYS, T(9), T(17)),
            (6, T(10), T(14)),
        ]

    def test_reads_long_day_names_and_spaced_meridiems(self):
        assert parse_hours("Monday - Friday: 9:00 AM - 5:00 PM") == weekly(WEEKDAYS, T(9), T(17))

    def test_reads_a_list_of_days_with_an_afternoon_range(self):
        assert parse_hours("Mon, Wed, Fri 1-5pm") == weekly((1, 3, 5), T(13), T(17))

    def test_reads_two_ranges_on_one_day_as_morning_and_afternoon(self):
        assert parse_hours("Mon 9-12, 1-5") == [(1, T(9), T(12)), (1, T(13), T(17))]

    def test_reads_daily_weekdays_and_m_f(self):
        assert parse_hours("Daily 8am-8pm") == weekly(range(1, 8), T(8), T(20))
        assert parse_hours("weekdays 9-5") == weekly(WEEKDAYS, T(9), T(17))
        assert parse_hours("M-F 9:00-4:30") == weekly(WEEKDAYS, T(9), T(16, 30))

    def test_reads_round_the_clock(self):
        assert parse_hours("Open 24/7") == weekly(range(1, 8), T(0), T(0))

    def test_leaves_out_days_marked_closed(self):
        assert parse_hours("Tuesday through Thursday 10am to 6pm, Saturday closed") == weekly(
            (2, 3, 4), T(10), T(18)
        )

    def test_wraps_a_day_range_over_the_weekend(self):
        assert parse_hours("Fri-Mon noon-4pm") == weekly((1, 5, 6, 7), T(12), T(16))

    @pytest.mark.parametrize("text", ["", "Call for hours", "9-5", "Mon-Fri", "by appointment"])
    def test_refuses_to_guess(self, text):
        with pytest.raises(HoursParseError):
            parse_hours(text)


class TestTimes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("9", T(9)),
            ("9am", T(9)),
            ("9:30 p.m.", T(21, 30)),
            ("17:00", T(17)),
            ("09:00:00", T(9)),
            ("12am", T(0)),
            ("noon", T(12)),
            ("4:00 PM", T(16)),
        ],
    )
    def test_parses_times_as_people_write_them(self, text, expected):
        assert parse_time(text) == expected

    @pytest.mark.parametrize("text", ["25:99", "13pm", "soon", ""])
    def test_rejects_what_is_not_a_time(self, text):
        assert parse_time(text) is None

    def test_reads_a_12_hour_slip_in_a_closing_time_as_pm(self):
        assert parse_range("10:00", "4:00") == (T(10), T(16))

    def test_keeps_a_real_overnight_range(self):
        assert parse_range("22:00", "20:00") == (T(22), T(20))


class TestValues:
    def test_splits_several_phone_numbers_and_reads_extensions(self):
        assert values.phones("(618) 453-3217; (618) 536-7711") == [
            ("(618) 453-3217", ""),
            ("(618) 536-7711", ""),
        ]
        assert values.phones("(312) 773-1068 ext. 321") == [("(312) 773-1068", "321")]
        assert values.phones("844-RIGHTS-9 (844-744-4879)") == [("(844) 744-4879", "")]
        assert values.phones("1-800-LAW-REP-4") == [("(800) 529-7374", "")]

    @pytest.mark.parametrize("text", ["no phone", "", "   "])
    def test_refuses_phone_text_without_a_number(self, text):
        with pytest.raises(ValueError):
            values.phones(text)

    def test_reads_placeholder_dates_as_no_date(self):
        assert values.date("January 01, 0001") is None
        assert values.date("12/24/15") == dt.date(2015, 12, 24)
        assert values.date("2023-03-15T10:30:45.123Z") == dt.date(2023, 3, 15)

    @pytest.mark.parametrize(
        ("word", "expected"),
        [
            ("", "active"),
            ("Active", "active"),
            ("closed", "inactive"),
            ("Temporarily Closed", "temporarily closed"),
            ("temporarily_closed", "temporarily closed"),
            ("DEFUNCT", "defunct"),
        ],
    )
    def test_normalises_statuses(self, word, expected):
        assert values.status(word) == expected

    def test_cleans_stray_spaces(self):
        assert values.text("  Northside   Food Bank \n") == "Northside Food Bank"

    def test_resolves_language_names_and_codes(self):
        assert resolve("Spanish") == ("es", "Spanish")
        assert resolve("es") == ("es", "Spanish")
        assert resolve("Chinese (Mandarin)") == ("cmn", "Mandarin")
        assert resolve("Klingon") is None


class TestProgress:
    def test_shows_a_progress_bar_only_on_a_terminal(self):
        from tqdm import tqdm

        from directory.hsds.importer import _progress

        class Terminal(StringIO):
            def isatty(self):
                return True

        assert isinstance(_progress(Terminal())([1, 2], disable=True), tqdm)
        assert _progress(StringIO())([1, 2]) == [1, 2]
        assert _progress(None)([1, 2]) == [1, 2]
