"""Demo data for `manage.py seed_demo`: fixed facts from the seed texts and generated rows."""
