"""A worker's private diary of working time, checked against the Working Time Regulations."""
