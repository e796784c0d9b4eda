"""The guided consultation (``advisor ask``): one question at a time, then the recommendation.

The modules follow a consultation: ``start`` (the parties' names first, while the
rest loads) → ``session`` (the answers so far) → ``questions`` and ``prompts``
(asking, with why and help) → ``flow`` (the interview, the result, the menu after
it: ``menu``, ``saving``) → files kept on the way (``resume``, ``casefile``).
What the engine left open is worked out by ``gaps``; the consultation's own
renderings are in ``advisor.render.consultation``.

    from advisor.ask.start import start
    from advisor.ask.session import Session
    start(Session())          # in a terminal; returns the exit status
"""
