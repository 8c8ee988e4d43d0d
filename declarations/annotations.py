"""What apps above declarations show beside a document's paragraphs (its key points, footnotes, annexes
and communiqué items): the commitment register, for one, shows the commitments each paragraph holds.

Such an app registers a provider in its AppConfig.ready(), so that declarations, below it, never imports
it. A provider takes the paragraphs a page shows and the reader, and reads what it shows beside them in a
fixed number of queries however many there are; it answers with a dict from (model label, primary key)
to what it shows beside that paragraph. Each paragraph is given `annotations`: a dict from each
provider's name to what it shows beside it (an empty list where it shows nothing).
"""

from collections.abc import Callable, Iterable

Provider = Callable[[list, object], dict[tuple[str, int], list]]

providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    providers[name] = provider


def part_key(part) -> tuple[str, int]:
    return (part._meta.label_lower, part.pk)


def annotate(parts: Iterable, user) -> None:
    """Give each of `parts` what every provider shows beside it, read once for them all."""
    parts = list(parts)
    found = {name: provider(parts, user) if parts else {} for name, provider in providers.items()}
    for part in parts:
        key = part_key(part)
        part.annotations = {name: found[name].get(key, []) for name in providers}
