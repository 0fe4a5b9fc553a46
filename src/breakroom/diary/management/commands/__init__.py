"""`breakroom wtr`."""
