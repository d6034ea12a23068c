"""French and English function words (and words of time and quantity) left out of top terms,
drivers and emerging terms.

Compared accent-folded (`nlp.text.normalise`), so "tres" and "très", "deja" and "déjà" are both
stop words. Elided articles and pronouns ("d'erreur", "l’appli", "qu'il") are cut off by
`reports.terms.words` before the comparison.
"""

from __future__ import annotations

from nlp.text import normalise

FRENCH = """
a à afin ai aie aient aies ait alors as au aucun aucune aujourd'hui auquel aura aurai auraient
aurais aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles
auxquels avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bah
beaucoup bien bon bonjour bonsoir ça car ce ceci cela celle celles celui cependant certains
certaines ces cet cette ceux chaque chez ci comme comment contre dans de déjà depuis des
desquelles desquels dessous dessus deux donc dont du duquel durant elle elles en encore entre
es est et étaient étais était étant été êtes étiez étions être eu eue eues eûmes eurent eus
eusse eut eux fait faire fais faut fois font furent fus fut hier ici il ils je jamais jusqu
jusque la là laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui ma mais
mal me même mêmes merci mes moi moins mon ne ni non nos notre nôtre nous on ont or ou où oui
par parce parfois pas pendant peu peut peuvent peux plus plupart pour pourquoi pourtant puis
puisque quand que quel quelle quelles quels qui quoi quoique rien sa sans se sera serai
seraient serais serait seras serez seriez serions serons seront ses si sien sienne soi soient
sois soit sommes son sont sous souvent suis sur ta tant te tes toi ton tous tout toute toutes
très trop tu un une unes uns va vais vas vers via voici voilà vont vos votre vôtre vous vu
"""

ENGLISH = """
about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each even ever every few for from further get gets got had
hadn't has hasn't have haven't having he her here hers herself him himself his how however i
i'd i'll i'm i've if in into is isn't it it's its itself just let like many may me might more
most much must my myself never new no nor not now of off on once one only or other our ours
ourselves out over own really same she should shouldn't so some still such than that that's
the their theirs them themselves then there there's these they they're this those through to
too two under until up upon us very via was wasn't way we we're were weren't what what's when
where which while who whom why will with won't would wouldn't yes yet you you're your yours
yourself yourselves
"""

WEB = "http https www com amp rt"

# Words of time and quantity that every period repeats ("il y a dix jours", "hier soir"): never
# a driver, an emerging term or a top term of an alert on their own.
FILLER = """
jour jours journée semaine semaines mois an ans année années heure heures minute minutes soir
soirée matin matinée midi nuit hier demain lundi mardi mercredi jeudi vendredi samedi dimanche
quelques quelque plusieurs trois quatre cinq six sept huit neuf dix vingt trente cent mille
chose choses truc trucs day days week weeks month months year years hour hours minutes today
yesterday tomorrow tonight morning evening night ago monday tuesday wednesday thursday friday
saturday sunday three four five six seven eight nine ten thing things stuff week-end weekend
weekends end last next
"""

# Greetings and the words that open or close a message ("Hello, …", "Franchement, …", "…
# Bref."): how people talk, never what they talk about.
DISCOURSE = """
hello hi hey coucou salut franchement honnêtement perso sérieux bref ok okay honestly fyi
anyway btw lol mdr
"""

STOP_WORDS: frozenset[str] = frozenset(
    normalise(w) for w in f"{FRENCH} {ENGLISH} {WEB} {FILLER} {DISCOURSE}".split()
)


def is_stop_word(word: str) -> bool:
    """True for a French or English function word, whatever its case or accents."""
    return normalise(word).replace("’", "'") in STOP_WORDS
