"""What the tests of the parts' order share (README, "Order of parts"): the change note of such a save."""

NOTE = "Shown in the order of the source's summary."
