"""Exports shared by every list: an Exporter yields rows, the base class writes the file."""
