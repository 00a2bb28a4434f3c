"""The monthly report (`invoke report --month 2026-11`): HTML, PDF and CSV from compute.py's Kpis."""
