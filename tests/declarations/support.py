"""What the tests of the parts' order share (README, "Order of parts"): the change note of such a save."""

NOTE = "Shown in the order of the source's summary."


def exchange_places(first, second) -> None:
    """Exchanges two sibling parts' positions, as a drag in the admin does, through a free place (each
    position is unique among its siblings); their numbers stay."""
    model = type(first)
    model.objects.filter(pk=first.pk).update(position=32000)
    model.objects.filter(pk=second.pk).update(position=first.position)
    model.objects.filter(pk=first.pk).update(position=second.position)
