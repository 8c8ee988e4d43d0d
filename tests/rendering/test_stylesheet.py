"""The stylesheet: its web font is the project's own file, with its licence, and every size it sets comes
from one type scale."""

import re

from django.contrib.staticfiles import finders


def stylesheet() -> str:
    with open(finders.find("css/site.css"), encoding="utf-8") as file:
        return file.read()


def screen_rules(css: str) -> str:
    """The sheet without its print rules and its :root custom properties."""
    css = css[: css.index("@media print")]
    return re.sub(r":root \{.*?\n\}", "", css, count=1, flags=re.S)


def test_the_web_font_is_vendored_woff2_with_its_licence():
    css = stylesheet()
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.S)
    assert len(faces) == 3
    weights = set()
    for face in faces:
        assert 'font-family: "Noto Sans";' in face
        assert "font-display: swap;" in face
        # Latin only: Japanese text falls through to the Japanese fonts.
        assert "unicode-range: U+0000-00FF," in face
        (address,) = re.findall(r'url\("([^"]+)"\)', face)
        assert not address.startswith(("http:", "https:", "//"))
        found = finders.find("fonts/" + address.removeprefix("../fonts/"))
        assert found, address
        with open(found, "rb") as file:
            assert file.read(4) == b"wOF2"
        weights.add(re.search(r"font-weight: (\d+);", face).group(1))
    # The weights the sheet asks for (800 is drawn in 700, the nearest).
    used = set(re.findall(r"font-weight: (\d+);", screen_rules(css).split("@font-face")[-1]))
    assert used - {"800"} <= weights == {"400", "600", "700"}
    with open(finders.find("fonts/OFL.txt"), encoding="utf-8") as licence:
        text = licence.read()
    assert "SIL Open Font License, Version 1.1" in text and "The Noto Project Authors" in text


def test_english_text_is_set_in_the_web_font_before_any_system_font():
    css = stylesheet()
    stack = re.search(r"--font-en: ([^;]+);", css).group(1)
    assert stack.startswith('"Noto Sans", "Noto Sans JP"')
    assert "body {\n  margin: 0;\n  font-family: var(--font-en);" in css


def test_every_size_comes_from_the_type_scale():
    css = stylesheet()
    scale = set(re.findall(r"--(size-[a-z]+):", css))
    assert {"size-xs", "size-sm", "size-base", "size-md", "size-lg", "size-xl"} <= scale
    sizes = re.findall(r"font-size: ([^;}]+)", screen_rules(css))
    assert sizes
    off_scale = [size for size in sizes if not re.fullmatch(r"var\(--size-[a-z]+\)", size.strip())]
    assert off_scale == []
    used = {re.search(r"--(size-[a-z]+)", size).group(1) for size in sizes}
    assert used == scale, "a step of the scale that nothing uses"
