"""lagebild's dashboard: server-rendered pages (Jinja2), inline SVG charts, a little vanilla JS.

Nothing is loaded from another origin: templates/ and static/ hold everything the pages use,
including the world outline of the map (see `_build_world.py`).
"""
