"""Policy-course exercises: scenario packs, student submissions, feedback and class grading.

The layout follows the data: a pack folder (``schema``, the files' shapes, read by
``pack`` into ``model``'s typed objects) → a student's submission (``submission``)
→ feedback on it against the reference coding (``feedback``, on ``analyst``'s
cached advisor runs) → a class's submissions graded together (``grade``) →
renderings for the terminal, Markdown and HTML (``advisor.render.exercise``,
``advisor.render.class_report``).
The students' copy of a pack is written by ``students`` (YAML by ``dump``). The
student's session in the terminal lives in ``session``; the command line in
``advisor.commands.exercise``.

    from advisor.exercise.pack import load_pack
    from advisor.exercise.submission import read_submission
    from advisor.exercise.feedback import feedback
    pack = load_pack()                                 # the course pack shipped with the advisor
    fb = feedback(read_submission(path), pack)
    fb.score, fb.to_dict()
"""
