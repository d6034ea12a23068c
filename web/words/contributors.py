"""The contributors pages' words (web/contributors.py): the list, a contributor's page and the
correction of their profile."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "authors.intro": (
        "Les auteurs profilés sur leur fenêtre (nlp.authors.window_days), les plus influents"
        " d'abord : profil, fréquence, influence, tonalité de leurs messages et messages"
        " suspects. ✎ : un profil choisi par une personne.",
        "The authors profiled over their window (nlp.authors.window_days), most influential"
        " first: profile, tier, influence, the tone of their posts and suspicious posts."
        " ✎: a profile a person chose.",
    ),
    "authors.words": ("Nom ou pseudo", "Name or handle"),
    "authors.tier": ("Fréquence", "Tier"),
    "authors.flagged_only": ("suspects seulement", "suspicious only"),
    "authors.order": ("Trier par", "Order by"),
    "authors.order.influence": ("influence", "influence"),
    "authors.order.posts": ("messages", "posts"),
    "authors.order.followers": ("abonnés", "followers"),
    "authors.influence": ("Influence", "Influence"),
    "authors.followers": ("Abonnés", "Followers"),
    "authors.posts": ("Messages (fenêtre)", "Posts (window)"),
    "authors.sentiment_of": (
        "Négatifs / neutres / positifs sur {brand}",
        "Negative / neutral / positive about {brand}",
    ),
    "authors.tone": ("Négatifs / neutres / positifs", "Negative / neutral / positive"),
    "authors.flags": ("Suspects", "Suspicious"),
    "authors.net": ("net {net}", "net {net}"),
    "authors.by_person": ("choisi par une personne", "chosen by a person"),
    "authors.empty": (
        "Aucun auteur profilé ne correspond : les profils viennent de l'étape authors de"
        " <code>veille analyze</code>.",
        "No profiled author matches: profiles come from the authors stage of"
        " <code>veille analyze</code>.",
    ),
    "authors.previous": ("← Précédents", "← Previous"),
    "authors.next": ("Suivants →", "Next →"),
    "authors.back": ("← Contributeurs", "← Contributors"),
    "authors.followers_posts": (
        "{followers} abonnés · {posts} messages enregistrés",
        "{followers} followers · {posts} stored posts",
    ),
    "authors.seen": ("vu du {first} au {last}", "seen from {first} to {last}"),
    "authors.in_inbox": (
        "Tous ses messages dans la boîte de réception",
        "All their posts in the inbox",
    ),
    "authors.by_brand": ("Ses messages, marque par marque", "Their posts, brand by brand"),
    "authors.no_brand": (
        "Aucun de ses messages ne cite une marque suivie.",
        "None of their posts names a followed brand.",
    ),
    "authors.latest": ("Ses {n} derniers messages", "Their latest {n} posts"),
    "authors.no_posts": ("Aucun message enregistré.", "No stored post."),
    "authors.more_posts": ("{shown} sur {total}.", "{shown} of {total}."),
    "authors.window": (
        "{posts} messages dans la fenêtre du {start} au {end}",
        "{posts} posts in the window from {start} to {end}",
    ),
    "authors.set_profile": ("Profil", "Profile"),
    "authors.save_profile": ("Corriger le profil", "Correct the profile"),
    "authors.set_profile_help": (
        "Le profil choisi par une personne l'emporte sur le calcul de chaque nuit, y compris"
        " quand l'auteur quitte la fenêtre et revient.",
        "A profile a person chooses wins over each night's computation, also when the author"
        " leaves the window and comes back.",
    ),
    "authors.computed": (
        "le calcul de la nuit dit {profile} ({score})",
        "the nightly computation says {profile} ({score})",
    ),
    "authors.computed_later": (
        "le calcul de la nuit prochaine le dira",
        "the next night's computation will say",
    ),
    "authors.withdraw_profile": (
        "Rendre le profil au calcul",
        "Give the profile back to the computation",
    ),
    "authors.tag": ("Étiquette", "Tag"),
    "authors.tags": ("Étiquettes de l'équipe", "The team's tags"),
    "authors.no_tags": ("aucune", "none"),
    "authors.tag_example": ("journaliste, VIP, détracteur…", "journalist, VIP, detractor…"),
    "authors.add_tag": ("Étiqueter", "Tag"),
    "authors.untag": ("Retirer l'étiquette « {tag} »", "Remove the tag “{tag}”"),
    "authors.tags_help": (
        "Les contributeurs et la boîte de réception se filtrent par étiquette\u00a0; une alerte"
        " peut suivre les messages d'une étiquette (alerts.kinds.watched_author.tags).",
        "The contributors and the inbox filter by tag; an alert can follow the posts of a tag"
        " (alerts.kinds.watched_author.tags).",
    ),
    "authors.not_tagged": ("Pas d'étiquette", "Not tagged"),
    "authors.not_found": ("Auteur introuvable", "No such author"),
    "authors.not_found_message": (
        "Aucun auteur n°{id} : effacé, ou jamais collecté.",
        "No author #{id}: erased, or never collected.",
    ),
    "authors.bad_profile": ("Profil inconnu", "Unknown profile"),
    "authors.bad_profile_message": ("Choisir l'un de : {profiles}.", "Choose one of: {profiles}."),
    "authors.no_profile_yet": ("Pas encore de profil", "No profile yet"),
    "authors.no_profile_yet_message": (
        "Cet auteur n'a pas encore de profil à corriger : l'étape authors de"
        " <code>veille analyze</code> profile les auteurs qui ont des messages dans la fenêtre.",
        "This author has no profile to correct yet: the authors stage of"
        " <code>veille analyze</code> profiles the authors with posts in the window.",
    ),
}
