"""Structured logs (operations/logging.py): one JSON object a line, with the fields a record was given and
the id of the request it was written for."""

import json
import logging
import re
import sys

from operations.logging import JsonFormatter, RequestIdFilter, request_id


def test_json_log_lines_carry_the_exception():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "g7site", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed here"
    assert line["level"] == "ERROR"
    assert "ValueError: broken" in line["exception"]


def test_a_record_carries_the_id_of_the_request_it_was_written_for_unless_it_has_one():
    record = logging.LogRecord("g7site", logging.INFO, __file__, 1, "answered", (), None)
    token = request_id.set("request-7")
    try:
        assert RequestIdFilter().filter(record) is True
        own = logging.LogRecord("g7site", logging.INFO, __file__, 1, "answered", (), None)
        own.request_id = "given-by-the-caller"
        RequestIdFilter().filter(own)
    finally:
        request_id.reset(token)
    assert record.request_id == "request-7"
    assert own.request_id == "given-by-the-caller"


def test_json_log_lines_carry_the_extra_fields_but_not_the_request_or_empty_values():
    record = logging.getLogger("g7site").makeRecord(
        "g7site",
        logging.WARNING,
        __file__,
        1,
        "slow answer",
        (),
        None,
        extra={"path": "/ja/", "duration_ms": 812, "request": object(), "user": "", "note": None},
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/ja/" and line["duration_ms"] == 812
    assert "request" not in line and "user" not in line and "note" not in line
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert not {"args", "msg", "levelno", "pathname"} & set(line)
