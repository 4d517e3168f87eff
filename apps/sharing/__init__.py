"""Sharing pages around the studio: moment links, the embed player, "my scenarios and runs".

Not a Django app of its own (no models): views, a small API router and pure helpers that read
``apps.scenarios`` and ``apps.runs``. See docs/sharing-and-reports.md.
"""
