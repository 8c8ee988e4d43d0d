import pytest
from lxml import etree

from .support import SCHEMA_PATH


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
