"""Cryptographic building blocks in plain Python: no Django import, no database."""
