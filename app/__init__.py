"""Familienwegweiser: the family-services directory and map."""
