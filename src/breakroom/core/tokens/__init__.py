"""Anonymous-but-eligible one-time tokens (RFC 9474 blind signatures); see docs/tokens.md."""
