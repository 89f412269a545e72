"""Intakes and their dates: information sessions and selection days, and booking a place."""
