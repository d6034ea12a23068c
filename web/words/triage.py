"""The words of the workspace's triage pages (web/words/__init__.py says how)."""

WORDS: dict[str, tuple[str, str]] = {
    # Shared by the inbox, a mention and the labels to review
    "triage.status.open": ("ouverte", "open"),
    "triage.status.new": ("nouvelle", "new"),
    "triage.status.in_progress": ("en cours", "in progress"),
    "triage.status.answered": ("répondue", "answered"),
    "triage.status.closed": ("close", "closed"),
    "triage.status.all": ("tous", "all"),
    "triage.assign": ("Assigner", "Assign"),
    "triage.hand_over": ("Transmettre", "Hand over"),
    "triage.aria.assignee": ("responsable", "assignee"),
    "triage.aria.handoff_target": ("destinataire de la transmission", "handoff target"),
    "triage.task": ("Tâche", "Task"),
    "triage.mention": ("Mention", "Mention"),
    "triage.read_only": ("lecture seule", "read only"),
    "triage.said": ("{author}\u00a0: {text}", "{author}: {text}"),
    "triage.bad_label": ("Étiquette invalide", "Bad label"),
    "triage.no_user": ("Utilisateur inconnu", "No such user"),
    "triage.no_user_message": (
        "Aucun utilisateur ne porte le nom {name}.",
        "There is no user named {name}.",
    ),
    # The inbox
    "inbox.bulk.off_topic": ("Hors sujet pour cette marque", "Off-topic for this brand"),
    "inbox.bulk.off_topic_help": (
        "Retirer les mentions cochées de la marque choisie : ses chiffres, rapports et "
        "alertes ne les comptent plus ; celles qui ne sont plus sur aucune marque sont "
        "closes.",
        "Take the checked mentions off the chosen brand: its figures, reports and alerts no "
        "longer count them; those about no brand any more are closed.",
    ),
    "inbox.bulk.on_topic": ("Remettre sur cette marque", "Put back on this brand"),
    "inbox.off_topic_filter": (
        "Hors sujet pour {brand} : les mentions que l'équipe en a retirées",
        "Off-topic for {brand}: the mentions the team took off it",
    ),
    "inbox.aria.off_topic_brand": ("marque dont les retirer", "brand to take them off"),
    "inbox.views": ("Vues enregistrées\u00a0:", "Saved views:"),
    "inbox.views.none": ("aucune pour l'instant", "none yet"),
    "inbox.views.name": ("nom de la vue", "view name"),
    "inbox.views.only_me": ("pour moi seulement", "just for me"),
    "inbox.views.me": ("moi", "me"),
    "inbox.views.yours": ("Votre vue\u00a0: vous seul la voyez", "Your own view: only you see it"),
    "inbox.views.save": ("Enregistrer ces filtres", "Save these filters"),
    "inbox.views.remove": ("Supprimer la vue {name}", "Remove the view {name}"),
    "inbox.views.confirm_remove": (
        "Supprimer cette vue pour toute l'équipe ?",
        "Remove this view for the whole team?",
    ),
    "inbox.views.confirm_remove_mine": ("Supprimer votre vue ?", "Remove your view?"),
    "inbox.views.not_saved": ("Vue non enregistrée", "View not saved"),
    "inbox.views.no_such": ("Vue introuvable", "No such view"),
    "inbox.views.bad_query": (
        "La requête de ces filtres est invalide : corrigez-la d'abord.",
        "These filters' query is invalid: correct it first.",
    ),
    "inbox.views.bad_name": (
        "Le nom d'une vue compte de 1 à {most} caractères imprimables.",
        "A view's name is 1 to {most} printable characters.",
    ),
    "inbox.query": ("Requête (langage de Veille)", "Query (Veille's language)"),
    "inbox.query_example": (
        "livraison AND (colis OR commande) AND NOT remboursement",
        "livraison AND (colis OR commande) AND NOT remboursement",
    ),
    "inbox.words": ("Mots (texte intégral)", "Words (full text)"),
    "inbox.alert_filter": (
        'messages de l\'alerte <a href="/alerts/{id}">#{id}</a>',
        'posts of alert <a href="/alerts/{id}">#{id}</a>',
    ),
    "triage.not_theirs": ("Pas pour cette personne", "Not for this person"),
    "triage.not_theirs_message": (
        "{name} ne voit que {brands}\u00a0: ces mentions ne lui sont pas visibles toutes.",
        "{name} sees {brands} only: some of these mentions are not theirs to see.",
    ),
    "inbox.author_tag": ("Auteurs étiquetés", "Authors tagged"),
    "watch.start": (
        "M'avertir par e-mail des nouvelles mentions de « {name} »",
        "Tell me by e-mail of the new mentions of “{name}”",
    ),
    "watch.stop": (
        "Ne plus m'avertir des nouvelles mentions de « {name} »",
        "Stop telling me of the new mentions of “{name}”",
    ),
    "watch.no_email": ("Pas d'adresse e-mail", "No e-mail address"),
    "watch.no_email_message": (
        'Pour être averti, donnez d\'abord votre adresse sur <a href="/account">Mon compte</a>.',
        'To be told, first give your address on <a href="/account">My account</a>.',
    ),
    "inbox.alike": ("×\u00a0{n} semblables", "×\u00a0{n} alike"),
    "inbox.alike_title": (
        "{n} messages semblables (textes presque identiques publiés à peu d'heures"
        " d'intervalle)\u00a0: les voir ensemble",
        "{n} posts alike (nearly the same text, published hours apart at most): see them together",
    ),
    "inbox.alike_filter": (
        'messages semblables au <a href="/mentions/{id}">n°\u00a0{id}</a>',
        'posts alike <a href="/mentions/{id}">#{id}</a>',
    ),
    "inbox.author_filter": (
        'messages de <a href="/authors/{id}">{name}</a>',
        'posts by <a href="/authors/{id}">{name}</a>',
    ),
    "inbox.last_day": ("dernières 24\u00a0heures", "last 24 hours"),
    "inbox.json_lines": ("JSON Lines", "JSON lines"),
    "inbox.query_error": (
        "<strong>Erreur de requête à la colonne {column}</strong>\u00a0: {reason}",
        "<strong>Query error at column {column}</strong>: {reason}",
    ),
    "inbox.query_error_hint": (
        "<strong>Erreur de requête à la colonne {column}</strong>\u00a0: {reason}\u00a0; {hint}",
        "<strong>Query error at column {column}</strong>: {reason}; {hint}",
    ),
    "inbox.capped": (
        "La requête n'a été appliquée qu'aux {scan} mentions les plus urgentes de ces"
        " filtres\u00a0: réduisez la période ou ajoutez un filtre pour en voir davantage.",
        "The query was matched against the {scan} most urgent mentions of these filters only:"
        " narrow the period or add a filter to see more.",
    ),
    "inbox.keys": (
        "Raccourcis\u00a0: <kbd>j</kbd>/<kbd>k</kbd> se déplacer, <kbd>Entrée</kbd> ouvrir,"
        " <kbd>x</kbd> cocher, <kbd>/</kbd> rechercher, <kbd>?</kbd> aide.",
        "Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> open, <kbd>x</kbd> check,"
        " <kbd>/</kbd> search, <kbd>?</kbd> help.",
    ),
    "inbox.order": (
        "Les plus urgentes d'abord\u00a0: négatives, service client, auteurs à forte portée,"
        " mentions d'une alerte ouverte, questions, étiquettes dont un modèle doutait.",
        "Most urgent first: negative, customer service, far-reaching authors, part of an open"
        " alert, questions, labels a model was unsure of.",
    ),
    "inbox.bulk.with_checked": ("Pour les mentions cochées\u00a0:", "With the checked:"),
    "inbox.bulk.done": ("Marquer comme traitées", "Mark done"),
    "inbox.bulk.label": ("étiquette", "label"),
    "inbox.bulk.topic": ("thématique\u00a0: {name}", "topic: {name}"),
    "inbox.bulk.relabel": ("Corriger l'étiquette", "Relabel"),
    "inbox.select_all": ("tout sélectionner", "select all"),
    "inbox.select_one": ("sélectionner {id}", "select {id}"),
    "inbox.col.source_author": ("Source · auteur", "Source · author"),
    "inbox.handed_over": ("transmise", "handed over"),
    "inbox.empty": (
        "Aucune mention ne correspond à ces filtres.",
        "Nothing matches these filters.",
    ),
    "inbox.newer": ("← page précédente", "← newer page"),
    "inbox.next": ("page suivante →", "next page →"),
    "inbox.bad_query": ("Requête invalide", "Bad query"),
    "inbox.cannot_hand_over": ("Transmission impossible", "Cannot hand over"),
    "inbox.unknown_action": ("Action inconnue", "Unknown action"),
    "inbox.unknown_action_message": (
        "Choisissez assigner, marquer comme traitées, corriger l'étiquette ou transmettre.",
        "Choose assign, done, relabel or hand over.",
    ),
    # One mention
    "mention.title": ("Mention {id}", "Mention {id}"),
    "mention.back": ("← Boîte de réception", "← Inbox"),
    "mention.previous": ("‹ précédente", "‹ previous"),
    "mention.next": ("suivante ›", "next ›"),
    "mention.keys": (
        "raccourcis\u00a0: <kbd>j</kbd> suivante, <kbd>k</kbd> précédente,"
        " <kbd>u</kbd> boîte de réception",
        "keys: <kbd>j</kbd> next, <kbd>k</kbd> previous, <kbd>u</kbd> inbox",
    ),
    "mention.thread_title": ("Fil\u00a0: {title}", "Thread: {title}"),
    "mention.original": ("Voir le message d'origine", "Open the original"),
    "mention.language": ("langue {lang}", "language {lang}"),
    "mention.likes": ("j'aime {n}", "likes {n}"),
    "mention.shares": ("partages {n}", "shares {n}"),
    "mention.comments": ("commentaires {n}", "comments {n}"),
    "mention.views": ("vues {n}", "views {n}"),
    "mention.rating": ("note {rating}", "rating {rating}"),
    "mention.brands": ("Marques\u00a0:", "Brands:"),
    "mention.brand_terms": ("trouvée par : {terms}", "matched by: {terms}"),
    "mention.off_topic": ("Pas sur {brand}", "Not about {brand}"),
    "mention.off_topic_alike": (
        "Pas sur {brand}, ni ses {n} semblables",
        "Not about {brand}, nor its {n} posts alike",
    ),
    "mention.off_topic_help": (
        "La requête de {brand} a trouvé cette mention mais elle n'en parle pas : ses "
        "chiffres, rapports et alertes ne la compteront plus (réversible).",
        "The query of {brand} matched this mention but it is not about it: its figures, "
        "reports and alerts will no longer count it (can be undone).",
    ),
    "mention.dismissed": (
        "Hors sujet pour {brand} : dit par {by} le {at}.",
        "Off-topic for {brand}: said by {by} on {at}.",
    ),
    "mention.dismissed_terms": (
        "La requête l'avait trouvée par : {terms}.",
        "The query had matched it by: {terms}.",
    ),
    "mention.on_topic": ("Remettre sur {brand}", "Put back on {brand}"),
    "mention.to_queries": ("affiner la requête", "refine the query"),
    "mention.not_about": ("Pas sur cette marque", "Not about this brand"),
    "mention.not_linked": (
        "Cette mention n'est pas liée à la marque {brand} : rien à retirer.",
        "This mention is not linked to the brand {brand}: nothing to take off.",
    ),
    "mention.not_taken_off": (
        "Cette mention n'a pas été retirée de la marque {brand} : rien à remettre.",
        "This mention was not taken off the brand {brand}: nothing to put back.",
    ),
    "mention.part_of_alert": (
        'Fait partie de l\'alerte <a href="/alerts/{id}">#{id}</a> ({brand}, {kind}, {status},'
        " déclenchée le {opened})",
        'Part of alert <a href="/alerts/{id}">#{id}</a> ({brand}, {kind}, {status},'
        " opened {opened})",
    ),
    "mention.alert_posts": ("ses messages", "its posts"),
    "mention.flagged": ("Signalée\u00a0:", "Flagged:"),
    "mention.labels": ("Étiquettes", "Labels"),
    "mention.col.value": ("Valeur", "Value"),
    "mention.col.score": ("Score", "Score"),
    "mention.col.model": ("Modèle · version", "Model · version"),
    "mention.col.correct": ("Corriger en un clic", "Correct in one click"),
    "mention.by_person": ("par une personne", "by a person"),
    "mention.unsure": ("incertaine", "unsure"),
    "mention.no_label": ("aucune", "none"),
    "mention.themes": ("Thèmes\u00a0:", "Themes:"),
    "mention.answered": ("Réponses de la marque", "Answered by the brand"),
    "mention.answer": (
        "{author} ({delay} plus tard)\u00a0: {text}",
        "{author} ({delay} after): {text}",
    ),
    "mention.thread": ("Fil de discussion", "Thread"),
    "mention.in_reply_to": ("En réponse à", "In reply to"),
    "mention.this_one": ("cette mention", "this mention"),
    "mention.notes": ("Notes", "Notes"),
    "mention.no_notes": ("Aucune note.", "No notes."),
    "mention.note_label": ("note", "note"),
    "mention.add_note": ("Ajouter une note", "Add a note"),
    "mention.status": ("Statut\u00a0:", "Status:"),
    "mention.assignee": ("Responsable\u00a0:", "Assignee:"),
    "mention.handoff": ("Transmission", "Hand over"),
    "mention.not_handed": ("Pas encore transmise.", "Not handed over."),
    "mention.handoff_note": ("note de transmission", "handoff note"),
    "mention.handoff_placeholder": ("ce que l'équipe doit savoir", "what the team should know"),
    "mention.no_target": (
        "Aucun destinataire pour une transmission\u00a0: ajoutez un outil de support ou un CRM"
        " sous alerts.targets.",
        "No target to hand over to: add a helpdesk or CRM under alerts.targets.",
    ),
    "mention.profile_link": ("profil", "profile"),
    "mention.followers": (
        "Abonnés {followers} · messages {posts}",
        "Followers {followers} · posts {posts}",
    ),
    "mention.profile": ("Profil\u00a0:", "Profile:"),
    "mention.tier": ("fréquence {tier}", "tier {tier}"),
    "mention.influence": ("influence {score}", "influence {score}"),
    "mention.suspicious": ("Suspect\u00a0:", "Suspicious:"),
    "mention.no_profile": (
        "Aucun profil calculé pour l'instant (<code>veille authors</code>).",
        "No profile computed yet (<code>veille authors</code>).",
    ),
    "mention.unknown_author": ("Auteur inconnu.", "Unknown author."),
    "mention.history": ("Historique", "History"),
    "mention.no_history": (
        "Personne n'est encore intervenu ici.",
        "Nobody acted on it yet.",
    ),
    "mention.not_found": ("Mention introuvable", "No such mention"),
    "mention.not_found_message": ("Il n'y a pas de mention {id}.", "There is no mention {id}."),
    "mention.cannot_hand_over": ("Transmission impossible", "Cannot hand it over"),
    "mention.bad_status": ("Statut invalide", "Bad status"),
    "mention.bad_status_message": (
        "Le statut est l'un des suivants\u00a0: {statuses}.",
        "Status is one of {statuses}.",
    ),
    # The labels to review
    "review.heading": ("Étiquettes à vérifier", "Labels to review"),
    "review.intro": (
        "Les étiquettes des modèles dont le score calibré est inférieur à {threshold}"
        " (<code>nlp.review_below</code>)\u00a0: la plus large portée d'abord, puis les moins"
        " sûres. L'étiquette posée par une personne l'emporte sur tout modèle, quitte cette liste"
        " et alimente le prochain entraînement (<code>veille train topic</code> ou"
        " <code>veille train sentiment</code>, puis <code>veille analyze --relabel</code>).",
        "The models' labels whose calibrated score is under {threshold}"
        " (<code>nlp.review_below</code>): the widest reach first, then the least sure. A"
        " person's label wins over any model, leaves this list and feeds the next training"
        " (<code>veille train topic</code> or <code>veille train sentiment</code>, then"
        " <code>veille analyze --relabel</code>).",
    ),
    "review.col.model_label": ("Étiquette du modèle", "Model's label"),
    "review.col.confirm": ("Confirmer ou corriger", "Confirm or correct"),
    "review.confirm": ("confirmer l'étiquette du modèle", "confirm the model's label"),
    "review.empty": ("Aucune étiquette à vérifier.", "No label to review."),
    "review.empty_brand": (
        "Aucune étiquette à vérifier pour {brand}.",
        "No label to review for {brand}.",
    ),
    "review.more": (
        "Les {shown} premières sur {total}\u00a0: chaque étiquette vérifiée quitte la liste et"
        " la suivante apparaît.",
        "The first {shown} of {total}: each one checked leaves the list and the next comes up.",
    ),
}
