"""Management commands of the diary: `breakroom wtr check`."""
