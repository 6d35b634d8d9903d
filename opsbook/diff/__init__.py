"""What changed between two versions of a handbook, compared as policy, not as text.

``compare(old, new)`` reads two loaded ``Handbook`` models and returns a ``Diff``:
one ``Change`` per thing a role holder would notice (a duty reworded, a step
added or moved, a deadline or a RACI letter changed ...), with its before and
after and the roles it touches. ``render`` writes it as text, JSON or Markdown,
``retrain`` crosses it with a roster, ``sources`` reads the versions to compare
(folders, git revisions, releases), ``cli`` is ``opsbook diff``.
"""

from .changes import Change, Diff
from .compare import compare

__all__ = ["Change", "Diff", "compare"]
