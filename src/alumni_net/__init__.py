"""alumni_net: network science for leadership-programme alumni."""

__version__ = "0.1.0"
