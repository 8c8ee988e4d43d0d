"""The helpers the Jinja environment gives templates (rendering/jinja.py)."""

import datetime
import re

from rendering.jinja import localtime_iso

# HTML's global date and time string: a fraction of a second has one to three digits, if any.
HTML_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:\d{2}|Z)")


def test_a_moment_is_written_in_the_sites_time_zone_as_html_dates_it():
    moment = datetime.datetime(2023, 4, 30, 3, 4, 5, 980766, tzinfo=datetime.UTC)
    written = localtime_iso(moment)
    assert written == "2023-04-30T12:04:05+09:00"
    assert HTML_DATETIME.fullmatch(written)
