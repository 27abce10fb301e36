"""The ``scale`` profile: the demo's kinds of journeys at any size, vectorised (see ``profile``)."""
