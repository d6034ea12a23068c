"""The words of the workspace's monitoring pages: the dashboard and its charts, the events, the
reports and the sources (web/words/__init__.py says how)."""

WORDS: dict[str, tuple[str, str]] = {
    # The dashboard
    "dashboard.total": ("{mentions} sur {days} jours", "{mentions} in {days} days"),
    "dashboard.owned_left_out": (
        "Les messages des comptes propres aux marques sont exclus, comme dans les rapports.",
        "The posts of the brands' own accounts are left out, as in the reports.",
    ),
    "dashboard.days": ("Jours", "Days"),
    "dashboard.show": ("Afficher", "Show"),
    "dashboard.no_events": (
        "Aucun événement marqué sur ces jours. Les événements (un spot TV, un lancement, une "
        "panne) apparaissent sur ce graphique et sur le graphique de volume des rapports, à "
        "côté du pic qu'ils expliquent.",
        "No event marked in these days. Events (a TV spot, a launch, an outage) show on this "
        "chart and on the reports' volume chart, by the spike they explain.",
    ),
    "dashboard.every_event": (
        "Tous les événements de {brand}, y compris ceux à venir",
        "Every event of {brand}, the coming ones too",
    ),
    "dashboard.themes": ("Thèmes suivis", "Tracked themes"),
    "dashboard.th.mentions": ("Mentions", "Mentions"),
    "dashboard.th.before": ("Les {days} jours précédents", "The {days} days before"),
    "dashboard.th.share": ("Part des mentions de la marque", "Share of the brand's"),
    "dashboard.th.negative": ("Négatives", "Negative"),
    "dashboard.themes_note": (
        "Une mention peut relever de plusieurs thèmes ou d'aucun ; le nom de chaque thème "
        "ouvre ses mentions dans la boîte de réception.",
        "A mention may be in several themes or in none; each theme's name opens its mentions "
        "in the inbox.",
    ),
    "dashboard.drivers": (
        "Contributeurs les plus influents : auteurs des mentions les plus négatives",
        "Top drivers: authors of the most negative mentions",
    ),
    # The dashboard's charts (drawn as plain text into SVG: web.charts)
    "chart.mentions_per_day": ("{brand} : mentions par jour", "{brand}: mentions per day"),
    "chart.net_sentiment": (
        "Sentiment net (positif − négatif, en % des mentions)",
        "Net sentiment (positive − negative, % of mentions)",
    ),
    "chart.net_legend": ("sentiment net %", "net sentiment %"),
    "chart.total": ("total", "total"),
    "chart.per_theme": ("Mentions par thème", "Mentions per theme"),
    # The events page
    "events.intro": (
        "Ce que l'équipe marque sur la chronologie d'une marque — un spot TV, un lancement, "
        "une panne, une campagne — est tracé sur les graphiques de volume du tableau de bord "
        "et des rapports, à côté du pic qu'il explique, et cité par les alertes qu'il précède "
        "ou pendant lesquelles il se déroule. Les heures sont celles du fuseau {zone}.",
        "What the team marks on a brand's timeline — a TV spot, a launch, an outage, a "
        "campaign — is drawn on the dashboard's and the reports' volume charts, by the spike "
        "it explains, and named by the alerts it comes before or lasts over. Times are {zone} "
        "time.",
    ),
    "events.past_days": ("Jours passés", "Past days"),
    "events.coming": ("En cours et à venir", "In progress and coming"),
    "events.state.coming": ("à venir", "coming"),
    "events.state.in_progress": ("en cours", "in progress"),
    "events.chart": ("graphique", "chart"),
    "events.none_coming": ("Rien en cours ni de prévu.", "Nothing in progress or planned."),
    "events.none_coming_for": (
        "Rien en cours ni de prévu pour {brand}.",
        "Nothing in progress or planned for {brand}.",
    ),
    "events.ahead": (
        "Un lancement ou une campagne marqué à l'avance est cité dans les rapports et les "
        "alertes de ses jours.",
        "A launch or a campaign marked ahead is named on the reports and alerts of its days.",
    ),
    "events.past": ("Les {days} derniers jours", "The last {days} days"),
    "events.none_past": (
        "Aucun événement sur les {days} derniers jours.",
        "No event in the last {days} days.",
    ),
    "events.calendars": (
        "Calendriers lus chaque nuit : {names} (leur état figure sur la page "
        '<a href="/sources">Sources</a> ; leurs événements se modifient dans le calendrier).',
        'Calendars read every night: {names} (their health is on <a href="/sources">Sources</a>; '
        "their events are changed in the calendar).",
    ),
    "events.mark_title": ("Marquer un événement", "Mark an event"),
    # One event, and the forms that mark one or import a calendar
    "event.calendar": ("calendrier {name}", "calendar {name}"),
    "event.until": ("Jusqu'à ({zone}, pour une campagne)", "Until ({zone}, for a campaign)"),
    "event.what": ("Ce qui s'est passé", "What happened"),
    "event.what_example": ("spot TV, 20 h", "TV spot, 8 pm"),
    "event.mark": ("Marquer", "Mark"),
    "event.calendar_file": (
        "Un calendrier (.ics : un export Google, Outlook ou Apple)",
        "A calendar (.ics: a Google, Outlook or Apple export)",
    ),
    "event.import": ("Importer ses événements", "Import its events"),
    "event.not_marked": ("Événement non marqué", "Event not marked"),
    "event.not_imported": ("Calendrier non importé", "Calendar not imported"),
    "event.unknown_brand": (
        "{brand} n'est pas une marque configurée",
        "{brand} is not a configured brand",
    ),
    "event.choose_file": (
        "choisissez un fichier .ics (l'export d'un calendrier)",
        "choose an .ics file (a calendar's export)",
    ),
    "event.no_such": ("Événement introuvable", "No such event"),
    "event.kept": ("Événement conservé", "Event kept"),
    # The reports page
    "reports_page.format": ("Format", "Format"),
    "reports_page.language": ("Langue", "Language"),
    "reports_page.generate": ("Générer", "Generate"),
    "reports_page.period.yesterday": ("hier", "yesterday"),
    "reports_page.period.last_7_days": ("7 derniers jours", "last 7 days"),
    "reports_page.period.last_30_days": ("30 derniers jours", "last 30 days"),
    "reports_page.files": ("Fichiers", "Files"),
    "reports_page.written": ("Généré ({zone})", "Written ({zone})"),
    "reports_page.sent_to": ("Envoyé à", "Sent to"),
    "reports_page.until": ("jusqu'au {moment}", "until {moment}"),
    "reports_page.none": ("Aucun rapport généré pour l'instant.", "No report written yet."),
    "reports_page.no_such": ("Rapport introuvable", "No such report"),
    "reports_page.file_missing": ("Fichier du rapport manquant", "Report file missing"),
    "reports_page.file_gone": ("{path} n'est plus sur le disque.", "{path} is no longer on disk."),
    "reports_page.unknown_brand": ("marque inconnue : {brand}", "unknown brand {brand}"),
    "reports_page.bad_choice": (
        "le format est html, pdf ou json ; la langue fr ou en",
        "format is html, pdf or json; language fr or en",
    ),
    "reports_page.bad_period": ("période refusée : {reason}", "{reason}"),
    # The sources page
    "sources.intro": (
        "Une source pose problème quand ses {window} dernières collectes ont échoué ou n'ont "
        "rien trouvé, ou quand la dernière l'a signalée comme cassée (comme le dit "
        "<code>veille status</code>).",
        "A source is a problem when its last {window} collections failed or found nothing, or "
        "when the last one said it is broken (as <code>veille status</code> says).",
    ),
    "sources.last_state": ("Dernier état", "Last state"),
    "sources.last_collection": ("Dernière collecte", "Last collection"),
    "sources.last_success": ("Dernier succès", "Last success"),
    "sources.streak": ("Échecs ou silences d'affilée", "Failed or silent in a row"),
    "sources.last_error": ("Dernière erreur", "Last error"),
    "sources.state.ok": ("ok", "ok"),
    "sources.state.empty": ("rien trouvé", "empty"),
    "sources.state.failed": ("échec", "failed"),
    "sources.state.broken": ("cassée", "broken"),
    "sources.never": ("jamais collectée", "never collected"),
    "sources.none": ("Aucune source configurée.", "No source configured."),
    "sources.calendars": ("Calendriers", "Calendars"),
    "sources.calendars_intro": (
        "Les calendriers de l'équipe (<code>events.calendars</code>), lus à chaque exécution : "
        "leurs événements sont marqués sur les chronologies des marques.",
        "The team's calendars (<code>events.calendars</code>), read at every run: their events "
        "are marked on the brands' timelines.",
    ),
    "sources.calendar": ("Calendrier", "Calendar"),
    "sources.last_read": ("Dernière lecture", "Last read"),
    "sources.read_state": ("État", "State"),
    "sources.last_read_well": ("Dernière lecture réussie", "Last read well"),
    "sources.events_or_why": ("Événements, ou pourquoi pas", "Events, or why not"),
    "sources.calendar_state.ok": ("ok", "ok"),
    "sources.calendar_state.failed": ("échec", "failed"),
    "sources.calendar_state.not_read_yet": ("pas encore lu", "not read yet"),
    "sources.calendar_counts": (
        "nouveaux : {new}, mis à jour : {updated}, supprimés : {removed}, mis de côté : "
        "{set_aside}",
        "{new} new, {updated} updated, {removed} removed, {set_aside} set aside",
    ),
    # The query workbench
    "queries.intro": (
        "Essayez la requête d'une marque ou d'un thème sur les mentions déjà collectées avant "
        "de la changer dans veille.yaml : ce qu'elle garderait, perdrait ou ajouterait, et "
        "les mentions que l'équipe a dites hors sujet qu'elle laisserait enfin de côté.",
        "Try a brand's or a theme's query on the mentions already collected before you change "
        "it in veille.yaml: what it would keep, drop or add, and which of the mentions the team "
        "called off-topic it would leave out at last.",
    ),
    "queries.none": (
        "Aucune marque ni aucun thème dans veille.yaml.",
        "No brand or theme in veille.yaml.",
    ),
    "queries.health": (
        "Les requêtes des marques sur leurs {days} derniers jours : ce qu'elles ont "
        "trouvé, et ce que l'équipe en a dit hors sujet",
        "The brand queries over their last {days} days: what they found, and what the team "
        "called off-topic of it",
    ),
    "queries.health.mentions": ("Mentions comptées", "Mentions counted"),
    "queries.health.off_topic": ("Hors sujet", "Off-topic"),
    "queries.health.share": ("Part hors sujet", "Off-topic share"),
    "queries.target": ("Requête de", "Query of"),
    "queries.kind.brand": ("la marque {name}", "the brand {name}"),
    "queries.kind.theme": ("le thème {name}", "the theme {name}"),
    "queries.period": ("Période", "Period"),
    "queries.days": ("{n} derniers jours", "last {n} days"),
    "queries.query": ("Requête à essayer", "Query to try"),
    "queries.try": ("Essayer", "Try"),
    "queries.current": ("Requête actuelle :", "Current query:"),
    "queries.result": ("Ce que cette requête changerait", "What this query would change"),
    "queries.summary.brand": (
        "Sur les {read} mentions de la période, {now} sont sur {name} aujourd'hui. Cette "
        "requête en trouverait {matched} : elle en garderait {kept}, en perdrait "
        "{dropped} et en ajouterait {added}.",
        "Of the period's {read} mentions, {now} are about {name} today. This query would "
        "match {matched}: it would keep {kept}, drop {dropped} and add {added}.",
    ),
    "queries.summary.theme": (
        "Sur les {read} mentions de la période, {now} sont dans le thème {name} aujourd'hui. "
        "Cette requête en trouverait {matched} : elle en garderait {kept}, en perdrait "
        "{dropped} et en ajouterait {added}.",
        "Of the period's {read} mentions, {now} are in the theme {name} today. This query "
        "would match {matched}: it would keep {kept}, drop {dropped} and add {added}.",
    ),
    "queries.chart": ("Mentions par jour : {name}", "Mentions per day: {name}"),
    "queries.chart.total": ("aujourd'hui", "today"),
    "queries.chart.query": ("avec cette requête", "with this query"),
    "queries.open_in_inbox": (
        "Ouvrir ce qu'elle trouve dans la boîte de réception (pour tout lire, trier, exporter)",
        "Open what it matches in the inbox (to read it all, triage, export)",
    ),
    "queries.capped": (
        "Seules les {read} mentions les plus récentes de la période ont été lues : "
        "choisissez une période plus courte pour tout lire.",
        "Only the period's {read} newest mentions were read: choose a shorter period to read "
        "them all.",
    ),
    "queries.off_topic": (
        "L'équipe a dit {n} mentions de la période hors sujet pour {name} : cette requête "
        "en laisserait {caught} de côté.",
        "The team called {n} of the period's mentions off-topic for {name}: this query would "
        "leave {caught} of them out.",
    ),
    "queries.list_off_topic": (
        "Les {n} mentions retirées de {name}, dans la boîte de réception",
        "The {n} mentions taken off {name}, in the inbox",
    ),
    "queries.off_topic_elsewhere": (
        "L'équipe a dit {n} mentions hors sujet pour {name}, aucune de cette période : "
        "choisissez une période plus longue pour les lire.",
        "The team called {n} mentions off-topic for {name}, none of this period: choose a "
        "longer period to read them.",
    ),
    "queries.off_topic_none": (
        "Personne n'a encore dit une mention hors sujet pour {name} (bouton « Pas sur "
        "{name} » d'une mention, ou la boîte de réception).",
        "Nobody has called a mention off-topic for {name} yet (a mention's « Not about "
        "{name} » button, or the inbox).",
    ),
    "queries.suggestions": ("Exclusions proposées", "Suggested exclusions"),
    "queries.suggestions_intro": (
        "Des mots que les mentions hors sujet encore trouvées partagent et que les mentions "
        "gardées n'ont presque jamais ; un clic l'ajoute à la requête essayée.",
        "Words the off-topic mentions still matched share and the kept ones hardly ever hold; "
        "a click adds one to the query tried.",
    ),
    "queries.suggestion_counts": (
        "dans {off} mentions hors sujet, {kept} gardées",
        "in {off} off-topic mentions, {kept} kept",
    ),
    "queries.still": (
        "Mentions hors sujet que la requête trouve encore",
        "Off-topic mentions the query still matches",
    ),
    "queries.dropped": ("Perdues ({n})", "Dropped ({n})"),
    "queries.added": ("Ajoutées ({n})", "Added ({n})"),
    "queries.terms": ("trouvée par : {terms}", "matched by: {terms}"),
    "queries.save": ("L'enregistrer", "Saving it"),
    "queries.save_intro": (
        "Remplacez la ligne query de {name} dans veille.yaml par celle-ci (la commande "
        "veille match essaie une requête sur des textes) :",
        "Replace the query line of {name} in veille.yaml with this one (the veille match "
        "command tries a query on texts):",
    ),
    "queries.stored_only": (
        "Seules les mentions déjà collectées sont lues : ce qu'une requête plus large "
        "trouverait de plus dans les sources se verra quand elle collectera.",
        "Only the mentions already collected are read: what a broader query would find more "
        "in the sources shows once it collects.",
    ),
}
