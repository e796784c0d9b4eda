"""Commands that live in their own modules; each module's ``register(app)`` adds its commands.

A command module imports only typer at the top: the library and rich are imported
inside the command functions, so that ``advisor --help`` stays fast.
"""
