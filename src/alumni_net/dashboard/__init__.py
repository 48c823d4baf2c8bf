"""The local browser dashboard for programme leaders (Solara): ``alumni-net dashboard``.

``session`` holds everything that is not the user interface (the data, the levers as a scenario
file, the live run and the side-by-side comparison); ``app`` is the Solara page; ``server``
starts it on 127.0.0.1. Nothing here is imported by the rest of the package.
"""
