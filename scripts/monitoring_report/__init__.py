"""The monitoring report of one monitoring date: `python -m scripts.monitoring_report --help`."""
