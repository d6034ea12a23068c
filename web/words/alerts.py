"""The words of the workspace's alerts pages (web/words/__init__.py says how)."""

WORDS: dict[str, tuple[str, str]] = {
    # The list of alerts and the mutes (alerts.html)
    "alerts.muted": ("En sourdine", "Muted"),
    "alerts.every_kind": ("tous les types", "every kind"),
    "alerts.until": ("jusqu'au {when}", "until {when}"),
    "alerts.end_now": ("Lever maintenant", "End now"),
    "alerts.nothing_muted": (
        "Rien n'est en sourdine : les messages de toutes les alertes partent.",
        "Nothing muted: every alert's messages go out.",
    ),
    "alerts.length": ("Durée", "For"),
    "alerts.reason": ("Motif", "Why"),
    "alerts.reason_example": ("spot TV ce soir", "TV spot tonight"),
    "alerts.mute": ("Mettre en sourdine", "Mute"),
    "alerts.mute_note": (
        "En sourdine, les alertes s'ouvrent et restent listées ; leurs messages (sauf ceux "
        "d'une alerte critique) attendent, et une alerte encore ouverte à la fin de la "
        "sourdine est envoyée à ce moment-là.",
        "Alerts still open and are listed while muted; their messages (but a critical "
        "alert's) wait, and an alert still open when the mute ends is sent then.",
    ),
    "alerts.show": ("Afficher", "Show"),
    "alerts.col.cause": ("Ce qui s'est passé", "What happened"),
    "alerts.col.opened": ("Ouverte ({zone})", "Opened ({zone})"),
    "alerts.col.acknowledged": ("Prise en charge", "Acknowledged"),
    "alerts.col.resolved": ("Résolue", "Resolved"),
    "alerts.col.delivery": ("Envoi", "Delivery"),
    "alerts.none_here": ("Aucune alerte dans cette vue.", "No alert of this view."),
    "alerts.none_yet": ("Aucune alerte pour l'instant.", "No alert yet."),
    "alerts.not_muted": ("Non mis en sourdine : {reason}", "Not muted: {reason}"),
    "alerts.not_offered": (
        "{length} ne fait pas partie des durées proposées",
        "{length} is not one of the lengths offered",
    ),
    "alerts.no_such_mute": ("Sourdine introuvable", "No such mute"),
    # An alert's status (storage.alerts: its states, and what the list narrows to)
    "alerts.state.open": ("ouverte", "open"),
    "alerts.state.unacknowledged": ("non prise en charge", "unacknowledged"),
    "alerts.state.acknowledged": ("prise en charge", "acknowledged"),
    "alerts.state.closed": ("close", "closed"),
    "alerts.state.resolved": ("résolue", "resolved"),
    # An alert's page (alert.html)
    "alert_page.title": ("Alerte {id}", "Alert {id}"),
    "alert_page.heading": ("Alerte {id} : {brand}", "Alert {id}: {brand}"),
    "alert_page.cause": ("<strong>{kind}</strong> : {cause}.", "<strong>{kind}</strong>: {cause}."),
    "alert_page.muted_critical": (
        "Ouverte pendant une mise en sourdine ({reason}, par {by}, jusqu'au {until}) : alerte "
        "critique, envoyée malgré tout.",
        "Opened during a mute ({reason}, by {by}, until {until}): a critical alert, sent all "
        "the same.",
    ),
    "alert_page.muted_held": (
        "Ouverte pendant une mise en sourdine ({reason}, par {by}, jusqu'au {until}) : ses "
        "messages ont attendu la fin de la sourdine, et ne sont partis alors que si l'alerte "
        "était encore ouverte.",
        "Opened during a mute ({reason}, by {by}, until {until}): its messages waited for its "
        "end, and went then only if the alert was still open.",
    ),
    "alert_page.opened": ("Ouverte le {when}", "Opened {when}"),
    "alert_page.closed": ("close le {when}", "closed {when}"),
    "alert_page.figures": (
        "{observed} négatives observées, {expected} attendues, score {score}",
        "observed {observed}, expected {expected}, score {score}",
    ),
    "alert_page.triggers": ("déclencheurs : {triggers}", "triggers: {triggers}"),
    "alert_page.trigger.spike": ("pic", "spike"),
    "alert_page.trigger.influencer": ("influenceur", "influencer"),
    "alert_page.acknowledged": (
        "Prise en charge par {by} le {when}.",
        "Acknowledged by {by} on {when}.",
    ),
    "alert_page.acknowledged_note": (
        "Prise en charge par {by} le {when} : {note}.",
        "Acknowledged by {by} on {when}: {note}.",
    ),
    "alert_page.not_acknowledged": ("Pas encore prise en charge.", "Not acknowledged."),
    "alert_page.resolved": ("Résolue par {by} le {when}.", "Resolved by {by} on {when}."),
    "alert_page.escalating": (
        "Personne ne l'a encore prise en charge : elle sera transmise en escalade à {targets} "
        "le {when}, sauf si quelqu'un la prend en charge d'ici là.",
        "Nobody has taken it on yet: it goes to {targets} on {when} unless someone "
        "acknowledges it.",
    ),
    "alert_page.escalated": ("Escalade transmise à {targets}.", "Escalated to {targets}."),
    "alert_page.escalated_to": ("{target} le {when}", "{target} on {when}"),
    "alert_page.note_optional": ("note (facultative)", "note (optional)"),
    "alert_page.note": ("note", "note"),
    "alert_page.acknowledge": ("Prendre en charge", "Acknowledge"),
    "alert_page.resolution_note": ("note de résolution", "resolution note"),
    "alert_page.resolve_confirm": ("Clore cet épisode maintenant ?", "End this episode now?"),
    "alert_page.resolve": ("Résoudre", "Resolve"),
    "alert_page.influencers": ("Influenceurs", "Influencers"),
    "alert_page.drivers": (
        "Contributeurs les plus influents : auteurs des mentions les plus négatives",
        "Drivers: authors of the most negative mentions",
    ),
    "alert_page.posts": (
        "Messages de l'épisode ({count}), les plus urgents d'abord",
        "Posts of the episode ({count}), most urgent first",
    ),
    "alert_page.posts_span": (
        "Les mentions de la marque publiées depuis l'heure précédant l'ouverture de l'alerte "
        "jusqu'à sa clôture.",
        "The brand's mentions published from the hour before the alert opened until it closed.",
    ),
    "alert_page.all_in_inbox": ("Toutes dans la boîte de réception", "All of them in the inbox"),
    "alert_page.theme_posts": ("celles du thème {theme}", "those of the theme {theme}"),
    "alert_page.no_post": ("Aucune mention dans l'épisode.", "No mention in the episode."),
    "alert_page.chart_title": (
        "{brand} : mentions par heure ({zone})",
        "{brand}: mentions per hour ({zone})",
    ),
    "alert_page.no_such": ("Alerte introuvable", "No such alert"),
    "alert_page.no_such_message": ("Il n'existe pas d'alerte {id}.", "There is no alert {id}."),
    # The drivers' table (_drivers.html: an alert's page and the dashboard)
    "drivers.negative": ("Mentions négatives", "Negative mentions"),
    "drivers.none": ("Aucun.", "None."),
}
