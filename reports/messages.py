"""The words of reports, French first: key -> {"fr": …, "en": …}. Fields are {named}."""

from __future__ import annotations

from storage.vocab import NAMES

_M: dict[str, tuple[str, str]] = {
    # Cover, contents, sections
    "report.kicker": ("Rapport d'e-réputation", "E-reputation report"),
    "report.title": ("{brand} — e-réputation", "{brand} — e-reputation"),
    "report.period": (
        "Du {first} au {last} ({days} jours)",
        "From {first} to {last} ({days} days)",
    ),
    "report.compared": (
        "Comparé à la période précédente : du {first} au {last}",
        "Compared with the previous period: {first} to {last}",
    ),
    "report.generated": ("Généré le {when}", "Generated on {when}"),
    "report.empty": (
        "Aucune mention de {brand} sur cette période : les chiffres ci-dessous sont à zéro.",
        "No mentions of {brand} in this period: the figures below are zero.",
    ),
    "report.nothing": ("Rien à montrer sur cette période.", "Nothing to show for this period."),
    "toc.title": ("Sommaire", "Contents"),
    "section.headline": ("Chiffres clés", "Headline figures"),
    "section.volume": ("Volume dans le temps", "Volume over time"),
    "section.sentiment": ("Sentiment par source", "Sentiment per source"),
    "section.topics": ("Thématiques", "Topics"),
    "section.contributors": ("Contributeurs", "Contributors"),
    "section.posts": ("Publications", "Posts"),
    "section.competitors": ("Concurrents", "Competitors"),
    "section.method": ("Méthode", "Method"),
    # Columns
    "col.measure": ("Indicateur", "Measure"),
    "col.current": ("Période", "Period"),
    "col.previous": ("Précédente", "Previous"),
    "col.change": ("Évolution", "Change"),
    "col.opened": ("Ouverte le", "Opened"),
    "col.severity": ("Gravité", "Severity"),
    "col.status": ("État", "Status"),
    "col.negative": ("Négatives", "Negative"),
    "col.expected": ("Attendues", "Expected"),
    "col.source": ("Source", "Source"),
    "col.mentions": ("Mentions", "Mentions"),
    "col.topic": ("Thématique", "Topic"),
    "col.share": ("Part", "Share"),
    "col.study": ("Étude", "Study"),
    "col.previous_share": ("Part précédente", "Previous share"),
    "col.tier": ("Participation", "Participation"),
    "col.authors": ("Auteurs", "Authors"),
    "col.rule": ("Règle 1/9/90", "1/9/90 rule"),
    "col.profile": ("Profil", "Profile"),
    "col.author": ("Auteur", "Author"),
    "col.influence": ("Influence", "Influence"),
    "col.followers": ("Abonnés", "Followers"),
    "col.posts": ("Publications", "Posts"),
    "col.engagement": ("Engagement", "Engagement"),
    "col.term": ("Terme", "Term"),
    "col.brand": ("Marque", "Brand"),
    "col.kind": ("Type", "Kind"),
    "col.last_run": ("Dernière collecte", "Last run"),
    "col.task": ("Tâche", "Task"),
    "col.model": ("Modèle", "Model"),
    "col.version": ("Version", "Version"),
    "col.labels": ("Étiquettes", "Labels"),
    "col.reason": ("Raison", "Reason"),
    "col.period": ("Période", "Period"),
    "col.language": ("Langue", "Language"),
    "col.format": ("Format", "Format"),
    "col.created": ("Créé le", "Created"),
    "col.file": ("Fichier", "File"),
    # Headline
    "kpi.volume": ("Volume de mentions", "Volume of mentions"),
    "kpi.authors": ("Auteurs uniques", "Unique authors"),
    "kpi.net_sentiment": ("Sentiment net", "Net sentiment"),
    "kpi.share_of_voice": ("Part de voix", "Share of voice"),
    "kpi.reach": ("Portée (abonnés des auteurs)", "Reach (authors' followers)"),
    "kpi.impressions": ("Impressions (vues)", "Impressions (views)"),
    "kpi.engagement": (
        "Engagement (j'aime, partages, commentaires)",
        "Engagement (likes, shares, comments)",
    ),
    "kpi.engagement_rate": ("Taux d'engagement", "Engagement rate"),
    "headline.split": ("Répartition :", "Split:"),
    "headline.no_reach": (
        "Portée : les sources de la période ne donnent pas le nombre d'abonnés.",
        "Reach: the period's sources do not give follower counts.",
    ),
    "headline.no_views": (
        "Impressions : aucune source de la période ne donne de vues.",
        "Impressions: no source of the period gives views.",
    ),
    "unit.points": ("pts", "pts"),
    "unit.percent": ("\u00a0%", "%"),
    "format.date": ("d MMMM y", "d MMMM y"),
    "format.date_short": ("d MMM y", "d MMM y"),
    "format.moment": ("{day} à {time}", "{day}, {time}"),
    # Volume
    "volume.alerts": ("Alertes de la période", "Alerts in the period"),
    "volume.no_alerts": ("Aucune alerte sur la période.", "No alert in the period."),
    "volume.spikes": ("Pics de volume : {list}.", "Volume spikes: {list}."),
    # Topics
    "topics.reference": (
        "Étude : 1 660 conversations sur les 50 premiers e-commerçants français (Twitter, "
        "Facebook, forums). Parts calculées sur les mentions étiquetées.",
        "Study: 1,660 conversations about the 50 largest French e-merchants (Twitter, Facebook, "
        "forums). Shares among labelled mentions.",
    ),
    "topics.none": (
        "Thématiques non calculées pour cette période — lancez `veille analyze`.",
        "Topics not computed for this period yet — run `veille analyze`.",
    ),
    # Contributors
    "contributors.tiers": (
        "Participation observée (règle 1/9/90)",
        "Observed participation (1/9/90 rule)",
    ),
    "contributors.tiers_rule": (
        "Auteurs de la marque sur la période, classés par nombre de publications : le 1 % le "
        "plus actif (au moins un auteur), s'il a publié deux fois ou plus, est régulier ; "
        "un auteur d'une seule publication est ponctuel ; les autres sont occasionnels. "
        "La règle 1/9/90 compte aussi les lecteurs qui ne publient jamais, invisibles ici.",
        "The brand's authors in the period, ranked by posts: the most active 1 % (at least one "
        "author), if they posted twice or more, are regular; a single post makes a one-off "
        "contributor; the others are occasional. The 1/9/90 rule also counts readers who never "
        "post, whom Veille cannot see.",
    ),
    "contributors.profiles": ("Profils des contributeurs", "Contributor profiles"),
    "contributors.not_computed": (
        "Profils des contributeurs pas encore calculés — lancez `veille analyze`.",
        "Contributor profiles not computed yet — run `veille analyze`.",
    ),
    "contributors.no_profiles": (
        "Aucun auteur de la période n'a de profil.",
        "No author of the period has a profile.",
    ),
    "contributors.influential": ("Auteurs les plus influents", "Most influential authors"),
    "contributors.by_followers": (
        "Scores d'influence pas encore calculés — classement par abonnés puis engagement.",
        "Influence scores not computed yet — ranked by followers, then engagement.",
    ),
    "contributors.suspicious": ("Mentions suspectes", "Suspicious mentions"),
    "contributors.flags_not_computed": (
        "Détection des mentions suspectes pas encore faite — lancez `veille analyze`.",
        "Suspicious mentions not detected yet — run `veille analyze`.",
    ),
    "contributors.suspicious_share": (
        "{share} des mentions de la période sont suspectes ({n} sur {total}).",
        "{share} of the period's mentions are suspicious ({n} of {total}).",
    ),
    "contributors.suspicious_previous": (
        "Période précédente : {share} ({change}).",
        "Previous period: {share} ({change}).",
    ),
    # Posts
    "posts.engaging": ("Publications les plus engageantes", "Most engaging posts"),
    "posts.none_engaging": (
        "Aucune publication n'a reçu d'interaction.",
        "No post received any interaction.",
    ),
    "posts.needing_answer": (
        "Négatives à traiter (service client), les plus récentes d'abord",
        "Negative posts needing an answer (customer service), newest first",
    ),
    "posts.none_needing": (
        "Aucune mention négative sur le service client.",
        "No negative mention about customer service.",
    ),
    "posts.terms": ("Termes émergents", "Emerging terms"),
    "posts.new_term": ("nouveau", "new"),
    "posts.no_terms": ("Aucun terme n'a progressé nettement.", "No term grew markedly."),
    "posts.anonymous": ("auteur inconnu", "unknown author"),
    "posts.interactions": ("{n} interactions", "{n} interactions"),
    "posts.open": ("Voir la publication", "Open the post"),
    "posts.no_link": ("(pas de lien web)", "(no web link)"),
    "competitors.none": (
        "Aucun concurrent configuré pour {brand} (brands[].competitors).",
        "No competitor configured for {brand} (brands[].competitors).",
    ),
    # Method
    "method.sources": ("Sources et dernières collectes", "Sources and their last runs"),
    "method.state.ok": ("ok", "ok"),
    "method.state.failed": ("en échec", "failed"),
    "method.state.silent": (
        "silencieuse (aucune mention sur la période)",
        "silent (no mention in the period)",
    ),
    "method.state.no_run": ("jamais collectée", "never run"),
    "method.no_sources": ("Aucune source enregistrée.", "No source stored."),
    "method.models": ("Versions des modèles", "Model versions"),
    "method.human": ("correction humaine", "human correction"),
    "method.no_labels": (
        "Aucune étiquette sur la période — lancez `veille analyze`.",
        "No label in the period — run `veille analyze`.",
    ),
    "method.exclusions": ("Exclusions", "Exclusions"),
    "method.not_excluded": (
        "{n} mentions suspectes incluses dans les chiffres (reports.exclude_suspicious: false).",
        "{n} suspicious mentions included in the figures (reports.exclude_suspicious: false).",
    ),
    "method.excluded": (
        "{n} mentions suspectes exclues des chiffres, pour ces raisons :",
        "{n} suspicious mentions left out of the figures, for these reasons:",
    ),
    "method.nothing_excluded": ("Aucune mention exclue.", "No mention excluded."),
    "method.definitions": ("Définitions", "Definitions"),
    "define.volume": (
        "Volume : mentions de la marque publiées sur la période.",
        "Volume: the brand's mentions published in the period.",
    ),
    "define.authors": (
        "Auteurs uniques : auteurs distincts de ces mentions.",
        "Unique authors: distinct authors of those mentions.",
    ),
    "define.net_sentiment": (
        "Sentiment net : (positives − négatives) / (positives + négatives).",
        "Net sentiment: (positive − negative) / (positive + negative).",
    ),
    "define.share_of_voice": (
        "Part de voix : mentions de la marque / mentions de la marque et "
        "de ses concurrents configurés.",
        "Share of voice: the brand's mentions / mentions of the brand and "
        "its configured competitors.",
    ),
    "define.reach": (
        "Portée : somme des abonnés des auteurs distincts (audience potentielle).",
        "Reach: sum of the followers of the distinct authors (potential audience).",
    ),
    "define.impressions": (
        "Impressions : vues, là où la source les donne.",
        "Impressions: views, where the source gives them.",
    ),
    "define.engagement": (
        "Engagement : j'aime + partages + commentaires.",
        "Engagement: likes + shares + comments.",
    ),
    "define.engagement_rate": (
        "Taux d'engagement : engagement / portée.",
        "Engagement rate: engagement / reach.",
    ),
    "define.change": (
        "Évolution : par rapport à la période précédente de même durée, en % pour "
        "les nombres, en points pour les parts.",
        "Change: against the previous period of equal length, in % for counts, "
        "in points for shares.",
    ),
    "define.spikes": (
        "Pic : jour (ou heure) au-dessus de la médiane + 3 écarts absolus médians "
        "et au moins deux fois la médiane.",
        "Spike: a day (or hour) above the median + 3 median absolute deviations "
        "and at least twice the median.",
    ),
    # Charts
    "chart.spike": ("pic", "spike"),
    "chart.alert": ("alerte", "alert"),
    "chart.mentions": ("mentions", "mentions"),
    "chart.observed": ("observé", "observed"),
    "chart.study": ("étude de référence", "reference study"),
    "chart.rule": ("règle 1/9/90", "1/9/90 rule"),
    "title.volume.none": ("Aucune mention sur la période", "No mentions in the period"),
    "title.volume.doubled": (
        "Les mentions négatives ont doublé le {day}",
        "Negative mentions doubled on {day}",
    ),
    "title.volume.multiplied": (
        "Mentions négatives multipliées par {ratio} le {day}",
        "Negative mentions rose {ratio}-fold on {day}",
    ),
    "title.volume.plain": ("{n} mentions, pic le {day}", "{n} mentions, busiest on {day}"),
    "title.volume.up": (
        "{n} mentions, en hausse de {change} ; pic le {day}",
        "{n} mentions, up {change}; busiest on {day}",
    ),
    "title.volume.down": (
        "{n} mentions, en baisse de {change} ; pic le {day}",
        "{n} mentions, down {change}; busiest on {day}",
    ),
    "title.sources.plain": ("Sentiment dans {n} sources", "Sentiment across {n} sources"),
    "title.sources.worst": (
        "{source} est la source la plus négative ({share} de négatif)",
        "{source} is the most negative source ({share} negative)",
    ),
    "title.topics.none": ("Thématiques non calculées", "Topics not computed"),
    "title.topics.gap": (
        "{topic} : {share} des conversations, contre {reference} dans l'étude",
        "{topic}: {share} of the talk, against {reference} in the study",
    ),
    "title.tiers.none": ("Aucun auteur sur la période", "No author in the period"),
    "title.tiers.one_off": (
        "{share} des auteurs n'ont publié qu'une fois",
        "{share} of authors posted only once",
    ),
    "title.competitors.lead": (
        "{brand} mène la conversation avec {share} de part de voix",
        "{brand} leads the conversation with {share} share of voice",
    ),
    "title.competitors.behind": (
        "{leader} mène avec {leader_share} ; {brand} a {share}",
        "{leader} leads with {leader_share}; {brand} has {share}",
    ),
    # Values (sentiments, topics, tiers, profiles, tasks, flags come from storage.vocab)
    "severity.low": ("faible", "low"),
    "severity.medium": ("moyenne", "medium"),
    "severity.high": ("forte", "high"),
    "severity.critical": ("critique", "critical"),
    "status.open": ("ouverte", "open"),
    "status.closed": ("close", "closed"),
    "status.acknowledged": ("prise en compte", "acknowledged"),
    # Alert e-mails
    "alert.subject": (
        "[Veille] Bad buzz {brand} — {negatives} mentions négatives en 1 h (×{ratio})",
        "[Veille] Bad buzz {brand} — {negatives} negative mentions in 1 h (×{ratio})",
    ),
    "alert.subject_closed": (
        "[Veille] Retour à la normale {brand} — {negatives} mentions négatives en 1 h",
        "[Veille] Back to normal {brand} — {negatives} negative mentions in 1 h",
    ),
    "alert.title": ("Bad buzz : {brand}", "Bad buzz: {brand}"),
    "alert.severity": ("gravité {severity}", "severity {severity}"),
    "alert.numbers": (
        "{negatives} mentions négatives dans la dernière heure, contre {expected} "
        "attendues (×{ratio}).",
        "{negatives} negative mentions in the last hour, against {expected} expected (×{ratio}).",
    ),
    "ratio.about": ("environ {n}", "about {n}"),
    "ratio.below": ("moins de {n}", "fewer than {n}"),
    "alert.totals": (
        "{total} mentions en tout. Score d'anomalie : {score}.",
        "{total} mentions in all. Anomaly score {score}.",
    ),
    "alert.influencer": (
        "Auteur influent : {author} (influence {influence}) sur {source}",
        "Influential author: {author} (influence {influence}) on {source}",
    ),
    "alert.post": ("publication", "post"),
    "alert.fact_severity": ("Gravité", "Severity"),
    "alert.fact_negatives": ("Négatives en 1 h", "Negative in 1 h"),
    "alert.fact_expected": ("Attendues", "Expected"),
    "alert.fact_ratio": ("Rapport", "Ratio"),
    "alert.fact_opened": ("Ouverte", "Opened"),
    "alert.fact_closed": ("Terminée", "Ended"),
    "alert.back_title": ("Retour à la normale : {brand}", "Back to normal: {brand}"),
    "alert.back_numbers": (
        "{negatives} mentions négatives dans la dernière heure ({expected} attendues).",
        "{negatives} negative mentions in the last hour ({expected} expected).",
    ),
    "alert.back_episode": (
        "Le bad buzz a commencé le {opened} et s'est terminé le {closed} ; au plus fort, "
        "{peak} mentions négatives en 1 h (×{ratio}).",
        "The bad buzz opened on {opened} and ended on {closed}; at its peak, {peak} negative "
        "mentions in 1 h (×{ratio}).",
    ),
    "alert.chart_alt": (
        "mentions par tranche de {minutes} min, dernières 24 h",
        "mentions per {minutes}-minute bucket, last 24 h",
    ),
    "alert.chart_all": ("toutes les mentions", "all mentions"),
    "alert.chart_negative": ("négatives", "negative"),
    "alert.chart_per": ("par {minutes} min", "per {minutes} min"),
    "alert.engaging": ("Publications les plus engageantes", "Most engaging posts"),
    "alert.influential": (
        "Publications des auteurs les plus influents",
        "Most influential authors' posts",
    ),
    "alert.influence": ("influence {influence}", "influence {influence}"),
    "alert.open": ("ouvrir", "open"),
    "alert.no_post": ("aucune", "none"),
    "alert.terms": ("Termes principaux", "Top terms"),
    "alert.topics": ("Thématiques", "Topics"),
    "alert.sources": ("Sources", "Sources"),
    "alert.none": ("aucun", "none"),
    "punct.colon": ("\u00a0:", ":"),
    "alert.unknown_author": ("?", "?"),
    "alert.footer": (
        "Alerte n° {id} — ouverte le {opened}. `veille alerts list` liste toutes les alertes.",
        "Alert #{id} — opened on {opened}. `veille alerts list` shows all alerts.",
    ),
    "alert.footer_html": (
        "Alerte n° {id} — ouverte le {opened}. Envoyée par Veille.",
        "Alert #{id} — opened on {opened}. Sent by Veille.",
    ),
    "alert.subject_escalated": (
        "[Veille] Escalade : {brand} — alerte non prise en charge depuis {minutes} min",
        "[Veille] Escalation: {brand} — alert not acknowledged for {minutes} min",
    ),
    "alert.escalated_title": ("Escalade : {brand}", "Escalation: {brand}"),
    "alert.escalation_lead": (
        "Personne n'a pris en charge cette alerte depuis {minutes} min : elle vous est transmise.",
        "Nobody has acknowledged this alert for {minutes} min: it is passed on to you.",
    ),
    "digest.alerts.one": ("{n} alerte", "{n} alert"),
    "digest.alerts.many": ("{n} alertes", "{n} alerts"),
    "digest.subject": ("[Veille] Résumé du {day} : {alerts}", "[Veille] Digest of {day}: {alerts}"),
    "digest.title": ("Résumé des alertes du {day}", "Alert digest of {day}"),
    "digest.headline": (
        "{alerts} de moindre gravité, réunies ici plutôt qu'envoyées une à une.",
        "{alerts} of lower severity, gathered here instead of sent one by one.",
    ),
    "digest.line": (
        "{brand} — gravité {severity} — ouverte le {opened} : {negatives} en 1 h ({expected} "
        "attendues, ×{ratio})",
        "{brand} — severity {severity} — opened on {opened}: {negatives} in 1 h ({expected} "
        "expected, ×{ratio})",
    ),
    "digest.negatives.one": ("{n} mention négative", "{n} negative mention"),
    "digest.negatives.many": ("{n} mentions négatives", "{n} negative mentions"),
    "digest.footer": ("Alertes n° {ids}. Envoyé par Veille.", "Alerts #{ids}. Sent by Veille."),
    # Index page
    "index.title": ("Rapports d'e-réputation", "E-reputation reports"),
    "index.intro": (
        "Tous les rapports générés, les plus récents d'abord.",
        "Every report generated, newest first.",
    ),
    "index.none": ("Aucun rapport pour l'instant.", "No report yet."),
}

_M.update(
    {f"{group}.{value}": pair for group, names in NAMES.items() for value, pair in names.items()}
)

MESSAGES: dict[str, dict[str, str]] = {k: {"fr": fr, "en": en} for k, (fr, en) in _M.items()}
