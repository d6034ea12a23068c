"""Who is talking: contributor profiles, participation tiers, influence and suspicious prescription.

Everything here works on pandas frames of mentions (see `nlp.authors.data` for the columns),
so that one vectorised pass serves 100,000 authors; `nlp.authors.compute` reads the window
from the database and writes profiles and flags back through `storage.authors`.
"""

VERSION = "veille.authors.v1"
