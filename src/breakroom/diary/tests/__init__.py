"""Tests of the diary: the rules engine and the CSV format, without a database."""
