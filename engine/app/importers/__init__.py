"""Importers: recorded proceedings from other sources, recorded through the case actions."""
